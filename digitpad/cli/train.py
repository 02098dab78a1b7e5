"""`digitpad train`: the engine with a terminal progress bar."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import torch
from tqdm import tqdm

from digitpad.cli.output import EXIT_INTERRUPTED, EXIT_TERMINATED
from digitpad.store.models_folder import discard_unused_model_path, new_model_path
from digitpad.training.session import TrainingJob, TrainingSession, epoch_line, plan_line
from trainer.checkpoint import Checkpoint, load_checkpoint
from trainer.config import TrainConfig, preset
from trainer.digitset import DigitSet
from trainer.engine import BatchEnd, EpochEnd
from trainer.errors import CheckpointError, ConfigError


def config_from_args(args: argparse.Namespace, base: TrainConfig) -> TrainConfig:
    """The preset or resumed run's settings, overridden by what the user typed."""
    arch_params = dict(base.arch_params)
    arch = args.arch or base.arch
    if args.arch and args.arch != base.arch:
        arch_params = {}
    if args.channels:
        if arch in ("seed", "seed-wide", "quicknet"):
            if len(args.channels) != 2:
                raise ConfigError(f"--channels for {arch} takes two numbers, e.g. --channels 32 64")
            arch_params.update(channels1=args.channels[0], channels2=args.channels[1])
        else:
            if len(args.channels) != 1:
                raise ConfigError(f"--channels for {arch} takes one number (its width)")
            arch_params.update(width=args.channels[0])
    if args.hidden is not None:
        arch_params.update(hidden=args.hidden)
    return base.updated(
        arch=arch, epochs=args.epochs, batch_size=args.batch_size, optimizer=args.optimizer,
        lr=args.lr, momentum=args.momentum, weight_decay=args.weight_decay,
        schedule=args.schedule, augment=args.augment, label_smoothing=args.label_smoothing,
        seed=args.seed, device=args.device,
    ).updated(arch_params=arch_params).validate()


# Far more threads than any machine has cores only costs memory; around 16,000
# PyTorch's thread pool fails to start and beyond it the process crashes.
MAX_THREADS = 256
# Settings a resumed run keeps as it was started: changing them mid-run would
# make it a different run, so a flag for one is refused rather than ignored.
FIXED_ON_RESUME = ("arch", "channels", "hidden", "batch_size", "optimizer", "lr", "momentum",
                   "weight_decay", "schedule", "augment", "label_smoothing", "preset",
                   "start_from", "seed", "pendigits")


def _check_numbers(args: argparse.Namespace) -> None:
    for name in ("epochs", "batch_size", "threads"):
        value = getattr(args, name)
        if value is not None and value < 1:
            raise ConfigError(f"--{name.replace('_', '-')} must be at least 1, got {value}")
    if args.threads is not None and args.threads > MAX_THREADS:
        raise ConfigError(f"--threads must be at most {MAX_THREADS}, got {args.threads} "
                          f"(this machine has {os.cpu_count()} cores)")


def _flag(name: str) -> str:
    return "--from" if name == "start_from" else f"--{name.replace('_', '-')}"


def _check_resume_flags(args: argparse.Namespace) -> None:
    given = [_flag(name) for name in FIXED_ON_RESUME
             if getattr(args, name) not in (None, False)]
    if given:
        raise ConfigError(f"{', '.join(given)} cannot be changed when resuming: the run "
                          f"continues with the settings it was started with (only --epochs, "
                          f"--device, --threads and --out apply)")


def train_command(args: argparse.Namespace) -> int:
    _check_numbers(args)
    if args.resume:
        _check_resume_flags(args)
    if args.out:
        check_output_file(args.out, force=args.force)
    if args.threads:
        torch.set_num_threads(args.threads)
    resume = load_checkpoint(args.resume, with_training_state=True) if args.resume else None
    start = None
    if resume is not None:
        if resume.config is None or resume.training_state is None:
            raise ConfigError(f"{args.resume}: holds no training state to resume from")
        if args.epochs and args.epochs != resume.config.epochs and resume.config.schedule != "none":
            raise ConfigError(f"{args.resume}: its {resume.config.schedule} schedule was planned "
                              f"for {resume.config.epochs} epochs; it cannot be changed on resume")
        config = resume.config.updated(epochs=args.epochs, device=args.device)
        if resume.epoch >= config.epochs:
            more = ("" if config.schedule != "none"
                    else f"; to train on, ask for more with --epochs {resume.epoch + 1} or more")
            raise ConfigError(f"{args.resume}: has finished all {config.epochs} of its epochs, "
                              f"so there is nothing to resume{more}")
        out = args.out or args.resume
    else:
        base = preset(args.preset) if args.preset else TrainConfig()
        start = load_checkpoint(args.start_from) if args.start_from else None
        if start is not None:
            if args.arch and args.arch != start.arch:
                raise ConfigError(f"{args.start_from}: is a {start.arch}, not a {args.arch}")
            base = base.updated(arch=start.arch).updated(arch_params=start.arch_params)
        config = config_from_args(args, base)
        out = args.out or new_model_path(config.arch)
    try:
        return _train(args, config, out, resume, start)
    finally:
        if not args.out:
            discard_unused_model_path(out)  # the fresh name, if nothing was saved to it


