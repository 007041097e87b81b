"""The default role-based check of case operations (until the security module's is wired).

The case-specific rules (who makes which transition, who approves, conflict of interest) are
in ``domain.cases`` and ``domain.case_approvals``; this only says which roles may attempt an
operation at all.
"""

from __future__ import annotations

from workstation.cases.ports import PermissionDenied
from workstation.domain.enums import Role
from workstation.domain.identity import Identity

_EVERYONE = frozenset(Role)
_HR = frozenset({Role.HR_OFFICER})

#: Operation → the roles that may perform it.
CASE_PERMISSIONS: dict[str, frozenset[Role]] = {
    "case.view": _EVERYONE,
    "case.open": _HR,
    "case.edit": _HR,
    "case.link_evidence": _HR,
    "case.export_evidence": frozenset({Role.HR_OFFICER, Role.LEGAL}),
    "case.transition": _HR,
    "case.approve": frozenset({Role.SALES_MANAGER, Role.LEGAL}),
    "case.legal_hold": frozenset({Role.LEGAL}),
    "case.choose_alternate": frozenset({Role.ADMINISTRATOR}),
}
_PHRASES = {
    "case.view": "view cases",
    "case.open": "open cases",
    "case.edit": "change cases",
    "case.link_evidence": "link evidence to cases",
    "case.export_evidence": "export case evidence",
    "case.transition": "move cases from state to state",
    "case.approve": "approve cases",
    "case.legal_hold": "set or lift a legal hold",
    "case.choose_alternate": "choose alternate approvers",
}


class RoleAuthorizer:
    """HR officers open, edit, link evidence and move cases; sales managers and legal view and
    approve; legal also sets the legal hold and exports evidence; administrators view and
    choose alternate approvers; auditors only view."""

    def require(self, identity: Identity, operation: str) -> None:
        roles = CASE_PERMISSIONS.get(operation)
        if roles is None:
            raise PermissionDenied(f"unknown operation {operation!r}")
        if identity.role not in roles:
            raise PermissionDenied(
                f"{identity.username} ({identity.role.value}) may not {_PHRASES[operation]}"
            )
