"""Which encoding a text file is in: UTF-8 or GB18030 read, anything else refused by name."""

from __future__ import annotations

from pathlib import Path

import pytest

from workstation.ingest.encoding import detect_encoding, detect_file_encoding, locate_bad_bytes
from workstation.ingest.errors import FileRejected

ROSTER = "工号,姓名,部门\n" + "".join(f"S{i:05d},员工{i}号,苏州销售部\n" for i in range(5_000))
TRADITIONAL = "工號,姓名,部門\n" + "".join(f"S{i:05d},陳志明,台北業務部\n" for i in range(5_000))
PATH = Path("roster.csv")


@pytest.mark.parametrize("cut", range(65_530, 65_545))
def test_the_start_of_a_gb18030_file_cut_anywhere_is_gb18030(cut: int) -> None:
    data = ROSTER.encode("gb18030")
    assert detect_encoding(data[:cut], PATH, complete=False)[0] == "gb18030"


@pytest.mark.parametrize("cut", [65_536, 65_537])
def test_the_start_of_a_big5_file_is_refused(cut: int) -> None:
    with pytest.raises(FileRejected, match=r"the text is in Big5 \(Traditional Chinese\)"):
        detect_encoding(TRADITIONAL.encode("big5")[:cut], PATH, complete=False)


@pytest.mark.parametrize(
    ("encoding", "name"),
    [("shift_jis", "Shift-JIS (Japanese)"), ("euc_kr", "EUC-KR (Korean)")],
)
def test_other_asian_encodings_are_named(encoding: str, name: str) -> None:
    text = {
        "shift_jis": "名前,部署\n田中太郎,営業部\n山田花子,総務部\n",
        "euc_kr": "이름,부서\n김철수,영업부\n이영희,총무부\n",
    }[encoding]
    with pytest.raises(FileRejected) as info:
        detect_encoding(text.encode(encoding), PATH, complete=True)
    assert f"the text is in {name}, not UTF-8 or GB18030" in str(info.value)


def test_utf8_with_a_damaged_byte_names_its_line() -> None:
    data = bytearray(ROSTER.encode("utf-8"))
    at = data.index("员工42号".encode())
    data[at] = 0xFF
    with pytest.raises(FileRejected) as info:
        detect_encoding(bytes(data), PATH, complete=True)
    assert (
        str(info.value)
        == f"roster.csv: not valid UTF-8 at line 44 (byte {at}); the file is damaged there"
    )


def test_utf16_is_named() -> None:
    with pytest.raises(FileRejected, match="the text is in UTF-16"):
        detect_encoding(ROSTER.encode("utf-16"), PATH, complete=True)


def test_an_ascii_start_does_not_decide_alone(tmp_path: Path) -> None:
    """A big file whose first 64 KB are ASCII and whose names come later in GB18030."""
    path = tmp_path / "late.csv"
    text = "employee_no,name\n" + "".join(f"S{i:05d},x\n" for i in range(20_000)) + "S99999,张伟\n"
    path.write_bytes(text.encode("gb18030"))
    head = path.read_bytes()[:65_536]
    assert head.isascii()
    assert detect_file_encoding(path, head, complete=False)[0] == "gb18030"
    assert locate_bad_bytes(path, "gb18030") is None
    bad = locate_bad_bytes(path, "utf-8-sig")
    assert bad is not None and str(bad).startswith("late.csv: not valid UTF-8 at line 20002")
