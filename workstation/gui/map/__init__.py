"""Map area: one employee's track, stops and check-ins drawn with Leaflet."""
