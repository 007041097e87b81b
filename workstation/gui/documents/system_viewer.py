"""Handing a file to the program the desktop opens it with — when there is one."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices

PDF = "application/pdf"


def has_viewer(media_type: str) -> bool:
    """Whether the desktop has a program for ``media_type``. On Linux and the BSDs Qt hands
    files to ``xdg-open``, which fails later and silently when nothing is registered, so ask
    ``xdg-mime`` first; elsewhere the desktop's own answer (``open_with_system``) is reliable."""
    if sys.platform.startswith(("win", "darwin")):
        return True
    if shutil.which("xdg-open") is None:
        return False
    query = shutil.which("xdg-mime")
    if query is None:
        return True
    try:
        found = subprocess.run(
            [query, "query", "default", media_type],
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return True
    return bool(found.stdout.strip())


def open_with_system(path: Path) -> bool:
    """Open ``path`` in the program the desktop uses for it (False: none could)."""
    return bool(QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))))
