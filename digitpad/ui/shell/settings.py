"""What the program remembers between runs, through QSettings.

An INI file in the user's configuration folder (on Linux
$XDG_CONFIG_HOME/DigitPad/DigitPad.ini), the same format on every platform.
Tests point QSettings.setPath(IniFormat, UserScope, ...) at a temporary folder,
so they never touch the user's settings.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings

ORGANISATION = "DigitPad"
APPLICATION = "DigitPad"


def open_settings() -> QSettings:
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope,
                     ORGANISATION, APPLICATION)


# The language chosen in the Language menu ("" or absent: follow the system's locale)
# and whether the high-contrast palette is on (View menu).
LANGUAGE_KEY = "view/language"
HIGH_CONTRAST_KEY = "view/high_contrast"
# Where the user last chose MNIST in the Trainer tab's Data box (a folder or an .npz).
MNIST_KEY = "data/mnist"


def saved_language() -> str:
    return str(open_settings().value(LANGUAGE_KEY, "") or "")


def saved_high_contrast() -> bool | None:
    """True or False if the user chose in the View menu, None to follow the system."""
    value = open_settings().value(HIGH_CONTRAST_KEY)
    return None if value is None else str(value).lower() in ("true", "1")


def saved_mnist() -> str:
    return str(open_settings().value(MNIST_KEY, "") or "")


def remember(key: str, value: object) -> None:
    settings = open_settings()
    settings.setValue(key, value)
    settings.sync()
