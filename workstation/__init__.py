"""Casework workstation: prevent, detect and prove order diversion (跑单)."""

import warnings

__version__ = "0.1.0"

# pyHanko imports cryptography's DSA key type, which cryptography deprecates: a warning about a
# library's internals that nobody running the workstation can act on (it printed on every
# command). Filtered here, before anything imports pyHanko; other warnings go to the log.
warnings.filterwarnings("ignore", message="DSA is deprecated", module=r"pyhanko\.")
