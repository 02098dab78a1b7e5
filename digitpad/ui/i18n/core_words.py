"""The words of the Qt-free core (digitpad/, trainer/), as the window shows them.

The core cannot call Qt, and the command line stays English, so the window
translates here what the core says: fixed phrases through the "Core" context
(listed below with QT_TRANSLATE_NOOP, so `make translations` finds them), and
descriptions built again from the core's figures.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from digitpad.figures import percent

if TYPE_CHECKING:
    from digitpad.recognizer import Recognizer

PHRASES = (
    QT_TRANSLATE_NOOP("Core", "this could be several digits"),
    QT_TRANSLATE_NOOP("Core", "this does not look like a digit"),
    QT_TRANSLATE_NOOP("Core", "nothing drawn yet"),
    # a personal fine-tune's stages and modes (digitpad.training.personal)
    QT_TRANSLATE_NOOP("Core", "looking for MNIST"),
    QT_TRANSLATE_NOOP("Core", "measuring the model in use"),
    QT_TRANSLATE_NOOP("Core", "preparing your samples"),
    QT_TRANSLATE_NOOP("Core", "fine-tuning"),
    QT_TRANSLATE_NOOP("Core", "measuring the new model"),
    QT_TRANSLATE_NOOP("Core", "done"),
    QT_TRANSLATE_NOOP("Core", "with MNIST replay"),
    QT_TRANSLATE_NOOP("Core", "personal samples only"),
    # what a model's calibration was measured on (its "fitted_on")
    QT_TRANSLATE_NOOP("Core", "pendigits writers 21-24 under the 13 drawn conditions"),
    QT_TRANSLATE_NOOP("Core", "MNIST test set, after a personal fine-tune"),
    QT_TRANSLATE_NOOP("Core", "the run's test set (held out of training)"),
    # what the built-in and a fresh model are called (Recognizer.name)
    QT_TRANSLATE_NOOP("Core", "built-in model"),
    QT_TRANSLATE_NOOP("Core", "new model"),
)


def core_phrase(text: str) -> str:
    """A fixed phrase of the core in the current language (unchanged if unknown)."""
    return QCoreApplication.translate("Core", text)


def model_name(recognizer: Recognizer, short: bool = False) -> str:
    """Recognizer.name() in the current language: built-in, new, or its file."""
    if recognizer.is_embedded:
        return QCoreApplication.translate("Core", "built-in model")
    if recognizer.checkpoint.path is None:
        return QCoreApplication.translate("Core", "new model")
    return recognizer.name(short=short)


def model_description(recognizer: Recognizer, short: bool = False) -> str:
    """Recognizer.describe() in the current language."""
    checkpoint = recognizer.checkpoint
    name, arch = model_name(recognizer, short), checkpoint.arch
    if checkpoint.test_accuracy is None:
        return QCoreApplication.translate("Core", "{name} ({arch})").format(name=name, arch=arch)
    return QCoreApplication.translate("Core", "{name} ({arch}, {accuracy} on MNIST test)").format(
        name=name, arch=arch, accuracy=percent(checkpoint.test_accuracy))
