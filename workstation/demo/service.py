"""Build the demo company: about 40 salespeople in Shanghai, Suzhou, Hangzhou and Nanjing, 2,000
customers, five competitors, 90 days of GPS tracks, check-ins, orders, leads and chats, with
planted cases of order diversion and innocent look-alikes.

The company is written as the files its HR department holds (``demo-files/`` of the data
folder, listed in ``manifest.json``) and the store is built only by importing them through
``ImportService``, as the demo's HR officer, the way the GUI's import wizard and
``workstation import`` do; the users are made through ``UserService``. The whole build is one
transaction: cancelling or failing leaves the database (and the files folder) as it was.

Deterministic: the same seed and end date give the same files, byte for byte, and so the same
records. Refuses to touch a database that holds anything but an earlier demo.
"""

from __future__ import annotations

import json
import shutil
import time
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, insert, literal, select

from workstation.config import Settings
from workstation.demo.facts import scenario_facts
from workstation.demo.front_door import (
    create_employee_users,
    create_users,
    forget_unrecorded,
    import_file,
    one_transaction,
)
from workstation.demo.generate import Generated, generate
from workstation.demo.source_files import SourceFile
from workstation.demo.store import (
    DEMO_META_PREFIX,
    KEPT_TABLES,
    clear,
    release_wal,
    table_counts,
)
from workstation.demo.world import FULL_SIZE, DemoSize
from workstation.domain.clock import Clock
from workstation.domain.progress import CancelToken, ProgressCallback, no_progress
from workstation.employees.service import EmployeeService
from workstation.ingest.service import ImportService
from workstation.security.access import ActingAs
from workstation.security.passwords import Passwords
from workstation.security.users import UserService
from workstation.store.audit import append_audit
from workstation.store.audit_checkpoints import checkpoint_now
from workstation.store.base import Base
from workstation.store.evidence import EvidenceStore
from workstation.store.models import AppMeta, ImportBatch
from workstation.store.uow import UnitOfWorkFactory

if TYPE_CHECKING:  # openpyxl loads with the first build
    from workstation.demo.company_files import WriteStep

META_SEED = "demo.seed"
META_END_DATE = "demo.end_date"
META_SCENARIOS = "demo.scenarios"
META_SIZE = "demo.size"
META_SECONDS = "demo.build_seconds"
AUDIT_ACTOR = "demo"


class DemoRefused(RuntimeError):
    """The database holds real data; the demo will not overwrite it."""


class DemoNotFound(LookupError):
    """Asked about the demo of a database that holds none."""


@dataclass(frozen=True)
class DemoSummary:
    seed: int
    end_date: date
    #: Rows per table, every table of the schema, sorted by table name.
    counts: dict[str, int]
    scenarios: list[dict[str, Any]]
    demo_files: list[Path] = field(default_factory=list)
    seconds: float = 0.0
    #: The imports that built the store, in order: file, kind and rows read, accepted,
    #: refused and already there.
    imports: list[dict[str, Any]] = field(default_factory=list)

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "seed": self.seed,
            "end_date": self.end_date.isoformat(),
            "counts": dict(self.counts),
            "scenarios": self.scenarios,
            "demo_files": [str(p) for p in self.demo_files],
            "imports": self.imports,
            "seconds": round(self.seconds, 2),
        }


