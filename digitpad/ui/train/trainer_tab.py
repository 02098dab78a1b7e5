"""The Trainer tab: train or fine-tune a network and watch it learn.

Settings on the left (data, model, hyperparameters, Train/Pause/Stop); on the
right the live plot, progress, the log and the earlier runs; at the bottom,
what came out of the last run next to the model in use, with Use this model,
Save as… and Revert to the built-in model.

Training runs a `TrainingSession` in a worker (digitpad.ui.workers) on its own
copy of the model; the Recognizer (and so the Draw tab) keeps the model in use until
the user clicks Use this model, which hands the new one over in one step.
"""

from __future__ import annotations

import copy
import traceback
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from digitpad.figures import percent
from digitpad.recognizer import Recognizer
from digitpad.resources import embedded_model_path
from digitpad.store import model_in_use
from digitpad.store.runs import Run, RunStore
from digitpad.training.session import (
    TrainingJob,
    TrainingOutcome,
    TrainingSession,
    epoch_line,
    failure_message,
)
from digitpad.training.watch import GradientNorms, LearningSnapshot
from digitpad.ui.accessibility import announce
from digitpad.ui.i18n import Translatable
from digitpad.ui.i18n.core_words import model_description
from digitpad.ui.theme import GOOD, PROBLEM, text_colour
from digitpad.ui.train.data_source import DataSourcePanel
from digitpad.ui.train.fine_tune_panel import FineTunePanel
from digitpad.ui.train.keys import PAUSE_KEY, STOP_KEY, TRAIN_KEY
from digitpad.ui.train.learning_view import LearningView
from digitpad.ui.train.reliability_view import ReliabilityView
from digitpad.ui.train.run_list import RunList
from digitpad.ui.train.training_plot import TrainingPlot
from digitpad.ui.train.training_settings import HyperparameterPanel, ModelPanel
from digitpad.ui.train.training_worker import training_worker
from digitpad.ui.workers import Worker
from trainer.checkpoint import load_checkpoint, save_checkpoint
from trainer.config import PRESETS
from trainer.engine import BatchEnd, EpochEnd
from trainer.errors import TrainerError

PROBLEM_STYLE = text_colour(PROBLEM)
GOOD_STYLE = text_colour(GOOD)
# Texts shown in more than one place, marked for translation (self.tr shows them).
TRAIN_TIP = QT_TRANSLATE_NOOP("TrainerTab", "Start a run with these settings")
RESUME_TIP = QT_TRANSLATE_NOOP("TrainerTab", "Continue a stopped run from its last finished epoch")
# Two trainings at once would fight over torch's global seed and thread count.
FINE_TUNE_UNDER_WAY = QT_TRANSLATE_NOOP(
    "TrainerTab", "A fine-tune on your handwriting is under way; one training at a time "
    "(stop it, or wait for it to end).")
RUN_UNDER_WAY = QT_TRANSLATE_NOOP(
    "TrainerTab", "A training run is under way; one training at a time "
    "(stop it, or wait for it to end).")


def _native(key: str) -> str:
    """A shortcut as this desktop writes it."""
    return QKeySequence(key).toString(QKeySequence.SequenceFormat.NativeText)


def _duration(seconds: float) -> str:
    seconds = int(round(seconds))
    if seconds >= 3600:
        return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
    return f"{seconds // 60}:{seconds % 60:02d}"


