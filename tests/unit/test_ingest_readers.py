"""read_table / iter_csv_chunks / read_json_records on small real-shaped files."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from workstation.ingest import FileRejected, iter_csv_chunks, read_json_records, read_table

DATA = Path(__file__).resolve().parents[1] / "data" / "ingest"
HEADER = ["工号", "姓名", "打卡时间", "经度", "纬度"]
ROWS = [
    ["E001", "张三", "2026-10-08 09:01:12", "121.473701", "31.230416"],
    ["E002", "李四", "2026-10-08 09:03:40", "121.480000", "31.240000"],
]


def _csv(rows: list[list[str]], sep: str = ",") -> str:
    return "\r\n".join(sep.join(r) for r in rows) + "\r\n"


@pytest.mark.parametrize(
    "encoding, expected",
    [
        ("utf-8", "utf-8-sig"),
        ("utf-8-sig", "utf-8-sig"),
        ("gb18030", "gb18030"),
        ("gbk", "gb18030"),
    ],
)
def test_csv_encodings_with_chinese_headers(tmp_path: Path, encoding: str, expected: str) -> None:
    path = tmp_path / "checkins.csv"
    path.write_bytes(_csv([HEADER, *ROWS]).encode(encoding))
    table = read_table(path)
    assert table.encoding == expected and table.source_format == "csv"
    assert list(table.frame.columns) == HEADER
    assert table.frame["姓名"].tolist() == ["张三", "李四"]
    assert (table.header_row, table.first_data_row, table.sheet) == (1, 2, None)


def test_tab_and_semicolon_delimited(tmp_path: Path) -> None:
    for sep in ("\t", ";"):
        path = tmp_path / "export.txt"
        path.write_text(_csv([HEADER, *ROWS], sep=sep), encoding="utf-8")
        frame = read_table(path).frame
        assert list(frame.columns) == HEADER and frame.iloc[1, 3] == "121.480000"


def test_cells_are_stripped_strings_and_short_rows_padded(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text('id,name,note\n 007 ," Wang ",\n8,Li\n\n', encoding="utf-8")
    frame = read_table(path).frame
    assert frame.to_dict("records") == [
        {"id": "007", "name": "Wang", "note": ""},
        {"id": "8", "name": "Li", "note": ""},
    ]
    assert all(isinstance(v, str) for v in frame.to_numpy().ravel())


def test_title_rows_above_a_csv_header(tmp_path: Path) -> None:
    path = tmp_path / "dingtalk.csv"
    path.write_text(_csv([["原始记录"], [], HEADER, *ROWS]), encoding="utf-8-sig")
    table = read_table(path, header_names=["工号", "姓名", "打卡时间"])
    assert (table.header_row, table.first_data_row, len(table.frame)) == (3, 4, 2)


def test_binary_junk_is_rejected_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "tracks.csv"
    path.write_bytes(b"id,lat,lon\n" + b"\x00\x01\xff\xfe" * 8)
    with pytest.raises(FileRejected) as info:
        read_table(path)
    assert str(info.value) == (
        "tracks.csv: not a text file in UTF-8 or GB18030 (binary data at byte 11, line 2)"
    )
    png = tmp_path / "photo.csv"
    png.write_bytes(bytes(range(128, 256)) * 4)
    with pytest.raises(FileRejected, match=r"^photo\.csv: not a text file"):
        read_table(png)


def test_empty_csv_rejected_header_only_is_zero_rows(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"\r\n  \r\n")
    with pytest.raises(FileRejected, match="no rows"):
        read_table(empty)
    header_only = tmp_path / "header.csv"
    header_only.write_text(",".join(HEADER) + "\n", encoding="utf-8")
    table = read_table(header_only)
    assert len(table.frame) == 0 and list(table.frame.columns) == HEADER


def test_duplicate_header_rejected(tmp_path: Path) -> None:
    path = tmp_path / "dup.csv"
    path.write_text("id,name,id\n1,a,2\n", encoding="utf-8")
    with pytest.raises(FileRejected, match="'id' twice"):
        read_table(path)


# --- XLSX ---------------------------------------------------------------------------------


def _dingtalk_xlsx(path: Path, *, merge_header: bool = False) -> Path:
    book = openpyxl.Workbook()
    ws = book.active
    assert ws is not None
    ws.title = "原始记录"
    ws.append(["原始记录 统计日期：2026-10-01 至 2026-10-31"])
    ws.append([])
    ws.append(["姓名", "工号", "部门", "打卡时间", "打卡结果", "经度", "纬度"])
    ws.append(
        ["张三", 1001, "销售一部", dt.datetime(2026, 10, 8, 9, 1, 12), "正常", 121.4737, 31.2304]
    )
    ws.append(["李四", 1002.0, "销售二部", dt.date(2026, 10, 9), None, 121.5, 31.25])
    if merge_header:
        ws.merge_cells("E3:F3")
    book.create_sheet("汇总")
    book.save(path)
    return path


def test_dingtalk_xlsx_header_on_row_3(tmp_path: Path) -> None:
    path = _dingtalk_xlsx(tmp_path / "dingtalk.xlsx")
    table = read_table(path, header_names=["姓名", "工号", "打卡时间", "打卡结果"])
    assert (table.header_row, table.first_data_row) == (3, 4)
    assert (table.sheet, table.source_format, table.encoding) == ("原始记录", "xlsx", None)
    assert table.frame.to_dict("records")[0] == {
        "姓名": "张三",
        "工号": "1001",
        "部门": "销售一部",
        "打卡时间": "2026-10-08 09:01:12",
        "打卡结果": "正常",
        "经度": "121.4737",
        "纬度": "31.2304",
    }
    second = table.frame.iloc[1]
    assert (second["工号"], second["打卡时间"], second["打卡结果"]) == (
        "1002",
        "2026-10-09 00:00:00",
        "",
    )
    # without expected names the title row counts as the header
    assert read_table(path).header_row == 1


def test_named_sheet_and_missing_sheet(tmp_path: Path) -> None:
    path = _dingtalk_xlsx(tmp_path / "dingtalk.xlsx")
    with pytest.raises(FileRejected) as info:
        read_table(path, sheet="Sheet1")
    assert "no sheet named 'Sheet1'" in str(info.value)
    assert "'原始记录'" in str(info.value) and "'汇总'" in str(info.value)
    with pytest.raises(FileRejected, match="no rows"):
        read_table(path, sheet="汇总")


def test_merged_header_cells_rejected(tmp_path: Path) -> None:
    path = _dingtalk_xlsx(tmp_path / "merged.xlsx", merge_header=True)
    with pytest.raises(FileRejected, match=r"merged cells \(E3:F3\) in its header row 3"):
        read_table(path, header_names=["姓名", "工号", "打卡时间"])


def test_truncated_xlsx_rejected(tmp_path: Path) -> None:
    whole = _dingtalk_xlsx(tmp_path / "whole.xlsx").read_bytes()
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(FileRejected, match=r"^cut\.xlsx: damaged or not an XLSX file"):
        read_table(cut)


def test_header_names_not_found(tmp_path: Path) -> None:
    path = _dingtalk_xlsx(tmp_path / "dingtalk.xlsx")
    with pytest.raises(FileRejected, match="no header row with the expected columns"):
        read_table(path, header_names=["userid", "checkin_time"], max_header_scan=5)


def test_old_xls_refused(tmp_path: Path) -> None:
    path = tmp_path / "old.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0" + bytes(60))
    with pytest.raises(FileRejected, match=r"\.xls files are not read"):
        read_table(path)


# --- JSON ---------------------------------------------------------------------------------

WECOM = {
    "errcode": 0,
    "errmsg": "ok",
    "checkindata": [
        {
            "userid": "zhangsan",
            "groupname": "销售",
            "checkin_type": "上班打卡",
            "checkin_time": 1791421272,
            "location_title": "上海",
            "lat": 31230416,
            "lng": 121473701,
            "mediaids": [],
        },
        {
            "userid": "lisi",
            "groupname": "销售",
            "checkin_type": "外出打卡",
            "checkin_time": 1791424800,
            "location_title": "",
            "lat": 31240000,
            "lng": 121480000,
            "mediaids": ["m1"],
        },
    ],
}


def test_wecom_checkindata(tmp_path: Path) -> None:
    path = tmp_path / "getcheckindata.json"
    path.write_text(json.dumps(WECOM, ensure_ascii=False), encoding="utf-8")
    records, where = read_json_records(path)
    assert where == "checkindata" and [r["userid"] for r in records] == ["zhangsan", "lisi"]
    table = read_table(path)
    assert table.source_format == "json" and table.frame["lat"].tolist() == ["31230416", "31240000"]
    assert table.frame["mediaids"].tolist() == ["[]", '["m1"]']


def test_bare_list_and_dingtalk_result(tmp_path: Path) -> None:
    bare = tmp_path / "bare.json"
    bare.write_text('[{"a": 1}, {"a": 2}]', encoding="utf-8")
    assert read_json_records(bare) == ([{"a": 1}, {"a": 2}], "top-level list")
    ding = tmp_path / "ding.json"
    ding.write_text(
        json.dumps({"errcode": 0, "recordresult": [{"userId": "u1"}]}), encoding="utf-8"
    )
    assert read_json_records(ding) == ([{"userId": "u1"}], "recordresult")
    nested = tmp_path / "nested.json"
    nested.write_text(json.dumps({"errcode": 0, "result": {"list": [{"x": 1}]}}), encoding="utf-8")
    assert read_json_records(nested) == ([{"x": 1}], "result.list")


def test_api_error_is_rejected_with_errmsg(tmp_path: Path) -> None:
    path = tmp_path / "err.json"
    path.write_text(
        json.dumps({"errcode": 40014, "errmsg": "invalid access_token"}), encoding="utf-8"
    )
    with pytest.raises(FileRejected) as info:
        read_json_records(path)
    assert str(info.value) == (
        "err.json: the API answered with an error: errcode 40014, invalid access_token"
    )


def test_invalid_json_names_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('[\n  {"a": 1},\n  {"a": }\n]', encoding="utf-8")
    with pytest.raises(FileRejected, match=r"^bad\.json: invalid JSON at line 3 column 9"):
        read_json_records(path)
    no_list = tmp_path / "obj.json"
    no_list.write_text('{"errcode": 0, "errmsg": "ok"}', encoding="utf-8")
    with pytest.raises(FileRejected, match="no list of records"):
        read_json_records(no_list)


# --- chunks -------------------------------------------------------------------------------


def test_chunks_name_the_real_rows(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    lines = ["说明：导出自企业微信", ",".join(HEADER)]
    lines += [f"E{i:05d},员工{i},2026-10-08 09:00:00,121.47,31.23" for i in range(10_000)]
    path.write_bytes(("\n".join(lines) + "\n\n").encode("gb18030"))
    chunks = list(iter_csv_chunks(path, chunksize=3_000, header_names=HEADER))
    assert [len(c.frame) for c in chunks] == [3_000, 3_000, 3_000, 1_000]
    assert [c.first_data_row for c in chunks] == [3, 3_003, 6_003, 9_003]
    assert {c.header_row for c in chunks} == {2} and {c.encoding for c in chunks} == {"gb18030"}
    for chunk in chunks:
        # frame row i is file line first_data_row + i (line n holds employee n - 3)
        first = int(chunk.frame["工号"].iloc[0][1:])
        assert first == chunk.first_data_row - 3
    whole = read_table(path, header_names=HEADER)
    assert len(whole.frame) == 10_000 and whole.first_data_row == 3


def test_chunks_of_header_only_file(tmp_path: Path) -> None:
    path = tmp_path / "h.csv"
    path.write_text(",".join(HEADER) + "\n", encoding="utf-8")
    chunks = list(iter_csv_chunks(path))
    assert len(chunks) == 1 and len(chunks[0].frame) == 0


def test_checked_in_fixtures_read() -> None:
    if not DATA.is_dir():
        pytest.skip("tests/data/ingest is absent")
    for path in sorted(DATA.iterdir()):
        table = read_table(path, header_names=["姓名", "账号", "打卡时间"])
        assert len(table.frame) > 0, path.name


def test_wecom_tab_export_with_title_line() -> None:
    path = DATA / "wecom_checkins_gb18030_tab.csv"
    if not path.is_file():
        pytest.skip("fixture absent")
    table = read_table(path, header_names=["姓名", "账号", "打卡时间"])
    assert (table.encoding, table.header_row, table.first_data_row) == ("gb18030", 2, 3)
    assert table.frame["打卡地点"].tolist() == ["上海市黄浦区人民大道", "上海市徐汇区漕溪北路"]


def test_a_first_row_wider_than_the_header_refuses_the_file_naming_the_row(
    tmp_path: Path,
) -> None:
    path = tmp_path / "wide.csv"
    path.write_text("导出说明\n" + _csv([HEADER, *ROWS]), encoding="utf-8")
    with pytest.raises(FileRejected, match="row 2 has more fields than the header row"):
        read_table(path)


@pytest.mark.parametrize("chunksize", [10, 200_000])
def test_later_rows_wider_than_the_header_are_rejected_rows_with_their_numbers(
    tmp_path: Path, chunksize: int
) -> None:
    big = tmp_path / "wide_big.csv"
    big.write_text(
        "a,b\n" + "1,2\n" * 50 + "1,2,3\n" + "4,5\n" + "6,7,8,9\n" + "10,11\n", encoding="utf-8"
    )
    chunks = list(iter_csv_chunks(big, chunksize=chunksize))
    frame = pd.concat([c.frame for c in chunks], ignore_index=True)
    problems = [p for c in chunks for p in c.problems]
    assert [(p.row, p.message) for p in problems] == [
        (52, "3 fields where the header row has 2"),
        (54, "4 fields where the header row has 2"),
    ]
    assert problems[0].raw == {"a": "1", "b": "2", "(extra field)": "3"}
    # the rejected rows stay as blank rows: frame row i is still file row 2 + i
    assert frame.iloc[50].tolist() == ["", ""] and frame.iloc[52].tolist() == ["", ""]
    assert frame.iloc[51].tolist() == ["4", "5"] and frame.iloc[53].tolist() == ["10", "11"]
    assert len(frame) == 54
    whole = read_table(big)
    assert [p.row for p in whole.problems] == [52, 54] and len(whole.frame) == 54
