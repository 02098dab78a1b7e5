"""Training keeps freed memory for the next batch (trainer/allocator.py)."""

from __future__ import annotations

import platform
import sys

import pytest

from trainer import allocator, engine
from trainer.config import TrainConfig
from trainer.digitset import DigitSet

glibc = sys.platform.startswith("linux") and platform.libc_ver()[0] == "glibc"


@pytest.mark.skipif(not glibc, reason="mallopt is glibc's; elsewhere nothing is changed")
def test_glibc_agrees_to_keep_freed_memory() -> None:
    assert allocator.keep_freed_memory() is True
    assert allocator.keep_freed_memory() is True  # a second call changes nothing


def test_other_systems_are_left_alone(monkeypatch) -> None:
    monkeypatch.setattr(allocator, "_done", False)
    monkeypatch.setattr(allocator.sys, "platform", "darwin")
    assert allocator.keep_freed_memory() is False


def test_a_cpu_engine_asks_for_it(monkeypatch) -> None:
    import torch

    asked = []
    monkeypatch.setattr(engine, "keep_freed_memory", lambda: asked.append(True))
    images = torch.zeros((8, 28, 28), dtype=torch.uint8)
    engine.Engine(TrainConfig(arch="seed", device="cpu"), DigitSet(images, torch.arange(8) % 10))
    assert asked == [True]
