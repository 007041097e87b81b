"""Build the demo company into the database: about 40 salespeople in Shanghai, Suzhou,
Hangzhou and Nanjing, 2,000 customers, five competitors, 90 days of GPS tracks, check-ins,
orders, leads and chats, with planted cases of order diversion and innocent look-alikes.

Deterministic: the same seed and end date give the same rows. Refuses to touch a database
that holds anything but an earlier demo.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, insert, literal, select

from workstation.config import Settings
from workstation.demo.facts import scenario_facts
from workstation.demo.generate import Generated, Seeds, generate
from workstation.demo.store import (
    DEMO_META_PREFIX,
    KEPT_TABLES,
    activity_rows,
    clear,
    company_rows,
    insert_chunked,
    release_wal,
    sales_rows,
    sync_sequences,
    table_counts,
    track_rows,
    track_table,
)
from workstation.demo.tracks import TrackArrays, render
from workstation.demo.world import FULL_SIZE, DemoSize
from workstation.domain.clock import Clock
from workstation.domain.progress import CancelToken, ProgressCallback, no_progress
from workstation.store.audit import append_audit
from workstation.store.base import Base
from workstation.store.models import AppMeta
from workstation.store.uow import UnitOfWorkFactory

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

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "seed": self.seed,
            "end_date": self.end_date.isoformat(),
            "counts": dict(self.counts),
            "scenarios": self.scenarios,
            "demo_files": [str(p) for p in self.demo_files],
            "seconds": round(self.seconds, 2),
        }


class DemoService:
    def __init__(
        self, settings: Settings, engine: Engine, uow: UnitOfWorkFactory, clock: Clock
    ) -> None:
        self._settings = settings
        self._engine = engine
        self._uow = uow
        #: The demo ends yesterday (the company's) unless told; it lives on the company's zone.
        self._clock = clock

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
        """Counts and scenarios of the demo this database holds."""
        with self._uow() as uow:
            conn = uow.session.connection()
            meta = _demo_meta(conn)
            if META_SEED not in meta:
                raise DemoNotFound("this database does not hold the demo company")
            counts = table_counts(conn)
        folder = self._settings.demo_files_dir
        files = sorted(p for p in folder.iterdir() if p.is_file()) if folder.is_dir() else []
        return DemoSummary(
            seed=int(meta[META_SEED]),
            end_date=date.fromisoformat(meta[META_END_DATE]),
            counts=counts,
            scenarios=json.loads(meta.get(META_SCENARIOS, "[]")),
            demo_files=files,
            seconds=float(meta.get(META_SECONDS, "0")),
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
        """Build (or rebuild) the demo. All database writes are one transaction: cancelling
        (``Cancelled``) or failing leaves the database as it was."""
        started = time.perf_counter()
        check: Callable[[], None] = cancel.raise_if_cancelled if cancel else _never
        end = end_date or self._clock.yesterday()
        with self._uow() as uow:
            conn = uow.session.connection()
            filled = _filled_tables(conn)
            was_demo = META_SEED in _demo_meta(conn)
            if filled and not was_demo:
                raise DemoRefused(_refusal(conn, filled))
            total = 7 + 4 * size.salespeople_per_city
            progress(0, total, "Generating the demo company")
            gen = generate(seed, end, size, self._clock.zone)
            world, cast = gen.world, gen.cast
            scenarios = scenario_facts(world, cast)
            check()
            progress(
                1, total, "Clearing the previous demo" if was_demo else "Preparing the database"
            )
            clear(conn)
            steps = (
                ("Writing offices, people, customers and competitors", company_rows(world)),
                ("Writing ownership, customer events, orders, leads and tasks", sales_rows(world)),
                ("Writing check-ins and communication records", activity_rows(world)),
            )
            for i, (message, tables) in enumerate(steps, start=2):
                check()
                progress(i, total, message)
                for table, rows in tables:
                    insert_chunked(conn, table, rows, check)
            diverter_track = self._write_tracks(conn, gen, seed, progress, total, check)
            sync_sequences(conn, Base.metadata.sorted_tables)
            check()
            progress(total - 2, total, "Writing sample files to import")
            from workstation.demo.files import write_demo_files  # openpyxl: here only

            files = write_demo_files(
                self._settings.demo_files_dir, world, cast, diverter_track, scenarios
            )
            seconds = time.perf_counter() - started
            meta = {
                META_SEED: str(seed),
                META_END_DATE: end.isoformat(),
                META_SCENARIOS: json.dumps(scenarios, ensure_ascii=False),
                META_SIZE: json.dumps(asdict(size)),
                META_SECONDS: f"{seconds:.1f}",
            }
            conn.execute(insert(AppMeta), [{"key": k, "value": v} for k, v in meta.items()])
            details = {"seed": seed, "end_date": end.isoformat(), "size": asdict(size)}
            details["replaced_previous_demo"] = was_demo
            append_audit(uow.session, AUDIT_ACTOR, "demo.build", "database", None, details)
            check()
            progress(total - 1, total, "Saving")
            uow.commit()
        release_wal(self._engine)
        with self._uow() as uow:
            counts = table_counts(uow.session.connection())
        progress(total, total, "The demo company is ready")
        return DemoSummary(seed, end, counts, scenarios, files, time.perf_counter() - started)

    def _write_tracks(
        self,
        conn: Connection,
        gen: Generated,
        seed: int,
        progress: ProgressCallback,
        total: int,
        check: Callable[[], None],
    ) -> TrackArrays:
        seeds = Seeds(seed)
        sales = gen.world.salespeople
        kept: TrackArrays | None = None
        for i, person in enumerate(sales):
            check()
            progress(5 + i, total, f"Writing GPS tracks ({i + 1}/{len(sales)}): {person.name}")
            rng = seeds("tracks", person.id)
            zone = self._clock.zone
            track = TrackArrays.concat([render(p, rng, zone) for p in gen.plans[person.id]])
            insert_chunked(conn, track_table(), track_rows(person.id, track), check)
            if person is gen.cast.diverter:
                kept = track
        assert kept is not None
        return kept


def _never() -> None:
    return None


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


def _refusal(conn: Connection, filled: list[str]) -> str:
    counts = table_counts(conn)
    held = ", ".join(f"{counts[name]:,} {name}" for name in filled[:4])
    return (
        f"This database already holds data that is not a demo ({held}). The demo company is "
        "only built into an empty database or over an earlier demo, so nothing was changed. "
        "To try the demo, use a new data folder, for example: "
        "workstation --data-dir ~/casework-demo demo"
    )