class TrainerTab(Translatable, QWidget):
    # The Recognizer now holds another model (Use this model, Revert): the
    # Draw tab reads with it at once.
    model_in_use_changed = Signal(object)
    run_ended = Signal()  # a run's worker has ended (finished, stopped or failed)

    def __init__(self, recognizer: Recognizer | None = None, store: RunStore | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.recognizer = recognizer
        self.store = store or RunStore()
        # The run under way: its session and the worker that runs it.
        self.session: TrainingSession | None = None
        self.worker: Worker | None = None
        self._run: Run | None = None
        self._candidate: Run | None = None  # the run whose model "Use this model" adopts
        self._last_batch: BatchEnd | None = None
        self._progress_timer = QTimer(self, singleShot=True, interval=200)
        self._progress_timer.timeout.connect(self._show_progress)

        self.data = DataSourcePanel()
        self.model = ModelPanel()
        self.hyper = HyperparameterPanel()
        self.train_button = QPushButton()
        self.train_button.setDefault(True)
        self.pause_button = QPushButton()
        self.pause_button.setCheckable(True)
        self.stop_button = QPushButton()
        # Fine-tuning on the samples taught in the Draw tab.
        self.personal = FineTunePanel(lambda: self.recognizer, self.data.path)

        self.plot = TrainingPlot()
        self.learning = LearningView()  # the first filters forming, gradient sizes
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setValue(0)
        # the progress bar's words while no run goes
        self._progress_said = QT_TRANSLATE_NOOP("TrainerTab", "Ready")
        self.log = QPlainTextEdit()
        self.log.setReadOnly(True)
        self.log.setMaximumBlockCount(5000)
        self.log.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)  # one line per epoch
        self.log.setFont(QFont("monospace", 9))
        self.run_list = RunList(self.store)
        self.resume_button = QPushButton()

        self.result = QLabel()
        self.result.setWordWrap(True)
        self.reliability = ReliabilityView()  # how far the model in use can be taken at its word
        self.message = QLabel()
        self.message.setWordWrap(True)
        self._said: tuple[str, str, dict] = ("", "", {})  # the message, to say it again
        self.use_button = QPushButton()
        self.save_button = QPushButton()
        self.revert_button = QPushButton()

        self._build_layout()
        self._connect()
        self.set_recognizer(recognizer)
        self.run_list.reload()
        self.retranslate()

    def retranslate(self) -> None:
        # (setText sets a button's shortcut to its mnemonic: the keys come after it)
        self.train_button.setText(self.tr("Train"))
        self.train_button.setShortcut(QKeySequence(TRAIN_KEY))
        self.stop_button.setText(self.tr("Stop"))
        self.stop_button.setShortcut(QKeySequence(STOP_KEY))
        self.stop_button.setToolTip(self.tr("Stop after the current batch; finished epochs are "
                                            "kept ({key})").format(key=_native(STOP_KEY)))
        self.log.setPlaceholderText(self.tr("The log of the run: one line per epoch, as "
                                            "pytorch/examples prints it."))
        self.log.setAccessibleName(self.tr("Log"))
        self.log.setAccessibleDescription(self.tr("One line per epoch: loss and accuracy"))
        self.log_box.setTitle(self.tr("Log"))
        self.runs_box.setTitle(self.tr("Runs"))
        self.result_box.setTitle(self.tr("Result"))
        self.resume_button.setText(self.tr("Resume selected run"))
        self.use_button.setText(self.tr("&Use this model"))
        self.use_button.setToolTip(self.tr("Read drawings with the model of this run from now on"))
        self.save_button.setText(self.tr("Save &as…"))
        self.save_button.setToolTip(self.tr("Save the model of this run as a file"))
        self.revert_button.setText(self.tr("Revert to the &built-in model"))
        self.revert_button.setToolTip(self.tr("Read drawings with the model DigitPad came with"))
        self.progress.setAccessibleName(self.tr("Training progress"))
        self._pause_toggled(self.pause_button.isChecked(), retranslating=True)
        if self.worker is None:
            self.progress.setFormat(self.tr(self._progress_said))
        self.set_recognizer(self.recognizer)
        text, style, values = self._said
        self._say(text, style, **values)

    # -- layout -------------------------------------------------------------

    def _build_layout(self) -> None:
        controls = QHBoxLayout()
        for button in (self.train_button, self.pause_button, self.stop_button):
            controls.addWidget(button)
        settings = QWidget()
        column = QVBoxLayout(settings)
        column.setContentsMargins(0, 0, 6, 0)
        column.addWidget(self.personal)
        column.addWidget(self.data)
        column.addWidget(self.model)
        column.addWidget(self.hyper)
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(settings)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes to the settings inside it
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # As wide as the settings need, with room for a vertical scroll bar on small screens.
        scroll.setFixedWidth(settings.minimumSizeHint().width()
                             + scroll.verticalScrollBar().sizeHint().width() + 4)

        self.log_box = log_box = QGroupBox()
        QVBoxLayout(log_box).addWidget(self.log)
        self.runs_box = runs_box = QGroupBox()
        runs_layout = QVBoxLayout(runs_box)
        runs_layout.addWidget(self.run_list)
        runs_layout.addWidget(self.resume_button)
        below = QSplitter(Qt.Orientation.Horizontal)
        below.addWidget(log_box)
        below.addWidget(runs_box)
        below.setSizes([540, 310])
        right_split = QSplitter(Qt.Orientation.Vertical)
        curves = QSplitter(Qt.Orientation.Horizontal)
        curves.addWidget(self.plot)
        curves.addWidget(self.learning)
        curves.setStretchFactor(0, 3)
        curves.setStretchFactor(1, 2)
        curves.setSizes([600, 320])
        right_split.addWidget(curves)
        right_split.addWidget(below)
        right_split.setStretchFactor(0, 3)
        right_split.setStretchFactor(1, 1)
        right_split.setSizes([520, 200])
        right = QVBoxLayout()
        right.addWidget(right_split, 1)
        right.addWidget(self.progress)

        self.result_box = result_box = QGroupBox()
        result_layout = QHBoxLayout(result_box)
        text = QVBoxLayout()
        text.addWidget(self.result)
        text.addWidget(self.message)
        result_layout.addLayout(text, 1)
        result_layout.addWidget(self.reliability)
        for button in (self.use_button, self.save_button, self.revert_button):
            result_layout.addWidget(button)

        top = QHBoxLayout()
        # Train / Pause / Stop stay in sight below the settings, however small the window.
        left = QVBoxLayout()
        left.addWidget(scroll, 1)
        left.addLayout(controls)
        top.addLayout(left)
        top.addLayout(right, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top, 1)
        layout.addWidget(result_box)

    def _connect(self) -> None:
        self.train_button.clicked.connect(self.start_training)
        self.pause_button.toggled.connect(self._pause_toggled)
        self.stop_button.clicked.connect(self.stop)
        self.resume_button.clicked.connect(self.resume_selected)
        self.use_button.clicked.connect(self.use_candidate)
        self.save_button.clicked.connect(lambda: self.save_candidate())  # asks where
        self.revert_button.clicked.connect(self.revert_to_built_in)
        self.personal.model_chosen.connect(self._hand_over)
        self.personal.started.connect(self._update_buttons)
        self.personal.ended.connect(self._update_buttons)
        self.run_list.overlays_changed.connect(self.plot.set_overlays)
        self.run_list.run_selected.connect(self._run_selected)
        self.hyper.preset_chosen.connect(self._preset_chosen)
        self.data.changed.connect(self._update_buttons)
        self.data.download_finished.connect(lambda ok: self._update_buttons())

    # -- the model in use ---------------------------------------------------

    def set_recognizer(self, recognizer: Recognizer | None) -> None:
        """The Recognizer the Draw tab reads with (it may arrive after the tab is built)."""
        self.recognizer = recognizer
        if recognizer is None:
            self.model.set_model_in_use(self.tr("(the model is still loading)"), available=False)
        else:
            self.model.set_model_in_use(model_description(recognizer, short=True),
                                        available=True)
        self._show_result()
        self._update_buttons()

    def _hand_over(self, checkpoint, message: str, **values) -> None:
        if self.recognizer is None:
            self.recognizer = Recognizer(checkpoint)
        else:
            self.recognizer.use(checkpoint)
        self.model.set_model_in_use(model_description(self.recognizer, short=True),
                                    available=True)
        self._say(message, GOOD_STYLE, **values)
        self._show_result()
        self.model_in_use_changed.emit(self.recognizer)

    def use_candidate(self) -> None:
        """Switch the Draw tab to the selected/last run's model, and remember it."""
        run = self._candidate
        if run is None:
            return
        try:
            trained = load_checkpoint(run.checkpoint_path)
            kept = model_in_use.keep_model(trained, f"run-{run.id}")
            checkpoint = load_checkpoint(kept)
            model_in_use.remember(kept)
        except TrainerError as error:
            self._say(str(error), PROBLEM_STYLE)
            return
        self._hand_over(checkpoint, QT_TRANSLATE_NOOP(
            "TrainerTab", "Now drawing with the model of run {run} ({accuracy} on the test set)."),
                        run=run.id, accuracy=percent(checkpoint.test_accuracy))

    def revert_to_built_in(self) -> None:
        try:
            checkpoint = load_checkpoint(embedded_model_path())
            model_in_use.remember(None)
        except TrainerError as error:
            self._say(str(error), PROBLEM_STYLE)
            return
        self._hand_over(checkpoint, QT_TRANSLATE_NOOP(
            "TrainerTab", "Now drawing with the built-in model again."))

    def save_candidate(self, path: str | Path | None = None) -> None:
        run = self._candidate
        if run is None:
            return
        if not path:
            suggested = str(Path.home() / f"digitpad-{run.id}.safetensors")
            path, _ = QFileDialog.getSaveFileName(self, self.tr("Save the model"), suggested,
                                                  self.tr("DigitPad models (*.safetensors)"))
            if not path:
                return
        try:
            trained = load_checkpoint(run.checkpoint_path)
            save_checkpoint(path, trained.model, trained.arch, trained.arch_params,
                            metrics=trained.metrics, preprocess_version=trained.preprocess_version,
                            config=trained.config, history=trained.history, epoch=trained.epoch,
                            info=trained.info, calibration=trained.calibration)
        except TrainerError as error:
            self._say(str(error), PROBLEM_STYLE)
            return
        self._say(QT_TRANSLATE_NOOP("TrainerTab", "Saved the model to {path}."), GOOD_STYLE,
                  path=path)

    # -- training -----------------------------------------------------------

    @property
    def is_training(self) -> bool:
        return self.worker is not None

    def start_training(self) -> None:
        if self.is_training or self.personal.is_running:
            return
        data = self.data.path()
        if data is None:
            self._say(self.data.problem(), PROBLEM_STYLE)
            return
        fine_tune = self.model.fine_tune() and self.recognizer is not None
        try:
            if fine_tune:
                base = self.recognizer.checkpoint
                config = self.hyper.config(base.arch, base.arch_params)
                model = copy.deepcopy(base.model)  # training never touches the model in use
                start_from = self.recognizer.name(short=True)
            else:
                config = self.hyper.config(self.model.arch_name(), self.model.arch_params())
                model, start_from = None, ""
            run = self.store.new(config, data=str(data), start_from=start_from)
        except TrainerError as error:
            self._say(str(error), PROBLEM_STYLE)
            return
        self.plot.clear()
        self.learning.clear()
        self.log.clear()
        self.start_job(TrainingJob(config, run, data=data, model=model))

    def resume_selected(self) -> None:
        run = self.run_list.selected()
        if self.is_training or self.personal.is_running or run is None:
            return
        if not run.can_resume and not run.in_use():  # in use: claim() below says so
            return
        data = Path(run.data) if run.data else self.data.path()
        if data is None or not data.exists():
            data = self.data.path()
        if data is None:
            self._say(QT_TRANSLATE_NOOP(
                "TrainerTab", "the data of run {run} ({data}) is gone; choose MNIST first"),
                      PROBLEM_STYLE, run=run.id, data=run.data)
            return
        try:
            run.claim()  # another window may have started it since the list was drawn
            checkpoint = load_checkpoint(run.checkpoint_path, with_training_state=True)
            config = checkpoint.config or run.train_config
        except (TrainerError, TypeError) as error:
            run.release()
            self._say(QT_TRANSLATE_NOOP("TrainerTab", "run {run} cannot be resumed: {problem}"),
                      PROBLEM_STYLE,
                      run=run.id, problem=error)
            return
        self.plot.show_history(run.epochs, run.batch_losses)
        self.log.clear()
        self.start_job(TrainingJob(config, run, data=data, resume=checkpoint))

    def start_job(self, job: TrainingJob) -> None:
        """Run `job` in a worker, showing its progress here."""
        self._run = job.run
        self.session = TrainingSession(job)
        self.worker = worker = training_worker(self.session)
        worker.yielded.connect(self._on_yielded)
        worker.returned.connect(self._on_finished)
        worker.errored.connect(self._on_failed)
        worker.finished.connect(self._worker_finished)
        self.run_list.reload(hide=job.run.id)
        self._last_batch = None
        self.progress.setValue(0)
        self.progress.setFormat(self.tr("Loading the data…"))
        self._say("")
        worker.start()
        self._update_buttons()

    def stop(self) -> None:
        if self.worker is not None:
            self.worker.quit()
            self.progress.setFormat(self.tr("Stopping…"))

    def _pause_toggled(self, paused: bool, retranslating: bool = False) -> None:
        self.pause_button.setText(self.tr("Continue") if paused else self.tr("Pause"))
        self.pause_button.setShortcut(QKeySequence(PAUSE_KEY))  # after setText, which resets it
        self.pause_button.setToolTip(
            (self.tr("Go on training") if paused else self.tr("Pause after the current batch"))
            + f" ({_native(PAUSE_KEY)})")
        if self.worker is None or retranslating:
            return
        if paused:
            self.worker.pause()
            self.progress.setFormat(self.tr("Paused — ") + self.progress.format())
        else:
            self.worker.resume()

    def stop_and_wait(self) -> None:
        """Stop a run under way and wait until its worker has ended."""
        if self.worker is not None:
            self.worker.quit()
            self.worker.wait()
            self._worker_finished()
        self.personal.stop_and_wait()
        self.data.wait_for_download()

    def confirm_close(self) -> bool:
        """Ask before closing during training; True if the window may close (all stopped)."""
        if self.is_training:
            answer = QMessageBox.question(
                self, self.tr("Stop training?"),
                self.tr("A training run is under way. Stop it and close DigitPad?\n\n"
                        "The last finished epoch is saved; you can resume the run later."),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No)
            if answer != QMessageBox.StandardButton.Yes:
                return False
        self.stop_and_wait()
        return True

    # -- what the worker reports (GUI thread) --------------------------------

    def _on_yielded(self, item: BatchEnd | EpochEnd | str) -> None:
        if self.worker is None:
            return  # late news from a run already wound up (the window is closing)
        if isinstance(item, BatchEnd):
            self._on_batch(item)
        elif isinstance(item, LearningSnapshot):
            self.learning.add_snapshot(item)
        elif isinstance(item, GradientNorms):
            self.learning.add_norms(item)
        elif isinstance(item, EpochEnd):
            self.log.appendPlainText(epoch_line(item))
            if item.test is not None:
                self.log.appendPlainText(item.test.tutorial_line())
            self._on_epoch(item)
        else:
            self.log.appendPlainText(item)

    def _on_batch(self, event: BatchEnd) -> None:
        self.plot.add_batch(event)
        # Text and bar follow five times a second: cheap for the GUI thread.
        self._last_batch = event
        if not self._progress_timer.isActive():
            self._progress_timer.start()

    def _show_progress(self) -> None:
        event = self._last_batch
        if event is None or self.pause_button.isChecked():
            return
        self.progress.setValue(int(1000 * event.progress))
        self.progress.setFormat(self.tr(
            "Epoch {epoch}, batch {batch}/{batches} · loss {loss} · {speed} images/s · "
            "{left} left").format(
            epoch=event.epoch, batch=event.batch, batches=event.batches,
            loss=f"{event.loss:.3f}", speed=f"{event.images_per_second:,.0f}",
            left=_duration(event.seconds_left)))

    def _on_epoch(self, event: EpochEnd) -> None:
        self.plot.add_epoch(event)

    def _on_finished(self, outcome: TrainingOutcome) -> None:
        if self.worker is None:
            return
        self._progress_timer.stop()
        self.plot.refresh()
        if outcome.checkpoint is not None:
            self._candidate = outcome.run
            done = (QT_TRANSLATE_NOOP("TrainerTab", "Stopped: run {run}, {epochs} epoch(s).")
                    if outcome.stopped else
                    QT_TRANSLATE_NOOP("TrainerTab", "Finished: run {run}, {epochs} epoch(s)."))
            self._say(done, GOOD_STYLE, run=outcome.run.id, epochs=outcome.checkpoint.epoch)
        else:
            self._say(QT_TRANSLATE_NOOP(
                "TrainerTab", "Stopped before the first epoch ended; there is no new model."))
        self._progress_said = (QT_TRANSLATE_NOOP("TrainerTab", "Stopped") if outcome.stopped
                               else QT_TRANSLATE_NOOP("TrainerTab", "Done"))
        self.progress.setFormat(self.tr(self._progress_said))
        if not outcome.stopped:
            self.progress.setValue(1000)

    def _on_failed(self, error: Exception) -> None:
        if self.worker is None:
            return
        self._progress_timer.stop()
        self.plot.refresh()
        message = failure_message(error)
        if not isinstance(error, TrainerError):  # a bug: keep what a report needs
            self.log.appendPlainText("".join(traceback.format_exception(error)).rstrip())
        self.log.appendPlainText(message)
        self._say(message, PROBLEM_STYLE)
        self._progress_said = QT_TRANSLATE_NOOP("TrainerTab", "Failed")
        self.progress.setFormat(self.tr(self._progress_said))

    def _worker_finished(self) -> None:
        if self.worker is None:
            return
        self.worker = self.session = None
        finished = self._run
        self._run = None
        self.pause_button.setChecked(False)
        self.run_list.reload()
        if finished is not None and self._candidate is not None \
                and self._candidate.id == finished.id:
            self._candidate = finished
        self._show_result()
        self._update_buttons()
        self.run_ended.emit()

    # -- small things -------------------------------------------------------

    def _run_selected(self, run: Run | None) -> None:
        if run is not None and run.checkpoint_path.exists() and run.epochs:
            self._candidate = run
        self._show_result()
        self._update_buttons()

    def _preset_chosen(self, name: str) -> None:
        preset_arch = PRESETS[name].get("arch")
        if preset_arch is None:  # "finetune": start from the model in use
            self.model.set_fine_tune(self.recognizer is not None)
        else:
            self.model.set_fine_tune(False)
            self.model.set_arch(preset_arch)

    def _show_result(self) -> None:
        in_use = (model_description(self.recognizer, short=True) if self.recognizer is not None
                  else self.tr("still loading"))
        run = self._candidate
        in_use = self.tr("<b>In use:</b> {model}").format(model=in_use)
        self.reliability.set_calibration(self.recognizer.checkpoint.calibration
                                         if self.recognizer is not None else {})
        if run is None:
            self.result.setText(in_use)
        else:
            self.result.setText(self.tr("<b>Run {run}:</b> {accuracy} on the test set").format(
                run=run.id, accuracy=percent(run.test_accuracy)) + " &nbsp;·&nbsp; " + in_use)

    def _say(self, text: str, style: str = "", **values) -> None:
        """Show `text` (marked with QT_TRANSLATE_NOOP) in the current language, `values` filled in;
        a message from elsewhere (an error's) passes through as it is."""
        self._said = (text, style, values)
        shown = self.tr(text).format(**values) if values else self.tr(text) if text else ""
        self.message.setText(shown)
        self.message.setStyleSheet(style)
        announce(self.message, shown)

    def _update_buttons(self) -> None:
        training = self.is_training
        fine_tuning = self.personal.is_running
        self.train_button.setEnabled(not training and not fine_tuning)
        self.train_button.setToolTip(self.tr(FINE_TUNE_UNDER_WAY) if fine_tuning else
                                     f"{self.tr(TRAIN_TIP)} ({_native(TRAIN_KEY)})")
        self.pause_button.setEnabled(training)
        self.stop_button.setEnabled(training)
        selected = self.run_list.selected()
        self.resume_button.setEnabled(not training and not fine_tuning and selected is not None
                                      and selected.can_resume)
        self.resume_button.setToolTip(self.tr(FINE_TUNE_UNDER_WAY if fine_tuning else RESUME_TIP))
        self.personal.set_blocked(self.tr(RUN_UNDER_WAY) if training else None)
        has_model = self._candidate is not None
        self.use_button.setEnabled(has_model)
        self.save_button.setEnabled(has_model)
        self.revert_button.setEnabled(True)  # always available, as the user expects
        for panel in (self.data, self.model, self.hyper):
            panel.setEnabled(not training)
