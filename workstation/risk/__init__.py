"""Early warning: stops and places, location quality, daily indicators (policies and alerts
build on the stored indicator values).

- :mod:`workstation.risk.model`: settings and the plain values the services hand out;
- :mod:`workstation.risk.places`: offices, allowed places, competitor sites and customers in
  spatial indexes; what place a stop is at; check-ins against their customer's geofence;
- :mod:`workstation.risk.quality`: impossible jumps, repeated fixes, mock-location markers;
- :mod:`workstation.risk.stop_days`: one employee-day of track and check-ins → stops, flags;
- :mod:`workstation.risk.stops_service`: stops and flags stored per employee-day, recomputed
  only where the inputs changed;
- :mod:`workstation.risk.indicators`: the indicators, pure computation on plain values;
- :mod:`workstation.risk.indicator_service`: ``IndicatorService`` (compute, values, records).
"""
