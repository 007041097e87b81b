"""The second company: generate it, deterministically for a seed, as the files an HR
department holds, with its answer key.

    from companies.second.generate import generate
    company = generate(tmp_path / "files", seed=11)
    for f in company.files: ...   # workstation import f.path --kind f.kind *f.args

Written independently of ``workstation/demo`` (own cities, names, layouts and traps) to try the
importers as a new user would. ``answer_key.json`` holds the expected alerts computed from the
ground truth (``truth.Truth``), ``manifest.json`` the files in import order, and
``truth_churn.csv`` the true churn of every salesperson on every evaluated day.
"""

from __future__ import annotations

import json
import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
from companies.second import files
from companies.second.book import Book, build_book
from companies.second.cast import COMMUTE_SITE, COMPANY, RIVAL, TOWER_SITE, Person, build_cast
from companies.second.chats import build_chats
from companies.second.field import MAKEUP_DAY, Day, FieldPlanner, apply_makeup
from companies.second.names import NamePool
from companies.second.tracks import Fixes, concat, sample_day
from companies.second.truth import COMBINATION, RULES, Truth
from companies.second.workdays import END, EVAL_DAYS, EVAL_START, START

DEFAULT_SEED = 11


@dataclass
class Company:
    folder: Path
    files: list[files.SourceFile]
    people: list[Person]
    book: Book
    days: list[Day]
    truth: Truth
    key: dict[str, Any]

    def by_part(self, part: str) -> Person:
        return next(p for p in self.people if p.part == part)

    def of(self, label: str) -> list[files.SourceFile]:
        return [f for f in self.files if f.label == label]


def generate(folder: Path, seed: int = DEFAULT_SEED) -> Company:
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    pool = NamePool(rng)
    people, sites = build_cast(rng, pool)
    book = build_book(rng, pool, people, sites)
    planner = FieldPlanner(rng, book, sites)
    sales = [p for p in people if p.role == "sales"]
    days = [d for p in sales for d in planner.plan(p)]
    forgetful = next(p for p in sales if p.city == "成都" and p.part == "" and p.tracker is None)
    apply_makeup(days, forgetful.no)
    np_rng = np.random.default_rng(seed)
    fixes: dict[str, list[tuple[date, Fixes]]] = defaultdict(list)
    for d in days:
        person = next(p for p in sales if p.no == d.person)
        if person.tracker:
            every = 120.0 if person.tracker == "gpx" else 60.0
            fixes[d.person].append((d.day, sample_day(d, np_rng, every)))
    chats = build_chats(rng, people, book)
    truth = Truth(people, sites, book, days)

    by_no = {p.no: p for p in people}
    written = [
        files.roster(folder, people),
        files.offices(folder),
        files.competitors(folder, sites),
        files.customers(folder, book, {p.no: p.name for p in people}),
        files.ownership(folder, book),
        files.events(folder, book),
        files.orders(folder, book),
        files.leads(folder, book),
        files.dingtalk(folder, by_no, days),
        files.wecom(folder, by_no, days),
    ]
    for p in sales:
        if p.tracker == "csv":
            written.append(files.track_csv(folder, p, concat([f for _, f in fixes[p.no]])))
        elif p.tracker == "gpx":
            written.append(files.track_gpx(folder, p, fixes[p.no]))
    written.append(files.communications(folder, chats))

    company = Company(folder, written, people, book, days, truth, {})
    company.key = answer_key(company, seed, forgetful)
    (folder / "answer_key.json").write_text(
        json.dumps(company.key, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    (folder / "manifest.json").write_text(
        json.dumps([f.manifest() for f in written], ensure_ascii=False, indent=1),
        encoding="utf-8",
    )
    _truth_churn(folder / "truth_churn.csv", truth)
    return company


def _truth_churn(path: Path, truth: Truth) -> None:
    rows = []
    for no in truth.sales:
        for day in EVAL_DAYS:
            rate = truth.rates[(no, day, "customer_churn_rate")]
            rows.append((no, day.isoformat(), rate.numerator, rate.denominator))
    files._csv(path, ("employee_no", "day", "lost", "held_at_window_start"), rows)


def answer_key(company: Company, seed: int, forgetful: Person) -> dict[str, Any]:
    truth = company.truth
    expected = truth.expected_alerts()
    alerted = {a["employee_no"] for a in expected}
    part = company.by_part
    book = company.book
    moved = [
        e for e in book.events if e.kind == "reassigned" and e.new_owner == part("territory_to").no
    ]
    return {
        "company": COMPANY,
        "seed": seed,
        "period": {"first": START.isoformat(), "last": END.isoformat()},
        "evaluate": {"from": EVAL_START.isoformat(), "to": END.isoformat()},
        "policy": {
            "rules": {
                k: {"indicator": v[0], "low": v[1], "medium": v[2], "high": v[3]}
                for k, v in RULES.items()
            },
            "combination": {
                "name": COMBINATION[0],
                "all": {COMBINATION[1]: COMBINATION[2], COMBINATION[3]: COMBINATION[4]},
                "severity": "high",
            },
            "min_denominator": 5,
            "window_days": 30,
        },
        "expected_alerts": expected,
        "no_alert": [
            {"employee_no": no, "name": truth.people[no].name, "part": truth.people[no].part}
            for no in truth.sales
            if no not in alerted
        ],
        "scenarios": {
            "diverter": {
                "employee_no": part("diverter").no,
                "what": f"from 2024-03-25 spends most days at {RIVAL}'s sites; customers "
                "lost to it (转竞品), the order placed before each move marked 转竞品",
            },
            "fake_fieldwork": {
                "employee_no": part("fake_fieldwork").no,
                "what": "from 2024-04-08 about 60% of WeCom field punches claim a customer in the "
                "notes while the position (location_title) is a mall, a flat or a tea house",
            },
        },
        "traps": {
            "territory_reassignment": {
                "from": part("territory_from").no,
                "to": part("territory_to").no,
                "day": moved[0].day.isoformat(),
                "customers": len(moved),
                "expect": "no alert for either: a reassignment is not churn",
            },
            "commute_past_competitor": {
                "employee_no": part("commuter").no,
                "site": COMMUTE_SITE,
                "expect": "passes 60 m from the site twice a day without stopping: no alert",
            },
            "competitor_in_office_tower": {
                "site": TOWER_SITE,
                "expect": "stops at the 重庆 office (same tower) are office stops: no alert",
            },
            "gcj02_checkins": {
                "city": "重庆",
                "expect": "WeCom positions are GCJ-02 (~480 m off WGS-84 here, fences 300 m): "
                "inside the fences once converted, no fake-field-work alert",
            },
            "new_hire": {
                "employee_no": part("new_hire").no,
                "hired": part("new_hire").hire.isoformat(),
                "expect": "every indicator insufficient on every evaluated day, never an alert",
            },
            "makeup_punch": {
                "employee_no": forgetful.no,
                "day": MAKEUP_DAY.isoformat(),
                "what": "one DingTalk on-duty punch 补卡审批通过",
            },
        },
        "customers_without_coordinates": sorted(
            c.code for c in book.customers.values() if not c.has_coords
        ),
        "peaks": {no: truth.peaks(no) for no in truth.sales},
    }
