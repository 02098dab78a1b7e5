"""Choosing where tensors live: --device auto|cpu|cuda|mps."""

from __future__ import annotations

import torch

from trainer.errors import ConfigError

DEVICES = ("auto", "cpu", "cuda", "mps")


def resolve_device(name: str = "auto") -> torch.device:
    """Turn a user's device choice into a torch.device, or say why it cannot be used."""
    if name not in DEVICES:
        raise ConfigError(f"unknown device '{name}' (choose from {', '.join(DEVICES)})")
    cuda = torch.cuda.is_available()
    mps = getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available()
    if name == "auto":
        return torch.device("cuda" if cuda else "mps" if mps else "cpu")
    if name == "cuda" and not cuda:
        raise ConfigError("--device cuda: no CUDA GPU is available to this PyTorch build")
    if name == "mps" and not mps:
        raise ConfigError("--device mps: Apple's Metal backend is not available here")
    return torch.device(name)


def native_bfloat16(device: torch.device) -> bool:
    """Whether this device computes in bfloat16 natively; where it does not, bfloat16
    is emulated and slower than float32."""
    if device.type == "cuda":
        return torch.cuda.is_bf16_supported()
    if device.type == "cpu":
        checks = ("_is_avx512_bf16_supported", "_is_amx_tile_supported")
        return any(getattr(torch.cpu, name, lambda: False)() for name in checks)
    return False
