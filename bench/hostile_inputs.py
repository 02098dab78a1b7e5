"""Hostile inputs: what a crafted or unlucky file costs a `digitpad` command.

Each case builds its input in a temporary folder, runs one real `digitpad`
command (or, for the sample store, one Python process calling the same reader
the window uses) and prints the exit status, the first line of what it said,
the wall time and the process's peak resident memory (ru_maxrss from wait4).
Goal: every case ends with one clear line, within seconds, and no case peaks
above 1.5 GB.

    python bench/hostile_inputs.py
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import numpy as np

from _common import machine

CEILING_MB = 1536
TIMEOUT_S = 120


# A child's ru_maxrss counts the memory of the process it was forked from, so
# each command is started by this small launcher, not by the benchmark itself
# (which holds torch and the hostile inputs it built): it prints the command's
# exit status and its own child's peak, in kB, on its last line.
LAUNCHER = """
import os, subprocess, sys, time
process = subprocess.Popen(sys.argv[2:], stdin=subprocess.DEVNULL)
deadline = time.monotonic() + float(sys.argv[1])
while True:
    pid, status, usage = os.wait4(process.pid, os.WNOHANG)
    if pid:
        code = os.waitstatus_to_exitcode(status)
        break
    if time.monotonic() > deadline:
        process.kill()
        pid, status, usage = os.wait4(process.pid, 0)
        code = "timeout"
        break
    time.sleep(0.02)
