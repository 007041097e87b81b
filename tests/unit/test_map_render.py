"""The map page: offline, complete, translated, escaped, and honest about what it draws."""

from __future__ import annotations

import ast
import json
import re
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from workstation.config import Preferences, resources_dir
from workstation.geo.coords import wgs84_to_gcj02
from workstation.maps.model import (
    EmployeeMapData,
    MapCheckin,
    MapPlace,
    MapStop,
    TrackSegment,
)
from workstation.maps.render import render_map

CST = timezone(timedelta(hours=8))
T0 = datetime(2026, 10, 29, 9, 0, tzinfo=CST)
BASE = (31.2304, 121.4737)
URL_RE = re.compile(r"https?://[^\s\"'<>)]+")


def _p(dlat: float, dlon: float) -> tuple[float, float]:
    return BASE[0] + dlat, BASE[1] + dlon


def sample(name: str = "张伟") -> EmployeeMapData:
    line = [_p(i * 0.001, i * 0.0012) for i in range(20)]
    return EmployeeMapData(
        employee_id=7,
        employee_no="E0007",
        employee_name=name,
        start=date(2026, 10, 28),
        end=date(2026, 10, 29),
        segments=[
            TrackSegment(T0 - timedelta(days=1), T0 - timedelta(days=1, minutes=-50), line[:10]),
            TrackSegment(T0, T0 + timedelta(minutes=50), line[10:]),
            TrackSegment(T0 + timedelta(hours=3), T0 + timedelta(hours=3), [_p(0.03, 0.03)]),
        ],
        stops=[
            MapStop(*line[4], T0 - timedelta(hours=20), T0 - timedelta(hours=19), "customer", "A"),
            MapStop(*line[15], T0 + timedelta(minutes=20), T0 + timedelta(minutes=42), "", ""),
        ],
        checkins=[
            MapCheckin(*line[4], T0, "field", "C1", "客户甲", "某路 1 号", 30.0, 20.0, True),
            MapCheckin(*line[15], T0, "field", "C2", "客户乙", None, 2400.0, None, False),
            MapCheckin(*line[0], T0, "on_duty", None, None, None, None, 12.0, None),
        ],
        customers=[
            MapPlace("customer", *_p(0.004, 0.005), 500.0, "客户甲", "C1"),
            MapPlace("customer", *_p(-0.02, 0.0), 500.0, "客户乙", "C2"),
        ],
        competitor_sites=[MapPlace("competitor", *line[15], 200.0, "浦东仓库", group="竞品甲")],
        offices=[MapPlace("office", *line[0], 200.0, "上海办公室", group="上海")],
    )


# Drawn: 2 polylines (the 1-point segment is not a line), 2 fences, 1+1 competitor circle and
# marker, 1+1 office circle and marker, 2 stops, 3 check-ins.
EXPECTED_PATHS = 2 + 2 + 2 + 2 + 2 + 3
EXPECTED_MARKERS = 1 + 1 + 2 + 3


def test_page_is_fully_offline_by_default() -> None:
    page = render_map(sample(), locale="en").html
    assert "http://" not in page and "https://" not in page
    srcs = re.findall(r'<script[^>]+src="([^"]+)"', page)
    hrefs = re.findall(r'<link[^>]+href="([^"]+)"', page)
    leaflet = (resources_dir() / "leaflet").resolve()
    assert sorted(Path(s).name for s in srcs) == ["jquery.min.js", "leaflet.js"]
    assert [Path(h).name for h in hrefs] == ["leaflet.css"]
    for url in srcs + hrefs:
        assert url.startswith("file://")
        local = Path(url.removeprefix("file://"))
        assert local.parent == leaflet and local.exists(), url
    assert "L.tileLayer" not in page


