"""The Trainer tab's Model and Hyperparameters boxes.

Model: fine-tune the model in use (what "Train" means to most people), or
train a new network of a chosen architecture, with the sizes that matter for
it (the seed family's channels and hidden units, so the tutorial's "more
channels" experiment is two clicks; digitnet's width and depth).

Hyperparameters: the CLI's settings and presets. Choosing a preset fills the
fields (and picks its architecture); editing a field turns the preset into
"Custom".
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from digitpad.ui.i18n import Translatable
from digitpad.ui.theme import MUTED, text_colour
from trainer.config import DEFAULT_LR, DEFAULT_MOMENTUM, OPTIMIZERS, PRESETS, SCHEDULES, TrainConfig
from trainer.models import SIZE_LIMITS, size_defaults

# Shown through self.tr (marked here so that `make translations` finds them).
ARCH_NAMES = {
    "digitnet": QT_TRANSLATE_NOOP("ModelPanel", "digitnet (built-in design)"),
    "quicknet": QT_TRANSLATE_NOOP("ModelPanel", "quicknet (quick to train)"),
    "seed": QT_TRANSLATE_NOOP("ModelPanel", "seed (the tutorial's)"),
    "seed-wide": QT_TRANSLATE_NOOP("ModelPanel", "seed-wide (wider seed)"),
}
SIZE_LABELS = {"channels1": QT_TRANSLATE_NOOP("ModelPanel", "Channels, layer 1"),
               "channels2": QT_TRANSLATE_NOOP("ModelPanel", "Channels, layer 2"),
               "hidden": QT_TRANSLATE_NOOP("ModelPanel", "Hidden units"),
               "width": QT_TRANSLATE_NOOP("ModelPanel", "Width"),
               "depth": QT_TRANSLATE_NOOP("ModelPanel", "Depth")}
SCHEDULE_NAMES = {"none": QT_TRANSLATE_NOOP("HyperparameterPanel", "constant"),
                  "onecycle": QT_TRANSLATE_NOOP("HyperparameterPanel", "one cycle"),
                  "cosine": QT_TRANSLATE_NOOP("HyperparameterPanel", "cosine")}
CUSTOM = "Custom"
# The presets keep the names the command line knows (--preset fast) in English.
PRESET_NAMES = {"tutorial": QT_TRANSLATE_NOOP("HyperparameterPanel", "tutorial"),
                "fast": QT_TRANSLATE_NOOP("HyperparameterPanel", "fast"),
                "best": QT_TRANSLATE_NOOP("HyperparameterPanel", "best"),
                "finetune": QT_TRANSLATE_NOOP("HyperparameterPanel", "finetune"),
                CUSTOM: QT_TRANSLATE_NOOP("HyperparameterPanel", "Custom")}


class ModelPanel(Translatable, QGroupBox):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.fine_tune_button = QRadioButton()
        self.scratch_button = QRadioButton()
        group = QButtonGroup(self)
        group.addButton(self.fine_tune_button)
        group.addButton(self.scratch_button)
        self.in_use = QLabel()
        self.in_use.setWordWrap(True)
        # A long file name must not widen the settings column (it would be cut off).
        self.in_use.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.in_use.setStyleSheet(text_colour(MUTED) + " margin-left: 22px;")
        self.arch = QComboBox()
        # Long descriptions must not widen the settings column; the popup shows them whole.
        self.arch.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.arch.setMinimumContentsLength(24)
        for name, text in ARCH_NAMES.items():
            self.arch.addItem(self.tr(text), name)
        self.sizes: dict[str, QSpinBox] = {}
        form = QFormLayout()
        form.setContentsMargins(22, 0, 0, 0)
        form.addRow(QLabel(), self.arch)
        for key in SIZE_LABELS:
            spin = QSpinBox()
            spin.setRange(1, SIZE_LIMITS[key])
            self.sizes[key] = spin
            form.addRow(QLabel(), spin)
        self._form = form

        layout = QVBoxLayout(self)
        layout.addWidget(self.fine_tune_button)
        layout.addWidget(self.in_use)
        layout.addWidget(self.scratch_button)
        layout.addLayout(form)

        self.fine_tune_button.setChecked(True)
        self.arch.currentIndexChanged.connect(self._arch_changed)
        self.fine_tune_button.toggled.connect(self._update_enabled)
        self.retranslate()
        # As wide as the widest architecture's rows need, so that choosing one
        # never makes the settings column wider than it was laid out.
        widths = []
        for index in reversed(range(self.arch.count())):
            self.arch.setCurrentIndex(index)
            widths.append(self.minimumSizeHint().width())
        self.setMinimumWidth(max(widths))
        self._arch_changed()

    def retranslate(self) -> None:
        self.setTitle(self.tr("Model"))
        self.fine_tune_button.setText(self.tr("Fine-tune the model in use"))
        self.scratch_button.setText(self.tr("Train a ne&w model:"))
        self._form.labelForField(self.arch).setText(self.tr("Architecture"))
        for index, text in enumerate(ARCH_NAMES.values()):
            self.arch.setItemText(index, self.tr(text))
        for key, spin in self.sizes.items():
            self._form.labelForField(spin).setText(self.tr(SIZE_LABELS[key]))
            spin.setToolTip(self.tr("A size of the new network's layers"))
        self.fine_tune_button.setToolTip(self.tr("Start from the model in use and train it "
                                                 "further (a copy)"))
        self.scratch_button.setToolTip(self.tr("Start from random weights"))
        self.arch.setToolTip(self.tr("The design of the new network"))

    def fine_tune(self) -> bool:
        return self.fine_tune_button.isChecked()

    def set_fine_tune(self, on: bool) -> None:
        (self.fine_tune_button if on else self.scratch_button).setChecked(True)

    def set_model_in_use(self, text: str, available: bool = True) -> None:
        self.in_use.setText(text)
        self.fine_tune_button.setEnabled(available)
        if not available:
            self.set_fine_tune(False)

    def arch_name(self) -> str:
        return self.arch.currentData()

    def set_arch(self, name: str) -> None:
        self.arch.setCurrentIndex(self.arch.findData(name))

    def arch_params(self) -> dict:
        """The sizes the user set, only those that differ from the architecture's defaults."""
        defaults = size_defaults(self.arch_name())
        return {key: self.sizes[key].value() for key, default in defaults.items()
                if self.sizes[key].value() != default}

    def _arch_changed(self) -> None:
        defaults = size_defaults(self.arch_name())
        for key, spin in self.sizes.items():
            shown = key in defaults
            self._form.setRowVisible(spin, shown)
            if shown:
                spin.setValue(defaults[key])
        self._update_enabled()

    def _update_enabled(self) -> None:
        scratch = not self.fine_tune()
        self.arch.setEnabled(scratch)
        for spin in self.sizes.values():
            spin.setEnabled(scratch)