print(f"LAUNCHER {code} {usage.ru_maxrss}", flush=True)
"""


def run(command: list[str], env: dict[str, str]) -> tuple[int | str, str, float, float]:
    """(exit status, last line it said, seconds, peak RSS in MB) of `command`."""
    started = time.perf_counter()
    finished = subprocess.run([sys.executable, "-c", LAUNCHER, str(TIMEOUT_S), *command],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env,
                              stdin=subprocess.DEVNULL)
    seconds = time.perf_counter() - started
    lines = [line for line in finished.stdout.decode("utf-8", "replace").splitlines()
             if line.strip()]
    _, code, peak_kb = lines.pop().split()
    return (int(code) if code.lstrip("-").isdigit() else f"killed after {TIMEOUT_S} s",
            lines[-1] if lines else "", seconds, int(peak_kb) / 1024)


def npy_bytes(array: np.ndarray) -> bytes:
    stream = io.BytesIO()
    np.lib.format.write_array(stream, array)
    return stream.getvalue()


def zip_bomb(path: Path, images: int) -> Path:
    """A Keras-layout mnist.npz whose x_train inflates to images×784 bytes of zeros."""
    header = io.BytesIO()
    np.lib.format.write_array_header_1_0(
        header, {"descr": "|u1", "fortran_order": False, "shape": (images, 28, 28)})
    block = bytes(784 * 20_000)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        with archive.open("x_train.npy", "w", force_zip64=True) as member:
            member.write(header.getvalue())
            for _ in range(images // 20_000):
                member.write(block)
        archive.writestr("y_train.npy", npy_bytes(np.zeros(images, np.uint8)))
        archive.writestr("x_test.npy", npy_bytes(np.zeros((10, 28, 28), np.uint8)))
        archive.writestr("y_test.npy", npy_bytes(np.zeros(10, np.uint8)))
    return path


def declared_npz(path: Path, images: int) -> Path:
    """An .npz of a few hundred bytes whose header declares `images` training images."""
    header = io.BytesIO()
    np.lib.format.write_array_header_1_0(
        header, {"descr": "|u1", "fortran_order": False, "shape": (images, 28, 28)})
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("x_train.npy", header.getvalue() + bytes(784))
        archive.writestr("y_train.npy", npy_bytes(np.zeros(1, np.uint8)))
        archive.writestr("x_test.npy", npy_bytes(np.zeros((1, 28, 28), np.uint8)))
        archive.writestr("y_test.npy", npy_bytes(np.zeros(1, np.uint8)))
    return path


def float_rgba_tiff(path: Path, side: int) -> Path:
    """A side×side float32 RGBA TIFF, LZW-compressed: tiny on disk, 16 bytes a pixel decoded."""
    import cv2

    image = np.zeros((side, side, 4), np.float32)
    image[side // 3: 2 * side // 3, side // 2 - side // 20: side // 2 + side // 20, :] = 1.0
    if not cv2.imwrite(str(path), image, [cv2.IMWRITE_TIFF_COMPRESSION, 5]):
        raise SystemExit("OpenCV could not write a float TIFF here")
    return path


def samples_file(path: Path, samples: int, points: int) -> Path:
    """A samples file of `samples` drawings of `points` points each, written piecewise."""
    image = "A" * 1046 + "=="  # base64 of 784 zero bytes
    point = "[123.45,67.89]"
    stroke = '{"points":[' + ",".join([point] * points) + '],"width":20.0,"eraser":false}'
    with open(path, "w", encoding="utf-8") as stream:
        stream.write('{"format":"digitpad-samples","version":1,"exported":"","samples":[')
        for number in range(samples):
            stream.write(("," if number else "") + f'{{"label":{number % 10},"strokes":'
                         f'[{stroke}],"canvas_size":[400,400],"pen_width":20.0,'
                         f'"drawn_at":"2026-11-27T10:00:00","image":"{image}"}}')
        stream.write("]}")
    return path


# What My samples → Import runs, in its own process (the window runs it off the GUI thread).
IMPORT = ("import sys; from digitpad.store.samples import SampleStore; "
          "from digitpad.store.sample_file import import_samples; from digitpad.errors import "
          "SampleError\ntry: print(import_samples(SampleStore(sys.argv[1]), sys.argv[2]))\n"
          "except SampleError as error: sys.exit(f'error: {error}')")


def main() -> None:
    print(f"Machine: {machine()}")
    digitpad = [sys.executable, "-m", "digitpad"]
    with tempfile.TemporaryDirectory(prefix="digitpad-hostile-") as folder:
        root = Path(folder)
        env = {**os.environ, "XDG_DATA_HOME": str(root / "data"),
               "XDG_CONFIG_HOME": str(root / "config"), "QT_QPA_PLATFORM": "offscreen"}
        os.mkfifo(root / "fifo.safetensors")
        os.mkfifo(root / "fifo.png")
        cases = [
            ("zip bomb .npz as MNIST (eval --data)",
             lambda: digitpad + ["eval", "--data", str(zip_bomb(root / "bomb.npz", 6_000_000))]),
            (".npz declaring 10^12 images (eval --data)",
             lambda: digitpad + ["eval", "--data",
                                 str(declared_npz(root / "huge.npz", 10**12))]),
            ("49-megapixel float32 RGBA TIFF (predict)",
             lambda: digitpad + ["predict", str(float_rgba_tiff(root / "big.tiff", 7000))]),
            ("largest float32 RGBA TIFF accepted, 5000×5000",
             lambda: digitpad + ["predict", str(float_rgba_tiff(root / "ok.tiff", 5000))]),
            ("FIFO as the model (predict --model)",
             lambda: digitpad + ["predict", "--model", str(root / "fifo.safetensors"),
                                 str(root / "ok.tiff")]),
            ("FIFO as an image (predict)",
             lambda: digitpad + ["predict", str(root / "fifo.png")]),
            ("/dev/zero as an image (predict)",
             lambda: digitpad + ["predict", "/dev/zero"]),
            ("240 MB samples file (My samples import)",
             lambda: [sys.executable, "-c", IMPORT, str(root / "a.db"),
                      str(samples_file(root / "huge.json", 17_000, 1000))]),
            ("samples file of 1,000,000 points (import)",
             lambda: [sys.executable, "-c", IMPORT, str(root / "b.db"),
                      str(samples_file(root / "dense.json", 1, 1_000_000))]),
            ("largest samples file accepted, 64 MB (import)",
             lambda: [sys.executable, "-c", IMPORT, str(root / "c.db"),
                      str(samples_file(root / "full.json", 4_000, 1000))]),
        ]
        print(f"{'case':48} {'exit':>5} {'seconds':>8} {'peak MB':>8}  says")
        worst = 0.0
        for name, build in cases:
            before = set(root.iterdir())
            command = build()
            size = "".join(f" [{new.stat().st_size / 1e6:.1f} MB file]"
                           for new in set(root.iterdir()) - before)
            code, said, seconds, peak = run(command, env)
            worst = max(worst, peak)
            said = said.replace(str(root), "<tmp>")
            print(f"{name:48} {code!s:>5} {seconds:8.2f} {peak:8.0f}  {said[:100]}{size}")
        print(f"\nWorst peak: {worst:.0f} MB (ceiling {CEILING_MB} MB): "
              f"{'met' if worst <= CEILING_MB else 'NOT met'}")


if __name__ == "__main__":
    main()
