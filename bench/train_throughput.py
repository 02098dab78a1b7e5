"""Training throughput: the Engine against plain loops, same model and data, same run.

Prints images per second for
  * the Engine (what `digitpad train` and the Trainer tab use),
  * a plain loop over in-memory tensor batches (the strictest baseline: no
    framework at all), and
  * the tutorial's loop (pytorch/examples: a Dataset that converts one image
    at a time, fed through a DataLoader),
all training the tutorial's `seed` network with SGD (lr 0.01, momentum 0.5,
batch 64), no augmentation. The three run in turn, several rounds; the ratio
Engine / plain is taken within each round and its median printed.
Goal: ratio ≥ 1.0.

A second part measures digitnet, trained the way the Trainer tab's default
(fine-tune) preset trains it: AdamW, batch 128, augmentation, bfloat16 where
the processor has it. It compares the Engine with the Engine as commit BASELINE
had it (float32, the usual memory layout, an unfused optimizer), alternating
in the same run, with as many torch threads as the Trainer tab uses. Goal: ≥ 1.5.

    python bench/train_throughput.py [--batches 300] [--rounds 8] [--threads N]
                                     [--digitnet-batches 30] [--digitnet-rounds 4]
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import time

import torch
from torch.nn import functional as F
from torch.utils.data import DataLoader, Dataset

from _common import BASELINE, MNIST_DIR, machine, module_at, require
from digitpad.training.session import training_threads
from trainer.config import TrainConfig, preset
from trainer.digitset import mnist_sets
from trainer.engine import BatchEnd, Engine
from trainer.mnist import load_mnist
from trainer.models import build_model

BATCH = 64


def engine_rate(train, batches: int, config: TrainConfig | None = None,
                engine_class=Engine, warm_up: int = 10) -> float:
    config = config or TrainConfig(arch="seed", optimizer="sgd", lr=0.01, momentum=0.5,
                                   batch_size=BATCH, epochs=1, schedule="none", augment=False,
                                   seed=1)
    engine = engine_class(config, train, None)
    start = None
    for event in engine.events():
        # By name: the baseline's Engine has its own BatchEnd class.
        if type(event).__name__ == BatchEnd.__name__:
            if event.batch == warm_up:  # skip warm-up, as for the baselines
                start = time.perf_counter()
            if event.batch == warm_up + batches:
                engine.cancel()
    return batches * config.batch_size / (time.perf_counter() - start)


def digitnet_part(train, batches: int, rounds: int) -> None:
    """digitnet as the Trainer tab's default preset trains it: the Engine now and at BASELINE."""
    config = preset("finetune").updated(arch="digitnet", epochs=1, epoch_images=None)
    old_engine = module_at(BASELINE, "trainer/engine.py").Engine
    torch.set_num_threads(training_threads())
    print(f"\ndigitnet: AdamW, batch {config.batch_size}, augmented, precision "
          f"{config.precision} (native here: {Engine(config, train).bfloat16}), "
          f"{torch.get_num_threads()} thread(s) as in the Trainer tab, {batches} batches per "
          f"measurement, {rounds} rounds; baseline: the Engine at {BASELINE[:8]}")
    rates = {"now": [], "baseline": []}
    engines = {"now": Engine, "baseline": old_engine}
    for round_number in range(rounds):
        names = list(engines) if round_number % 2 == 0 else list(reversed(engines))
        for name in names:
            rates[name].append(engine_rate(train, batches, config, engines[name], warm_up=3))
        print(f"  round {round_number + 1}: now {rates['now'][-1]:.0f} images/s, baseline "
              f"{rates['baseline'][-1]:.0f} images/s", flush=True)
    paired = [n / b for n, b in zip(rates["now"], rates["baseline"], strict=True)]
    print(f"digitnet training: median {statistics.median(rates['now']):.0f} images/s, baseline "
          f"{statistics.median(rates['baseline']):.0f} images/s; ratio median "
          f"{statistics.median(paired):.2f} (goal >= 1.5)")


def plain_rate(train, batches: int) -> float:
    torch.manual_seed(1)
    model = build_model("seed")
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.5)
    model.train()
    order = torch.randperm(len(train))
    start = None
    for step in range(10 + batches):
        if step == 10:
            start = time.perf_counter()
        index = order[step * BATCH:(step + 1) * BATCH]
        x = train.images[index].unsqueeze(1).float() / 255
        y = train.labels[index]
        optimizer.zero_grad()
        loss = F.nll_loss(model(x), y)
        loss.backward()
        optimizer.step()
    return batches * BATCH / (time.perf_counter() - start)


class TutorialDataset(Dataset):
    """Like torchvision's MNIST with ToTensor(): one image converted at a time."""

    def __init__(self, digits) -> None:
        self.digits = digits

    def __len__(self) -> int:
        return len(self.digits)

    def __getitem__(self, i):
        return self.digits.images[i].unsqueeze(0).float() / 255, int(self.digits.labels[i])


def tutorial_rate(train, batches: int) -> float:
    torch.manual_seed(1)
    model = build_model("seed")
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.5)
    loader = DataLoader(TutorialDataset(train), batch_size=BATCH, shuffle=True)
    model.train()
    start = None
    for step, (x, y) in enumerate(itertools.islice(loader, 10 + batches)):
        if step == 10:
            start = time.perf_counter()
        optimizer.zero_grad()
        loss = F.nll_loss(model(x), y)
        loss.backward()
        optimizer.step()
    return batches * BATCH / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batches", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--threads", type=int, help="torch threads for the seed part")
    parser.add_argument("--digitnet-batches", type=int, default=30)
    parser.add_argument("--digitnet-rounds", type=int, default=4, help="0: skip digitnet")
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    train, _ = mnist_sets(load_mnist(require(MNIST_DIR, "MNIST")))
    print(f"Machine: {machine()}")
    if args.rounds:
        seed_part(train, args.batches, args.rounds)
    if args.digitnet_rounds:
        digitnet_part(train, args.digitnet_batches, args.digitnet_rounds)


def seed_part(train, batches: int, rounds: int) -> None:
    """The Engine against the plain loops, training the tutorial's seed network."""
    print(f"Model: seed, SGD lr 0.01 momentum 0.5, batch {BATCH}, {batches} batches "
          f"per measurement after 10 warm-up batches, {rounds} rounds")
    rates = {"engine": [], "plain": [], "tutorial": []}
    measure = {"engine": engine_rate, "plain": plain_rate, "tutorial": tutorial_rate}
    for round_number in range(rounds):
        # Alternate the order: this shared machine's speed drifts over seconds,
        # and no contender should always run first.
        order = list(measure) if round_number % 2 == 0 else list(reversed(measure))
        for name in order:
            rates[name].append(measure[name](train, batches))
    for name, label in (("engine", "Engine"), ("plain", "plain loop, tensor batches"),
                        ("tutorial", "tutorial loop, DataLoader")):
        runs = ", ".join(f"{r:.0f}" for r in rates[name])
        print(f"{label:>28}: median {statistics.median(rates[name]):6.0f} images/s   "
              f"(rounds: {runs})")
    for baseline, label in (("plain", "plain loop"), ("tutorial", "tutorial loop")):
        # The ratio within each round, where both ran seconds apart, then the median.
        paired = [e / b for e, b in zip(rates["engine"], rates[baseline], strict=True)]
        print(f"Ratio Engine / {label}: median {statistics.median(paired):.3f} over "
              f"{len(paired)} rounds (each round: {', '.join(f'{r:.2f}' for r in paired)})"
              + ("  (goal >= 1.0)" if baseline == "plain" else ""))


if __name__ == "__main__":
    main()
