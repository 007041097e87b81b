"""The command line's refusals: one line, in English or Chinese, every text in the catalog; the
services' refusals it knows by name exist; and the guard keeps tracebacks in the log."""

from __future__ import annotations

import ast
import importlib
import json
import string
from pathlib import Path

import pytest

from workstation.cli_common import CliError
from workstation.cli_refusals import KNOWN, cli_locale, refusal_text, run_guarded
from workstation.config import load_settings, resources_dir
from workstation.i18n import Translator, catalog
from workstation.store.evidence import EvidenceCorrupted

PACKAGE = Path(__file__).resolve().parents[2] / "workstation"
#: Calls whose first literal argument is a refusal text of the command line.
MARKERS = {"CliError", "tr"}


def cli_texts() -> dict[str, list[str]]:
    """English text → where, for every ``CliError("...")``, ``tr("...")`` and
    ``_fail(args, "...")`` in workstation/cli*.py."""
    found: dict[str, list[str]] = {}
    for path in sorted(PACKAGE.glob("cli*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
            if name in MARKERS and node.args:
                text = node.args[0]
            elif name == "_fail" and len(node.args) == 2:
                text = node.args[1]
            else:
                continue
            if isinstance(text, ast.Constant) and isinstance(text.value, str):
                found.setdefault(text.value, []).append(f"{path.name}:{node.lineno}")
    return found


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_the_scan_finds_the_refusals() -> None:
    texts = cli_texts()
    assert "waiting for another import or change to finish…" in texts
    assert "unexpected error: {error} — details in {log}" in texts
    assert len(texts) > 30


def test_every_refusal_has_a_chinese_text_with_the_same_fields() -> None:
    zh = catalog("zh_CN")
    missing = {text: where for text, where in cli_texts().items() if not zh.get(text)}
    assert missing == {}, "add these to resources/translations/cli.zh_CN.json"
    for text in cli_texts():
        assert _fields(text) == _fields(zh[text]), text


def test_the_cli_catalog_has_no_unused_entries() -> None:
    path = resources_dir() / "translations" / "cli.zh_CN.json"
    unused = set(json.loads(path.read_text(encoding="utf-8"))) - set(cli_texts())
    assert unused == set()


@pytest.mark.parametrize("name", sorted(KNOWN))
def test_each_known_refusal_names_a_real_class(name: str) -> None:
    module, _, cls = name.rpartition(".")
    assert isinstance(getattr(importlib.import_module(module), cls), type), name


def test_a_cli_error_is_one_line_in_either_language() -> None:
    error = CliError("{name} cannot sign in: {reason}", name="hr.li", reason="interrupted")
    assert str(error) == "hr.li cannot sign in: interrupted"
    assert error.render(Translator("en")) == "hr.li cannot sign in: interrupted"
    assert error.render(Translator("zh_CN")) == "hr.li 无法登录：已中断"


def test_a_service_refusal_is_recognised_by_its_class() -> None:
    line = refusal_text(Translator("zh_CN"), EvidenceCorrupted("ab" * 32))
    assert line is not None and "ab" * 32 in line and "SHA-256" in line and "\n" not in line
    assert refusal_text(Translator("en"), RuntimeError("a bug")) is None
    denied = refusal_text(Translator("en"), PermissionError("hr.li may not do case.open"))
    assert denied == "not allowed: hr.li may not do case.open"
    missing = refusal_text(Translator("en"), FileNotFoundError(2, "No such file", "x.csv"))
    assert missing == "cannot use x.csv: No such file"


def test_the_language_follows_lang_then_the_saved_setting_then_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    settings = load_settings(tmp_path)
    assert cli_locale(None, settings) == "en"
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert cli_locale(None, settings) == "zh_CN"
    assert cli_locale("en", settings) == "en"
    settings.preferences_path.write_text(json.dumps({"locale": "en"}), encoding="utf-8")
    assert cli_locale(None, settings) == "en"


def test_the_guard_turns_a_bug_into_one_line_and_logs_the_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    def bug() -> int:
        raise KeyError("no such thing")

    log_file = tmp_path / "workstation.log"
    assert run_guarded(bug, Translator("en"), log_file) == 2
    err = capsys.readouterr().err
    expected = f"unexpected error: KeyError: 'no such thing' — details in {log_file}"
    assert err == f"workstation: {expected}\n"
    assert "Traceback" in caplog.text and "KeyError" in caplog.text

    def refused() -> int:
        raise CliError("the two passwords differ; nothing changed")

    assert run_guarded(refused, Translator("zh_CN"), log_file) == 1
    assert capsys.readouterr().err == "workstation: 两次输入的密码不一致；未做任何更改\n"
