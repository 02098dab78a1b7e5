"""Images for `predict`: every kind a person may have, and the ones crafted to hurt.

A few hundred bytes can declare a picture of 30000×30000 pixels; some decoders
allocate and fill all of it before noticing that the data is missing (OpenCV's
GIF decoder does). DigitPad reads the size from the header first and refuses
more than 50 megapixels without decoding; these tests hold it to that.
"""

from __future__ import annotations

import json
import struct
import subprocess
import sys
import textwrap
from pathlib import Path

import cv2
import numpy as np
import pytest
from test_imagefile import INK, encode, palette_png, png_bytes

from digitpad.cli.main import main
from digitpad.drawing.imagefile import MAX_PIXELS, image_size, read_ink_image
from digitpad.errors import ImageError

REPO = Path(__file__).resolve().parents[2]
HUGE = 30_000


# -- files written by hand: OpenCV cannot write GIFs, nor lie about sizes ----------------


def gif_bytes(pixels: np.ndarray) -> bytes:
    """A greyscale GIF whose LZW stream never grows past 9-bit codes (a clear code every
    250 pixels), so it needs no real compressor."""
    height, width = pixels.shape
    palette = np.repeat(np.arange(256, dtype=np.uint8)[:, None], 3, axis=1).tobytes()
    codes: list[int] = []
    flat = pixels.astype(np.uint16).ravel().tolist()
    for start in range(0, len(flat), 250):
        codes.append(256)  # clear
        codes.extend(flat[start:start + 250])
    codes.append(257)  # end of information
    bits, nbits, stream = 0, 0, bytearray()
    for code in codes:
        bits |= code << nbits
        nbits += 9
        while nbits >= 8:
            stream.append(bits & 0xFF)
            bits >>= 8
            nbits -= 8
    if nbits:
        stream.append(bits & 0xFF)
    blocks = b"".join(bytes([len(stream[i:i + 255])]) + bytes(stream[i:i + 255])
                      for i in range(0, len(stream), 255))
    return (b"GIF89a" + struct.pack("<HHBBB", width, height, 0xF7, 0, 0) + palette
            + b"," + struct.pack("<HHHHB", 0, 0, width, height, 0) + b"\x08" + blocks
            + b"\x00;")


def huge_gif(width: int, height: int) -> bytes:
    """A 40-byte GIF declaring a width×height screen, with almost no data."""
    return (b"GIF89a" + struct.pack("<HHBBB", width, height, 0, 0, 0)
            + b"," + struct.pack("<HHHHB", 0, 0, 1, 1, 0) + b"\x08\x02\x4c\x01\x00;")


def huge_bmp(width: int, height: int) -> bytes:
    header = struct.pack("<IiiHHIIiiII", 40, width, height, 1, 24, 0, 0, 2835, 2835, 0, 0)
    return b"BM" + struct.pack("<IHHI", 54 + 64, 0, 0, 54) + header + b"\0" * 64


def huge_webp(width: int, height: int) -> bytes:
    extended = b"VP8X" + struct.pack("<I", 10) + b"\0\0\0\0" + \
        (width - 1).to_bytes(3, "little") + (height - 1).to_bytes(3, "little")
    return b"RIFF" + struct.pack("<I", 4 + len(extended)) + b"WEBP" + extended


def huge_tiff(width: int, height: int) -> bytes:
    entries = [(256, 4, 1, width), (257, 4, 1, height), (258, 3, 1, 8), (259, 3, 1, 8),
               (262, 3, 1, 1), (273, 4, 1, 200), (278, 4, 1, height), (279, 4, 1, 64)]
    ifd = struct.pack("<H", len(entries)) + b"".join(
        struct.pack("<HHII", *e) if e[1] == 4 else struct.pack("<HHIHH", *e, 0)
        for e in entries) + struct.pack("<I", 0)
    body = b"II*\x00" + struct.pack("<I", 8) + ifd
    return body + b"\0" * (200 - len(body)) + b"x\x9c" + b"\0" * 62


def huge_jpeg(width: int, height: int) -> bytes:
    sof = struct.pack(">BBHBHHB", 0xFF, 0xC0, 11, 8, height, width, 1) + b"\x01\x11\x00"
    return b"\xff\xd8" + sof + b"\xff\xd9"


HUGE_FILES = {
    "PNG": lambda: png_bytes(HUGE, HUGE, 0, 8, None),
    "JPEG": lambda: huge_jpeg(HUGE, HUGE),
    "GIF": lambda: huge_gif(HUGE, HUGE),
    "BMP": lambda: huge_bmp(HUGE, HUGE),
    "BMP top-down": lambda: huge_bmp(HUGE, -HUGE),
    "WebP": lambda: huge_webp(HUGE, HUGE),
    "TIFF": lambda: huge_tiff(HUGE, HUGE),
}


