"""End to end, in a real window: the installed `digitpad` under Xvfb, real mouse and
keyboard events (xdotool), the program read the way a screen reader hears it.

Screenshots are kept in e2e-artefacts/ (gitignored; DIGITPAD_E2E_ARTEFACTS moves
it). The tests skip when Xvfb, xdotool or ImageMagick is missing (.ci/run installs
them), and the training test when ../shared/data/mnist is absent.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import MNIST_DIR, REPO
from real_window import ONE, SEVEN, App, Display, missing_tools, write_mnist_subset

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(bool(missing_tools()), reason=f"needs {', '.join(missing_tools())} "
                       "(apt install xvfb xdotool imagemagick)"),
]

ARTEFACTS = Path(os.environ.get("DIGITPAD_E2E_ARTEFACTS", REPO / "e2e-artefacts"))
# The reading as announced: "7, 99.9 % sure" (English) or "7，把握 99.9 %" (Chinese).
READING = r"(?P<digit>\d)(?P<unsure>\?)?[,，] ?"


@pytest.fixture(scope="module")
def display():
    display = Display()
    yield display
    display.close()


@pytest.fixture
def app(display, tmp_path):
    """DigitPad in English, with an empty scratch home; closed (and checked) after."""
    started: list[App] = []

    def start(language: str = "en_US.UTF-8", **environment: str) -> App:
        app = App(display, tmp_path / "home", language=language, environment=environment)
        started.append(app)
        app.start()
        return app

    yield start
    for app in started:
        assert app.close() == 0, "\n".join(app.said[-20:])


def test_draw_read_and_teach_with_the_mouse_and_keys(app):
    pad = app()
    shot = pad.screenshot(ARTEFACTS / "draw-empty.png")
    pad.draw(shot, SEVEN)
    reading = pad.announced(READING + r".*sure")
    assert reading["digit"] == "7" and not reading["unsure"], pad.said
    pad.screenshot(ARTEFACTS / "draw-seven.png")

    pad.keys("Return")  # "Yes, it's a 7": the sample is stored, the pad clears
    pad.announced(r"Stored as a 7 \(1 so far\)")
    pad.draw(shot, ONE)
    assert pad.announced(READING)["digit"] == "1"
    pad.keys("3")  # "No, it's a 3": stored as what the user says
    pad.announced(r"Stored as a 3 \(1 so far\)")
    pad.keys("Escape")
    pad.screenshot(ARTEFACTS / "draw-taught.png")


def test_the_window_in_chinese(app):
    pad = app("zh_CN.UTF-8")
    shot = pad.screenshot(ARTEFACTS / "zh-draw-empty.png")
    pad.draw(shot, SEVEN)
    reading = pad.announced(READING + r"把握")
    assert reading["digit"] == "7"
    pad.screenshot(ARTEFACTS / "zh-draw-seven.png")
    pad.keys("Return")
    pad.announced(r"已存为 7")


@pytest.fixture
def small_mnist(tmp_path) -> Path:
    """1,000 training and 200 test images of the real MNIST: a run takes seconds."""
    if not (MNIST_DIR / "train-images-idx3-ubyte.gz").exists():
        pytest.skip(f"real MNIST not found at {MNIST_DIR}")
    return write_mnist_subset(MNIST_DIR, tmp_path / "mnist", train=1000, test=200)


def test_train_from_the_trainer_tab_with_the_keyboard(app, small_mnist):
    pad = app(DIGITPAD_MNIST=str(small_mnist))
    pad.keys("ctrl+2")  # View ▸ Show the Trainer tab
    pad.screenshot(ARTEFACTS / "trainer-ready.png")
    pad.keys("alt+c", "ctrl+a", "1", "Tab")  # the fine-tune preset, for one epoch only
    pad.keys("ctrl+Return")  # Train
    finished = pad.announced(r"Finished: run \S+, (\d+) epoch", timeout=150)
    assert finished[1] == "1"
    pad.settled_screenshot(ARTEFACTS / "trainer-finished.png")
    pad.keys("alt+u")  # Use this model
    pad.announced(r"Now drawing with the model of run")
