"""The Users area's signing panel: an administrator creates the signing authority (its
passphrase chosen and typed twice where no keyring keeps it) and certifies the key a user made
under their own passphrase (typed in another copy of the workstation)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from acting import identity_for, key_passphrase, sign_in_as
from clocks import pinned
from gui_helpers import LOAD_TIMEOUT_MS
from PySide6.QtWidgets import QInputDialog

from workstation.app import App, open_app
from workstation.domain.enums import Role
from workstation.gui.main_window import Area, MainWindow

AUTHORITY = "the authority's own passphrase"


@pytest.fixture
def typed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The administrator types the authority's passphrase in every passphrase dialog."""
    labels: list[str] = []

    def get_text(_parent: Any, _title: str, label: str, *_args: Any) -> tuple[str, bool]:
        labels.append(label)
        return AUTHORITY, True

    monkeypatch.setattr(QInputDialog, "getText", staticmethod(get_text))
    return labels


def _enrol_elsewhere(app: App, role: Role) -> str:
    """A user makes their signing key in their own copy of the workstation (same database)."""
    other = open_app(app.settings, clock=pinned())
    try:
        who = identity_for(other, role)
        other.session.sign_in(who)
        other.secrets.set_ask(lambda question: key_passphrase(question.owner))
        assert other.signing.enrol(who).pending
        return who.username
    finally:
        other.close()


def test_the_administrator_creates_the_authority_and_certifies_a_waiting_key(
    app: App, open_window: Callable[[App], MainWindow], qtbot: Any, typed: list[str]
) -> None:
    admin = sign_in_as(app, Role.ADMINISTRATOR)
    window = open_window(app)
    page = window.users_page
    assert window.show_area(Area.USERS)
    panel = page.signing_panel
    assert panel is not None
    qtbot.waitUntil(lambda: panel.status is not None, timeout=LOAD_TIMEOUT_MS)
    assert "尚无签名机构" in panel.status_label.text()
    assert panel.create_button.isVisibleTo(page) and not panel.certify_button.isEnabled()

    with qtbot.waitSignal(panel.loaded, timeout=LOAD_TIMEOUT_MS):
        panel.create_button.click()
    assert page.banner_text() == "签名机构已创建，现在可以认证用户的签名密钥。"
    assert len(typed) == 2 and "签名机构" in typed[0] and admin.display_name in typed[0]
    assert typed[1] == "请再次输入相同的口令。"
    assert not panel.create_button.isVisibleTo(page)
    assert "没有待认证的签名密钥" in panel.status_label.text()

    username = _enrol_elsewhere(app, Role.LEGAL)
    with qtbot.waitSignal(panel.loaded, timeout=LOAD_TIMEOUT_MS):
        panel.reload()
    assert f"待认证：Test legal ({username})。" in panel.status_label.text()
    assert panel.certify_button.isEnabled()
    with qtbot.waitSignal(panel.loaded, timeout=LOAD_TIMEOUT_MS):
        panel.certify_button.click()
    assert page.banner_text() == f"已认证：{username}。他们现在可以签名了。"
    assert not panel.certify_button.isEnabled()
    assert app.signing.key_state(identity_for(app, Role.LEGAL).user_id).certified


def test_a_wrong_authority_passphrase_certifies_nothing_and_says_so(
    app: App,
    open_window: Callable[[App], MainWindow],
    qtbot: Any,
    typed: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sign_in_as(app, Role.ADMINISTRATOR)
    window = open_window(app)
    page = window.users_page
    assert window.show_area(Area.USERS)
    panel = page.signing_panel
    assert panel is not None
    qtbot.waitUntil(lambda: panel.status is not None, timeout=LOAD_TIMEOUT_MS)
    with qtbot.waitSignal(panel.loaded, timeout=LOAD_TIMEOUT_MS):
        panel.create_button.click()
    _enrol_elsewhere(app, Role.HR_OFFICER)
    with qtbot.waitSignal(panel.loaded, timeout=LOAD_TIMEOUT_MS):
        panel.reload()
    monkeypatch.setattr(
        QInputDialog, "getText", staticmethod(lambda *_a: ("not the authority's", True))
    )
    with qtbot.waitSignal(panel.said, timeout=LOAD_TIMEOUT_MS) as said:
        panel.certify_button.click()
    assert said.args == ["未执行：口令无法打开此签名密钥", True]
    assert page.banner_text() == "未执行：口令无法打开此签名密钥"


def test_a_signer_whose_key_awaits_certification_is_told_what_to_do() -> None:
    from workstation.gui.cases.refusals import refusal_text
    from workstation.i18n import Translator
    from workstation.security.signatures import SigningError
    from workstation.security.signing import NO_AUTHORITY, KeyAwaitingCertification

    zh, en = Translator("zh_CN"), Translator("en")
    waiting = KeyAwaitingCertification("sales.manager")
    assert refusal_text(zh, waiting) == (
        "未签名：您的签名密钥已生成，须由管理员认证后才能签名："
        "workstation ca certify sales.manager，或 用户管理 → 认证"
    )
    assert refusal_text(en, waiting) == f"Not signed: {waiting}"
    assert refusal_text(zh, SigningError(NO_AUTHORITY)) == (
        "未签名：尚无签名机构：须由管理员创建（`workstation ca init --user 管理员`，"
        "或 用户管理 → 创建签名机构）"
    )
