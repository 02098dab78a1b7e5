"""Where DigitPad keeps the user's things."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import platformdirs

from digitpad.errors import RunError

APP_ID = "digitpad"


def user_data_dir() -> Path:
    """DigitPad's folder of the user's data: on Linux $XDG_DATA_HOME/digitpad (by
    default ~/.local/share/digitpad), elsewhere where the platform keeps such data."""
    # appauthor=False: no vendor folder above ours on Windows.
    return platformdirs.user_data_path(APP_ID, appauthor=False)


def as_shown(path: str | Path) -> str:
    """A path as a person reads it, with ~ for the home folder: shorter in the window,
    and a screenshot or a copied log line does not give the user's name away."""
    try:
        return "~/" + str(Path(path).expanduser().resolve().relative_to(Path.home().resolve()))
    except (ValueError, OSError, RuntimeError):
        return str(path)


def create_new(parent: Path, base: str, suffix: str, create: Callable[[Path], None], *,
               what: str) -> Path:
    """Create `parent`/`base``suffix` (or `base`-2, -3 … when taken) with `create`, which
    must fail with FileExistsError on a name that exists (mkdir, O_EXCL): the name is
    then taken atomically, so two windows or processes in the same second never share
    one. RunError, in one line, if it cannot be created."""
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise RunError(f"{parent}: cannot be created ({error.strerror or error})") from None
    for n in range(1, 10_000):
        path = parent / (f"{base}{suffix}" if n == 1 else f"{base}-{n}{suffix}")
        try:
            create(path)
            return path
        except FileExistsError:
            continue
        except OSError as error:
            raise RunError(f"{path}: cannot be created ({error.strerror or error})") from None
    raise RunError(f"{parent}: too many {what} named {base}")
