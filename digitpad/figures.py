"""How DigitPad writes a figure for a person, the same in the window and on the
command line."""

from __future__ import annotations

NO_FIGURE = "–"  # a figure that was never measured


def percent(fraction: float | None, digits: int = 2) -> str:
    """0.9912 as "99.12 %"; None (not measured) as a dash."""
    return NO_FIGURE if fraction is None else f"{100 * fraction:.{digits}f} %"
