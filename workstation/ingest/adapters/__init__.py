"""Source adapters: importing this package registers them with :mod:`workstation.ingest.sources`."""

from __future__ import annotations

from workstation.ingest.adapters import attendance, gpx_source

__all__ = ["attendance", "gpx_source"]
