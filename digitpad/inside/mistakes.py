"""Which images a model misreads: a confusion matrix that remembers its mistakes.

One pass over a labelled set gives both the matrix (rows: the true digit,
columns: the answer) and, for every image read wrong, its index, true digit,
answer and confidence. It yields its progress as it goes, so the window runs
it in a worker with a progress bar and the command line in a plain loop.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Mistake:
    index: int  # the image's place in the set
    true: int
    read: int
    confidence: float  # the probability the model gave its (wrong) answer


@dataclass(frozen=True)
class Evaluation:
    confusion: np.ndarray  # (10, 10) counts, rows: true digit, columns: answer
    mistakes: tuple[Mistake, ...]

    @property
    def total(self) -> int:
        return int(self.confusion.sum())

    @property
    def accuracy(self) -> float | None:
        return float(np.trace(self.confusion)) / self.total if self.total else None

    def mistakes_in(self, true: int, read: int) -> list[Mistake]:
        """The mistakes of one cell of the matrix, surest first."""
        found = [m for m in self.mistakes if m.true == true and m.read == read]
        return sorted(found, key=lambda m: -m.confidence)


def read_all(probabilities: Callable[[np.ndarray], np.ndarray], images: np.ndarray,
             labels: np.ndarray, batch_size: int = 1000,
             ) -> Generator[float, None, Evaluation]:
    """Read every image (N, 28, 28; uint8 ink high, or float 0..1) with
    `probabilities` (images → (n, 10)); yields the fraction done after each batch."""
    confusion = np.zeros((10, 10), np.int64)
    mistakes: list[Mistake] = []
    count = len(labels)
    for start in range(0, count, batch_size):
        batch = np.asarray(images[start:start + batch_size])
        if batch.dtype == np.uint8:
            batch = batch.astype(np.float32) / 255
        found = probabilities(batch)
        answers = found.argmax(axis=1)
        truth = np.asarray(labels[start:start + batch_size], np.int64)
        np.add.at(confusion, (truth, answers), 1)
        for offset in np.flatnonzero(answers != truth):
            answer = int(answers[offset])
            mistakes.append(Mistake(start + int(offset), int(truth[offset]), answer,
                                    float(found[offset, answer])))
        yield min(start + batch_size, count) / count
    return Evaluation(confusion, tuple(mistakes))


def run_to_end(steps: Generator[float, None, Evaluation]) -> Evaluation:
    """Drive a `read_all` without watching its progress."""
    while True:
        try:
            next(steps)
        except StopIteration as end:
            return end.value


def mistake_file_name(mistake: Mistake, count: int) -> str:
    """`true7-read2-0123.png`: the index padded to the width of the set's largest."""
    width = max(4, len(str(max(count - 1, 0))))
    return f"true{mistake.true}-read{mistake.read}-{mistake.index:0{width}d}.png"
