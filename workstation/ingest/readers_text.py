"""CSV files (whole or in chunks): encoding, delimiter, header row, and rows that do not fit.

* The encoding is decided by :mod:`workstation.ingest.encoding` on the file's start; bytes
  that do not decode later on are refused naming their line.
* A row with more fields than the header row is rejected with its row number (the others are
  read); when the first data row already has more, the header row is the wrong one and the
  file is refused.
"""

from __future__ import annotations

import csv
import io
import re
import warnings
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from workstation.ingest.encoding import detect_encoding, detect_file_encoding, locate_bad_bytes
from workstation.ingest.errors import FileRejected
from workstation.ingest.model import RowProblem
from workstation.ingest.table import (
    HEADER_SCAN_ROWS,
    HeaderName,
    RawTable,
    clean_frame,
    column_names,
    find_header,
)

SNIFF_BYTES = 64 * 1024
DELIMITERS = (",", "\t", ";")
#: The name of one column more than the header has: a row with one field too many fills it.
#: (No header can have it: NUL characters are refused in text files.)
EXTRA = "\x00extra"
#: The key of a too-wide row's last field among its cells (in the rejected rows' report).
EXTRA_LABEL = "(extra field)"
_SKIPPED = re.compile(r"Skipping line (\d+): expected \d+ fields, saw (\d+)")
_TRUNCATED = "Length of header or names does not match length of data"


