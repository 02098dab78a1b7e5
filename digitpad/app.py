"""Starting the graphical program.

This module stays free of Qt so the command line never loads it; the window
lives in digitpad.ui.
"""

from __future__ import annotations


def run_gui() -> int:
    from digitpad.ui.application import run

    return run()
