"""Finding MNIST: the folder or file the user named, or the usual places."""

from __future__ import annotations

import os
from pathlib import Path

from digitpad.store.paths import user_data_dir
from trainer.errors import DataError
from trainer.mnist import Mnist, idx_candidates, load_mnist


def mnist_from_args(data: Path | None) -> Mnist:
    path = data or find_mnist()
    if path is None:
        raise DataError(where_to_put_mnist())
    return load_mnist(path)


def mnist_search_paths() -> list[Path]:
    """The usual places people have MNIST, in the order they are tried."""
    data = user_data_dir()
    places = []
    if os.environ.get("DIGITPAD_MNIST"):
        places.append(Path(os.environ["DIGITPAD_MNIST"]))
    places += [
        data / "mnist",
        data / "mnist.npz",
        Path.home() / ".keras" / "datasets" / "mnist.npz",
        Path.home() / "data" / "mnist",
        Path.home() / "data" / "MNIST" / "raw",  # torchvision's layout
        Path.cwd() / "data" / "MNIST" / "raw",
        Path.cwd() / "data" / "mnist",
    ]
    return places


def find_mnist() -> Path | None:
    """The first usual place that holds MNIST, or None."""
    for place in mnist_search_paths():
        if place.is_file() and place.suffix == ".npz":
            return place
        if place.is_dir() and any(c.exists() for c in idx_candidates(place, "train_images")):
            return place
    return None


def where_to_put_mnist() -> str:
    """A one-line hint for a user who has no MNIST yet."""
    return (f"no MNIST found; put the four IDX files (train-images-idx3-ubyte.gz, ...) in "
            f"{user_data_dir() / 'mnist'}, or mnist.npz in ~/.keras/datasets/, "
            f"or pass --data PATH")
