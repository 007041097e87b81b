"""Plain values of an import: options, parsed rows, problems, the report, past batches."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from dataclasses import field as dc_field
from datetime import date, datetime
from typing import Any

from workstation.domain.enums import CoordSystem


@dataclass(frozen=True)
class ImportOptions:
    #: Coordinate system of the file's positions; stored converted to WGS-84.
    crs: CoordSystem = CoordSystem.WGS84
    #: Zone of times written without an offset (None: the company's time zone).
    tz: str | None = None
    #: Which layout the file has: "auto" (detect), "csv" (generic) or an adapter's name.
    source: str = "auto"
    #: Whose file it is, for sources that do not say (a GPX track of one person).
    employee_no: str | None = None
    #: Folder holding the photos/recordings rows name; default: the imported file's folder.
    attachments_dir: str | None = None
    #: Columns the user chose, as (field, file column) pairs, overriding matching by header
    #: name (generic CSV/XLSX/JSON files only). An empty column means "do not read this field".
    columns: tuple[tuple[str, str], ...] = ()
    #: The saved mapping profile these choices came from, for the record.
    mapping_name: str | None = None
    #: Go ahead even when the file would change more than a tenth of the stored names (the
    #: user saw the changes and confirmed them).
    confirm_changes: bool = False
    #: The day a customer list shows (its owners and statuses are as of this day); None: the
    #: import day, which the report then says it assumed.
    as_of: date | None = None


@dataclass(frozen=True)
class RowProblem:
    """Why one row of the file was rejected (row = 1-based row/line in the file)."""

    row: int
    field: str | None
    message: str
    raw: dict[str, str] = dc_field(default_factory=dict)

    def text(self) -> str:
        where = f"row {self.row}" + (f", field {self.field}" if self.field else "")
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class ImportWarning:
    """Something the import kept but the user should know: a reference to a record not (yet)
    in the store, a customer without coordinates (no fence), an assumed date. ``row`` is the
    file's row (None: about the whole file)."""

    row: int | None
    field: str | None
    message: str

    def text(self) -> str:
        if self.row is None:
            return self.message
        where = f"row {self.row}" + (f", field {self.field}" if self.field else "")
        return f"{where}: {self.message}"


@dataclass
class ParsedRow:
    """A row whose cells were typed (``values`` by field name); still to be checked against
    the store (unknown employee, duplicate key...) by the writer of its kind."""

    row: int
    values: dict[str, Any]
    raw: dict[str, str]

    def problem(self, field_name: str | None, message: str) -> RowProblem:
        return RowProblem(self.row, field_name, message, self.raw)

    def warning(self, field_name: str | None, message: str) -> ImportWarning:
        return ImportWarning(self.row, field_name, message)


@dataclass(frozen=True)
class FieldChange:
    """A stored value of master data an import changes (or would change)."""

    #: "employee" or "customer"
    entity: str
    #: The record's key in the file: employee number, customer code.
    key: str
    field: str
    old: str | None
    new: str | None
    row: int

    def text(self) -> str:
        return f"row {self.row}: {self.key} {self.field}: {self.old!r} -> {self.new!r}"


@dataclass(frozen=True)
class ConfirmationNeeded:
    """Why an import stopped to ask: it would change ``changed`` of the ``existing`` stored
    names of ``entity`` records, more than a tenth."""

    entity: str
    changed: int
    existing: int

    def text(self) -> str:
        return (
            f"this file would change the names of {self.changed} of the {self.existing} "
            f"stored {self.entity} records (more than a tenth)"
        )


@dataclass(frozen=True)
class ImportReport:
    batch_id: int | None
    kind: str
    file: str
    sha256: str
    rows_read: int
    accepted: int
    rejected: int
    duplicates: int
    #: The same file (by SHA-256) was imported as this kind before: nothing was written.
    already_imported: bool = False
    problems: list[RowProblem] = dc_field(default_factory=list)
    #: Master data (names, departments...) the import changed, or would change.
    changes: list[FieldChange] = dc_field(default_factory=list)
    #: Set when nothing was written because the changes need the user's confirmation
    #: (import again with ``ImportOptions(confirm_changes=True)``).
    confirmation: ConfirmationNeeded | None = None
    #: What was kept but needs attention (see :class:`ImportWarning`).
    warnings: list[ImportWarning] = dc_field(default_factory=list)
    #: The day a customer list was read as of (customers only).
    as_of: date | None = None
    #: How the kept records were read, by what: ``identity.<way>`` (how each record's person
    #: was found), ``link.<method>`` (how check-ins found their customer), ``position.<source>``
    #: and ``missed_punches``. Keys with a zero count are left out.
    counts: dict[str, int] = dc_field(default_factory=dict)

    @property
    def needs_confirmation(self) -> bool:
        return self.confirmation is not None

    def to_json_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["problems"] = [
            {"row": p.row, "field": p.field, "message": p.message} for p in self.problems
        ]
        data["needs_confirmation"] = self.needs_confirmation
        data["as_of"] = self.as_of.isoformat() if self.as_of else None
        return data


@dataclass(frozen=True)
class BatchRow:
    id: int
    kind: str
    file_name: str
    sha256: str | None
    started_at: datetime
    status: str
    rows_total: int
    accepted: int
    rejected: int
    duplicates: int
    imported_by: str | None
