"""Was a check-in at the customer it claims? Distance against the fence, allowing for accuracy.

The rule gives the employee the benefit of the doubt: a check-in is *outside* only when even
the most favourable reading of the fix (its reported accuracy towards the customer) leaves it
beyond the fence, i.e. ``distance - accuracy > radius``. Unknown accuracy counts as 0.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from workstation.geo.distance import haversine_m


@dataclass(frozen=True)
class GeofenceResult:
    distance_m: float
    radius_m: float
    #: The accuracy used (0 when the source gave none or a meaningless value).
    accuracy_m: float

    @property
    def margin_m(self) -> float:
        """How far beyond the fence the fix lies at best (negative or 0: inside)."""
        return self.distance_m - self.accuracy_m - self.radius_m

    @property
    def inside(self) -> bool:
        return self.margin_m <= 0.0

    @property
    def outside(self) -> bool:
        return not self.inside


def check_geofence(
    lat: float,
    lon: float,
    accuracy_m: float | None,
    fence_lat: float,
    fence_lon: float,
    radius_m: float,
) -> GeofenceResult:
    """Check the fix ``(lat, lon)`` ± ``accuracy_m`` against a circle around the fence centre."""
    if radius_m < 0 or not math.isfinite(radius_m):
        raise ValueError(f"invalid geofence radius {radius_m!r}")
    acc = accuracy_m if accuracy_m is not None and math.isfinite(accuracy_m) else 0.0
    acc = max(acc, 0.0)
    return GeofenceResult(
        distance_m=haversine_m(lat, lon, fence_lat, fence_lon),
        radius_m=float(radius_m),
        accuracy_m=float(acc),
    )