def _train(args: argparse.Namespace, config: TrainConfig, out: Path,
           resume: Checkpoint | None, start: Checkpoint | None) -> int:
    job = TrainingJob(config, checkpoint_path=out, data=args.data, resume=resume,
                      model=start.model if start is not None else None)
    session = TrainingSession(job)
    train, test = session.load_data()
    if args.pendigits:
        drawn = _pendigits_set(args.pendigits, args.pendigits_writers, config.seed)
        print(f"Adding {len(drawn):,} renderings of pen-drawn digits "
              f"(writers {args.pendigits_writers}) to the training data", file=sys.stderr)
        train = train + drawn
        job.info["pendigits_writers"] = args.pendigits_writers
    engine = session.build_engine(train, test)
    print(f"Training {config.arch} on {session.mnist.describe()}, {config.epochs} epochs, "
          f"{config.optimizer} lr {config.learning_rate:g}, device {engine.device}; "
          f"saving to {out}", file=sys.stderr)
    plan = plan_line(config, len(train), len(test) if test is not None else None)
    if plan:
        print(plan, file=sys.stderr)
    started = time.perf_counter()
    with stop_on_sigterm():
        _run_with_progress(session, quiet=args.quiet)
    if args.model_only:
        engine.save(out, training_state=False)
    print(f"Done in {time.perf_counter() - started:.1f} s; model saved to {out}", file=sys.stderr)
    return 0


def _run_with_progress(session: TrainingSession, quiet: bool) -> None:
    bar = None
    try:
        for event in session.events():
            if isinstance(event, BatchEnd):
                if bar is None:
                    # disable=None: no bar where stderr is no terminal (a log file, CI),
                    # which would otherwise get one line per batch.
                    bar = tqdm(total=event.batches, desc=f"Epoch {event.epoch}", unit="batch",
                               disable=True if quiet else None, file=sys.stderr, leave=False)
                # refresh=False: redrawn at tqdm's pace (10 a second), not on every batch
                bar.set_postfix(loss=f"{event.loss:.4f}", img_s=f"{event.images_per_second:.0f}",
                                refresh=False)
                bar.update(1)
            elif isinstance(event, EpochEnd):
                if bar is not None:
                    bar.close()
                    bar = None
                print(epoch_line(event), flush=True)
                if event.test is not None:
                    print(f"\n{event.test.tutorial_line()}\n", flush=True)
            else:
                print(event, file=sys.stderr)
    except (KeyboardInterrupt, Terminated) as stop:
        session.cancel()
        if bar is not None:
            bar.close()
        terminated = isinstance(stop, Terminated)
        print(session.stop_line(), file=sys.stderr)
        what = "Terminated" if terminated else "Interrupted"
        saved = session.checkpoint_path
        if session.engine.epoch > 0 and saved is not None and saved.exists():
            print(f"{what} after epoch {session.engine.epoch}; resume with: "
                  f"digitpad train --resume {saved}", file=sys.stderr)
        else:
            print(f"{what} before the first epoch ended; nothing was saved.", file=sys.stderr)
        raise SystemExit(EXIT_TERMINATED if terminated else EXIT_INTERRUPTED) from None


class Terminated(Exception):
    """SIGTERM arrived (a shutdown, `kill`): stop like Ctrl+C, and say so."""


@contextmanager
def stop_on_sigterm() -> Iterator[None]:
    def terminate(signum, frame) -> None:
        raise Terminated()

    try:
        previous = signal.signal(signal.SIGTERM, terminate)
    except ValueError:  # not the main thread: leave signals to whoever owns them
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def check_output_file(out: Path, *, force: bool) -> None:
    """Refuse an --out that training would only fail on after its first epoch, or that
    names something a model must not replace; checked before any training starts."""
    if out.is_dir():
        raise ConfigError(f"{out}: is a folder; --out names the model file to write")
    if out.exists() or out.is_symlink():
        if not out.is_file():
            raise ConfigError(f"{out}: is not a regular file; refusing to replace it with a model")
        if not force:
            try:
                load_checkpoint(out)
            except CheckpointError:
                raise ConfigError(f"{out}: exists and is not a DigitPad model; choose another "
                                  f"--out, or add --force to replace it") from None
    folder = out.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as problem:
        raise ConfigError(f"{out}: cannot be written ({problem.strerror or problem})") from None


def _pendigits_set(path: Path, writers_text: str, seed: int) -> DigitSet:
    from digitpad.training.pendigits import parse_writers, read_pendigits, training_images

    samples = read_pendigits(path, parse_writers(writers_text))
    if not samples:
        raise ConfigError(f"{path}: no digits by writers {writers_text}")
    images, labels = training_images(samples, variants=3, seed=seed)
    return DigitSet.from_numpy(images, labels)
