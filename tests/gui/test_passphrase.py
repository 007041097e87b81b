"""Without a keyring, a signing-key passphrase is asked for on the GUI thread, also when the
signing runs on a worker thread."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from PySide6.QtWidgets import QInputDialog

from workstation.gui.security.passphrase import PassphrasePrompter
from workstation.i18n import Translator
from workstation.security.secrets import AUTHORITY, PassphraseQuestion

OWN = PassphraseQuestion("wang.legal", "王律师")


@pytest.fixture
def dialogs_asked(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, bool]]:
    """QInputDialog.getText answers "s3cret" (or cancels after the first question) and
    records its label and whether it ran on the GUI thread."""
    asked: list[tuple[str, bool]] = []

    def get_text(_parent: Any, _title: str, label: str, *_args: Any) -> tuple[str, bool]:
        asked.append((label, threading.current_thread() is threading.main_thread()))
        return ("s3cret", len(asked) == 1)

    monkeypatch.setattr(QInputDialog, "getText", staticmethod(get_text))
    return asked


def test_a_worker_thread_gets_the_answer_from_a_dialog_on_the_gui_thread(
    qtbot: Any, dialogs_asked: list[tuple[str, bool]]
) -> None:
    prompter = PassphrasePrompter(Translator("zh_CN"))
    answers: list[str | None] = []
    worker = threading.Thread(target=lambda: answers.append(prompter.ask(OWN)))
    worker.start()
    qtbot.waitUntil(lambda: bool(answers), timeout=10_000)
    worker.join()
    assert answers == ["s3cret"]
    [(label, on_gui_thread)] = dialogs_asked
    assert on_gui_thread, "the dialog ran on the GUI thread"
    assert "签名" in label and "王律师（wang.legal）的签名密钥" in label


def test_cancelling_gives_none(qtbot: Any, dialogs_asked: list[tuple[str, bool]]) -> None:
    prompter = PassphrasePrompter(Translator("en"))
    assert prompter.ask(OWN) == "s3cret"
    assert prompter.ask(OWN) is None, "cancelled: no passphrase"


def test_a_new_passphrase_is_typed_twice_and_says_whose_key_it_protects(
    qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    typed = iter(["first choice", "a typo", "first choice"])
    labels: list[str] = []

    def get_text(_parent: Any, _title: str, label: str, *_args: Any) -> tuple[str, bool]:
        labels.append(label)
        return next(typed), True

    monkeypatch.setattr(QInputDialog, "getText", staticmethod(get_text))
    prompter = PassphrasePrompter(Translator("en"))
    assert prompter.ask(PassphraseQuestion("wang.legal", "王律师", new=True)) == "first choice"
    assert "Choose the passphrase of the signing key of 王律师 (wang.legal)" in labels[0]
    assert labels[1:] == [
        "Type the same passphrase again.",
        "The two passphrases differ. Type the same passphrase again.",
    ]
    labels.clear()
    typed = iter(["authority", "authority"])
    chinese = PassphrasePrompter(Translator("zh_CN"))
    assert chinese.ask(PassphraseQuestion(AUTHORITY, "陈管理员", new=True)) == "authority"
    assert "签名机构" in labels[0] and "陈管理员" in labels[0]
