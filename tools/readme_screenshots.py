"""Retake the README's screenshots in a real window, with nothing of this machine in them.

    .venv/bin/python tools/readme_screenshots.py [--out docs] [--mnist ../shared/data/mnist]

Starts the installed `digitpad` under Xvfb with a scratch home (the same driver
as tests/e2e: real mouse and key events from xdotool) and writes:

  screenshot-draw.png           the Draw tab reading a drawn 7 (English)
  screenshot-draw-zh_CN.png     the same in 简体中文
  screenshot-trainer.png        the Trainer tab after a short fine-tune on MNIST
  screenshot-high-contrast.png  View ▸ High contrast, the Draw tab
  screenshot-scale-200.png      QT_SCALE_FACTOR=2, the Draw tab

The Trainer screenshot needs MNIST (it copies 10,000 training and 2,000 test
images into the scratch home, so the Data box shows a path under ~).
Needs Xvfb, xdotool and ImageMagick (apt install xvfb xdotool imagemagick).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO / "tests" / "e2e"), str(REPO / "tests")]

from real_window import SEVEN, App, Display, missing_tools, write_mnist_subset  # noqa: E402

READING = r"\d[,，] ?"


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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs")
    parser.add_argument("--mnist", type=Path, default=REPO.parent / "shared" / "data" / "mnist")
    args = parser.parse_args()
    if missing_tools():
        print(f"needs {', '.join(missing_tools())}", file=sys.stderr)
        return 2
    out = args.out.resolve()
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        display = Display()
        try:
            for name, language, settings, keys in [
                    ("screenshot-draw.png", "en_US.UTF-8", "", ()),
                    ("screenshot-draw-zh_CN.png", "zh_CN.UTF-8", "", ()),
                    # Tab: the focus ring moves to "Yes, it's a 7"
                    ("screenshot-high-contrast.png", "en_US.UTF-8",
                     "[view]\nhigh_contrast=true\n", ("Tab",))]:
                app = App(display, scratch_home(root, name, settings), language=language)
                try:
                    app.start()
                    draw_seven(app, out / name, *keys)
                finally:
                    app.close()
                print(out / name)

            if (args.mnist / "train-images-idx3-ubyte.gz").exists():
                home = scratch_home(root, "trainer")
                # where DigitPad looks by itself, so the Data box shows ~/.local/share/…
                write_mnist_subset(args.mnist, home / ".local" / "share" / "digitpad" / "mnist",
                                   train=10000, test=2000)
                app = App(display, home)
                try:
                    app.start()
                    app.keys("ctrl+2", "alt+c", "ctrl+a", "3", "Tab")  # 3 epochs
                    app.keys("ctrl+Return")
                    app.announced(r"Finished: run", timeout=600)
                    app.point_at_status_bar()
                    app.settled_screenshot(out / "screenshot-trainer.png")
                finally:
                    app.close()
                print(out / "screenshot-trainer.png")
            else:
                print(f"no MNIST at {args.mnist}: the Trainer screenshot is not retaken",
                      file=sys.stderr)
        finally:
            display.close()

        # 200 %: a display large enough for the window at twice the size.
        display = Display(size=(2200, 1560))
        try:
            app = App(display, scratch_home(root, "scaled"),
                      environment={"QT_SCALE_FACTOR": "2"})
            try:
                app.start(size=(2080, 1440))
                draw_seven(app, out / "screenshot-scale-200.png")
            finally:
                app.close()
            print(out / "screenshot-scale-200.png")
        finally:
            display.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
