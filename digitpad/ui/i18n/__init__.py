"""DigitPad in the user's language, through Qt's own translation system.

Every visible string is written in English in the code, inside `self.tr("…")`
or `QCoreApplication.translate("Context", "…")`; `make translations` collects
them into `digitpad_<language>.ts` here, where the translations are written,
and compiles those into the `.qm` files the program loads (README.md here says
how). English needs no file: the source strings are English.

`install_language` swaps the translators at run time. Qt then sends every
widget a LanguageChange event; widgets that mix in `Translatable` set their
texts again in their `retranslate()` method, so a switch needs no restart.
"""

from __future__ import annotations

import re
from importlib.resources import files

from PySide6.QtCore import QCoreApplication, QEvent, QLibraryInfo, QLocale, QTranslator

# Each language named in its own words: a user who cannot read the current
# language must still find theirs.
LANGUAGES = {"en": "English", "zh_CN": "简体中文"}
SYSTEM = ""  # follow the system's locale

_installed: list[QTranslator] = []


def system_language() -> str:
    """The supported language closest to the system's locale (English otherwise)."""
    for name in QLocale.system().uiLanguages():
        name = name.replace("-", "_")
        if name.startswith("zh") and "Hant" not in name and not name.endswith(("TW", "HK")):
            return "zh_CN"
        if name.startswith("en"):
            return "en"
    return "en"


def install_language(language: str = SYSTEM) -> str:
    """Show the program in `language` (a key of LANGUAGES, or SYSTEM) from now on;
    returns the language used. Open windows follow at once."""
    code = language if language in LANGUAGES else system_language()
    app = QCoreApplication.instance()
    while _installed:
        app.removeTranslator(_installed.pop())
    if code != "en":
        ours = QTranslator(app)
        if ours.load(str(files(__package__) / f"digitpad_{code}.qm")):
            _installed.append(ours)
        # Qt's own words: standard buttons (Close, Yes, No), file dialogs, context menus.
        qt = QTranslator(app)
        if qt.load(f"qtbase_{code}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
            _installed.append(qt)
        for translator in _installed:
            app.installTranslator(translator)
    QLocale.setDefault(QLocale(code))
    return code


def without_mnemonic(text: str) -> str:
    """A menu, tab or button text as said or listed, without its mnemonic:
    "&Undo" -> "Undo", "撤销(&U)" -> "撤销" (the Chinese form, README), "&&" -> "&"."""
    return re.sub(r"\(&\w\)", "", text).replace("&&", "\0").replace("&", "").replace("\0", "&")


class Translatable:
    """Mix in before the Qt class (``class Panel(Translatable, QWidget)``) and define
    ``retranslate()``, which sets every text the widget shows; it is called again
    whenever the language changes."""

    def retranslate(self) -> None:
        raise NotImplementedError

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
