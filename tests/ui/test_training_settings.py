"""The Model box offers exactly the sizes trainer.models builds, within its limits."""

from __future__ import annotations

import pytest

from digitpad.ui.train.training_settings import ARCH_NAMES, ModelPanel
from trainer.models import (
    ARCHITECTURES,
    SIZE_LIMITS,
    build_model,
    check_arch_params,
    count_parameters,
)


@pytest.fixture
def panel(qtbot) -> ModelPanel:
    panel = ModelPanel()
    qtbot.addWidget(panel)
    panel.set_fine_tune(False)
    return panel


def test_every_size_field_ranges_over_what_the_model_accepts(panel: ModelPanel) -> None:
    assert set(panel.sizes) == set(SIZE_LIMITS)
    for name, spin in panel.sizes.items():
        assert (spin.minimum(), spin.maximum()) == (1, SIZE_LIMITS[name])
        check_arch_params(_arch_with(name), {name: spin.maximum()})  # the largest is accepted


@pytest.mark.parametrize("arch", ARCH_NAMES)
def test_an_architecture_s_fields_start_at_the_model_s_defaults(panel: ModelPanel,
                                                                arch: str) -> None:
    panel.set_arch(arch)
    shown = {name: spin.value() for name, spin in panel.sizes.items()
             if spin.isVisibleTo(panel)}
    assert shown  # every architecture has sizes to set
    assert panel.arch_params() == {}
    # The fields' values build the very model that no sizes at all build.
    assert count_parameters(build_model(arch, **shown)) == count_parameters(build_model(arch))


def test_the_architectures_offered_are_those_trainer_builds() -> None:
    assert set(ARCH_NAMES) == set(ARCHITECTURES)


def _arch_with(size: str) -> str:
    return "digitnet" if size in ("width", "depth") else "seed"
