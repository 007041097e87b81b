"""Positions of a file's rows converted to WGS-84 column-wise, as row by row (the inverse
transforms iterate until the whole column is within ~1e-6 m, so the last digits may differ)."""

from __future__ import annotations

from datetime import UTC
from typing import Any, cast

import numpy as np
import pytest

from workstation.domain.enums import CoordSystem
from workstation.geo.coords import convert
from workstation.ingest.model import ImportOptions
from workstation.ingest.writers.base import WriteContext


def _context(crs: CoordSystem) -> WriteContext:
    return WriteContext(
        cast(Any, None), 1, ImportOptions(crs=crs), "tester", cast(Any, None), cast(Any, None), UTC
    )


@pytest.mark.parametrize("crs", list(CoordSystem))
def test_the_column_at_once_equals_row_by_row(crs: CoordSystem) -> None:
    rng = np.random.default_rng(3)
    lats = (30.6 + rng.normal(0, 2, 200)).tolist()
    lons = (104.0 + rng.normal(0, 8, 200)).tolist()  # some outside China: left as they are
    pairs: list[tuple[float | None, float | None]] = list(zip(lats, lons, strict=True))
    pairs[7] = (None, None)
    found = _context(crs).positions(pairs)
    assert found[7] == {
        "lat": None,
        "lon": None,
        "coord_system": crs.value,
        "orig_lat": None,
        "orig_lon": None,
    }
    for (lat, lon), got in zip(pairs, found, strict=True):
        if lat is None or lon is None:
            continue
        assert (got["orig_lat"], got["orig_lon"], got["coord_system"]) == (lat, lon, crs.value)
        one = convert(lat, lon, crs.value, CoordSystem.WGS84.value)
        assert (got["lat"], got["lon"]) == pytest.approx(one, abs=1e-9)
    single = _context(crs).position(lats[0], lons[0])
    assert single == pytest.approx(found[0], abs=1e-9)
