"""The start of the application: the sign-in dialog before the store is open, ``--user`` with
the password from the environment, cancelling, a store that does not open, and ``--open``
(straight on an alert, a case or a map; what cannot be opened said in one sentence)."""

from __future__ import annotations

from pathlib import Path

import pytest
from acting import TEST_PASSWORD, sign_in_as
from case_demo import scenario_alert
from gui_helpers import LOAD_TIMEOUT_MS, DialogLog, diverter
from pytestqt.qtbot import QtBot
from shipped import Shipped, credentials

from workstation.app import App
from workstation.domain.enums import Role
from workstation.gui.application import BAD_TARGET, run
from workstation.gui.main_window import Area
from workstation.gui.open_target import BadTarget, OpenTarget, TargetKind, parse_target
from workstation.gui.security.account_menu import signed_in_text
from workstation.i18n import Translator

ZH = Translator("zh_CN")
EN = Translator("en")


# -- --open: what it may name -------------------------------------------------------------------


def test_targets_parse() -> None:
    assert parse_target("map:HD10474", EN) == OpenTarget(TargetKind.MAP, "HD10474")
    day = parse_target("map:HD10474@2026-10-30", EN).day
    assert day is not None and day.isoformat() == "2026-10-30"
    assert parse_target(" alert:#12 ", EN) == OpenTarget(TargetKind.ALERT, "12")
    assert parse_target("CASE:cw-2026-0001", EN) == OpenTarget(TargetKind.CASE, "CW-2026-0001")
    assert str(parse_target("map:HD1@2026-01-02", EN)) == "map:HD1@2026-01-02"


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("mapp:HD10474", "write map:EMPLOYEE_NO[@DATE], alert:ID or case:NUMBER"),
        ("HD10474", "write map:EMPLOYEE_NO[@DATE], alert:ID or case:NUMBER"),
        ("map:", "write map:EMPLOYEE_NO[@DATE], alert:ID or case:NUMBER"),
        ("map:@2026-10-30", "the employee number is missing"),
        ("map:HD10474@30.10.2026", "“30.10.2026” is not a date like 2026-10-30"),
        ("alert:twelve", "an alert is named by its number, like alert:12"),
        ("alert:0", "an alert is named by its number, like alert:12"),
    ],
)
def test_a_bad_target_is_refused_in_one_sentence(text: str, says: str) -> None:
    with pytest.raises(BadTarget) as refused:
        parse_target(text, EN)
    message = str(refused.value)
    assert message.startswith(f"Cannot open “{text}”: ") and says in message
    assert "\n" not in message
    with pytest.raises(BadTarget) as chinese:
        parse_target(text, ZH)
    assert str(chinese.value).startswith(f"无法打开“{text}”")


def test_run_refuses_a_bad_target_before_opening_anything(
    app: App, capsys: pytest.CaptureFixture[str]
) -> None:
    opened: list[bool] = []

    def opener() -> App:
        opened.append(True)
        return app

    assert run(app.settings, opener, open_target="alert:x") == BAD_TARGET
    printed = capsys.readouterr()
    assert printed.out == ""
    assert printed.err == "workstation: 无法打开“alert:x”：预警以编号指明，例如 alert:12。\n"
    assert opened == []


# -- signing in at start ----------------------------------------------------------------------


def test_the_dialog_shows_at_once_and_the_store_opens_behind_it(
    shipped: Shipped, app: App, qtbot: QtBot
) -> None:
    sign_in_as(app, Role.HR_OFFICER)
    username, password = credentials(app)
    launcher = shipped.launch(app)
    dialog = launcher.dialog
    assert dialog is not None and dialog.isVisible()
    assert launcher.app is None, "the store opens on the runner, after the dialog shows"
    dialog.set_credentials(username, password)
    dialog.attempt()  # before the store is open: waits for it
    with qtbot.waitSignal(launcher.started, timeout=LOAD_TIMEOUT_MS) as started:
        pass
    workstation = shipped.adopt(launcher, started.args[0])
    assert app.session.current() is not None and app.session.current().username == username
    assert workstation.window.isVisible() and not dialog.isVisible()


def test_user_and_password_from_the_environment_sign_in_without_typing(
    shipped: Shipped, app: App, qtbot: QtBot
) -> None:
    sign_in_as(app, Role.HR_OFFICER)
    username, password = credentials(app)
    launcher = shipped.launch(app, user=username, password=password)
    with qtbot.waitSignal(launcher.started, timeout=LOAD_TIMEOUT_MS) as started:
        pass
    workstation = shipped.adopt(launcher, started.args[0])
    signed_in = app.session.current()
    assert signed_in is not None and signed_in.username == username
    assert workstation.window.user_label.text() == signed_in_text(ZH, app.session)
    assert launcher.dialog is None, "the dialog went with the sign-in"


