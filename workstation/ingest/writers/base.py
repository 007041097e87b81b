"""What every kind's writer receives and returns, and lookups of existing records by key."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from pathlib import Path

import numpy as np
from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from workstation.domain.enums import CoordSystem
from workstation.domain.progress import CancelToken, ProgressCallback
from workstation.geo.coords import convert_np
from workstation.ingest.model import (
    FieldChange,
    ImportOptions,
    ImportWarning,
    ParsedRow,
    RowProblem,
)
from workstation.ingest.profiles import HeaderMapping
from workstation.ingest.table import RawTable
from workstation.store.evidence import EvidenceStore
from workstation.store.models import Competitor, Customer, Employee


def _pairs(session: Session, query: Select[str, int]) -> dict[str, int]:
    return {key: value for key, value in session.execute(query)}


@dataclass
class WriteContext:
    session: Session
    batch_id: int
    options: ImportOptions
    actor: str
    #: The day an import takes effect where the file gives none (e.g. a new customer owner).
    today: date
    #: When the import runs (times later than this and a day are implausible).
    now: datetime
    #: The company's zone: the day a check-in, a stop or an ownership falls on is its day.
    company_zone: tzinfo
    #: Where attachments (photos, recordings) named by rows are stored, and looked for.
    evidence: EvidenceStore | None = None
    attachments_dir: Path | None = None
    #: Attachment references that named no file in ``attachments_dir``.
    missing_attachments: int = 0
    _employees: dict[str, int] | None = None
    _customers: dict[str, int] | None = None
    _competitors: dict[str, int] | None = None

    def employee_id(self, employee_no: str) -> int | None:
        if self._employees is None:
            self._employees = _pairs(self.session, select(Employee.employee_no, Employee.id))
        return self._employees.get(employee_no)

    def remember_employee(self, employee_no: str, employee_id: int) -> None:
        self.employee_id(employee_no)
        assert self._employees is not None
        self._employees[employee_no] = employee_id

    def customer_id(self, code: str) -> int | None:
        if self._customers is None:
            self._customers = _pairs(self.session, select(Customer.code, Customer.id))
        return self._customers.get(code)

    def remember_customer(self, code: str, customer_id: int) -> None:
        self.customer_id(code)
        assert self._customers is not None
        self._customers[code] = customer_id

    def competitor_id(self, name: str) -> int | None:
        if self._competitors is None:
            self._competitors = _pairs(self.session, select(Competitor.name, Competitor.id))
        return self._competitors.get(name)

    def remember_competitor(self, name: str, competitor_id: int) -> None:
        self.competitor_id(name)
        assert self._competitors is not None
        self._competitors[name] = competitor_id

    def attach(self, refs: object) -> int | None:
        """Store the first file that ``refs`` (names separated by ``;`` or ``,``) points to as
        evidence and return its id. Only files inside ``attachments_dir`` are taken; other
        references (e.g. WeCom media ids) stay text on the record."""
        if not refs or self.evidence is None or self.attachments_dir is None:
            return None
        root = self.attachments_dir.resolve()
        found: int | None = None
        for ref in str(refs).replace(",", ";").split(";"):
            name = ref.strip()
            if not name:
                continue
            candidate = (root / name).resolve()
            if candidate.is_relative_to(root) and candidate.is_file():
                stored = self.evidence.add_file(self.session, candidate, self.actor)
                found = found if found is not None else stored.id
            else:
                self.missing_attachments += 1
        return found

    def position(self, lat: float | None, lon: float | None) -> dict[str, object]:
        """Position columns (WGS-84 + original value and system) for a file's lat/lon."""
        return self.positions([(lat, lon)])[0]

    def positions(
        self, pairs: Sequence[tuple[float | None, float | None]]
    ) -> list[dict[str, object]]:
        """:meth:`position` of many rows, the whole column converted at once (a file of
        20,000 customers in GCJ-02 takes milliseconds, not the minute row by row did)."""
        crs = self.options.crs
        given = [i for i, (lat, lon) in enumerate(pairs) if lat is not None and lon is not None]
        wgs: dict[int, tuple[float, float]] = {}
        if given:
            lats = np.array([pairs[i][0] for i in given], dtype=np.float64)
            lons = np.array([pairs[i][1] for i in given], dtype=np.float64)
            if crs is not CoordSystem.WGS84:
                lats, lons = convert_np(lats, lons, crs.value, CoordSystem.WGS84.value)
            wgs = {
                i: (la, lo) for i, la, lo in zip(given, lats.tolist(), lons.tolist(), strict=True)
            }
        out: list[dict[str, object]] = []
        for i, (lat, lon) in enumerate(pairs):
            wlat, wlon = wgs.get(i, (None, None))
            out.append(
                {
                    "lat": wlat,
                    "lon": wlon,
                    "coord_system": crs.value,
                    "orig_lat": lat,
                    "orig_lon": lon,
                }
            )
        return out


@dataclass
class WriteOutcome:
    accepted: int = 0
    duplicates: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    #: Rows read from the file (set by bulk writers, which see the raw chunks).
    rows_read: int = 0
    #: Master data values changed on stored records (kept as history too).
    changes: list[FieldChange] = field(default_factory=list)
    #: What was kept but needs the user's attention.
    warnings: list[ImportWarning] = field(default_factory=list)
    #: The day a customer list was read as of.
    as_of: date | None = None
    #: How the kept records were read, by what (``group.way``: e.g. ``identity.employee_no``,
    #: ``link.remark``, ``position.address``, ``missed_punches``): shown with the report.
    counts: dict[str, int] = field(default_factory=dict)

    def count(self, key: str, n: int = 1) -> None:
        self.counts[key] = self.counts.get(key, 0) + n


Writer = Callable[[WriteContext, list[ParsedRow]], WriteOutcome]


@dataclass(frozen=True)
class BulkInput:
    """What a bulk writer (big kinds such as tracks) gets instead of parsed rows."""

    chunks: Iterator[RawTable]
    mapping: HeaderMapping
    zone: tzinfo
    progress: ProgressCallback
    cancel: CancelToken | None
    #: About how many rows the file holds (0: unknown), for a progress bar with an end.
    expected_rows: int = 0


BulkWriter = Callable[[WriteContext, BulkInput], WriteOutcome]


def check_range(row: ParsedRow, name: str, low: float, high: float) -> RowProblem | None:
    value = row.values.get(name)
    if value is not None and not low <= value <= high:
        return row.problem(name, f"{value} is outside {low}..{high}")
    return None


#: Why a position of exactly (0, 0) is refused: devices without a fix write it.
NULL_ISLAND = "position (0, 0) is not a real place (a device without a fix writes it)"


def check_position(row: ParsedRow) -> RowProblem | None:
    lat, lon = row.values.get("lat"), row.values.get("lon")
    if (lat is None) != (lon is None):
        return row.problem("lat" if lat is None else "lon", "latitude and longitude go together")
    if lat == 0 and lon == 0:
        return row.problem("lat", NULL_ISLAND)
    return check_range(row, "lat", -90, 90) or check_range(row, "lon", -180, 180)
