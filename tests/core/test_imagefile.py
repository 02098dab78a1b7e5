"""digitpad.drawing.imagefile: any image file someone has becomes an ink image (ink high)."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import cv2
import numpy as np
import pytest

from digitpad.drawing.imagefile import image_size, read_ink_image, to_ink
from digitpad.drawing.strokes import fit_strokes, render_strokes
from digitpad.errors import ImageError


def ink_digit(side: int = 96) -> np.ndarray:
    """A '7' as an ink image: uint8, ink = 255, on a blank (0) page."""
    strokes = fit_strokes([[(0, 0), (100, 0), (40, 160)]], side, fill=0.7, width=side / 14)
    return render_strokes(strokes, (side, side), side=side)


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return (struct.pack(">I", len(data)) + kind + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))


def png_bytes(width: int, height: int, colour_type: int, bit_depth: int, rows: bytes | None,
              extra_chunks: tuple[bytes, ...] = ()) -> bytes:
    """A PNG written by hand (OpenCV cannot write palette images; we also need lies)."""
    header = struct.pack(">IIBBBBB", width, height, bit_depth, colour_type, 0, 0, 0)
    chunks = [png_chunk(b"IHDR", header), *extra_chunks]
    if rows is not None:
        chunks.append(png_chunk(b"IDAT", zlib.compress(rows)))
    chunks.append(png_chunk(b"IEND", b""))
    return b"\x89PNG\r\n\x1a\n" + b"".join(chunks)


def palette_png(indices: np.ndarray, palette: np.ndarray) -> bytes:
    rows = b"".join(b"\x00" + row.tobytes() for row in indices.astype(np.uint8))
    plte = png_chunk(b"PLTE", palette.astype(np.uint8).tobytes())
    h, w = indices.shape
    return png_bytes(w, h, 3, 8, rows, (plte,))


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def encode(image: np.ndarray, ext: str = ".png") -> bytes:
    ok, data = cv2.imencode(ext, image)
    assert ok
    return data.tobytes()


# --- every kind of picture decodes to the same ink ----------------------------------

INK = ink_digit()


def _variants() -> dict[str, tuple[bytes, str]]:
    ink = INK
    grey_16 = (255 - ink).astype(np.uint16) * 257
    bgra = np.zeros((*ink.shape, 4), np.uint8)
    bgra[..., 0] = 200  # blue ink, whatever colour: alpha says where the ink is
    bgra[..., 3] = ink
    white_bgra = bgra.copy()
    white_bgra[..., :3] = 255  # white ink on transparent: still ink
    blue_on_white = np.full((*ink.shape, 3), 255, np.uint8)
    blue_on_white[..., 1] = 255 - ink
    blue_on_white[..., 2] = 255 - ink
    grey_levels = np.repeat(np.arange(256, dtype=np.uint8)[:, None], 3, axis=1)
    return {
        "grey dark on light": (encode(255 - ink), ".png"),
        "grey light on dark": (encode(ink), ".png"),
        "16-bit dark on light": (encode(grey_16), ".png"),
        "16-bit light on dark": (encode(ink.astype(np.uint16) * 257), ".png"),
        "palette dark on light": (palette_png(255 - ink, grey_levels), ".png"),
        "palette light on dark": (palette_png(ink, grey_levels), ".png"),
        "RGBA transparent": (encode(bgra), ".png"),
        "RGBA white on transparent": (encode(white_bgra), ".png"),
        "colour dark on light": (encode(cv2.cvtColor(255 - ink, cv2.COLOR_GRAY2BGR)), ".png"),
        "BMP": (encode(255 - ink, ".bmp"), ".bmp"),
    }


@pytest.mark.parametrize("kind", list(_variants()))
def test_every_kind_decodes_to_the_same_ink(tmp_path: Path, kind: str) -> None:
    data, ext = _variants()[kind]
    ink = read_ink_image(write(tmp_path, f"digit{ext}", data))
    assert ink.dtype == np.uint8 and ink.shape == INK.shape
    np.testing.assert_array_equal(ink, INK)


def test_blue_ink_on_white_paper(tmp_path: Path) -> None:
    page = np.full((*INK.shape, 3), 255, np.uint8)
    page[..., 1] = 255 - INK
    page[..., 2] = 255 - INK
    ink = read_ink_image(write(tmp_path, "blue.png", encode(page)))
    assert ink[INK == 255].min() > 100  # the strokes are ink
    assert ink[INK == 0].max() == 0  # the paper is not


def test_jpeg_is_close(tmp_path: Path) -> None:
    ink = read_ink_image(write(tmp_path, "digit.jpg", encode(255 - INK, ".jpg")))
    assert np.abs(ink.astype(int) - INK).mean() < 4


def test_opaque_rgba_is_read_by_colour(tmp_path: Path) -> None:
    bgra = np.full((*INK.shape, 4), 255, np.uint8)
    bgra[..., :3] = (255 - INK)[..., None]
    np.testing.assert_array_equal(read_ink_image(write(tmp_path, "a.png", encode(bgra))), INK)


def test_float_images_are_scaled() -> None:
    decoded = (INK.astype(np.float32) / 255) * 0.5
    np.testing.assert_allclose(to_ink(decoded).astype(int), INK, atol=1)


# --- bad files -----------------------------------------------------------------------


def _bad_files(tmp: Path) -> dict[str, tuple[Path, str]]:
    folder = tmp / "folder.png"
    folder.mkdir()
    huge_png = png_bytes(30000, 30000, 0, 8, None)
    sof = struct.pack(">BBHBHHB", 0xFF, 0xC0, 11, 8, 40000, 40000, 1) + b"\x01\x11\x00"
    huge_jpeg = b"\xff\xd8" + b"\xff\xe0" + struct.pack(">H", 4) + b"JF" + sof + b"\xff\xd9"
    return {
        "empty file": (write(tmp, "empty.png", b""), "empty file"),
        "zero-sized PNG": (write(tmp, "zero.png", png_bytes(0, 0, 0, 8, b"")), "not an image"),
        "text": (write(tmp, "notes.png", b"hello, this is not a picture\n" * 5), "not an image"),
        "truncated PNG": (write(tmp, "cut.png", encode(INK)[:60]), "not an image"),
        "huge PNG header": (write(tmp, "huge.png", huge_png), "30000×30000 pixels is too large"),
        "huge JPEG header": (write(tmp, "huge.jpg", huge_jpeg), "40000×40000 pixels is too large"),
        "missing": (tmp / "absent.png", "no such file"),
        "folder": (folder, "is a folder"),
    }


@pytest.mark.parametrize("case", [
    "empty file", "zero-sized PNG", "text", "truncated PNG", "huge PNG header",
    "huge JPEG header", "missing", "folder",
])
def test_bad_files_raise_image_error(tmp_path: Path, case: str) -> None:
    path, problem = _bad_files(tmp_path)[case]
    with pytest.raises(ImageError) as caught:
        read_ink_image(path)
    message = str(caught.value)
    assert str(path) in message and problem in message and "\n" not in message


def test_image_size_reads_headers_without_decoding() -> None:
    assert image_size(encode(np.zeros((30, 50), np.uint8))) == (50, 30)
    assert image_size(encode(np.zeros((30, 50), np.uint8), ".jpg")) == (50, 30)
    assert image_size(b"GIF89a") is None
    assert image_size(b"\xff\xd8\xff") is None
