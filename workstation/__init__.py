"""Casework workstation: prevent, detect and prove order diversion (跑单)."""

__version__ = "0.1.0"
