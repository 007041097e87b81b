"""Reading and keeping documents: temporary copies for a viewer, the in-app PDF viewer, and
"Save as…" (``DocumentOpener``)."""
