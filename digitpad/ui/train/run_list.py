"""The list of earlier runs: tick one to overlay its curves, select one to resume it."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

from digitpad.store.runs import Run, RunStore


class RunList(QListWidget):
    overlays_changed = Signal(list)  # the ticked runs
    run_selected = Signal(object)  # the selected Run, or None

    def __init__(self, store: RunStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.setToolTip("Tick a run to draw its curves behind the current one; "
                        "select a stopped run to resume it")
        self.setAlternatingRowColors(True)
        self.setWordWrap(True)  # a long title wraps rather than hiding behind a scroll bar
        self.itemChanged.connect(lambda _item: self.overlays_changed.emit(self.ticked()))
        self.currentItemChanged.connect(lambda item, _old: self.run_selected.emit(
            item.data(Qt.ItemDataRole.UserRole) if item is not None else None))

    def reload(self, hide: str | None = None) -> None:
        """Read the runs folder again; `hide` is the id of the run under way."""
        ticked = {run.id for run in self.ticked()}
        selected = self.selected()
        self.blockSignals(True)
        self.clear()
        for run in self.store.runs():
            if run.id == hide:
                continue
            item = QListWidgetItem(run.title())
            item.setData(Qt.ItemDataRole.UserRole, run)
            item.setToolTip(_details(run))
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if run.id in ticked
                               else Qt.CheckState.Unchecked)
            self.addItem(item)
            if selected is not None and run.id == selected.id:
                self.setCurrentItem(item)
        self.blockSignals(False)
        self.overlays_changed.emit(self.ticked())
        self.run_selected.emit(self.selected())

    def runs(self) -> list[Run]:
        return [self.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.count())]

    def ticked(self) -> list[Run]:
        return [self.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.count())
                if self.item(i).checkState() == Qt.CheckState.Checked]

    def selected(self) -> Run | None:
        item = self.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None


def _details(run: Run) -> str:
    config = run.config
    lines = [f"Run {run.id}", f"Data: {run.data or '?'}",
             f"{config.get('optimizer')} lr {config.get('lr')}, batch {config.get('batch_size')}, "
             f"schedule {config.get('schedule')}, "
             f"augment {'on' if config.get('augment') else 'off'}"]
    if run.config.get("arch_params"):
        lines.append(f"Sizes: {run.config['arch_params']}")
    if run.message:
        lines.append(run.message)
    return "\n".join(lines)
