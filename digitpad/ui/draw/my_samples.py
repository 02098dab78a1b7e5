"""My samples: the gallery of everything the user has taught, digit by digit.

Pick a digit (or all) to see its samples as the network saw them; select some
to relabel or delete them (Undo brings deleted ones back while the dialog is
open, and until DigitPad is restarted). Export writes every sample to one
file, Import adds the samples of such a file (all or nothing), Clear all
removes every sample after asking.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
from PySide6.QtCore import QCoreApplication, QSize, Qt, Signal
from PySide6.QtGui import QAction, QIcon, QImage, QKeySequence, QPixmap
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QMessageBox,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from digitpad.errors import SampleError, one_line
from digitpad.store.samples import Sample, SampleStore
from digitpad.ui.theme import MUTED, PROBLEM
from digitpad.ui.workers import Worker

THUMBNAIL = 56
ALL = 10  # the filter showing every digit (QButtonGroup reserves -1)


def thumbnail(image: np.ndarray) -> QPixmap:
    """A 28×28 uint8 image (ink high) as dark ink on white paper, THUMBNAIL pixels wide."""
    paper = np.ascontiguousarray(255 - image, np.uint8)
    picture = QImage(paper.data, 28, 28, 28, QImage.Format.Format_Grayscale8).copy()
    return QPixmap.fromImage(picture).scaled(THUMBNAIL, THUMBNAIL,
                                             Qt.AspectRatioMode.KeepAspectRatio,
                                             Qt.TransformationMode.SmoothTransformation)


class MySamplesDialog(QDialog):
    changed = Signal()  # samples were added, relabelled, deleted or restored
    file_done = Signal()  # an import or export has ended, whatever came of it

    def __init__(self, store: SampleStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # Modal: the language cannot change while it is open, so its texts are set once.
        self.setWindowTitle(self.tr("My samples"))
        self.resize(720, 520)
        self.store = store
        self._deleted: list[list[int]] = []  # undo stack: the ids of each deletion
        self._file_job: Worker | None = None  # reading or writing a samples file
        self._digit = ALL

        self.filter_group = QButtonGroup(self)
        self.filter_group.setExclusive(True)
        filters = QHBoxLayout()
        filters.setSpacing(3)
        for value in [ALL, *range(10)]:
            button = QToolButton()
            button.setCheckable(True)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            self.filter_group.addButton(button, value)
            filters.addWidget(button)
        self.filter_group.button(ALL).setChecked(True)
        self.filter_group.idClicked.connect(self.show_digit)
        for value in range(10):
            self.filter_group.button(value).setToolTip(
                self.tr("Show the samples of {digit}").format(digit=value))
        self.filter_group.button(ALL).setToolTip(self.tr("Show every sample"))
        filters.addStretch(1)

        self.gallery = QListWidget()
        self.gallery.setViewMode(QListView.ViewMode.IconMode)
        self.gallery.setIconSize(QSize(THUMBNAIL, THUMBNAIL))
        self.gallery.setGridSize(QSize(THUMBNAIL + 16, THUMBNAIL + 24))
        self.gallery.setResizeMode(QListView.ResizeMode.Adjust)
        self.gallery.setMovement(QListView.Movement.Static)
        self.gallery.setSelectionMode(QListWidget.SelectionMode.ExtendedSelection)
        self.gallery.setUniformItemSizes(True)
        self.gallery.itemSelectionChanged.connect(self._update_buttons)
        self.gallery.setAccessibleName(self.tr("Your samples"))
        self.gallery.setAccessibleDescription(self.tr(
            "Select samples to relabel or delete them (Shift or Ctrl for several)"))
        self.empty_hint = QLabel(self.tr("No samples yet. In the Draw tab, draw a digit and "
                                         "press its key (or click its button under the pad) to "
                                         "teach it."))
        self.empty_hint.setWordWrap(True)
        self.empty_hint.setStyleSheet(f"color: {MUTED.name()};")

        self.relabel_button = QPushButton(self.tr("&Relabel as"))
        self.relabel_button.setToolTip(self.tr("Say which digit the selected samples really are"))
        relabel_menu = QMenu(self.relabel_button)
        for digit in range(10):
            relabel_menu.addAction(str(digit), lambda d=digit: self.relabel_selected(d))
        self.relabel_button.setMenu(relabel_menu)
        self.delete_button = QPushButton(self.tr("Delete"))
        self.delete_button.setShortcut(QKeySequence.StandardKey.Delete)
        self.delete_button.setToolTip(self.tr("Delete the selected samples (Delete)"))
        self.delete_button.clicked.connect(self.delete_selected)
        self.undo_button = QPushButton(self.tr("Undo delete"))
        self.undo_button.setToolTip(self.tr("Bring the last deleted samples back (Ctrl+Z)"))
        self.undo_button.clicked.connect(self.undo_delete)
        undo = QAction(self)
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        undo.triggered.connect(self.undo_delete)
        self.addAction(undo)
        self.export_button = QPushButton(self.tr("&Export…"))
        self.export_button.setToolTip(self.tr("Save all your samples in one file"))
        self.export_button.clicked.connect(lambda: self.export_to())
        self.import_button = QPushButton(self.tr("&Import…"))
        self.import_button.setToolTip(self.tr("Add the samples of a file exported from DigitPad"))
        self.import_button.clicked.connect(lambda: self.import_from())
        self.clear_button = QPushButton(self.tr("C&lear all…"))
        self.clear_button.setToolTip(self.tr("Delete every sample, after asking"))
        self.clear_button.clicked.connect(lambda: self.clear_all())
        self.message = QLabel()
        self.message.setWordWrap(True)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)

        actions = QHBoxLayout()
        for button in (self.relabel_button, self.delete_button, self.undo_button):
            actions.addWidget(button)
        actions.addStretch(1)
        for button in (self.export_button, self.import_button, self.clear_button):
            actions.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.gallery, 1)
        layout.addWidget(self.empty_hint)
        layout.addLayout(actions)
        bottom = QHBoxLayout()
        bottom.addWidget(self.message, 1)
        bottom.addWidget(close)
        layout.addLayout(bottom)
        self.reload()
        damaged = store.damaged()
        if damaged:
            more = (self.tr(" (and {count} more)").format(count=len(damaged) - 1)
                    if len(damaged) > 1 else "")
            self._say(self.tr("Not shown: {problem}").format(problem=damaged[0]) + more,
                      problem=True)

    # -- showing --------------------------------------------------------------------

    def show_digit(self, digit: int) -> None:
        """Show the samples of one digit (ALL: every sample)."""
        self._digit = digit
        self.filter_group.button(digit).setChecked(True)
        self.reload()

    def reload(self) -> None:
        counts = self.store.counts()
        self.filter_group.button(ALL).setText(self.tr("All ({count})").format(count=sum(counts)))
        for digit in range(10):
            self.filter_group.button(digit).setText(f"{digit} ({counts[digit]})")
        samples = self.store.samples(None if self._digit == ALL else self._digit)
        self.gallery.clear()
        for sample in samples:
            self.gallery.addItem(self._item(sample))
        self.empty_hint.setVisible(sum(counts) == 0)
        self._update_buttons()

    def _item(self, sample: Sample) -> QListWidgetItem:
        item = QListWidgetItem(QIcon(thumbnail(sample.image)), str(sample.label))
        item.setData(Qt.ItemDataRole.UserRole, sample.id)
        item.setToolTip(self.tr("A {digit}, drawn {when}").format(
            digit=sample.label, when=sample.drawn_at.replace('T', ' ')[:16]))
        item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
        return item

    def selected_ids(self) -> list[int]:
        return [int(item.data(Qt.ItemDataRole.UserRole)) for item in self.gallery.selectedItems()]

    def _update_buttons(self) -> None:
        selected = bool(self.gallery.selectedItems())
        self.relabel_button.setEnabled(selected)
        self.delete_button.setEnabled(selected)
        self.undo_button.setEnabled(bool(self._deleted))
        has_samples = len(self.store) > 0
        idle = not self.is_busy()
        self.export_button.setEnabled(has_samples and idle)
        self.import_button.setEnabled(idle)
        self.clear_button.setEnabled(has_samples and idle)

    # -- changing ---------------------------------------------------------------------

    def relabel_selected(self, digit: int) -> None:
        ids = self.selected_ids()
        done, error = _each(lambda sample_id: self.store.relabel(sample_id, digit), ids)
        self._done(self.tr("Relabelled {samples} as {digit}.").format(
            samples=_count(len(done)), digit=digit), error, changed=bool(done))

    def delete_selected(self) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        done, error = _each(self.store.delete, ids)
        if done:
            self._deleted.append(done)
        text = (self.tr("Deleted {samples}. Undo (Ctrl+Z) brings it back.") if len(done) == 1
                else self.tr("Deleted {samples}. Undo (Ctrl+Z) brings them back."))
        self._done(text.format(samples=_count(len(done))), error, changed=bool(done))

    def undo_delete(self) -> None:
        if not self._deleted:
            return
        ids = self._deleted.pop()
        restored: list[int] = []

        def restore(sample_id: int) -> None:
            if self.store.undo_delete(sample_id):
                restored.append(sample_id)

        done, error = _each(restore, ids)
        if error is not None:
            # What could not be restored stays on the stack: Undo can try again.
            self._deleted.append(ids[len(done):])
        gone = len(done) - len(restored)
        text = self.tr("Restored {samples}.").format(samples=_count(len(restored)))
        if gone:
            text += self.tr(" {samples} could not be: cleared for good in another "
                            "DigitPad window.").format(samples=_count(gone))
        self._done(text, error, changed=bool(restored))

    def export_to(self, path: str | Path | None = None) -> None:
        from digitpad.store.sample_file import SUFFIX, write_sample_file

        if self.is_busy():
            return
        if path is None:
            suggested = str(Path.home() / f"my-digits{SUFFIX}")
            path, _ = QFileDialog.getSaveFileName(self, self.tr("Export my samples"), suggested,
                                                  self.tr("DigitPad samples (*.json)"))
            if not path:
                return
        try:
            samples = self.store.samples()
        except SampleError as error:
            self._say(str(error), problem=True)
            return

        def exported(count: int) -> None:
            self._say(self.tr("Exported {samples} to {path}.").format(samples=_count(count),
                                                                       path=path))

        self._in_background(self.tr("Exporting {samples} …").format(samples=_count(len(samples))),
                            write_sample_file,
                            samples, path, done=exported, failed="")

    def import_from(self, path: str | Path | None = None) -> None:
        from digitpad.store.sample_file import read_sample_file

        if self.is_busy():
            return
        if path is None:
            path, _ = QFileDialog.getOpenFileName(
                self, self.tr("Import samples"), str(Path.home()),
                self.tr("DigitPad samples (*.json);;All files (*)"))
            if not path:
                return

        def read(samples: list[Sample]) -> None:
            # The database belongs to this (the GUI) thread; reading the file was the
            # slow part, and adding is one transaction: all of them or none.
            try:
                added = self.store.add_many(samples)
            except SampleError as error:
                self._say(self.tr("Nothing imported: {problem}").format(problem=error),
                          problem=True)
                return
            skipped = len(samples) - added
            note = (self.tr(" ({samples} already here, not added twice)").format(
                samples=_count(skipped)) if skipped else "")
            self._done(self.tr("Imported {samples} from {path}{note}.").format(
                samples=_count(added), path=path, note=note), changed=bool(added))

        self._in_background(self.tr("Reading {path} …").format(path=path), read_sample_file,
                            path, done=read, failed=self.tr("Nothing imported: "))

    def is_busy(self) -> bool:
        """Reading or writing a samples file."""
        return self._file_job is not None

    def _in_background(self, doing: str, function: Callable, *args,
                       done: Callable, failed: str) -> None:
        """Run `function(*args)` off the GUI thread (a large samples file takes seconds);
        `done(result)` or a one-line `failed` message follows on the GUI thread."""
        def job():
            yield doing
            return function(*args)

        worker = self._file_job = Worker(job)
        worker.yielded.connect(self._say)
        worker.returned.connect(done)
        worker.errored.connect(lambda error: self._say(failed + one_line(error), problem=True))
        worker.finished.connect(self._file_job_ended)
        self._update_buttons()
        worker.start()

    def _file_job_ended(self) -> None:
        self._file_job = None
        self._update_buttons()
        self.file_done.emit()

    def reject(self) -> None:
        if self.is_busy():  # the file must be read or written to the end first
            self._say(self.tr("Wait a moment: the samples file is still being read or written."))
            return
        super().reject()

    def clear_all(self, confirmed: bool = False) -> None:
        total = len(self.store)
        if not confirmed:
            answer = QMessageBox.question(
                self, self.tr("Clear all samples?"),
                self.tr("Delete all {samples} for good? This cannot be undone "
                        "(export them first to keep a copy).").format(samples=_count(total)),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No)
            if answer != QMessageBox.StandardButton.Yes:
                return
        try:
            self.store.clear()
        except SampleError as error:
            self._done("", error, changed=False)
            return
        self._deleted.clear()
        self._done(self.tr("Cleared {samples}.").format(samples=_count(total)))

    def _done(self, text: str, error: SampleError | None = None, changed: bool = True) -> None:
        """Show the samples as they are now and say what happened: `text`, or the
        store's one-line refusal if it refused part way (a full or locked disk)."""
        if changed:
            self.reload()
            self.changed.emit()
        else:
            self._update_buttons()
        if error is None:
            self._say(text)
        else:
            self._say(str(error), problem=True)

    def _say(self, text: str, problem: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(f"color: {PROBLEM.name()};" if problem else "")


def _each(change: Callable[[int], None], ids: list[int]) -> tuple[list[int], SampleError | None]:
    """Apply `change` to each sample in turn until the store refuses: (the ids changed,
    the refusal or None). Each change is its own transaction, so those before stay done."""
    done: list[int] = []
    for sample_id in ids:
        try:
            change(sample_id)
        except SampleError as error:
            return done, error
        done.append(sample_id)
    return done, None


def _count(n: int) -> str:
    text = (QCoreApplication.translate("MySamplesDialog", "1 sample") if n == 1 else
            QCoreApplication.translate("MySamplesDialog", "{count} samples"))
    return text.format(count=n)
