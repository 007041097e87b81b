"""An encrypted store whose key does not open it: the sign-in dialog says so in one sentence,
in the person's language, naming the database (and nobody can sign in)."""

from __future__ import annotations

from pathlib import Path

import pytest
from acting import TEST_PASSWORD
from gui_helpers import LOAD_TIMEOUT_MS
from pytestqt.qtbot import QtBot
from shipped import Shipped

from workstation.app import App, open_app
from workstation.config import load_settings
from workstation.database_encryption import init_encrypted
from workstation.i18n import Translator
from workstation.security.store_key import ENV_DB_KEY


def test_a_wrong_key_is_said_in_the_sign_in_dialog(
    shipped: Shipped, tmp_path: Path, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    monkeypatch.setenv(ENV_DB_KEY, "the right passphrase")
    init_encrypted(load_settings(data))
    monkeypatch.setenv(ENV_DB_KEY, "a wrong passphrase")
    settings = load_settings(data)

    def opener() -> App:
        return open_app(settings)

    launcher = shipped.launch_with(settings, opener)
    dialog = launcher.dialog
    assert dialog is not None
    with qtbot.waitSignal(dialog.checked, timeout=LOAD_TIMEOUT_MS):
        pass
    reason = f"无法打开加密数据库 {data / 'casework.sqlite3'}：密钥打不开它（密钥错误？）"
    zh = Translator("zh_CN")
    assert dialog.error_text() == zh("Cannot open the database: {error}", error=reason)
    dialog.set_credentials("hr.zhou", TEST_PASSWORD)
    assert not dialog.sign_in_button.isEnabled()
