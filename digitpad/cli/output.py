"""What every subcommand shares: exit statuses and one JSON object per line."""

from __future__ import annotations

import json
import os
import sys

EXIT_BAD_INPUT = 2  # bad input: one line on stderr names the file and the problem
EXIT_INTERRUPTED = 130  # Ctrl-C, as shells report it
EXIT_TERMINATED = 143  # SIGTERM, likewise
EXIT_BROKEN_PIPE = 141  # the reader of our output went away (SIGPIPE, as shells report it)


def print_json(value) -> None:
    print(json.dumps(value), flush=True)


def one_line(text: object) -> str:
    """`text` as one printable line: a file name may hold a newline or control
    characters, which would split or garble one-line-per-file output."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in str(text))


def tolerate_unencodable_output() -> None:
    """File names that are not valid UTF-8 (or not encodable on this terminal)
    are printed with backslash escapes instead of failing with a traceback."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")


def stop_writing_to_closed_pipe() -> None:
    """After a BrokenPipeError on stdout: send what is left to /dev/null, so that
    Python's flush at exit does not report the same broken pipe again (Python's
    documented recipe for SIGPIPE)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass  # stdout is no real file (a test's capture): nothing will flush it
