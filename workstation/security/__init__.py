"""Security: users, roles and permissions, password hashing, the signed-in session, signing keys.

Import from the modules (``workstation.security.users``, ``.permissions``, ``.session``,
``.passwords``, ...); this package file stays empty so its modules never import each other
by accident.
"""
