"""Files of the data folder are the signed-in person's alone (POSIX): folder 0700, files 0600.

The data folder holds personal data (track points, chats, evidence files, logs that name
people). On POSIX systems the process's umask is set to ``0o077`` as early as the program
starts (``private_umask``), so everything it creates afterwards, here or wherever the user
saves a document (``--out``, Save as), is readable by its owner only: the database and SQLite's
``-wal``/``-shm``/``-journal`` files, logs, backups, evidence files, keys, temporary files and
exports. ``tighten`` walks an existing data folder once at each start and takes group and other
permissions off what an older version (or a copy made by hand) left open.

On Windows none of this applies: the data folder is in the per-user profile
(``%LOCALAPPDATA%\\Casework\\Casework``), whose access list admits only that user, the
administrators and SYSTEM; files there inherit it.
"""

from __future__ import annotations

import logging
import os
import stat
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

#: What the program creates: owner only.
PRIVATE_UMASK = 0o077
PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600
#: Permission bits a private path must not have.
_OPEN_BITS = stat.S_IRWXG | stat.S_IRWXO


def posix() -> bool:
    return os.name == "posix"


def private_umask() -> None:
    """Owner-only permissions for everything this process creates from now on (POSIX)."""
    if posix():
        os.umask(PRIVATE_UMASK)


def make_private_dir(path: Path) -> Path:
    """Create ``path`` (and its missing parents) owner-only; an existing one is tightened."""
    path.mkdir(mode=PRIVATE_DIR_MODE, parents=True, exist_ok=True)
    if posix():
        _tighten_one(path)
    return path


@dataclass(frozen=True)
class Tightened:
    """What ``tighten`` did: paths whose mode it narrowed, and paths it could not change."""

    folder: Path
    checked: int
    tightened: int
    failed: tuple[Path, ...] = ()


def tighten(folder: Path, *extra_files: Path) -> Tightened:
    """Take group and other permissions off ``folder``, everything under it and
    ``extra_files`` (a database kept elsewhere); symbolic links are neither followed nor
    changed. Never the home folder itself or one above it (a ``--data-dir ~`` mistake)."""
    if not posix():
        return Tightened(folder, 0, 0)
    home = Path.home().resolve()
    resolved = folder.resolve()
    if resolved == home or resolved in home.parents:
        log.warning("not tightening %s: it is the home folder or above it", folder)
        return Tightened(folder, 0, 0)
    checked = tightened = 0
    failed: list[Path] = []

    def visit(path: str, mode: int) -> None:
        nonlocal checked, tightened
        checked += 1
        if not mode & _OPEN_BITS:
            return
        try:
            os.chmod(path, stat.S_IMODE(mode) & ~_OPEN_BITS)
        except OSError:
            failed.append(Path(path))
        else:
            tightened += 1

    # One lstat per path (the directory entries tell links and folders apart): a start pays
    # 70-100 ms for 10,000 files on a busy 2-core machine.
    folders = [str(folder)]
    visit(str(folder), folder.lstat().st_mode)
    while folders:
        try:
            entries = list(os.scandir(folders.pop()))
        except OSError:
            continue
        for entry in entries:
            if entry.is_symlink():
                continue
            try:
                mode = entry.stat(follow_symlinks=False).st_mode
            except OSError:
                continue
            visit(entry.path, mode)
            if stat.S_ISDIR(mode):
                folders.append(entry.path)
    for path in extra_files:
        if path.exists() and not path.is_symlink():
            visit(str(path), path.lstat().st_mode)
    return Tightened(folder, checked, tightened, tuple(failed))


def _tighten_one(path: Path) -> int:
    """Take group and other bits off ``path``'s mode (the owner's are kept); 1 when it
    changed, else 0."""
    mode = stat.S_IMODE(path.lstat().st_mode)
    if not mode & _OPEN_BITS:
        return 0
    path.chmod(mode & ~_OPEN_BITS)
    return 1


def open_paths(folder: Path) -> list[tuple[Path, str]]:
    """Every path under ``folder`` (itself included) that group or others can use, with its
    mode (``0o644``): what a check of the data folder reports."""
    found = []
    for path in [folder, *folder.rglob("*")]:
        if path.is_symlink():
            continue
        mode = stat.S_IMODE(path.lstat().st_mode)
        if mode & _OPEN_BITS:
            found.append((path, oct(mode)))
    return found
