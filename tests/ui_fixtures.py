"""Fixtures for the user-interface tests (pytest-qt, offscreen Qt).

Test modules load it with ``pytest_plugins = ["ui_fixtures"]``. Every window
made here reads and writes its settings and data in temporary folders, never
the user's.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox


@pytest.fixture
def isolated_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point QSettings' user scope, and the user's config and data folders (the
    model in use, runs, samples), at temporary folders for this test."""
    folder = tmp_path / "settings"
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    return folder


@pytest.fixture(scope="session")
def recognizer():
    """The embedded model, loaded once for all UI tests."""
    from digitpad.recognizer import Recognizer

    return Recognizer.load()


@pytest.fixture
def bare_window(qtbot, isolated_settings):
    """The main window, shown, with no model yet (as right after start-up)."""
    from digitpad.ui.shell.main_window import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


@pytest.fixture
def window(bare_window, recognizer):
    """The main window, shown, reading with the embedded model."""
    bare_window.use_recognizer(recognizer)
    return bare_window


@pytest.fixture
def no_modal_boxes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """A message box would block a test; record what it would have said instead."""
    said: list[str] = []

    def record(*args, **kwargs):
        said.append(" ".join(str(a) for a in args[1:3]))
        return QMessageBox.StandardButton.Ok

    for name in ("critical", "warning", "information", "question"):
        monkeypatch.setattr(QMessageBox, name, record)
    return said
