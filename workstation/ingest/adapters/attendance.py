"""Attendance sources: WeCom ``getcheckindata``, DingTalk ``attendance/list`` and the DingTalk
"原始记录" workbook, turned into the generic ``checkins`` fields.

Each adapter yields one :class:`RawTable` whose columns are the checkins field names and whose
row ``i`` is the file's record / row ``first_data_row + i``, so rejected rows point at the file.
The person is named by account (``wecom_userid`` / ``dingtalk_userid``) and, in the DingTalk
workbook, also by 工号; the writer resolves them (account first, never by name).

Rules:

* **wecom** (JSON object with ``checkindata``, a JSON list of objects with ``checkin_type``, or
  a CSV with a ``checkin_type`` column): ``checkin_time`` is epoch seconds and passed on as the
  epoch text; ``checkin_type`` 上班打卡 / 下班打卡 / 外出打卡 → on_duty / off_duty / field;
  ``lat`` / ``lng`` are GCJ-02 integers (degrees × 1,000,000) and divided by 1e6; both 0 means
  WeCom had no fix and gives an empty position; ``location_title`` and ``location_detail``
  are joined with a space into the address; ``exception_type`` → source_result; ``mediaids``
  (list) joined by ``;`` → photo_ref. Positions are always GCJ-02.
* **dingtalk-api** (JSON records with ``userCheckTime``): ``userCheckTime`` is epoch ms;
  ``checkType`` OnDuty / OffDuty → on_duty / off_duty, but a punch whose ``locationResult`` or
  ``sourceType`` says ``Outside`` / 外勤 (made outside the attendance range: DingTalk's 外勤
  punch) is ``field``; ``userLatitude`` / ``userLongitude`` are GCJ-02 degrees;
  ``timeResult`` and ``locationResult`` are kept as ``"<timeResult>/<locationResult>"`` in
  source_result. Positions are always GCJ-02.
* **dingtalk-export** (an .xlsx with a sheet 原始记录, header on row 3 found by name, columns by
  name so files with 19 or 20 columns, without 考勤组, work): 考勤日期 and 打卡时间 may write
  the year with two digits (``24-03-04 星期一``, ``24-03-04 08:51``: DingTalk's YY-MM-DD, read
  as 20YY); 打卡时间 holding only a time is combined with the date of 考勤日期; a 缺卡 row
  (no punch time) gets the planned time of 考勤时间 on 考勤日期, and the writer keeps it as a
  missed punch; kind: 打卡结果 containing 外勤 → field; else 考勤时间 naming 上班 / 下班; else
  the planned time in 考勤时间, or failing that the punch time, before 12:00 → on_duty, from
  12:00 → off_duty. 姓名 and 部门 are passed on (a person may be found by a unique name in the
  department). The export has no coordinates: lat/lon stay empty and the writer places the
  punch by the employee's track, else by its address.

WeCom ``未打卡`` records (the scheduled time, lat/lng 0) and DingTalk 缺卡 rows reach the writer
with their result text, and it keeps them as missed punches, not as check-ins.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd

from workstation.domain.enums import CheckinKind, CoordSystem
from workstation.ingest.errors import FileRejected
from workstation.ingest.model import ImportOptions, RowProblem
from workstation.ingest.profiles import ImportKind, normalise_header
from workstation.ingest.readers import read_json_records, read_table
from workstation.ingest.readers_json import load_json_text
from workstation.ingest.sources import SourceAdapter, SourceData, register
from workstation.ingest.table import RawTable, SourceFormat
from workstation.ingest.values import ValueProblem, parse_date

CHECKIN_FIELDS = (
    *("employee_no", "wecom_userid", "dingtalk_userid", "name", "department"),
    *("time", "lat", "lon", "accuracy_m", "kind", "customer_code", "address", "note"),
    *("source_result", "photo_ref"),
)
WECOM_TYPES = {
    "上班打卡": CheckinKind.ON_DUTY.value,
    "下班打卡": CheckinKind.OFF_DUTY.value,
    "外出打卡": CheckinKind.FIELD.value,
}
DINGTALK_CHECK_TYPES = {"onduty": CheckinKind.ON_DUTY.value, "offduty": CheckinKind.OFF_DUTY.value}
DINGTALK_OUTSIDE = {"outside", "外勤"}
DINGTALK_SHEET = "原始记录"
#: Names the DingTalk export's header row is found by (older exports lack 考勤组).
DINGTALK_HEADER_NAMES = ("姓名", "工号", "UserId", "考勤日期", "考勤时间", "打卡时间", "打卡结果")
_TIME_ONLY = re.compile(r"^\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$")
#: DingTalk's two-digit year at the start of a date: ``24-03-04`` (YY-MM-DD).
_SHORT_YEAR = re.compile(r"^(\d{2})([-/.])(\d{1,2})\2(\d{1,2})(?=$|[\sT])")
#: 打卡结果 of a punch that was due and not made.
DINGTALK_MISSED = "缺卡"
_CLOCK = re.compile(r"(\d{1,2}):(\d{2})")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _table(
    rows: list[dict[str, str]],
    header_row: int,
    first_data_row: int,
    source_format: SourceFormat,
    sheet: str | None = None,
    encoding: str | None = None,
    problems: tuple[RowProblem, ...] = (),
) -> RawTable:
    frame = pd.DataFrame(
        [[row.get(name, "") for name in CHECKIN_FIELDS] for row in rows],
        columns=list(CHECKIN_FIELDS),
        dtype=object,
    )
    return RawTable(frame, header_row, first_data_row, encoding, sheet, source_format, problems)


def _frame_records(frame: pd.DataFrame) -> list[dict[str, str]]:
    columns = [str(c) for c in frame.columns]
    return [
        dict(zip(columns, (str(v) for v in row), strict=True))
        for row in frame.itertuples(index=False, name=None)
    ]


def _data(profile: str, table: RawTable, crs: CoordSystem | None) -> SourceData:
    return SourceData(profile, list(CHECKIN_FIELDS), table.header_row, iter([table]), crs)


def _json_records(path: Path) -> list[dict[str, Any]] | None:
    """The records of a JSON file, or None when it is not JSON records (for ``detect``)."""
    if path.suffix.lower() != ".json":
        return None
    try:
        records, _ = read_json_records(path)
    except FileRejected:
        return None
    return records


def _has_key(records: Iterable[dict[str, Any]], key: str) -> bool:
    return any(key in record for record in records)


# --- WeCom -----------------------------------------------------------------------------------


def _wecom_detect(path: Path) -> bool:
    suffix = path.suffix.lower()
    if suffix in (".csv", ".tsv", ".txt"):
        try:
            with path.open(encoding="utf-8-sig", errors="replace") as handle:
                head = handle.readline(64 * 1024)
        except OSError:
            return False
        return "checkin_type" in head
    records = _json_document(path)
    if isinstance(records, dict):
        return "checkindata" in records
    return isinstance(records, list) and _has_key(
        (r for r in records if isinstance(r, dict)), "checkin_type"
    )


def _json_document(path: Path) -> Any:
    """The JSON document of a .json file, or None when it is not one (for ``detect``)."""
    if path.suffix.lower() != ".json":
        return None
    try:
        return load_json_text(path.read_text(encoding="utf-8-sig"), path)
    except (OSError, ValueError, FileRejected):
        return None


def _wecom_degrees(value: Any) -> str:
    """WeCom's integer micro-degrees as degrees; anything else is passed on as text for the
    rows parser to refuse ("not a number", "not a finite number")."""
    text = _text(value)
    if not text:
        return ""
    try:
        number = float(text)
    except ValueError:
        return text
    if not math.isfinite(number):
        return text
    return repr(int(number) / 1_000_000)


def _is_zero(text: str) -> bool:
    try:
        return float(text) == 0
    except ValueError:
        return False


def _wecom_media(value: Any) -> str:
    if isinstance(value, list):
        return ";".join(_text(v) for v in value if _text(v))
    text = _text(value)
    if text.startswith("["):
        try:
            parsed = json.loads(text)
        except ValueError:
            return text
        if isinstance(parsed, list):
            return _wecom_media(parsed)
    return text


def wecom_row(record: dict[str, Any]) -> dict[str, str]:
    """One WeCom check-in record as checkins fields."""
    lat, lon = _wecom_degrees(record.get("lat")), _wecom_degrees(record.get("lng"))
    if _is_zero(lat) and _is_zero(lon):
        lat = lon = ""  # WeCom writes 0,0 when it had no fix
    kind_text = _text(record.get("checkin_type"))
    title, detail = _text(record.get("location_title")), _text(record.get("location_detail"))
    return {
        "wecom_userid": _text(record.get("userid")),
        "time": _text(record.get("checkin_time")),
        "kind": WECOM_TYPES.get(kind_text, kind_text),
        "lat": lat,
        "lon": lon,
        "address": " ".join(p for p in dict.fromkeys((title, detail)) if p),
        "note": _text(record.get("notes")),
        "source_result": _text(record.get("exception_type")),
        "photo_ref": _wecom_media(record.get("mediaids")),
    }


def _wecom_open(path: Path, kind: ImportKind, options: ImportOptions) -> SourceData:
    if path.suffix.lower() == ".json":
        records, _ = read_json_records(path)
        table = _table([wecom_row(r) for r in records], 0, 1, "json", encoding="utf-8")
    else:
        raw = read_table(path, header_names=["userid", "checkin_type", "checkin_time"])
        table = _table(
            [wecom_row(r) for r in _frame_records(raw.frame)],
            raw.header_row,
            raw.first_data_row,
            raw.source_format,
            raw.sheet,
            raw.encoding,
            raw.problems,
        )
    return _data("wecom", table, CoordSystem.GCJ02)


# --- DingTalk API ----------------------------------------------------------------------------


def _dingtalk_api_detect(path: Path) -> bool:
    records = _json_records(path)
    return bool(records) and _has_key(records or [], "userCheckTime")


def dingtalk_api_row(record: dict[str, Any]) -> dict[str, str]:
    """One DingTalk ``attendance/list`` record as checkins fields."""
    check_type = _text(record.get("checkType"))
    location = _text(record.get("locationResult"))
    source = _text(record.get("sourceType"))
    outside = {normalise_header(location), normalise_header(source)} & DINGTALK_OUTSIDE
    kind = (
        CheckinKind.FIELD.value
        if outside
        else DINGTALK_CHECK_TYPES.get(normalise_header(check_type), check_type)
    )
    time_result = _text(record.get("timeResult"))
    return {
        "dingtalk_userid": _text(record.get("userId")),
        "time": _text(record.get("userCheckTime")),
        "kind": kind,
        "lat": _text(record.get("userLatitude")),
        "lon": _text(record.get("userLongitude")),
        "accuracy_m": _text(record.get("userAccuracy")),
        "address": _text(record.get("userAddress")),
        "source_result": "/".join(p for p in (time_result, location) if p),
    }


def _dingtalk_api_open(path: Path, kind: ImportKind, options: ImportOptions) -> SourceData:
    records, _ = read_json_records(path)
    table = _table([dingtalk_api_row(r) for r in records], 0, 1, "json", encoding="utf-8")
    return _data("dingtalk-api", table, CoordSystem.GCJ02)


# --- DingTalk 原始记录 workbook ----------------------------------------------------------------


def _dingtalk_export_detect(path: Path) -> bool:
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        return False
    try:
        book = openpyxl.load_workbook(path, read_only=True)
    except Exception:  # a damaged or foreign file is simply not this source
        return False
    try:
        return DINGTALK_SHEET in book.sheetnames
    finally:
        book.close()


def full_year(text: str) -> str:
    """``24-03-04 …`` (DingTalk's two-digit year, YY-MM-DD) as ``2024-03-04 …``; any other
    text unchanged."""
    text = text.strip()
    found = _SHORT_YEAR.match(text)
    if found is None:
        return text
    year, _, month, day = found.groups()
    return f"20{year}-{month}-{day}{text[found.end() :]}"


def _punch_time(punch: str, day_text: str, planned: str = "", missed: bool = False) -> str:
    """打卡时间, with the date of 考勤日期 added when it holds only a time of day; a missed
    punch (no 打卡时间) at the planned time of 考勤时间."""
    punch = full_year(punch)
    if not punch and missed:
        found = _CLOCK.search(planned)
        punch = f"{int(found.group(1)):02d}:{found.group(2)}" if found else ""
    if not _TIME_ONLY.match(punch):
        return punch
    try:
        day = parse_date(full_year(day_text))
    except ValueProblem:
        return punch  # left for the rows parser to reject
    return f"{day.isoformat()} {punch}" if day else punch


def _before_noon(text: str) -> bool | None:
    found = _CLOCK.search(text)
    return None if found is None else int(found.group(1)) < 12


def dingtalk_export_kind(result: str, planned: str, punch: str) -> str:
    """field for 外勤; else 考勤时间's 上班/下班; else its time, or the punch's, vs noon."""
    if "外勤" in result:
        return CheckinKind.FIELD.value
    if "上班" in planned:
        return CheckinKind.ON_DUTY.value
    if "下班" in planned:
        return CheckinKind.OFF_DUTY.value
    morning = _before_noon(planned)
    if morning is None:
        morning = _before_noon(punch.rsplit(" ", 1)[-1])
    if morning is None:
        return ""
    return CheckinKind.ON_DUTY.value if morning else CheckinKind.OFF_DUTY.value


def _dingtalk_export_open(path: Path, kind: ImportKind, options: ImportOptions) -> SourceData:
    raw = read_table(path, header_names=DINGTALK_HEADER_NAMES, sheet=DINGTALK_SHEET)
    by_name = {normalise_header(str(c)): str(c) for c in raw.frame.columns}
    if normalise_header("打卡时间") not in by_name:
        raise FileRejected(path, f"sheet {DINGTALK_SHEET!r} has no column 打卡时间")

    def column(name: str) -> Callable[[dict[str, str]], str]:
        header = by_name.get(normalise_header(name))
        return (lambda r: r[header]) if header is not None else (lambda r: "")

    get = {
        name: column(name)
        for name in (
            *("姓名", "部门", "工号", "UserId", "考勤日期", "考勤时间", "打卡时间", "打卡结果"),
            *("打卡地址", "打卡备注", "打卡图片1"),
        )
    }
    rows: list[dict[str, str]] = []
    for record in _frame_records(raw.frame):
        if not any(str(v).strip() for v in record.values()):
            rows.append({})  # keep blank rows so row numbers stay true
            continue
        result = get["打卡结果"](record)
        punch = _punch_time(
            get["打卡时间"](record),
            get["考勤日期"](record),
            get["考勤时间"](record),
            DINGTALK_MISSED in result,
        )
        rows.append(
            {
                "employee_no": get["工号"](record),
                "dingtalk_userid": get["UserId"](record),
                "name": get["姓名"](record),
                "department": get["部门"](record),
                "time": punch,
                "kind": dingtalk_export_kind(result, get["考勤时间"](record), punch),
                "address": get["打卡地址"](record),
                "note": get["打卡备注"](record),
                "source_result": result,
                "photo_ref": get["打卡图片1"](record),
            }
        )
    table = _table(rows, raw.header_row, raw.first_data_row, "xlsx", raw.sheet)
    return _data("dingtalk-export", table, None)


CHECKINS = frozenset({"checkins"})
WECOM = register(
    SourceAdapter(
        "wecom",
        CHECKINS,
        _wecom_detect,
        _wecom_open,
        "WeCom getcheckindata JSON (or CSV with its columns); GCJ-02 ×1e6 positions",
    )
)
DINGTALK_API = register(
    SourceAdapter(
        "dingtalk-api",
        CHECKINS,
        _dingtalk_api_detect,
        _dingtalk_api_open,
        "DingTalk attendance/list JSON records (userCheckTime in ms, GCJ-02 positions)",
    )
)
DINGTALK_EXPORT = register(
    SourceAdapter(
        "dingtalk-export",
        CHECKINS,
        _dingtalk_export_detect,
        _dingtalk_export_open,
        "DingTalk 原始记录 workbook (no coordinates: punches placed by address)",
    )
)
