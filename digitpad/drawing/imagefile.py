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
# ... and anything that decodes to more bytes: TIFF can hold 32-bit float RGBA,
# 16 bytes a pixel, so 50 megapixels of it would be 800 MB before any conversion.
MAX_DECODED_BYTES = 400_000_000
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
    depth = _tiff_bytes_per_pixel(data)
    if depth is not None and size[0] * size[1] * depth > MAX_DECODED_BYTES:
        raise ImageError(f"{path}: {size[0]}×{size[1]} pixels of {depth} bytes each is too "
                         f"large to decode (at most {MAX_DECODED_BYTES // 1_000_000} MB)")
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
    # Conversions work in place on the decoded array: a 50-megapixel float RGBA
    # image is 800 MB already, and each float64 copy would double it.
    if image.dtype == np.uint16:
        np.floor_divide(image, 257, out=image)
        image = image.astype(np.uint8)
    elif image.dtype != np.uint8:
        if not np.issubdtype(image.dtype, np.floating):
            image = image.astype(np.float32)
        np.nan_to_num(image, copy=False, nan=0.0, posinf=0.0, neginf=0.0)
        peak = max(float(image.max()), 1e-12)
        np.multiply(image, 255 / peak, out=image)
        np.clip(image, 0, 255, out=image)
        image = image.astype(np.uint8)
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


def _tiff_entries(data: bytes) -> tuple[str, dict[int, tuple[int, int, int]]] | None:
    """The byte order and the first page's entries {tag: (type, count, value or offset)}."""
    order = {b"II*\x00": "<", b"MM\x00*": ">"}.get(data[:4])
    if order is None or len(data) < 8:
        return None
    offset = struct.unpack(order + "I", data[4:8])[0]  # the first page (the one decoded)
    count = struct.unpack(order + "H", data[offset:offset + 2])[0]
    entries = {}
    for entry in range(offset + 2, offset + 2 + 12 * count, 12):
        tag, kind, values = struct.unpack(order + "HHI", data[entry:entry + 8])
        if kind == 3 and values == 1:  # one SHORT sits in the first two bytes of the field
            value = struct.unpack(order + "H", data[entry + 8:entry + 10])[0]
        else:
            value = struct.unpack(order + "I", data[entry + 8:entry + 12])[0]
        entries[tag] = (kind, values, value)
    return order, entries


def _tiff_size(data: bytes) -> tuple[int, int] | None:
    parsed = _tiff_entries(data)
    if parsed is None:
        return None
    _, entries = parsed
    found = {}
    for tag in (256, 257):  # ImageWidth, ImageLength: SHORT or LONG
        if tag not in entries:
            return None
        kind, _, value = entries[tag]
        if kind not in (3, 4):
            return None
        found[tag] = value
    return found[256], found[257]


def _tiff_bytes_per_pixel(data: bytes) -> int | None:
    """What one pixel of a TIFF's first page takes once decoded; None if not a TIFF."""
    try:
        parsed = _tiff_entries(data)
        if parsed is None:
            return None
        order, entries = parsed
        samples = entries.get(277, (3, 1, 1))[2]  # SamplesPerPixel
        kind, count, value = entries.get(258, (3, 1, 1))  # BitsPerSample, one per sample
        if count == 1:
            bits = [value]
        elif count == 2:  # two SHORTs fit in the field itself
            bits = list(struct.unpack(order + "HH", struct.pack(order + "I", value)))
        else:
            bits = list(struct.unpack(f"{order}{count}H", data[value:value + 2 * count]))
    except struct.error:
        return None
    return max(1, samples) * max(8, max(bits, default=8)) // 8
