"""The demo's sample CSVs re-import cleanly into an empty store, matching the demo's counts."""

from __future__ import annotations

from sqlalchemy import func, select

from workstation.app import App
from workstation.store.models import (
    Communication,
    CompetitorSite,
    Customer,
    CustomerEvent,
    Employee,
    Lead,
    Office,
    Order,
)

ORDER = [
    ("offices", Office),
    ("employees", Employee),
    ("customers", Customer),
    ("competitors", CompetitorSite),
    ("orders", Order),
    ("leads", Lead),
    ("customer_events", CustomerEvent),
    ("communications", Communication),
]


def _count(app: App, model: type) -> int:
    with app.uow() as uow:
        return int(uow.session.scalar(select(func.count()).select_from(model)) or 0)


def test_demo_sample_files_reimport_without_a_rejected_row(demo_app: App, app: App) -> None:
    for kind, model in ORDER:
        report = app.imports.run(demo_app.settings.demo_files_dir / f"{kind}.csv", kind)
        assert report.rejected == 0, (kind, [p.text() for p in report.problems[:5]])
        assert report.accepted == report.rows_read == _count(demo_app, model), kind
        assert _count(app, model) == _count(demo_app, model), kind
    again = app.imports.run(demo_app.settings.demo_files_dir / "orders.csv", "orders")
    assert again.already_imported and again.accepted == 0
