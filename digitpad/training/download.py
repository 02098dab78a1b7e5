"""Downloading MNIST into the user data folder: mirrors, resume, checksums.

Each of the four files is fetched as ``<name>.gz`` into ``<name>.gz.part``,
trying the mirrors in turn. A dropped connection continues where it stopped
(HTTP Range), a few times per mirror; a cancelled or failed download keeps its
``.part`` file so the next attempt continues it too.

Checksums are of the *decompressed* files. Mirrors re-compress MNIST with
different gzip settings, so the ``.gz`` bytes differ between them while the
content is the same; checking the content accepts every honest mirror and
rejects anything else. A file is renamed to its final name only after its
checksum matched, so nothing unverified is ever read as MNIST; a file with a
wrong checksum is deleted at once. (So is a ``.part`` begun on one mirror and
finished on another whose gzip bytes differ: the next mirror, or the next
attempt, then fetches it whole.)

No Qt here: progress is a plain callback (or what `download_steps` yields) and
cancelling a plain predicate, so the Trainer tab's worker and a script can both
drive it. Every failure, the disk's included, is a DownloadError with one line.
"""

from __future__ import annotations

import gzip
import hashlib
import http.client
import os
import re
import urllib.error
import urllib.request
import zlib
from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass
from pathlib import Path

from digitpad.errors import DigitPadError
from digitpad.store.paths import user_data_dir


@dataclass(frozen=True)
class RemoteFile:
    """One file to fetch: ``name`` without ``.gz``, SHA-256 of its decompressed content."""

    name: str
    sha256: str


MNIST_FILES: tuple[RemoteFile, ...] = (
    RemoteFile("train-images-idx3-ubyte",
               "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db"),
    RemoteFile("train-labels-idx1-ubyte",
               "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5"),
    RemoteFile("t10k-images-idx3-ubyte",
               "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7"),
    RemoteFile("t10k-labels-idx1-ubyte",
               "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2"),
)

# Tried in this order; the original yann.lecun.com site now refuses downloads.
MIRRORS: tuple[str, ...] = (
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
)

CHUNK = 64 * 1024
# Continuing a dropped connection this many times on one mirror before the next.
RESUMES_PER_MIRROR = 3


class DownloadError(DigitPadError):
    """MNIST could not be downloaded (every mirror failed, a checksum was wrong, ...)."""


class DownloadCancelled(DownloadError):
    """The user cancelled; the partial file is kept for the next attempt."""


class Unreachable(DownloadError):
    """No mirror could even be connected to: most likely this computer is offline."""


class _CannotConnect(DownloadError):
    """One mirror could not be connected to."""


@dataclass(frozen=True)
class DownloadProgress:
    file: str  # the file being fetched, e.g. "train-images-idx3-ubyte.gz"
    index: int  # 1-based number of that file
    files: int
    received: int  # bytes of this file on disk so far
    size: int | None  # its full size, when the server said

    def describe(self) -> str:
        done = f"{self.received / 1e6:.1f}"
        total = f" of {self.size / 1e6:.1f}" if self.size else ""
        return f"Downloading {self.file} ({self.index}/{self.files}): {done}{total} MB"


class _Dropped(Exception):
    """The connection ended before the whole file arrived."""


def mnist_download_dir() -> Path:
    return user_data_dir() / "mnist"


def download_mnist(
    folder: str | Path | None = None,
    *,
    mirrors: Sequence[str] = MIRRORS,
    files: Sequence[RemoteFile] = MNIST_FILES,
    progress: Callable[[DownloadProgress], None] | None = None,
    should_stop: Callable[[], bool] = lambda: False,
    timeout: float = 30.0,
) -> Path:
    """Fetch and verify every file into `folder` (default: the user data folder).

    Files already there and verified are kept. Returns the folder; raises
    DownloadCancelled or DownloadError with a one-line message.
    """
    steps = download_steps(folder, mirrors=mirrors, files=files, should_stop=should_stop,
                           timeout=timeout)
    while True:
        try:
            step = next(steps)
        except StopIteration as end:
            return end.value
        if progress is not None:
            progress(step)


def download_steps(
    folder: str | Path | None = None,
    *,
    mirrors: Sequence[str] = MIRRORS,
    files: Sequence[RemoteFile] = MNIST_FILES,
    should_stop: Callable[[], bool] = lambda: False,
    timeout: float = 30.0,
) -> Generator[DownloadProgress, None, Path]:
    """`download_mnist` as a generator (the window's worker pattern runs it this way):
    yields the progress, returns the folder."""
    if not mirrors:
        raise DownloadError("no download mirrors given")
    folder = Path(folder) if folder is not None else mnist_download_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise DownloadError(f"{folder}: cannot be created ({error.strerror or error})") from None
    for index, remote in enumerate(files, start=1):
        target = folder / f"{remote.name}.gz"
        try:
            if target.exists() and _content_sha256(target) == remote.sha256:
                continue
            for received, size in _fetch_verified(remote, target, mirrors, should_stop,
                                                  timeout):
                yield DownloadProgress(target.name, index, len(files), received, size)
        except OSError as error:
            # The disk, not the network (those are DownloadErrors already): full,
            # read-only, or the file vanished under us. One line, never a traceback.
            where = error.filename or target
            raise DownloadError(f"{where}: cannot be saved ({error.strerror or error})") from None
    return folder