def test_expected_counts_match_what_the_page_creates() -> None:
    drawing = render_map(sample(), locale="en")
    assert drawing.expected_paths == EXPECTED_PATHS
    assert drawing.expected_markers == EXPECTED_MARKERS
    page = drawing.html
    polylines = page.count("L.polyline(")
    circles = page.count("L.circle(")
    circle_markers = page.count("L.circleMarker(")
    assert polylines + circles + circle_markers == EXPECTED_PATHS
    assert circle_markers == EXPECTED_MARKERS
    assert page.count('"className": "cw-marker') == EXPECTED_MARKERS
    # Nothing is drawn non-interactive (it would not be a path.leaflet-interactive).
    assert '"interactive": false' not in page
    assert 'preferCanvas": true' not in page
    # The page reports what it drew, and knows what it should have drawn.
    assert "window.caseworkDrawn" in page and '"casework:drawn "' in page
    expected = json.dumps({"markers": EXPECTED_MARKERS, "paths": EXPECTED_PATHS}, sort_keys=True)
    assert f"window.caseworkExpected = {expected};" in page


def test_empty_map_still_renders() -> None:
    empty = EmployeeMapData(1, "E1", "Nobody", date(2026, 1, 1), date(2026, 1, 1))
    drawing = render_map(empty, locale="en")
    assert (drawing.expected_paths, drawing.expected_markers) == (0, 0)
    assert "No track or check-ins in this period." in drawing.html
    assert "fitBounds" not in drawing.html


def test_title_legend_and_scale_are_translated() -> None:
    zh = render_map(sample(), locale="zh_CN").html
    en = render_map(sample(), locale="en").html
    assert "<title>张伟（E0007）的行动轨迹，2026-10-28 至 2026-10-29</title>" in zh
    assert "<title>Movements of 张伟 (E0007), 2026-10-28 to 2026-10-29</title>" in en
    assert "图例" in zh and "Legend" in en
    # The scale bar is metric only: no miles or feet beside the metres.
    assert "L.control.scale({metric: true, imperial: false" in zh
    assert "L.control.scale()" not in zh and zh.count("L.control.scale(") == 1
    # Two days: one track colour per day in the legend.
    assert "轨迹 2026-10-28" in zh and "轨迹 2026-10-29" in zh


def test_every_map_string_has_a_chinese_entry() -> None:
    catalog = json.loads(
        (resources_dir() / "translations" / "map.zh_CN.json").read_text(encoding="utf-8")
    )
    keys: set[str] = set()
    package = Path(__file__).resolve().parents[2] / "workstation" / "maps"
    for path in package.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "tr"
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                keys.add(str(node.args[0].value))
    assert len(keys) > 30
    assert sorted(keys - catalog.keys()) == []


def test_names_are_escaped() -> None:
    nasty = "<script>alert(1)</script>`${x}`"
    page = render_map(sample(name=nasty), locale="en").html
    assert "<script>alert(1)" not in page
    assert "${x}" not in page
    assert "&lt;script&gt;" in page


def test_configured_tiles_are_the_only_remote_reference() -> None:
    url = "https://tiles.example.com/{z}/{x}/{y}.png"
    prefs = Preferences(tile_url=url, tile_attribution="Example")
    page = render_map(sample(), locale="en", preferences=prefs).html
    remote = URL_RE.findall(page)
    assert remote and all(u.startswith("https://tiles.example.com/") for u in remote)
    assert "L.tileLayer" in page


def _first_polyline_point(page: str) -> tuple[float, float]:
    match = re.search(r"L\.polyline\(\s*\[\[([-\d.]+), ([-\d.]+)\]", page)
    assert match
    return float(match.group(1)), float(match.group(2))


@pytest.mark.parametrize("system", ["WGS84", "GCJ02"])
def test_overlays_follow_the_tile_coordinate_system(system: str) -> None:
    prefs = Preferences(tile_url="https://t.example/{z}/{x}/{y}.png", tile_coord_system=system)
    page = render_map(sample(), locale="en", preferences=prefs).html
    first = sample().segments[0].points[0]
    expected = wgs84_to_gcj02(*first) if system == "GCJ02" else first
    assert _first_polyline_point(page) == pytest.approx(expected, abs=1e-9)
    plain = render_map(sample(), locale="en").html  # no tiles: never shifted
    assert _first_polyline_point(plain) == pytest.approx(first, abs=1e-9)
