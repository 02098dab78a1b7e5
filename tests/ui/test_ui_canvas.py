"""The drawing pad on its own: input, strokes, undo/redo/clear, eraser, geometry, replay."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QPointingDevice, QTabletEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from ui_drawing import ONE, SEVEN, draw

from digitpad.drawing.strokes import Stroke, render_strokes
from digitpad.ui.draw.canvas import (
    DEFAULT_PEN_WIDTH,
    DRAWING_SIDE,
    MAX_PEN_WIDTH,
    MIN_PEN_WIDTH,
    Canvas,
)


@pytest.fixture
def canvas(qtbot) -> Canvas:
    canvas = Canvas()
    qtbot.addWidget(canvas)
    canvas.resize(420, 420)
    canvas.show()
    qtbot.waitExposed(canvas)
    return canvas


def test_mouse_drawing_makes_one_stroke_in_drawing_coordinates(canvas: Canvas) -> None:
    draw(canvas, SEVEN)
    strokes = canvas.strokes()
    assert len(strokes) == 1
    stroke = strokes[0]
    assert not stroke.eraser and stroke.width == DEFAULT_PEN_WIDTH
    assert len(stroke.points) == len(SEVEN)
    # Mouse positions are whole widget pixels: within a pixel of where we aimed.
    pixel = DRAWING_SIDE / canvas.paper_rect().width()
    assert np.allclose(stroke.points, SEVEN, atol=pixel)
    assert canvas.canvas_size() == (DRAWING_SIDE, DRAWING_SIDE)


def test_each_mouse_stroke_is_one_stroke_and_one_undo_step(canvas: Canvas) -> None:
    draw(canvas, SEVEN)
    draw(canvas, ONE)
    assert len(canvas.strokes()) == 2
    canvas.undo()
    assert len(canvas.strokes()) == 1
    assert np.allclose(canvas.strokes()[0].points[0], SEVEN[0], atol=2)
    canvas.undo()
    assert canvas.is_empty() and not canvas.can_undo()
    canvas.redo()
    canvas.redo()
    assert len(canvas.strokes()) == 2 and not canvas.can_redo()


def test_a_new_stroke_after_undo_drops_the_redo_history(canvas: Canvas) -> None:
    draw(canvas, SEVEN)
    canvas.undo()
    assert canvas.can_redo()
    draw(canvas, ONE)
    assert not canvas.can_redo()
    assert len(canvas.strokes()) == 1


def test_clear_empties_the_pad_and_undo_brings_the_drawing_back(canvas: Canvas, qtbot) -> None:
    draw(canvas, SEVEN)
    draw(canvas, ONE)
    with qtbot.waitSignal(canvas.changed):
        canvas.clear()
    assert canvas.is_empty() and canvas.strokes() == []
    canvas.undo()
    assert len(canvas.strokes()) == 2


def test_clearing_an_empty_pad_adds_no_undo_step(canvas: Canvas) -> None:
    canvas.clear()
    assert not canvas.can_undo()


def test_a_click_leaves_a_dot(canvas: Canvas) -> None:
    draw(canvas, [(200, 200)])
    (stroke,) = canvas.strokes()
    ink = render_strokes([stroke], canvas.canvas_size())
    assert ink[128, 128] == 255  # the centre of a 256×256 ink image


def test_the_eraser_tool_and_the_right_button_rub_ink_out(canvas: Canvas) -> None:
    canvas.set_pen_width(30)
    draw(canvas, [(60, 200), (340, 200)])
    canvas.set_eraser(True)
    draw(canvas, [(100, 150), (100, 250)])
    canvas.set_eraser(False)
    draw(canvas, [(300, 150), (300, 250)], button=Qt.MouseButton.RightButton)
    strokes = canvas.strokes()
    assert [s.eraser for s in strokes] == [False, True, True]
    assert not canvas.is_eraser()  # the right button does not switch tools
    ink = render_strokes(strokes, canvas.canvas_size())
    row = ink[128]  # y = 200 of 400
    assert row[64] == 0 and row[192] == 0  # rubbed out at x = 100 and 300
    assert row[128] == 255  # still there in between


def test_pen_width_is_kept_within_its_range_and_announced(canvas: Canvas, qtbot) -> None:
    with qtbot.waitSignal(canvas.pen_width_changed) as signal:
        canvas.set_pen_width(1000)
    assert signal.args == [MAX_PEN_WIDTH] and canvas.pen_width() == MAX_PEN_WIDTH
    canvas.set_pen_width(0)
    assert canvas.pen_width() == MIN_PEN_WIDTH
    draw(canvas, ONE)
    assert canvas.strokes()[0].width == MIN_PEN_WIDTH


@pytest.mark.parametrize("size", [(700, 360), (360, 700), (500, 500)])
def test_the_paper_stays_square_and_centred_as_the_widget_resizes(canvas: Canvas, qtbot,
                                                                  size) -> None:
    canvas.resize(*size)
    qtbot.waitUntil(lambda: (canvas.width(), canvas.height()) == size)
    paper = canvas.paper_rect()
    assert paper.width() == paper.height() > min(size) - 20
    assert abs(paper.center().x() - size[0] / 2) < 1 and abs(paper.center().y() - size[1] / 2) < 1
    x, y = canvas.to_drawing(canvas.from_drawing(123.0, 321.0))
    assert (x, y) == pytest.approx((123.0, 321.0))


def test_a_drawing_keeps_its_shape_when_the_window_resizes(canvas: Canvas, qtbot) -> None:
    draw(canvas, SEVEN)
    before = render_strokes(canvas.strokes(), canvas.canvas_size())
    canvas.resize(800, 500)
    qtbot.waitUntil(lambda: canvas.width() == 800)
    after = render_strokes(canvas.strokes(), canvas.canvas_size())
    assert np.array_equal(before, after)


def test_pressing_outside_the_paper_draws_nothing(canvas: Canvas, qtbot) -> None:
    canvas.resize(700, 300)
    qtbot.waitUntil(lambda: canvas.width() == 700)
    QTest.mousePress(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     canvas.rect().topLeft() + QPointF(5, 150).toPoint())
    QTest.mouseRelease(canvas, Qt.MouseButton.LeftButton)
    assert canvas.is_empty()


def test_replay_draws_point_by_point_with_a_signal_per_point(canvas: Canvas) -> None:
    changes = []
    canvas.changed.connect(lambda: changes.append(len(canvas.strokes()[-1].points)))
    canvas.replay([Stroke(list(SEVEN), 12.0), Stroke(list(ONE), 30.0, eraser=True)])
    assert changes == list(range(1, len(SEVEN) + 1)) + list(range(1, len(ONE) + 1))
    strokes = canvas.strokes()
    assert [(s.width, s.eraser) for s in strokes] == [(12.0, False), (30.0, True)]
    assert strokes[0].points == [(float(x), float(y)) for x, y in SEVEN]
    canvas.undo()
    assert len(canvas.strokes()) == 1


def test_set_strokes_replaces_the_drawing_in_one_undo_step(canvas: Canvas) -> None:
    draw(canvas, ONE)
    canvas.set_strokes([Stroke(list(SEVEN)), Stroke(list(ONE))])
    assert len(canvas.strokes()) == 2
    canvas.undo()
    assert len(canvas.strokes()) == 1


def test_strokes_are_copies_that_callers_cannot_change(canvas: Canvas) -> None:
    canvas.add_stroke(Stroke(list(ONE)))
    canvas.strokes()[0].points.clear()
    assert len(canvas.strokes()[0].points) == len(ONE)


def test_a_stroke_being_drawn_is_part_of_the_drawing(canvas: Canvas) -> None:
    canvas.begin_stroke(10, 10)
    canvas.extend_stroke(50, 60)
    assert canvas.is_drawing() and canvas.strokes()[0].points == [(10.0, 10.0), (50.0, 60.0)]
    canvas.undo()  # ends the stroke, then takes it back
    assert canvas.is_empty() and not canvas.is_drawing()


def test_a_finger_on_a_touch_screen_draws(canvas: Canvas) -> None:
    screen = QTest.createTouchDevice()
    positions = [canvas.from_drawing(x, y).toPoint() for x, y in ONE]
    QTest.touchEvent(canvas, screen).press(0, positions[0], canvas).commit()
    for position in positions[1:]:
        QTest.touchEvent(canvas, screen).move(0, position, canvas).commit()
    QTest.touchEvent(canvas, screen).release(0, positions[-1], canvas).commit()
    strokes = canvas.strokes()
    assert len(strokes) == 1 and not canvas.is_drawing()
    assert np.allclose(strokes[0].points[0], ONE[0], atol=2)
    assert np.allclose(strokes[0].points[-1], ONE[-1], atol=2)


def _tablet(canvas: Canvas, kind, device: QPointingDevice, x: float, y: float) -> None:
    position = canvas.from_drawing(x, y)
    buttons = Qt.MouseButton.NoButton if kind == QTabletEvent.Type.TabletRelease \
        else Qt.MouseButton.LeftButton
    event = QTabletEvent(kind, device, position, canvas.mapToGlobal(position), 0.5, 0.0, 0.0,
                         0.0, 0.0, 0.0, Qt.KeyboardModifier.NoModifier,
                         Qt.MouseButton.LeftButton, buttons)
    QApplication.sendEvent(canvas, event)


@pytest.mark.parametrize("pointer", [QPointingDevice.PointerType.Pen,
                                     QPointingDevice.PointerType.Eraser])
def test_a_pen_tablet_draws_and_its_eraser_end_rubs_out(canvas: Canvas, pointer) -> None:
    device = QPointingDevice("test stylus", 1000, QPointingDevice.DeviceType.Stylus, pointer,
                             QPointingDevice.Capability.Position
                             | QPointingDevice.Capability.Pressure, 1, 2)
    _tablet(canvas, QTabletEvent.Type.TabletPress, device, *ONE[0])
    for x, y in ONE[1:]:
        _tablet(canvas, QTabletEvent.Type.TabletMove, device, x, y)
    _tablet(canvas, QTabletEvent.Type.TabletRelease, device, *ONE[-1])
    (stroke,) = canvas.strokes()
    assert stroke.eraser == (pointer == QPointingDevice.PointerType.Eraser)
    assert len(stroke.points) == len(ONE)
