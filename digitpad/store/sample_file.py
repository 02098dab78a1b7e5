"""Personal samples as one file, to back them up or carry them to another computer.

The file is JSON: a header (``format``, ``version``, ``exported``) and the list
of samples, each with its label, strokes, canvas size, pen width, the time it
was drawn and its 28×28 image (base64, so the file shows exactly what the
network saw even if preprocessing changes later).

Import is all or nothing: the whole file is read and every sample checked
before the first one is stored, and they are stored in one transaction. A bad
file is refused with one line naming the file and what is wrong.

Each sample carries its ``uuid``, so importing a backup twice (or into the
database it came from) adds nothing twice: samples already present are skipped
and counted.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import NamedTuple

import numpy as np

from digitpad.drawing.strokes import Stroke
from digitpad.errors import SampleError
from digitpad.store.samples import IMAGE_BYTES, Sample, SampleStore, checked_sample, now_text
from trainer.files import atomic_write, read_user_file

FORMAT = "digitpad-samples"
VERSION = 1
SUFFIX = ".digitpad-samples.json"
# Tens of thousands of drawn samples fit in this; parsed, JSON takes about 16
# times its size in memory, so a larger file is refused before it is read.
MAX_FILE_BYTES = 64 * 1024 * 1024


def export_samples(store: SampleStore, path: str | Path) -> int:
    """Write every sample in `store` to `path` (atomically); returns how many."""
    return write_sample_file(store.samples(), path)


def write_sample_file(samples: Sequence[Sample], path: str | Path) -> int:
    """Write `samples` to `path` (atomically); returns how many."""
    path = Path(path)
    document = {
        "format": FORMAT,
        "version": VERSION,
        "exported": now_text(),
        "samples": [_sample_json(s) for s in samples],
    }
    atomic_write(path, json.dumps(document, separators=(",", ":")).encode("utf-8"),
                 error=SampleError)
    return len(samples)


class ImportResult(NamedTuple):
    added: int
    skipped: int  # already in the store (the same sample imported before)


def import_samples(store: SampleStore, path: str | Path) -> ImportResult:
    """Add the samples in `path` to `store`; all of them or, if anything is wrong, none.
    Samples the store already holds are skipped, not added twice."""
    samples = read_sample_file(path)
    added = store.add_many(samples)
    return ImportResult(added, len(samples) - added)


def read_sample_file(path: str | Path) -> list[Sample]:
    """Read and check a samples file completely; SampleError with one line if it is bad."""
    path = Path(path)
    document = _read_json(path)
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise SampleError(f"{path}: not a DigitPad samples file (no '{FORMAT}' header)")
    version = document.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise SampleError(f"{path}: damaged header (version {version!r})")
    if version > VERSION:
        raise SampleError(f"{path}: written by a newer DigitPad (samples file version "
                          f"{version}); please update DigitPad")
    entries = document.get("samples")
    if not isinstance(entries, list):
        raise SampleError(f"{path}: damaged file (no list of samples)")
    samples = []
    for number, entry in enumerate(entries, 1):
        try:
            samples.append(_parse_sample(entry))
        except SampleError as error:
            raise SampleError(f"{path}: sample {number}: {error}") from None
        entries[number - 1] = None  # its JSON is no longer needed: keep the peak low
    return samples


def _read_json(path: Path) -> object:
    data = read_user_file(path, kind="a samples file", limit=MAX_FILE_BYTES, error=SampleError)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise SampleError(f"{path}: not a DigitPad samples file (not text)") from None
    try:
        return json.loads(text)
    except ValueError as error:
        raise SampleError(f"{path}: not a DigitPad samples file (not JSON: {error})") from None
    except RecursionError:
        raise SampleError(f"{path}: not a DigitPad samples file (nested too deeply)") from None


def _sample_json(sample: Sample) -> dict:
    return {
        "label": sample.label,
        "strokes": [s.to_json() for s in sample.strokes],
        "canvas_size": list(sample.canvas_size),
        "pen_width": sample.pen_width,
        "drawn_at": sample.drawn_at,
        "image": base64.b64encode(sample.image.tobytes()).decode("ascii"),
        "uuid": sample.uuid,
    }


def _parse_sample(entry: object) -> Sample:
    if not isinstance(entry, dict):
        raise SampleError("not an object")
    missing = {"label", "strokes", "canvas_size"} - entry.keys()
    if missing:
        raise SampleError(f"missing {', '.join(sorted(missing))}")
    strokes_json = entry["strokes"]
    if not isinstance(strokes_json, list):
        raise SampleError("strokes must be a list")
    try:
        strokes = [Stroke.from_json(s) for s in strokes_json]
    except (ValueError, KeyError, TypeError, AttributeError):
        raise SampleError("bad strokes (expected points [[x, y], ...] and a width)") from None
    image = entry.get("image")
    pixels = None
    if image is not None:
        try:
            raw = base64.b64decode(image, validate=True) if isinstance(image, str) else b""
        except (binascii.Error, ValueError):
            raw = b""
        if len(raw) != IMAGE_BYTES:
            raise SampleError("bad image (expected 784 bytes of a 28×28 image, base64)")
        pixels = np.frombuffer(raw, np.uint8).reshape(28, 28)
    drawn_at = entry.get("drawn_at")
    if drawn_at is not None and not isinstance(drawn_at, str):
        raise SampleError(f"bad drawn_at {drawn_at!r}")
    identity = entry.get("uuid") or ""
    if not isinstance(identity, str) or (identity and not _UUID.fullmatch(identity)):
        raise SampleError(f"bad uuid {identity!r:.60}")
    sample = checked_sample(entry["label"], strokes, entry["canvas_size"],
                            entry.get("pen_width"), pixels, drawn_at)
    return replace(sample, uuid=identity.lower())


_UUID = re.compile(r"[0-9A-Fa-f-]{1,64}")
