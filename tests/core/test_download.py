"""Downloading MNIST, against a small HTTP server on 127.0.0.1 serving fixture files."""

from __future__ import annotations

import errno
import gzip
import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from local_mirror import Server, fixture_files

from digitpad.training.download import (
    MNIST_FILES,
    DownloadCancelled,
    DownloadError,
    RemoteFile,
    Unreachable,
    download_mnist,
)
from trainer.mnist import load_mnist


@pytest.fixture
def content() -> dict[str, bytes]:
    return fixture_files()


@pytest.fixture
def remote(content) -> list[RemoteFile]:
    return [RemoteFile(name, hashlib.sha256(data).hexdigest()) for name, data in content.items()]


@pytest.fixture
def server(content) -> Iterator[Server]:
    files = {f"/m/{name}.gz": gzip.compress(data, mtime=0) for name, data in content.items()}
    with Server(files) as running:
        yield running


def test_a_good_set_downloads_verifies_and_loads(server, remote, tmp_path: Path) -> None:
    seen = []
    folder = download_mnist(tmp_path / "mnist", mirrors=[server.url + "/m/"], files=remote,
                            progress=seen.append)
    mnist = load_mnist(folder)
    assert len(mnist.train_labels) == 60 and len(mnist.test_labels) == 20
    assert sorted(p.name for p in folder.iterdir()) == sorted(f"{f.name}.gz" for f in remote)
    assert seen[-1].index == 4 and seen[-1].received == seen[-1].size
    assert "(4/4)" in seen[-1].describe()


def test_files_already_there_are_not_fetched_again(server, remote, tmp_path: Path) -> None:
    download_mnist(tmp_path, mirrors=[server.url + "/m/"], files=remote)
    server.requests.clear()
    download_mnist(tmp_path, mirrors=[server.url + "/m/"], files=remote)
    assert server.requests == []


def test_a_wrong_checksum_is_rejected_and_nothing_kept(server, remote, tmp_path: Path) -> None:
    wrong = [remote[0], RemoteFile(remote[1].name, "0" * 64), *remote[2:]]
    with pytest.raises(DownloadError, match="checksum does not match; the file was deleted"):
        download_mnist(tmp_path, mirrors=[server.url + "/m/"], files=wrong)
    names = {p.name for p in tmp_path.iterdir()}
    # The first file was verified and stays; the bad one left no trace, not even a .part.
    assert names == {f"{remote[0].name}.gz"}


def test_a_dropped_connection_resumes_with_a_range_request(server, remote, tmp_path) -> None:
    path = f"/m/{remote[0].name}.gz"
    server.drop_after[path] = 300
    download_mnist(tmp_path, mirrors=[server.url + "/m/"], files=remote)
    asked = [r for p, r in server.requests if p == path]
    assert asked == [None, "bytes=300-"]
    assert load_mnist(tmp_path).train_images.shape == (60, 28, 28)


def test_a_cancelled_download_keeps_its_part_and_continues_later(
        server, remote, tmp_path, monkeypatch) -> None:
    monkeypatch.setattr("digitpad.training.download.CHUNK", 256)
    asked = []

    def stop_after_two_chunks() -> bool:
        asked.append(True)
        return len(asked) > 2

    with pytest.raises(DownloadCancelled, match="continue where it stopped"):
        download_mnist(tmp_path, mirrors=[server.url + "/m/"], files=remote,
                       should_stop=stop_after_two_chunks)
    part = tmp_path / f"{remote[0].name}.gz.part"
    assert part.stat().st_size == 512 and not (tmp_path / f"{remote[0].name}.gz").exists()
    server.requests.clear()
    download_mnist(tmp_path, mirrors=[server.url + "/m/"], files=remote)
    assert server.requests[0] == (f"/m/{remote[0].name}.gz", "bytes=512-")
    assert not part.exists() and load_mnist(tmp_path).test_labels.shape == (20,)


def test_the_next_mirror_is_used_when_the_first_is_down(server, remote, tmp_path) -> None:
    with Server({}) as empty:  # answers 404 to everything
        download_mnist(tmp_path, mirrors=[empty.url + "/m/", server.url + "/m/"], files=remote)
        assert len(empty.requests) == 4
    assert len(list(tmp_path.glob("*.gz"))) == 4


def test_no_mirror_answering_is_one_clear_error(remote, tmp_path) -> None:
    with Server({}) as empty:
        with pytest.raises(DownloadError, match=r"train-images-idx3-ubyte\.gz: could not be "
                           r"downloaded .*404.*and 1 more mirror"):
            download_mnist(tmp_path, mirrors=[empty.url + "/a/", empty.url + "/b/"], files=remote)


def test_no_mirror_reachable_says_so_plainly(remote, tmp_path) -> None:
    # Nothing listens on port 9 of this machine: the connection is refused at once.
    with pytest.raises(Unreachable, match=r"train-images-idx3-ubyte\.gz: could not be "
                       r"downloaded: none of 2 mirror\(s\) could be reached \(.*cannot "
                       r"connect.*\); is this computer online\?"):
        download_mnist(tmp_path, mirrors=["http://127.0.0.1:9/a/", "http://127.0.0.1:9/b/"],
                       files=remote)


def test_the_real_checksums_are_those_of_the_official_files() -> None:
    # The published SHA-256 of the decompressed official train-labels file.
    assert MNIST_FILES[1].sha256.startswith("65a50cbbf4e906d7")
    assert [f.name for f in MNIST_FILES] == [
        "train-images-idx3-ubyte", "train-labels-idx1-ubyte",
        "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"]


def test_the_shipped_checksums_accept_the_real_mnist(real_mnist: Path, tmp_path: Path) -> None:
    with Server({f"/m/{p.name}": p.read_bytes() for p in real_mnist.glob("*.gz")}) as mirror:
        # Only the small label files, to keep this quick.
        labels = [f for f in MNIST_FILES if "labels" in f.name]
        download_mnist(tmp_path, mirrors=[mirror.url + "/m/"], files=labels)
    assert np.count_nonzero(gzip.decompress((tmp_path / "t10k-labels-idx1-ubyte.gz")
                                            .read_bytes())) > 0


# -- the disk, not the network --------------------------------------------------------------


def _no_space(*args, **kwargs):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


@pytest.mark.parametrize("where", ["write", "rename", "look"])
def test_a_disk_error_is_a_download_error_in_one_line(server, remote, tmp_path: Path,
                                                      monkeypatch, where: str) -> None:
    """Whatever the disk does (no room to write, to rename the verified file, or a
    folder that cannot be looked into), the caller gets a DownloadError naming the file,
    never a raw OSError."""
    import builtins

    target = {"write": (builtins, "open"), "rename": (os, "replace"),
              "look": (Path, "stat")}[where]
    monkeypatch.setattr(*target, _no_space)
    with pytest.raises(DownloadError) as caught:
        download_mnist(tmp_path, mirrors=[server.url + "/m/"], files=remote)
    message = str(caught.value)
    assert "\n" not in message and str(tmp_path) in message
    assert os.strerror(errno.ENOSPC) in message
