"""Does "Teach it your handwriting" work? Simulated users from pendigits.

For each writer the built-in model never saw (25-30 by default), 10 of their
digits of each kind are "taught": drawn on the real Canvas widget (offscreen)
through its stroke API, as a user would draw them in the Draw tab, and made
into samples exactly as the Draw tab stores them. Then the fine-tune the
Trainer tab runs (digitpad.training.personal) starts from the model in use, and we
measure that writer's accuracy on all their other digits, before and after,
MNIST test accuracy before and after (on the whole test set, measured here,
outside the timed fine-tune), and the seconds each fine-tune takes (including
its own before/after measurements, the way the user waits for them).

Every writer is fine-tuned with each recipe in turn: "baseline" (the recipe
before issue 12: the whole MNIST test set measured before and after, the
gentleness settings of then), "current" (SETTINGS_WITH_MNIST), and any
--variant given, so the ratios compare runs on the same busy machine.

Goals: the writer's error falls by at least half on average; MNIST test
accuracy drops by no more than 0.3 points for every writer; each fine-tune of
100 samples takes ≤ 15 s.

    python bench/personal_finetune.py [--writers 25-30] [--no-mnist] [--model PATH]
        [--recipes baseline,current] [--variant pull=0.03,personal_share=0.5]
    python bench/personal_finetune.py --folder DIGITS   # an ImageFolder of your digits
"""

from __future__ import annotations

import argparse
import os
import time
from dataclasses import fields, replace
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402
import torch  # noqa: E402

from _common import MNIST_DIR, PENDIGITS_FILE, a_digit, machine, require  # noqa: E402
from digitpad.recognizer import Recognizer  # noqa: E402
from digitpad.store.samples import Sample  # noqa: E402
from digitpad.training.personal import (  # noqa: E402
    SETTINGS_WITH_MNIST,
    SETTINGS_WITHOUT_MNIST,
    FineTuneSettings,
    PersonalFineTune,
)
from trainer.mnist import load_mnist  # noqa: E402
from trainer.model_file import DIGITS  # noqa: E402

TAUGHT_PER_DIGIT = 10
# The recipe as it was before issue 12 (commit 1604c8f), to compare with in the same run.
BASELINE = FineTuneSettings(steps=60, batch_size=64, personal_share=0.7, lr=5e-4, pull=0.01,
                            label_smoothing=0.05,
                            mnist_test_images=None)
BASELINE_WITHOUT_MNIST = FineTuneSettings(steps=40, lr=2.5e-4, pull=0.1, mnist_test_images=None,
                                          label_smoothing=0.05)


def digits_read(model: torch.nn.Module, images: np.ndarray) -> np.ndarray:
    """The likeliest of the ten digits for each image, as trainer.engine.evaluate
    counts it (an eleven-output model's "not a digit" output is no digit's vote)."""
    model.eval()
    with torch.inference_mode():
        return torch.cat([model(torch.from_numpy(images[i:i + 1000]).unsqueeze(1))
                          [:, :DIGITS].argmax(1)
                          for i in range(0, len(images), 1000)]).numpy()


def accuracy(model: torch.nn.Module, images: np.ndarray, labels: np.ndarray) -> float:
    return float((digits_read(model, images) == labels).mean())


def parse_variant(text: str, base: FineTuneSettings) -> FineTuneSettings:
    """'pull=0.03,steps=50' → base with those settings changed."""
    types = {f.name: f.type for f in fields(FineTuneSettings)}
    changes = {}
    for item in text.split(","):
        name, _, value = item.partition("=")
        if name not in types:
            raise SystemExit(f"--variant: no setting '{name}' (have {', '.join(types)})")
        changes[name] = None if value == "None" else (
            int(value) if "int" in str(types[name]) and "." not in value else float(value))
    return replace(base, **changes)


