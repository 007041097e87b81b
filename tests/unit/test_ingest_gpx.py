"""read_gpx on every real GPX file in ../shared/reference/gpx, checked against the raw XML."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from pathlib import Path

import pandas as pd
import pytest

from workstation.ingest import FileRejected, read_gpx

GPX_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "reference" / "gpx"

pytestmark = pytest.mark.skipif(
    not GPX_DIR.is_dir(), reason=f"reference GPX folder {GPX_DIR} is absent"
)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _xml_points(name: str, tag: str) -> list[dict[str, str | None]]:
    """Every <tag> element in file order: lat, lon and the text of its <time>, <hdop>, <speed>."""
    root = ET.fromstring((GPX_DIR / name).read_bytes().decode("utf-8-sig"))
    found = []
    for el in root.iter():
        if _local(el.tag) != tag:
            continue
        kids = {_local(k.tag): (k.text or "").strip() for k in el}
        found.append(
            {
                "lat": el.get("lat"),
                "lon": el.get("lon"),
                "time": kids.get("time") or None,
                "hdop": kids.get("hdop"),
                "speed": kids.get("speed"),
            }
        )
    return found


def _check_against_xml(name: str, tag: str = "trkpt") -> pd.DataFrame:
    track = read_gpx(GPX_DIR / name)
    xml = _xml_points(name, tag)
    if tag == "wpt":
        xml = [p for p in xml if p["time"]]
    pts = track.points
    assert len(pts) == len(xml)
    assert pts["source_row"].tolist() == list(range(1, len(xml) + 1))
    assert pts["lat"].tolist() == [float(p["lat"] or "nan") for p in xml]
    assert pts["lon"].tolist() == [float(p["lon"] or "nan") for p in xml]
    assert pts["time"].notna().tolist() == [p["time"] is not None for p in xml]
    assert str(pts["time"].dtype) == "datetime64[ns, UTC]"
    return pts


def test_cerknicko_jezero_gpx10_hike_with_empty_first_segment() -> None:
    pts = _check_against_xml("cerknicko-jezero.gpx")
    track = read_gpx(GPX_DIR / "cerknicko-jezero.gpx")
    assert len(pts) == 296 and track.has_times and track.points_without_time == 0
    assert track.version == "1.0" and track.creator.startswith("GPSBabel")  # type: ignore[union-attr]
    assert track.source == "track" and track.ignored_waypoints == 7
    assert pts["time"].iloc[0] == pd.Timestamp("2010-08-05T14:23:59Z")
    # eight <trkseg>, the first empty: points sit in segments 1..7
    assert sorted(pts["segment"].unique()) == [1, 2, 3, 4, 5, 6, 7]
    assert pts["segment"].value_counts()[1] == 173
    assert pts["elevation_m"].iloc[0] == pytest.approx(542.320923)
    assert pts["speed_mps"].isna().all() and pts["accuracy_m"].isna().all()


def test_cerknicko_without_times_keeps_points_with_nat() -> None:
    pts = _check_against_xml("cerknicko-without-times.gpx")
    track = read_gpx(GPX_DIR / "cerknicko-without-times.gpx")
    assert len(pts) == 296
    # the file still has five timed points near the end of its third segment
    assert track.points_without_time == 291 and track.has_times
    assert pd.isna(pts["time"].iloc[0])
    assert pts["time"].dropna().iloc[0] == pd.Timestamp("2010-08-05T16:22:52Z")


@pytest.mark.parametrize(
    "name, version", [("gpx1.0_with_all_fields.gpx", "1.0"), ("gpx1.1_with_all_fields.gpx", "1.1")]
)
def test_all_fields_files_use_the_track_not_routes_or_waypoints(name: str, version: str) -> None:
    pts = _check_against_xml(name)
    track = read_gpx(GPX_DIR / name)
    assert track.version == version and track.name == "example name" and track.creator == "..."
    assert track.source == "track" and track.ignored_waypoints == 2
    assert (len(pts), len(_xml_points(name, "rtept"))) == (1, 5)
    row = pts.iloc[0]
    assert (row["lat"], row["lon"], row["elevation_m"]) == (10.1, -20.2, 11.1)
    # "2013-01-01T12:00:04" has no zone: GPX times are UTC
    assert row["time"] == pd.Timestamp("2013-01-01T12:00:04Z")
    assert row["accuracy_m"] == pytest.approx(float(_xml_points(name, "trkpt")[0]["hdop"]) * 5)
    assert row["segment"] == 0


def test_subsecond_times_and_speed() -> None:
    pts = _check_against_xml("gpx_subsecond-sample.gpx")
    assert len(pts) == 5
    assert pts["time"].iloc[0] == pd.Timestamp("2011-07-02T17:47:25.200Z")
    steps = pts["time"].diff().dropna().dt.total_seconds().round(3).tolist()
    assert steps[:3] == [0.2, 0.2, 0.2]
    xml = _xml_points("gpx_subsecond-sample.gpx", "trkpt")
    assert pts["speed_mps"].iloc[0] == pytest.approx(float(xml[0]["speed"]))  # 13.8181
    assert pts["speed_mps"].iloc[0] == pytest.approx(13.8181)


def test_korita_zbevnica_871_points_partly_untimed() -> None:
    pts = _check_against_xml("korita-zbevnica.gpx")
    track = read_gpx(GPX_DIR / "korita-zbevnica.gpx")
    assert len(pts) == 871 and track.name == "03-OCT-10"
    untimed = sum(p["time"] is None for p in _xml_points("korita-zbevnica.gpx", "trkpt"))
    assert track.points_without_time == untimed == 358
    assert pts.loc[pts["time"].isna(), "segment"].unique().tolist() == [1]
    assert pts["time"].dropna().iloc[0] == pd.Timestamp("2010-10-03T09:36:30Z")


def test_qstarz_logger_track_with_hdop_accuracy() -> None:
    pts = _check_against_xml("qstarz_bl-1000.gpx")
    track = read_gpx(GPX_DIR / "qstarz_bl-1000.gpx")
    # the logger file holds a 32-fix track and 13 separate (button) fixes stored as <wpt>
    assert (
        len(pts) == 32
        and track.ignored_waypoints == len(_xml_points("qstarz_bl-1000.gpx", "wpt")) == 13
    )
    first = pts.iloc[0]
    assert first["time"] == pd.Timestamp("2020-02-19T01:25:10Z")
    assert (first["lat"], first["lon"]) == (25.068724217, 121.592175767)
    assert first["speed_mps"] == pytest.approx(1.533044)
    assert first["accuracy_m"] == pytest.approx(1.66 * 5)
    assert pts["accuracy_m"].notna().all() and pts["time"].is_monotonic_increasing


def test_track_with_empty_segment() -> None:
    pts = _check_against_xml("track-with-empty-segment.gpx")
    track = read_gpx(GPX_DIR / "track-with-empty-segment.gpx")
    assert len(pts) == 9 and pts["segment"].unique().tolist() == [0]
    assert track.name == "2013-07-06T14:59:00Z" and track.version == "1.1"
    assert pts["time"].iloc[0] == pd.Timestamp("2013-07-06T17:26:26Z")


def test_millisecond_times_with_plus_one_hour_offset_become_utc() -> None:
    pts = _check_against_xml("track-with-less-sec-time.gpx")
    xml = _xml_points("track-with-less-sec-time.gpx", "trkpt")
    assert xml[1]["time"] == "2015-12-11T15:43:13.994+01:00"
    assert pts["time"].tolist() == [
        pd.Timestamp("2015-12-11T14:43:13.000Z"),
        pd.Timestamp("2015-12-11T14:43:13.994Z"),
    ]
    assert str(pts["time"].dt.tz) == "UTC"


def test_bom_without_namespace_uses_its_timed_waypoint() -> None:
    pts = _check_against_xml("unicode_with_bom.gpx", tag="wpt")
    track = read_gpx(GPX_DIR / "unicode_with_bom.gpx")
    assert (GPX_DIR / "unicode_with_bom.gpx").read_bytes().startswith(b"\xef\xbb\xbf")
    assert track.source == "waypoints" and len(pts) == 1 and track.version is None
    row = pts.iloc[0]
    assert row["time"] == pd.Timestamp("2016-05-27T10:08:47.800Z")
    assert (row["lat"], row["lon"], row["elevation_m"]) == (43.309634, 3.515386, -14.6)
    assert row["accuracy_m"] == pytest.approx(16.2 * 5)
    assert math.isnan(row["speed_mps"])


def test_every_reference_file_is_covered() -> None:
    covered = {
        "cerknicko-jezero.gpx",
        "cerknicko-without-times.gpx",
        "gpx1.0_with_all_fields.gpx",
        "gpx1.1_with_all_fields.gpx",
        "gpx_subsecond-sample.gpx",
        "korita-zbevnica.gpx",
        "qstarz_bl-1000.gpx",
        "track-with-empty-segment.gpx",
        "track-with-less-sec-time.gpx",
        "unicode_with_bom.gpx",
    }
    assert {p.name for p in GPX_DIR.glob("*.gpx")} <= covered


@pytest.mark.parametrize(
    "content, reason",
    [
        (b'<?xml version="1.0"?><gpx version="1.1"><trk><trkseg><trkpt lat="1"', "malformed XML"),
        (b'<?xml version="1.0"?><kml><Placemark/></kml>', "not a GPX file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "not a UTF-8 GPX file"),
        (b'<gpx version="1.1"><wpt lat="1" lon="2"/></gpx>', "no track points"),
    ],
)
def test_bad_files_are_rejected_naming_the_file(
    tmp_path: Path, content: bytes, reason: str
) -> None:
    path = tmp_path / "phone.gpx"
    path.write_bytes(content)
    with pytest.raises(FileRejected) as info:
        read_gpx(path)
    assert str(info.value).startswith("phone.gpx: ")
    assert reason in str(info.value) and "\n" not in str(info.value)
    assert info.value.path == path
