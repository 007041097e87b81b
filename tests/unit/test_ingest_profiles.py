"""Generic import kinds: headers by name in English or Chinese, and status vocabularies."""

from __future__ import annotations

import pytest

from workstation.ingest.profiles import (
    CHECKIN_KIND_WORDS,
    CUSTOMER_EVENT_WORDS,
    KINDS,
    ORDER_STATUS_WORDS,
    MappingError,
    lookup_word,
    map_headers,
    normalise_header,
)


def test_english_and_chinese_headers_find_the_same_fields_in_any_order() -> None:
    english = map_headers(
        KINDS["orders"],
        [
            "status",
            "Order No",
            "customer_code",
            "employee-no",
            "order_date",
            "AMOUNT",
            "Competitor",
        ],
    )
    chinese = map_headers(
        KINDS["orders"], ["订单号", "客户编号", "工号", "下单日期", "金额", "状态", "竞争对手"]
    )
    assert english.usable and chinese.usable
    assert set(english.columns) == set(chinese.columns) == {f.name for f in KINDS["orders"].fields}
    assert chinese.columns["order_no"] == "订单号"


def test_missing_required_unknown_and_duplicated_headers_are_reported() -> None:
    mapping = map_headers(KINDS["tracks"], ["工号", "时间", "纬度", "海拔", "lat"])
    assert mapping.missing_required == ("lon",)
    assert mapping.unknown_headers == ("海拔",)
    assert mapping.duplicated == ("lat",)
    assert not mapping.usable


def test_headers_with_bom_full_width_and_spaces_normalise() -> None:
    assert normalise_header("\ufeffEmployee_No ") == normalise_header("ｅｍｐｌｏｙｅｅ　no")
    assert normalise_header(" 工 号 ") == "工号"


@pytest.mark.parametrize(
    ("vocabulary", "word", "value"),
    [
        (ORDER_STATUS_WORDS, "已完成", "completed"),
        (ORDER_STATUS_WORDS, "Cancelled", "cancelled"),
        (ORDER_STATUS_WORDS, "转单", "transferred"),
        (CHECKIN_KIND_WORDS, "外勤", "field"),
        (CHECKIN_KIND_WORDS, "上班打卡", "on_duty"),
        (CUSTOMER_EVENT_WORDS, "转交", "reassigned"),
        (CUSTOMER_EVENT_WORDS, "流失", "lost"),
    ],
)
def test_source_words_map_to_fixed_values(
    vocabulary: dict[str, str], word: str, value: str
) -> None:
    assert lookup_word(vocabulary, word) == value


def test_unknown_words_are_not_guessed() -> None:
    assert lookup_word(ORDER_STATUS_WORDS, "maybe") is None


def test_chosen_columns_win_over_header_names_and_free_the_matched_ones() -> None:
    headers = ["Staff", "工号", "When", "纬度", "经度"]
    mapping = map_headers(KINDS["tracks"], headers, {"employee_no": "Staff", "time": "When"})
    assert mapping.usable
    assert mapping.columns["employee_no"] == "Staff"
    assert mapping.columns["time"] == "When"
    # 工号 would have matched employee_no by name; the user's choice displaced it.
    assert mapping.unknown_headers == ("工号",)


def test_an_empty_choice_means_do_not_read_the_field() -> None:
    mapping = map_headers(
        KINDS["tracks"], ["工号", "时间", "纬度", "经度", "速度"], {"speed_mps": ""}
    )
    assert "speed_mps" not in mapping.columns
    assert mapping.unknown_headers == ("速度",)


@pytest.mark.parametrize(
    ("chosen", "message"),
    [
        ({"altitude": "Alt"}, "tracks has no field altitude"),
        ({"lat": "Y", "lon": "Y"}, "the column Y is chosen for more than one field"),
        ({"lat": "Breite"}, "the chosen column Breite is not in the file"),
    ],
)
def test_bad_choices_are_refused_with_the_reason(chosen: dict[str, str], message: str) -> None:
    with pytest.raises(MappingError, match=message):
        map_headers(KINDS["tracks"], ["工号", "时间", "Y", "X", "Alt"], chosen)
