"""digitpad.drawing.drawing: strokes and their undo/redo history, without Qt."""

from __future__ import annotations

from digitpad.drawing.drawing import Drawing
from digitpad.drawing.strokes import Stroke


def _draw(drawing: Drawing, *points: tuple[float, float], width: float = 20.0) -> None:
    drawing.begin_stroke(*points[0], width=width, eraser=False)
    for point in points[1:]:
        drawing.extend_stroke(*point)
    drawing.end_stroke()


def test_a_new_drawing_is_empty_with_nothing_to_undo() -> None:
    drawing = Drawing()
    assert drawing.is_empty() and not drawing.is_drawing()
    assert not drawing.can_undo() and not drawing.can_redo()
    assert drawing.strokes() == []


def test_a_stroke_being_drawn_is_part_of_the_drawing_and_can_be_undone() -> None:
    drawing = Drawing()
    drawing.begin_stroke(1, 2, width=8, eraser=True)
    assert drawing.extend_stroke(3, 4) == (1.0, 2.0)
    assert drawing.extend_stroke(3, 4) is None  # the same point again changes nothing
    assert drawing.is_drawing() and drawing.can_undo()
    assert drawing.strokes() == [Stroke([(1.0, 2.0), (3.0, 4.0)], 8.0, True)]
    assert drawing.undo()  # finishes the stroke, then takes it back
    assert drawing.is_empty() and drawing.can_redo()


def test_each_stroke_is_one_undo_step_and_redo_brings_it_back() -> None:
    drawing = Drawing()
    _draw(drawing, (0, 0), (10, 10))
    _draw(drawing, (5, 5), (6, 9))
    two = drawing.strokes()
    assert drawing.undo()
    assert drawing.strokes() == two[:1]
    assert drawing.redo()
    assert drawing.strokes() == two
    assert not drawing.redo()


def test_a_new_stroke_after_undo_drops_the_redo_history() -> None:
    drawing = Drawing()
    _draw(drawing, (0, 0), (1, 1))
    drawing.undo()
    _draw(drawing, (2, 2), (3, 3))
    assert not drawing.can_redo()


def test_clear_is_undoable_and_clearing_nothing_is_no_step() -> None:
    drawing = Drawing()
    assert not drawing.clear()
    _draw(drawing, (0, 0), (1, 1))
    before = drawing.strokes()
    assert drawing.clear() and drawing.is_empty()
    assert drawing.undo()
    assert drawing.strokes() == before


def test_cancel_drops_only_the_stroke_being_drawn() -> None:
    drawing = Drawing()
    _draw(drawing, (0, 0), (1, 1))
    drawing.begin_stroke(5, 5, width=4, eraser=False)
    drawing.extend_stroke(6, 6)
    assert drawing.cancel_stroke()
    assert len(drawing.strokes()) == 1 and not drawing.is_drawing()
    assert not drawing.cancel_stroke()


def test_strokes_are_copies_that_cannot_change_the_drawing() -> None:
    drawing = Drawing()
    source = Stroke([(0.0, 0.0), (1.0, 1.0)], 10.0, False)
    drawing.set_strokes([source, Stroke([], 10.0, False)])  # an empty stroke is dropped
    source.add(9, 9)
    copy = drawing.strokes()
    copy[0].add(7, 7)
    assert drawing.strokes() == [Stroke([(0.0, 0.0), (1.0, 1.0)], 10.0, False)]
    drawing.add_stroke(Stroke([(2.0, 2.0)], 5.0, True))
    assert len(drawing.strokes()) == 2
    assert drawing.undo() and len(drawing.strokes()) == 1
