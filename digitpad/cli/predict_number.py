"""`digitpad predict --number IMAGE...`: read a whole number in image files.

An image has no strokes, so the number is cut into digits from the ink itself
(connected components, and cuts scored by the network where digits touch);
see `digitpad.number_reader`. Bad files are handled as `digitpad predict`
handles them: one line on stderr, the other files still read, exit status 2.
"""

from __future__ import annotations

import argparse

from digitpad.cli.predict import read_images
from digitpad.figures import percent
from digitpad.number_reader import NumberReading, read_ink


def predict_number_command(args: argparse.Namespace) -> int:
    return read_images(args, read_ink, NumberReading.to_json, number_line)


def number_line(reading: NumberReading) -> str:
    """The reading in a few words: "2026 (sure; 2 99.1 %, 0 98.7 %, ...)",
    "not sure: 2026 (...)", "no ink"."""
    if not reading.digits:
        return "no ink"
    digits = ", ".join(f"{'?' if d.digit is None else d.digit} {percent(d.confidence, 1)}"
                       for d in reading.digits)
    if reading.sure:
        return f"{reading.number} ({digits})"
    shown = reading.number if reading.number is not None else "".join(
        "?" if d.digit is None else str(d.digit) for d in reading.digits)
    return f"not sure: {shown} ({reading.reason}; {digits})"
