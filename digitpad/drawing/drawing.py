"""A drawing and its history: strokes, the one being drawn, undo and redo.

Qt-free, so the sample store, the benchmarks and the tests can build and
replay drawings without a window; the canvas widget owns one and only paints
it and turns mouse, tablet and touch events into calls on it.

Undo and redo keep whole drawings (lists of finished strokes): a digit has a
handful of strokes, and clear becomes undoable for free.
"""

from __future__ import annotations

from collections.abc import Iterable

from digitpad.drawing.strokes import Stroke


class Drawing:
    """Finished strokes, oldest first, plus at most one stroke being drawn."""

    def __init__(self) -> None:
        self._strokes: list[Stroke] = []
        self._current: Stroke | None = None
        self._undo: list[list[Stroke]] = []
        self._redo: list[list[Stroke]] = []

    # ---- what it holds -------------------------------------------------------------

    def strokes(self) -> list[Stroke]:
        """The drawing as it is now, including a stroke being drawn. Copies:
        changing them does not change the drawing."""
        strokes = [_copy(s) for s in self._strokes]
        if self._current is not None:
            strokes.append(_copy(self._current))
        return strokes

    def finished_strokes(self) -> tuple[Stroke, ...]:
        """The finished strokes themselves, for painting; not to be changed."""
        return tuple(self._strokes)

    def current(self) -> Stroke | None:
        """The stroke being drawn, for painting; not to be changed."""
        return self._current

    def is_empty(self) -> bool:
        return not self._strokes and self._current is None

    def is_drawing(self) -> bool:
        """True between begin_stroke() and end_stroke()."""
        return self._current is not None

    def can_undo(self) -> bool:
        return bool(self._undo) or self._current is not None

    def can_redo(self) -> bool:
        return bool(self._redo)

    # ---- the pen -------------------------------------------------------------------

    def begin_stroke(self, x: float, y: float, *, width: float, eraser: bool) -> None:
        """Put the pen down at (x, y); a stroke still being drawn is finished first."""
        self.end_stroke()
        self._current = Stroke([(float(x), float(y))], float(width), eraser)

    def extend_stroke(self, x: float, y: float) -> tuple[float, float] | None:
        """Move the pen, while it is down, to (x, y). Returns the point it came
        from, or None when nothing changed (pen up, or the same point again)."""
        if self._current is None:
            return None
        last = self._current.points[-1]
        if (float(x), float(y)) == last:
            return None
        self._current.add(x, y)
        return last

    def end_stroke(self) -> bool:
        """Lift the pen: the stroke becomes one step that undo can take back.
        Returns whether a stroke was being drawn."""
        if self._current is None:
            return False
        stroke, self._current = self._current, None
        self._commit([*self._strokes, stroke])
        return True

    def cancel_stroke(self) -> bool:
        """Drop the stroke being drawn (the system took the pen or finger away)."""
        if self._current is None:
            return False
        self._current = None
        return True

    # ---- whole steps ---------------------------------------------------------------

    def add_stroke(self, stroke: Stroke) -> None:
        """Add a finished stroke in one undoable step."""
        self.end_stroke()
        self._commit([*self._strokes, _copy(stroke)])

    def set_strokes(self, strokes: Iterable[Stroke]) -> None:
        """Replace the drawing with `strokes` in one undoable step."""
        self._current = None
        self._commit([_copy(s) for s in strokes if s.points])

    def clear(self) -> bool:
        """Empty the drawing (undo brings it back). Returns whether anything changed."""
        if self.is_empty():
            return False
        self._current = None
        self._commit([])
        return True

    def undo(self) -> bool:
        """Take back the last stroke (or the last clear). Returns whether anything changed."""
        self.end_stroke()
        if not self._undo:
            return False
        self._redo.append(self._strokes)
        self._strokes = self._undo.pop()
        return True

    def redo(self) -> bool:
        if not self._redo:
            return False
        self._undo.append(self._strokes)
        self._strokes = self._redo.pop()
        return True

    def _commit(self, strokes: list[Stroke]) -> None:
        self._undo.append(self._strokes)
        self._strokes = strokes
        self._redo.clear()


def _copy(stroke: Stroke) -> Stroke:
    return Stroke(list(stroke.points), stroke.width, stroke.eraser)
