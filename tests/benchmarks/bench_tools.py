"""What the benchmarks share (imported as ``bench_tools``): the scale they run at, the record of
their measures, whole processes timed with their own peak memory, and an X server.

Numbers are reported, never asserted: a benchmark asserts only that the work was done.
"""

from __future__ import annotations

import json
import os
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from workstation.config import Settings, load_settings

T = TypeVar("T")

#: Set to 1 to run the import and evaluation benchmarks on encrypted stores (SQLCipher), to
#: measure what encryption at rest costs: ``WORKSTATION_BENCH_ENCRYPTED=1 make benchmarks``.
ENV_ENCRYPTED = "WORKSTATION_BENCH_ENCRYPTED"
#: The key of those stores (a raw key, as ``db init --encrypt`` makes; given as a job would).
BENCH_KEY = "5eed" * 16


def encrypted() -> bool:
    return os.environ.get(ENV_ENCRYPTED, "") not in ("", "0")


def store_kind() -> str:
    """What the stores of the import and evaluation benchmarks are, for their measures."""
    return "sqlcipher" if encrypted() else "sqlite"


def new_store(data_dir: Path) -> Settings:
    """The settings of a new store in ``data_dir``: encrypted (``db init --encrypt``, the key
    in ``$WORKSTATION_DB_KEY``) when ``WORKSTATION_BENCH_ENCRYPTED`` is set, else plain."""
    settings = load_settings(data_dir)
    if not encrypted():
        return settings
    from workstation.database_encryption import init_encrypted
    from workstation.security.store_key import ENV_DB_KEY

    os.environ[ENV_DB_KEY] = BENCH_KEY
    return init_encrypted(settings).settings


def store_env(env: Mapping[str, str]) -> dict[str, str]:
    """``env`` with the key of the benchmarks' encrypted stores (when they are)."""
    if not encrypted():
        return dict(env)
    from workstation.security.store_key import ENV_DB_KEY

    return {**env, ENV_DB_KEY: BENCH_KEY}


def connect_store(db: Path) -> Any:
    """A DB-API connection to a benchmark's store file: ``sqlite3``, or ``sqlcipher3`` with
    the key for an encrypted one."""
    if not encrypted():
        import sqlite3

        return sqlite3.connect(db)
    from workstation.store.encryption import connect

    return connect(db, BENCH_KEY)


@dataclass(frozen=True)
class Scale:
    """Full with ``--run-benchmarks`` (``make benchmarks``), else tiny: the same code in
    seconds, so the default suite fails when a change breaks a benchmark."""

    full: bool

    @property
    def name(self) -> str:
        return "full" if self.full else "tiny"

    def pick(self, full: T, tiny: T) -> T:
        return full if self.full else tiny


@dataclass(frozen=True)
class Measure:
    benchmark: str
    measure: str
    value: float
    unit: str
    scale: str
    details: dict[str, Any] = field(default_factory=dict)
    #: Every run when the value is their median (in the JSON file, not on the line).
    runs: list[float] = field(default_factory=list)

    def line(self) -> str:
        """One greppable line: ``BENCH <scale> <benchmark>.<measure> = <value> <unit>  (...)``."""
        text = f"BENCH {self.scale} {self.benchmark}.{self.measure} = {_number(self.value)} "
        text += self.unit
        if self.details:
            text += "  (" + ", ".join(f"{k}={_number(v)}" for k, v in self.details.items()) + ")"
        return text


def _number(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}"
    if abs(value) >= 100:
        return f"{value:,.1f}"
    return f"{value:.3f}"


