"""One writer per import kind: checks rows against the store and writes the good ones."""

from __future__ import annotations

from workstation.ingest.writers.base import Writer
from workstation.ingest.writers.employees import write_employees
from workstation.ingest.writers.movement import write_checkins

WRITERS: dict[str, Writer] = {
    "employees": write_employees,
    "checkins": write_checkins,
}
