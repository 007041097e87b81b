"""Every refusal a service can raise reads in Chinese in the Chinese GUI: the messages are
found by reading the services' source (``message_scan``), so a new ``raise`` without a
pattern in ``resources/translations/patterns/`` fails here."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from message_scan import CASE_REFUSALS, WORKSTATION, messages

from workstation.ingest.errors import FileRejected
from workstation.service_text import error_text, is_translated, service_text

#: The exception classes the services refuse with, for a person to read. Not here: the
#: account forms' refusals (``UserError``, ``WeakPassword``, sign-in failures), which the GUI
#: words by their codes (``gui/security/labels.py``); ``PolicyInvalid``, whose problems the
#: policy editor explains one by one (``gui/policies/problems.py``); and the programming
#: errors (``ValueError`` and friends) no screen lets a person cause.
REFUSALS = {
    # cases (also checked, with their terms, by tests/integration/test_case_text.py)
    *CASE_REFUSALS,
    "RetentionRefused",
    # imports
    "FileRejected",
    "HeaderNotFound",
    "MappingError",
    "UnknownMapping",
    "BatchNotFound",
    "ValueProblem",
    # early warning, people, maps
    "PlaceRefused",
    "PolicyRefused",
    "EmployeeNotFound",
    "CommunicationNotFound",
    "IndicatorValueNotFound",
    "InvalidPreference",
    # evidence, signing, documents, the store
    "EvidenceCorrupted",
    "SigningError",
    "SecretUnavailable",
    "WrongPassphrase",
    "PdfUnreadable",
    "CompanyFileError",
    "TemplateError",
    "BadAnchor",
    "BackupNotSupported",
    "SchemaError",
    "StoreKeyRefused",
    "EncryptionRefused",
    "NotSignedIn",
}
#: Not services: the screens, the command line (its own words, ``--lang``) and the demo.
SKIPPED_DIRS = {"gui", "demo"}
CJK = re.compile(r"[\u4e00-\u9fff]")


def service_modules() -> list[Path]:
    return [
        path
        for path in sorted(WORKSTATION.rglob("*.py"))
        if not SKIPPED_DIRS & set(path.relative_to(WORKSTATION).parts)
        and not path.name.startswith("cli")
        and path.name != "__main__.py"
    ]


def refusal_messages() -> list[tuple[str, str]]:
    found = {m for path in service_modules() for m in messages(path, REFUSALS)}
    return sorted(found)


def test_the_scan_finds_the_refusals_of_every_service() -> None:
    found = refusal_messages()
    places = {where.split(":")[0] for where, _ in found}
    texts = {text for _, text in found}
    assert len(found) > 150
    for module in ("ingest/readers_text.py", "risk/allowed_places.py", "security/signing.py"):
        assert f"workstation/{module}" in places, module
    assert any(t.startswith("not a text file in UTF-8 or GB18030") for t in texts)


@pytest.mark.parametrize(("where", "message"), refusal_messages())
def test_every_refusal_has_chinese(where: str, message: str) -> None:
    assert is_translated(message, "zh_CN"), f"{where}: add a pattern for {message!r}"
    assert CJK.search(service_text(message, "zh_CN")), message
    assert service_text(message, "en") == message


def test_an_import_refusal_keeps_its_file_name() -> None:
    refusal = FileRejected(
        Path("/tmp/轨迹.csv"), "not a text file in UTF-8 or GB18030 (binary data at byte 12)"
    )
    assert error_text(refusal, "en") == str(refusal)
    chinese = error_text(refusal, "zh_CN")
    assert chinese.startswith("轨迹.csv：") and "GB18030" in chinese and "byte" not in chinese
