"""Retake the README's screenshots in a real window, with nothing of this machine in them.

    .venv/bin/python tools/readme_screenshots.py [--out docs] [--mnist ../shared/data/mnist]
        [--only inside mistakes ...]

Starts the installed `digitpad` under Xvfb with a scratch home (the same driver
as tests/e2e: real mouse and key events from xdotool) and writes:

  screenshot-draw.png           the Draw tab reading a drawn 7 (English)
  screenshot-draw-zh_CN.png     the same in 简体中文
  screenshot-trainer.png        the Trainer tab after a short fine-tune on MNIST
  screenshot-filters-forming.png  the Trainer tab early in a new network's first
                                epoch, paused: its first filters forming
  screenshot-inside.png         the Inside tab on a drawn 4: saliency on, one map enlarged
  screenshot-mistakes.png       the Mistakes tab: MNIST test evaluated, its commonest
                                mistake's images (all by keyboard)
  screenshot-number-mode.png    number mode (N): 2026 written on the wide pad
  screenshot-high-contrast.png  View ▸ High contrast, the Draw tab
  screenshot-scale-200.png      QT_SCALE_FACTOR=2, the Draw tab

The Trainer and Mistakes screenshots need MNIST (the Trainer's copies 10,000 training and 2,000 test
images into the scratch home, so the Data box shows a path under ~).
Needs Xvfb, xdotool and ImageMagick (apt install xvfb xdotool imagemagick).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO / "tests" / "e2e"), str(REPO / "tests")]

from real_window import SEVEN, App, Display, missing_tools, write_mnist_subset  # noqa: E402

READING = r"\d[,，] ?"
FOUR = [[(0.6, 0.16), (0.24, 0.62), (0.8, 0.62)], [(0.6, 0.36), (0.6, 0.86)]]
SIZE = (1280, 860)  # the tabs with many pictures need room
# "2026" in fractions of the number pad, which is three times as wide as tall.
NUMBER = [
    [(0.10, 0.30), (0.12, 0.22), (0.16, 0.18), (0.20, 0.21), (0.215, 0.31), (0.19, 0.45),
     (0.10, 0.78), (0.225, 0.78)],
    [(0.32, 0.20), (0.285, 0.32), (0.275, 0.55), (0.29, 0.75), (0.33, 0.80), (0.37, 0.72),
     (0.385, 0.45), (0.37, 0.25), (0.325, 0.19)],
    [(0.45, 0.30), (0.47, 0.22), (0.51, 0.18), (0.55, 0.21), (0.565, 0.31), (0.54, 0.45),
     (0.45, 0.78), (0.575, 0.78)],
    [(0.76, 0.18), (0.70, 0.35), (0.68, 0.60), (0.70, 0.77), (0.74, 0.80), (0.78, 0.74),
     (0.78, 0.60), (0.74, 0.53), (0.69, 0.62)],
]
NUMBER_PAD_ASPECT = 3.0
FILTERS_FORMING_AFTER_S = 4.5


def scratch_home(root: Path, name: str, settings: str = "") -> Path:
    home = root / name
    if settings:
        folder = home / ".config" / "DigitPad"
        folder.mkdir(parents=True)
        (folder / "DigitPad.ini").write_text(settings)
    return home


def draw_seven(app: App, shot_path: Path, *keys: str) -> None:
    shot = app.screenshot(shot_path)
    app.draw(shot, SEVEN)
    app.announced(READING)
    app.point_at_status_bar()  # the pointer off the pad
    if keys:
        app.keys(*keys)
    app.settled_screenshot(shot_path)


def number_mode(app: App, shot_path: Path) -> None:
    """N: the wide pad; 2026 written on it, each digit boxed with its confidence."""
    app.keys("n")
    app.draw(app.screenshot(shot_path), NUMBER, aspect=NUMBER_PAD_ASPECT)
    app.announced(r"2026: 4 digits")
    app.point_at_status_bar()
    app.settled_screenshot(shot_path)


def inside(app: App, shot_path: Path) -> None:
    """A 4 drawn on the Draw tab, looked at inside: saliency on, the keyboard on the
    second convolution's maps, one of them enlarged."""
    app.draw(app.screenshot(shot_path), FOUR)
    app.announced(r"4[,，]")
    app.point_at_status_bar()
    app.keys("ctrl+3", "alt+s")  # the Inside tab (the drawing moves along), saliency
    # Tab from the saliency box: the "why not" digits, …, the kernels, layer 1, the
    # second convolution (layer 4); then along its maps to one that finds the crossbar.
    app.keys(*["Tab"] * 6, "Right", "Right", "Right", "Down")
    app.settled_screenshot(shot_path)


def commonest_mistake(mnist: Path) -> tuple[int, int]:
    """(true, read) of the built-in model's most frequent mistake on MNIST test."""
    import os

    os.environ["DIGITPAD_MNIST"] = str(mnist)
    from digitpad.inside.mistakes import run_to_end
    from digitpad.recognizer import Recognizer
    from digitpad.ui.inside.mistakes_page import MNIST_TEST, evaluation_job

    result, _, _ = run_to_end(evaluation_job(Recognizer.load(), MNIST_TEST))
    confusion = result.confusion.copy()
    confusion[range(10), range(10)] = 0
    true, read = divmod(int(confusion.argmax()), 10)
    return true, read


