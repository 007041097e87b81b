"""Cases: the workflow from an alert (or by hand) to a closed case, with signed approvals,
frozen evidence and its chain of custody, and conflict-of-interest rules.

``CaseService`` (``cases.service``) is the one object the GUI and the CLI use;
``cases.ports`` names what it needs from the security module (an ``Authorizer`` and a
``Signer``), answered by ``security.permissions.PermissionAuthorizer`` and the signing service.
"""
