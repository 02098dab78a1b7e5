"""Start-up, the way a user starts DigitPad: `python -m digitpad` in its own process.

The window must be on screen before torch is imported (torch alone takes
about a second to import) and before pyqtgraph is (the plots of the tabs added
once the window shows); the model is then read with NumPy at once and with
torch in the background.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

pytest_plugins = ["ui_fixtures"]


def start_digitpad(tmp_path: Path, report: str = "quit") -> dict[str, list[str]]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", DIGITPAD_STARTUP_REPORT=report,
               XDG_CONFIG_HOME=str(tmp_path / "config"), XDG_DATA_HOME=str(tmp_path / "data"))
    result = subprocess.run([sys.executable, "-m", "digitpad"], env=env, capture_output=True,
                            text=True, timeout=300, cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Traceback" not in result.stderr, result.stderr[-2000:]
    events = {}
    for line in result.stdout.splitlines():
        if line.startswith("digitpad-startup "):
            _, event, *details = line.split()
            events[event] = details
    return events


def test_the_window_is_shown_and_reads_before_torch_is_imported(tmp_path: Path) -> None:
    events = start_digitpad(tmp_path)
    assert set(events) == {"window-shown", "model-ready", "first-prediction", "model-loaded",
                           "all-tabs"}
    when = {event: float(details[0]) for event, details in events.items()}
    assert events["window-shown"][1:3] == ["torch=no", "pyqtgraph=no"]
    # Drawings are read (with NumPy) before torch is imported (its import may have
    # begun in the background by the time the window hears of it)...
    assert events["model-ready"][1] in ("torch=no", "torch=loading")
    assert events["model-ready"][2] == "pyqtgraph=no"
    # ...then the model is read with torch, and the other tabs are built after it.
    assert events["model-loaded"][1:3] == ["torch=yes", "pyqtgraph=no"]
    assert events["all-tabs"][1:3] == ["torch=yes", "pyqtgraph=yes"]
    assert when["window-shown"] <= when["model-ready"] <= when["first-prediction"]
    assert when["model-ready"] <= when["model-loaded"] <= when["all-tabs"]
    # Closing the window saved its geometry in the (temporary) user settings.
    assert (tmp_path / "config" / "DigitPad" / "DigitPad.ini").is_file()


def test_the_other_tabs_take_their_placeholders_places(qtbot, recognizer) -> None:
    from digitpad.ui.shell.main_window import MainWindow

    window = MainWindow(other_tabs_later=True)
    qtbot.addWidget(window)
    assert window.tabs.count() == 4 and not window.has_all_tabs  # with placeholders
    assert window.tabs.widget(2).text() == "Loading…"
    window.view_menus.tab_actions[2].trigger()  # the user opens "Inside" early
    window.use_recognizer(recognizer)
    window.add_other_tabs()
    window.add_other_tabs()  # once only
    assert window.tabs.count() == 4 and window.has_all_tabs
    assert [a.shortcut().toString() for a in window.view_menus.tab_actions] == [
        "Ctrl+1", "Ctrl+2", "Ctrl+3", "Ctrl+4"]
    assert [window.tabs.tabText(i) for i in range(4)] == ["&Draw", "&Trainer", "&Inside",
                                                          "&Mistakes"]
    assert window.inside_page._recognizer is recognizer
    assert window.mistakes_page._recognizer is recognizer
    assert "Ctrl+4" in window.tabs.tabBar().accessibleDescription()
    assert window.tabs.currentWidget() is window.inside_page  # where the user was
    assert window._drawing_pad is window.inside_page.pad
    window.view_menus.tab_actions[3].trigger()
    assert window.tabs.currentWidget() is window.mistakes_page
