"""Cold start: a fresh process until the main window shows the demo's employees.

Opt-in (``make benchmarks``). Prints the time; asserts only that the window loaded.
"""

from __future__ import annotations

import os
import subprocess
import sys

from workstation.app import App

SCRIPT = r"""
import time
t0 = time.perf_counter()
import sys
from workstation.app import open_app
from workstation.config import load_settings
from workstation.gui.application import create_main_window, create_qapplication
app = open_app(load_settings(sys.argv[1]))
qapp = create_qapplication(app.settings)
window = create_main_window(app)
shown = []
window.employee_list.loaded.connect(lambda n: (shown.append(n), qapp.quit()))
window.show()
qapp.exec()
print(f"{time.perf_counter() - t0:.3f} {shown[0]}")
"""


def test_cold_start_to_main_window_with_employees(demo_app: App) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", QTWEBENGINE_DISABLE_SANDBOX="1")
    times = []
    for _ in range(3):
        done = subprocess.run(
            [sys.executable, "-c", SCRIPT, str(demo_app.settings.data_dir)],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        seconds, employees = done.stdout.split()
        assert int(employees) == len(demo_app.employees.list_employees())
        times.append(float(seconds))
    print(f"\ncold start to main window with {employees} employees: {times} s")
