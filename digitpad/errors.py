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
