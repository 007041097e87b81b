"""What the case area tells the user when a change is refused: the service's reason, in the
user's language (``service_text``). Anything else is a bug for the global error hook."""

from __future__ import annotations

from workstation.cases.base import CaseNotFound, StaleCase
from workstation.cases.integrity import CaseDoesNotVerify
from workstation.cases.snapshots import RecordNotFound
from workstation.domain.alerts import TransitionRefused as AlertRefused
from workstation.domain.cases import CaseRefused
from workstation.i18n import Translator
from workstation.reports.company_file import CompanyFileError
from workstation.reports.document_data import DocumentDataError
from workstation.reports.templates import TemplateError
from workstation.risk.alert_service import AlertNotFound, StaleAlert
from workstation.security.ca import WrongPassphrase
from workstation.security.secrets import SecretUnavailable
from workstation.security.signatures import SigningError
from workstation.service_text import error_text
from workstation.store.evidence import EvidenceCorrupted

#: Refusals whose message says why, for the user.
REASONED = (
    CaseRefused,
    PermissionError,
    RecordNotFound,
    DocumentDataError,
    AlertRefused,
    AlertNotFound,
    StaleAlert,
    TemplateError,
    CompanyFileError,
)
#: The signer's key could not be opened.
SIGNING = (SecretUnavailable, SigningError, WrongPassphrase)


def refusal_text(tr: Translator, error: BaseException) -> str | None:
    """The sentence to show for ``error``, or None when it is not a refusal (a bug)."""
    if isinstance(error, StaleCase):
        return tr(
            "Someone changed this case while you were reading it; it was reloaded. "
            "Check what changed and try again."
        )
    if isinstance(error, CaseDoesNotVerify):
        return error.render(tr)
    if isinstance(error, CaseNotFound):
        return tr("This case does not exist or you may not see it.")
    if isinstance(error, SigningError):  # no authority yet, a key awaiting certification…
        return tr("Not signed: {reason}", reason=error_text(error, tr.locale))
    if isinstance(error, SIGNING):
        return tr(
            "Not signed: your signing key could not be opened ({reason}).",
            reason=error_text(error, tr.locale),
        )
    if isinstance(error, EvidenceCorrupted | OSError):
        return tr("The file could not be read: {reason}", reason=error_text(error, tr.locale))
    if isinstance(error, REASONED):
        return tr("Not done: {reason}", reason=error_text(error, tr.locale))
    return None
