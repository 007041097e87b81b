"""What a demo source file is, and how it is imported: the entries of ``manifest.json``.

Each file the demo writes is one import a user could run with ``workstation import`` (the
manifest gives the command) or the GUI's import wizard; the demo runs the same imports through
``ImportService`` in the manifest's order.

Two kinds of entries are not plain company files, and the manifest says so:

* a file whose import kind does not exist yet is written in its real layout but not imported
  (``waits_for`` names the missing capability);
* a *stand-in* gives today's importers, in a form they accept, what the real files carry but
  they cannot read yet (``stand_in_for`` names the capability; remove the stand-in with it).
  Columns added to a real file for the same reason are listed in ``stand_in_columns``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from workstation.domain.enums import CoordSystem
from workstation.ingest.model import ImportOptions

#: Capabilities of issue 11 that the demo's real files need and today's importers lack.
OWNERSHIP_OVER_TIME = (
    "issue 11 §2: a customer list as of a date (--as-of) whose owners hold their customers "
    "from 分配日期 (owner_since) or an open start, and the `ownership` import kind"
)
CHECKINS_FIND_CUSTOMER = (
    "issue 11 §3: a field check-in linked to the customer its remark, note or location title "
    "names (DingTalk 打卡备注, WeCom notes / location_title), a DingTalk punch placed by the "
    "employee's track"
)
WECOM_ACCOUNT_IS_EMPLOYEE_NO = (
    "issue 11 §4: a WeCom userid that is the employee number when the roster has no WeCom "
    "account column"
)
VISIT_PLANS = (
    "an import kind for the CRM's visit plans (sales tasks): issue 11 §3 links a field check-in "
    "to the visit planned at its time"
)
WECOM_MISSED_PUNCHES = (
    "issue 11 §4 (as DingTalk's 缺卡): a WeCom 未打卡 record kept as a missed punch; today it "
    "is read as a punch without a position at its due time"
)
DINGTALK_SHORT_TIMES = (
    "issue 11 §4: DingTalk 原始记录 打卡时间 as YY-MM-DD HH:MM (and 考勤日期 as "
    "YY-MM-DD 星期X), 缺卡 rows kept as missed punches"
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
    #: (field, capability): fields left unread although the file has their column
    #: (``--map FIELD=``) because today's importer would misread them without that capability.
    unread_fields: tuple[tuple[str, str], ...] = ()
    #: A stand-in: the capability whose absence it covers.
    stand_in_for: str | None = None
    #: (column, capability): columns of a real file that are there only as stand-ins.
    stand_in_columns: tuple[tuple[str, str], ...] = ()
    #: Written but not imported: the capability it waits for.
    waits_for: str | None = None
    #: Capabilities the file needs to be read in full: until they land its import takes what
    #: it can (rows refused, or what they say covered by a stand-in).
    needs: tuple[str, ...] = ()

    @property
    def imported(self) -> bool:
        return self.waits_for is None

    def options(self) -> ImportOptions:
        return ImportOptions(
            crs=self.crs,
            source=self.source,
            employee_no=self.employee_no,
            columns=tuple((name, "") for name, _ in self.unread_fields),
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
        parts += [f"--map {name}=" for name, _ in self.unread_fields]
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
        if self.stand_in_for:
            entry["stand_in_for"] = self.stand_in_for
        if self.stand_in_columns:
            entry["stand_in_columns"] = dict(self.stand_in_columns)
        if self.unread_fields:
            entry["unread_fields"] = dict(self.unread_fields)
        if self.waits_for:
            entry["waits_for"] = self.waits_for
        if self.needs:
            entry["needs"] = list(self.needs)
        return entry


def _quoted(name: str) -> str:
    return f"'{name}'" if any(ch in name for ch in " ()") else name
