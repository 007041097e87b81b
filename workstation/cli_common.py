"""What every command-line verb shares: the error it raises, opening the store, progress."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from workstation.config import Settings
from workstation.domain.progress import ProgressCallback

if TYPE_CHECKING:
    from workstation.app import App


class CliError(Exception):
    """A failure the user can act on: printed as one clear line, exit status 1."""


def open_store(settings: Settings) -> App:
    from workstation.app import open_app
    from workstation.store.migrate import SchemaError

    try:
        return open_app(settings)
    except SchemaError as exc:
        raise CliError(f"cannot open {settings.db_url}: {exc}") from exc


def text_progress(quiet: bool) -> ProgressCallback:
    """Progress on stderr: a bar redrawn in place on a terminal, one line per step otherwise."""
    last: list[str] = [""]
    tty = sys.stderr.isatty()

    def report(done: int, total: int, message: str) -> None:
        if quiet:
            return
        if tty:
            filled = 30 * done // total if total else 0
            bar = "#" * filled + "-" * (30 - filled)
            pct = f"{100 * done // total:3d}%" if total else "    "
            end = "\n" if total and done >= total else ""
            print(f"\r[{bar}] {pct} {message[:60]:<60}", end=end, file=sys.stderr, flush=True)
            return
        if message == last[0]:
            return
        last[0] = message
        pct = f"{100 * done // total:3d}%" if total else "    "
        print(f"[{pct}] {message}", file=sys.stderr, flush=True)

    return report
