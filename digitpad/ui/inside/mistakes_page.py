"""The Mistakes tab: the confusion matrix of the model in use, and the images
behind each cell.

The model reads the 10,000 MNIST test images (or the user's own samples) in a
`Worker`, off the GUI thread, with a progress bar. Clicking a cell of the
matrix shows those mistakes as a gallery (image, true digit, answer,
confidence); clicking an image opens it in the Inside tab.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Generator
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QIcon, QImage, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from digitpad.errors import one_line
from digitpad.figures import percent
from digitpad.inside.mistakes import Evaluation, read_all
from digitpad.ui.accessibility import announce
from digitpad.ui.i18n import Translatable
from digitpad.ui.theme import ACCENT, PROBLEM
from digitpad.ui.workers import Worker

if TYPE_CHECKING:
    from digitpad.recognizer import Recognizer

MNIST_TEST, MY_SAMPLES = "mnist", "samples"
THUMBNAIL = 56  # pixels: a 28×28 image twice as large


def evaluation_job(recognizer: Recognizer, source: str, mnist: Path | None = None,
                   ) -> Generator[float, None, tuple[Evaluation, np.ndarray, float]]:
    """Read a whole set with the model in use; yields the fraction done, returns the
    evaluation, the images (N, 28, 28 uint8) and the seconds the reading took. `mnist`:
    where MNIST is (None: the usual places)."""
    import torch

    from trainer.calibration import digit_probabilities
    from trainer.inference import inference_copy

    # Every core, for this worker's thread: the job is a few seconds long and the window
    # waits for it (training keeps a core free for the window; this is no training).
    torch.set_num_threads(os.cpu_count() or 1)
    if source == MY_SAMPLES:
        from digitpad.store.samples import SampleStore

        with SampleStore() as store:
            samples = store.samples()
        images = np.stack([s.image for s in samples]) if samples else np.zeros((0, 28, 28),
                                                                               np.uint8)
        labels = np.array([s.label for s in samples], np.int64)
    else:
        from digitpad.training.mnist_places import mnist_from_args

        data = mnist_from_args(mnist)
        images, labels = np.asarray(data.test_images), np.asarray(data.test_labels)
    yield 0.0
    checkpoint = recognizer.checkpoint  # this model, even if another is switched in meanwhile
    # A copy of our own, not the recognizer's model behind its lock: the pad keeps
    # reading while this runs. The reading copy (BatchNorm folded into the convolutions,
    # channels-last) read MNIST test in 4.1 s where a plain channels-last copy took
    # 5.1 s (digitnet, 2 threads, bench/evaluation_time.py: two runs whose baseline,
    # trainer.engine.evaluate, took 7.9 s in both).
    model = inference_copy(checkpoint.model)

    def probabilities(batch: np.ndarray) -> np.ndarray:
        x = torch.from_numpy(np.ascontiguousarray(batch, np.float32)).view(-1, 1, 28, 28)
        with torch.inference_mode():
            logits = model(x.contiguous(memory_format=torch.channels_last))
            return digit_probabilities(logits, checkpoint).numpy()

    start = time.perf_counter()
    evaluation = yield from read_all(probabilities, images, labels)
    return evaluation, images, time.perf_counter() - start


class MistakesPage(Translatable, QWidget):
    open_in_inside = Signal(object, str)  # a 28×28 image (0..1) and what it is
    evaluated = Signal()  # a matrix is shown (or the evaluation failed)

    def __init__(self, parent: QWidget | None = None,
                 mnist_place: Callable[[], Path | None] = lambda: None) -> None:
        """`mnist_place()`: the MNIST the user chose (the Trainer tab's Data box), if any;
        without it the usual places are searched."""
        super().__init__(parent)
        self._mnist_place = mnist_place
        self._recognizer: Recognizer | None = None
        self._worker: Worker | None = None
        self.result: Evaluation | None = None
        self._images: np.ndarray | None = None
        self.seconds: float | None = None

        self.source = QComboBox()
        self.source.addItem("", MNIST_TEST)
        self.source.addItem("", MY_SAMPLES)
        self.run_button = QPushButton()
        self.run_button.clicked.connect(self.evaluate)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setTextVisible(False)
        self.progress.hide()
        self.status = QLabel()
        self.status.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(self.source)
        top.addWidget(self.run_button)
        top.addWidget(self.progress, 1)

        self.matrix = QTableWidget(10, 10)
        self.matrix.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.matrix.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        for header in (self.matrix.horizontalHeader(), self.matrix.verticalHeader()):
            header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.matrix.setHorizontalHeaderLabels([str(d) for d in range(10)])
        self.matrix.setVerticalHeaderLabels([str(d) for d in range(10)])
        # A click or the arrow keys make a cell current: its images follow.
        self.matrix.currentCellChanged.connect(lambda true, read, *_: self.show_cell(true, read))
        self.axes = QLabel()
        self.gallery_title = QLabel()
        self.gallery_title.setWordWrap(True)
        self.gallery = QListWidget()
        self.gallery.setViewMode(QListWidget.ViewMode.IconMode)
        self.gallery.setIconSize(QSize(THUMBNAIL, THUMBNAIL))
        self.gallery.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.gallery.setMovement(QListWidget.Movement.Static)
        self.gallery.setSpacing(6)
        self.gallery.setUniformItemSizes(True)
        self.gallery.itemClicked.connect(self._open)
        self.gallery.itemActivated.connect(self._open)

        left = QVBoxLayout()
        left.setContentsMargins(0, 0, 0, 0)
        left.addWidget(self.axes)
        left.addWidget(self.matrix, 1)
        right = QVBoxLayout()
        right.setContentsMargins(0, 0, 0, 0)
        right.addWidget(self.gallery_title)
        right.addWidget(self.gallery, 1)
        splitter = QSplitter()
        for part in (left, right):
            holder = QWidget()
            holder.setLayout(part)
            splitter.addWidget(holder)
        splitter.setSizes([520, 480])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 12)
        layout.addLayout(top)
        layout.addWidget(self.status)
        layout.addWidget(splitter, 1)
        self.retranslate()

    def retranslate(self) -> None:
        self.source.setItemText(0, self.tr("MNIST test set (10,000 images)"))
        self.source.setItemText(1, self.tr("My samples"))
        self.run_button.setText(self.tr("Ev&aluate"))
        self.run_button.setToolTip(self.tr("Read every image of the set with the model in use"))
        self.axes.setText(self.tr("Rows: the true digit. Columns: what the model read. "
                                  "Click a cell to see its images."))
        self.matrix.setAccessibleName(self.tr("Confusion matrix"))
        self.source.setAccessibleName(self.tr("Images to evaluate"))
        self.gallery.setAccessibleName(self.tr("Misread images"))
        if self.result is None:
            self.status.setText(self.tr("Evaluate the model in use to see where it goes wrong."))
            self.gallery_title.setText("")
        else:
            self._show_summary()

    def set_recognizer(self, recognizer: Recognizer | None) -> None:
        changed = self._recognizer is not None and recognizer is not self._recognizer
        self._recognizer = recognizer
        self.run_button.setEnabled(recognizer is not None)
        if changed and self.result is not None:
            self.status.setText(self.tr("Another model is in use now: evaluate again to see "
                                        "its mistakes."))

    # ---- evaluating -------------------------------------------------------------------

    def evaluate(self) -> None:
        if self._recognizer is None or (self._worker is not None and not self._worker.done):
            return
        mnist = None
        if self.source.currentData() == MNIST_TEST:
            from digitpad.training.mnist_places import find_mnist

            mnist = self._mnist_place() or find_mnist()
            if mnist is None:  # say where to get it in the window, not with --data
                self.status.setText(self.tr("No MNIST yet: choose where it is, or download "
                                            "it, in the Trainer tab's Data box."))
                announce(self.status, self.status.text())
                self.evaluated.emit()
                return
        self.run_button.setEnabled(False)
        self.progress.setValue(0)
        self.progress.show()
        self.status.setText(self.tr("Reading the images…"))
        worker = Worker(evaluation_job, self._recognizer, self.source.currentData(), mnist)
        worker.yielded.connect(lambda done: self.progress.setValue(round(1000 * done)))
        worker.returned.connect(self._show_result)
        worker.errored.connect(self._failed)
        worker.finished.connect(self._finished)
        self._worker = worker
        worker.start()

    def stop(self) -> None:
        """Drop an evaluation in flight and wait for its thread (the window is closing)."""
        if self._worker is not None and not self._worker.done:
            self._worker.quit()
            self._worker.wait()

    def _finished(self) -> None:
        self.progress.hide()
        self.run_button.setEnabled(self._recognizer is not None)
        self.evaluated.emit()

    def _failed(self, error: BaseException) -> None:
        self.status.setText(self.tr("Could not evaluate: {reason}").format(
            reason=one_line(error)))
        announce(self.status, self.status.text())

    def _show_result(self, outcome: tuple[Evaluation, np.ndarray, float]) -> None:
        self.result, self._images, self.seconds = outcome
        confusion = self.result.confusion
        peak = max(int(confusion.max()), 1)
        wrong_peak = max(int((confusion - np.diag(np.diag(confusion))).max()), 1)
        for true in range(10):
            for read in range(10):
                count = int(confusion[true, read])
                item = QTableWidgetItem(str(count) if count else "")
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                if true == read:
                    colour = QColor(ACCENT)
                    colour.setAlpha(40 + round(120 * count / peak))
                else:
                    colour = QColor(PROBLEM)
                    colour.setAlpha(round(200 * count / wrong_peak) if count else 0)
                item.setBackground(QBrush(colour))
                self.matrix.setItem(true, read, item)
        self._show_summary()
        announce(self.status, self.status.text())  # the wait is over
        self.matrix.setCurrentCell(-1, -1)  # no cell shown yet: a click on any one shows it
        self.gallery.clear()
        self.gallery_title.setText(self.tr("Click a cell off the diagonal to see the images "
                                           "behind it."))

    def _show_summary(self) -> None:
        result = self.result
        self.status.setText(self.tr("{wrong} of {total} images misread: accuracy {accuracy} "
                                    "(read in {seconds} s).").format(
            wrong=f"{len(result.mistakes):,}", total=f"{result.total:,}",
            accuracy=percent(result.accuracy), seconds=f"{self.seconds:.1f}"))

    # ---- the gallery ------------------------------------------------------------------

    def show_cell(self, true: int, read: int) -> None:
        """The images of one cell of the matrix as a gallery, surest mistakes first."""
        if self.result is None or self._images is None or min(true, read) < 0:
            return  # nothing evaluated yet, or no cell is current
        self.gallery.clear()
        if true == read:
            self.gallery_title.setText(self.tr("{count} images of {digit} read right.").format(
                count=int(self.result.confusion[true, read]), digit=true))
            return
        found = self.result.mistakes_in(true, read)
        if not found:
            self.gallery_title.setText(self.tr("No {true} was read as {read}.").format(
                true=true, read=read))
            return
        self.gallery_title.setText(self.tr("{count} images of {true} read as {read}. "
                                           "Click one to look inside.").format(
            count=len(found), true=true, read=read))
        for mistake in found:
            image = self._images[mistake.index]
            item = QListWidgetItem(QIcon(_pixmap(image)), self.tr("{true} → {read}, {sure}")
                                   .format(true=mistake.true, read=mistake.read,
                                           sure=percent(mistake.confidence, 0)))
            item.setData(Qt.ItemDataRole.UserRole, mistake)
            item.setToolTip(self.tr("Image {index}: a {true}, read as {read} with {sure}")
                            .format(index=mistake.index, true=mistake.true, read=mistake.read,
                                    sure=percent(mistake.confidence, 1)))
            self.gallery.addItem(item)

    def _open(self, item: QListWidgetItem) -> None:
        mistake = item.data(Qt.ItemDataRole.UserRole)
        image = self._images[mistake.index].astype(np.float32) / 255
        what = (self.tr("MNIST test image {index}") if self.source.currentData() == MNIST_TEST
                else self.tr("Sample {index}")).format(index=mistake.index)
        self.open_in_inside.emit(image, self.tr("{what}: a {true}, read as {read}").format(
            what=what, true=mistake.true, read=mistake.read))


def _pixmap(image: np.ndarray) -> QPixmap:
    """A 28×28 ink image as the network sees it (light ink on black), enlarged."""
    pixels = np.ascontiguousarray(image, np.uint8)
    picture = QImage(pixels.data, 28, 28, 28, QImage.Format.Format_Grayscale8).copy()
    return QPixmap.fromImage(picture).scaled(THUMBNAIL, THUMBNAIL,
                                             Qt.AspectRatioMode.KeepAspectRatio,
                                             Qt.TransformationMode.FastTransformation)
