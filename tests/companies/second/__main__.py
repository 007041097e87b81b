"""Write the second company into a folder to look at: ``PYTHONPATH=tests python -m
companies.second OUT [SEED]``."""

from __future__ import annotations

import sys
from pathlib import Path

from companies.second.generate import DEFAULT_SEED, generate

if __name__ == "__main__":
    if len(sys.argv) not in (2, 3):
        sys.exit("usage: PYTHONPATH=tests python -m companies.second OUT [SEED]")
    company = generate(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) == 3 else DEFAULT_SEED)
    for f in company.files:
        print(f"{f.rows:7,}  {f.kind:<15} {f.path.name} {' '.join(f.args)}")
    for alert in company.key["expected_alerts"]:
        print(f"expected: {alert['employee_no']} {alert['severity']} {sorted(alert['rules'])}")
