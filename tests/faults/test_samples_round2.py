"""Round 2 (issue 16) for the sample store: two DigitPads on one database,
damaged rows, a locked or read-only database, hostile sample files, and
importing the same backup twice."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from digitpad.drawing.strokes import Stroke
from digitpad.errors import SampleError
from digitpad.store.sample_file import FORMAT, export_samples, import_samples
from digitpad.store.samples import SCHEMA_VERSION, SampleStore

REPO = Path(__file__).resolve().parents[2]
CANVAS = (400.0, 400.0)
ENV = {**os.environ, "PYTHONPATH": str(REPO)}


def one() -> list[Stroke]:
    return [Stroke([(200, 80), (205, 200), (200, 320)], 20.0)]


def seven() -> list[Stroke]:
    return [Stroke([(120, 90), (280, 90), (190, 320)], 14.0)]


def _python(code: str, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", code, *args], cwd=REPO, env=ENV,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def _rows_in_file(path: Path) -> int:
    """Every row, soft-deleted or not: what is really still on disk."""
    db = sqlite3.connect(path)
    try:
        return db.execute("SELECT COUNT(*) FROM samples").fetchone()[0]
    finally:
        db.close()


# -- item 3: an undo is never lost to another DigitPad starting ----------------------

OPEN_AND_CLOSE = r"""
import sys
from digitpad.store.samples import SampleStore
with SampleStore(sys.argv[1]) as store:
    print(len(store), flush=True)
"""


def test_undo_after_another_digitpad_started_brings_the_sample_back(tmp_path: Path) -> None:
    path = tmp_path / "samples.sqlite3"
    with SampleStore(path) as store:
        kept = store.add(1, one(), CANVAS)
        deleted = store.add(7, seven(), CANVAS)
        store.delete(deleted.id)
        other = _python(OPEN_AND_CLOSE, str(path))
        out, err = other.communicate(timeout=60)
        assert other.returncode == 0, err
        assert out.strip() == "1"  # the other DigitPad does not see the deleted one
        assert store.undo_delete(deleted.id) is True
        assert [s.id for s in store.samples()] == [kept.id, deleted.id]


DELETE_AND_DIE = r"""
import sys
from digitpad.drawing.strokes import Stroke
from digitpad.store.samples import SampleStore
store = SampleStore(sys.argv[1])
strokes = [Stroke([(200, 80), (205, 200), (200, 320)], 20.0)]
store.add(1, strokes, (400.0, 400.0))
store.delete(store.add(1, strokes, (400.0, 400.0)).id)
print("deleted", flush=True)
sys.stdin.readline()
"""


def test_the_deletions_of_a_digitpad_that_died_are_purged_by_the_next_one(
        tmp_path: Path) -> None:
    path = tmp_path / "samples.sqlite3"
    child = _python(DELETE_AND_DIE, str(path))
    try:
        assert child.stdout.readline().strip() == "deleted"
        with SampleStore(path) as store:  # the deleting DigitPad is alive: nothing purged
            assert len(store) == 1 and _rows_in_file(path) == 2
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.communicate()
    with SampleStore(path) as store:  # now no undo can reach its deletion any more
        assert len(store) == 1 and _rows_in_file(path) == 1
    sessions = path.with_name(path.name + ".sessions")
    assert list(sessions.iterdir()) == []  # the dead one's file is gone too


def test_a_closed_store_makes_its_own_deletions_final(tmp_path: Path) -> None:
    path = tmp_path / "samples.sqlite3"
    with SampleStore(path) as store:
        sample = store.add(1, one(), CANVAS)
        store.delete(sample.id)
        watcher = SampleStore(path)  # another store open at the same time
    assert _rows_in_file(path) == 0
    assert watcher.undo_delete(sample.id) is False  # gone for good, and it says so
    watcher.close()


# -- item 4: two DigitPads opening a fresh database at once ---------------------------

OPEN_ON_CUE = r"""
import sys
from digitpad.errors import SampleError
from digitpad.store.samples import SampleStore
print("ready", flush=True)
for line in sys.stdin:
    try:
        SampleStore(line.strip()).close()
        print("ok", flush=True)
    except SampleError as error:
        print(f"error: {error}", flush=True)
