"""`digitpad --install-desktop` / `--uninstall-desktop`: the applications-menu entry."""

from __future__ import annotations

import sys

from digitpad.cli.output import EXIT_BAD_INPUT


def desktop_command(install: bool) -> int:
    from digitpad.store.launcher import data_home, install_desktop, uninstall_desktop

    try:
        if install:
            files = install_desktop()
            print(f"DigitPad is now in your applications menu ({len(files)} files "
                  f"under {data_home()})")
        else:
            files = uninstall_desktop()
            print(f"removed {len(files)} files of DigitPad's menu entry from {data_home()}"
                  if files else "DigitPad's menu entry was not installed")
    except OSError as error:
        print(f"digitpad: error: {error.filename or data_home()}: "
              f"{error.strerror or error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    return 0
