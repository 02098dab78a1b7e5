"""The user's own handwriting: samples taught from the Draw tab, kept in SQLite.

Each sample keeps its strokes (vectors, so fine-tuning can re-render them with
other pen widths), the canvas size and pen width, the 28×28 image the network
saw, the label and when it was drawn.

Why SQLite: every write is one transaction, and with the write-ahead log and
``synchronous=FULL`` a crash or kill in the middle of a write loses at most that
one sample, never the others. The schema version lives in ``PRAGMA
user_version``; `MIGRATIONS` brings any older database forward step by step.

Deleting is a soft delete (the row is marked, not removed) so the My samples
view can undo it; marked rows are purged the next time the store is opened.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from digitpad.drawing.preprocess import preprocess
from digitpad.drawing.strokes import Stroke, render_strokes
from digitpad.errors import SampleError
from digitpad.store.paths import user_data_dir

DATABASE_FILE = "samples.sqlite3"
IMAGE_BYTES = 28 * 28


@dataclass(frozen=True)
class Sample:
    id: int
    label: int
    strokes: list[Stroke]
    canvas_size: tuple[float, float]
    pen_width: float
    image: np.ndarray  # (28, 28) uint8, ink high: what the network saw
    drawn_at: str  # ISO 8601, UTC


def sample_image(strokes: Sequence[Stroke], canvas_size: tuple[float, float]) -> np.ndarray:
    """The 28×28 uint8 image the network reads for these strokes (SampleError if blank)."""
    processed = preprocess(render_strokes(strokes, canvas_size))
    if processed is None:
        raise SampleError("the drawing is empty: draw a digit first")
    return np.rint(processed.image * 255).astype(np.uint8)


def now_text() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


# -- the schema and its migrations ---------------------------------------------
# MIGRATIONS[i] brings a database from version i to version i + 1. Never edit
# a step once released: add a new one. Version 0 is a new, empty file.

def _create_samples(db: sqlite3.Connection) -> None:
    db.execute("""CREATE TABLE samples (
        id INTEGER PRIMARY KEY,
        label INTEGER NOT NULL CHECK (label BETWEEN 0 AND 9),
        strokes TEXT NOT NULL,
        canvas_width REAL NOT NULL,
        canvas_height REAL NOT NULL,
        pen_width REAL NOT NULL,
        image BLOB NOT NULL,
        drawn_at TEXT NOT NULL)""")


def _add_soft_delete(db: sqlite3.Connection) -> None:
    db.execute("ALTER TABLE samples ADD COLUMN deleted_at TEXT")
    db.execute("CREATE INDEX samples_by_label ON samples (label, id)")


MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [_create_samples, _add_soft_delete]
SCHEMA_VERSION = len(MIGRATIONS)


class SampleStore:
    """The personal samples in one SQLite file (by default in the user data folder)."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path is not None else user_data_dir() / DATABASE_FILE
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # isolation_level=None: we open and commit every transaction ourselves.
            self._db = sqlite3.connect(self.path, isolation_level=None, timeout=10)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            self._migrate()
            # Deletions not undone in an earlier session are final now.
            with self._transaction():
                self._db.execute("DELETE FROM samples WHERE deleted_at IS NOT NULL")
        except sqlite3.DatabaseError as error:
            raise SampleError(f"{self.path}: the sample database cannot be opened "
                              f"({error})") from None
        except OSError as error:
            raise SampleError(f"{self.path}: cannot be created ({error.strerror or error})") \
                from None

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> SampleStore:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def _transaction(self) -> _Transaction:
        return _Transaction(self._db, self.path)

    def _migrate(self) -> None:
        version = self._db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise SampleError(f"{self.path}: written by a newer DigitPad (samples format "
                              f"{version}); please update DigitPad")
        for step in range(version, SCHEMA_VERSION):
            with self._transaction():
                MIGRATIONS[step](self._db)
                # PRAGMA cannot take parameters; step is our own integer.
                self._db.execute(f"PRAGMA user_version = {step + 1}")

    # -- writing -----------------------------------------------------------------

    def add(self, label: int, strokes: Sequence[Stroke], canvas_size: tuple[float, float],
            pen_width: float | None = None, image: np.ndarray | None = None,
            drawn_at: str | None = None) -> Sample:
        """Store one drawing as a sample of `label`; its image is made from the strokes
        unless given. One transaction: it is either all there or not at all."""
        sample = checked_sample(label, list(strokes), canvas_size, pen_width, image, drawn_at)
        with self._transaction():
            row_id = self._insert(sample)
        return replace(sample, id=row_id)

    def _insert(self, sample: Sample) -> int:
        cursor = self._db.execute(
            "INSERT INTO samples (label, strokes, canvas_width, canvas_height, pen_width, image,"
            " drawn_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (sample.label, _strokes_text(sample.strokes), sample.canvas_size[0],
             sample.canvas_size[1], sample.pen_width, sample.image.tobytes(), sample.drawn_at))
        return int(cursor.lastrowid)

    def relabel(self, sample_id: int, label: int) -> None:
        _check_label(label)
        with self._transaction():
            self._db.execute("UPDATE samples SET label = ? WHERE id = ?", (label, sample_id))

    def delete(self, sample_id: int) -> None:
        """Delete a sample; `undo_delete` brings it back until the store is reopened."""
        with self._transaction():
            self._db.execute("UPDATE samples SET deleted_at = ? WHERE id = ?",
                             (now_text(), sample_id))

    def undo_delete(self, sample_id: int) -> None:
        with self._transaction():
            self._db.execute("UPDATE samples SET deleted_at = NULL WHERE id = ?", (sample_id,))

    def clear(self) -> int:
        """Remove every sample for good; returns how many there were."""
        with self._transaction():
            return self._db.execute("DELETE FROM samples").rowcount

    def add_many(self, samples: Sequence[Sample]) -> int:
        """Add already checked samples in one transaction: all of them or none."""
        with self._transaction():
            for sample in samples:
                self._insert(sample)
        return len(samples)

    # -- reading -----------------------------------------------------------------

    def samples(self, label: int | None = None) -> list[Sample]:
        """The samples (of one digit, if given), oldest first."""
        if label is None:
            return self._select("", ())
        return self._select(" AND label = ?", (label,))

    def get(self, sample_id: int) -> Sample | None:
        found = self._select(" AND id = ?", (sample_id,))
        return found[0] if found else None

    def _select(self, condition: str, parameters: tuple) -> list[Sample]:
        rows = self._db.execute(
            "SELECT id, label, strokes, canvas_width, canvas_height, pen_width, image, drawn_at"
            " FROM samples WHERE deleted_at IS NULL" + condition + " ORDER BY id",
            parameters).fetchall()
        return [_row_sample(row, self.path) for row in rows]

    def counts(self) -> list[int]:
        """How many samples of each digit 0..9."""
        counts = [0] * 10
        for label, count in self._db.execute(
                "SELECT label, COUNT(*) FROM samples WHERE deleted_at IS NULL GROUP BY label"):
            counts[label] = count
        return counts

    def __len__(self) -> int:
        return sum(self.counts())


