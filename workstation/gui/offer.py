"""Buttons that say what the reader can do: each is offered as the services answer (a
``security.capabilities.Capability``) — hidden when the reader's role never does it, disabled
with the reason as its tooltip when it is not possible now, enabled otherwise."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QWidget

from workstation.i18n import Translator
from workstation.security.capabilities import Capability
from workstation.service_text import service_text


def reason_text(tr: Translator, answer: Capability) -> str:
    """Why ``answer`` refuses, in the reader's language (empty when it allows)."""
    return "" if answer.allowed else service_text(answer.reason, tr.locale)


def offer(
    widget: QWidget,
    answer: Capability,
    tr: Translator,
    *,
    tooltip: str = "",
    words: Callable[[str], str] | None = None,
) -> None:
    """Show, enable and explain ``widget`` as ``answer`` says; ``tooltip`` is its help when
    it is allowed, ``words`` rewrites the reason (e.g. state codes as their names)."""
    widget.setVisible(answer.shown)
    widget.setEnabled(answer.allowed)
    reason = reason_text(tr, answer)
    widget.setToolTip(tooltip if answer.allowed else (words(reason) if words else reason))
