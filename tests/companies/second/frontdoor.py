"""The second company through the front door: users made with ``workstation user``, every
file imported with ``workstation import``, then ``workstation evaluate`` and
``workstation alerts`` — the command line run in-process (``workstation.cli.main``), exactly as
a user types it. Each step's exit code, JSON and error text are kept for the tests to judge.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from companies.second.files import SourceFile
from companies.second.generate import Company
from companies.second.workdays import END, EVAL_START

from workstation.app import App, open_app
from workstation.cli import main
from workstation.config import load_settings

ADMIN, ADMIN_PASSWORD = "it.admin", "Shudao-Guanli 2024!"
HR, HR_PASSWORD = "hr.liu", "Rongcheng-HR 2024!"


@dataclass(frozen=True)
class Outcome:
    args: tuple[str, ...]
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out) if self.code == 0 and self.out.strip() else None


@dataclass(frozen=True)
class Step:
    """One file's import."""

    file: SourceFile
    outcome: Outcome
    seconds: float = 0.0

    @property
    def report(self) -> dict[str, Any] | None:
        data = self.outcome.json()
        return data if isinstance(data, dict) else None

    def problems(self) -> str:
        """What went wrong, for an assertion message: the error or the first rejected rows."""
        if self.report is None:
            return (
                f"exit {self.outcome.code}: {self.outcome.err.strip() or self.outcome.out.strip()}"
            )
        r = self.report
        head = (
            f"read {r['rows_read']}, accepted {r['accepted']}, rejected {r['rejected']}, "
            f"duplicates {r['duplicates']} (the file has {self.file.rows} records)"
        )
        shown = [f"row {p['row']} {p['field']}: {p['message']}" for p in r["problems"][:5]]
        return "; ".join([head, *shown])


@dataclass
class Run:
    company: Company
    data_dir: Path
    db_url: str | None
    steps: list[Step] = field(default_factory=list)
    evaluation: Outcome | None = None
    alerts: list[dict[str, Any]] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)

    def steps_of(self, label: str) -> list[Step]:
        return [s for s in self.steps if s.file.label == label]

    @contextlib.contextmanager
    def app(self) -> Iterator[App]:
        """The store, opened as the HR officer (for reading back what the tests check)."""
        application = open_app(load_settings(self.data_dir, self.db_url))
        try:
            application.session.sign_in(application.users.sign_in(HR, HR_PASSWORD))
            yield application
        finally:
            application.close()


def cli(
    data_dir: Path, db_url: str | None, *args: str, env: dict[str, str] | None = None
) -> Outcome:
    """``workstation [--db URL] --data-dir DIR ARGS`` in-process, with ``env`` set meanwhile."""
    argv = ["--data-dir", str(data_dir), *(["--db", db_url] if db_url else []), *args]
    out, err = io.StringIO(), io.StringIO()
    saved = {k: os.environ.get(k) for k in (env or {})}
    os.environ.update(env or {})
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(argv)
            except SystemExit as exc:  # argparse refusing an option this version lacks
                code = exc.code if isinstance(exc.code, int) else 2
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    return Outcome(tuple(args), code, out.getvalue(), err.getvalue())


def as_hr(data_dir: Path, db_url: str | None, *args: str) -> Outcome:
    return cli(data_dir, db_url, "--user", HR, *args, env={"WORKSTATION_PASSWORD": HR_PASSWORD})


def make_users(data_dir: Path, db_url: str | None) -> None:
    """The first administrator, who then adds the HR officer (``workstation user``)."""
    first = cli(
        data_dir, db_url, "user", "init-admin", ADMIN, "--name", "系统管理员",
        env={"WORKSTATION_NEW_PASSWORD": ADMIN_PASSWORD},
    )  # fmt: skip
    assert first.code == 0, first.err
    added = cli(
        data_dir, db_url, "--user", ADMIN,
        "user", "add", HR, "--name", "刘人事", "--role", "hr-officer",
        env={"WORKSTATION_PASSWORD": ADMIN_PASSWORD, "WORKSTATION_NEW_PASSWORD": HR_PASSWORD},
    )  # fmt: skip
    assert added.code == 0, added.err


def import_file(
    data_dir: Path, db_url: str | None, f: SourceFile, extra: Sequence[str] = ()
) -> Step:
    args = ("import", str(f.path), "--kind", f.kind, *f.args, *extra, "--json")
    began = time.perf_counter()
    outcome = as_hr(data_dir, db_url, *args)
    return Step(f, outcome, time.perf_counter() - began)


def run_company(company: Company, data_dir: Path, db_url: str | None = None) -> Run:
    """Users, every file in the manifest's order, the evaluation of every day whose window lies
    in the data, and the alerts."""
    run = Run(company, data_dir, db_url)
    began = time.perf_counter()
    make_users(data_dir, db_url)
    run.seconds["users"] = time.perf_counter() - began
    began = time.perf_counter()
    for f in company.files:
        run.steps.append(import_file(data_dir, db_url, f))
    run.seconds["import"] = time.perf_counter() - began
    began = time.perf_counter()
    run.evaluation = as_hr(
        data_dir,
        db_url,
        "evaluate",
        "--from",
        EVAL_START.isoformat(),
        "--to",
        END.isoformat(),
        "--json",
    )
    run.seconds["evaluate"] = time.perf_counter() - began
    listed = as_hr(data_dir, db_url, "alerts", "--status", "all", "--json")
    assert listed.code == 0, listed.err
    run.alerts = listed.json()
    return run


def stored_values(run: Run, indicator: str) -> dict[tuple[str, date], StoredValue]:
    """The stored ``indicator`` of every employee on every evaluated day, read back through
    the employee and indicator services as the HR officer."""
    found: dict[tuple[str, date], StoredValue] = {}
    with run.app() as app:
        for e in app.employees.list_employees():
            for v in app.indicators.values(e.id, EVAL_START, END):
                if v.indicator.value == indicator:
                    found[(e.employee_no, v.day)] = StoredValue(
                        v.numerator, v.denominator, v.status.value
                    )
    return found


@dataclass(frozen=True)
class StoredValue:
    numerator: float | None
    denominator: float | None
    status: str