"""


def test_two_digitpads_opening_a_new_database_at_once_both_can_teach(tmp_path: Path) -> None:
    children = [_python(OPEN_ON_CUE) for _ in range(3)]
    try:
        for child in children:
            assert child.stdout.readline().strip() == "ready"
        for number in range(30):
            path = tmp_path / f"fresh-{number}.sqlite3"
            for child in children:  # as close together as three pipes allow
                child.stdin.write(f"{path}\n")
            for child in children:
                child.stdin.flush()
            answers = [child.stdout.readline().strip() for child in children]
            assert answers == ["ok"] * len(children), (number, answers)
            with SampleStore(path) as store:
                store.add(1, one(), CANVAS)
                assert len(store) == 1
    finally:
        for child in children:
            child.stdin.close()
            child.wait(timeout=60)
            child.stdout.close()
            child.stderr.close()


# -- item 9: damaged rows, a locked database, a read-only one -------------------------

DAMAGE = {
    "strokes nested too deeply": ("strokes", "[" * 100_000 + "]" * 100_000),
    "strokes not JSON": ("strokes", "{no"),
    "strokes of the wrong shape": ("strokes", '[{"points": 5, "width": 2}]'),
    "an image too short": ("image", b"\x00" * 10),
    "a canvas width that is text": ("canvas_width", "wide"),
    "a label that is text": ("label", "seven"),
    "a date that is bytes": ("drawn_at", b"\xff"),
}


@pytest.mark.parametrize("case", sorted(DAMAGE))
def test_one_damaged_sample_hides_none_of_the_others_and_is_named(
        tmp_path: Path, case: str) -> None:
    path = tmp_path / "samples.sqlite3"
    with SampleStore(path) as store:
        first = store.add(1, one(), CANVAS)
        bad = store.add(7, seven(), CANVAS)
        last = store.add(7, seven(), CANVAS)
    column, value = DAMAGE[case]
    db = sqlite3.connect(path)
    db.execute("PRAGMA ignore_check_constraints = 1")
    db.execute(f"UPDATE samples SET {column} = ? WHERE id = ?", (value, bad.id))
    db.commit()
    db.close()
    with SampleStore(path) as store:
        assert [s.id for s in store.samples()] == [first.id, last.id]
        assert [s.id for s in store.samples(7)] == [last.id]
        (problem,) = store.damaged()
        assert f"sample {bad.id} is damaged" in problem and str(path) in problem
        assert "\n" not in problem
        export_samples(store, tmp_path / "backup.json")  # the rest can still be saved


LOCK_AND_WAIT = r"""
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN IMMEDIATE")
db.execute("UPDATE samples SET label = label")
print("locked", flush=True)
sys.stdin.readline()
"""


def test_a_database_locked_by_another_program_is_one_line_soon(tmp_path: Path) -> None:
    path = tmp_path / "samples.sqlite3"
    with SampleStore(path) as store:
        sample = store.add(1, one(), CANVAS)
        child = _python(LOCK_AND_WAIT, str(path))
        try:
            assert child.stdout.readline().strip() == "locked"
            started = time.monotonic()
            with pytest.raises(SampleError, match="another program is using the samples") \
                    as error:
                store.delete(sample.id)
            # Not a benchmark: the window froze for 10 s before; anything near that is the bug.
            assert time.monotonic() - started < 8
            assert "\n" not in str(error.value) and str(path) in str(error.value)
            assert len(store) == 1  # reading still works meanwhile
        finally:
            child.communicate("\n", timeout=60)
        store.delete(sample.id)  # and writing once the other program is done
        assert len(store) == 0


@pytest.fixture
def read_only(monkeypatch: pytest.MonkeyPatch):
    """Make a path read-only for this process. Root may write anything, so under
    root the store is told so through os.access, the same question it asks."""
    def make(path: Path) -> None:
        if os.geteuid() != 0:
            path.chmod(0o555 if path.is_dir() else 0o444)
            return
        real_access = os.access
        monkeypatch.setattr(os, "access", lambda p, mode, **kw: (
            False if mode & os.W_OK and Path(p) == path else real_access(p, mode, **kw)))

    yield make


@pytest.mark.parametrize("what", ["file", "folder"])
def test_a_read_only_database_shows_its_samples_and_says_it_is_read_only(
        tmp_path: Path, read_only, what: str) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    path = folder / "samples.sqlite3"
    with SampleStore(path) as store:
        store.add(1, one(), CANVAS)
        store.add(7, seven(), CANVAS)
    read_only(path if what == "file" else folder)
    try:
        with SampleStore(path) as store:
            assert store.read_only and "read-only" in store.read_only_note
            assert store.counts()[1] == 1 and store.counts()[7] == 1
            assert [s.label for s in store.samples()] == [1, 7]
            with pytest.raises(SampleError, match="read-only") as error:
                store.add(3, seven(), CANVAS)
            assert "\n" not in str(error.value)
            with pytest.raises(SampleError, match="read-only"):
                store.delete(1)
    finally:
        folder.chmod(0o755)
        path.chmod(0o644)


# -- item 9: hostile sample files -----------------------------------------------------

def _sample(**changes) -> dict:
    entry = {"label": 1, "strokes": [{"points": [[200, 80], [205, 200]], "width": 20}],
             "canvas_size": [400, 400], "pen_width": 20}
    entry.update(changes)
    return entry


HOSTILE_FILES = {
    "nested JSON": '{"format": "digitpad-samples", "version": 1, "samples": '
                   + "[" * 100_000 + "]" * 100_000 + "}",
    "a pen a billion wide": [_sample(strokes=[{"points": [[200, 80], [205, 200]],
                                               "width": 1e9}])],
    "a pen width beyond the canvas": [_sample(pen_width=1e300)],
    "a canvas a trillion wide": [_sample(canvas_size=[1e12, 1e12])],
    "a canvas smaller than a pixel": [_sample(canvas_size=[1e-300, 1e-300])],
    "points far off the canvas": [_sample(strokes=[{"points": [[1e15, -1e15], [0, 0]],
                                                    "width": 20}])],
}


@pytest.mark.parametrize("case", sorted(HOSTILE_FILES))
def test_a_hostile_samples_file_is_one_line_and_imports_nothing(
        tmp_path: Path, case: str) -> None:
    file = tmp_path / "hostile.json"
    content = HOSTILE_FILES[case]
    if isinstance(content, str):
        file.write_text(content)
    else:
        file.write_text(json.dumps({"format": FORMAT, "version": 1, "samples": content}))
    with SampleStore(tmp_path / "samples.sqlite3") as store:
        with pytest.raises(SampleError) as error:
            import_samples(store, file)
        assert str(file) in str(error.value) and "\n" not in str(error.value)
        assert len(store) == 0


def test_hostile_strokes_drawn_directly_are_refused_too(tmp_path: Path) -> None:
    with SampleStore(tmp_path / "samples.sqlite3") as store:
        with pytest.raises(SampleError, match="pen width"):
            store.add(1, [Stroke([(200, 80), (205, 200)], 1e9)], CANVAS)
        assert len(store) == 0


# -- item 12: the same backup imported twice ------------------------------------------

def test_importing_the_same_backup_twice_adds_each_sample_once(tmp_path: Path) -> None:
    backup = tmp_path / "backup.json"
    with SampleStore(tmp_path / "mine.sqlite3") as store:
        store.add(1, one(), CANVAS)
        store.add(7, seven(), CANVAS)
        assert export_samples(store, backup) == 2
        assert import_samples(store, backup) == (0, 2)  # into the database it came from
        assert len(store) == 2
    with SampleStore(tmp_path / "other.sqlite3") as other:
        other.add(3, seven(), CANVAS)
        assert import_samples(other, backup) == (2, 0)
        assert import_samples(other, backup) == (0, 2)
        assert other.counts() == [0, 1, 0, 1, 0, 0, 0, 1, 0, 0]
        # A deleted sample is still the same sample: importing does not resurrect it twice.
        first = other.samples(1)[0]
        other.delete(first.id)
        assert import_samples(other, backup) == (0, 2)
        assert other.undo_delete(first.id)
        assert len(other) == 3


def test_samples_stored_before_identities_get_one_each(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    with SampleStore(path) as store:
        store.add(1, one(), CANVAS)
        store.add(7, seven(), CANVAS)
    db = sqlite3.connect(path)  # back to format 2, as DigitPad wrote it before
    db.execute("DROP INDEX samples_by_uuid")
    db.execute("ALTER TABLE samples DROP COLUMN uuid")
    db.execute("ALTER TABLE samples DROP COLUMN deleted_by")
    db.execute("PRAGMA user_version = 2")
    db.commit()
    db.close()
    with SampleStore(path) as store:
        identities = {s.uuid for s in store.samples()}
        assert len(identities) == 2 and "" not in identities
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    db.close()


# --- item 6: samples files that would take gigabytes or freeze the window --------------------


def test_a_sample_with_a_million_points_is_refused_in_one_line(tmp_path: Path) -> None:
    points = [[float(i % 400), float(i % 397)] for i in range(1_000_000)]
    path = tmp_path / "dense.digitpad-samples.json"
    path.write_text(json.dumps({"format": FORMAT, "version": 1, "samples": [
        {"label": 3, "strokes": [{"points": points, "width": 20.0}], "canvas_size": [400, 400]},
    ]}))
    store = SampleStore(tmp_path / "samples.db")
    with pytest.raises(SampleError) as raised:
        import_samples(store, path)
    assert str(raised.value) == (f"{path}: sample 1: 1,000,000 points is far more than a "
                                 f"drawing has (at most 20,000)")
    assert store.samples() == []


def test_a_samples_file_too_large_to_hold_is_refused_before_reading(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The real limit is 64 MB; a smaller one shows the same check without writing 64 MB.
    monkeypatch.setattr("digitpad.store.sample_file.MAX_FILE_BYTES", 1000)
    path = tmp_path / "big.digitpad-samples.json"
    path.write_text(json.dumps({"format": FORMAT, "version": 1, "samples": []}) + " " * 1000)
    with pytest.raises(SampleError, match=r"bytes is far too large for a samples file"):
        import_samples(SampleStore(tmp_path / "samples.db"), path)

