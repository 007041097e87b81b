"""The demo's sample CSVs carry headers every generic import kind recognises completely."""

from __future__ import annotations

import csv

import pytest

from workstation.app import App
from workstation.ingest.profiles import KINDS, map_headers

SAMPLES = {
    "employees.csv": "employees",
    "customers.csv": "customers",
    "competitors.csv": "competitors",
    "offices.csv": "offices",
    "orders.csv": "orders",
    "leads.csv": "leads",
    "customer_events.csv": "customer_events",
    "communications.csv": "communications",
}


@pytest.mark.parametrize(("file_name", "kind"), sorted(SAMPLES.items()))
def test_demo_sample_headers_map_completely(demo_app: App, file_name: str, kind: str) -> None:
    path = demo_app.settings.demo_files_dir / file_name
    with path.open(encoding="utf-8-sig", newline="") as stream:
        header = next(csv.reader(stream))
    mapping = map_headers(KINDS[kind], header)
    assert mapping.usable, (file_name, mapping)
    assert mapping.unknown_headers == ()


def test_demo_track_csv_maps(demo_app: App) -> None:
    path = next(demo_app.settings.demo_files_dir.glob("tracks_*.csv"))
    with path.open(encoding="utf-8-sig", newline="") as stream:
        header = next(csv.reader(stream))
    assert map_headers(KINDS["tracks"], header).usable