def _delimiter(lines: list[str]) -> str:
    """The delimiter most used on any one of the first lines (title rows have none)."""
    counts = {d: max(ln.count(d) for ln in lines) for d in DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _locate_header(
    sample: str, path: Path, header_names: Iterable[HeaderName], max_header_scan: int
) -> tuple[str, list[str], int]:
    """(delimiter, header cells, 1-based line of the header) from the start of the text."""
    lines = sample.splitlines()
    filled = [ln for ln in lines[: max_header_scan + 1] if ln.strip()]
    if not filled:
        raise FileRejected(path, "empty file, no rows")
    delimiter = _delimiter(filled)
    reader = csv.reader(io.StringIO(sample), delimiter=delimiter)
    rows: list[list[str]] = []
    line_after: list[int] = []
    try:
        for row in reader:
            rows.append(row)
            line_after.append(reader.line_num)
            if len(rows) >= max_header_scan:
                break
    except csv.Error as exc:
        raise FileRejected(path, f"unreadable CSV near line {reader.line_num}: {exc}") from exc
    index = find_header(rows, path, header_names, max_header_scan)
    return delimiter, rows[index], line_after[index]


def _reader(
    source: Any,
    delimiter: str,
    names: list[str],
    skip: int,
    encoding: str | None,
    chunksize: int | None,
) -> Any:
    return pd.read_csv(
        source,
        sep=delimiter,
        header=None,
        names=[*names, EXTRA],
        skiprows=skip,
        dtype=str,
        keep_default_na=False,
        na_filter=False,
        skip_blank_lines=False,
        encoding=encoding,
        encoding_errors="strict",
        chunksize=chunksize,
        engine="c",
        index_col=False,
        on_bad_lines="warn",
    )


def _read(read: Callable[[], Any], path: Path, first_row: int) -> tuple[Any, list[tuple[int, int]]]:
    """``read()`` (a frame, or None at the end of the chunks) and the lines pandas skipped for
    having too many fields, as (line, fields)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", pd.errors.ParserWarning)
        result = read()
    skipped: list[tuple[int, int]] = []
    for warning in caught:
        text = str(warning.message)
        if _TRUNCATED in text:
            raise FileRejected(
                path,
                f"row {first_row} has more fields than the header row; "
                "is the header row the right one?",
            )
        skipped += [(int(line), int(fields)) for line, fields in _SKIPPED.findall(text)]
    return result, skipped


def _fit(
    frame: pd.DataFrame, skipped: list[tuple[int, int]], first_row: int, width: int, path: Path
) -> tuple[pd.DataFrame, tuple[RowProblem, ...]]:
    """The chunk without its too-wide rows, which become blank rows (so row ``i`` stays file
    row ``first_row + i``) and problems naming them."""
    extra = frame.pop(EXTRA)
    wide = np.flatnonzero((extra != "").to_numpy())
    problems = [
        RowProblem(
            first_row + i,
            None,
            f"{width + 1} fields where the header row has {width}",
            {**{str(k): str(v) for k, v in frame.iloc[i].items()}, EXTRA_LABEL: str(extra.iat[i])},
        )
        for i in wide.tolist()
    ]
    if wide.size:
        frame.iloc[wide] = ""
    if skipped:
        total = len(frame) + len(skipped)
        at = np.array([line - first_row for line, _ in skipped], dtype=np.int64)
        if at.min() < 0 or at.max() >= total:
            line, fields = skipped[0]
            raise FileRejected(path, f"line {line} has {fields} fields, the header row {width}")
        keep = np.ones(total, dtype=bool)
        keep[at] = False
        frame.index = pd.Index(np.flatnonzero(keep))
        frame = frame.reindex(pd.RangeIndex(total), fill_value="")
        problems += [
            RowProblem(line, None, f"{fields} fields where the header row has {width}")
            for line, fields in skipped
        ]
    return frame, tuple(sorted(problems, key=lambda p: p.row))


def _parse_error(path: Path, exc: Exception) -> FileRejected:
    return FileRejected(path, f"unreadable CSV: {exc}")


def read_csv_table(
    path: Path, *, header_names: Iterable[HeaderName] = (), max_header_scan: int = HEADER_SCAN_ROWS
) -> RawTable:
    """The whole CSV at once. An empty file is refused; a header-only file gives 0 rows."""
    data = _read_bytes(path)
    encoding, text = detect_encoding(data, path, complete=True)
    delimiter, header, header_line = _locate_header(text, path, header_names, max_header_scan)
    names = column_names(header, len(header), path)
    first = header_line + 1
    try:
        frame, skipped = _read(
            lambda: _reader(io.StringIO(text), delimiter, names, header_line, None, None),
            path,
            first,
        )
    except (pd.errors.ParserError, ValueError) as exc:
        raise _parse_error(path, exc) from None
    frame, problems = _fit(frame, skipped, first, len(names), path)
    return RawTable(clean_frame(frame), header_line, first, encoding, None, "csv", problems)


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise FileRejected(path, f"cannot be read ({exc.strerror or exc})") from None


def iter_csv_chunks(
    path: Path,
    chunksize: int = 200_000,
    *,
    header_names: Iterable[HeaderName] = (),
    max_header_scan: int = HEADER_SCAN_ROWS,
    strip: bool = True,
) -> Iterator[RawTable]:
    """The CSV in tables of at most ``chunksize`` rows, in bounded memory.

    Cells are stripped of surrounding blanks unless ``strip`` is False (for callers that trim
    only the cells they need as text).

    The encoding is decided on the first 64 KB (or the first non-ASCII text, when the start is
    all ASCII); undecodable bytes later on raise :class:`FileRejected` naming their line when
    reached. Trailing blank rows are dropped from the last chunk. A header-only file yields one
    table with 0 rows.
    """
    try:
        with path.open("rb") as fh:
            head = fh.read(SNIFF_BYTES)
            complete = not fh.read(1)
    except OSError as exc:
        raise FileRejected(path, f"cannot be read ({exc.strerror or exc})") from None
    encoding, sample = detect_file_encoding(path, head, complete=complete)
    delimiter, header, header_line = _locate_header(sample, path, header_names, max_header_scan)
    names = column_names(header, len(header), path)
    next_row = header_line + 1
    pending: RawTable | None = None
    try:
        with _reader(path, delimiter, names, header_line, encoding, chunksize) as chunks:
            while True:
                chunk, skipped = _read(lambda: next(chunks, None), path, next_row)
                if chunk is None:
                    break
                if pending is not None:
                    yield pending
                chunk, problems = _fit(chunk, skipped, next_row, len(names), path)
                frame = clean_frame(chunk, drop_trailing_blank=False, strip=strip)
                pending = RawTable(frame, header_line, next_row, encoding, None, "csv", problems)
                next_row += len(frame)
    except UnicodeDecodeError:
        raise locate_bad_bytes(path, encoding) or FileRejected(
            path, "not a text file in UTF-8 or GB18030 (undecodable bytes)"
        ) from None
    except (pd.errors.ParserError, ValueError) as exc:
        raise _parse_error(path, exc) from None
    if pending is None:
        pending = RawTable(
            clean_frame(pd.DataFrame(columns=names)), header_line, next_row, encoding, None, "csv"
        )
    last = clean_frame(pending.frame, strip=False)
    if len(last) or pending.first_data_row == header_line + 1:
        yield RawTable(
            last,
            header_line,
            pending.first_data_row,
            encoding,
            None,
            "csv",
            pending.problems,
        )
