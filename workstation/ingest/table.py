"""The shape every tabular reader returns, and the header-row rules they share."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pandas as pd

from workstation.ingest.errors import FileRejected, HeaderNotFound
from workstation.ingest.model import RowProblem

SourceFormat = Literal["csv", "xlsx", "json", "gpx"]
#: How many rows from the top are searched for the header row (title rows, notes above it).
HEADER_SCAN_ROWS = 100


@dataclass(frozen=True)
class RawTable:
    """Cells exactly as the file gave them, as stripped ``str`` ("" for empty).

    ``header_row`` is the 1-based row (CSV: line) of the header in the file or sheet, and frame
    row ``i`` is file row ``first_data_row + i``: blank rows inside the data are kept (as rows of
    "") so this stays true; only trailing blank rows are dropped. For JSON, ``header_row`` is 0
    and row ``i`` is record ``first_data_row + i`` (1-based) of the list.
    """

    frame: pd.DataFrame
    header_row: int
    first_data_row: int
    encoding: str | None
    sheet: str | None
    source_format: SourceFormat
    problems: tuple[RowProblem, ...] = ()


def _norm(name: str) -> str:
    folded = unicodedata.normalize("NFKC", name).replace("\ufeff", "").casefold()
    return "".join(ch for ch in folded if not ch.isspace() and ch not in "_-")


#: A header name, or a group of names any one of which counts (e.g. ``("employee_no", "工号")``).
HeaderName = str | Sequence[str]


def find_header(
    rows: Sequence[Sequence[str]],
    path: Path,
    header_names: Iterable[HeaderName],
    max_header_scan: int,
) -> int:
    """0-based index in ``rows`` of the header row.

    With ``header_names``: the first row (within ``max_header_scan``) holding at least half of
    them (compared without case, spaces, ``_`` or ``-``; a group counts once if any of its
    names is there). Without: the first non-empty row.
    """
    named = [[name] if isinstance(name, str) else list(name) for name in header_names]
    named = [names for names in named if any(_norm(n) for n in names)]
    wanted = [{_norm(n) for n in names if _norm(n)} for names in named]
    for index, row in enumerate(rows[:max_header_scan]):
        cells = {_norm(c) for c in row if _norm(c)}
        if not cells:
            continue
        if not wanted or 2 * sum(1 for g in wanted if g & cells) >= len(wanted):
            return index
    if wanted:
        shown = ", ".join([names[0] for names in named][:6])
        raise HeaderNotFound(
            path,
            f"no header row with the expected columns ({shown}) in the first "
            f"{max_header_scan} rows",
        )
    raise FileRejected(path, f"no rows (the first {max_header_scan} rows are empty)")


def column_names(header: Sequence[str], width: int, path: Path) -> list[str]:
    """Header cells as column names; blanks become ``column_N``; duplicates are refused."""
    names = [c.replace("\ufeff", "").strip() for c in header][:width]
    names += [""] * (width - len(names))
    names = [n or f"column_{i}" for i, n in enumerate(names, start=1)]
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise FileRejected(path, f"the header names the column {name!r} twice")
        seen.add(name)
    return names


def clean_frame(
    frame: pd.DataFrame, *, drop_trailing_blank: bool = True, strip: bool = True
) -> pd.DataFrame:
    """Every cell a ``str`` (NaN → ""), stripped unless ``strip`` is False, a fresh
    RangeIndex, trailing blank rows gone."""
    frame = frame.fillna("")
    for column in frame.columns:
        cells = frame[column].astype(str)
        frame[column] = (cells.str.strip() if strip else cells).astype(object)
    frame = frame.reset_index(drop=True)
    if drop_trailing_blank and len(frame):
        filled = (frame != "").any(axis=1).to_numpy().nonzero()[0]
        # (unstripped cells: a row of blanks at the end is blank too)
        while len(filled) and not any(str(c).strip() for c in frame.iloc[filled[-1]]):
            filled = filled[:-1]
        frame = frame.iloc[: (filled[-1] + 1) if len(filled) else 0]
    return frame
