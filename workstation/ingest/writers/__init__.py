"""One writer per import kind: checks rows against the store and writes the good ones."""

from __future__ import annotations

from workstation.ingest.writers.base import BulkWriter, Writer
from workstation.ingest.writers.employees import write_employees
from workstation.ingest.writers.movement import write_checkins
from workstation.ingest.writers.ownership import write_ownership
from workstation.ingest.writers.places import write_competitors, write_customers, write_offices
from workstation.ingest.writers.records import write_communications
from workstation.ingest.writers.sales import write_customer_events, write_leads, write_orders
from workstation.ingest.writers.tracks import write_tracks

WRITERS: dict[str, Writer] = {
    "employees": write_employees,
    "checkins": write_checkins,
    "customers": write_customers,
    "ownership": write_ownership,
    "competitors": write_competitors,
    "offices": write_offices,
    "orders": write_orders,
    "leads": write_leads,
    "customer_events": write_customer_events,
    "communications": write_communications,
}

#: Kinds too big for row objects (millions of track points): they read the chunks themselves.
BULK_WRITERS: dict[str, BulkWriter] = {"tracks": write_tracks}
