"""Shared test set-up. Qt variables must be set before any QApplication exists."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
os.environ.setdefault(
    "QTWEBENGINE_CHROMIUM_FLAGS", "--no-sandbox --disable-gpu --disable-logging --log-level=3"
)
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")

from acting import TEST_PASSWORD, make_user_in, sign_in_as, sign_in_without_user
from clocks import DEMO_END_DATE, pinned

from workstation.app import App, open_app
from workstation.config import Settings, load_settings
from workstation.domain.enums import Role

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SHARED_REFERENCE = PROJECT_ROOT.parent / "shared" / "reference"
#: The demo company used across tests ends on ``clocks.DEMO_END_DATE``, and the app's clock
#: is pinned a month later (``clocks.pinned``), so every run sees the same data and the same
#: "today", whatever the machine's clock says.
DEMO_SEED = 7


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings for a fresh SQLite file in a temporary data dir."""
    return load_settings(tmp_path / "data")


@pytest.fixture
def app(settings: Settings) -> Iterator[App]:
    """A fresh store (no users yet) with an HR officer's identity signed in (``acting`` signs
    in other roles); its clock pinned (``clocks.pinned``)."""
    application = open_app(settings, clock=pinned())
    sign_in_without_user(application, Role.HR_OFFICER)
    yield application
    application.close()


@pytest.fixture(scope="session")
def demo_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[App]:
    """The full demo company, built once per test session into a real SQLite file, with the
    demo's HR officer signed in (a test that signs in someone else signs HR back in)."""
    data_dir = tmp_path_factory.mktemp("demo") / "data"
    application = open_app(load_settings(data_dir), clock=pinned())
    application.demo.build(seed=DEMO_SEED, end_date=DEMO_END_DATE)
    sign_in_as(application, Role.HR_OFFICER)
    yield application
    application.close()


@pytest.fixture
def cli_as(monkeypatch: pytest.MonkeyPatch) -> Callable[..., str]:
    """``cli_as(data_dir, role)``: the command line acts as a user with ``role`` of that store
    (created there; ``WORKSTATION_USER`` and ``WORKSTATION_PASSWORD`` set)."""

    def use(data_dir: Path, role: Role = Role.HR_OFFICER, db_url: str | None = None) -> str:
        username = make_user_in(data_dir, role, db_url)
        monkeypatch.setenv("WORKSTATION_USER", username)
        monkeypatch.setenv("WORKSTATION_PASSWORD", TEST_PASSWORD)
        return username

    return use


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("benchmarks", "benchmarks (tests/benchmarks)")
    group.addoption(
        "--run-benchmarks",
        action="store_true",
        help="run the benchmarks at full scale (make benchmarks); without it they run at a "
        "tiny scale, the same code in seconds, so a change that breaks one fails the suite",
    )
    group.addoption(
        "--benchmark-json",
        metavar="PATH",
        type=Path,
        help="write the benchmarks' measures to PATH as JSON (default: benchmarks.json in "
        "pytest's temporary folder)",
    )
