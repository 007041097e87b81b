"""What an import changes on master data, kept as history, and when it must ask first.

Every value a file changes on a stored employee or customer becomes a
:class:`~workstation.store.models.MasterDataChange` row of the batch (field, old, new, file
row). A file that would change the names of more than a tenth of the stored records of its
kind is stopped before anything is written, unless the user confirmed (a Big5 roster read as
GB18030 renamed 45 employees to nonsense): :class:`ChangesNeedConfirmation` carries the
changes to show.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from workstation.ingest.model import ConfirmationNeeded, FieldChange
from workstation.ingest.writers.base import WriteContext
from workstation.store.models import MasterDataChange

#: The share of stored names one import may change without asking.
NAME_CHANGE_SHARE = 0.1


class ChangesNeedConfirmation(Exception):
    """Raised by a writer (so the transaction rolls back) when its changes need confirmation."""

    def __init__(self, needed: ConfirmationNeeded, changes: list[FieldChange]) -> None:
        super().__init__(needed.text())
        self.needed = needed
        self.changes = changes


def as_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def record_changes(
    ctx: WriteContext,
    entity: str,
    record: Any,
    key: str,
    given: Mapping[str, Any],
    row: int,
    fields: tuple[str, ...],
) -> list[FieldChange]:
    """The changes ``given`` makes to ``fields`` of the stored ``record``, each kept as a
    history row of the batch. Call before the values are set."""
    changes = [
        FieldChange(entity, key, name, as_text(getattr(record, name)), as_text(value), row)
        for name, value in given.items()
        if name in fields and getattr(record, name) != value
    ]
    add_history(ctx, record.id, changes)
    return changes


def add_history(ctx: WriteContext, entity_id: int, changes: list[FieldChange]) -> None:
    ctx.session.add_all(
        MasterDataChange(
            batch_id=ctx.batch_id,
            entity=change.entity,
            entity_id=entity_id,
            entity_key=change.key,
            field=change.field,
            old_value=change.old,
            new_value=change.new,
            source_row=change.row,
        )
        for change in changes
    )


def check_name_changes(
    ctx: WriteContext, entity: str, changes: list[FieldChange], existing: int
) -> None:
    """Stop the import (ChangesNeedConfirmation) when it changes more than a tenth of the
    ``existing`` stored names of ``entity`` records and the user has not confirmed."""
    renamed = sum(1 for change in changes if change.field == "name")
    if ctx.options.confirm_changes or not existing or renamed <= NAME_CHANGE_SHARE * existing:
        return
    raise ChangesNeedConfirmation(ConfirmationNeeded(entity, renamed, existing), changes)