class Results:
    """Every measure of the session, printed as it is taken and written to a JSON file."""

    def __init__(self, scale: Scale, path: Path) -> None:
        self.scale = scale
        self.path = path
        self.measures: list[Measure] = []

    def add(self, benchmark: str, measure: str, value: float, unit: str, **details: Any) -> None:
        self._record(Measure(benchmark, measure, value, unit, self.scale.name, details))

    def seconds(self, benchmark: str, measure: str, runs: Sequence[float], **details: Any) -> None:
        """The median of ``runs`` (seconds), with their minimum, maximum and number."""
        if len(runs) > 1:
            details = {"min": min(runs), "max": max(runs), "runs": len(runs), **details}
        median = statistics.median(runs)
        self._record(Measure(benchmark, measure, median, "s", self.scale.name, details, [*runs]))

    def _record(self, entry: Measure) -> None:
        self.measures.append(entry)
        print(entry.line(), flush=True)

    def write(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        document = {
            "scale": self.scale.name,
            "python": sys.version.split()[0],
            "cpus": os.cpu_count(),
            "load_average": os.getloadavg() if hasattr(os, "getloadavg") else None,
            "measures": [asdict(m) for m in self.measures],
        }
        self.path.write_text(json.dumps(document, indent=2, ensure_ascii=False), encoding="utf-8")


@dataclass(frozen=True)
class DemoStore:
    """A private copy of the demo company's database (people sign in and evaluate there)."""

    data_dir: Path
    employees: int
    #: The last day of the demo's data.
    end_date: date
    username: str
    password: str


@dataclass(frozen=True)
class ProcessRun:
    returncode: int
    stdout: str
    stderr: str
    #: ``time.monotonic()`` at the spawn, and the wall time from there to the exit.
    started: float
    seconds: float
    #: This process's own peak resident memory (not the largest of all children so far).
    peak_rss_mb: float
    #: The CPU time it used (user + system, its threads included): unlike the wall time,
    #: hardly changed by other work on a busy machine.
    cpu_seconds: float = 0.0

    def check(self) -> ProcessRun:
        assert self.returncode == 0, f"exit {self.returncode}: {self.stderr[-3000:]}"
        return self


#: Runs the command in a grandchild and reports its own peak RSS. A child's ``ru_maxrss``
#: starts at the RSS of the process it was forked from (Linux keeps the high-water mark across
#: ``exec``): from the test process that is hundreds of megabytes; from this small one, a few.
_SPAWNER = """
import json, os, sys, time
report, command = sys.argv[1], sys.argv[2:]
started = time.monotonic()
pid = os.posix_spawnp(command[0], command, os.environ)
_, status, usage = os.wait4(pid, 0)
seconds = time.monotonic() - started
code = os.waitstatus_to_exitcode(status)
with open(report, "w") as fh:
    json.dump({"started": started, "seconds": seconds, "maxrss_kb": usage.ru_maxrss,
               "cpu_seconds": usage.ru_utime + usage.ru_stime, "code": code}, fh)
sys.exit(code if code >= 0 else 128 - code)
"""


def run_process(
    command: Sequence[str],
    *,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    timeout: float = 600.0,
) -> ProcessRun:
    """Run ``command`` as a whole process: wall time from its spawn to its exit, its CPU time
    and its own peak RSS. Killed (with what it started) and failed after ``timeout`` seconds."""
    with tempfile.TemporaryDirectory() as scratch:
        report = Path(scratch) / "report.json"
        out, err = Path(scratch) / "out", Path(scratch) / "err"
        with out.open("wb") as stdout, err.open("wb") as stderr:
            spawner = subprocess.Popen(
                [sys.executable, "-I", "-S", "-c", _SPAWNER, str(report), *command],
                stdout=stdout,
                stderr=stderr,
                env=dict(env) if env is not None else None,
                cwd=cwd,
                start_new_session=True,
            )
            try:
                spawner.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(spawner.pid, signal.SIGKILL)
                spawner.wait()
        stdout_text = out.read_text(encoding="utf-8", errors="replace")
        stderr_text = err.read_text(encoding="utf-8", errors="replace")
        if not report.exists():
            code = spawner.returncode
            return ProcessRun(code, stdout_text, stderr_text + f"\n(no report: exit {code})",
                              0.0, 0.0, 0.0)  # fmt: skip
        facts = json.loads(report.read_text(encoding="utf-8"))
    return ProcessRun(
        facts["code"],
        stdout_text,
        stderr_text,
        facts["started"],
        facts["seconds"],
        facts["maxrss_kb"] / 1024,
        facts["cpu_seconds"],
    )


def reset_peak_rss() -> None:
    """Start this process's peak RSS afresh (Linux: ``/proc/self/clear_refs``), so the next
    ``peak_rss_mb`` is the peak of what ran since, not of the whole test session."""
    with suppress(OSError):  # elsewhere: the peak since the process started
        Path("/proc/self/clear_refs").write_text("5", encoding="ascii")


def peak_rss_mb() -> float:
    """This process's peak RSS since ``reset_peak_rss`` (else since it started), in MB."""
    try:
        status = Path("/proc/self/status").read_text(encoding="ascii")
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    match = re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE)
    assert match is not None, "no VmHWM in /proc/self/status"
    return int(match.group(1)) / 1024


def workstation_command() -> list[str]:
    """The ``workstation`` console script a user runs (``python -m workstation`` without it)."""
    script = Path(sys.executable).with_name("workstation")
    return [str(script)] if script.exists() else [sys.executable, "-m", "workstation"]


def has_xvfb() -> bool:
    return shutil.which("Xvfb") is not None


@contextmanager
def xvfb(size: str = "1600x1000x24") -> Iterator[str]:
    """A private X server (Xvfb) for the whole-process GUI runs; yields its DISPLAY."""
    read_end, write_end = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_end), "-screen", "0", size, "-nolisten", "tcp"],
        pass_fds=(write_end,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_end)
    number = b""
    try:
        with os.fdopen(read_end, "rb") as pipe:
            number = pipe.readline().strip()
        assert number.isdigit(), "Xvfb did not start"
        yield f":{number.decode()}"
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