class DemoService:
    def __init__(
        self,
        settings: Settings,
        engine: Engine,
        uow: UnitOfWorkFactory,
        clock: Clock,
        *,
        passwords: Passwords | None = None,
    ) -> None:
        """``passwords`` hashes the demo users' passwords (cheaper ones only in tests)."""
        self._settings = settings
        self._engine = engine
        self._uow = uow
        #: The demo ends yesterday (the company's) unless told; it lives on the company's zone,
        #: and its users and imports are stamped by this clock.
        self._clock = clock
        self._passwords = passwords
        #: Where the imported files are kept (the app's evidence store, by SHA-256).
        self._evidence = EvidenceStore(settings.evidence_dir)

    # -- questions -------------------------------------------------------------------------
    def is_demo_database(self) -> bool:
        """True when this database was built by :meth:`build` (app_meta ``demo.seed``)."""
        with self._uow() as uow:
            return uow.session.get(AppMeta, META_SEED) is not None

    def has_data(self) -> bool:
        """True when any business table (everything but the audit log and app_meta) has rows."""
        with self._uow() as uow:
            return bool(_filled_tables(uow.session.connection()))

    def summary(self) -> DemoSummary:
        """Counts, scenarios, files and imports of the demo this database holds."""
        with self._uow() as uow:
            conn = uow.session.connection()
            meta = _demo_meta(conn)
            if META_SEED not in meta:
                raise DemoNotFound("this database does not hold the demo company")
            counts = table_counts(conn)
            imports = _imports(conn)
        folder = self._settings.demo_files_dir
        files = sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else []
        return DemoSummary(
            seed=int(meta[META_SEED]),
            end_date=date.fromisoformat(meta[META_END_DATE]),
            counts=counts,
            scenarios=json.loads(meta.get(META_SCENARIOS, "[]")),
            demo_files=files,
            seconds=float(meta.get(META_SECONDS, "0")),
            imports=imports,
        )

    def scenarios(self) -> list[dict[str, Any]]:
        """The planted scenarios (the answer key), or an empty list if this is not a demo."""
        with self._uow() as uow:
            return list(json.loads(_demo_meta(uow.session.connection()).get(META_SCENARIOS, "[]")))

    # -- the build -------------------------------------------------------------------------
    def build(
        self,
        seed: int = 7,
        *,
        end_date: date | None = None,
        progress: ProgressCallback = no_progress,
        cancel: CancelToken | None = None,
        size: DemoSize = FULL_SIZE,
    ) -> DemoSummary:
        """Build (or rebuild) the demo: write its files, then import them. Cancelling
        (``Cancelled``) or failing leaves the database and the files folder as they were."""
        started = time.perf_counter()
        end = end_date or self._clock.yesterday()
        with self._uow() as uow:
            self._refuse_real_data(uow.session.connection())
        # Step counts are fixed by the size: the same total from the first call to the last.
        run = _Run(progress, cancel, 14 + 4 * size.salespeople_per_city)
        run.step(0, "Generating the demo company")
        gen = generate(seed, end, size, self._clock.zone)
        scenarios = scenario_facts(gen.world, gen.cast)
        staging = self._settings.demo_files_dir.with_name("demo-files.new")
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        stored: list[str] = []
        try:
            written = _write_files(staging, gen, scenarios, run)
            with one_transaction(self._engine, self._clock) as (conn, units):
                was_demo = self._refuse_real_data(conn)
                run.step(run.steps + 1, "Clearing the previous demo" if was_demo else "Signing in")
                clear(conn)
                self._import_files(units, staging, gen, written, run, stored)
                meta = {
                    META_SEED: str(seed),
                    META_END_DATE: end.isoformat(),
                    META_SCENARIOS: json.dumps(scenarios, ensure_ascii=False),
                    META_SIZE: json.dumps(asdict(size)),
                    META_SECONDS: f"{time.perf_counter() - started:.1f}",
                }
                details = {"seed": seed, "end_date": end.isoformat(), "size": asdict(size)}
                details |= {"replaced_previous_demo": was_demo, "files_imported": len(stored)}
                with units() as unit:
                    unit.session.execute(
                        insert(AppMeta), [{"key": k, "value": v} for k, v in meta.items()]
                    )
                    append_audit(unit.session, AUDIT_ACTOR, "demo.build", "database", None, details)
                    unit.commit()
                run.step(run.total - 1, "Saving")
            _replace_folder(self._settings.demo_files_dir, staging)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            forget_unrecorded(self._engine, self._evidence, stored)
            raise
        with self._uow() as uow:  # the build's entries sealed by this workstation
            checkpoint_now(uow.session, "demo.build")
            uow.commit()
        release_wal(self._engine)
        summary = self.summary()
        progress(run.total, run.total, "The demo company is ready")
        return DemoSummary(
            seed,
            end,
            summary.counts,
            scenarios,
            summary.demo_files,
            time.perf_counter() - started,
            summary.imports,
        )

    def _import_files(
        self,
        units: UnitOfWorkFactory,
        folder: Path,
        gen: Generated,
        written: list[tuple[WriteStep, list[SourceFile]]],
        run: _Run,
        stored: list[str],
    ) -> None:
        """The users, then every file through ``ImportService`` as the HR officer; adds the
        SHA-256 of each file imported (its copy in the evidence store) to ``stored``."""
        users = UserService(units, clock=self._clock, passwords=self._passwords)
        admin, hr = create_users(users, gen.world)
        imports = ImportService(units, self._evidence, ActingAs(hr), self._clock)
        for i, (step, files) in enumerate(written, start=run.steps + 2):
            run.step(i, step.message.replace("Writing", "Importing", 1))
            for source in files:
                if source.imported:
                    stored.append(import_file(imports, folder, source, run.cancel).sha256)
        run.step(run.total - 2, "Making the users of employees")
        create_employee_users(users, EmployeeService(units, ActingAs(hr)), admin, gen.world)

    def _refuse_real_data(self, conn: Connection) -> bool:
        """Raise ``DemoRefused`` when the database holds data that is not a demo; else True
        when it holds an earlier demo."""
        filled = _filled_tables(conn)
        was_demo = META_SEED in _demo_meta(conn)
        if filled and not was_demo:
            raise DemoRefused(_refusal(conn, filled))
        return was_demo


