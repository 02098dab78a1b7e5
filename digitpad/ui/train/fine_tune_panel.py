"""The Trainer tab's "Teach it your handwriting" box.

Fine-tune on my handwriting runs `PersonalFineTune` in a worker (a `FineTune`
job), starting from the model in use. Only one training runs at a time: while
the Trainer tab trains, the button waits and its tooltip says why. When it ends, the box shows the
before/after figures and the mode it used; the user keeps the new model (Use
this model: it is copied into the models folder, remembered, and the Draw tab
reads with it at once) or discards it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from digitpad.errors import SampleError, one_line
from digitpad.figures import percent
from digitpad.recognizer import Recognizer
from digitpad.store import model_in_use
from digitpad.store.samples import SampleStore
from digitpad.training.personal import MINIMUM_SAMPLES, FineTuneResult, FineTuneSettings
from digitpad.ui.accessibility import announce
from digitpad.ui.i18n import Translatable
from digitpad.ui.i18n.core_words import core_phrase
from digitpad.ui.theme import MUTED, PROBLEM, text_colour
from digitpad.ui.train.fine_tune_worker import FineTune
from digitpad.ui.workers import Worker
from trainer.checkpoint import Checkpoint, load_checkpoint
from trainer.errors import TrainerError

START_TIP = QT_TRANSLATE_NOOP("FineTunePanel",
                              "Teach the model in use your samples from the Draw tab "
                              "(a copy: the model in use changes only if you keep it)")


class FineTunePanel(Translatable, QGroupBox):
    model_chosen = Signal(object, str)  # the kept Checkpoint, a line for the user
    started = Signal()  # a fine-tune has started
    ended = Signal()  # a fine-tune's worker has ended (finished, stopped or failed)

    def __init__(self, recognizer: Callable[[], Recognizer | None],
                 mnist_place: Callable[[], Path | None] = lambda: None,
                 parent: QWidget | None = None) -> None:
        """`recognizer()`: the model in use; `mnist_place()`: the MNIST the Data box
        names, if any (otherwise the usual places are searched)."""
        super().__init__(parent)
        self._recognizer = recognizer
        self._mnist_place = mnist_place
        self.settings: FineTuneSettings | None = None  # None: the recipe for the mode
        self.use_mnist = True  # replay MNIST when it can be found
        self.result: FineTuneResult | None = None
        self.worker: Worker | None = None  # the fine-tune under way
        self._blocked: str | None = None  # why it cannot start now (another training runs)
        self._total = 0  # samples taught, as last counted

        self.samples_label = QLabel()
        self.samples_label.setWordWrap(True)
        self.start_button = QPushButton()
        self.start_button.clicked.connect(self.start)
        self.stop_button = QPushButton()
        self.stop_button.clicked.connect(self.stop)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.hide()
        self.figures = QLabel()
        self.figures.setWordWrap(True)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.use_button = QPushButton()
        self.use_button.clicked.connect(self.keep)
        self.discard_button = QPushButton()
        self.discard_button.clicked.connect(self.discard)

        controls = QHBoxLayout()
        controls.addWidget(self.start_button, 1)
        controls.addWidget(self.stop_button)
        choice = QHBoxLayout()
        choice.addWidget(self.use_button)
        choice.addWidget(self.discard_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.samples_label)
        layout.addLayout(controls)
        layout.addWidget(self.progress)
        layout.addWidget(self.figures)
        layout.addLayout(choice)
        layout.addWidget(self.message)
        self._said: tuple[str, bool] = ("", False)  # the message, to say it again
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(self.tr("Teach it your handwriting"))
        self.start_button.setText(self.tr("Fine-tune on my handwriting"))
        self.stop_button.setText(self.tr("Stop"))
        self.stop_button.setToolTip(self.tr("Stop the fine-tune; the model in use stays"))
        self.use_button.setText(self.tr("Use this model"))
        self.use_button.setToolTip(self.tr("Read drawings with the fine-tuned model from now on"))
        self.discard_button.setText(self.tr("Discard"))
        self.discard_button.setToolTip(self.tr("Forget the fine-tuned model; keep the model in "
                                               "use"))
        self.progress.setAccessibleName(self.tr("Fine-tune progress"))
        if self.result is not None:
            self.figures.setText(figures_html(self.result))
        self.refresh()
        self._say(*self._said)

    @property
    def is_running(self) -> bool:
        return self.worker is not None

    def set_blocked(self, reason: str | None) -> None:
        """Another training is under way (`reason` says so), or no longer (None)."""
        self._blocked = reason
        self._update_buttons()

    def refresh(self) -> None:
        """Count the samples again (the Draw tab may have added some)."""
        counts = self._counts()
        total = sum(counts)
        if total == 0:
            text = self.tr("No samples yet: in the Draw tab, draw digits and teach each one "
                           "(press its key, or confirm the reading).")
        else:
            text = (self.tr("1 sample taught ({least}–{most} per digit).") if total == 1 else
                    self.tr("{total} samples taught ({least}–{most} per digit).")).format(
                total=total, least=min(counts), most=max(counts))
            missing = [str(d) for d, n in enumerate(counts) if n == 0]
            if missing:
                text += self.tr(" None yet of {digits}.").format(digits=", ".join(missing))
            if total < MINIMUM_SAMPLES:
                text += self.tr(" Teach at least {minimum} to fine-tune.").format(
                    minimum=MINIMUM_SAMPLES)
        self.samples_label.setText(text)
        self._total = total
        self._update_buttons()

    def _counts(self) -> list[int]:
        try:
            with SampleStore() as store:
                return store.counts()
        except SampleError as error:
            self._say(str(error), problem=True)
            return [0] * 10

    # -- running ---------------------------------------------------------------------

    def start(self) -> None:
        if self.is_running or self._blocked:
            return
        recognizer = self._recognizer()
        if recognizer is None:
            self._say(self.tr("The model in use is still loading; try again in a moment."),
                      True)
            return
        try:
            with SampleStore() as store:
                samples = store.samples()
        except SampleError as error:
            self._say(str(error), problem=True)
            return
        if len(samples) < MINIMUM_SAMPLES:
            self._say(self.tr("Teach at least {minimum} samples in the Draw tab first "
                              "(you have {count}).").format(minimum=MINIMUM_SAMPLES,
                                                            count=len(samples)), problem=True)
            return
        self.discard()
        job = FineTune(recognizer.checkpoint, samples, use_mnist=self.use_mnist,
                       mnist_place=self._mnist_place(), settings=self.settings)
        self.worker = worker = job.worker()
        worker.yielded.connect(self._on_progress)
        worker.returned.connect(self._on_finished)
        worker.errored.connect(self._on_failed)
        worker.finished.connect(self._worker_finished)
        self.progress.setValue(0)
        self.progress.setFormat(self.tr("Starting…"))
        self.progress.show()
        self._say("")
        worker.start()
        self._update_buttons()
        self.started.emit()

    def stop(self) -> None:
        if self.worker is not None:
            self.worker.quit()
            self.progress.setFormat(self.tr("Stopping…"))

    def stop_and_wait(self) -> None:
        """Stop a fine-tune under way and wait until its worker has ended (closing)."""
        if self.worker is not None:
            self.worker.quit()
            self.worker.wait()
            self._worker_finished()

    def _on_progress(self, step: tuple[str, float]) -> None:
        if self.worker is None:
            return  # late news from a fine-tune already wound up (the window is closing)
        stage, fraction = step
        self.progress.setValue(int(1000 * fraction))
        stage = core_phrase(stage)
        self.progress.setFormat(stage[:1].upper() + stage[1:] + "…")

    def _on_finished(self, result: FineTuneResult | None) -> None:
        if self.worker is None:
            return
        if result is None:
            self._say(self.tr("Stopped; the model in use is unchanged."))
            return
        self.result = result
        self.progress.setValue(1000)
        self.progress.setFormat(self.tr("Done"))
        self.figures.setText(figures_html(result))
        self._say(self.tr("Keep the new model with Use this model, or Discard it."))

    def _on_failed(self, error: Exception) -> None:
        if self.worker is not None:
            self._say(one_line(error), problem=True)

    def _worker_finished(self) -> None:
        if self.worker is None:
            return
        self.worker = None
        if self.result is None:
            self.progress.hide()
        self._update_buttons()
        self.ended.emit()

    # -- the outcome -----------------------------------------------------------------

    def keep(self) -> None:
        """Use the fine-tuned model from now on (and after a restart)."""
        if self.result is None:
            return
        name = "personal-" + datetime.now().strftime("%Y%m%d-%H%M%S")
        try:
            kept = model_in_use.keep_model(self.result.checkpoint, name)
            checkpoint: Checkpoint = load_checkpoint(kept)
            model_in_use.remember(kept)
        except TrainerError as error:
            self._say(str(error), problem=True)
            return
        held = self.result.held_back_after
        figure = (self.tr(" ({accuracy} on your held-back samples)").format(
            accuracy=percent(held, 0)) if held is not None else "")
        self.result = None
        self.figures.setText("")
        self.progress.hide()
        self._update_buttons()
        self.model_chosen.emit(checkpoint, self.tr(
            "Now drawing with the model fine-tuned on your handwriting{figure}.").format(
            figure=figure))

    def discard(self) -> None:
        if self.result is not None:
            self._say(self.tr("Discarded the fine-tuned model; the model in use is unchanged."))
        self.result = None
        self.figures.setText("")
        self.progress.hide()
        self._update_buttons()

    # -- small things ----------------------------------------------------------------

    def _say(self, text: str, problem: bool = False) -> None:
        self._said = (text, problem)
        self.message.setText(text)
        announce(self.message, text)
        self.message.setStyleSheet(text_colour(PROBLEM if problem else MUTED))

    def _update_buttons(self) -> None:
        running = self.is_running
        self.start_button.setEnabled(not running and not self._blocked
                                     and self._total >= MINIMUM_SAMPLES)
        self.start_button.setToolTip(self._blocked or self.tr(START_TIP))
        self.stop_button.setEnabled(running)
        has_result = self.result is not None and not running
        self.use_button.setVisible(has_result)
        self.discard_button.setVisible(has_result)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self.is_running:
            self.refresh()


def figures_html(result: FineTuneResult) -> str:
    """Before and after, side by side, and the mode that was used."""
    rows = []
    if result.held_back_before is not None:
        rows.append((QCoreApplication.translate("FineTunePanel", "Your {count} held-back samples")
                     .format(count=result.held_back_samples),
                     result.held_back_before, result.held_back_after))
    if result.mnist_before is not None:
        # Measured on a fixed part of the test set (FineTuneSettings.mnist_test_images).
        name = (QCoreApplication.translate("FineTunePanel", "MNIST test ({count} digits)")
                .format(count=f"{result.mnist_test_images:,}") if result.mnist_test_images
                else QCoreApplication.translate("FineTunePanel", "MNIST test"))
        rows.append((name, result.mnist_before, result.mnist_after))
    table = "".join(f"<tr><td>{name}</td><td align=right>{percent(before)}</td>"
                    f"<td align=right><b>{percent(after)}</b></td></tr>"
                    for name, before, after in rows)
    note = ("" if result.mnist_before is not None else "<br>" + QCoreApplication.translate(
        "FineTunePanel", "No MNIST found, so only your samples were used, with extra care not "
        "to forget other people's digits; choose MNIST in the Data box for a safer fine-tune."))
    said = QCoreApplication.translate(
        "FineTunePanel", "Fine-tuned on {count} of your samples in {seconds} s ({mode}).").format(
        count=result.trained_samples, seconds=f"{result.seconds:.0f}",
        mode=f"<b>{core_phrase(result.mode)}</b>")
    before = QCoreApplication.translate("FineTunePanel", "before")
    after = QCoreApplication.translate("FineTunePanel", "after")
    return (f"{said}<table cellspacing=0 cellpadding=3><tr><th></th>"
            f"<th align=right>{before}</th><th align=right>{after}</th></tr>{table}</table>{note}")

