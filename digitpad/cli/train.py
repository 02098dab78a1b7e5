"""`digitpad train`: the engine with a terminal progress bar."""

from __future__ import annotations

import argparse
import sys
import time
from datetime import datetime
from pathlib import Path

import torch
from tqdm import tqdm

from digitpad.store.paths import user_data_dir
from digitpad.training.session import TrainingJob, TrainingSession, epoch_line
from trainer.checkpoint import load_checkpoint
from trainer.config import TrainConfig, preset
from trainer.digitset import DigitSet
from trainer.engine import BatchEnd, EpochEnd
from trainer.errors import ConfigError


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


def _check_numbers(args: argparse.Namespace) -> None:
    for name in ("epochs", "batch_size", "threads"):
        value = getattr(args, name)
        if value is not None and value < 1:
            raise ConfigError(f"--{name.replace('_', '-')} must be at least 1, got {value}")


def _default_out(arch: str) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    return user_data_dir() / "models" / f"{arch}-{stamp}.safetensors"


def train_command(args: argparse.Namespace) -> int:
    _check_numbers(args)
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
        out = args.out or args.resume
    else:
        base = preset(args.preset) if args.preset else TrainConfig()
        start = load_checkpoint(args.start_from) if args.start_from else None
        if start is not None:
            if args.arch and args.arch != start.arch:
                raise ConfigError(f"{args.start_from}: is a {start.arch}, not a {args.arch}")
            base = base.updated(arch=start.arch).updated(arch_params=start.arch_params)
        config = config_from_args(args, base)
        out = args.out or _default_out(config.arch)

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
    started = time.perf_counter()
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
                    bar = tqdm(total=event.batches, desc=f"Epoch {event.epoch}", unit="batch",
                               disable=quiet, file=sys.stderr, leave=False)
                bar.update(1)
                bar.set_postfix(loss=f"{event.loss:.4f}", img_s=f"{event.images_per_second:.0f}")
            elif isinstance(event, EpochEnd):
                if bar is not None:
                    bar.close()
                    bar = None
                print(epoch_line(event), flush=True)
                if event.test is not None:
                    print(f"\n{event.test.tutorial_line()}\n", flush=True)
            else:
                print(event, file=sys.stderr)
    except KeyboardInterrupt:
        session.cancel()
        if bar is not None:
            bar.close()
        print(session.stop_line(), file=sys.stderr)
        print(f"Interrupted after epoch {session.engine.epoch}; resume with: "
              f"digitpad train --resume {session.checkpoint_path}", file=sys.stderr)
        raise SystemExit(130) from None


def _pendigits_set(path: Path, writers_text: str, seed: int) -> DigitSet:
    from digitpad.training.pendigits import parse_writers, read_pendigits, training_images

    samples = read_pendigits(path, parse_writers(writers_text))
    if not samples:
        raise ConfigError(f"{path}: no digits by writers {writers_text}")
    images, labels = training_images(samples, variants=3, seed=seed)
    return DigitSet.from_numpy(images, labels)
