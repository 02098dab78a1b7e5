"""Keeping freed memory for the next batch instead of handing it back to the system.

Every training step allocates and frees the same few megabytes of activations
and gradients. glibc's malloc hands large freed blocks back to the kernel
(unmapping them, or trimming the top of the heap), so the next step takes a
page fault for every 4 KiB it gets back: about a million faults and 2 s of
system time in one epoch of the `fast` preset (16 s in all, one thread).
PyTorch's CPU performance tuning guide suggests swapping in jemalloc or
tcmalloc with LD_PRELOAD for this; `mallopt` gets the same effect from inside
the process, with no library to install and nothing for the user to set.

The cost is that memory freed after a peak stays with the process until it
ends, which suits a program that trains the next batch at once.
"""

from __future__ import annotations

import ctypes
import sys

# mallopt's parameter numbers (glibc's malloc.h)
M_TRIM_THRESHOLD = -1
M_TOP_PAD = -2
M_MMAP_THRESHOLD = -3

MMAP_THRESHOLD = 32 * 1024 * 1024  # the most glibc accepts on 64-bit systems
TRIM_THRESHOLD = 1024 * 1024 * 1024
TOP_PAD = 64 * 1024 * 1024

_done = False


def keep_freed_memory() -> bool:
    """Ask glibc's malloc to keep freed blocks for reuse; True when it agreed. Does
    nothing (False) on other systems and C libraries (macOS, Windows, musl)."""
    global _done
    if _done:
        return True
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:  # not glibc
        return False
    mallopt = getattr(libc, "mallopt", None)
    if mallopt is None:
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    mallopt.restype = ctypes.c_int
    _done = all(mallopt(parameter, value) == 1 for parameter, value in (
        (M_MMAP_THRESHOLD, MMAP_THRESHOLD), (M_TRIM_THRESHOLD, TRIM_THRESHOLD),
        (M_TOP_PAD, TOP_PAD)))
    return _done
