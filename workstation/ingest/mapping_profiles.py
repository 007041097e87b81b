"""Column mappings the user saved under a name, to read the next file of the same layout.

A profile holds, for one import kind, which column of the file feeds each field (fields left
out are matched by their English or Chinese header names as usual) and, optionally, the
coordinate system and time zone of such files. Profiles live in the database, so a team on
PostgreSQL shares them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from workstation.domain.clock import Clock
from workstation.domain.enums import CoordSystem
from workstation.ingest.profiles import KINDS, MappingError, check_chosen_columns
from workstation.security.access import Acting
from workstation.security.permissions import Permission
from workstation.store.audit import append_audit
from workstation.store.models import ImportMappingProfile
from workstation.store.uow import UnitOfWorkFactory

MAX_NAME_LENGTH = 100


class UnknownMapping(LookupError):
    def __init__(self, name: str) -> None:
        super().__init__(f"no saved column mapping is called {name!r}")
        self.name = name


@dataclass(frozen=True)
class MappingProfile:
    name: str
    kind: str
    #: field → the file's column ("" = do not read this field)
    columns: dict[str, str]
    crs: CoordSystem | None
    tz: str | None
    updated_at: datetime
    created_by: str | None


class MappingProfileService:
    def __init__(self, uow: UnitOfWorkFactory, acting: Acting, clock: Clock) -> None:
        self._uow = uow
        self._acting = acting
        self._actor = acting.actor
        self._clock = clock

    def save(
        self,
        name: str,
        kind: str,
        columns: Mapping[str, str],
        *,
        crs: CoordSystem | None = None,
        tz: str | None = None,
        replace: bool = False,
    ) -> MappingProfile:
        """Save (or with ``replace``, overwrite) the profile ``name``. Raises MappingError for a
        bad name, kind or column choice."""
        self._acting.require(Permission.IMPORT_MANAGE_MAPPINGS)
        name = name.strip()
        if not name:
            raise MappingError("give the mapping a name")
        if len(name) > MAX_NAME_LENGTH:
            raise MappingError(f"a mapping name has at most {MAX_NAME_LENGTH} characters")
        spec = KINDS.get(kind)
        if spec is None:
            raise MappingError(f"unknown import kind {kind!r}")
        columns = {f: c.strip() for f, c in columns.items()}
        check_chosen_columns(spec, columns)
        if not any(columns.values()):
            raise MappingError("the mapping chooses no column; nothing to save")
        actor = self._actor()
        now = self._clock.now()
        with self._uow() as uow:
            session = uow.session
            row = session.scalars(
                select(ImportMappingProfile).where(ImportMappingProfile.name == name)
            ).first()
            if row is not None and not replace:
                raise MappingError(f"a mapping called {name!r} exists already")
            if row is None:
                row = ImportMappingProfile(name=name, created_at=now, created_by=actor)
                session.add(row)
            row.kind = kind
            row.source = "csv"
            row.mapping_json = json.dumps(columns, ensure_ascii=False, sort_keys=True)
            row.options_json = json.dumps(
                {"crs": crs.value if crs else None, "tz": tz}, ensure_ascii=False
            )
            row.updated_at = now
            session.flush()
            append_audit(
                session,
                actor,
                "import.mapping_saved",
                "import_mapping_profile",
                row.id,
                {"name": name, "kind": kind, "columns": columns},
            )
            profile = _profile(row)
            uow.commit()
            return profile

    def get(self, name: str) -> MappingProfile:
        self._acting.require(Permission.IMPORT_VIEW)
        with self._uow() as uow:
            row = uow.session.scalars(
                select(ImportMappingProfile).where(ImportMappingProfile.name == name.strip())
            ).first()
            if row is None:
                raise UnknownMapping(name)
            return _profile(row)

    def saved(self, kind: str | None = None) -> list[MappingProfile]:
        """Saved profiles (of ``kind`` when given), by name."""
        self._acting.require(Permission.IMPORT_VIEW)
        with self._uow() as uow:
            query = select(ImportMappingProfile).order_by(ImportMappingProfile.name)
            if kind is not None:
                query = query.where(ImportMappingProfile.kind == kind)
            return [_profile(row) for row in uow.session.scalars(query)]

    def delete(self, name: str) -> None:
        self._acting.require(Permission.IMPORT_MANAGE_MAPPINGS)
        actor = self._actor()
        with self._uow() as uow:
            session = uow.session
            row = session.scalars(
                select(ImportMappingProfile).where(ImportMappingProfile.name == name.strip())
            ).first()
            if row is None:
                raise UnknownMapping(name)
            append_audit(
                session,
                actor,
                "import.mapping_deleted",
                "import_mapping_profile",
                row.id,
                {"name": row.name, "kind": row.kind},
            )
            session.delete(row)
            uow.commit()


def _profile(row: ImportMappingProfile) -> MappingProfile:
    options = json.loads(row.options_json or "{}")
    crs = options.get("crs")
    return MappingProfile(
        name=row.name,
        kind=row.kind,
        columns=dict(json.loads(row.mapping_json)),
        crs=CoordSystem(crs) if crs else None,
        tz=options.get("tz") or None,
        updated_at=row.updated_at,
        created_by=row.created_by,
    )
