"""Make a drawing look like an MNIST digit, because that is what the network learnt.

MNIST's recipe: crop to the ink, scale the longer side to 20 px keeping the
aspect ratio (anti-aliased), paste into 28×28, and shift so that the centre of
mass sits at the centre. On a drawing pad people also use very thin or very
thick pens, draw tiny or huge, in a corner, and leave stray dots; so before
MNIST's recipe we drop specks far smaller than the digit and normalise the
stroke thickness to MNIST's. One implementation serves the canvas,
`digitpad predict` on image files and the sample store.

Bump PREPROCESS_VERSION whenever the output changes: model files record the
version they were trained with.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

PREPROCESS_VERSION = 1
SIDE = 28
BOX = 20
# MNIST's centre of mass, measured on the training set (row, column).
MNIST_CENTRE = (14.0, 14.0)
# Stroke thickness is normalised at this working size (longer side, pixels).
WORK = 64
# MNIST's median stroke thickness at that size (2·area/perimeter, measured).
TARGET_THICKNESS = 7.5
# Ink fainter than this (fraction of the strongest ink) is paper noise.
INK_LEVEL = 0.15
# A separate blob with less than this share of the ink is a stray dot.
SPECK_SHARE = 0.04


@dataclass(frozen=True)
class Preprocessed:
    image: np.ndarray  # (28, 28) float32 in 0..1, ink = 1
    parts: int  # separate pieces of ink that were kept
    specks_removed: int
    thickness: float  # estimated stroke thickness at the working size, before normalising


def preprocess(ink: np.ndarray) -> Preprocessed | None:
    """Turn an ink image (H×W, ink high, uint8 or float) into the network's 28×28 input.

    Returns None when there is no ink to read."""
    image = _as_unit_float(ink)
    if image is None:
        return None
    image, parts, specks = _remove_specks(image)
    crop = _crop_to_ink(image)
    if crop is None:
        return None
    work, thickness = _normalise_thickness(_resize_longer_side(crop, WORK))
    work = _crop_to_ink(work)
    if work is None:
        return None
    box = _resize_longer_side(work, BOX)
    return Preprocessed(_centre_by_mass(box), parts, specks, thickness)


def preprocess_in_one_thread() -> None:
    """Let OpenCV work on this process's images in the calling thread only. One drawing
    is a small image: waking a pool thread for it costs more than it saves (a quarter
    of preprocess's time, measured by bench/inference_latency.py on 2 cores). The
    setting holds for the whole process; the window makes it for its live reading."""
    cv2.setNumThreads(1)


def _as_unit_float(ink: np.ndarray) -> np.ndarray | None:
    ink = np.asarray(ink)
    if ink.ndim != 2 or ink.size == 0:
        raise ValueError(f"expected a 2-D ink image, got shape {ink.shape}")
    ink = _crop_to_nonzero(ink)
    if ink is None:
        return None
    if ink.dtype == np.uint8:  # already finite and not negative
        image = ink.astype(np.float32)
    else:
        with np.errstate(over="ignore"):  # values beyond float32 become inf, dropped below
            image = ink.astype(np.float32)
        image[~np.isfinite(image)] = 0
        image = np.clip(image, 0, None)
    peak = float(image.max())
    if peak <= 0 or (ink.dtype == np.uint8 and peak < 255 * INK_LEVEL):
        return None
    image /= peak
    image[image < INK_LEVEL] = 0
    return image


def _crop_to_nonzero(ink: np.ndarray) -> np.ndarray | None:
    """The part of the image that holds any non-zero value. The blank paper around it
    changes nothing below (every step treats it as background), and the drawing is
    usually a small part of the pad, so the rest of the work is done on less."""
    if ink.dtype == np.uint8:
        x, y, w, h = cv2.boundingRect(np.ascontiguousarray(ink))  # of the non-zero pixels
        return ink[y:y + h, x:x + w] if w else None
    rows = np.flatnonzero(ink.any(axis=1))
    if len(rows) == 0:
        return None
    cols = np.flatnonzero(ink.any(axis=0))
    return ink[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1]


def _remove_specks(image: np.ndarray) -> tuple[np.ndarray, int, int]:
    mask = (image > 0.5).astype(np.uint8)
    # 16-bit labels halve the work where they cannot run out: with 8-connectivity an
    # h×w image has at most ⌈h/2⌉·⌈w/2⌉ pieces.
    h, w = mask.shape
    ltype = cv2.CV_16U if ((h + 1) // 2) * ((w + 1) // 2) < 65_535 else cv2.CV_32S
    count, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8,
                                                                ltype=ltype)
    if count <= 2:  # background plus at most one piece
        return image, count - 1, 0
    areas = stats[1:, cv2.CC_STAT_AREA]
    small = np.flatnonzero(areas < SPECK_SHARE * areas.sum()) + 1
    if len(small) == 0:
        return image, count - 1, 0
    # Remove the specks' pixels, including their faint anti-aliased rims.
    speck_mask = np.isin(labels, small).astype(np.uint8)
    speck_mask = cv2.dilate(speck_mask, np.ones((3, 3), np.uint8), iterations=2)
    keep_mask = np.isin(labels, np.setdiff1d(np.arange(1, count), small)).astype(np.uint8)
    keep_mask = cv2.dilate(keep_mask, np.ones((3, 3), np.uint8), iterations=2)
    cleaned = image.copy()
    cleaned[(speck_mask > 0) & (keep_mask == 0)] = 0
    return cleaned, count - 1 - len(small), len(small)


def _crop_to_ink(image: np.ndarray) -> np.ndarray | None:
    rows = np.flatnonzero(image.max(axis=1) > 0)
    cols = np.flatnonzero(image.max(axis=0) > 0)
    if len(rows) == 0:
        return None
    return image[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1]


def _resize_longer_side(image: np.ndarray, side: int) -> np.ndarray:
    h, w = image.shape
    scale = side / max(h, w)
    size = (max(1, int(round(w * scale))), max(1, int(round(h * scale))))
    # INTER_AREA averages when shrinking (proper anti-aliasing); linear when growing.
    method = cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR
    return np.clip(cv2.resize(image, size, interpolation=method), 0, 1)


def stroke_thickness(image: np.ndarray) -> float:
    """Mean stroke width in pixels, as 2·area/perimeter of the ink's outline."""
    mask = (image > 0.5).astype(np.uint8)
    area = int(mask.sum())
    if area == 0:
        return 0.0
    contours, _ = cv2.findContours(mask, cv2.RETR_LIST, cv2.CHAIN_APPROX_NONE)
    perimeter = sum(cv2.arcLength(c, True) for c in contours)
    return 2.0 * area / max(perimeter, 1.0)


def _normalise_thickness(work: np.ndarray) -> tuple[np.ndarray, float]:
    thickness = stroke_thickness(work)
    margin = int(TARGET_THICKNESS) + 2
    padded = cv2.copyMakeBorder(work, margin, margin, margin, margin, cv2.BORDER_CONSTANT, 0)
    if thickness <= 0:
        return padded, thickness
    if thickness < TARGET_THICKNESS / 1.25:
        diameter = int(round(TARGET_THICKNESS - thickness)) | 1
        kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (diameter, diameter))
        return cv2.dilate(padded, kernel), thickness
    if thickness > TARGET_THICKNESS * 1.25:
        diameter = int(round(thickness - TARGET_THICKNESS)) | 1
        kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (diameter, diameter))
        thinner = cv2.erode(padded, kernel)
        # Never let thinning wipe out a part of the drawing.
        if (thinner > 0.5).sum() >= 0.35 * (padded > 0.5).sum():
            return thinner, thickness
    return padded, thickness


_POSITIONS = np.arange(SIDE, dtype=np.float64)  # of the rows (and columns)


def _centre_by_mass(box: np.ndarray) -> np.ndarray:
    h, w = box.shape
    canvas = np.zeros((SIDE, SIDE), np.float32)
    top, left = (SIDE - h) // 2, (SIDE - w) // 2
    canvas[top:top + h, left:left + w] = box
    total = float(canvas.sum())
    if total <= 0:
        return canvas
    dy = MNIST_CENTRE[0] - float(canvas.sum(axis=1, dtype=np.float64) @ _POSITIONS) / total
    dx = MNIST_CENTRE[1] - float(canvas.sum(axis=0, dtype=np.float64) @ _POSITIONS) / total
    shift = np.float32([[1, 0, dx], [0, 1, dy]])
    moved = cv2.warpAffine(canvas, shift, (SIDE, SIDE), flags=cv2.INTER_LINEAR,
                           borderMode=cv2.BORDER_CONSTANT, borderValue=0)
    return np.clip(moved, 0, 1).astype(np.float32)
