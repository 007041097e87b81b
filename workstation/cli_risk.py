"""Command line verbs of the early warning: ``evaluate`` and ``alerts``.

Hooking into ``workstation.cli`` (two lines)::

    add_risk_commands(sub)                                   # in build_parser()
    if args.command in RISK_COMMANDS: return _risk(settings, args)   # in main()

where ``_risk`` opens the app like the other verbs and returns
``run_risk_command(args, app)`` (closing the app afterwards).

What ``app.py`` must provide (``RiskApp`` below), each built once, on first use::

    app.policies: PolicyService(uow, session, clock)          # workstation.risk.policy_service
    app.alerts: AlertService(uow, session, clock)             # workstation.risk.alert_service
    app.evaluation: EvaluationService(uow, session, app.policies, app.indicators, clock=clock)
                    # app.indicators: IndicatorService(uow, session, clock)

(``session`` is who acts: the services check the signed-in user's permissions with it.)

``EvaluationService`` takes any object with ``IndicatorService.compute``'s signature
(``IndicatorComputer``); it passes the policy's window and minimum denominator as
``IndicatorSettings`` (pass ``indicator_settings=`` for other base settings).

Exit status: 0 done, 1 a failure the user can act on (one line on stderr), 2 bad arguments.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Protocol

from workstation.cli_common import CliError, cli_translator
from workstation.cli_refusals import refuse
from workstation.domain.alerts import OPEN, AlertStatus
from workstation.domain.progress import ProgressCallback
from workstation.domain.verdicts import FiredRule

if TYPE_CHECKING:  # the services load when a verb runs, not for ``--help`` or ``--version``
    from workstation.risk.alert_service import AlertService, AlertView
    from workstation.risk.evaluation import EvaluationService, EvaluationSummary
    from workstation.risk.policy_service import PolicyService

log = logging.getLogger(__name__)


class RiskApp(Protocol):
    @property
    def policies(self) -> PolicyService: ...
    @property
    def alerts(self) -> AlertService: ...
    @property
    def evaluation(self) -> EvaluationService: ...


STATUS_CHOICES = [OPEN, "all", *(s.value for s in AlertStatus)]


def add_risk_commands(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    ev = subparsers.add_parser(
        "evaluate",
        help="compute the indicators of a day (or days) and raise alerts",
        description="Compute the indicators of every employee and raise or update alerts by "
        "the policy in force. Default day: yesterday (the company's day, see `workstation company "
        "timezone`), or the last day with "
        "data (orders, customer events, leads, check-ins) when the data end earlier. "
        "Evaluating a day again changes nothing.",
    )
    ev.add_argument("--date", type=date.fromisoformat, metavar="D", help="the day (YYYY-MM-DD)")
    ev.add_argument(
        "--from",
        dest="start",
        type=date.fromisoformat,
        metavar="D1",
        help="first day of a range (with --to)",
    )
    ev.add_argument(
        "--to",
        dest="end",
        type=date.fromisoformat,
        metavar="D2",
        help="last day of a range (with --from)",
    )
    ev.add_argument(
        "--no-compute",
        action="store_true",
        help="judge the indicator values already stored, without recomputing them",
    )
    ev.add_argument("--json", action="store_true", help="print the summary as one JSON object")

    al = subparsers.add_parser("alerts", help="list alerts")
    al.add_argument(
        "--status",
        choices=STATUS_CHOICES,
        default=OPEN,
        help="which alerts (default: open = new, reviewing or confirmed; all: every alert)",
    )
    al.add_argument("--json", action="store_true", help="print one JSON array of alerts")


def evaluate_command(args: argparse.Namespace, app: RiskApp) -> int:
    if args.date and (args.start or args.end):
        return _fail(args, "give either --date or --from/--to, not both")
    if bool(args.start) != bool(args.end):
        return _fail(args, "a range needs both --from and --to")
    start = args.date or args.start or app.evaluation.default_day()
    end = args.end or start
    try:
        summary = app.evaluation.evaluate(
            start, end, compute=not args.no_compute, progress=_text_progress(args.json)
        )
    except (ValueError, LookupError) as exc:
        return _fail(args, str(exc))
    log.info("evaluate: %s", json.dumps(summary.to_json_dict()))
    if args.json:
        print(json.dumps(summary.to_json_dict(), ensure_ascii=False))
        return 0
    _print_summary(summary, app.alerts)
    return 0


def alerts_command(args: argparse.Namespace, app: RiskApp) -> int:
    status = None if args.status == "all" else args.status
    alerts = app.alerts.list_alerts(status)
    if args.json:
        print(json.dumps([a.to_json_dict() for a in alerts], ensure_ascii=False))
        return 0
    if not alerts:
        print("no alerts" if status is None else f"no {status} alerts")
        return 0
    for alert in alerts:
        print(_alert_line(alert))
    return 0


RISK_COMMANDS: dict[str, Callable[[argparse.Namespace, RiskApp], int]] = {
    "evaluate": evaluate_command,
    "alerts": alerts_command,
}


def run_risk_command(args: argparse.Namespace, app: RiskApp) -> int:
    return RISK_COMMANDS[args.command](args, app)


def _fail(args: argparse.Namespace, message: str) -> int:
    """A refusal of a risk verb: one line in the command line's language, exit status 1."""
    error = CliError(message)
    refuse(error.render(cli_translator(args)), error)
    return 1


def _text_progress(quiet: bool) -> ProgressCallback:
    """The progress lines of the other verbs, on stderr (nothing with --json)."""
    last = [""]

    def report(done: int, total: int, message: str) -> None:
        if quiet or message == last[0]:
            return
        last[0] = message
        pct = f"{100 * done // total:3d}%" if total else "    "
        print(f"[{pct}] {message}", file=sys.stderr, flush=True)

    return report


def _print_summary(summary: EvaluationSummary, alerts: AlertService) -> None:
    span = summary.start.isoformat()
    if summary.end != summary.start:
        span += f" to {summary.end.isoformat()}"
    versions = ", ".join(str(v) for v in summary.policy_versions)
    print(
        f"Evaluated {span} ({summary.days} day{'s' * (summary.days != 1)}, policy version "
        f"{versions}): {summary.employees_evaluated} employees"
    )
    print(
        f"alerts: {len(summary.raised)} raised, {len(summary.updated)} updated, "
        f"{len(summary.unchanged)} unchanged"
        + (
            f"; {summary.suppressed} not raised again (no evidence beyond an earlier "
            "dismissed or escalated alert)"
            if summary.suppressed
            else ""
        )
    )
    for label, ids in (("raised", summary.raised), ("updated", summary.updated)):
        for alert_id in ids:
            print(f"  {label:<7} {_alert_line(alerts.get(alert_id))}")


def _alert_line(a: AlertView) -> str:
    rules = "; ".join(_rule_text(f) for f in a.rules)
    return (
        f"#{a.id:<5} {a.raised_on.isoformat()}  {a.severity.value:<6} {a.status.value:<9} "
        f"{a.employee_no} {a.employee_name}  {rules}"
    )


def _rule_text(f: FiredRule) -> str:
    if f.value is None or f.threshold is None or f.comparator is None:
        parts = " and ".join(
            f"{c.indicator} {_pct(c.value)} {c.comparator.value} {_pct(c.threshold)}"
            for c in f.conditions
            if c.met
        )
        return f"{f.rule} ({f.level.value}: {parts})"
    text = f"{f.rule} {_pct(f.value)} {f.comparator.value} {_pct(f.threshold)} ({f.level.value})"
    if f.baseline is not None:
        text += f", own baseline {_pct(f.baseline)}"
    return text


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0%}"
