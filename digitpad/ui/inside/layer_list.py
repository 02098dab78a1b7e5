"""The model's layers as the tutorial prints them, made readable: name, kind,
output shape and parameters, with one plain sentence for the layer chosen."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtWidgets import QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from digitpad.ui.i18n import Translatable

if TYPE_CHECKING:
    from digitpad.inside.network import Layer

# digitpad.inside.network's sentences, written again where Qt's translation tools
# look (digitpad/ui); tests/ui/test_inside_page.py checks that the two say the same.
SENTENCES = {
    "conv": QT_TRANSLATE_NOOP(
        "LayerSentence", "Convolution: slides {channels} small {kernel} filters over its input; "
        "each output map shows where one pattern, such as an edge or a curve, appears."),
    "pool": QT_TRANSLATE_NOOP(
        "LayerSentence", "Pooling: keeps the strongest (or average) value of each small patch, "
        "making the maps smaller and less sensitive to exactly where a stroke is."),
    "norm": QT_TRANSLATE_NOOP(
        "LayerSentence", "Batch normalisation: rescales each channel to a steady range, "
        "which makes training faster and more stable."),
    "activation": QT_TRANSLATE_NOOP(
        "LayerSentence", "ReLU: keeps positive values and sets negative ones to zero, so only "
        "patterns that are present pass on."),
    "dropout": QT_TRANSLATE_NOOP(
        "LayerSentence", "Dropout: while training, switches off random values so the network "
        "cannot rely on any single one; when reading, it lets everything through."),
    "linear": QT_TRANSLATE_NOOP(
        "LayerSentence", "Fully connected: each of its {outputs} outputs weighs all "
        "{inputs} inputs together."),
    "classifier": QT_TRANSLATE_NOOP(
        "LayerSentence", "The classifier: one score for each possible answer, computed "
        "from all {inputs} inputs; the highest score wins."),
    "flatten": QT_TRANSLATE_NOOP(
        "LayerSentence", "Flatten: lays the maps out as one long list of numbers for the "
        "layers that follow."),
    "other": QT_TRANSLATE_NOOP(
        "LayerSentence", "{type}: a step of this network that DigitPad has no description for."),
}


def layer_sentence(layer: Layer) -> str:
    """The layer's sentence in the user's language."""
    template = QCoreApplication.translate("LayerSentence", SENTENCES[layer.kind])
    return template.format(**layer.facts)


class LayerList(Translatable, QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tree = QTreeWidget()
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.about = QLabel()
        self.about.setWordWrap(True)
        self.about.setMinimumHeight(self.about.fontMetrics().lineSpacing() * 4)
        self.about.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.about)
        self._layers: tuple[Layer, ...] = ()
        self.tree.currentItemChanged.connect(self._show_sentence)
        self.retranslate()

    def retranslate(self) -> None:
        self.tree.setHeaderLabels([self.tr("Layer"), self.tr("Kind"), self.tr("Output"),
                                   self.tr("Parameters")])
        self.tree.setAccessibleName(self.tr("Layers of the network"))
        self.show_layers(self._layers)

    def kind_name(self, kind: str) -> str:
        return {"conv": self.tr("convolution"), "pool": self.tr("pooling"),
                "norm": self.tr("batch norm"), "activation": self.tr("activation"),
                "dropout": self.tr("dropout"), "linear": self.tr("fully connected"),
                "classifier": self.tr("classifier"), "flatten": self.tr("flatten"),
                }.get(kind, self.tr("other"))

    def show_layers(self, layers: tuple[Layer, ...]) -> None:
        current = self.tree.currentIndex().row()
        self._layers = tuple(layers)
        self.tree.clear()
        total = 0
        for layer in layers:
            total += layer.parameters
            item = QTreeWidgetItem([layer.name, self.kind_name(layer.kind),
                                    " × ".join(str(n) for n in layer.shape),
                                    f"{layer.parameters:,}"])
            item.setTextAlignment(3, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            item.setToolTip(0, layer_sentence(layer))
            self.tree.addTopLevelItem(item)
        for column in range(4):
            self.tree.resizeColumnToContents(column)
        if layers:
            self.tree.setCurrentItem(self.tree.topLevelItem(max(0, min(current, len(layers) - 1))))
        self.about.setText(self.tr("{count} layers, {total} parameters in all.").format(
            count=len(layers), total=f"{total:,}") if layers else "")

    def select(self, name: str) -> None:
        for row, layer in enumerate(self._layers):
            if layer.name == name:
                self.tree.setCurrentItem(self.tree.topLevelItem(row))

    def _show_sentence(self, item: QTreeWidgetItem | None, _previous=None) -> None:
        if item is None:
            return
        number = self.tree.indexOfTopLevelItem(item) + 1
        self.about.setText(self.tr("<b>Layer {number}</b>: {sentence}").format(
            number=number, sentence=layer_sentence(self._layers[number - 1])))