# What the fetching generators yield: bytes of the file on disk so far, its full size.
Received = Generator[tuple[int, int | None], None, None]


def _fetch_verified(remote: RemoteFile, target: Path, mirrors: Sequence[str],
                    should_stop: Callable[[], bool], timeout: float) -> Received:
    part = target.with_name(target.name + ".part")
    problems: list[str] = []
    unreachable = 0
    for base in mirrors:
        url = base.rstrip("/") + "/" + target.name
        try:
            yield from _fetch(url, part, should_stop, timeout)
        except DownloadCancelled:
            raise
        except DownloadError as error:
            problems.append(str(error))
            unreachable += isinstance(error, _CannotConnect)
            continue
        if _content_sha256(part) == remote.sha256:
            os.replace(part, target)
            return
        # Never keep a file whose content is not MNIST's: it must not be read, nor resumed.
        part.unlink(missing_ok=True)
        problems.append(f"{url}: checksum does not match; the file was deleted")
    if problems and unreachable == len(problems):
        raise Unreachable(f"{target.name}: could not be downloaded: none of {len(problems)} "
                          f"mirror(s) could be reached ({problems[-1]}); is this computer "
                          "online?")
    raise DownloadError(f"{target.name}: could not be downloaded ({problems[-1]})"
                        + (f", and {len(problems) - 1} more mirror(s) failed"
                           if len(problems) > 1 else ""))


def _fetch(url: str, part: Path, should_stop: Callable[[], bool], timeout: float) -> Received:
    """Complete `part` from `url`, continuing after dropped connections."""
    for _attempt in range(1 + RESUMES_PER_MIRROR):
        try:
            yield from _fetch_once(url, part, should_stop, timeout)
            return
        except _Dropped:
            continue
    raise DownloadError(f"{url}: the connection kept dropping")


def _fetch_once(url: str, part: Path, should_stop: Callable[[], bool],
                timeout: float) -> Received:
    have = part.stat().st_size if part.exists() else 0
    request = urllib.request.Request(url, headers={"User-Agent": "DigitPad"})
    if have:
        request.add_header("Range", f"bytes={have}-")
    try:
        response = urllib.request.urlopen(request, timeout=timeout)
    except urllib.error.HTTPError as error:
        if error.code == 416 and have:
            # We already hold at least the whole file; the checksum decides.
            return
        raise DownloadError(f"{url}: the server answered {error.code} {error.reason}") from None
    except (urllib.error.URLError, OSError, http.client.HTTPException) as error:
        reason = getattr(error, "reason", error)
        raise _CannotConnect(f"{url}: cannot connect ({reason})") from None
    with response:
        if response.status == 206:
            start, size = _content_range(response.headers.get("Content-Range", ""))
            if start != have:
                raise DownloadError(f"{url}: the server resumed at byte {start}, not {have}")
            mode = "ab"
        else:
            # A server that ignores Range sends everything again: start over.
            have, mode = 0, "wb"
            length = response.headers.get("Content-Length")
            size = int(length) if length and length.isdigit() else None
        yield have, size
        try:
            with open(part, mode) as stream:
                received = have
                while True:
                    if should_stop():
                        raise DownloadCancelled("download cancelled; it will continue "
                                                "where it stopped next time")
                    try:
                        chunk = response.read(CHUNK)
                    except (TimeoutError, http.client.IncompleteRead, ConnectionError) as error:
                        raise _Dropped() from error
                    if not chunk:
                        break
                    stream.write(chunk)
                    received += len(chunk)
                    yield received, size
        except OSError as error:
            raise DownloadError(f"{part}: cannot be written ({error.strerror or error})") from None
    if size is not None and received < size:
        raise _Dropped()


def _content_range(header: str) -> tuple[int, int | None]:
    match = re.fullmatch(r"bytes (\d+)-\d+/(\d+|\*)", header.strip())
    if not match:
        raise DownloadError(f"the server sent a malformed Content-Range '{header}'")
    total = match.group(2)
    return int(match.group(1)), int(total) if total != "*" else None


def _content_sha256(path: Path) -> str | None:
    """SHA-256 of a gzip file's decompressed content; None if it is not a whole gzip file."""
    digest = hashlib.sha256()
    try:
        with gzip.open(path, "rb") as stream:
            while chunk := stream.read(1 << 20):
                digest.update(chunk)
    except (OSError, EOFError, zlib.error):
        return None
    return digest.hexdigest()
