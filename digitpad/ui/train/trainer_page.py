"""The Trainer tab's place in the main window, built when it is first needed.

The window appears before torch is imported (the model loads in the
background), and the Trainer tab needs torch and pyqtgraph. So the window
holds this light page; the real `TrainerTab` is built the first time the page
is shown once the model question is settled (loaded, or failed to load, in
which case training from scratch still works).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

if TYPE_CHECKING:
    from digitpad.recognizer import Recognizer
    from digitpad.ui.train.trainer_tab import TrainerTab


class TrainerPage(QWidget):
    model_in_use_changed = Signal(object)  # the Recognizer, after Use this model / Revert

    def __init__(self, parent: QWidget | None = None, *,
                 saved_mnist: Callable[[], str] = str,
                 remember_mnist: Callable[[str], None] = lambda path: None) -> None:
        """`saved_mnist()`: the MNIST the user chose in an earlier session ("" if none);
        `remember_mnist(path)` keeps a new choice for the next one."""
        super().__init__(parent)
        self._saved_mnist, self._remember_mnist = saved_mnist, remember_mnist
        self.tab: TrainerTab | None = None
        self._recognizer: Recognizer | None = None
        self._ready = False
        self._waiting = QLabel(self.tr("The trainer opens as soon as the model has loaded…"))
        self._waiting.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.addWidget(self._waiting)

    def set_recognizer(self, recognizer: Recognizer | None) -> None:
        """The model in use is known (None: it could not be loaded)."""
        self._recognizer, self._ready = recognizer, True
        if self.tab is not None:
            self.tab.set_recognizer(recognizer)
        elif self.isVisible():
            self.build()

    def build(self) -> TrainerTab:
        """Make the real tab now (the window does it when the page is first shown)."""
        if self.tab is None:
            from digitpad.ui.train.trainer_tab import TrainerTab

            self.tab = TrainerTab(self._recognizer)
            self.tab.setContentsMargins(8, 8, 8, 4)
            self.tab.model_in_use_changed.connect(self.model_in_use_changed)
            self._use_saved_mnist(self.tab)
            self._layout.removeWidget(self._waiting)
            self._waiting.deleteLater()
            self._layout.addWidget(self.tab)
        return self.tab

    def _use_saved_mnist(self, tab: TrainerTab) -> None:
        """The MNIST chosen last time, if it is still there (else the tab's own search
        of the usual places stands); and every new choice is remembered."""
        saved = self._usable_saved_mnist()
        if saved is not None:
            tab.data.set_path(saved)
        tab.data.chosen.connect(lambda path: self._remember_mnist(str(path)))

    def _usable_saved_mnist(self) -> Path | None:
        from digitpad.ui.train.data_source import data_problem

        saved = self._saved_mnist()
        return Path(saved) if saved and data_problem(Path(saved)) is None else None

    def mnist_place(self) -> Path | None:
        """The MNIST chosen in the tab's Data box if it looks usable (before the tab is
        built, the one chosen in an earlier session)."""
        return self.tab.data.path() if self.tab is not None else self._usable_saved_mnist()

    def confirm_close(self) -> bool:
        """Ask before closing during training, and stop it cleanly; False keeps the window open."""
        return self.tab.confirm_close() if self.tab is not None else True

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._ready and self.tab is None:
            self.build()