class Writers:
    """Simulated users: pendigits writers drawn on the real Canvas widget."""

    def __init__(self, writers: str, seed: int) -> None:
        from PySide6.QtWidgets import QApplication

        from digitpad.training.pendigits import parse_writers, read_pendigits
        from digitpad.ui.draw.canvas import Canvas

        self.app = QApplication.instance() or QApplication([])
        self.canvas = Canvas()
        self.canvas.resize(420, 420)
        self.seed = seed
        self.writers = sorted(parse_writers(writers))
        self.digits = read_pendigits(require(PENDIGITS_FILE, "pendigits"), set(self.writers))

    def draw(self, digit, fill: float, centre: tuple[float, float]) -> tuple[list, tuple]:
        from digitpad.drawing.strokes import fit_strokes
        from digitpad.ui.draw.canvas import DEFAULT_PEN_WIDTH, DRAWING_SIDE

        self.canvas.set_strokes(fit_strokes(digit.strokes, DRAWING_SIDE, fill, centre,
                                            DEFAULT_PEN_WIDTH))
        return self.canvas.strokes(), self.canvas.canvas_size()

    def taught_and_tested(self, writer: int) -> tuple[list[Sample], np.ndarray, np.ndarray]:
        """(taught samples as the Draw tab stores them, other digits' images, their labels)."""
        from digitpad.drawing.preprocess import preprocess
        from digitpad.drawing.strokes import render_strokes
        from digitpad.store.samples import checked_sample
        from digitpad.ui.draw.canvas import DEFAULT_PEN_WIDTH

        rng = np.random.default_rng(self.seed * 1000 + writer)
        mine = [d for d in self.digits if d.writer == writer]
        taught, tested = [], []
        for label in range(10):
            group = [d for d in mine if d.label == label]
            order = rng.permutation(len(group))
            taught += [group[i] for i in order[:TAUGHT_PER_DIGIT]]
            tested += [group[i] for i in order[TAUGHT_PER_DIGIT:]]
        samples = []
        for digit in taught:  # people draw at varying sizes and places
            fill = float(rng.uniform(0.45, 0.85))
            centre = (float(rng.uniform(0.4, 0.6)), float(rng.uniform(0.4, 0.6)))
            strokes, size = self.draw(digit, fill, centre)
            samples.append(checked_sample(digit.label, strokes, size, DEFAULT_PEN_WIDTH))
        images = []
        for digit in tested:  # the writer's other digits, normal pen at the normal size
            strokes, size = self.draw(digit, 0.6, (0.5, 0.5))
            processed = preprocess(render_strokes(strokes, size))
            images.append(np.zeros((28, 28), np.float32) if processed is None
                          else processed.image)
        self.app.processEvents()
        return samples, np.asarray(images, np.float32), np.asarray([d.label for d in tested])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--writers", default="25-30", help="writers to simulate (never trained on)")
    parser.add_argument("--folder", type=Path,
                        help="fine-tune on an ImageFolder of digits instead of simulated writers "
                             "(measured on its own held-back samples)")
    parser.add_argument("--model", default=None, help="model to start from (default: built-in)")
    parser.add_argument("--no-mnist", action="store_true",
                        help="fine-tune as a user without MNIST (personal samples only)")
    parser.add_argument("--recipes", default="baseline,current",
                        help="which recipes to run on every writer (baseline, current)")
    parser.add_argument("--variant", action="append", default=[], metavar="NAME=VALUE,...",
                        help="also try the current recipe with these settings changed")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    torch.manual_seed(args.seed)
    source = Recognizer.load(args.model).checkpoint
    mnist = load_mnist(require(MNIST_DIR, "MNIST"))
    current = SETTINGS_WITHOUT_MNIST if args.no_mnist else SETTINGS_WITH_MNIST
    known = {"baseline": BASELINE_WITHOUT_MNIST if args.no_mnist else BASELINE,
             "current": current}
    recipes = {name: known[name] for name in args.recipes.split(",") if name}
    for text in args.variant:
        recipes[text] = parse_variant(text, current)
    mnist_images = mnist.test_images.astype(np.float32) / 255
    mnist_source = accuracy(source.model, mnist_images, mnist.test_labels)

    print(f"Machine: {machine()} (load average {os.getloadavg()[0]:.1f} at the start)")
    print(f"Model: {Recognizer(source).describe()}")
    print(f"Mode: {'personal samples only' if args.no_mnist else 'with MNIST replay'}; "
          + ("an ImageFolder" if args.folder else
             f"{TAUGHT_PER_DIGIT} taught digits of each kind per writer"))
    for name, settings in recipes.items():
        print(f"  {name}: {settings}")
    print(f"\n{'writer':>6} {'recipe':>10} {'taught':>6} {'tested':>6}  {'writer accuracy':>20}"
          f"  {'errors':>9}  {'MNIST test':>17}  {'seconds':>7}")

    if args.folder:
        from digitpad.store.image_folder import read_image_folder

        cases = [("folder", read_image_folder(args.folder), None, None)]
    else:
        simulated = Writers(args.writers, args.seed)
        cases = [(w, *simulated.taught_and_tested(w)) for w in simulated.writers]
    rows: dict[str, list] = {name: [] for name in recipes}
    for writer, samples, images, labels in cases:
        for name, settings in recipes.items():
            stages: dict[str, float] = {}
            cpu_started = time.process_time()
            started = time.perf_counter()
            result = PersonalFineTune(source, samples, None if args.no_mnist else mnist,
                                      settings).run(
                lambda stage, _f, seen=stages: seen.setdefault(stage, time.perf_counter()))
            ended = time.perf_counter()
            cpu = time.process_time() - cpu_started  # all threads: a busy machine inflates it less
            assert result is not None
            seconds = ended - started
            cost = (stages["preparing your samples"] - started,  # measuring before
                    stages["measuring the new model"] - stages["preparing your samples"],
                    ended - stages["measuring the new model"])  # measuring after
            misread: list[str] = []
            if images is None:  # a folder: its own held-back samples
                before, after = result.held_back_before or 0.0, result.held_back_after or 0.0
                tested = result.held_back_samples
            else:
                before = accuracy(source.model, images, labels)
                read = digits_read(result.checkpoint.model, images)
                after = float((read == labels).mean())
                tested = len(labels)
                misread = [f"{a_digit(labels[i])} read as {read[i]}"
                           for i in np.flatnonzero(read != labels)]
            mnist_after = accuracy(result.checkpoint.model, mnist_images, mnist.test_labels)
            errors = (round((1 - before) * tested), round((1 - after) * tested))
            rows[name].append((before, after, mnist_source, mnist_after, seconds, *cost,
                               *errors, cpu))
            print(f"{writer:>6} {name[:10]:>10} {len(samples):>6} {tested:>6}  "
                  f"{100 * before:8.2f} % → {100 * after:6.2f} %  {errors[0]:>3} → "
                  f"{errors[1]:<3}  {100 * mnist_source:6.2f} → {100 * mnist_after:6.2f}  "
                  f"{seconds:7.1f}  ({cpu:.1f} s CPU)", flush=True)
            if misread:
                print("       still misread: " + ", ".join(misread))

    for name, table in rows.items():
        values = np.asarray(table)
        drops = 100 * (values[:, 2] - values[:, 3])
        errors_before, errors_after = int(values[:, 8].sum()), int(values[:, 9].sum())
        reduction = 1 - errors_after / errors_before if errors_before else 0.0
        slowest = values[:, 4].max()
        print(f"\n{name}:")
        print(f"  writer accuracy: {100 * values[:, 0].mean():.2f} % → "
              f"{100 * values[:, 1].mean():.2f} % ({errors_before} → {errors_after} errors, "
              f"{100 * reduction:.0f} % fewer)")
        print(f"  MNIST test drop: mean {drops.mean():.2f} points, worst writer "
              f"{drops.max():.2f} (per writer: {', '.join(f'{d:.2f}' for d in drops)})")
        print(f"  seconds per fine-tune: mean {values[:, 4].mean():.1f}, max {slowest:.1f}; "
              f"of which measuring before {values[:, 5].mean():.1f}, preparing and training "
              f"{values[:, 6].mean():.1f}, measuring after {values[:, 7].mean():.1f} (means); "
              f"CPU seconds mean {values[:, 10].mean():.1f}")
        print(f"  goals: error halved ({'met' if 2 * errors_after <= errors_before else 'NOT met'})"
              f", every writer's MNIST drop ≤ 0.3 points "
              f"({'met' if drops.max() <= 0.3 else 'NOT met'}), ≤ 15 s each "
              f"({'met' if slowest <= 15 else 'NOT met'})")
    if "baseline" in rows and len(rows) > 1:
        base = np.asarray(rows["baseline"])[:, 4].mean()
        for name, table in rows.items():
            if name != "baseline":
                cpu = np.asarray(table)[:, 10].mean() / np.asarray(rows["baseline"])[:, 10].mean()
                print(f"{name}: {np.asarray(table)[:, 4].mean() / base:.2f}× the baseline's "
                      f"mean seconds, {cpu:.2f}× its CPU seconds (same run, same machine)")


if __name__ == "__main__":
    main()
