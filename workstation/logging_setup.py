"""Logging to a rotating file in the data dir; nothing of it reaches the terminal.

The file gets the program's messages and every traceback (``log.exception``), Python warnings
(``logging.captureWarnings``: a library's ``DeprecationWarning`` is a line in the log, not a
line on a person's screen), and the libraries' warnings and errors. Alembic's INFO chatter
(its plugin set-up and "Context impl SQLiteImpl" on every start) stays out: the program logs
each schema upgrade itself.
"""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from workstation.private_files import make_private_dir

LOG_FILE = "workstation.log"
#: Libraries whose INFO lines say nothing a reader of the log needs.
QUIET_LOGGERS = ("alembic",)


def configure_logging(log_dir: Path, level: int = logging.INFO) -> Path:
    """Send the root logger to ``log_dir/workstation.log`` (rotating); returns the file.
    The folder is owner-only, and so are the files (the process's umask: ``private_files``)."""
    make_private_dir(log_dir)
    path = log_dir / LOG_FILE
    root = logging.getLogger()
    logging.captureWarnings(True)
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    if any(getattr(h, "baseFilename", None) == str(path) for h in root.handlers):
        return path
    handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=5_000_000, backupCount=5, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(level)
    return path