class _Run:
    """Progress and cancellation of one build: ``steps`` files steps, each written and then
    imported, plus generating, signing in, the users of employees and saving."""

    def __init__(self, progress: ProgressCallback, cancel: CancelToken | None, steps: int) -> None:
        self.progress = progress
        self.cancel = cancel
        self.steps = steps
        self.total = 2 * steps + 4

    def step(self, done: int, message: str) -> None:
        """Stop here if cancelled, else say what comes next."""
        if self.cancel is not None:
            self.cancel.raise_if_cancelled()
        self.progress(done, self.total, message)


def _write_files(
    folder: Path, gen: Generated, scenarios: list[dict[str, Any]], run: _Run
) -> list[tuple[WriteStep, list[SourceFile]]]:
    """Every file of the company, its manifest and the answer key, into ``folder``."""
    from workstation.demo.company_files import write_manifest, write_steps  # openpyxl

    steps = write_steps(folder, gen)
    assert len(steps) == run.steps, (len(steps), run.steps)
    written = []
    for i, step in enumerate(steps, start=1):
        run.step(i, step.message)
        written.append((step, step.write()))
    write_manifest(folder, [f for _, files in written for f in files], scenarios)
    return written


def _replace_folder(folder: Path, new: Path) -> None:
    """Put ``new`` where ``folder`` is (the previous demo's files go)."""
    old = folder.with_name("demo-files.old")
    shutil.rmtree(old, ignore_errors=True)
    if folder.exists():
        folder.rename(old)
    new.rename(folder)
    shutil.rmtree(old, ignore_errors=True)


def _filled_tables(conn: Connection) -> list[str]:
    filled = []
    for table in Base.metadata.sorted_tables:
        if table.name in KEPT_TABLES:
            continue
        if conn.scalar(select(literal(1)).select_from(table).limit(1)) is not None:
            filled.append(table.name)
    return filled


def _demo_meta(conn: Connection) -> dict[str, str]:
    rows = conn.execute(
        select(AppMeta.key, AppMeta.value).where(AppMeta.key.startswith(DEMO_META_PREFIX))
    )
    return {key: value for key, value in rows}


def _imports(conn: Connection) -> list[dict[str, Any]]:
    rows = conn.execute(
        select(
            ImportBatch.file_name,
            ImportBatch.kind,
            ImportBatch.rows_total,
            ImportBatch.rows_accepted,
            ImportBatch.rows_rejected,
            ImportBatch.rows_duplicate,
        ).order_by(ImportBatch.id)
    )
    return [
        {"file": name, "kind": kind, "rows": total, "accepted": accepted,
         "refused": refused, "already_there": duplicates}
        for name, kind, total, accepted, refused, duplicates in rows
    ]  # fmt: skip


def _refusal(conn: Connection, filled: list[str]) -> str:
    counts = table_counts(conn)
    held = ", ".join(f"{counts[name]:,} {name}" for name in filled[:4])
    return (
        f"This database already holds data that is not a demo ({held}). The demo company is "
        "only built into an empty database or over an earlier demo, so nothing was changed. "
        "To try the demo, use a new data folder, for example: "
        "workstation --data-dir ~/casework-demo demo"
    )
