"""Reading a digit from an image file someone has: PNG, JPEG, BMP, ...

Dark ink on light paper, light ink on dark, a transparent background, 8 or 16
bits, greyscale, colour or palette, any size: all become an ink image (ink
high, uint8) that `preprocess` understands.

Memory is bounded before anything is decoded: the width and height are read
from the file's header (PNG, JPEG, BMP, GIF, WebP, TIFF) and an image of more
than 50 megapixels is refused, as is a file whose size cannot be read that way.
A few hundred bytes can declare a picture of billions of pixels, and some
decoders allocate (and fill) all of it before finding out the data is missing.
"""

from __future__ import annotations

import struct
from pathlib import Path

import cv2
import numpy as np

from digitpad.errors import ImageError
from trainer.files import read_user_file

# Refuse before decoding anything larger: 50 megapixels of 8-bit RGBA is 200 MB.
MAX_PIXELS = 50_000_000
MAX_FILE_BYTES = 200 * 1024 * 1024


def read_ink_image(path: str | Path) -> np.ndarray:
    """Decode an image file into an ink image (H×W uint8, ink = 255)."""
    path = Path(path)
    data = read_user_file(path, kind="an image", limit=MAX_FILE_BYTES, error=ImageError)
    if not data:
        raise ImageError(f"{path}: empty file")
    size = image_size(data)
    if size is None:  # not a format whose size can be checked before decoding
        raise ImageError(f"{path}: not an image DigitPad can read")
    if size[0] * size[1] > MAX_PIXELS:
        raise ImageError(f"{path}: {size[0]}×{size[1]} pixels is too large "
                         f"(at most {MAX_PIXELS // 1_000_000} megapixels)")
    try:
        decoded = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_UNCHANGED)
    except cv2.error:  # OpenCV refuses some damaged files by raising, others by None
        decoded = None
    if decoded is None or decoded.size == 0:
        raise ImageError(f"{path}: not an image DigitPad can read")
    if decoded.shape[0] * decoded.shape[1] > MAX_PIXELS:
        raise ImageError(f"{path}: too large (at most {MAX_PIXELS // 1_000_000} megapixels)")
    return to_ink(decoded)


def to_ink(decoded: np.ndarray) -> np.ndarray:
    """Any decoded image (grey, BGR, BGRA; 8 or 16 bit) → ink image, ink high."""
    image = decoded
    if image.dtype == np.uint16:
        image = (image // 257).astype(np.uint8)
    elif image.dtype != np.uint8:
        finite = np.nan_to_num(image.astype(np.float64))
        peak = max(float(finite.max()), 1e-12)
        image = np.clip(finite / peak * 255, 0, 255).astype(np.uint8)
    alpha = None
    if image.ndim == 3 and image.shape[2] == 4:
        alpha = image[:, :, 3]
        image = image[:, :, :3]
    if image.ndim == 3:
        grey = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY) if image.shape[2] == 3 else image[:, :, 0]
    else:
        grey = image
    if alpha is not None and alpha.min() < 250:
        # Transparent background: what is opaque is the ink, whatever its colour.
        return alpha.copy()
    return _ink_from_grey(grey)


def _ink_from_grey(grey: np.ndarray) -> np.ndarray:
    # The paper is what fills the border; ink is whatever differs from it.
    border = np.concatenate([grey[0], grey[-1], grey[:, 0], grey[:, -1]])
    paper = float(np.median(border))
    if paper >= 128:
        return (255 - grey).astype(np.uint8)
    return grey.astype(np.uint8).copy()


def image_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) from the header of a PNG, JPEG, BMP, GIF, WebP or TIFF file without
    decoding it; None for anything else (or a header too damaged to read)."""
    try:
        for reader in (_png_size, _jpeg_size, _bmp_size, _gif_size, _webp_size, _tiff_size):
            size = reader(data)
            if size is not None:
                return size
    except struct.error:  # a header cut short
        return None
    return None


def _png_size(data: bytes) -> tuple[int, int] | None:
    if data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) >= 24:
        return struct.unpack(">II", data[16:24])
    return None


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    if data[:2] == b"\xff\xd8":
        i = 2
        while i + 9 < len(data):
            if data[i] != 0xFF:
                i += 1
                continue
            marker = data[i + 1]
            if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7 or marker == 0xFF:
                i += 1 if marker == 0xFF else 2
                continue
            length = struct.unpack(">H", data[i + 2:i + 4])[0]
            if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
                height, width = struct.unpack(">HH", data[i + 5:i + 9])
                return width, height
            i += 2 + length
    return None


def _bmp_size(data: bytes) -> tuple[int, int] | None:
    if data[:2] != b"BM" or len(data) < 26:
        return None
    if struct.unpack("<I", data[14:18])[0] == 12:  # the old OS/2 header: 16-bit sizes
        return struct.unpack("<HH", data[18:22])
    width, height = struct.unpack("<ii", data[18:26])
    return abs(width), abs(height)  # a negative height means top-down rows


def _gif_size(data: bytes) -> tuple[int, int] | None:
    # The logical screen: the decoder allocates the whole of it.
    if data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
        return struct.unpack("<HH", data[6:10])
    return None


def _webp_size(data: bytes) -> tuple[int, int] | None:
    if data[:4] != b"RIFF" or data[8:12] != b"WEBP" or len(data) < 30:
        return None
    chunk = data[12:16]
    if chunk == b"VP8 " and data[23:26] == b"\x9d\x01\x2a":  # lossy
        width, height = struct.unpack("<HH", data[26:30])
        return width & 0x3FFF, height & 0x3FFF
    if chunk == b"VP8L" and data[20] == 0x2F:  # lossless: 14-bit sizes minus one
        bits = struct.unpack("<I", data[21:25])[0]
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    if chunk == b"VP8X":  # extended: the canvas, 24-bit sizes minus one
        return (int.from_bytes(data[24:27], "little") + 1,
                int.from_bytes(data[27:30], "little") + 1)
    return None


def _tiff_size(data: bytes) -> tuple[int, int] | None:
    order = {b"II*\x00": "<", b"MM\x00*": ">"}.get(data[:4])
    if order is None or len(data) < 8:
        return None
    offset = struct.unpack(order + "I", data[4:8])[0]  # the first page (the one decoded)
    count = struct.unpack(order + "H", data[offset:offset + 2])[0]
    found: dict[int, int] = {}
    for entry in range(offset + 2, offset + 2 + 12 * count, 12):
        tag, kind = struct.unpack(order + "HH", data[entry:entry + 4])
        if tag in (256, 257):  # ImageWidth, ImageLength: SHORT or LONG
            if kind == 3:
                found[tag] = struct.unpack(order + "H", data[entry + 8:entry + 10])[0]
            elif kind == 4:
                found[tag] = struct.unpack(order + "I", data[entry + 8:entry + 12])[0]
            else:
                return None
    if 256 in found and 257 in found:
        return found[256], found[257]
    return None
