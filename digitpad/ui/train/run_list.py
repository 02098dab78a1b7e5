"""The list of earlier runs: tick one to overlay its curves, select one to resume it.

A damaged run record is listed greyed out, naming its file and what is wrong,
so one bad run neither hides the others nor goes unexplained."""

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
        runs, damaged = self.store.scan()
        for run in runs:
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
        for problem in damaged:
            item = QListWidgetItem(f"Skipped: {problem}")
            item.setToolTip(problem)
            item.setFlags(Qt.ItemFlag.NoItemFlags)  # nothing to tick, select or resume
            self.addItem(item)
        self.blockSignals(False)
        self.overlays_changed.emit(self.ticked())
        self.run_selected.emit(self.selected())

    def runs(self) -> list[Run]:
        return [run for run in (self.item(i).data(Qt.ItemDataRole.UserRole)
                                for i in range(self.count())) if run is not None]

    def ticked(self) -> list[Run]:
        return [self.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.count())
                if self.item(i).data(Qt.ItemDataRole.UserRole) is not None
                and self.item(i).checkState() == Qt.CheckState.Checked]

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
