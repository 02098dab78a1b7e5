"""Driving the installed `digitpad` in a real X window, the way a person does.

An Xvfb display, the program started from the virtual environment's console
script with a scratch home (so nothing of this machine shows or changes), real
mouse and keyboard events from xdotool, and screenshots from ImageMagick.

The program is read the way a screen reader user hears it: started with
DIGITPAD_ANNOUNCE=stdout, it prints every announcement (the reading of a
drawing, "Stored as a 7", "Finished: run …") as a line; `wait_for` waits for
one with a timeout. The end-to-end tests and tools/readme_screenshots.py use it.
"""

from __future__ import annotations

import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

TOOLS = ("Xvfb", "xdotool", "import")  # import: ImageMagick's screenshot command
DIGITPAD = Path(sys.executable).parent / "digitpad"


def missing_tools() -> list[str]:
    return [tool for tool in TOOLS if shutil.which(tool) is None]


class Display:
    """An Xvfb server on a free display number, stopped by `close`."""

    def __init__(self, size: tuple[int, int] = (1280, 900)) -> None:
        read, write = os.pipe()
        self.process = subprocess.Popen(
            ["Xvfb", "-displayfd", str(write), "-screen", "0", f"{size[0]}x{size[1]}x24",
             "-nolisten", "tcp"], pass_fds=(write,), stderr=subprocess.DEVNULL)
        os.close(write)
        with os.fdopen(read) as ready:  # Xvfb writes the number once it accepts clients
            self.name = ":" + ready.readline().strip()
        if self.name == ":":
            raise RuntimeError("Xvfb did not start")

    def close(self) -> None:
        self.process.terminate()
        self.process.wait(10)


