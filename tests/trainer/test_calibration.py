"""Temperature scaling, the verdict thresholds and the calibration error."""

from __future__ import annotations

import pytest
import torch

from trainer.calibration import (
    calibration_record,
    choose_not_a_digit_threshold,
    choose_sure_threshold,
    digit_probabilities,
    expected_calibration_error,
    fit_temperature,
    not_a_digit_probability,
    reliability,
    temperature,
)
from trainer.checkpoint import load_checkpoint, save_checkpoint, store_calibration
from trainer.models import build_model


def overconfident(n: int = 4000, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """Logits of a model whose probabilities are too sharp by a factor of 3."""
    generator = torch.Generator().manual_seed(seed)
    true_logits = torch.randn(n, 10, generator=generator) * 2
    labels = torch.multinomial(torch.softmax(true_logits, 1), 1, generator=generator).flatten()
    return true_logits * 3, labels


def test_fit_temperature_finds_the_sharpening_factor() -> None:
    logits, labels = overconfident()
    assert fit_temperature(logits, labels) == pytest.approx(3, rel=0.15)


def test_temperature_makes_probabilities_honest_without_changing_the_reading() -> None:
    logits, labels = overconfident()
    record = calibration_record(logits, labels, "test")
    assert record["ece_after"] < record["ece_before"] / 2
    calibrated = digit_probabilities(logits, record)
    assert torch.equal(calibrated.argmax(1), logits.argmax(1))
    assert calibrated.sum(1) == pytest.approx(torch.ones(len(logits)), abs=1e-5)
    assert 0 <= record["sure_coverage"] <= 1
    assert record["reliability"]["bins"] == 15 and sum(record["reliability"]["counts"]) == 4000


def test_no_calibration_means_plain_softmax() -> None:
    logits = torch.randn(5, 10)
    for source in (None, {}, {"temperature": "hot"}, {"calibration": {"temperature": -1}}):
        assert temperature(source) == 1.0
        assert torch.allclose(digit_probabilities(logits, source), torch.softmax(logits, 1))
    assert torch.equal(not_a_digit_probability(logits), torch.zeros(5))


def test_eleven_outputs_digits_are_given_a_digit_and_not_a_digit_is_apart() -> None:
    logits = torch.tensor([[2.0] + [0.0] * 9 + [5.0]])
    digits = digit_probabilities(logits, {"temperature": 1.0})
    assert digits.shape == (1, 10) and float(digits.sum()) == pytest.approx(1)
    assert float(not_a_digit_probability(logits)) == pytest.approx(
        float(torch.softmax(logits, 1)[0, 10]))


def test_expected_calibration_error_of_a_perfectly_calibrated_reader() -> None:
    confidences = torch.full((1000,), 0.8)
    correct = torch.arange(1000) % 5 != 0  # right 80 % of the time
    assert expected_calibration_error(confidences, correct) == pytest.approx(0, abs=1e-9)
    bins = reliability(torch.tensor([0.05, 0.99]), torch.tensor([False, True]))
    assert bins["counts"][0] == 1 and bins["counts"][14] == 1


def test_sure_threshold_keeps_the_accuracy_goal() -> None:
    confidences = torch.linspace(0.3, 1.0, 1000)
    correct = confidences > 0.4  # every reading under 0.4 is wrong
    threshold, coverage, accuracy = choose_sure_threshold(confidences, correct, 0.997)
    assert accuracy >= 0.997 and threshold <= 0.41 and coverage > 0.85


def test_not_a_digit_threshold_lets_through_all_but_a_few_digits() -> None:
    scores = torch.linspace(0, 1, 1001)
    assert choose_not_a_digit_threshold(scores, 0.01) == pytest.approx(0.99, abs=0.002)


def test_calibration_travels_in_the_model_file_and_can_be_refitted(tmp_path) -> None:
    model = build_model("digitnet", width=2, depth=1, outputs=11)
    path = save_checkpoint(tmp_path / "m.safetensors", model, "digitnet",
                           {"width": 2, "depth": 1, "outputs": 11},
                           calibration={"temperature": 1.5, "sure": 0.9})
    assert load_checkpoint(path).calibration["temperature"] == 1.5
    again = store_calibration(path, {"temperature": 2.0, "not_a_digit": 0.4})
    assert again.calibration == {"temperature": 2.0, "not_a_digit": 0.4}
    assert again.arch_params["outputs"] == 11
    for name, tensor in model.state_dict().items():
        assert torch.equal(again.model.state_dict()[name], tensor)


def test_a_damaged_calibration_reads_as_none(tmp_path) -> None:
    model = build_model("digitnet", width=2, depth=1)
    path = save_checkpoint(tmp_path / "m.safetensors", model, "digitnet", {"width": 2, "depth": 1},
                           calibration={"temperature": float("nan")})
    assert load_checkpoint(path).calibration == {}
    assert load_checkpoint(path).model(torch.zeros(1, 1, 28, 28)).shape == (1, 10)


def test_digitnet_refuses_other_output_counts() -> None:
    from trainer.errors import ConfigError

    with pytest.raises(ConfigError, match="outputs"):
        build_model("digitnet", outputs=3)


def test_sure_threshold_never_shows_too_few_readings_as_sure() -> None:
    confidences = torch.linspace(0.3, 1.0, 1000)
    correct = torch.rand(1000, generator=torch.Generator().manual_seed(0)) > 0.01
    threshold, coverage, _ = choose_sure_threshold(confidences, correct, 0.9999, 0.975)
    assert coverage == pytest.approx(0.975, abs=0.002)
    assert threshold == pytest.approx(float(confidences[25]), abs=1e-6)
