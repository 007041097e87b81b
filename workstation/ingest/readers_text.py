"""Text sources: encoding detection, CSV (whole or in chunks) and JSON API dumps."""

from __future__ import annotations

import codecs
import csv
import io
import json
import warnings
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pandas as pd

from workstation.ingest.errors import FileRejected
from workstation.ingest.table import HeaderName, RawTable, clean_frame, column_names, find_header

SNIFF_BYTES = 64 * 1024
DELIMITERS = (",", "\t", ";")
# Control characters that never occur in a real CSV/JSON export (tab, LF, FF, CR are fine).
_JUNK = {chr(c) for c in range(32)} - {"\t", "\n", "\x0c", "\r"}


def detect_encoding(data: bytes, path: Path, *, complete: bool) -> tuple[str, str]:
    """(codec, decoded text) for UTF-8 (BOM or not) or GB18030 (which covers GBK and GB2312).

    ``complete`` says whether ``data`` is the whole file; if not, a character cut at the end is
    tolerated. Anything else (NUL bytes, undecodable bytes, control characters) is refused.
    """
    nul = data.find(b"\x00")
    if nul >= 0:
        raise _not_text(path, nul)
    bad_at = 0
    for codec in ("utf-8-sig", "gb18030"):
        try:
            text = codecs.getincrementaldecoder(codec)().decode(data, final=complete)
        except UnicodeDecodeError as exc:
            bad_at = max(bad_at, exc.start)
            continue
        junk = next((i for i, ch in enumerate(text) if ch in _JUNK), None)
        if junk is not None:
            raise _not_text(path, len(text[:junk].encode(codec)))
        return codec, text
    raise _not_text(path, bad_at)


def _not_text(path: Path, offset: int) -> FileRejected:
    return FileRejected(path, f"not a text file in UTF-8 or GB18030 (binary data at byte {offset})")


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
        names=names,
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
    )


def _strict(read: Any) -> Any:
    """Call ``read()`` turning pandas' "extra fields dropped" warning into an error."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", pd.errors.ParserWarning)
        return read()


def _parse_error(path: Path, exc: Exception) -> FileRejected:
    if isinstance(exc, pd.errors.ParserWarning):
        return FileRejected(
            path, "some rows have more fields than the header row; is the header row the right one?"
        )
    if isinstance(exc, UnicodeDecodeError):
        return FileRejected(
            path, "not a text file in UTF-8 or GB18030 (undecodable bytes after the first 64 KB)"
        )
    return FileRejected(path, f"unreadable CSV: {exc}")


def read_csv_table(
    path: Path, *, header_names: Iterable[HeaderName] = (), max_header_scan: int = 10
) -> RawTable:
    """The whole CSV at once. An empty file is refused; a header-only file gives 0 rows."""
    data = path.read_bytes()
    encoding, text = detect_encoding(data, path, complete=True)
    delimiter, header, header_line = _locate_header(text, path, header_names, max_header_scan)
    names = column_names(header, len(header), path)
    try:
        frame = _strict(
            lambda: _reader(io.StringIO(text), delimiter, names, header_line, None, None)
        )
    except (pd.errors.ParserError, pd.errors.ParserWarning, ValueError) as exc:
        raise _parse_error(path, exc) from exc
    return RawTable(clean_frame(frame), header_line, header_line + 1, encoding, None, "csv")


def iter_csv_chunks(
    path: Path,
    chunksize: int = 200_000,
    *,
    header_names: Iterable[HeaderName] = (),
    max_header_scan: int = 10,
    strip: bool = True,
) -> Iterator[RawTable]:
    """The CSV in tables of at most ``chunksize`` rows, in bounded memory.

    Cells are stripped of surrounding blanks unless ``strip`` is False (for callers that trim
    only the cells they need as text).

    The encoding is decided on the first 64 KB; undecodable bytes later on raise
    :class:`FileRejected` when reached. Trailing blank rows are dropped from the last chunk.
    A header-only file yields one table with 0 rows.
    """
    with path.open("rb") as fh:
        head = fh.read(SNIFF_BYTES)
        complete = not fh.read(1)
    encoding, sample = detect_encoding(head, path, complete=complete)
    delimiter, header, header_line = _locate_header(sample, path, header_names, max_header_scan)
    names = column_names(header, len(header), path)
    next_row = header_line + 1
    pending: RawTable | None = None
    try:
        with _reader(path, delimiter, names, header_line, encoding, chunksize) as chunks:
            while (chunk := _strict(lambda: next(chunks, None))) is not None:
                if pending is not None:
                    yield pending
                frame = clean_frame(chunk, drop_trailing_blank=False, strip=strip)
                pending = RawTable(frame, header_line, next_row, encoding, None, "csv")
                next_row += len(frame)
    except (pd.errors.ParserError, pd.errors.ParserWarning, UnicodeDecodeError, ValueError) as exc:
        raise _parse_error(path, exc) from exc
    if pending is None:
        pending = RawTable(
            clean_frame(pd.DataFrame(columns=names)), header_line, next_row, encoding, None, "csv"
        )
    last = clean_frame(pending.frame, strip=False)
    if len(last) or pending.first_data_row == header_line + 1:
        yield RawTable(last, header_line, pending.first_data_row, encoding, None, "csv")


# --- JSON ---------------------------------------------------------------------------------

# WeCom getcheckindata → "checkindata"; DingTalk attendance/list → "recordresult";
# DingTalk topapi → "result" (a list, or an object holding one).
RECORD_KEYS = ("checkindata", "recordresult", "result", "records", "list", "data")


def read_json_records(path: Path) -> tuple[list[dict[str, Any]], str]:
    """(records, where they were found): a bare list, or a list under a known key.

    A WeCom/DingTalk response with ``errcode`` != 0 is refused with its ``errmsg``.
    """
    _, text = detect_encoding(path.read_bytes(), path, complete=True)
    if not text.strip():
        raise FileRejected(path, "empty file, no records")
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FileRejected(
            path, f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"
        ) from exc
    records, where = _find_records(doc, path)
    for number, record in enumerate(records, start=1):
        if not isinstance(record, dict):
            raise FileRejected(path, f"record {number} in {where} is not a JSON object")
    return records, where


def _find_records(doc: Any, path: Path, prefix: str = "") -> tuple[list[Any], str]:
    if isinstance(doc, list):
        return doc, prefix or "top-level list"
    if not isinstance(doc, dict):
        raise FileRejected(path, "JSON holds neither a list of records nor an object")
    errcode = doc.get("errcode", 0)
    if errcode not in (0, "0", None):
        message = doc.get("errmsg") or "no errmsg"
        raise FileRejected(path, f"the API answered with an error: errcode {errcode}, {message}")
    for key in RECORD_KEYS:
        value = doc.get(key)
        if isinstance(value, list):
            return value, prefix + key
        if isinstance(value, dict) and not prefix:
            try:
                return _find_records(value, path, prefix=f"{key}.")
            except FileRejected:
                continue
    raise FileRejected(
        path,
        "no list of records found (looked for a top-level list or the keys "
        + ", ".join(RECORD_KEYS)
        + ")",
    )


def json_table(path: Path) -> RawTable:
    """JSON records as a table of strings (nested values as compact JSON)."""
    records, _ = read_json_records(path)
    rows = [
        {
            k: v
            if isinstance(v, str)
            else ""
            if v is None
            else json.dumps(v, ensure_ascii=False, separators=(",", ":"))
            for k, v in r.items()
        }
        for r in records
    ]
    return RawTable(
        clean_frame(pd.DataFrame(rows), drop_trailing_blank=False), 0, 1, "utf-8", None, "json"
    )