@pytest.fixture
def no_decoding(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args, **kwargs):
        raise AssertionError("the image was decoded; it should have been refused before")

    monkeypatch.setattr(cv2, "imdecode", refuse)


@pytest.mark.parametrize("kind", list(HUGE_FILES))
def test_a_huge_declared_size_is_refused_before_decoding(tmp_path: Path, no_decoding,
                                                         kind: str) -> None:
    path = tmp_path / "huge.img"
    path.write_bytes(HUGE_FILES[kind]())
    assert path.stat().st_size < 1000  # the whole attack fits in a few hundred bytes
    with pytest.raises(ImageError) as caught:
        read_ink_image(path)
    message = str(caught.value)
    assert message == (f"{path}: {HUGE}×{HUGE} pixels is too large (at most "
                       f"{MAX_PIXELS // 1_000_000} megapixels)")


def test_just_over_the_limit_is_refused_and_just_under_is_decoded(tmp_path: Path) -> None:
    over = tmp_path / "over.gif"
    over.write_bytes(huge_gif(10_000, 5_001))  # 50.01 megapixels
    with pytest.raises(ImageError, match="too large"):
        read_ink_image(over)
    under = tmp_path / "under.gif"
    under.write_bytes(huge_gif(10, 10))  # allowed, but its data is missing
    with pytest.raises(ImageError, match="not an image DigitPad can read"):
        read_ink_image(under)


MEASURE = textwrap.dedent("""
    import resource, sys
    from digitpad.errors import ImageError
    from digitpad.drawing.imagefile import read_ink_image

    # Peak memory of this process: the decoder must not allocate the declared picture.
    # An address-space ceiling keeps a regression from taking the machine down with it.
    with open("/proc/self/status") as status:
        size_kb = next(int(l.split()[1]) for l in status if l.startswith("VmSize:"))
    ceiling = (size_kb + 1024 * 1024) * 1024
    resource.setrlimit(resource.RLIMIT_AS, (ceiling, ceiling))
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    try:
        read_ink_image(sys.argv[1])
        outcome = "decoded"
    except ImageError as error:
        outcome = str(error)
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(outcome)
    print((after - before) / 1024)
""")


@pytest.mark.parametrize("kind", ["GIF", "PNG", "TIFF"])
def test_a_huge_image_costs_almost_no_memory(tmp_path: Path, kind: str) -> None:
    """The stated bound: refusing a 30000×30000 image costs under 20 MB of peak memory
    (decoding it would take 0.9 to 6 GB)."""
    path = tmp_path / "huge.img"
    path.write_bytes(HUGE_FILES[kind]())
    child = subprocess.run([sys.executable, "-c", MEASURE, str(path)], cwd=REPO,
                           capture_output=True, text=True, timeout=120)
    assert child.returncode == 0, child.stderr[-2000:]
    outcome, growth = child.stdout.splitlines()
    assert "pixels is too large" in outcome
    assert float(growth) < 20, f"peak memory grew by {growth} MB"


# -- every kind still reads; what cannot be sized first is refused -------------------


def _grey_levels() -> np.ndarray:
    return np.repeat(np.arange(256, dtype=np.uint8)[:, None], 3, axis=1)


READABLE = {
    "GIF": lambda: gif_bytes(255 - INK),
    "WebP lossless": lambda: cv2.imencode(".webp", 255 - INK, [cv2.IMWRITE_WEBP_QUALITY, 101])[1]
    .tobytes(),
    "TIFF": lambda: encode(255 - INK, ".tiff"),
    "TIFF 16-bit": lambda: encode((255 - INK).astype(np.uint16) * 257, ".tiff"),
    "BMP colour": lambda: encode(np.repeat((255 - INK)[..., None], 3, axis=2), ".bmp"),
}


@pytest.mark.parametrize("kind", list(READABLE))
def test_formats_whose_size_is_read_first_still_decode(tmp_path: Path, kind: str) -> None:
    data = READABLE[kind]()
    assert image_size(data) == (INK.shape[1], INK.shape[0])
    path = tmp_path / "digit.img"
    path.write_bytes(data)
    np.testing.assert_array_equal(read_ink_image(path), INK)


@pytest.mark.parametrize("data", [
    b"P5\n96 96\n255\n" + bytes(96 * 96),  # PGM: decodable, but its size is not checked first
    b"\x00\x00\x01\x00" + bytes(60),  # an icon
    b"%PDF-1.4\n" + bytes(60),
    b"II*\x00" + struct.pack("<I", 10_000),  # a TIFF whose first page is past the end
    b"RIFF\x10\x00\x00\x00WEBPVP8 " + bytes(20),  # a WebP cut short
], ids=["PGM", "ICO", "PDF", "TIFF pointing nowhere", "WebP cut short"])
def test_a_file_whose_size_cannot_be_read_first_is_not_decoded(tmp_path: Path, no_decoding,
                                                               data: bytes) -> None:
    path = tmp_path / "drawing.png"
    path.write_bytes(data)
    with pytest.raises(ImageError) as caught:
        read_ink_image(path)
    assert str(caught.value) == f"{path}: not an image DigitPad can read"


