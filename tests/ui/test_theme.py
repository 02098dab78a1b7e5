"""Problems are painted in the theme's one red, wherever the window shows them."""

from __future__ import annotations

from pathlib import Path

from digitpad.ui.theme import MUTED, PROBLEM, in_colour, text_colour
from digitpad.ui.train.data_source import DataSourcePanel
from digitpad.ui.train.training_settings import ModelPanel


def test_a_missing_data_folder_is_said_in_the_theme_s_red(qtbot, tmp_path: Path) -> None:
    panel = DataSourcePanel()
    qtbot.addWidget(panel)
    panel.set_path(tmp_path / "nowhere")
    assert panel.place.text() == in_colour(panel.problem(), PROBLEM)
    assert PROBLEM.name() in panel.place.text()


def test_the_model_in_use_is_a_muted_caption(qtbot) -> None:
    panel = ModelPanel()
    qtbot.addWidget(panel)
    assert panel.in_use.styleSheet().startswith(text_colour(MUTED))
