"""JSON API dumps (WeCom, DingTalk, generic lists of records) as records or a table of text.

Whatever the JSON holds, reading it ends in records or in a :class:`FileRejected`: invalid or
too deeply nested JSON, huge integers and API error answers are refused naming the file.
``NaN`` and ``Infinity`` (which some exporters write) are read as numbers and refused later
by the field that gets them, as a rejected row.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from workstation.ingest.encoding import detect_encoding
from workstation.ingest.errors import FileRejected
from workstation.ingest.table import RawTable, clean_frame

# WeCom getcheckindata → "checkindata"; DingTalk attendance/list → "recordresult";
# DingTalk topapi → "result" (a list, or an object holding one).
RECORD_KEYS = ("checkindata", "recordresult", "result", "records", "list", "data")
TOO_DEEP = "invalid JSON: nested too deeply"
TOO_LONG_NUMBER = "invalid JSON: a number with too many digits"


def load_json_text(text: str, path: Path) -> Any:
    """The document of ``text``, or FileRejected saying why it is not one."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise FileRejected(
            path, f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"
        ) from None
    except RecursionError:
        raise FileRejected(path, TOO_DEEP) from None
    except ValueError:  # an integer of more digits than Python converts (4,300)
        raise FileRejected(path, TOO_LONG_NUMBER) from None


def read_json_records(path: Path) -> tuple[list[dict[str, Any]], str]:
    """(records, where they were found): a bare list, or a list under a known key.

    A WeCom/DingTalk response with ``errcode`` != 0 is refused with its ``errmsg``.
    """
    _, text = detect_encoding(_read_bytes(path), path, complete=True)
    if not text.strip():
        raise FileRejected(path, "empty file, no records")
    doc = load_json_text(text, path)
    records, where = _find_records(doc, path)
    for number, record in enumerate(records, start=1):
        if not isinstance(record, dict):
            raise FileRejected(path, f"record {number} in {where} is not a JSON object")
    return records, where


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise FileRejected(path, f"cannot be read ({exc.strerror or exc})") from None


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


def cell_text(value: Any) -> str:
    """A JSON value as cell text: strings as they are, null empty, the rest compact JSON."""
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def json_table(path: Path) -> RawTable:
    """JSON records as a table of strings (nested values as compact JSON)."""
    records, _ = read_json_records(path)
    rows: list[dict[str, str]] = []
    for number, record in enumerate(records, start=1):
        try:
            rows.append({str(k): cell_text(v) for k, v in record.items()})
        except RecursionError:
            raise FileRejected(path, f"record {number}: {TOO_DEEP}") from None
    return RawTable(
        clean_frame(pd.DataFrame(rows), drop_trailing_blank=False), 0, 1, "utf-8", None, "json"
    )
