"""Finding MNIST for a subcommand: --data, or the usual places."""

from __future__ import annotations

from pathlib import Path

from digitpad.paths import find_mnist, where_to_put_mnist
from trainer.errors import DataError
from trainer.mnist import Mnist, load_mnist


def mnist_from_args(data: Path | None) -> Mnist:
    path = data or find_mnist()
    if path is None:
        raise DataError(where_to_put_mnist())
    return load_mnist(path)
