"""What a demo source file is, and how it is imported: the entries of ``manifest.json``.

Each file the demo writes is one import a user could run with ``workstation import`` (the
manifest gives the command) or the GUI's import wizard; the demo runs the same imports through
``ImportService`` in the manifest's order.

A file whose import kind does not exist yet is written in its real layout but not imported
(``waits_for`` names the missing capability). A customer list is imported as of the day it
shows (``as_of``: ``--as-of`` on the command line).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from workstation.domain.enums import CoordSystem
from workstation.ingest.model import ImportOptions

#: What the demo's visit plans wait for.
VISIT_PLANS = (
    "an import kind for the CRM's visit plans (sales tasks): issue 11 §3 links a field check-in "
    "to the visit planned at its time"
)


@dataclass(frozen=True)
class SourceFile:
    """One file in ``demo-files/`` and the import that takes it."""

    #: Path inside the demo files folder (``/`` separated).
    name: str
    #: The import kind (``ImportService.kinds()``), e.g. ``customers``.
    kind: str
    #: Records the file holds (rows, JSON records, GPX points).
    records: int
    #: What the file is, in a few words.
    what: str
    crs: CoordSystem = CoordSystem.WGS84
    source: str = "auto"
    employee_no: str | None = None
    #: The day a customer list shows (its owners and statuses are as of that day).
    as_of: date | None = None
    #: Written but not imported: the capability it waits for.
    waits_for: str | None = None

    @property
    def imported(self) -> bool:
        return self.waits_for is None

    def options(self) -> ImportOptions:
        return ImportOptions(
            crs=self.crs,
            source=self.source,
            employee_no=self.employee_no,
            as_of=self.as_of,
        )

    def command(self) -> str:
        """The ``workstation import`` command that imports this file from the demo folder."""
        parts = ["workstation", "import", _quoted(self.name), "--kind", self.kind.replace("_", "-")]
        if self.crs is not CoordSystem.WGS84:
            parts += ["--crs", self.crs.value.lower()]
        if self.source != "auto":
            parts += ["--source", self.source]
        if self.employee_no:
            parts += ["--employee", self.employee_no]
        if self.as_of:
            parts += ["--as-of", self.as_of.isoformat()]
        return " ".join(parts)

    def to_json_dict(self) -> dict[str, Any]:
        entry: dict[str, Any] = {
            "file": self.name,
            "kind": self.kind,
            "records": self.records,
            "what": self.what,
            "imported": self.imported,
        }
        if self.imported:
            entry["command"] = self.command()
        if self.as_of:
            entry["as_of"] = self.as_of.isoformat()
        if self.waits_for:
            entry["waits_for"] = self.waits_for
        return entry


def _quoted(name: str) -> str:
    return f"'{name}'" if any(ch in name for ch in " ()") else name
