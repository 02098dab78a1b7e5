"""What every subcommand shares: exit statuses and one JSON object per line."""

from __future__ import annotations

import json

EXIT_BAD_INPUT = 2  # bad input: one line on stderr names the file and the problem
EXIT_INTERRUPTED = 130  # Ctrl-C, as shells report it


def print_json(value) -> None:
    print(json.dumps(value), flush=True)
