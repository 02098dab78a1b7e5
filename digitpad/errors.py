"""Errors the application core raises on purpose, each with a one-line message."""

from trainer.errors import TrainerError


class DigitPadError(TrainerError):
    """Base of the application's deliberate errors (a TrainerError, so one except catches all)."""


class ImageError(DigitPadError):
    """An image file cannot be read as a drawing of a digit."""


class SampleError(DigitPadError):
    """A strokes file or sample cannot be read."""


class RunError(DigitPadError):
    """A training run's record cannot be written."""


class OutputError(DigitPadError):
    """A result cannot be written where the user asked (`inspect --out`, `eval --mistakes`)."""


def one_line(error: BaseException) -> str:
    """What the user reads about `error`: our own errors are written for people
    already; anything else is named, as a bug to report."""
    if isinstance(error, TrainerError):
        return str(error)
    text = str(error).strip()
    first = text.splitlines()[0] if text else ""
    return f"unexpected error: {type(error).__name__}" + (f": {first}" if first else "")
