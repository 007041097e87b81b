"""Imported communication records (chats, calls, mails): read by role, every read audited."""
