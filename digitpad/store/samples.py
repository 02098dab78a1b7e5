"""The user's own handwriting: samples taught from the Draw tab, kept in SQLite.

Each sample keeps its strokes (vectors, so fine-tuning can re-render them with
other pen widths), the canvas size and pen width, the 28×28 image the network
saw, the label and when it was drawn.

Why SQLite: every write is one transaction, and with the write-ahead log and
``synchronous=FULL`` a crash or kill in the middle of a write loses at most that
one sample, never the others. The schema version lives in ``PRAGMA
user_version``; `MIGRATIONS` brings any older database forward step by step.

Deleting is a soft delete (the row is marked, not removed) so the My samples
view can undo it. A marked row is purged only when no undo can reach it any
more: when the store that deleted it is closed, or, if that DigitPad died, when
the next store opens. Each open store is a *session* holding an flock on its
own file in ``<database>.sessions/``; the kernel drops it when the process
dies, which is how a later store tells a dead session from a living one.

Two DigitPads may share the database: SQLite serialises their writes, a busy
database makes a writer wait at most `BUSY_SECONDS` (then one line says so),
and a database the user may only read is opened read-only and says so on any
change.
"""

from __future__ import annotations

import json
import math
import os
import sqlite3
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import quote

import cv2
import numpy as np

from digitpad.drawing.preprocess import preprocess
from digitpad.drawing.strokes import Stroke, render_strokes
from digitpad.errors import SampleError
from digitpad.store.paths import user_data_dir

try:
    import fcntl
except ImportError:  # not on Windows: there deletions wait for the store's own close
    fcntl = None

DATABASE_FILE = "samples.sqlite3"
IMAGE_BYTES = 28 * 28
# How long a write waits for another DigitPad's write: long enough for any one
# sample, short enough that a window never freezes for long behind a stuck one.
BUSY_SECONDS = 2.0
# Beyond these a drawing is not one a person made, and rendering it would
# overflow OpenCV's coordinates or line widths.
MAX_CANVAS_SIDE = 100_000.0
MAX_REACH = 10  # points may lie this many canvas sizes away, no further
# A digit drawn for a minute at a tablet's 125 points a second has 7,500 points;
# a sample with millions would take seconds to render and hundreds of MB to hold.
MAX_POINTS = 20_000


@dataclass(frozen=True)
class Sample:
    id: int
    label: int
    strokes: list[Stroke]  # none for a sample read from an image file: only its image
    canvas_size: tuple[float, float]
    pen_width: float
    image: np.ndarray  # (28, 28) uint8, ink high: what the network saw
    drawn_at: str  # ISO 8601, UTC
    # Kept through export and import, so a backup imported twice adds nothing twice.
    uuid: str = ""


def sample_image(strokes: Sequence[Stroke], canvas_size: tuple[float, float]) -> np.ndarray:
    """The 28×28 uint8 image the network reads for these strokes (SampleError if blank)."""
    try:
        processed = preprocess(render_strokes(strokes, canvas_size))
    except (cv2.error, OverflowError, ValueError) as error:
        raise SampleError(f"the drawing cannot be rendered ({_first_line(error)})") from None
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


def _add_deleting_session(db: sqlite3.Connection) -> None:
    db.execute("ALTER TABLE samples ADD COLUMN deleted_by TEXT")


def _add_identity(db: sqlite3.Connection) -> None:
    db.execute("ALTER TABLE samples ADD COLUMN uuid TEXT")
    db.execute("UPDATE samples SET uuid = lower(hex(randomblob(16)))")
    db.execute("CREATE UNIQUE INDEX samples_by_uuid ON samples (uuid)")


MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [
    _create_samples, _add_soft_delete, _add_deleting_session, _add_identity]
SCHEMA_VERSION = len(MIGRATIONS)


