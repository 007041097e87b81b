"""Address-text matching of punches to known places."""

from __future__ import annotations

import time

import pytest

from workstation.ingest.address_match import (
    AddressMatcher,
    KnownPlace,
    normalise_address,
)


def place(kind: str, id_: int, address: str, name: str = "") -> KnownPlace:
    return KnownPlace(kind, id_, name or f"{kind} {id_}", address, None, None)


STAR_LAKE = place("customer", 1, "江苏省苏州市工业园区星湖街 328 号")
OFFICE_HZ = place("office", 3, "浙江省杭州市上城区富春路 701 号 18 楼")
RIVAL_HZ = place("competitor_site", 9, "浙江省杭州市上城区富春路 701 号 9 楼")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("江苏省苏州市工业园区星湖街 328 号", "工业园区星湖街328号"),
        ("中国 苏州市 工业园区 星湖街 ３２８ 号", "工业园区星湖街328号"),
        ("上海市浦东新区陆家嘴环路 1233 号 22 楼", "浦东新区陆家嘴环路1233号22楼"),
        ("浙江省杭州市上城区（富春路）701號、", "上城区富春路701号"),
        ("工业园区某某市场 1 号", "工业园区某某市场1号"),  # no city prefix: district kept
        ("ＡＢＣ Tower，Ｂ座", "abctowerb座"),
        ("328-2号", "328之2号"),
        ("", ""),
    ],
)
def test_normalise_address(raw: str, expected: str) -> None:
    assert normalise_address(raw) == expected


def test_exact_despite_prefix_fullwidth_and_spaces() -> None:
    matcher = AddressMatcher([STAR_LAKE, OFFICE_HZ])
    for text in (
        "苏州市工业园区星湖街３２８号",
        "中国江苏省 苏州市 工业园区 星湖街 328号",
        "工业园区星湖街328号",
    ):
        found = matcher.match(text)
        assert found is not None, text
        assert found.place == STAR_LAKE
        assert found.exact
        assert found.score == 1.0


def test_near_suffix_matches_fuzzily() -> None:
    found = AddressMatcher([STAR_LAKE]).match("江苏省苏州市工业园区星湖街328号附近")
    assert found is not None
    assert found.place == STAR_LAKE
    assert not found.exact
    assert found.score >= 0.85


def test_floor_tail_and_poi_note_are_ignored_for_fuzzy() -> None:
    found = AddressMatcher([STAR_LAKE]).match("苏州市工业园区星湖街328号(国际大厦)22楼")
    assert found is not None and found.place == STAR_LAKE and not found.exact


def test_other_house_number_on_same_road_does_not_match() -> None:
    matcher = AddressMatcher([STAR_LAKE], min_score=0.5)
    assert matcher.match("江苏省苏州市工业园区星湖街 329 号") is None
    assert matcher.match("江苏省苏州市工业园区星湖街 28 号") is None


def test_road_without_number_does_not_match_a_numbered_place() -> None:
    matcher = AddressMatcher([STAR_LAKE], min_score=0.5)
    assert matcher.match("江苏省苏州市工业园区星湖街附近") is None


def test_same_normalised_address_twice_is_ambiguous() -> None:
    twin = place("competitor_site", 2, "苏州市 工业园区星湖街３２８号")
    assert AddressMatcher([STAR_LAKE, twin]).match("工业园区星湖街328号") is None
    assert AddressMatcher([STAR_LAKE, twin]).match("工业园区星湖街328号附近") is None
    # The same place given twice is not ambiguous.
    assert AddressMatcher([STAR_LAKE, STAR_LAKE]).match("工业园区星湖街328号") is not None


def test_exact_beats_a_fuzzy_tie() -> None:
    matcher = AddressMatcher([OFFICE_HZ, RIVAL_HZ])
    office = matcher.match("杭州市上城区富春路701号18楼")
    rival = matcher.match("浙江省杭州市上城区富春路 701 号 9 楼")
    assert office is not None and office.place == OFFICE_HZ and office.exact
    assert rival is not None and rival.place == RIVAL_HZ and rival.exact
    # Without a floor both are equally good: ambiguous.
    assert matcher.match("杭州市上城区富春路701号") is None
    # A floor that disagrees vetoes; the matching floor wins.
    near_rival = matcher.match("杭州市上城区富春路701号9楼附近")
    assert near_rival is not None and near_rival.place == RIVAL_HZ and not near_rival.exact
    assert matcher.match("杭州市上城区富春路701号12楼") is None


def test_min_score_is_respected() -> None:
    text = "江苏省苏州市工业园区星湖街东段328号"  # one extra word: ratio 0.9
    loose = AddressMatcher([STAR_LAKE], min_score=0.85).match(text)
    assert loose is not None and 0.85 <= loose.score < 0.95
    assert AddressMatcher([STAR_LAKE], min_score=0.95).match(text) is None
    with pytest.raises(ValueError):
        AddressMatcher([STAR_LAKE], min_score=0)


def test_unrelated_and_blank_give_none() -> None:
    matcher = AddressMatcher([STAR_LAKE, OFFICE_HZ])
    assert matcher.match("外勤打卡") is None
    assert matcher.match("") is None
    assert matcher.match("南京市秦淮区中山南路328号") is None


def test_match_many_20k_addresses() -> None:
    roads = (
        "星湖街",
        "苏州大道东",
        "现代大道",
        "金鸡湖大道",
        "旺墩路",
        "钟园路",
        "东长街",
        "长阳街",
    )
    places = [
        place(
            "customer", i, f"江苏省苏州市工业园区{roads[i % len(roads)]} {i // len(roads) + 1} 号"
        )
        for i in range(2000)
    ]
    matcher = AddressMatcher(places)
    addresses: list[str] = []
    expected: list[int | None] = []
    for k in range(20_000):
        i = (k * 7919) % 2000
        road, number = roads[i % len(roads)], i // len(roads) + 1
        variant = k % 4
        if variant == 0:
            addresses.append(f"苏州市工业园区{road}{number}号")
            expected.append(i)
        elif variant == 1:
            addresses.append(f"江苏省苏州市工业园区{road} {number} 号附近 {k % 30}楼")
            expected.append(i)
        elif variant == 2:
            addresses.append(f"江苏省苏州市工业园区{road} {number + 1000} 号")
            expected.append(None)
        else:
            addresses.append(f"江苏省苏州市工业园区{road}附近")
            expected.append(None)
    started = time.perf_counter()
    results = matcher.match_many(addresses)
    elapsed = time.perf_counter() - started
    print(f"match_many: {len(addresses)} addresses, {len(places)} places in {elapsed:.2f} s")
    got = [r.place.id if r else None for r in results]
    assert got == expected
    assert all(r.exact for r, a in zip(results, addresses, strict=True) if r and "附近" not in a)
