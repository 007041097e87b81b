"""The command line as whole processes, as a person or a scheduled job runs it: ``workstation
--version``, then the demo's HR officer signed in (``WORKSTATION_USER``/``_PASSWORD``) running
the daily evaluation of the demo's last days, listing the alerts and the cases as JSON.

Signing in verifies an Argon2id hash; its cost is measured alone so the start-up of a signed-in
command can be told apart from it. Each measure also gives its CPU time (``cpu_s``), which other
work on a shared machine changes far less than the wall time. Full scale: five runs of each
quick command (the median reported); tiny: one.
"""

from __future__ import annotations

import json
import statistics
import time
from datetime import timedelta

from bench_tools import DemoStore, Results, Scale, run_process, workstation_command

import workstation
from workstation.security.passwords import Passwords

EVALUATED_DAYS = 5


def test_command_line_start_up_and_a_signed_in_read(
    scale: Scale, results: Results, demo_store: DemoStore, process_env: dict[str, str]
) -> None:
    runs = scale.pick(5, 1)
    command = workstation_command()

    version = [run_process([*command, "--version"], env=process_env).check() for _ in range(runs)]
    assert all(workstation.__version__ in r.stdout for r in version), version[0].stdout
    results.seconds(
        "cli",
        "version",
        [r.seconds for r in version],
        cpu_s=statistics.median(r.cpu_seconds for r in version),
        peak_rss_mb=max(r.peak_rss_mb for r in version),
    )

    signed_in = dict(
        process_env, WORKSTATION_USER=demo_store.username, WORKSTATION_PASSWORD=demo_store.password
    )
    store = [*command, "--data-dir", str(demo_store.data_dir)]
    last = demo_store.end_date
    first = last - timedelta(days=EVALUATED_DAYS - 1)
    evaluate = run_process(
        [*store, "evaluate", "--from", first.isoformat(), "--to", last.isoformat(), "--json"],
        env=signed_in,
    ).check()
    summary = json.loads(evaluate.stdout)
    assert summary["days"] == EVALUATED_DAYS and summary["indicators_computed"]
    assert summary["employees_evaluated"] > 0 and summary["raised_alert_ids"], summary
    results.add(
        "cli",
        "evaluate_days",
        evaluate.seconds,
        "s",
        days=EVALUATED_DAYS,
        employees=summary["employees_evaluated"],
        alerts_raised=summary["alerts_raised"],
        peak_rss_mb=evaluate.peak_rss_mb,
    )

    alerts = [
        run_process([*store, "alerts", "--status", "all", "--json"], env=signed_in).check()
        for _ in range(runs)
    ]
    listed = json.loads(alerts[-1].stdout)
    assert {a["alert_id"] for a in listed} >= set(summary["raised_alert_ids"]), (listed, summary)
    results.seconds(
        "cli",
        "alerts_json",
        [r.seconds for r in alerts],
        cpu_s=statistics.median(r.cpu_seconds for r in alerts),
        alerts=len(listed),
        peak_rss_mb=max(r.peak_rss_mb for r in alerts),
    )

    cases = [
        run_process([*store, "case", "list", "--json"], env=signed_in).check() for _ in range(runs)
    ]
    assert isinstance(json.loads(cases[-1].stdout), list), cases[-1].stdout
    results.seconds(
        "cli",
        "case_list_json",
        [r.seconds for r in cases],
        cpu_s=statistics.median(r.cpu_seconds for r in cases),
        peak_rss_mb=max(r.peak_rss_mb for r in cases),
    )

    passwords = Passwords()
    stored = passwords.hash(demo_store.password)
    verify, verify_cpu = [], []
    for _ in range(scale.pick(5, 1)):
        started, started_cpu = time.perf_counter(), time.process_time()
        assert passwords.verify(stored, demo_store.password)
        verify.append(time.perf_counter() - started)
        verify_cpu.append(time.process_time() - started_cpu)
    p = passwords.parameters
    results.seconds(
        "cli",
        "password_verify",
        verify,
        cpu_s=statistics.median(verify_cpu),
        argon2id=f"m={p.memory_cost_kib}KiB,t={p.time_cost},p={p.parallelism}",
    )
