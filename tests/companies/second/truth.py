"""Ground truth of the generated company, and the answer key derived from it.

The indicators are recomputed here from what really happened (ownership periods, events,
orders, where people stopped, what their punches claimed), by the definitions the README and
``workstation/risk/indicators.py`` document, and judged by the default policy's thresholds
(README: churn ≥ 20 %, competitor overlap ≥ 30 %, order transfer ≥ 15 %, fake field work
≥ 20 % at medium with a low tier below and a high tier above; churn ≥ 20 % together with
overlap ≥ 30 % is high). Nothing here reads the store or imports ``workstation``.

Definitions (window = the 30 days ending on the day, both included; a rate whose denominator
is under 5 is *insufficient* and never alerts):

* churn: distinct customers lost or transferred to a competitor in the window by the owner
  they were taken from ÷ customers the employee held on the window's first day;
* competitor overlap: field stops at a competitor site ÷ field stops. A stop is a dwell of the
  track (or, on a day without a track, a field punch with a position); a field stop is not at
  an office and overlaps 09:00-18:00 by at least min(its length, 10 min); it is at a
  competitor when within the site's radius (200 m) and not within an office's;
* order transfer: orders in the window (as exported) with status transferred ÷ all of them;
* fake field work: field punches claiming a customer with coordinates, and with a position,
  outside that customer's fence ÷ all of them. A DingTalk punch (no coordinates in the file)
  is where the track puts it, else at the place its address names.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from companies.second.book import LOST, TRANSFERRED, Book
from companies.second.cast import OFFICES, Person, Site
from companies.second.field import COMPETITOR, FIELD, Day, Punch
from companies.second.geo import LatLon, distance_m
from companies.second.workdays import CST, EVAL_DAYS, START, WINDOW_DAYS, days_between

MIN_DENOMINATOR = 5
SITE_RADIUS_M = 200.0
WORK_START_MIN, WORK_END_MIN, STOP_MIN_MINUTES = 9 * 60, 18 * 60, 10.0
#: The default policy: rule → (indicator, low, medium, high).
RULES: dict[str, tuple[str, float, float, float]] = {
    "churn": ("customer_churn_rate", 0.10, 0.20, 0.35),
    "competitor_overlap": ("competitor_overlap_rate", 0.20, 0.30, 0.50),
    "order_transfer": ("order_transfer_ratio", 0.10, 0.15, 0.30),
    "fake_fieldwork": ("fake_fieldwork_rate", 0.10, 0.20, 0.40),
}
COMBINATION = ("churn_with_overlap", "customer_churn_rate", 0.20, "competitor_overlap_rate", 0.30)
LEVELS = ("low", "medium", "high")
INDICATORS = tuple(r[0] for r in RULES.values())


@dataclass(frozen=True)
class Rate:
    numerator: int
    denominator: int

    @property
    def value(self) -> float | None:
        if self.denominator < MIN_DENOMINATOR:
            return None
        return self.numerator / self.denominator


@dataclass(frozen=True)
class Stop:
    start: datetime
    end: datetime
    pos: LatLon
    at_competitor: bool


class Truth:
    """Per employee and evaluated day, every indicator as it truly was."""

    def __init__(
        self, people: list[Person], sites: list[Site], book: Book, days: list[Day]
    ) -> None:
        self.people = {p.no: p for p in people}
        self.sites = sites
        self.book = book
        self.sales = [p.no for p in people if p.role == "sales"]
        self._days: dict[str, list[Day]] = defaultdict(list)
        for d in days:
            self._days[d.person].append(d)
        self.rates: dict[tuple[str, date, str], Rate] = {}
        for no in self.sales:
            self._compute(no)

    # --- per indicator ---------------------------------------------------------------------

    def churn(self, no: str, day: date) -> Rate:
        first = day - timedelta(days=WINDOW_DAYS - 1)
        lost = {
            e.customer
            for e in self.book.events
            if e.kind in (LOST, TRANSFERRED) and e.old_owner == no and first <= e.day <= day
        }
        held = {h.customer for h in self.book.holdings if h.owner == no and h.holds(first)}
        return Rate(len(lost), len(held))

    def _compute(self, no: str) -> None:
        tracked = self.people[no].tracker is not None
        #: per day: (field stop at a competitor?) for each field stop; outside? per claim
        stops_by_day: dict[date, list[bool]] = {}
        claims_by_day: dict[date, list[bool]] = {}
        for d in self._days[no]:
            stops_by_day[d.day] = [s.at_competitor for s in self._stops(d, tracked) if _is_field(s)]
            claims_by_day[d.day] = [
                outside for p in d.punches if (outside := self._outside(p, tracked)) is not None
            ]
        orders_by_day: dict[date, list[bool]] = defaultdict(list)
        for o in self.book.orders:
            if o.owner == no and o.day >= START:
                orders_by_day[o.day].append(o.status == "transferred")
        for day in EVAL_DAYS:
            window = days_between(day - timedelta(days=WINDOW_DAYS - 1), day)
            field = [s for w in window for s in stops_by_day.get(w, [])]
            claims = [c for w in window for c in claims_by_day.get(w, [])]
            orders = [o for w in window for o in orders_by_day.get(w, [])]
            self.rates[(no, day, "customer_churn_rate")] = self.churn(no, day)
            self.rates[(no, day, "competitor_overlap_rate")] = Rate(sum(field), len(field))
            self.rates[(no, day, "order_transfer_ratio")] = Rate(sum(orders), len(orders))
            self.rates[(no, day, "fake_fieldwork_rate")] = Rate(sum(claims), len(claims))

    def _stops(self, d: Day, tracked: bool) -> list[Stop]:
        if tracked:
            return [
                Stop(w.start, w.end, w.pos, self._at_competitor(w.pos, w.kind)) for w in d.dwells
            ]
        stops = []
        for p in d.punches:
            pos = self._punch_position(p, tracked)
            if p.kind == FIELD and p.at is not None and pos is not None:
                stops.append(Stop(p.at, p.at, pos, self._at_competitor(pos, "")))
        return stops

    def _at_competitor(self, pos: LatLon, kind: str) -> bool:
        if any(distance_m(pos, o.pos) <= o.radius_m for o in OFFICES):
            return False
        near = any(distance_m(pos, s.pos) <= (s.radius_m or SITE_RADIUS_M) for s in self.sites)
        if kind not in ("", "home", "office"):  # the plan and the geometry agree
            assert near == (kind == COMPETITOR), (pos, kind)
        return near

    def _punch_position(self, p: Punch, tracked: bool) -> LatLon | None:
        """Where the store can place a punch: its own position (WeCom), else the track (the
        phone's true position), else the customer its address names."""
        app = self.people[p.person].city
        if app == "重庆" or tracked:
            return p.pos
        if p.customer is None:
            return None
        c = self.book.customers[p.customer]
        return c.pos if c.has_coords else None

    def _outside(self, p: Punch, tracked: bool) -> bool | None:
        """For a field punch claiming a customer with a fence: outside it? (None: not checked)"""
        if p.kind != FIELD or p.customer is None:
            return None
        c = self.book.customers[p.customer]
        pos = self._punch_position(p, tracked)
        if not c.has_coords or pos is None:
            return None
        return distance_m(pos, c.pos) > c.radius_m

    # --- judging ---------------------------------------------------------------------------

    def levels(self, no: str, day: date) -> dict[str, str]:
        """The rules that fire for ``no`` on ``day``, with their level."""
        fired: dict[str, str] = {}
        for rule, (indicator, *thresholds) in RULES.items():
            value = self.rates[(no, day, indicator)].value
            if value is None:
                continue
            hit = [lvl for lvl, t in zip(LEVELS, thresholds, strict=True) if value >= t]
            if hit:
                fired[rule] = hit[-1]
        name, first, t1, second, t2 = COMBINATION
        v1, v2 = self.rates[(no, day, first)].value, self.rates[(no, day, second)].value
        if v1 is not None and v2 is not None and v1 >= t1 and v2 >= t2:
            fired[name] = "high"
        return fired

    def expected_alerts(self) -> list[dict[str, object]]:
        """One alert per employee with any rule firing on an evaluated day: every rule that
        fired, at the highest level it reached; severity the highest of them."""
        alerts = []
        for no in self.sales:
            rules: dict[str, str] = {}
            for day in EVAL_DAYS:
                for rule, level in self.levels(no, day).items():
                    if rule not in rules or LEVELS.index(level) > LEVELS.index(rules[rule]):
                        rules[rule] = level
            if rules:
                severity = max(rules.values(), key=LEVELS.index)
                alerts.append(
                    {
                        "employee_no": no,
                        "name": self.people[no].name,
                        "part": self.people[no].part,
                        "severity": severity,
                        "rules": dict(sorted(rules.items())),
                    }
                )
        return alerts

    def peaks(self, no: str) -> dict[str, dict[str, object]]:
        """Per indicator: the highest sufficient value over the evaluated days, with its day,
        numerator and denominator (or the largest denominator when never sufficient)."""
        out: dict[str, dict[str, object]] = {}
        for indicator in INDICATORS:
            rates = [(day, self.rates[(no, day, indicator)]) for day in EVAL_DAYS]
            ok = [(d, r) for d, r in rates if r.value is not None]
            if ok:
                day, rate = max(ok, key=lambda x: (x[1].value or 0.0, x[0]))
                out[indicator] = {
                    "max": round(rate.value or 0.0, 4),
                    "day": day.isoformat(),
                    "numerator": rate.numerator,
                    "denominator": rate.denominator,
                }
            else:
                out[indicator] = {
                    "max": None,
                    "insufficient": True,
                    "largest_denominator": max(r.denominator for _, r in rates),
                }
        return out


def _is_field(s: Stop) -> bool:
    """Not at an office, and within working hours (see the module doc)."""
    if any(distance_m(s.pos, o.pos) <= o.radius_m for o in OFFICES):
        return False
    local = s.start.astimezone(CST)
    day_start = datetime.combine(local.date(), datetime.min.time(), CST)
    ws = day_start + timedelta(minutes=WORK_START_MIN)
    we = day_start + timedelta(minutes=WORK_END_MIN)
    overlap = (min(s.end, we) - max(s.start, ws)).total_seconds()
    need = min((s.end - s.start).total_seconds(), STOP_MIN_MINUTES * 60)
    return s.start < we and s.end >= ws and overlap >= need