class App:
    """`digitpad` running on `display` with `home` as its whole world."""

    def __init__(self, display: Display, home: Path, *, language: str = "en_US.UTF-8",
                 environment: dict[str, str] | None = None) -> None:
        self.display = display
        self.home = home
        home.mkdir(parents=True, exist_ok=True)
        env = {key: value for key, value in os.environ.items()
               if not key.startswith(("QT_", "XDG_", "LC_", "DIGITPAD_"))}
        env.update({
            "DISPLAY": display.name, "QT_QPA_PLATFORM": "xcb", "HOME": str(home),
            "XDG_CONFIG_HOME": str(home / ".config"), "XDG_DATA_HOME": str(home / ".local/share"),
            "XDG_CACHE_HOME": str(home / ".cache"), "LANG": language, "LANGUAGE": "",
            "DIGITPAD_ANNOUNCE": "stdout", "DIGITPAD_STARTUP_REPORT": "1",
            "PYTHONUNBUFFERED": "1",
        })
        env.update(environment or {})
        self.lines: queue.Queue[str] = queue.Queue()
        self.said: list[str] = []  # every line so far, for failure messages
        self.process = subprocess.Popen([str(DIGITPAD)], env=env, stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT, text=True, cwd=home)
        threading.Thread(target=self._read, daemon=True).start()
        self.window = ""

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))

    # -- waiting ----------------------------------------------------------------------

    def wait_for(self, pattern: str, timeout: float = 30.0) -> re.Match:
        """The first line from now on that matches `pattern` (a regular expression)."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or self.process.poll() is not None and self.lines.empty():
                raise AssertionError(f"no line like {pattern!r} within {timeout:.0f} s; "
                                     "the program said:\n" + "\n".join(self.said[-30:]))
            try:
                line = self.lines.get(timeout=min(left, 0.5))
            except queue.Empty:
                continue
            self.said.append(line)
            match = re.search(pattern, line)
            if match:
                return match

    def announced(self, pattern: str, timeout: float = 30.0) -> re.Match:
        """Wait until a screen reader would hear a line matching `pattern`."""
        return self.wait_for(r"^digitpad-announce " + pattern, timeout)

    def start(self, timeout: float = 90.0, size: tuple[int, int] = (1040, 720)) -> None:
        """Wait for the window, the model and every tab; put the window at the top left, `size`
        screen pixels large."""
        self.wait_for(r"^digitpad-startup all-tabs", timeout)
        self.window = self.xdotool("search", "--sync", "--onlyvisible", "--name", "DigitPad",
                                   timeout=timeout).split()[0]
        self.size = size
        self.xdotool("windowmove", "--sync", self.window, "0", "0")
        self.xdotool("windowsize", "--sync", self.window, str(size[0]), str(size[1]))
        self.xdotool("windowfocus", "--sync", self.window)
        # Without a window manager only a click makes the window active (so that its
        # shortcuts work): one on the status bar, where it does nothing else.
        self.point_at_status_bar()
        self.xdotool("click", "1")

    def point_at_status_bar(self) -> None:
        """Move the pointer to the status bar (off the pad and every control)."""
        self.xdotool("mousemove", "--window", self.window, str(self.size[0] // 2),
                     str(self.size[1] - self.size[1] // 72))

    # -- acting -----------------------------------------------------------------------

    def xdotool(self, *args: str, timeout: float = 20.0) -> str:
        return subprocess.run(["xdotool", *args], env={**os.environ, "DISPLAY": self.display.name},
                              capture_output=True, text=True, check=True,
                              timeout=timeout).stdout

    def keys(self, *keys: str) -> None:
        """Press keys (xdotool names: Return, ctrl+2) in the window."""
        self.xdotool("windowfocus", "--sync", self.window)
        self.xdotool("key", "--delay", "60", *keys)  # XTEST: real key events

    def drag(self, points: Sequence[tuple[int, int]]) -> None:
        """Press the left button at the first point, move through the others, release:
        every step is a real pointer event."""
        args = ["mousemove", str(points[0][0]), str(points[0][1]), "mousedown", "1"]
        for (x0, y0), (x1, y1) in zip(points, points[1:], strict=False):
            for t in np.linspace(0, 1, 8)[1:]:
                # At a hand's pace: Qt merges pointer moves that queue up while it is busy,
                # and a pen too fast for a loaded machine would lose its corners.
                args += ["mousemove", str(round(x0 + (x1 - x0) * t)),
                         str(round(y0 + (y1 - y0) * t)), "sleep", "0.02"]
        args += ["mouseup", "1"]
        self.xdotool(*args)

    def screenshot(self, path: Path) -> np.ndarray:
        """Save the window as a PNG at `path`; returns it as a grey-level array."""
        import cv2

        path.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(["import", "-display", self.display.name, "-window", self.window,
                        str(path)], check=True, timeout=30)
        return cv2.imread(str(path), cv2.IMREAD_GRAYSCALE)

    def settled_screenshot(self, path: Path, timeout: float = 15.0) -> np.ndarray:
        """A screenshot once the window has stopped changing (an announcement comes
        before the repaint that shows it): two shots in a row alike."""
        deadline = time.monotonic() + timeout
        shot = self.screenshot(path)
        while time.monotonic() < deadline:
            again = self.screenshot(path)
            if np.array_equal(shot, again):
                return again
            shot = again
        return shot

    def paper(self, shot: np.ndarray, aspect: float = 1.0) -> tuple[int, int, int, int]:
        """(x, y, width, height) of the drawing pad in a screenshot: the largest white
        area about `aspect` times as wide as tall (square: the digit pad; the
        prediction card is white too, but narrower)."""
        import cv2

        count, _, stats, _ = cv2.connectedComponentsWithStats((shot == 255).astype(np.uint8))
        best = max((stats[i] for i in range(1, count)
                    if 0.8 < stats[i][2] / max(stats[i][3], 1) / aspect < 1.25),
                   key=lambda s: s[2] * s[3])
        return tuple(int(v) for v in best[:4])

    def draw(self, shot: np.ndarray, strokes: Sequence[Sequence[tuple[float, float]]],
             aspect: float = 1.0) -> None:
        """Draw strokes given in fractions of the pad (0..1 across and down) on the pad
        `aspect` times as wide as tall."""
        x, y, width, height = self.paper(shot, aspect)
        for stroke in strokes:
            self.drag([(x + round(u * width), y + round(v * height)) for u, v in stroke])

    def close(self, timeout: float = 30.0) -> int:
        """Quit with Ctrl+Q (killing the program if it will not go); the exit status."""
        if self.process.poll() is None and self.window:
            try:
                self.keys("ctrl+q")
                return self.process.wait(timeout)
            except (subprocess.SubprocessError, OSError):
                pass
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
        return self.process.wait(timeout)


def write_mnist_subset(source: Path, folder: Path, train: int, test: int) -> Path:
    """The first `train` training and `test` test images of the MNIST at `source`, as
    the four IDX files in `folder`: a run on them takes seconds."""
    import gzip

    from conftest import idx_bytes

    from trainer.mnist import load_mnist

    mnist = load_mnist(source)
    folder.mkdir(parents=True, exist_ok=True)
    parts = {"train-images-idx3-ubyte": mnist.train_images[:train],
             "train-labels-idx1-ubyte": mnist.train_labels[:train],
             "t10k-images-idx3-ubyte": mnist.test_images[:test],
             "t10k-labels-idx1-ubyte": mnist.test_labels[:test]}
    for name, array in parts.items():
        (folder / f"{name}.gz").write_bytes(gzip.compress(idx_bytes(np.asarray(array))))
    return folder


# Digits as strokes in fractions of the pad.
SEVEN = [[(0.28, 0.22), (0.72, 0.22), (0.58, 0.5), (0.46, 0.82)]]
ONE = [[(0.5, 0.18), (0.5, 0.82)]]
