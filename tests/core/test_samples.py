"""The personal sample store: round trip, migration, crash safety, export and import."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from digitpad.drawing.strokes import Stroke
from digitpad.errors import SampleError
from digitpad.store.sample_file import FORMAT, export_samples, import_samples, read_sample_file
from digitpad.store.samples import SCHEMA_VERSION, SampleStore, sample_image

REPO = Path(__file__).resolve().parents[2]
CANVAS = (400.0, 400.0)


@pytest.fixture(autouse=True)
def private_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Never touch the real user data."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    return tmp_path


def one() -> list[Stroke]:
    return [Stroke([(200, 80), (205, 200), (200, 320)], 20.0)]


def seven() -> list[Stroke]:
    return [Stroke([(120, 90), (280, 90), (190, 320)], 14.0)]


def test_store_lives_in_the_user_data_folder(tmp_path: Path) -> None:
    with SampleStore() as store:
        store.add(1, one(), CANVAS)
        assert store.path == tmp_path / "data" / "digitpad" / "samples.sqlite3"
    assert store.path.exists()


def test_round_trip_keeps_every_field(tmp_path: Path) -> None:
    with SampleStore() as store:
        added = store.add(7, seven(), CANVAS, pen_width=14.0)
    with SampleStore() as store:
        (sample,) = store.samples()
    assert sample.id == added.id and sample.label == 7
    assert sample.strokes == seven()
    assert sample.canvas_size == CANVAS and sample.pen_width == 14.0
    assert sample.image.dtype == np.uint8 and sample.image.shape == (28, 28)
    assert np.array_equal(sample.image, sample_image(seven(), CANVAS))
    assert sample.drawn_at == added.drawn_at and "T" in sample.drawn_at


def test_counts_relabel_and_list_by_digit() -> None:
    with SampleStore() as store:
        a = store.add(1, one(), CANVAS)
        store.add(1, one(), CANVAS)
        store.add(7, seven(), CANVAS)
        assert store.counts() == [0, 2, 0, 0, 0, 0, 0, 1, 0, 0]
        store.relabel(a.id, 4)
        assert store.counts()[1] == 1 and store.counts()[4] == 1
        assert [s.id for s in store.samples(4)] == [a.id]
        assert store.get(a.id).label == 4 and store.get(10_000) is None
        assert len(store) == 3
        with pytest.raises(SampleError, match="digit 0-9"):
            store.relabel(a.id, 10)


def test_delete_can_be_undone_until_the_store_is_reopened() -> None:
    with SampleStore() as store:
        a = store.add(1, one(), CANVAS)
        b = store.add(7, seven(), CANVAS)
        store.delete(a.id)
        assert [s.id for s in store.samples()] == [b.id]
        store.undo_delete(a.id)
        assert [s.id for s in store.samples()] == [a.id, b.id]
        store.delete(b.id)
    with SampleStore() as store:
        assert [s.id for s in store.samples()] == [a.id]
        store.undo_delete(b.id)  # too late: the deletion became final
        assert len(store) == 1


def test_clear_removes_everything() -> None:
    with SampleStore() as store:
        store.add(1, one(), CANVAS)
        store.add(7, seven(), CANVAS)
        assert store.clear() == 2
        assert store.counts() == [0] * 10


def test_a_blank_drawing_or_bad_label_is_refused() -> None:
    with SampleStore() as store:
        with pytest.raises(SampleError, match="empty"):
            store.add(3, [Stroke([(10, 10)], 20.0, eraser=True)], CANVAS)
        with pytest.raises(SampleError, match="digit 0-9"):
            store.add(12, one(), CANVAS)
        with pytest.raises(SampleError, match="canvas size"):
            store.add(1, one(), (0.0, 400.0))
        assert len(store) == 0


def test_an_older_database_is_migrated_forward(tmp_path: Path) -> None:
    # A version-1 database as the first release wrote it, built by hand.
    path = tmp_path / "old.sqlite3"
    image = sample_image(one(), CANVAS)
    db = sqlite3.connect(path)
    db.execute("""CREATE TABLE samples (id INTEGER PRIMARY KEY,
        label INTEGER NOT NULL CHECK (label BETWEEN 0 AND 9), strokes TEXT NOT NULL,
        canvas_width REAL NOT NULL, canvas_height REAL NOT NULL, pen_width REAL NOT NULL,
        image BLOB NOT NULL, drawn_at TEXT NOT NULL)""")
    db.execute("INSERT INTO samples VALUES (5, 1, ?, 400, 400, 20, ?, '2024-05-01T10:00:00')",
               (json.dumps([s.to_json() for s in one()]), image.tobytes()))
    db.execute("PRAGMA user_version = 1")
    db.commit()
    db.close()

    with SampleStore(path) as store:
        (sample,) = store.samples()
        assert (sample.id, sample.label, sample.drawn_at) == (5, 1, "2024-05-01T10:00:00")
        store.delete(5)  # the soft delete the migration added
        assert len(store) == 0
        store.undo_delete(5)
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    db.close()


def test_a_database_from_a_newer_program_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite3"
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.close()
    with pytest.raises(SampleError, match="newer DigitPad"):
        SampleStore(path)


def test_a_damaged_database_is_refused_with_one_line(tmp_path: Path) -> None:
    path = tmp_path / "junk.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(SampleError, match="cannot be opened") as error:
        SampleStore(path)
    assert "\n" not in str(error.value)


# -- crash safety: a child process killed with SIGKILL ---------------------------------

CHILD = r"""
import sys
from digitpad.store.samples import SampleStore, sample_image
from digitpad.drawing.strokes import Stroke
strokes = [Stroke([(200, 80), (205, 200), (200, 320)], 20.0)]
image = sample_image(strokes, (400.0, 400.0))
store = SampleStore(sys.argv[1])
mode = sys.argv[2]
n = 0
while True:
    sample = store.add(n % 10, strokes, (400.0, 400.0), image=image)
    print(sample.id, flush=True)  # only after the commit returned
    n += 1
    if mode == "hold" and n == 25:
        # Stop inside an open transaction with one row written but not committed.
        store._db.execute("BEGIN IMMEDIATE")
        store._insert(sample)
        print("inside", flush=True)
        sys.stdin.read()
