"""Cold start of the GUI as a whole process: ``workstation gui`` on the demo company, until the
sign-in dialog shows, then (the demo's HR officer typing the demo password) until the main
window shows and has loaded its employees.

The process is the shipped one (``gui_probe`` calls the console entry point and only watches);
under Xvfb with the xcb platform as on a desktop and, at full scale, under ``offscreen`` as in
the tests. Full scale: three runs each, the median reported. Tiny: one run under Xvfb.
"""

from __future__ import annotations

import json
import sys
from contextlib import nullcontext
from pathlib import Path

import pytest
from bench_tools import DemoStore, Results, Scale, has_xvfb, run_process, xvfb

PROBE = Path(__file__).with_name("gui_probe.py")
MARKS = ("sign_in_shown", "sign_in_sent", "main_window_shown", "main_window_ready")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "platform" in metafunc.fixturenames:
        if metafunc.config.getoption("--run-benchmarks"):
            metafunc.parametrize("platform", ["xcb", "offscreen"])
        else:
            metafunc.parametrize("platform", ["xcb" if has_xvfb() else "offscreen"])


def test_gui_cold_start_to_sign_in_and_main_window(
    platform: str,
    scale: Scale,
    results: Results,
    demo_store: DemoStore,
    process_env: dict[str, str],
    tmp_path: Path,
) -> None:
    if platform == "xcb" and not has_xvfb():
        pytest.skip("no Xvfb here (installer/bootstrap.sh installs the package xvfb)")
    runs = scale.pick(3, 1)
    timeline: dict[str, list[float]] = {name: [] for name in MARKS}
    peak_rss: list[float] = []
    with xvfb() if platform == "xcb" else nullcontext("") as display:
        env = dict(process_env, QT_QPA_PLATFORM=platform)
        if display:
            env["DISPLAY"] = display
        for run in range(runs):
            out = tmp_path / f"run-{run}.json"
            command = [sys.executable, str(PROBE), str(out), demo_store.username]
            command += [demo_store.password, str(demo_store.employees), "--"]
            command += ["--data-dir", str(demo_store.data_dir), "gui"]
            done = run_process(command, env=env, timeout=300)
            assert out.exists(), f"the probe wrote nothing: {done.stderr[-3000:]}"
            report = json.loads(out.read_text(encoding="utf-8"))
            assert report["failure"] == "", report["failure"] + done.stderr[-3000:]
            done.check()
            assert report["exit_code"] == 0
            for name in MARKS:
                timeline[name].append(report["marks"][name] - done.started)
            peak_rss.append(done.peak_rss_mb)

    shown, sent = timeline["main_window_shown"], timeline["sign_in_sent"]
    sign_in = [s - e for s, e in zip(shown, sent, strict=True)]
    name = f"gui_cold_start[{platform}]"
    results.seconds(name, "to_sign_in_dialog", timeline["sign_in_shown"])
    results.seconds(
        name, "sign_in_to_main_window", sign_in, note="Enter pressed to main window shown"
    )
    results.seconds(name, "to_main_window", timeline["main_window_shown"])
    results.seconds(
        name,
        "to_main_window_ready",
        timeline["main_window_ready"],
        employees=demo_store.employees,
        peak_rss_mb=max(peak_rss),
    )
