"""The one error the low-level readers raise: a file we refuse, with a reason a user can act on."""

from __future__ import annotations

from pathlib import Path


class FileRejected(Exception):
    """A source file that cannot be read at all (as opposed to single bad rows).

    ``str()`` is one line naming the file and what is wrong, e.g.
    ``tracks.csv: not a text file in UTF-8 or GB18030 (binary data at byte 12)``.
    """

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = Path(path)
        self.reason = " ".join(reason.split())  # always one line
        super().__init__(self.path, self.reason)

    def __str__(self) -> str:
        return f"{self.path.name}: {self.reason}"


class HeaderNotFound(FileRejected):
    """No row near the top holds the expected column names."""