"""


def _kill_child_while_writing(path: Path, mode: str, after: int) -> list[int]:
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(path), mode], cwd=REPO,
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                             env={**os.environ, "PYTHONPATH": str(REPO)})
    committed: list[int] = []
    try:
        for line in child.stdout:
            if line.strip() == "inside":
                break
            committed.append(int(line))
            if len(committed) >= after:
                break
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        child.stdout.close()
        child.stdin.close()
    # Anything the child printed before dying was committed too.
    return committed


@pytest.mark.parametrize("mode", ["loop", "hold"])
def test_a_kill_mid_write_keeps_every_committed_sample(tmp_path: Path, mode: str) -> None:
    path = tmp_path / "samples.sqlite3"
    committed = _kill_child_while_writing(path, mode, after=60 if mode == "loop" else 10_000)
    assert len(committed) >= 25
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    db.close()
    with SampleStore(path) as store:
        ids = {s.id for s in store.samples()}
        assert set(committed) <= ids
        # At most the one sample being written when the kill came is extra (it
        # committed, but the child had no time to say so) - never more, never damaged.
        assert len(ids - set(committed)) <= 1
        if mode == "hold":
            assert ids == set(committed)  # the open transaction was rolled back
        assert all(s.image.shape == (28, 28) for s in store.samples())


# -- export and import --------------------------------------------------------------------

def test_export_import_round_trip(tmp_path: Path) -> None:
    file = tmp_path / "mine.digitpad-samples.json"
    with SampleStore(tmp_path / "a.sqlite3") as store:
        store.add(1, one(), CANVAS)
        store.add(7, seven(), CANVAS, pen_width=14.0)
        assert export_samples(store, file) == 2
        originals = store.samples()
    with SampleStore(tmp_path / "b.sqlite3") as other:
        assert import_samples(other, file).added == 2
        copies = other.samples()
    for original, copy in zip(originals, copies, strict=True):
        assert (copy.label, copy.strokes, copy.canvas_size, copy.pen_width, copy.drawn_at) == (
            original.label, original.strokes, original.canvas_size, original.pen_width,
            original.drawn_at)
        assert np.array_equal(copy.image, original.image)
    assert json.loads(file.read_text())["format"] == FORMAT


def _good_document(tmp_path: Path) -> dict:
    file = tmp_path / "good.json"
    with SampleStore(tmp_path / "source.sqlite3") as store:
        store.add(1, one(), CANVAS)
        store.add(7, seven(), CANVAS)
        export_samples(store, file)
    return json.loads(file.read_text())


def _bad(document: dict, **changes) -> dict:
    second = dict(document["samples"][1], **changes)
    return dict(document, samples=[document["samples"][0], second])


BAD_FILES = {
    "not json": ("{oops", "not JSON"),
    "not text": (b"\xff\xfe\x00garbage", "not text"),
    "wrong format": ({"format": "something-else", "version": 1, "samples": []}, "header"),
    "newer version": ({"format": FORMAT, "version": 99, "samples": []}, "newer DigitPad"),
    "no samples list": ({"format": FORMAT, "version": 1}, "no list of samples"),
    "bad label": (lambda d: _bad(d, label=11), "sample 2: .*digit 0-9"),
    "label as text": (lambda d: _bad(d, label="7"), "sample 2: .*digit 0-9"),
    "bad strokes": (lambda d: _bad(d, strokes=[{"points": "x"}]), "sample 2: bad strokes"),
    "NaN point": (lambda d: _bad(d, strokes=[{"points": [[1, "nan"]], "width": 3}]),
                  "sample 2: bad point"),
    "bad image": (lambda d: _bad(d, image="AAAA"), "sample 2: bad image"),
    "bad canvas": (lambda d: _bad(d, canvas_size=[400]), "sample 2: bad canvas size"),
    "bad date": (lambda d: _bad(d, drawn_at="yesterday"), "sample 2: .*date and time"),
    "missing fields": (lambda d: {**d, "samples": [{"label": 1}]}, "sample 1: missing"),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_a_bad_import_file_is_refused_and_nothing_changes(tmp_path: Path, case: str) -> None:
    content, message = BAD_FILES[case]
    if callable(content):
        content = content(_good_document(tmp_path))
    file = tmp_path / "bad.json"
    if isinstance(content, bytes):
        file.write_bytes(content)
    elif isinstance(content, str):
        file.write_text(content)
    else:
        file.write_text(json.dumps(content))
    with SampleStore(tmp_path / "mine.sqlite3") as store:
        store.add(3, one(), CANVAS)
        before = [(s.id, s.label) for s in store.samples()]
        with pytest.raises(SampleError, match=message) as error:
            import_samples(store, file)
        assert [(s.id, s.label) for s in store.samples()] == before
    text = str(error.value)
    assert "\n" not in text and str(file) in text


def test_a_missing_import_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(SampleError, match="no such file"):
        read_sample_file(tmp_path / "nowhere.json")


def test_a_sample_from_an_image_file_has_an_image_and_no_strokes(tmp_path) -> None:
    """`digitpad samples add` stores image files: kept, exported and imported like any."""
    from digitpad.store.sample_file import write_sample_file
    from digitpad.store.samples import checked_sample

    image = np.zeros((28, 28), np.uint8)
    image[5:20, 12:16] = 255
    sample = checked_sample(1, [], (120.0, 90.0), image=image)
    assert sample.strokes == [] and sample.pen_width == 1.0
    with pytest.raises(SampleError, match="at least one stroke"):
        checked_sample(1, [], (120.0, 90.0))  # neither strokes nor an image
    with SampleStore(tmp_path / "a.sqlite3") as store:
        store.add_many([sample])
        (stored,) = store.samples()
        assert stored.strokes == [] and np.array_equal(stored.image, image)
        write_sample_file(store.samples(), tmp_path / "backup.json")
    with SampleStore(tmp_path / "b.sqlite3") as other:
        assert import_samples(other, tmp_path / "backup.json").added == 1
        assert np.array_equal(other.samples()[0].image, image)
