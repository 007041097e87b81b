"""Finding the customer a remark, note or location title names (issue 11 §3)."""

from __future__ import annotations

import pytest

from workstation.ingest.customer_names import (
    CustomerNames,
    NamedCustomer,
    city_of_address,
    name_text,
)

SUZHOU = NamedCustomer(1, "苏州恒达精密机械有限公司")
WUXI = NamedCustomer(2, "无锡恒达精密机械有限公司")
CHONGQING = NamedCustomer(3, "蓉昌精密机械（重庆）有限公司")
SHARES = NamedCustomer(4, "四川宏远液压股份有限公司")
CITY_FORM = NamedCustomer(5, "重庆市巴山电气有限责任公司")
CHINA = NamedCustomer(6, "德科工业技术(中国)有限公司")
SHORT = NamedCustomer(7, "苏州金鼎有限公司")
NAMES = CustomerNames(
    [SUZHOU, WUXI, CHONGQING, SHARES, CITY_FORM, CHINA, SHORT], ["苏州", "无锡", "重庆", "成都"]
)


@pytest.mark.parametrize(
    ("name", "keys"),
    [
        (SUZHOU.name, {"苏州恒达精密机械", "恒达精密机械"}),
        (CHONGQING.name, {"蓉昌精密机械", "蓉昌精密机械重庆"}),
        (SHARES.name, {"四川宏远液压", "宏远液压"}),
        (CITY_FORM.name, {"重庆市巴山电气", "巴山电气"}),
        (CHINA.name, {"德科工业技术", "德科工业技术中国"}),
        # A place word is removed only when three characters remain.
        (SHORT.name, {"苏州金鼎"}),
    ],
)
def test_keys_drop_legal_forms_bracketed_places_and_leading_cities(
    name: str, keys: set[str]
) -> None:
    assert NAMES.keys(name) == keys


@pytest.mark.parametrize(
    ("text", "own", "found"),
    [
        ("拜访客户：苏州恒达精密机械有限公司", (), 1),
        ("拜访客户：无锡恒达精密机械", (1,), 2),  # the longer name beats the own customer
        ("恒达精密机械 送样", (2,), 2),  # the same core: the employee's own first
        ("恒达精密机械 送样", (1, 2), None),  # both his: no guess
        ("恒达精密机械 送样", (), None),
        ("蓉昌精密机械(重庆) 回款", (), 3),
        ("宏远液压 技术交流", (), 4),
        ("重庆市巴山电气有限责任公司", (), 5),
        ("巴山电气", (), 5),
        ("德科工业技术（中国）有限公司 设备调试", (), 6),
        ("苏州金鼎 来访", (), 7),
        ("金鼎", (), None),  # two characters stand for nobody
        ("江苏省苏州市工业园区星湖街328号", (), None),
        ("", (), None),
        (None, (), None),
    ],
)
def test_find(text: str | None, own: tuple[int, ...], found: int | None) -> None:
    match = NAMES.find(text, own)
    assert (match.customer_id if match else None) == found
    if match is not None:
        assert match.own == (found in own)
        assert match.key in name_text(text or "")


def test_city_of_address() -> None:
    assert city_of_address("江苏省苏州市工业园区星湖街 328 号") == "苏州"
    assert city_of_address("重庆市渝中区邹容路68号") == "重庆"
    assert city_of_address("工业园区星湖街328号") is None
    assert city_of_address(None) is None


def test_many_customers_with_similar_names() -> None:
    """20,000 customers differing only in a number: each text finds its own."""
    customers = [NamedCustomer(i, f"苏州{i:05d}号精密机械有限公司") for i in range(20_000)]
    names = CustomerNames(customers, ["苏州"])
    found = [names.find(f"拜访客户：{i:05d}号精密机械 送样") for i in range(0, 20_000, 2)]
    assert [m.customer_id if m else None for m in found] == list(range(0, 20_000, 2))
