"""Everyone's working days: plans of stays and moves, check-ins, and sales tasks.

Normal salespeople: home → office (on-duty punch) → two to four customer visits with a field
check-in at each → office (off-duty punch) → home. The planted scenarios bend this: the
diverter sits at the rival's sites, the faker punches "at customers" from home, the commuter
drives past a competitor every morning without stopping.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date, timedelta

import numpy as np

from workstation.demo.clock import hm, local_dt, working_days
from workstation.demo.days import DayBuilder, DayPlan
from workstation.demo.geom import distance_m, distances_m, offset
from workstation.demo.layout import SITE_CLEARANCE_M, in_water
from workstation.demo.names import TASK_PURPOSES
from workstation.demo.routes import LatLon, commute
from workstation.demo.sales import OwnerIndex
from workstation.demo.scenarios import FAKE_MAX_M, FAKE_MIN_M, Cast
from workstation.demo.world import (
    CheckinRec,
    CustomerRec,
    MissedPunchRec,
    PersonRec,
    TaskRec,
    World,
)
from workstation.domain.enums import CheckinKind, TaskStatus

RngFor = Callable[[str, int], np.random.Generator]


#: How far beyond the fence of the competitor in the office tower its neighbours lunch.
TOWER_LUNCH_MARGIN_M = 60.0


class Life:
    """Plans the days of every salesperson, adding check-ins and tasks to the world."""

    def __init__(self, world: World, cast: Cast, rng_for: RngFor) -> None:
        self.world = world
        self.cast = cast
        self.rng_for = rng_for
        self.index = OwnerIndex(world)
        self.days = working_days(world.first_day, world.end_date)
        # Lunch is never taken near a competitor; near the one in the office tower, but never
        # inside its fence (its staff lunch round the corner, not in the rival's lobby).
        self.site_lats = np.array([s.lat for s in world.sites])
        self.site_lons = np.array([s.lon for s in world.sites])
        self.site_clearance_m = np.array(
            [
                s.radius_m + TOWER_LUNCH_MARGIN_M if s is cast.tower_site else SITE_CLEARANCE_M
                for s in world.sites
            ]
        )

    # -- whole company -------------------------------------------------------------------
    def plan_person(self, person: PersonRec) -> list[DayPlan]:
        rng = self.rng_for("days", person.id)
        early = [d for d in self.days if d < self.world.window_start]
        special = (
            early[int(rng.integers(0, len(early)))] if person in self.cast.occasional else None
        )
        plans = []
        for day in self.days:
            plan = self._day(person, day, rng, rival_stop=day == special)
            if plan is not None:
                plans.append(plan)
        return plans

    def duty_only(self, person: PersonRec) -> None:
        """Managers: on-duty and off-duty punches at the office, no field work, no track."""
        rng = self.rng_for("duty", person.id)
        office = (person.office.lat, person.office.lon)
        for day in self.days:
            if rng.random() < 0.03:  # forgot both punches: the app records them as missed
                for due, kind in ((hm(9), CheckinKind.ON_DUTY), (hm(17, 30), CheckinKind.OFF_DUTY)):
                    due_at = local_dt(day, due, self.world.zone)
                    missed = MissedPunchRec(person, due_at, kind.value)
                    self.world.missed_punches.append(missed)
                continue
            self._duty(person, day, hm(8, 35) + float(rng.uniform(0, 2400)), office, True, rng)
            self._duty(person, day, hm(17, 40) + float(rng.uniform(0, 4800)), office, False, rng)

    def future_tasks(self) -> None:
        """Visits already planned for the next working days (status planned)."""
        later = working_days(
            self.world.end_date + timedelta(days=1), self.world.end_date + timedelta(days=7)
        )
        for person in self.world.salespeople:
            rng = self.rng_for("future", person.id)
            held = [o.customer for o in self.index.held(person, self.world.end_date)]
            for day in later[:3]:
                for k in rng.choice(
                    len(held), size=min(len(held), int(rng.integers(1, 4))), replace=False
                ):
                    self._task(person, held[int(k)], day, TaskStatus.PLANNED.value, rng)

    # -- one day ---------------------------------------------------------------------------
    def _day(
        self, person: PersonRec, day: date, rng: np.random.Generator, *, rival_stop: bool
    ) -> DayPlan | None:
        if rng.random() < 0.02:
            return None  # a day off
        cast, in_window = self.cast, day >= self.world.window_start
        b = DayBuilder(person, day, rng, smooth=person is cast.commuter)
        desk = b.near(person.office.lat, person.office.lon, 0, 20)
        b.stay_for(float(rng.uniform(300, 1800)))
        arrive = b.go(desk, path=[*commute(person)[:-1], desk])
        self._duty(person, day, arrive + float(rng.uniform(60, 240)), b.pos, True, rng)
        held = [o.customer for o in self.index.held(person, day)]
        roll = rng.random()
        if person is cast.fake and in_window and roll < 0.5 and self._fake_day(b, held):
            pass
        elif roll > 0.78 or not held:
            self._office_day(b)
        else:
            tokens = ["customer"] * int(rng.choice([2, 3, 3, 4]))
            if person is cast.diverter and in_window:
                tokens = [
                    ["customer", "rival", "customer", "rival"],  # lunch with them
                    ["customer", "customer", "rival"],
                    ["customer", "customer"],
                ][int(rng.choice(3, p=[0.6, 0.3, 0.1]))]
            elif rival_stop:
                tokens.insert(1, "rival")
            self._field_day(b, held, tokens, desk)
        b.maybe_gap()
        return b.finish()

    def _field_day(
        self, b: DayBuilder, held: list[CustomerRec], tokens: list[str], desk: LatLon
    ) -> None:
        rng, person, day = b.rng, b.person, b.plan.day
        b.stay_until(
            max(b.t + float(rng.uniform(1200, 2700)), hm(9, 15) + float(rng.uniform(0, 2400)))
        )
        lunch_done = tokens.count("rival") >= 2  # he eats with them
        visited: list[CustomerRec] = []
        for token in tokens:
            if b.t > hm(16, 15):
                break
            if not lunch_done and b.t >= hm(11, 40):
                self._lunch(b)
                lunch_done = True
            if token == "rival":
                self._rival_visit(b)
                continue
            cust = self._next_customer(held, visited, b.pos, rng)
            if cust is None:
                continue
            visited.append(cust)
            arrive = b.go(b.near(cust.lat, cust.lon, 10, 90))
            b.stay_for(60 * float(np.clip(20 + rng.gamma(2.0, 14.0), 20, 90)))
            self._log(person, day, "customer")
            task = self._task(person, cust, day, TaskStatus.DONE.value, rng)
            self._field_checkin(b, arrive + float(rng.uniform(120, 600)), cust, task)
        if rng.random() < 0.1 and len(held) > len(visited):
            rest = [c for c in held if c not in visited]
            self._task(
                person, rest[int(rng.integers(0, len(rest)))], day, TaskStatus.MISSED.value, rng
            )
        if rng.random() < 0.7 or b.t < hm(16):
            b.go(desk)
            self._leave_office(b)
        else:
            b.stay_until(max(b.t + 600, hm(17, 30) + float(rng.uniform(0, 1200))))
            where = f"{visited[-1].address}附近" if visited else person.office.address
            self._duty(
                person, day, b.t - float(rng.uniform(30, 300)), b.pos, False, rng, field=where
            )
            b.go((person.home_lat, person.home_lon))

    def _office_day(self, b: DayBuilder) -> None:
        desk = b.pos
        b.stay_until(hm(11, 45) + float(b.rng.uniform(0, 900)))
        self._lunch(b, back_to=desk)
        self._leave_office(b)

    def _fake_day(self, b: DayBuilder, held: list[CustomerRec]) -> bool:
        """Punch field check-ins "at customers" while sitting at home."""
        person, rng, day = b.person, b.rng, b.plan.day
        home = (person.home_lat, person.home_lon)
        far = [c for c in held if FAKE_MIN_M < distance_m(c.lat, c.lon, *home) < FAKE_MAX_M]
        if len(far) < 2:
            return False
        b.stay_until(hm(9, 20) + float(rng.uniform(0, 1800)))
        b.go(home, path=[b.pos, *list(reversed(commute(person)))[1:]])
        t = b.t + float(rng.uniform(900, 1800))
        for k in rng.choice(len(far), size=min(len(far), int(rng.integers(2, 4))), replace=False):
            task = self._task(person, far[int(k)], day, TaskStatus.DONE.value, rng)
            spot = b.near(home[0], home[1], 5, 30)
            self._checkin(
                person,
                day,
                t,
                CheckinKind.FIELD.value,
                spot,
                float(rng.uniform(15, 40)),
                rng,
                address=person.home_address,
                customer=far[int(k)],
                task=task,
                note=f"拜访客户：{far[int(k)].name}",
                result="外勤",
            )
            t += float(rng.uniform(4200, 6600))
        b.stay_until(max(t, hm(16, 40) + float(rng.uniform(0, 1200))))
        desk = b.near(person.office.lat, person.office.lon, 0, 20)
        b.go(desk, path=[*commute(person)[:-1], desk])
        self._leave_office(b)
        return True

    # -- pieces -----------------------------------------------------------------------------
    def _leave_office(self, b: DayBuilder) -> None:
        rng, person = b.rng, b.person
        b.stay_until(max(b.t + 600, hm(17, 30) + float(rng.uniform(0, 2400))))
        self._duty(person, b.plan.day, b.t - float(rng.uniform(30, 240)), b.pos, False, rng)
        b.go((person.home_lat, person.home_lon), path=[b.pos, *list(reversed(commute(person)))[1:]])

    def _lunch(self, b: DayBuilder, back_to: LatLon | None = None) -> None:
        for _ in range(30):
            spot = b.near(b.pos[0], b.pos[1], 150, 600)
            if in_water(*spot):
                continue
            d = distances_m(spot[0], spot[1], self.site_lats, self.site_lons)
            if not (d < self.site_clearance_m).any():
                break
        b.go(spot)
        b.stay_for(float(b.rng.uniform(1800, 3000)))
        self._log(b.person, b.plan.day, "lunch")
        if back_to is not None:
            b.go(back_to)

    def _rival_visit(self, b: DayBuilder) -> None:
        person = b.person
        rival = self.cast.rival if person is self.cast.diverter else None
        sites = [
            s
            for s in self.world.sites
            if s.city is person.city
            and (rival is None or s.competitor is rival)
            and s is not self.cast.tower_site
            and s is not self.cast.commute_site
        ]
        sites.sort(key=lambda s: distance_m(s.lat, s.lon, *b.pos))
        site = sites[int(b.rng.integers(0, min(2, len(sites))))]
        b.go(b.near(site.lat, site.lon, 10, 60))
        b.stay_for(float(b.rng.uniform(25 * 60, 75 * 60)))
        self._log(person, b.plan.day, "rival")

    @staticmethod
    def _next_customer(
        held: list[CustomerRec], visited: list[CustomerRec], pos: LatLon, rng: np.random.Generator
    ) -> CustomerRec | None:
        left = [c for c in held if c not in visited]
        if not left:
            return None
        if not visited:
            return left[int(rng.integers(0, len(left)))]
        left.sort(key=lambda c: distance_m(c.lat, c.lon, *pos))
        return left[int(rng.integers(0, min(5, len(left))))]

    def _log(self, person: PersonRec, day: date, kind: str) -> None:
        self.cast.stops.setdefault(person.id, []).append((day, kind))

    def _task(
        self, person: PersonRec, cust: CustomerRec, day: date, status: str, rng: np.random.Generator
    ) -> TaskRec:
        task = TaskRec(
            person, cust, day, TASK_PURPOSES[int(rng.integers(0, len(TASK_PURPOSES)))], status
        )
        self.world.tasks.append(task)
        return task

    def _field_checkin(self, b: DayBuilder, t: float, cust: CustomerRec, task: TaskRec) -> None:
        rng = b.rng
        spot, acc = b.pos, float(rng.uniform(5, 25))
        if rng.random() < 0.015:  # a poor fix indoors: the rare honest accident
            spot, acc = b.near(spot[0], spot[1], 200, 700), float(rng.uniform(80, 300))
        photo = (
            f"IMG_{b.plan.day:%Y%m%d}_{int(rng.integers(100000, 999999))}.jpg"
            if rng.random() < 0.6
            else None
        )
        self._checkin(
            b.person,
            b.plan.day,
            t,
            CheckinKind.FIELD.value,
            spot,
            acc,
            rng,
            address=cust.address,
            customer=cust,
            task=task,
            note=visit_note(cust, task),
            result="外勤",
            photo=photo,
        )

    def _duty(
        self,
        person: PersonRec,
        day: date,
        t: float,
        pos: LatLon,
        on: bool,
        rng: np.random.Generator,
        *,
        field: str | None = None,
    ) -> None:
        """An on-duty or off-duty punch; ``field``: made outside the office, at that address."""
        if on:
            kind, result = CheckinKind.ON_DUTY.value, "正常" if t <= hm(9) else "迟到"
        else:
            kind, result = CheckinKind.OFF_DUTY.value, "正常" if t >= hm(17, 30) else "早退"
        address = person.office.address
        if field:
            result, address = "外勤", field
        self._checkin(
            person,
            day,
            t,
            kind,
            pos,
            float(rng.uniform(10, 40)),
            rng,
            address=address,
            result=result,
        )

    def _checkin(
        self,
        person: PersonRec,
        day: date,
        t: float,
        kind: str,
        pos: LatLon,
        acc: float,
        rng: np.random.Generator,
        *,
        address: str,
        customer: CustomerRec | None = None,
        task: TaskRec | None = None,
        note: str | None = None,
        result: str | None = None,
        photo: str | None = None,
    ) -> None:
        east, north = rng.normal(0.0, acc * 0.4, 2)
        lat, lon = offset(pos[0], pos[1], float(east), float(north))
        lat, lon = round(lat, 6), round(lon, 6)
        if person.city.attendance_app == "dingtalk":
            t = 60.0 * math.floor(t / 60.0)  # DingTalk keeps punch times to the minute
        rec = CheckinRec(
            person,
            local_dt(day, t, self.world.zone),
            kind,
            lat,
            lon,
            round(acc, 1),
            address,
            customer=customer,
            task=task,
            note=note,
            photo_ref=photo,
            source_result=result,
        )
        self.world.checkins.append(rec)


def short_name(customer: CustomerRec) -> str:
    """The customer as a salesperson writes it in a remark: without 有限公司 / 股份有限公司."""
    return customer.name.removesuffix("有限公司").removesuffix("股份")


def visit_note(customer: CustomerRec, task: TaskRec) -> str | None:
    """What a salesperson types as the remark of a field check-in: mostly the customer's name
    (in full or short) and the purpose, now and then nothing (chosen without a random draw,
    so the rest of the day stays as generated)."""
    pick = (customer.id + task.day.toordinal()) % 4
    if pick == 0:
        return None
    if pick == 1:
        return f"拜访客户：{customer.name}"
    if pick == 2:
        return f"拜访{short_name(customer)}，{task.purpose}"
    return f"{short_name(customer)} {task.purpose}"
