"""Screenshot of the Imports area with its readiness report, on the demo database (docs).

    xvfb-run -a env QT_QPA_PLATFORM=xcb python -m workstation.gui.imports.screenshots OUTDIR \\
        [--data-dir DIR] [--lang zh_CN|en]

The workstation starts as ``workstation`` starts it (``ScriptedSession``); the demo's HR
officer signs in and opens Imports. Writes ``imports_readiness.png``: the files imported so
far and, below them, what the data lets Casework see.
"""

from __future__ import annotations

import sys
from pathlib import Path

from workstation.gui.imports.imports_page import ImportsPage
from workstation.gui.main_window import Area
from workstation.gui.scripted_session import ScriptedSession, run_script, save


def take(session: ScriptedSession, out: Path) -> list[Path]:
    window = session.sign_in("hr.zhou")
    window.show_area(Area.IMPORTS)
    page = window.pages[Area.IMPORTS]
    assert isinstance(page, ImportsPage) and page.readiness_panel is not None
    panel = page.readiness_panel
    panel.refresh()
    session.wait_signal(panel.loaded, "taking the readiness report")
    session.idle("loading the imports")
    return [save(window, out / "imports_readiness.png")]


def main(argv: list[str] | None = None) -> int:
    return run_script("python -m workstation.gui.imports.screenshots", take, argv)


if __name__ == "__main__":
    sys.exit(main())
