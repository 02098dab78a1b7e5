"""The canvas' controls: pen or eraser, pen width, undo, redo, clear.

Each command is a QAction with its keyboard shortcuts and a tooltip that names
them; the main window also lists them in its Edit menu. While the Draw tab is
not showing they are switched off (`set_active`), so another tab can use the
same keys (Esc, Delete, Ctrl+Z) for its own commands.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QLabel, QSizePolicy, QSlider, QToolBar, QWidget

from digitpad.ui.draw.canvas import MAX_PEN_WIDTH, MIN_PEN_WIDTH, Canvas
from digitpad.ui.i18n import Translatable

PEN_WIDTH_STEP = 4.0  # what [ and ] change the pen width by


class DrawingTools(Translatable, QToolBar):
    def __init__(self, canvas: Canvas, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._canvas = canvas
        self._active = True
        self.setMovable(False)
        self.setFloatable(False)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)

        self.pen_action = self._action(["P"])
        self.eraser_action = self._action(["E"])
        tools = QActionGroup(self)
        for action in (self.pen_action, self.eraser_action):
            action.setCheckable(True)
            tools.addAction(action)
        self.pen_action.setChecked(not canvas.is_eraser())
        self.eraser_action.setChecked(canvas.is_eraser())
        self.eraser_action.toggled.connect(canvas.set_eraser)
        canvas.eraser_changed.connect(self._show_tool)

        self.width_slider = QSlider(Qt.Orientation.Horizontal)
        self.width_slider.setRange(int(MIN_PEN_WIDTH), int(MAX_PEN_WIDTH))
        self.width_slider.setValue(round(canvas.pen_width()))
        self.width_slider.setFixedWidth(120)
        self.width_slider.valueChanged.connect(lambda value: canvas.set_pen_width(value))
        self.width_value = QLabel()
        self.width_value.setMinimumWidth(self.width_value.fontMetrics().horizontalAdvance("00"))
        self.thinner_action = self._action(["["])
        self.thicker_action = self._action(["]"])
        self.thinner_action.triggered.connect(
            lambda: canvas.set_pen_width(canvas.pen_width() - PEN_WIDTH_STEP))
        self.thicker_action.triggered.connect(
            lambda: canvas.set_pen_width(canvas.pen_width() + PEN_WIDTH_STEP))
        canvas.pen_width_changed.connect(self._show_width)
        self._show_width(canvas.pen_width())

        self.undo_action = self._action([QKeySequence.StandardKey.Undo])
        self.redo_action = self._action(["Ctrl+Shift+Z", "Ctrl+Y"])
        self.clear_action = self._action(["Esc", "Delete"])
        self.undo_action.triggered.connect(canvas.undo)
        self.redo_action.triggered.connect(canvas.redo)
        self.clear_action.triggered.connect(canvas.clear)
        canvas.changed.connect(self._show_history)
        canvas.history_changed.connect(self._show_history)
        self._show_history()

        self.addAction(self.pen_action)
        self.addAction(self.eraser_action)
        self.addSeparator()
        self.width_label = _label()
        self.width_label.setBuddy(self.width_slider)
        self.addWidget(self.width_label)
        self.addWidget(self.width_slider)
        self.addWidget(self.width_value)
        self.addSeparator()
        self.addAction(self.undo_action)
        self.addAction(self.redo_action)
        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.addWidget(spacer)
        self.addAction(self.clear_action)
        # Not buttons on the bar, but their shortcuts need a visible owner.
        canvas.addActions([self.thinner_action, self.thicker_action])
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Drawing tools"))
        texts = {
            self.pen_action: (self.tr("&Pen"), self.tr("Draw with the pen")),
            self.eraser_action: (self.tr("&Eraser"), self.tr(
                "Rub out ink. Dragging with the right mouse button rubs out too, "
                "whatever the tool.")),
            self.thinner_action: (self.tr("Thinner pen"), self.tr("Thinner pen")),
            self.thicker_action: (self.tr("Thicker pen"), self.tr("Thicker pen")),
            self.undo_action: (self.tr("&Undo"), self.tr("Take back the last stroke")),
            self.redo_action: (self.tr("&Redo"), self.tr("Put back what undo took")),
            self.clear_action: (self.tr("&Clear"), self.tr("Start again on an empty pad")),
        }
        for action, (text, tip) in texts.items():
            action.setText(text)
            tip = f"{tip} ({_keys(action)})"  # the shortcut, as this desktop writes it
            action.setToolTip(tip)
            action.setStatusTip(tip)
        self.width_label.setText(self.tr("Width"))
        self.width_slider.setToolTip(self.tr("Pen width ({thinner} thinner, {thicker} thicker)")
                                     .format(thinner=_keys(self.thinner_action),
                                             thicker=_keys(self.thicker_action)))
        self.width_slider.setAccessibleName(self.tr("Pen width"))
        self.width_slider.setAccessibleDescription(self.width_slider.toolTip())

    def set_active(self, active: bool) -> None:
        """Switch every command (and its shortcut) on or off."""
        self._active = active
        for action in (self.pen_action, self.eraser_action, self.thinner_action,
                       self.thicker_action):
            action.setEnabled(active)
        self._show_history()

    def _action(self, keys: list) -> QAction:
        action = QAction(self)
        action.setShortcuts([QKeySequence(key) for key in keys])
        return action

    def _show_tool(self, eraser: bool) -> None:
        (self.eraser_action if eraser else self.pen_action).setChecked(True)

    def _show_width(self, width: float) -> None:
        self.width_slider.blockSignals(True)
        self.width_slider.setValue(round(width))
        self.width_slider.blockSignals(False)
        self.width_value.setText(f"{width:.0f}")

    def _show_history(self) -> None:
        self.undo_action.setEnabled(self._active and self._canvas.can_undo())
        self.redo_action.setEnabled(self._active and self._canvas.can_redo())
        self.clear_action.setEnabled(self._active and not self._canvas.is_empty())


def _keys(action: QAction) -> str:
    return " / ".join(key.toString(QKeySequence.SequenceFormat.NativeText)
                      for key in action.shortcuts())


def _label() -> QLabel:
    label = QLabel()
    label.setContentsMargins(6, 0, 4, 0)
    return label
