"""`digitpad samples list | export FILE | import FILE | add IMAGE... --label N`.

The My samples dialog's jobs on the command line, through the same store and
samples-file code: import is all or nothing, and so is add (every image is
read and checked before the first one is stored, in one transaction).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from digitpad.errors import SampleError
from digitpad.store.samples import SampleStore


def samples_command(args: argparse.Namespace) -> int:
    job = args.samples_command
    if job == "add" and not 0 <= args.label <= 9:
        raise SampleError(f"--label must be a digit 0-9, got {args.label}")
    if job == "export" and args.file.exists() and not args.force:
        raise SampleError(f"{args.file}: exists; add --force to replace it")
    with SampleStore() as store:
        if job == "list":
            return _list(store)
        if job == "export":
            return _export(store, args.file)
        if job == "import":
            return _import(store, args.file)
        return _add(store, args.images, args.label)


def _list(store: SampleStore) -> int:
    counts = store.counts()
    for digit, count in enumerate(counts):
        print(f"{digit}: {count}")
    print(f"{_count(sum(counts))} in {store.path}")
    for problem in store.damaged():
        print(f"damaged, not counted: {problem}")
    return 0


def _export(store: SampleStore, path: Path) -> int:
    from digitpad.store.sample_file import export_samples

    if len(store) == 0:
        raise SampleError(f"{store.path}: no samples to export yet")
    count = export_samples(store, path)
    print(f"Exported {_count(count)} to {path}")
    return 0


def _import(store: SampleStore, path: Path) -> int:
    from digitpad.store.sample_file import import_samples

    added, skipped = import_samples(store, path)
    note = f" ({_count(skipped)} already here, not added twice)" if skipped else ""
    print(f"Imported {_count(added)} from {path}{note}")
    return 0


def _add(store: SampleStore, images: list[Path], label: int) -> int:
    from digitpad.store.image_folder import image_file_sample

    samples = [image_file_sample(path, label) for path in images]  # all read first
    added = store.add_many(samples)
    print(f"Added {_count(added)} of {label}")
    return 0


def _count(n: int) -> str:
    return f"{n} sample{'s' if n != 1 else ''}"
