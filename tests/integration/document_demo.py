"""The demo company with the diverter's case walked to a served notice (its documents generated
and signed on the way), for the case document tests.

Building it takes a while, so it is built once per test session (into its own folder, then
closed) and each test module gets a copy of that folder: the modules change their copy freely,
and the session's ``demo_app`` (whose alerts ``test_demo_alerts`` expects open) is untouched.
"""

from __future__ import annotations

import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from acting import sign_in_as
from clocks import DEMO_END_DATE, pinned

from workstation.app import App, open_app
from workstation.config import load_settings
from workstation.demo.case_walkthrough import WalkedCase, walk_diverter_case
from workstation.demo.signing_keys import demo_passphrase
from workstation.domain.enums import Role

#: The demo the session fixtures build (tests/conftest.py).
DEMO_SEED = 7

_built: dict[str, object] = {}


def walked_demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[App, WalkedCase]:
    """A fresh copy of the walked demo, opened, with the HR officer signed in and the demo's
    signing-key passphrases given (there is no OS keyring in the tests)."""
    if "base" not in _built:
        base = tmp_path_factory.mktemp("walked_demo_base") / "data"
        app = open_app(load_settings(base), clock=pinned())
        try:
            app.demo.build(seed=DEMO_SEED, end_date=DEMO_END_DATE)
            sign_in_as(app, Role.HR_OFFICER)
            app.evaluation.evaluate(DEMO_END_DATE - timedelta(days=4), DEMO_END_DATE)
            diverter = next(s for s in app.demo.scenarios() if s["kind"] == "diverter")
            _built["walked"] = walk_diverter_case(app, diverter["employee_no"])
        finally:
            app.close()
        _built["base"] = base
    base = _built["base"]
    assert isinstance(base, Path)
    copy = tmp_path_factory.mktemp("walked_demo") / "data"
    shutil.copytree(base, copy)
    app = open_app(load_settings(copy), clock=pinned())
    app.secrets.set_ask(demo_passphrase)
    sign_in_as(app, Role.HR_OFFICER)
    walked = _built["walked"]
    assert isinstance(walked, WalkedCase)
    return app, walked
