"""The user's data stay where earlier versions kept them on Linux."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from digitpad.store.paths import user_data_dir

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="the XDG folders are Linux's")


def test_the_data_folder_follows_xdg_data_home(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert user_data_dir() == tmp_path / "data" / "digitpad"


@pytest.mark.parametrize("value", [None, ""])
def test_without_xdg_data_home_it_is_local_share(tmp_path: Path, value: str | None,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    if value is None:
        monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    else:
        monkeypatch.setenv("XDG_DATA_HOME", value)
    assert user_data_dir() == tmp_path / ".local" / "share" / "digitpad"


def test_paths_under_home_are_shown_with_a_tilde(tmp_path, monkeypatch) -> None:
    from digitpad.store.paths import as_shown

    monkeypatch.setenv("HOME", str(tmp_path / "learner"))
    inside = tmp_path / "learner" / ".local" / "share" / "digitpad" / "mnist"
    inside.mkdir(parents=True)
    assert as_shown(inside) == "~/.local/share/digitpad/mnist"
    assert as_shown(str(inside)) == "~/.local/share/digitpad/mnist"
    elsewhere = tmp_path / "data" / "mnist"
    assert as_shown(elsewhere) == str(elsewhere)
