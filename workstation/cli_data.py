"""``workstation data check``: what the store's data lets Casework see, and what to import.

Read-only: the acting user signs in (who may see the imports), nothing is written and the
write lock is never taken, so it runs beside an import. ``--json`` prints the report as one
JSON object (``ReadinessReport.to_json_dict``, documented in the README).
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from workstation.cli_common import open_signed_in
from workstation.config import Settings


def add_data_command(sub: Any) -> None:
    data = sub.add_parser("data", help="what the imported data lets Casework see")
    actions = data.add_subparsers(dest="data_command", metavar="ACTION", required=True)
    check = actions.add_parser(
        "check",
        help="readiness of the whole store: gaps in the data and what to import to close them",
        description="Count, as of the last day with data, the customers without a position, "
        "the field check-ins without a customer, the salespeople without a GPS track in the "
        "indicator window, the customers whose owner's start is unknown, and for each "
        "indicator how many salespeople have enough data; each line says what to import. "
        "Reads only.",
    )
    check.add_argument("--json", action="store_true", help="print the report as one JSON object")


def run_data(settings: Settings, args: argparse.Namespace) -> int:
    app = open_signed_in(settings, args.acting_user)
    try:
        report = app.readiness.check()
    finally:
        app.close()
    if args.json:
        print(json.dumps(report.to_json_dict(), ensure_ascii=False))
        return 0
    from workstation.i18n import Translator
    from workstation.risk.readiness_text import report_text

    print(report_text(report, Translator(args.cli_locale)))
    return 0