class _Transaction:
    """BEGIN IMMEDIATE … COMMIT, or ROLLBACK if anything inside fails.

    SQLite's own failures (a full disk, a locked file) become one SampleError
    naming the database; the samples stored before stay as they were."""

    def __init__(self, db: sqlite3.Connection, path: Path) -> None:
        self._db = db
        self._path = path

    def __enter__(self) -> None:
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as error:
            raise self._error(error) from None

    def __exit__(self, kind, value, _traceback) -> None:
        if kind is None:
            try:
                self._db.execute("COMMIT")
                return
            except sqlite3.Error as error:
                value = error
        # On a full disk SQLite has already rolled back by itself.
        if self._db.in_transaction:
            self._db.execute("ROLLBACK")
        if isinstance(value, sqlite3.Error):
            raise self._error(value) from None

    def _error(self, error: sqlite3.Error) -> SampleError:
        return SampleError(f"{self._path}: the samples cannot be saved ({error})")


# -- checking and converting -------------------------------------------------------

def _check_label(label: object) -> int:
    if isinstance(label, bool) or not isinstance(label, (int, np.integer)) or not 0 <= label <= 9:
        raise SampleError(f"a sample's label must be a digit 0-9, got {label!r}")
    return int(label)


def checked_sample(label: object, strokes: list[Stroke], canvas_size: object,
                   pen_width: object = None, image: np.ndarray | None = None,
                   drawn_at: str | None = None) -> Sample:
    """A Sample (id 0, not stored yet) after checking every field; SampleError if any is bad."""
    label = _check_label(label)
    if not strokes or not all(isinstance(s, Stroke) for s in strokes):
        raise SampleError("a sample needs at least one stroke")
    size = _finite_numbers(canvas_size, 2, "canvas size")
    if min(size) <= 0:
        raise SampleError(f"the canvas size must be positive, got {size}")
    for stroke in strokes:
        if not stroke.points:
            raise SampleError("a stroke without points")
        _finite_numbers(stroke.width, 1, "pen width")
        for point in stroke.points:
            _finite_numbers(point, 2, "point")
    width = strokes[-1].width
    if pen_width is not None:
        width = _finite_numbers(pen_width, 1, "pen width")[0]
    if image is None:
        image = sample_image(strokes, (size[0], size[1]))
    image = np.asarray(image)
    if image.shape != (28, 28) or image.dtype != np.uint8:
        raise SampleError(f"a sample's image must be 28×28 uint8, got {image.dtype} {image.shape}")
    drawn_at = drawn_at or now_text()
    try:
        datetime.fromisoformat(drawn_at)
    except (TypeError, ValueError):
        raise SampleError(f"'{drawn_at}' is not a date and time") from None
    return Sample(0, label, strokes, (size[0], size[1]), width, image.copy(), drawn_at)


def _finite_numbers(value: object, count: int, what: str) -> list[float]:
    values = list(value) if isinstance(value, (list, tuple)) else [value]
    if len(values) != count or not all(
            isinstance(v, (int, float)) and not isinstance(v, bool) and np.isfinite(v)
            for v in values):
        raise SampleError(f"bad {what}: {value!r}")
    return [float(v) for v in values]


def _strokes_text(strokes: Sequence[Stroke]) -> str:
    return json.dumps([s.to_json() for s in strokes], separators=(",", ":"))


def _row_sample(row: tuple, path: Path) -> Sample:
    sample_id, label, strokes, width, height, pen_width, image, drawn_at = row
    try:
        stroke_list = [Stroke.from_json(s) for s in json.loads(strokes)]
        pixels = np.frombuffer(image, np.uint8).reshape(28, 28).copy()
    except (ValueError, KeyError, TypeError) as error:
        raise SampleError(f"{path}: sample {sample_id} is damaged ({error})") from None
    return Sample(sample_id, label, stroke_list, (width, height), pen_width, pixels, drawn_at)
