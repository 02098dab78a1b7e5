"""Starting the graphical program."""

from __future__ import annotations

import sys


def run_gui() -> int:
    print("digitpad: the drawing window is not built yet; use 'digitpad predict', "
          "'digitpad train' or 'digitpad eval' (see --help)", file=sys.stderr)
    return 1
