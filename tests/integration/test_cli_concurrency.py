"""Two real processes on one store: a reader reads while another process holds the write lock,
a writer waits for it and says so, and the same file imported twice at once is refused for
the second with one line. Each process is ``python -m workstation`` (or a script through the
import service, paused half-way on its progress callback), on a real SQLite file or a real
PostgreSQL database."""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import pytest
from acting import TEST_PASSWORD
from sqlalchemy import func, select

from workstation.app import open_app
from workstation.config import load_settings
from workstation.domain.enums import Role
from workstation.store.audit import verify_audit_chain
from workstation.store.evidence import EvidenceStore, iter_incoming
from workstation.store.models import AuditEntry, Employee, EvidenceFile, ImportBatch

#: Long enough for a slow, shared machine; a test that waits this long has failed.
TIMEOUT_S = 120

WAITING = "workstation: waiting for another import or change to finish…\n"
ROSTER = "employee_no,name,manager_no\nS1,张伟,\nS2,王磊,S1\nS3,李娜,S1\n"

#: Holds SQLite's write lock (as a long import does) until a line arrives on stdin.
HOLD_LOCK = r"""
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN IMMEDIATE")
print("LOCKED", flush=True)
sys.stdin.readline()
db.execute("COMMIT")
"""

#: Imports a file through the import service, pausing half-way (the file stored and claimed,
#: the batch begun) until a line arrives on stdin.
PAUSED_IMPORT = r"""
import sys
import threading
from pathlib import Path
from workstation.app import open_app
from workstation.config import load_settings
from workstation.domain.enums import Role
from workstation.domain.identity import Identity

app = open_app(load_settings(sys.argv[1], sys.argv[3] if len(sys.argv) > 3 else None))
app.session.sign_in(Identity(0, "test.hr", "Test HR", Role.HR_OFFICER))

def progress(done, total, message):
    if message.startswith(("Checking", "Writing")) and not getattr(progress, "paused", False):
        progress.paused = True
        print("MID-IMPORT", flush=True)
        sys.stdin.readline()

report = app.imports.run(Path(sys.argv[2]), "employees", progress=progress)
app.close()
print("FINISHED", report.batch_id, flush=True)
"""


