"""Helpers of the integration tests: a migrated store at a URL, and a few employees."""

from __future__ import annotations

from clocks import pinned

from workstation.domain.clock import Clock
from workstation.store.engine import make_engine, make_session_factory
from workstation.store.migrate import upgrade
from workstation.store.models import Employee
from workstation.store.uow import UnitOfWorkFactory


def store_at(url: str, clock: Clock | None = None) -> UnitOfWorkFactory:
    """A unit-of-work factory on the database at ``url``, upgraded to the current schema; its
    clock pinned (``clocks.pinned``) unless given."""
    engine = make_engine(url)
    upgrade(engine)
    return UnitOfWorkFactory(make_session_factory(engine), clock or pinned())


def add_employees(uow: UnitOfWorkFactory, count: int) -> list[int]:
    """``count`` employees S000, S001, ... named 员工0, 员工1, ...; their ids."""
    with uow() as u:
        rows = [Employee(employee_no=f"S{i:03d}", name=f"员工{i}") for i in range(count)]
        u.session.add_all(rows)
        u.commit()
        return [e.id for e in rows]
