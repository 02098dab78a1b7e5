"""`digitpad finetune SOURCE`: "Fine-tune on my handwriting" without the window.

The same fine-tune as the Trainer tab's (digitpad.training.personal, the same
recipe and MNIST replay), on a folder of images in the ImageFolder layout, a
samples file exported from the app, or the user's stored samples (--samples).
Everything is read and checked before the fine-tune starts; the model is
written once, atomically, at the end, so Ctrl+C or a bad input leaves nothing
behind. The model in use changes only with --use.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

from tqdm import tqdm

from digitpad.cli.arguments import BUILTIN
from digitpad.cli.output import EXIT_INTERRUPTED, EXIT_TERMINATED
from digitpad.cli.train import Terminated, check_output_file, stop_on_sigterm
from digitpad.errors import SampleError
from digitpad.resources import embedded_model_path
from digitpad.store import model_in_use
from digitpad.store.models_folder import discard_unused_model_path, new_model_path
from digitpad.store.samples import Sample
from digitpad.training.personal import (
    MINIMUM_SAMPLES,
    SETTINGS_WITH_MNIST,
    SETTINGS_WITHOUT_MNIST,
    FineTuneResult,
    PersonalFineTune,
    load_replay_mnist,
)
from trainer.checkpoint import Checkpoint, load_checkpoint
from trainer.errors import DataError
from trainer.mnist import load_mnist


def finetune_command(args: argparse.Namespace) -> int:
    if (args.source is None) == (not args.samples):
        raise DataError("give one SOURCE (a folder of digit images or a samples file) "
                        "or --samples")
    if args.seed is not None and args.seed < 0:
        raise DataError(f"--seed must be 0 or more, got {args.seed}")
    if args.out is not None:
        check_output_file(args.out, force=args.force)
    source = starting_model(args.model)
    samples = personal_samples(args.source)
    if len(samples) < MINIMUM_SAMPLES:
        where = args.source or "your stored samples"
        raise DataError(f"{where}: {len(samples)} samples; a fine-tune needs at least "
                        f"{MINIMUM_SAMPLES}")
    mnist = _replay_mnist(args.data)
    settings = SETTINGS_WITH_MNIST if mnist is not None else SETTINGS_WITHOUT_MNIST
    if args.seed is not None:
        settings = replace(settings, seed=args.seed)
    tune = PersonalFineTune(source, samples, mnist, settings)
    with stop_on_sigterm():
        try:
            result = _run(tune)
        except (KeyboardInterrupt, Terminated) as stop:
            tune.cancel()
            print("Stopped; nothing was written.", file=sys.stderr)
            return EXIT_TERMINATED if isinstance(stop, Terminated) else EXIT_INTERRUPTED
    if result is None:
        print("Stopped; nothing was written.", file=sys.stderr)
        return EXIT_INTERRUPTED
    for line in result.summary():
        print(line)
    path = _save(result, args.out)
    print(f"Model saved to {path}")
    if args.use:
        model_in_use.remember(path)
        print("It is now the model in use.")
    return 0


def starting_model(name: str | None) -> Checkpoint:
    """--model: a file, 'builtin', or (None) the model in use, as the window would."""
    if name == BUILTIN:
        return load_checkpoint(embedded_model_path())
    if name is not None:
        return load_checkpoint(Path(name))
    checkpoint, note = model_in_use.load_model_in_use()
    if note:
        print(f"digitpad: warning: {note}", file=sys.stderr)
    return checkpoint


def personal_samples(source: Path | None) -> list[Sample]:
    """The samples of a folder of images, a samples file, or (None) the store."""
    if source is None:
        from digitpad.store.samples import SampleStore

        with SampleStore() as store:
            for problem in store.damaged():
                print(f"digitpad: warning: skipped: {problem}", file=sys.stderr)
            return store.samples()
    if source.is_dir():
        return _read_folder(source)
    if not source.exists():
        raise SampleError(f"{source}: no such file or folder")
    from digitpad.store.sample_file import read_sample_file

    return read_sample_file(source)


def _read_folder(folder: Path) -> list[Sample]:
    from digitpad.store.image_folder import image_files, read_image_folder

    total = sum(len(files) for files in image_files(folder).values())
    print(f"Reading {total:,} images from {folder}", file=sys.stderr)
    with tqdm(total=total, unit="image", file=sys.stderr, disable=None, leave=False) as bar:
        return read_image_folder(folder, lambda done, _total: bar.update(1))


def _replay_mnist(data: Path | None):
    if data is not None:
        return load_mnist(data)  # named by the user: a bad one is an error, not a fallback
    mnist = load_replay_mnist()
    if mnist is None:
        print("MNIST not found: fine-tuning on your samples only (--data names it)",
              file=sys.stderr)
    return mnist


def _run(tune: PersonalFineTune) -> FineTuneResult | None:
    """The fine-tune with its stages on stderr (and a bar on a terminal)."""
    stage = None
    with tqdm(total=100, unit="%", file=sys.stderr, disable=None, leave=False,
              bar_format="{desc} {bar} {percentage:3.0f} %") as bar:
        def progress(doing: str, fraction: float) -> None:
            nonlocal stage
            if doing != stage:
                stage = doing
                bar.set_description_str(doing)
                if bar.disable and doing != "done":
                    print(f"{doing[:1].upper()}{doing[1:]} …", file=sys.stderr, flush=True)
            bar.update(round(100 * fraction) - bar.n)

        return tune.run(progress)


def _save(result: FineTuneResult, out: Path | None) -> Path:
    path = out or new_model_path("personal")
    try:
        return model_in_use.save_model(result.checkpoint, path)
    finally:
        if out is None:
            discard_unused_model_path(path)  # the fresh name, if the write failed