class Process:
    """A child process whose output lines are read as they come (threads feed queues)."""

    def __init__(self, args: list[str]) -> None:
        self.popen = subprocess.Popen(
            [sys.executable, *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            env={**os.environ, "LANG": "C.UTF-8"},
        )
        self.out: queue.Queue[str] = queue.Queue()
        self.err: queue.Queue[str] = queue.Queue()
        for stream, lines in ((self.popen.stdout, self.out), (self.popen.stderr, self.err)):
            threading.Thread(target=_feed, args=(stream, lines), daemon=True).start()

    def line(self, lines: queue.Queue[str], what: str) -> str:
        """The next line, waiting for it (``TIMEOUT_S`` at most); "" once the stream ended."""
        try:
            return lines.get(timeout=TIMEOUT_S)
        except queue.Empty:
            raise AssertionError(f"no line within {TIMEOUT_S} s: {what}") from None

    def rest(self, lines: queue.Queue[str]) -> list[str]:
        """The remaining lines, once the process has ended."""
        self.wait()
        found = []
        while (line := self.line(lines, "the rest")) != "":
            found.append(line)
        return found

    def release(self) -> None:
        assert self.popen.stdin is not None
        self.popen.stdin.write("go\n")
        self.popen.stdin.flush()

    def running(self) -> bool:
        return self.popen.poll() is None

    def wait(self) -> int:
        return self.popen.wait(TIMEOUT_S)


def _feed(stream: IO[str] | None, lines: queue.Queue[str]) -> None:
    assert stream is not None
    for line in stream:
        lines.put(line)
    lines.put("")


@contextmanager
def _ended(*procs: Process) -> Iterator[None]:
    try:
        yield
    finally:
        for proc in procs:
            if proc.running():
                proc.popen.kill()
            proc.wait()


@pytest.fixture
def store(tmp_path: Path, cli_as: Callable[[Path, Role], str]) -> Path:
    """A data folder with an HR officer (``WORKSTATION_USER``/``_PASSWORD`` set)."""
    data = tmp_path / "data"
    cli_as(data, Role.HR_OFFICER)
    assert os.environ["WORKSTATION_PASSWORD"] == TEST_PASSWORD
    return data


def _count(data: Path, model: type, db_url: str | None = None) -> int:
    app = open_app(load_settings(data, db_url))
    try:
        with app.uow() as uow:
            assert verify_audit_chain(uow.session).intact
            return int(uow.session.scalar(select(func.count()).select_from(model)) or 0)
    finally:
        app.close()


def test_a_reader_reads_while_another_process_writes_and_records_its_sign_in_after(
    store: Path,
) -> None:
    signed_in_before = _count(store, AuditEntry)
    holder = Process(["-c", HOLD_LOCK, str(store / "casework.sqlite3")])
    with _ended(holder):
        assert holder.line(holder.out, "lock holder") == "LOCKED\n"
        reader = Process(["-m", "workstation", "--data-dir", str(store), "alerts", "--json"])
        with _ended(reader):
            # The read is answered while the other process still holds the write lock...
            assert json.loads(reader.line(reader.out, "the alerts")) == []
            # ...and the sign-in, which is a write, waits for it and says so.
            waiting = reader.line(reader.err, "the waiting line")
            assert waiting == WAITING
            assert reader.running(), "the reader records its sign-in before it ends"
            holder.release()
            assert holder.wait() == 0
            assert reader.wait() == 0
            assert reader.rest(reader.err) == []
    assert _count(store, AuditEntry) == signed_in_before + 1, "the reader's sign-in is recorded"


def test_a_writer_waits_for_another_process_and_says_so(store: Path, tmp_path: Path) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    holder = Process(["-c", HOLD_LOCK, str(store / "casework.sqlite3")])
    with _ended(holder):
        assert holder.line(holder.out, "lock holder") == "LOCKED\n"
        argv = ["-m", "workstation", "--data-dir", str(store), "import", str(roster)]
        writer = Process([*argv, "--kind", "employees", "--json"])
        with _ended(writer):
            assert writer.line(writer.err, "the waiting line") == WAITING
            assert writer.running()
            holder.release()
            assert writer.wait() == 0, writer.rest(writer.err)
            assert json.loads(writer.line(writer.out, "the report"))["accepted"] == 3
    assert _count(store, Employee) == 3


def _same_file_twice_at_once(
    first_data: Path, second_data: Path, roster: Path, db_url: str | None
) -> None:
    first = Process(
        ["-c", PAUSED_IMPORT, str(first_data), str(roster), *([db_url] if db_url else [])]
    )
    with _ended(first):
        assert first.line(first.out, "the first import half-way") == "MID-IMPORT\n"
        argv = ["-m", "workstation", "--data-dir", str(second_data), "--lang", "en"]
        argv += ["--db", db_url] if db_url else []
        second = Process([*argv, "import", str(roster), "--kind", "employees"])
        with _ended(second):
            # Told at once, while the first still holds everything (the second's own sign-in
            # is recorded once the first has finished: it waits, and says so).
            err = [second.line(second.err, "the refusal")]
            while not err[-1].startswith(("workstation: roster.csv", "Traceback")):
                err.append(second.line(second.err, "the refusal"))
            assert err[-1] == (
                "workstation: roster.csv is already being imported by another process; nothing "
                "was imported. Look at `workstation import --list` when it has finished\n"
            )
            assert not [line for line in err if "Traceback" in line or "Error" in line]
            first.release()
            assert first.wait() == 0
            assert first.rest(first.out)[-1].startswith("FINISHED")
            assert second.wait() == 1
    assert _count(first_data, ImportBatch, db_url) == 1
    assert _count(first_data, EvidenceFile, db_url) == 1
    for data in {first_data, second_data}:
        store = EvidenceStore(data / "evidence")
        assert list(iter_incoming(store)) == [], "no copy is left behind"
    published = [p for p in (first_data / "evidence").rglob("*") if p.is_file()]
    assert len(published) == 1, "the roster is stored once, under its hash"


def test_the_same_file_imported_twice_at_once_on_sqlite(store: Path, tmp_path: Path) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    _same_file_twice_at_once(store, store, roster, None)


def test_the_same_file_imported_twice_at_once_on_postgresql(
    postgres_url: str, tmp_path: Path, cli_as: Callable[..., str]
) -> None:
    """The second process even has a data folder of its own (another workstation on the
    same server): the database's advisory lock on the file's hash refuses it."""
    first, second = tmp_path / "first", tmp_path / "second"
    cli_as(second, Role.HR_OFFICER, postgres_url)
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    _same_file_twice_at_once(first, second, roster, postgres_url)
