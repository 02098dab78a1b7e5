"""The launcher: the shipped icon and entry, and `digitpad --install-desktop` /
`--uninstall-desktop` for the current user under $XDG_DATA_HOME."""

from __future__ import annotations

import configparser
import shutil
import subprocess
import sys
from pathlib import Path

import cv2
import pytest

from digitpad.cli.main import main as cli_main
from digitpad.resources import DESKTOP_ENTRY, ICON_SIZES, ICON_SVG, icon_png_path, resource_path
from digitpad.store import launcher as desktop


@pytest.fixture
def data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "share"
    monkeypatch.setenv("XDG_DATA_HOME", str(home))
    return home


def read_entry(path: Path) -> dict[str, str]:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # keys are case-sensitive
    parser.read(path, encoding="utf-8")
    return dict(parser["Desktop Entry"])


def test_the_icon_ships_as_svg_and_every_png_size() -> None:
    assert resource_path(ICON_SVG).read_text(encoding="utf-8").lstrip().startswith("<?xml")
    for size in ICON_SIZES:
        image = cv2.imread(str(icon_png_path(size)), cv2.IMREAD_UNCHANGED)
        assert image is not None and image.shape == (size, size, 4), size
        assert image[0, 0, 3] == 0 and image[size // 2, size // 2, 3] == 255  # round corners


def test_the_shipped_entry_launches_digitpad_with_its_icon() -> None:
    entry = read_entry(resource_path(DESKTOP_ENTRY))
    assert entry["Type"] == "Application" and entry["Name"] == "DigitPad"
    assert entry["Exec"] == "digitpad" and entry["Icon"] == "digitpad"
    assert entry["Terminal"] == "false"


def test_install_puts_the_entry_and_icons_under_xdg_data_home(data_home: Path, capsys) -> None:
    assert cli_main(["--install-desktop"]) == 0
    assert str(data_home) in capsys.readouterr().out
    entry_path = data_home / "applications" / "digitpad.desktop"
    entry = read_entry(entry_path)
    assert entry["Icon"] == "digitpad"
    # Exec starts this very DigitPad, wherever it is installed.
    assert entry["Exec"] == desktop.launch_command()
    program = entry["Exec"].split(" -m ")[0].strip('"')
    assert Path(program).is_absolute() and Path(program).exists()
    hicolor = data_home / "icons" / "hicolor"
    for size in ICON_SIZES:
        installed = hicolor / f"{size}x{size}" / "apps" / "digitpad.png"
        assert installed.read_bytes() == icon_png_path(size).read_bytes()
    assert (hicolor / "scalable" / "apps" / "digitpad.svg").is_file()


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None,
                    reason="desktop-file-validate (desktop-file-utils) is not installed")
def test_the_installed_entry_is_valid(data_home: Path) -> None:
    desktop.install_desktop()
    result = subprocess.run(["desktop-file-validate",
                             str(data_home / "applications" / "digitpad.desktop")],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_uninstall_removes_every_file_install_wrote(data_home: Path, capsys) -> None:
    written = desktop.install_desktop()
    assert cli_main(["--uninstall-desktop"]) == 0
    assert f"removed {len(written)} files" in capsys.readouterr().out
    assert not [path for path in data_home.rglob("*") if path.is_file()]
    assert cli_main(["--uninstall-desktop"]) == 0
    assert "was not installed" in capsys.readouterr().out


def test_installing_twice_is_harmless(data_home: Path) -> None:
    first = desktop.install_desktop()
    second = desktop.install_desktop()
    assert first == second
    assert all(path.is_file() for path in second)


def test_the_default_place_is_local_share_when_xdg_data_home_is_unset_or_empty(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    for value in (None, ""):
        if value is None:
            monkeypatch.delenv("XDG_DATA_HOME", raising=False)
        else:
            monkeypatch.setenv("XDG_DATA_HOME", value)
        assert desktop.data_home() == tmp_path / ".local" / "share"


def test_a_program_path_with_spaces_is_quoted_for_the_desktop(tmp_path: Path,
                                                             monkeypatch) -> None:
    python = tmp_path / "my env" / "bin" / "python"
    monkeypatch.setattr(sys, "executable", str(python))  # no digitpad script next to it
    assert desktop.launch_command() == f'"{python}" -m digitpad'
    assert f'Exec="{python}" -m digitpad\n' in desktop.desktop_entry_text()


def test_an_unwritable_place_fails_with_one_line(tmp_path: Path, monkeypatch, capsys) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where a folder should be")
    monkeypatch.setenv("XDG_DATA_HOME", str(blocker))
    assert cli_main(["--install-desktop"]) == 2
    error = capsys.readouterr().err
    assert error.startswith("digitpad: error: ") and error.count("\n") == 1
    assert "Traceback" not in error


def test_the_flags_take_no_command(capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        cli_main(["--install-desktop", "eval"])
    assert exit_info.value.code == 2
    assert "take no command" in capsys.readouterr().err
