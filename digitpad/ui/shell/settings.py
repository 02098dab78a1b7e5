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