def test_a_wrong_password_from_the_environment_leaves_the_dialog_to_the_person(
    shipped: Shipped, app: App, qtbot: QtBot
) -> None:
    sign_in_as(app, Role.HR_OFFICER)
    username, password = credentials(app)
    launcher = shipped.launch(app, user=username, password="not " + password)
    dialog = launcher.dialog
    assert dialog is not None
    with qtbot.waitSignal(dialog.checked, timeout=LOAD_TIMEOUT_MS):
        pass
    assert dialog.error_text() == ZH("The username or password is not right.")
    assert dialog.username.text() == username and dialog.password.text() == ""
    assert launcher.workstation is None
    shipped.sign_in(launcher, username, password)


def test_cancelling_the_dialog_starts_nothing(shipped: Shipped, app: App, qtbot: QtBot) -> None:
    sign_in_as(app, Role.HR_OFFICER)
    launcher = shipped.launch(app)
    dialog = launcher.dialog
    assert dialog is not None
    with qtbot.waitSignal(launcher.cancelled, timeout=LOAD_TIMEOUT_MS):
        dialog.reject()
    assert launcher.workstation is None and not dialog.isVisible()


def test_a_store_that_does_not_open_is_said_in_the_dialog(
    shipped: Shipped, app: App, qtbot: QtBot
) -> None:
    def broken() -> App:
        raise OSError("disk I/O error")

    launcher = shipped.launch_with(app.settings, broken)
    dialog = launcher.dialog
    assert dialog is not None
    with qtbot.waitSignal(dialog.checked, timeout=LOAD_TIMEOUT_MS):
        pass
    assert dialog.error_text() == ZH("Cannot open the database: {error}", error="disk I/O error")
    dialog.set_credentials("hr.zhou", TEST_PASSWORD)
    assert not dialog.sign_in_button.isEnabled()


# -- --open: straight on a view ---------------------------------------------------------------


def test_open_an_alert(shipped: Shipped, evaluated_demo: App, qtbot: QtBot) -> None:
    alert = scenario_alert(evaluated_demo, "diverter")
    window = shipped.open(evaluated_demo, target=OpenTarget(TargetKind.ALERT, str(alert.id))).window
    detail = window.alerts_page.detail_view
    qtbot.waitUntil(lambda: detail.alert is not None, timeout=LOAD_TIMEOUT_MS)
    assert window.current_area() is Area.ALERTS and window.alerts_page.showing_detail()
    assert detail.alert is not None and detail.alert.id == alert.id


def test_open_a_case(shipped: Shipped, evaluated_demo: App, qtbot: QtBot) -> None:
    hr = sign_in_as(evaluated_demo, Role.HR_OFFICER)
    case = evaluated_demo.cases.open_case(hr, diverter(evaluated_demo).id, "疑似跑单")
    window = shipped.open(evaluated_demo, target=OpenTarget(TargetKind.CASE, case.number)).window
    view = window.cases_page.detail_view
    qtbot.waitUntil(lambda: case.number in view.title_label.text(), timeout=LOAD_TIMEOUT_MS)
    assert window.current_area() is Area.CASES


@pytest.mark.parametrize(
    ("target", "says"),
    [
        ("map:NOBODY1", "There is no employee {number}."),
        ("alert:999999", "There is no alert #{id}, or you may not see it."),
        ("case:CW-1999-0001", "There is no case {number}, or you may not see it."),
    ],
)
def test_what_does_not_exist_is_said_and_the_window_stays(
    shipped: Shipped,
    evaluated_demo: App,
    qtbot: QtBot,
    dialogs: DialogLog,
    target: str,
    says: str,
) -> None:
    dialogs.expected = True
    parsed = parse_target(target, ZH)
    workstation = shipped.open(evaluated_demo, target=parsed)
    qtbot.waitUntil(lambda: bool(dialogs.shown), timeout=LOAD_TIMEOUT_MS)
    expected = ZH(says, number=parsed.key, id=parsed.key)
    assert dialogs.texts() == [expected] and "Traceback" not in dialogs.shown[0]["details"]
    assert workstation.window.current_area() is Area.EMPLOYEES


def test_a_role_that_does_not_see_the_map_is_told(
    shipped: Shipped, evaluated_demo: App, qtbot: QtBot, dialogs: DialogLog, tmp_path: Path
) -> None:
    dialogs.expected = True
    sign_in_as(evaluated_demo, Role.SALES_MANAGER)
    try:
        target = OpenTarget(TargetKind.MAP, diverter_number(evaluated_demo))
        workstation = shipped.open(evaluated_demo, target=target)
        assert not workstation.window.has_area(Area.MAP)
        assert dialogs.texts() == [
            ZH("Cannot open “{target}”: your role does not show it.", target=target)
        ]
    finally:
        sign_in_as(evaluated_demo, Role.HR_OFFICER)


def diverter_number(app: App) -> str:
    return str(next(s for s in app.demo.scenarios() if s["kind"] == "diverter")["employee_no"])
