"""The second company, end to end through the front door (issue 11, "Done when", first bullet).

A company generated independently of the demo (``tests/companies/second``: 成都 on DingTalk, 重庆
on WeCom, 18 salespeople, about 300 customers, 3 competitors with 8 sites, 84 days) is imported
file by file with ``workstation import`` into a fresh store whose users were made with
``workstation user``; ``workstation evaluate`` runs over every day whose 30-day window lies in
the data, and ``workstation alerts --json`` must list exactly the alerts of the answer key,
which the generator computed from its ground truth; per employee and day, churn and fake
field work equal the ground truth. Everything runs on a real SQLite file and, when
WORKSTATION_TEST_PG_URL names a server, on PostgreSQL.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from companies.second.frontdoor import Run, import_file, make_users, run_company, stored_values
from companies.second.generate import Company, generate
from companies.second.truth import INDICATORS
from companies.second.workdays import END, EVAL_DAYS
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

PG_ENV = "WORKSTATION_TEST_PG_URL"
CHURN, OVERLAP, TRANSFER, FAKE = INDICATORS

FILE_LABELS = [
    "roster",
    "offices",
    "competitors",
    "customers",
    "ownership",
    "events",
    "orders",
    "leads",
    "dingtalk",
    "wecom",
    "tracks_csv",
    "tracks_gpx",
    "communications",
]


@contextlib.contextmanager
def _postgres_database() -> Iterator[str]:
    """A fresh PostgreSQL database for the module (as ``postgres_url`` in conftest, which is
    per test), dropped afterwards; skips without a reachable server."""
    server = os.environ.get(PG_ENV)
    if not server:
        pytest.skip(f"PostgreSQL tests skipped: set {PG_ENV} to a reachable server")
    try:
        admin = create_engine(server, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text("select 1"))
    except Exception as exc:
        pytest.skip(f"PostgreSQL tests skipped: server at {PG_ENV} unreachable ({exc})")
    name = f"casework_second_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="module")
def company(tmp_path_factory: pytest.TempPathFactory) -> Company:
    return generate(tmp_path_factory.mktemp("second-company") / "files")


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def run(
    request: pytest.FixtureRequest, company: Company, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Run]:
    """The company imported into a fresh store of each kind, evaluated, its alerts listed."""
    data_dir = tmp_path_factory.mktemp(f"second-{request.param}") / "data"
    with pytest.MonkeyPatch.context() as mp:
        for name in ("WORKSTATION_USER", "WORKSTATION_PASSWORD", "WORKSTATION_DB_URL"):
            mp.delenv(name, raising=False)
        if request.param == "sqlite":
            yield run_company(company, data_dir)
        else:
            with _postgres_database() as url:
                yield run_company(company, data_dir, url)


def _alerts(run: Run) -> dict[str, tuple[str, list[str]]]:
    return {
        a["employee_no"]: (a["severity"], sorted(r["rule"] for r in a["rules"])) for a in run.alerts
    }


def _expected(company: Company) -> dict[str, tuple[str, list[str]]]:
    return {
        a["employee_no"]: (a["severity"], sorted(a["rules"]))
        for a in company.key["expected_alerts"]
    }


def _differences(run: Run, indicator: str, employees: list[str]) -> list[str]:
    """Employee-days whose stored (numerator, denominator) differ from the ground truth."""
    stored = stored_values(run, indicator)
    found = []
    for no in employees:
        for day in EVAL_DAYS:
            true = run.company.truth.rates[(no, day, indicator)]
            value = stored.get((no, day))
            got = None if value is None else (value.numerator, value.denominator)
            if got != (true.numerator, true.denominator):
                found.append(f"{no} {day}: stored {got}, true {true.numerator}/{true.denominator}")
    return found


def _report(differences: list[str], employees: list[str]) -> str:
    people = sorted({d.split()[0] for d in differences})
    return (
        f"{len(differences)} employee-days of {len(people)} of {len(employees)} employees "
        f"differ, e.g. {'; '.join(differences[:4])}"
    )


# --- each file, as its source writes it ---------------------------------------------------


@pytest.mark.parametrize("label", FILE_LABELS)
def test_every_record_of_the_file_is_kept(run: Run, label: str) -> None:
    """No row rejected: each is written, or found already known (an owner change the customer
    master already gave counts as a duplicate); a 缺卡 or 未打卡 row is kept too (as a missed
    punch), so it counts as accepted."""
    steps = run.steps_of(label)
    assert steps, f"the company has no {label} file"
    for step in steps:
        report = step.report
        assert report is not None, f"{step.file.path.name}: {step.problems()}"
        kept = report["accepted"] + report["duplicates"]
        assert (report["rejected"], kept) == (0, step.file.rows), (
            f"{step.file.path.name}: {step.problems()}"
        )


def test_the_attendance_reports_count_how_people_and_customers_were_found(run: Run) -> None:
    """Issue 11 §3, §4: every 成都 punch names its person by 工号, every 重庆 one by a WeCom
    account equal to the employee number; the missed punches and the 补卡 are counted; every
    field punch whose remark, note or title names its customer is linked by that text."""
    people = {p.no: p for p in run.company.people}
    punches = [(people[d.person].city, p) for d in run.company.days for p in d.punches]
    for label, city, way in (
        ("dingtalk", "成都", "identity.employee_no"),
        ("wecom", "重庆", "identity.account_is_employee_no"),
    ):
        (step,) = run.steps_of(label)
        assert step.report is not None, step.problems()
        counts = step.report["counts"]
        mine = [p for c, p in punches if c == city]
        assert counts[way] == len(mine) == step.report["accepted"], label
        missed = sum(1 for p in mine if p.at is None)
        assert counts.get("missed_punches", 0) == missed, label
        field = [p for p in mine if p.kind == "field"]
        by_text = counts.get("link.remark", 0) + counts.get("link.title", 0)
        assert by_text == sum(1 for p in field if p.named), label
        unnamed = counts.get("link.fence", 0) + counts.get("link.none", 0)
        assert unnamed == sum(1 for p in field if not p.named), label
    (dingtalk,) = run.steps_of("dingtalk")
    assert dingtalk.report is not None and dingtalk.report["counts"]["makeup_approved"] == 1


def test_customers_without_coordinates_are_named_in_the_import_report(run: Run) -> None:
    (step,) = run.steps_of("customers")
    unnamed = [
        c for c in run.company.key["customers_without_coordinates"] if c not in step.outcome.out
    ]
    assert not unnamed, f"the import report does not mention {unnamed}"


def test_the_customer_master_is_read_as_of_its_date(
    company: Company, db_url: str, tmp_path: Path
) -> None:
    data_dir = tmp_path / "data"
    make_users(data_dir, db_url)
    (roster,) = company.of("roster")
    assert import_file(data_dir, db_url, roster).outcome.code == 0
    (master,) = company.of("customers")
    step = import_file(data_dir, db_url, master, ("--as-of", END.isoformat()))
    assert step.report is not None, step.problems()
    assert step.report["accepted"] == master.rows
    assert END.isoformat() in step.outcome.out, "the report says as of which day"


# --- the evaluation: exactly the planted cases, nothing for the look-alikes ----------------


def test_the_alerts_are_exactly_the_expected_ones(run: Run) -> None:
    assert run.evaluation is not None and run.evaluation.code == 0, run.evaluation
    assert _alerts(run) == _expected(run.company)


def test_no_look_alike_raises_an_alert(run: Run) -> None:
    """The reassignment, the commuter, the office tower, the GCJ-02 check-ins, the new hire
    and every ordinary salesperson: no alert (vacuous today where their data is rejected;
    the tests below say which)."""
    quiet = {x["employee_no"] for x in run.company.key["no_alert"]}
    assert run.company.by_part("territory_from").no in quiet
    raised = {no: found for no, found in _alerts(run).items() if no in quiet}
    assert not raised


def test_the_diverter_is_caught_by_churn_with_competitor_overlap(run: Run) -> None:
    diverter = run.company.by_part("diverter").no
    severity, rules = _expected(run.company)[diverter]
    assert severity == "high" and {"churn", "churn_with_overlap"} <= set(rules)
    assert _alerts(run).get(diverter) == (severity, rules)


def test_the_fake_field_worker_is_caught(run: Run) -> None:
    faker = run.company.by_part("fake_fieldwork").no
    assert _alerts(run).get(faker) == _expected(run.company)[faker]


def test_the_new_hire_has_too_little_data_for_any_indicator(run: Run) -> None:
    newbie = run.company.by_part("new_hire").no
    for indicator in INDICATORS:
        mine = [v for (no, _day), v in stored_values(run, indicator).items() if no == newbie]
        assert mine, f"the new hire was not evaluated ({indicator})"
        assert {v.status for v in mine} == {"insufficient"}, indicator
    assert newbie not in _alerts(run)


# --- the indicators, employee by employee and day by day, against the ground truth --------


def test_churn_per_employee_and_day_equals_the_ground_truth(run: Run) -> None:
    """Issue 11 §2's test: the customer master (a snapshot as of the last day), the owner
    changes and the events dated up to 84 days back give every salesperson, on every
    evaluated day, the true churn: customers lost in the window ÷ held at its start."""
    employees = run.company.truth.sales
    differences = _differences(run, CHURN, employees)
    assert not differences, _report(differences, employees)


def test_order_transfer_per_employee_and_day_equals_the_ground_truth(run: Run) -> None:
    employees = run.company.truth.sales
    differences = _differences(run, TRANSFER, employees)
    assert not differences, _report(differences, employees)


def test_competitor_overlap_of_people_with_a_track_equals_the_ground_truth(run: Run) -> None:
    """Stops from the CSV and GPX tracks: the diverter's afternoons at the rival, the
    commuter driving past a site (no stop), the 重庆 office sharing its tower with a rival."""
    employees = [p.no for p in run.company.people if p.role == "sales" and p.tracker]
    differences = _differences(run, OVERLAP, employees)
    assert not differences, _report(differences, employees)


def test_fake_field_work_of_check_ins_with_a_position_equals_the_ground_truth(run: Run) -> None:
    """Check-ins with a position of their own (WeCom, GCJ-02 converted) or a track fix at the
    punch (DingTalk punches of people with a tracker), linked to the customer they name (or
    whose fence holds them), checked against that customer's 300 m fence."""
    employees = [
        p.no for p in run.company.people if p.role == "sales" and (p.tracker or p.city == "重庆")
    ]
    differences = _differences(run, FAKE, employees)
    assert not differences, _report(differences, employees)