def mistakes(app: App, shot_path: Path, cell: tuple[int, int]) -> None:
    """The Mistakes tab evaluated by keyboard, the arrow keys on `cell`."""
    app.keys("ctrl+4", "alt+a")
    app.announced(r".*images misread", timeout=120)
    true, read = cell
    # Tab from the tab bar past the set and Evaluate to the matrix; Ctrl+Home: its corner.
    app.keys("Tab", "Tab", "Tab", "ctrl+Home", *["Down"] * true, *["Right"] * read)
    app.point_at_status_bar()
    app.settled_screenshot(shot_path)


def shoot(display: Display, home: Path, shot: Path, act: Callable[[App, Path], None], *,
          language: str = "en_US.UTF-8", size: tuple[int, int] = (1040, 720),
          environment: dict[str, str] | None = None) -> None:
    """Start DigitPad with `home`, let `act` take the screenshot `shot`, quit."""
    app = App(display, home, language=language, environment=environment)
    try:
        app.start(size=size)
        act(app, shot)
    finally:
        app.close()
    print(shot)


def trainer(app: App, shot_path: Path) -> None:
    app.keys("ctrl+2", "alt+c", "ctrl+a", "3", "Tab")  # 3 epochs
    app.keys("ctrl+Return")
    app.announced(r"Finished: run", timeout=600)
    app.point_at_status_bar()
    app.settled_screenshot(shot_path)


def filters_forming(app: App, shot_path: Path) -> None:
    """A new network of the built-in design trained on MNIST, paused early in
    its first epoch, when its filters have just begun to take shape."""
    app.keys("ctrl+2", "alt+w", "alt+c", "ctrl+a", "1", "Tab")  # a new model, 1 epoch
    app.keys("ctrl+Return")
    # A while into the epoch (about a quarter of it on this project's machine); the
    # tool waits a fixed time because training reports no progress to screen readers.
    time.sleep(FILTERS_FORMING_AFTER_S)
    app.keys("ctrl+p")
    app.point_at_status_bar()
    app.settled_screenshot(shot_path)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs")
    parser.add_argument("--mnist", type=Path, default=REPO.parent / "shared" / "data" / "mnist")
    parser.add_argument("--only", nargs="+", metavar="NAME",
                        help="retake only these (e.g. inside mistakes: screenshot-NAME.png)")
    args = parser.parse_args()
    if missing_tools():
        print(f"needs {', '.join(missing_tools())}", file=sys.stderr)
        return 2
    out = args.out.resolve()

    def wanted(name: str) -> bool:
        return not args.only or name in args.only

    has_mnist = (args.mnist / "train-images-idx3-ubyte.gz").exists()
    if not has_mnist:
        print(f"no MNIST at {args.mnist}: the Trainer and Mistakes screenshots are not "
              "retaken", file=sys.stderr)
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        display = Display()
        try:
            for name, language, settings, keys in [
                    ("draw", "en_US.UTF-8", "", ()),
                    ("draw-zh_CN", "zh_CN.UTF-8", "", ()),
                    # Tab: the focus ring moves to "Yes, it's a 7"
                    ("high-contrast", "en_US.UTF-8", "[view]\nhigh_contrast=true\n", ("Tab",))]:
                if wanted(name):
                    shoot(display, scratch_home(root, name, settings),
                          out / f"screenshot-{name}.png",
                          lambda app, shot, keys=keys: draw_seven(app, shot, *keys),
                          language=language)
            if wanted("number-mode"):
                shoot(display, scratch_home(root, "number-mode"),
                      out / "screenshot-number-mode.png", number_mode, size=(1180, 760))
            if wanted("inside"):
                shoot(display, scratch_home(root, "inside"), out / "screenshot-inside.png",
                      inside, size=SIZE)
            if has_mnist and wanted("mistakes"):
                cell = commonest_mistake(args.mnist)
                home = scratch_home(root, "mistakes")
                # where DigitPad looks by itself, so no path of this machine shows
                write_mnist_subset(args.mnist, home / ".local" / "share" / "digitpad" / "mnist",
                                   train=100, test=10000)
                shoot(display, home, out / "screenshot-mistakes.png",
                      lambda app, shot: mistakes(app, shot, cell), size=SIZE)
            if has_mnist and wanted("trainer"):
                home = scratch_home(root, "trainer")
                # where DigitPad looks by itself, so the Data box shows ~/.local/share/…
                write_mnist_subset(args.mnist, home / ".local" / "share" / "digitpad" / "mnist",
                                   train=10000, test=2000)
                shoot(display, home, out / "screenshot-trainer.png", trainer)
            if has_mnist and wanted("filters-forming"):
                home = scratch_home(root, "filters-forming")
                write_mnist_subset(args.mnist, home / ".local" / "share" / "digitpad" / "mnist",
                                   train=60000, test=10000)
                shoot(display, home, out / "screenshot-filters-forming.png", filters_forming,
                      size=SIZE)
        finally:
            display.close()

        if wanted("scale-200"):
            # 200 %: a display large enough for the window at twice the size.
            display = Display(size=(2200, 1560))
            try:
                shoot(display, scratch_home(root, "scaled"), out / "screenshot-scale-200.png",
                      draw_seven, size=(2080, 1440), environment={"QT_SCALE_FACTOR": "2"})
            finally:
                display.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
