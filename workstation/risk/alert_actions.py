"""What a reader may do with one alert now, and why not (``AlertService.actions``).

Made by the checks the services run: the permission matrix (triage, the map, opening a case)
and the alert's own life cycle (``domain.alerts.TRANSITIONS``). A triage step that does not
follow from the alert's status is not offered; neither is anything the reader's role never
does (the sales manager reads alerts but neither triages them nor sees tracks).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from workstation.domain.alerts import (
    AlertStatus,
    DismissReason,
    TransitionRefused,
    check_transition,
)
from workstation.domain.identity import Identity
from workstation.security.capabilities import (
    ALLOWED,
    Capability,
    capability,
    first_refusal,
    refused,
)
from workstation.security.permissions import Permission

_NOTHING = Capability(False, "", shown=False)


@dataclass(frozen=True)
class AlertActions:
    #: Each status the alert could be moved to by triage.
    triage: Mapping[AlertStatus, Capability] = field(default_factory=dict)
    #: The employee's movements on the map (tracks are personal data: ``track.view``).
    show_on_map: Capability = _NOTHING
    #: Opening a case from the (confirmed) alert.
    open_case: Capability = _NOTHING

    def can_triage(self, to: AlertStatus) -> Capability:
        return self.triage.get(to, _NOTHING)


def _step(alert_id: int, status: AlertStatus, to: AlertStatus) -> Capability:
    """The alert's own rule for moving from ``status`` to ``to`` (a dismissal's reason and
    note are asked for with it, so they are taken as given)."""
    try:
        check_transition(alert_id, status, to, DismissReason.OTHER.value, "(given)")
    except TransitionRefused as refusal:
        return refused(str(refusal), shown=False)
    return ALLOWED


def alert_actions(identity: Identity | None, alert_id: int, status: AlertStatus) -> AlertActions:
    triage = capability(identity, Permission.ALERT_TRIAGE)
    steps: dict[AlertStatus, Capability] = {
        to: first_refusal(triage, _step(alert_id, status, to))
        for to in AlertStatus
        if to is not AlertStatus.NEW
    }
    escalate = steps[AlertStatus.ESCALATED]
    return AlertActions(
        triage=steps,
        show_on_map=capability(identity, Permission.TRACK_VIEW),
        open_case=first_refusal(escalate, capability(identity, Permission.CASE_OPEN)),
    )


__all__ = ["AlertActions", "alert_actions"]
