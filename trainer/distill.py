"""Knowledge distillation (Hinton, Vinyals and Dean, 2015): one network learns
from an ensemble of others as well as from the labels.

Several networks trained apart make different mistakes, so their averaged
answer is better than any one of them, but reading a drawing with all of them
costs all of their time. A student network trained to give the ensemble's
answer on the same images keeps much of that gain at the cost of one network.
The ensemble's answer is softened by a temperature so that the student also
learns which wrong answers the teachers found plausible (a 7 that looks a bit
like a 1).
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import nn
from torch.nn import functional as F

from trainer.errors import ConfigError


class Distillation:
    """The loss of one batch for a student: `label_weight` of the usual loss on the
    labels plus the rest of the KL divergence from the teachers' softened mean answer,
    scaled by temperature² so its gradients keep their size whatever the temperature.

    Use an instance as `Engine(..., batch_loss=...)`: it is called with the augmented
    images the student saw, its log-probabilities and the labels.
    """

    def __init__(self, teachers: Sequence[nn.Module], temperature: float = 2.0,
                 label_weight: float = 0.5) -> None:
        if not teachers:
            raise ConfigError("distillation needs at least one teacher model")
        if temperature <= 0:
            raise ConfigError(f"the distillation temperature must be above 0, got {temperature}")
        if not 0 <= label_weight <= 1:
            raise ConfigError(f"the labels' weight must be between 0 and 1, got {label_weight}")
        self.teachers = list(teachers)
        for teacher in self.teachers:
            teacher.eval()  # their BatchNorm statistics and no dropout: their real answers
            teacher.requires_grad_(False)
        self.temperature = temperature
        self.label_weight = label_weight

    def to(self, device: torch.device | str) -> Distillation:
        self.teachers = [teacher.to(device) for teacher in self.teachers]
        return self

    @torch.no_grad()
    def teachers_answer(self, images: torch.Tensor) -> torch.Tensor:
        """The teachers' mean log-probabilities (the log of their probabilities'
        geometric mean, up to a constant: what softmax reads as logits)."""
        return torch.stack([teacher(images).float() for teacher in self.teachers]).mean(0)

    def __call__(self, images: torch.Tensor, log_probabilities: torch.Tensor,
                 labels: torch.Tensor) -> torch.Tensor:
        t = self.temperature
        target = F.log_softmax(self.teachers_answer(images) / t, dim=1)
        student = F.log_softmax(log_probabilities / t, dim=1)
        soft = F.kl_div(student, target, reduction="batchmean", log_target=True) * t * t
        hard = F.nll_loss(log_probabilities, labels)
        return self.label_weight * hard + (1 - self.label_weight) * soft
