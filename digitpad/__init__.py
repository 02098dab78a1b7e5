"""DigitPad: draw a digit and watch a neural network read it."""

__version__ = "0.1.0"