def test_an_exception_from_the_decoder_becomes_an_image_error(tmp_path: Path,
                                                              monkeypatch) -> None:
    """OpenCV refuses some files by raising cv2.error, not returning None (before the size
    check, a GIF declaring 40000×40000 escaped that way as a traceback)."""
    def broken(*args, **kwargs):
        raise cv2.error("OpenCV(5.0.0) loadsave.cpp:79: error: (-215:Assertion failed)")

    monkeypatch.setattr(cv2, "imdecode", broken)
    path = tmp_path / "digit.png"
    path.write_bytes(encode(INK))
    with pytest.raises(ImageError) as caught:
        read_ink_image(path)
    assert str(caught.value) == f"{path}: not an image DigitPad can read"


# -- `digitpad predict` on each of them, end to end ------------------------------------


def _predict_inputs(tmp: Path) -> dict[str, tuple[Path, int, str]]:
    """name → (file, exit status, what its one line says)."""
    files = {
        "not an image": (b"Dear DigitPad, this is a letter", 2, "not an image DigitPad can read"),
        "zero-sized": (png_bytes(0, 0, 0, 8, b""), 2, "not an image DigitPad can read"),
        "16-bit": (encode((255 - INK).astype(np.uint16) * 257), 0, "digit"),
        "palette": (palette_png(255 - INK, _grey_levels()), 0, "digit"),
        "RGBA": (encode(np.dstack([np.zeros((*INK.shape, 3), np.uint8), INK])), 0, "digit"),
        "blank": (encode(np.full((40, 60), 255, np.uint8)), 0, "no ink"),
        "huge": (HUGE_FILES["GIF"](), 2, "pixels is too large"),
    }
    paths = {}
    for name, (data, status, says) in files.items():
        path = tmp / f"{name.replace(' ', '-')}.png"
        path.write_bytes(data)
        paths[name] = (path, status, says)
    return paths


@pytest.mark.parametrize("kind", ["not an image", "zero-sized", "16-bit", "palette", "RGBA",
                                  "blank", "huge"])
def test_predict_on_every_kind_of_image(capsys, tmp_path: Path, kind: str) -> None:
    path, expected_status, says = _predict_inputs(tmp_path)[kind]
    status = main(["predict", "--json", str(path)])
    out, err = capsys.readouterr()
    assert status == expected_status
    assert "Traceback" not in out + err
    if expected_status:
        assert out == "" and len(err.splitlines()) == 1
        assert err.startswith(f"digitpad: error: {path}: ") and says in err
    else:
        assert err == ""
        record = json.loads(out)
        if says == "no ink":
            assert record["digit"] is None
        else:
            assert record["digit"] == 7  # the same '7' in every encoding


def _tiff(tmp: Path, image: np.ndarray) -> Path:
    path = tmp / f"{image.dtype}-{image.shape[-1] if image.ndim == 3 else 1}.tiff"
    assert cv2.imwrite(str(path), image)
    return path


def test_a_tiff_that_would_decode_to_too_many_bytes_is_refused_before_decoding(
        tmp_path: Path, no_decoding, monkeypatch: pytest.MonkeyPatch) -> None:
    # Float RGBA is 16 bytes a pixel: at 50 megapixels, 800 MB before any conversion.
    monkeypatch.setattr("digitpad.drawing.imagefile.MAX_DECODED_BYTES", 100_000)
    path = _tiff(tmp_path, np.zeros((100, 100, 4), np.float32))  # 160,000 bytes decoded
    with pytest.raises(ImageError) as raised:
        read_ink_image(path)
    assert str(raised.value) == (f"{path}: 100×100 pixels of 16 bytes each is too large "
                                 f"to decode (at most 0 MB)")


@pytest.mark.parametrize("image, depth", [
    (np.zeros((60, 40), np.uint8), 1),
    (np.zeros((60, 40, 3), np.uint16), 6),
    (np.zeros((60, 40, 4), np.float32), 16),
])
def test_a_tiffs_decoded_size_is_read_from_its_header(tmp_path: Path, image: np.ndarray,
                                                      depth: int) -> None:
    from digitpad.drawing.imagefile import _tiff_bytes_per_pixel

    data = _tiff(tmp_path, image).read_bytes()
    assert image_size(data) == (40, 60)
    assert _tiff_bytes_per_pixel(data) == depth


def test_a_float_tiff_with_nan_and_inf_still_reads_as_ink(tmp_path: Path) -> None:
    image = np.zeros((64, 64), np.float32)
    image[16:48, 28:36] = 0.8
    image[0, 0], image[0, 1] = np.nan, np.inf
    ink = read_ink_image(_tiff(tmp_path, image))
    assert ink.dtype == np.uint8 and ink[30, 30] > 200 and ink[5, 5] == 0