class SampleStore:
    """The personal samples in one SQLite file (by default in the user data folder)."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path is not None else user_data_dir() / DATABASE_FILE
        self.session = uuid.uuid4().hex
        self._session_fd: int | None = None
        self._db: sqlite3.Connection | None = None
        self.read_only = self.path.exists() and not (
            os.access(self.path, os.W_OK) and os.access(self.path.parent, os.W_OK))
        try:
            if self.read_only:
                self._open_read_only()
            else:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                # isolation_level=None: we open and commit every transaction ourselves.
                self._db = sqlite3.connect(self.path, isolation_level=None,
                                           timeout=BUSY_SECONDS)
                self._use_write_ahead_log()
                self._db.execute("PRAGMA synchronous=FULL")
                self._migrate()
                self._join_sessions()
            self._columns = {row[1] for row in self._db.execute("PRAGMA table_info(samples)")}
        except sqlite3.DatabaseError as error:
            self._close_quietly()
            raise SampleError(f"{self.path}: the sample database cannot be opened "
                              f"({_first_line(error)})") from None
        except OSError as error:
            self._close_quietly()
            raise SampleError(f"{self.path}: cannot be created ({error.strerror or error})") \
                from None
        except SampleError:
            self._close_quietly()
            raise

    def _use_write_ahead_log(self) -> None:
        # Switching a new file to WAL needs it to itself for a moment, and SQLite
        # answers "locked" at once rather than through the busy timeout when
        # another DigitPad is opening the same new file: wait here instead.
        deadline = time.monotonic() + BUSY_SECONDS
        while True:
            try:
                self._db.execute("PRAGMA journal_mode=WAL")
                return
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) or time.monotonic() > deadline:
                    raise
                time.sleep(0.01)

    @property
    def read_only_note(self) -> str:
        """One line for the user if the samples can be read but not changed, else ""."""
        return (f"{self.path}: read-only, so your samples are shown but cannot be changed"
                if self.read_only else "")

    def _open_read_only(self) -> None:
        version = 0
        # A WAL database needs its -shm file to be read; where that cannot be made
        # (a read-only folder) the file is read as it is ("immutable").
        for flags in ("mode=ro", "mode=ro&immutable=1"):
            try:
                self._db = sqlite3.connect(f"file:{quote(str(self.path))}?{flags}", uri=True,
                                           isolation_level=None, timeout=BUSY_SECONDS)
                version = self._db.execute("PRAGMA user_version").fetchone()[0]
                break
            except sqlite3.OperationalError:
                self._close_quietly()
                if flags.endswith("immutable=1"):
                    raise
        if version > SCHEMA_VERSION:
            raise SampleError(f"{self.path}: written by a newer DigitPad (samples format "
                              f"{version}); please update DigitPad")
        if version == 0:
            raise SampleError(f"{self.path}: read-only and empty, so no samples can be kept")

    def close(self) -> None:
        """Close the store; its deletions become final (no undo can reach them now)."""
        if self._db is None:
            return
        if not self.read_only:
            try:
                with self._transaction():
                    self._db.execute("DELETE FROM samples WHERE deleted_by = ?",
                                     (self.session,))
            except SampleError:
                pass  # a locked or full database: the next store to open purges them
        self._close_quietly()

    def _close_quietly(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
        if self._session_fd is not None:
            try:
                os.unlink(self._sessions_dir() / f"{self.session}.lock")
            except OSError:
                pass
            os.close(self._session_fd)
            self._session_fd = None

    # -- sessions: which deletions an undo can still reach --------------------------

    def _sessions_dir(self) -> Path:
        return self.path.with_name(self.path.name + ".sessions")

    def _join_sessions(self) -> None:
        """Register this store as a living session, then purge what dead ones deleted."""
        if fcntl is not None:
            folder = self._sessions_dir()
            folder.mkdir(exist_ok=True)
            # Locked under a temporary name and only then renamed, so no other
            # store ever sees this session's file unlocked and takes it for dead.
            temporary = folder / f".{self.session}.new"
            fd = os.open(temporary, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                os.replace(temporary, folder / f"{self.session}.lock")
            except OSError:
                os.close(fd)
                raise
            self._session_fd = fd
        dead = {token for (token,) in self._db.execute(
            "SELECT DISTINCT deleted_by FROM samples WHERE deleted_at IS NOT NULL")
            if not self._session_alive(token)}
        if dead:
            with self._transaction():
                for token in dead:
                    # NULL: deleted by a DigitPad from before sessions, closed since.
                    self._db.execute("DELETE FROM samples WHERE deleted_at IS NOT NULL AND "
                                     "deleted_by IS ?", (token,))
        self._forget_dead_sessions()

    def _session_alive(self, token: str | None) -> bool:
        if token is None or fcntl is None:
            return False
        try:
            fd = os.open(self._sessions_dir() / f"{token}.lock", os.O_RDONLY)
        except OSError:
            return False
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return False
        except OSError:
            return True
        finally:
            os.close(fd)

    def _forget_dead_sessions(self) -> None:
        """Remove the files of sessions that died without closing."""
        if fcntl is None:
            return
        for path in self._sessions_dir().glob("*.lock"):
            try:
                fd = os.open(path, os.O_RDONLY)
            except OSError:
                continue
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                path.unlink()  # dead: nobody else will ever lock it again
            except OSError:
                pass  # alive, or already removed by another store
            finally:
                os.close(fd)

    def __enter__(self) -> SampleStore:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def _transaction(self) -> _Transaction:
        if self.read_only:
            raise SampleError(f"{self.path}: read-only, the samples cannot be changed")
        return _Transaction(self._db, self.path)

    def _migrate(self) -> None:
        if self._db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION:
            return
        with self._transaction():
            # Read again under the write lock: another DigitPad opening the same
            # new file at the same moment may have migrated it in between.
            version = self._db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise SampleError(f"{self.path}: written by a newer DigitPad (samples format "
                                  f"{version}); please update DigitPad")
            for step in range(version, SCHEMA_VERSION):
                MIGRATIONS[step](self._db)
            # PRAGMA cannot take parameters; SCHEMA_VERSION is our own integer.
            self._db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    # -- writing -----------------------------------------------------------------

    def add(self, label: int, strokes: Sequence[Stroke], canvas_size: tuple[float, float],
            pen_width: float | None = None, image: np.ndarray | None = None,
            drawn_at: str | None = None) -> Sample:
        """Store one drawing as a sample of `label`; its image is made from the strokes
        unless given. One transaction: it is either all there or not at all."""
        sample = checked_sample(label, list(strokes), canvas_size, pen_width, image, drawn_at)
        sample = replace(sample, uuid=uuid.uuid4().hex)
        with self._transaction():
            row_id = self._insert(sample)
        return replace(sample, id=row_id)

    def _insert(self, sample: Sample) -> int:
        cursor = self._db.execute(
            "INSERT INTO samples (label, strokes, canvas_width, canvas_height, pen_width, image,"
            " drawn_at, uuid) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (sample.label, _strokes_text(sample.strokes), sample.canvas_size[0],
             sample.canvas_size[1], sample.pen_width, sample.image.tobytes(), sample.drawn_at,
             sample.uuid or uuid.uuid4().hex))
        return int(cursor.lastrowid)

    def relabel(self, sample_id: int, label: int) -> None:
        _check_label(label)
        with self._transaction():
            self._db.execute("UPDATE samples SET label = ? WHERE id = ?", (label, sample_id))

    def delete(self, sample_id: int) -> None:
        """Delete a sample; `undo_delete` brings it back until this store is closed."""
        with self._transaction():
            self._db.execute("UPDATE samples SET deleted_at = ?, deleted_by = ? "
                             "WHERE id = ? AND deleted_at IS NULL",
                             (now_text(), self.session, sample_id))

    def undo_delete(self, sample_id: int) -> bool:
        """Bring a deleted sample back; False if it is gone for good (never say "Restored")."""
        with self._transaction():
            return self._db.execute(
                "UPDATE samples SET deleted_at = NULL, deleted_by = NULL "
                "WHERE id = ? AND deleted_at IS NOT NULL", (sample_id,)).rowcount > 0

    def clear(self) -> int:
        """Remove every sample for good; returns how many there were."""
        with self._transaction():
            return self._db.execute("DELETE FROM samples").rowcount

    def add_many(self, samples: Sequence[Sample]) -> int:
        """Add already checked samples in one transaction: all of them or none.
        Samples already here (the same uuid, even if deleted) are skipped; returns
        how many were added."""
        added = 0
        with self._transaction():
            for sample in samples:
                if sample.uuid and self._db.execute(
                        "SELECT 1 FROM samples WHERE uuid = ?", (sample.uuid,)).fetchone():
                    continue
                self._insert(sample)
                added += 1
        return added

    # -- reading -----------------------------------------------------------------

    def samples(self, label: int | None = None) -> list[Sample]:
        """The samples (of one digit, if given), oldest first."""
        if label is None:
            return self._select("", ())
        return self._select(" AND label = ?", (label,))

    def get(self, sample_id: int) -> Sample | None:
        found = self._select(" AND id = ?", (sample_id,))
        return found[0] if found else None

    def damaged(self) -> list[str]:
        """One line naming each stored sample that cannot be read (`samples` skips them)."""
        problems = []
        for row in self._rows("", ()):
            try:
                _row_sample(row)
            except SampleError as error:
                problems.append(f"{self.path}: sample {row[0]} is damaged ({error})")
        return problems

    def _select(self, condition: str, parameters: tuple) -> list[Sample]:
        """The readable samples: one damaged row must not hide all the others."""
        found = []
        for row in self._rows(condition, parameters):
            try:
                found.append(_row_sample(row))
            except SampleError:
                continue
        return found

    def _rows(self, condition: str, parameters: tuple) -> list[tuple]:
        # A read-only database from an older DigitPad lacks the newer columns.
        live = "deleted_at IS NULL" if "deleted_at" in self._columns else "1"
        identity = "uuid" if "uuid" in self._columns else "''"
        try:
            return self._db.execute(
                "SELECT id, label, strokes, canvas_width, canvas_height, pen_width, image, "
                f"drawn_at, {identity} FROM samples WHERE {live}" + condition + " ORDER BY id",
                parameters).fetchall()
        except sqlite3.Error as error:
            raise SampleError(f"{self.path}: the samples cannot be read "
                              f"({_first_line(error)})") from None

    def counts(self) -> list[int]:
        """How many samples of each digit 0..9."""
        counts = [0] * 10
        live = "deleted_at IS NULL" if "deleted_at" in self._columns else "1"
        try:
            rows = self._db.execute(
                f"SELECT label, COUNT(*) FROM samples WHERE {live} GROUP BY label").fetchall()
        except sqlite3.Error as error:
            raise SampleError(f"{self.path}: the samples cannot be read "
                              f"({_first_line(error)})") from None
        for label, count in rows:
            if isinstance(label, int) and 0 <= label <= 9:
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
        text = _first_line(error)
        if "locked" in text or "busy" in text:
            return SampleError(f"{self._path}: another program is using the samples "
                               f"({text}); try again in a moment")
        return SampleError(f"{self._path}: the samples cannot be saved ({text})")


# -- checking and converting -------------------------------------------------------

def _check_label(label: object) -> int:
    if isinstance(label, bool) or not isinstance(label, (int, np.integer)) or not 0 <= label <= 9:
        raise SampleError(f"a sample's label must be a digit 0-9, got {label!r}")
    return int(label)


def checked_sample(label: object, strokes: list[Stroke], canvas_size: object,
                   pen_width: object = None, image: np.ndarray | None = None,
                   drawn_at: str | None = None) -> Sample:
    """A Sample (id 0, not stored yet) after checking every field; SampleError if any is bad.

    A sample read from an image file (`digitpad samples add`) has no strokes, only
    its image; the canvas size is then the image's and the pen width nominal."""
    label = _check_label(label)
    if not all(isinstance(s, Stroke) for s in strokes) or (not strokes and image is None):
        raise SampleError("a sample needs at least one stroke")
    size = _finite_numbers(canvas_size, 2, "canvas size")
    if min(size) <= 0:
        raise SampleError(f"the canvas size must be positive, got {size}")
    if max(size) > MAX_CANVAS_SIDE or min(size) < 1:
        raise SampleError(f"implausible canvas size {size[0]:g}×{size[1]:g} "
                          f"(1 to {MAX_CANVAS_SIDE:g} a side)")
    side = max(size)
    points = sum(len(stroke.points) for stroke in strokes)
    if points > MAX_POINTS:
        raise SampleError(f"{points:,} points is far more than a drawing has "
                          f"(at most {MAX_POINTS:,})")
    for stroke in strokes:
        if not stroke.points:
            raise SampleError("a stroke without points")
        _pen_width(stroke.width, side)
        for point in stroke.points:
            x, y = _finite_numbers(point, 2, "point")
            if max(abs(x), abs(y)) > MAX_REACH * side:
                raise SampleError(f"point ({x:g}, {y:g}) lies far outside the "
                                  f"{size[0]:g}×{size[1]:g} canvas")
    width = strokes[-1].width if strokes else 1.0
    if pen_width is not None:
        width = _pen_width(pen_width, side)
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


