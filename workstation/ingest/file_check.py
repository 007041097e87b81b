"""Whether a path is a file this process can read, said as a refusal before any reader opens it."""

from __future__ import annotations

import stat
from pathlib import Path

from workstation.ingest.errors import FileRejected


def check_readable(path: Path) -> None:
    """Raise :class:`FileRejected` unless ``path`` is a regular file that can be opened."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise FileRejected(path, "file not found") from None
    except OSError as exc:
        raise FileRejected(path, f"cannot be read ({exc.strerror or exc})") from None
    if stat.S_ISDIR(mode):
        raise FileRejected(path, "is a folder, not a file")
    if not stat.S_ISREG(mode):
        raise FileRejected(path, "is not a regular file")
    try:
        with path.open("rb"):
            pass
    except OSError as exc:
        raise FileRejected(path, f"cannot be read ({exc.strerror or exc})") from None