class HyperparameterPanel(Translatable, QGroupBox):
    preset_chosen = Signal(str)  # a preset's name, after its values were filled in

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.preset = QComboBox()
        for name in [*PRESETS, CUSTOM]:
            self.preset.addItem(name, name)  # named in retranslate
        self.optimizer = QComboBox()
        self.optimizer.addItems(OPTIMIZERS)
        self.lr = QDoubleSpinBox(decimals=5, minimum=0.00001, maximum=1.0, singleStep=0.0005)
        self.momentum = QDoubleSpinBox(decimals=2, minimum=0.0, maximum=0.99, singleStep=0.05)
        self.batch_size = QSpinBox(minimum=1, maximum=4096, singleStep=32)
        self.epochs = QSpinBox(minimum=1, maximum=500)
        self.schedule = QComboBox()
        for name in SCHEDULES:
            self.schedule.addItem(name, name)  # named in retranslate
        self.augment = QCheckBox()

        self._form = form = QFormLayout(self)
        form.addRow(QLabel(), self.preset)
        form.addRow(QLabel(), self.optimizer)
        rates = QHBoxLayout()
        rates.addWidget(self.lr, 1)
        self.momentum_label = QLabel()
        self.momentum_label.setBuddy(self.momentum)
        rates.addWidget(self.momentum_label)
        rates.addWidget(self.momentum, 1)
        form.addRow(QLabel(), rates)
        form.labelForField(rates).setBuddy(self.lr)
        self._rates = rates
        sizes = QHBoxLayout()
        sizes.addWidget(self.batch_size, 1)
        self.epochs_label = QLabel()
        self.epochs_label.setBuddy(self.epochs)
        sizes.addWidget(self.epochs_label)
        sizes.addWidget(self.epochs, 1)
        form.addRow(QLabel(), sizes)
        form.labelForField(sizes).setBuddy(self.batch_size)
        self._sizes = sizes
        form.addRow(QLabel(), self.schedule)
        form.addRow(self.augment)
        self.retranslate()

        self._filling = False
        self._base_preset = "finetune"
        self.preset.currentIndexChanged.connect(
            lambda _index: self._preset_changed(self.preset.currentData()))
        self.optimizer.currentTextChanged.connect(self._optimizer_changed)
        for signal in (self.lr.valueChanged, self.momentum.valueChanged,
                       self.batch_size.valueChanged, self.epochs.valueChanged,
                       self.schedule.currentIndexChanged, self.augment.toggled):
            signal.connect(self._edited)
        self.set_preset("finetune")

    def retranslate(self) -> None:
        self.setTitle(self.tr("Hyperparameters"))
        for index in range(self.preset.count()):
            self.preset.setItemText(index, self.tr(PRESET_NAMES[self.preset.itemData(index)]))
        for index in range(self.schedule.count()):
            self.schedule.setItemText(index, self.tr(SCHEDULE_NAMES[self.schedule.itemData(index)]))
        # Alt + the underlined letter moves the keyboard focus to the field.
        self.augment.setText(self.tr("Au&gment (rotate, scale, shift, thicken)"))
        self.momentum_label.setText(self.tr("mome&ntum"))
        self.epochs_label.setText(self.tr("epo&chs"))
        labels = {self.preset: self.tr("&Preset"), self.optimizer: self.tr("&Optimizer"),
                  self._rates: self.tr("Lea&rning rate"), self._sizes: self.tr("Batch si&ze"),
                  self.schedule: self.tr("&Schedule")}
        for field, text in labels.items():
            self._form.labelForField(field).setText(text)
        for field in (self.preset, self.optimizer, self.schedule):
            self._form.labelForField(field).setBuddy(field)  # where Alt + the letter goes
        tips = {
            self.preset: self.tr("A tried recipe: choosing one fills in every field below"),
            self.optimizer: self.tr("How the weights are changed from their gradients"),
            self.lr: self.tr("How big a step the optimizer takes"),
            self.momentum: self.tr("How much of the last step carries over"),
            self.batch_size: self.tr("How many images make one step"),
            self.epochs: self.tr("How many times the run goes through the training images"),
            self.schedule: self.tr("How the learning rate changes during the run"),
            self.augment: self.tr("Train on copies turned, scaled, moved and thickened at "
                                  "random, so that drawn digits are read better"),
        }
        for field, tip in tips.items():
            field.setToolTip(tip)

    def preset_name(self) -> str:
        """The preset chosen (its command-line name), or CUSTOM."""
        return self.preset.currentData()

    def set_preset(self, name: str) -> None:
        if self.preset_name() == name:
            self._preset_changed(name)
        else:
            self.preset.setCurrentIndex(self.preset.findData(name))

    def config(self, arch: str, arch_params: dict) -> TrainConfig:
        """The settings as a validated TrainConfig (raises ConfigError with one line)."""
        # Settings without a field here (label smoothing, ...) come from the last preset.
        base = TrainConfig(**PRESETS[self._base_preset])
        return base.updated(
            arch=arch, optimizer=self.optimizer.currentText(), lr=self.lr.value(),
            momentum=self.momentum.value(), batch_size=self.batch_size.value(),
            epochs=self.epochs.value(), schedule=self.schedule.currentData(),
            augment=self.augment.isChecked(),
        ).updated(arch_params=arch_params).validate()

    def _preset_changed(self, name: str) -> None:
        if name not in PRESETS:
            return
        config = TrainConfig(**PRESETS[name])
        self._base_preset = name
        self._filling = True
        try:
            self.optimizer.setCurrentText(config.optimizer)
            self.lr.setValue(config.learning_rate)
            self.momentum.setValue(config.momentum_value)
            self.batch_size.setValue(config.batch_size)
            self.epochs.setValue(config.epochs)
            self.schedule.setCurrentIndex(self.schedule.findData(config.schedule))
            self.augment.setChecked(config.augment)
        finally:
            self._filling = False
        self.preset_chosen.emit(name)

    def _optimizer_changed(self, name: str) -> None:
        if not self._filling:
            self.lr.setValue(DEFAULT_LR[name])
            self.momentum.setValue(DEFAULT_MOMENTUM[name])
        self.momentum.setEnabled(name not in ("adam", "adamw"))
        self._edited()

    def _edited(self) -> None:
        if not self._filling and self.preset_name() != CUSTOM:
            self.preset.blockSignals(True)
            self.preset.setCurrentIndex(self.preset.findData(CUSTOM))
            self.preset.blockSignals(False)