def _pen_width(value: object, canvas_side: float) -> float:
    (width,) = _finite_numbers(value, 1, "pen width")
    if not 0 < width <= canvas_side:
        raise SampleError(f"implausible pen width {width:g} on a canvas {canvas_side:g} wide")
    return width


def _first_line(error: BaseException) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0]


def _finite_numbers(value: object, count: int, what: str) -> list[float]:
    values = list(value) if isinstance(value, (list, tuple)) else [value]
    if len(values) != count or not all(
            isinstance(v, (int, float)) and not isinstance(v, bool) and np.isfinite(v)
            for v in values):
        raise SampleError(f"bad {what}: {value!r}")
    return [float(v) for v in values]


def _strokes_text(strokes: Sequence[Stroke]) -> str:
    return json.dumps([s.to_json() for s in strokes], separators=(",", ":"))


def _row_sample(row: tuple) -> Sample:
    """The Sample of a database row; SampleError saying what is wrong if it is damaged."""
    sample_id, label, strokes, width, height, pen_width, image, drawn_at, identity = row
    if isinstance(label, bool) or not isinstance(label, int) or not 0 <= label <= 9:
        raise SampleError(f"label {label!r}")
    numbers = (width, height, pen_width)
    if not all(isinstance(v, (int, float)) and math.isfinite(v) and v > 0 for v in numbers):
        raise SampleError(f"canvas {width!r}×{height!r}, pen {pen_width!r}")
    if not isinstance(drawn_at, str) or not isinstance(image, bytes) \
            or len(image) != IMAGE_BYTES:
        raise SampleError("image or date")
    try:
        stroke_list = [Stroke.from_json(s) for s in json.loads(strokes)]
    except RecursionError:
        raise SampleError("strokes nested too deeply") from None
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise SampleError(f"strokes: {_first_line(error)}") from None
    pixels = np.frombuffer(image, np.uint8).reshape(28, 28).copy()
    return Sample(sample_id, label, stroke_list, (float(width), float(height)),
                  float(pen_width), pixels, drawn_at, identity or "")
