"""The list of earlier runs: tick one to overlay its curves, select one to resume it.

A damaged run record is listed greyed out, naming its file and what is wrong,
so one bad run neither hides the others nor goes unexplained."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

from digitpad.figures import percent
from digitpad.store.runs import FAILED, FINISHED, RUNNING, STOPPED, Run, RunStore
from digitpad.ui.i18n import Translatable
from digitpad.ui.i18n.core_words import core_phrase


class RunList(Translatable, QListWidget):
    overlays_changed = Signal(list)  # the ticked runs
    run_selected = Signal(object)  # the selected Run, or None

    def __init__(self, store: RunStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self._hidden: str | None = None  # the run under way, not listed
        self.setAlternatingRowColors(True)
        self.setWordWrap(True)  # a long title wraps rather than hiding behind a scroll bar
        self.itemChanged.connect(lambda _item: self.overlays_changed.emit(self.ticked()))
        self.currentItemChanged.connect(lambda item, _old: self.run_selected.emit(
            item.data(Qt.ItemDataRole.UserRole) if item is not None else None))
        self.retranslate()

    def retranslate(self) -> None:
        self.setToolTip(self.tr("Tick a run to draw its curves behind the current one; "
                                "select a stopped run to resume it"))
        self.setAccessibleName(self.tr("Earlier runs"))
        self.setAccessibleDescription(self.toolTip())
        if self.count():
            self.reload(self._hidden)

    def reload(self, hide: str | None = None) -> None:
        """Read the runs folder again; `hide` is the id of the run under way."""
        self._hidden = hide
        ticked = {run.id for run in self.ticked()}
        selected = self.selected()
        self.blockSignals(True)
        self.clear()
        runs, damaged = self.store.scan()
        for run in runs:
            if run.id == hide:
                continue
            item = QListWidgetItem(_title(run))
            item.setData(Qt.ItemDataRole.UserRole, run)
            item.setToolTip(_details(run))
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if run.id in ticked
                               else Qt.CheckState.Unchecked)
            self.addItem(item)
            if selected is not None and run.id == selected.id:
                self.setCurrentItem(item)
        for problem in damaged:
            item = QListWidgetItem(self.tr("Skipped: {problem}").format(problem=problem))
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


# A run's state as the list says it (Run.status, or another window training it).
STATES = {RUNNING: QT_TRANSLATE_NOOP("RunList", "interrupted"),
          FINISHED: QT_TRANSLATE_NOOP("RunList", "done"),
          STOPPED: QT_TRANSLATE_NOOP("RunList", "stopped"),
          FAILED: QT_TRANSLATE_NOOP("RunList", "failed")}


def _title(run: Run) -> str:
    """Run.title() in the current language: one line for the list."""
    config = run.config
    what = (QCoreApplication.translate("RunList", "fine-tune of {model}").format(
        model=core_phrase(run.start_from)) if run.start_from else config.get("arch", "?"))
    accuracy = run.test_accuracy
    figure = (percent(accuracy) if accuracy is not None
              else QCoreApplication.translate("RunList", "no test yet"))
    # This window hides its own run under way, so one still marked running was
    # cut off, unless another window holds it.
    state = (QCoreApplication.translate("RunList", "training in another window") if run.in_use()
             else QCoreApplication.translate("RunList", STATES.get(run.status, run.status)))
    epochs = QCoreApplication.translate("RunList", "{done}/{planned} epochs").format(
        done=len(run.epochs), planned=run.planned_epochs)
    return " · ".join((run.started[5:16].replace("T", " "), what, epochs, figure, state))


def _details(run: Run) -> str:
    config = run.config
    on = config.get("augment")
    lines = [QCoreApplication.translate("RunList", "Run {run}").format(run=run.id),
             QCoreApplication.translate("RunList", "Data: {data}").format(data=run.data or "?"),
             QCoreApplication.translate(
                 "RunList", "{optimizer} lr {lr}, batch {batch}, schedule {schedule}, "
                 "augment {augment}").format(
                 optimizer=config.get("optimizer"), lr=config.get("lr"),
                 batch=config.get("batch_size"), schedule=config.get("schedule"),
                 augment=QCoreApplication.translate("RunList", "on") if on else
                 QCoreApplication.translate("RunList", "off"))]
    if run.config.get("arch_params"):
        lines.append(QCoreApplication.translate("RunList", "Sizes: {sizes}").format(
            sizes=run.config["arch_params"]))
    if run.message:
        lines.append(run.message)
    return "\n".join(lines)
