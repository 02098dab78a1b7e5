"""Adding DigitPad to the user's applications menu (freedesktop.org), and removing it.

`digitpad --install-desktop` copies the shipped launcher entry and icons into
$XDG_DATA_HOME (by default ~/.local/share), where every freedesktop desktop
looks for them; nothing needs root. The entry's Exec line is rewritten to the
program that is running now, because a virtual environment's `bin/` is rarely
on the desktop session's PATH.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from platformdirs.unix import Unix

from digitpad.resources import DESKTOP_ENTRY, ICON_SIZES, ICON_SVG, icon_png_path, resource_path
from digitpad.store.paths import APP_ID


def data_home() -> Path:
    """$XDG_DATA_HOME, or ~/.local/share as the spec says when it is unset or empty."""
    # The freedesktop places on every platform, not only where platformdirs would pick them.
    return Unix().user_data_path


def installed_files(home: Path | None = None) -> dict[Path, Path]:
    """Where each shipped file goes: {destination: source}."""
    home = home or data_home()
    icons = home / "icons" / "hicolor"
    files = {home / "applications" / f"{APP_ID}.desktop": resource_path(DESKTOP_ENTRY),
             icons / "scalable" / "apps" / f"{APP_ID}.svg": resource_path(ICON_SVG)}
    for size in ICON_SIZES:
        files[icons / f"{size}x{size}" / "apps" / f"{APP_ID}.png"] = icon_png_path(size)
    return files


def launch_command() -> str:
    """The Exec value that starts this DigitPad, quoted as the desktop entry spec asks."""
    script = Path(sys.executable).parent / "digitpad"
    if script.is_file() and os.access(script, os.X_OK):
        return _quote(str(script))
    return f"{_quote(sys.executable)} -m digitpad"


def desktop_entry_text(command: str | None = None) -> str:
    """The shipped entry, with Exec pointing at `command` (default: this DigitPad)."""
    command = command or launch_command()
    lines = resource_path(DESKTOP_ENTRY).read_text(encoding="utf-8").splitlines()
    return "\n".join(f"Exec={command}" if line.startswith("Exec=") else line
                     for line in lines) + "\n"


def install_desktop(home: Path | None = None) -> list[Path]:
    """Install the launcher entry and icons for the current user; returns the files written."""
    written = []
    for destination, source in installed_files(home).items():
        destination.parent.mkdir(parents=True, exist_ok=True)
        if destination.suffix == ".desktop":
            destination.write_text(desktop_entry_text(), encoding="utf-8")
        else:
            destination.write_bytes(source.read_bytes())
        written.append(destination)
    return written


def uninstall_desktop(home: Path | None = None) -> list[Path]:
    """Remove what install_desktop wrote; returns the files removed (folders stay)."""
    removed = []
    for destination in installed_files(home):
        if destination.is_file():
            destination.unlink()
            removed.append(destination)
    return removed


def _quote(argument: str) -> str:
    # Desktop entry spec: a literal % is written %%; arguments with reserved
    # characters are double-quoted, with " ` $ \ escaped inside the quotes.
    argument = argument.replace("%", "%%")
    if not any(c in argument for c in " \t\n\"'\\><~|&;$*?#()`"):
        return argument
    escaped = "".join("\\" + c if c in '"`$\\' else c for c in argument)
    return f'"{escaped}"'
