"""The Trainer tab's Data box: where the MNIST to train on comes from.

The usual places are searched when the tab opens; the user can choose a
folder or an ``.npz`` instead, or download MNIST into the user data folder
(in a worker, with progress and Cancel; any failure shows here in one line).
Only a quick look is taken at the chosen place here; the training worker reads
it fully and reports any problem.
"""

from __future__ import annotations

import html
import threading
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from digitpad.errors import one_line
from digitpad.store.paths import as_shown
from digitpad.training.download import (
    MIRRORS,
    MNIST_FILES,
    DownloadProgress,
    RemoteFile,
    Unreachable,
    download_steps,
    mnist_download_dir,
)
from digitpad.training.mnist_places import find_mnist
from digitpad.ui.i18n import Translatable
from digitpad.ui.theme import PROBLEM, in_colour
from digitpad.ui.workers import Worker
from trainer.mnist import ROLES, idx_candidates


def data_problem(path: Path) -> str | None:
    """A one-line reason why `path` cannot be MNIST, or None if it looks right."""
    if not path.exists():
        return QCoreApplication.translate(
            "DataSourcePanel", "{path}: no such file or folder").format(path=path)
    if path.is_dir():
        for role, (stem, ndim) in ROLES.items():
            if not any(c.exists() for c in idx_candidates(path, role)):
                return QCoreApplication.translate(
                    "DataSourcePanel", "{folder}: no {file}[.gz] file in this folder").format(
                    folder=path.name, file=f"{stem}-idx{ndim}-ubyte")
        return None
    if path.suffix != ".npz":
        return QCoreApplication.translate(
            "DataSourcePanel", "{name}: choose a folder of IDX files or an .npz file").format(
            name=path.name)
    return None


class DataSourcePanel(Translatable, QGroupBox):
    changed = Signal()  # the chosen data changed
    chosen = Signal(object)  # the Path the user chose (a folder, an .npz, a download)
    download_finished = Signal(bool)  # True if MNIST is now there

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # Where downloads come from and go to; tests point these at a local server.
        self.mirrors: Sequence[str] = MIRRORS
        self.files: Sequence[RemoteFile] = MNIST_FILES
        self.download_folder: Path = mnist_download_dir()
        self._path: Path | None = None
        self.worker: Worker | None = None  # the download under way

        self.place = QLabel()
        self.place.setWordWrap(True)
        self.folder_button = QPushButton()
        self.npz_button = QPushButton()
        self.download_button = QPushButton()
        self.progress = QProgressBar()
        self.progress.setTextVisible(True)
        self.cancel_button = QPushButton()
        self.progress.hide()
        self.cancel_button.hide()

        buttons = QHBoxLayout()
        for button in (self.folder_button, self.npz_button, self.download_button):
            buttons.addWidget(button)
        downloading = QHBoxLayout()
        downloading.addWidget(self.progress, 1)
        downloading.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.place)
        layout.addLayout(buttons)
        layout.addLayout(downloading)

        self.folder_button.clicked.connect(self._choose_folder)
        self.npz_button.clicked.connect(self._choose_npz)
        self.download_button.clicked.connect(self.start_download)
        self.cancel_button.clicked.connect(self.cancel_download)
        self.retranslate()
        self.detect()

    def retranslate(self) -> None:
        self.setTitle(self.tr("Data"))
        self.folder_button.setText(self.tr("Folder…"))
        self.folder_button.setToolTip(self.tr("A folder with the four MNIST IDX files "
                                              "(.gz or not)"))
        self.npz_button.setText(self.tr(".npz file…"))
        self.npz_button.setToolTip(self.tr("mnist.npz as Keras keeps it (x_train, y_train, …)"))
        self.download_button.setText(self.tr("Download MNIST"))
        self.download_button.setToolTip(self.tr("About 11 MB, checked against the official "
                                                "checksums"))
        self.cancel_button.setText(self.tr("Cancel"))
        self.cancel_button.setToolTip(self.tr("Stop the download"))
        self.progress.setAccessibleName(self.tr("Download progress"))
        if hasattr(self, "_path") and not self.downloading:
            self.set_path(self._path)  # says where the data is, in the new language
    # -- the chosen data ----------------------------------------------------

    def path(self) -> Path | None:
        """The data to train on, if it looks usable."""
        return self._path if self._path is not None and data_problem(self._path) is None else None

    def problem(self) -> str:
        """Why there is nothing to train on (one line for the user)."""
        if self._path is None:
            return self.tr("No MNIST yet: choose a folder or an .npz file, or download it.")
        return data_problem(self._path) or ""

    def detect(self) -> None:
        """Use the first usual place that holds MNIST."""
        found = find_mnist()
        self.set_path(found)

    def set_path(self, path: Path | None) -> None:
        self._path = Path(path).expanduser() if path is not None else None
        problem = self.problem()
        if problem:
            self.place.setText(in_colour(problem, PROBLEM))
            self.place.setToolTip("")
        else:
            self.place.setText(self.tr("MNIST from {place}").format(
                place=f"<b>{html.escape(as_shown(self._path))}</b>"))
            self.place.setToolTip(str(self._path))
        self.changed.emit()

    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Folder with the MNIST IDX files"))
        if folder:
            self.set_path(Path(folder))
            self.chosen.emit(self._path)

    def _choose_npz(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, self.tr("MNIST .npz file"), "",
                                              self.tr("NumPy archives (*.npz);;All files (*)"))
        if name:
            self.set_path(Path(name))
            self.chosen.emit(self._path)

    # -- downloading --------------------------------------------------------

    @property
    def downloading(self) -> bool:
        return self.worker is not None

    def start_download(self) -> None:
        if self.downloading:
            return
        cancelled = threading.Event()  # read between chunks by the download
        self.worker = worker = Worker(download_steps, self.download_folder, mirrors=self.mirrors,
                                      files=self.files, should_stop=cancelled.is_set,
                                      stop=cancelled.set)
        worker.yielded.connect(self._show_progress)
        worker.returned.connect(self._downloaded)
        worker.errored.connect(self._download_failed)
        worker.finished.connect(self._worker_finished)
        self.download_button.setEnabled(False)
        self.progress.setRange(0, 0)
        self.progress.setFormat(self.tr("Connecting…"))
        self.progress.show()
        self.cancel_button.show()
        worker.start()

    def cancel_download(self) -> None:
        if self.worker is not None:
            self.worker.quit()

    def wait_for_download(self) -> None:
        """Cancel a download under way and wait for its worker (when the window closes)."""
        if self.worker is not None:
            self.cancel_download()
            self.worker.wait()
            self._worker_finished()

    def _show_progress(self, progress: DownloadProgress) -> None:
        if self.worker is None:
            return  # late news from a download already wound up (the window is closing)
        # Overall progress: each file counts as an equal share.
        share = progress.received / progress.size if progress.size else 0.0
        self.progress.setRange(0, 1000)
        self.progress.setValue(int(1000 * (progress.index - 1 + share) / progress.files))
        total = (self.tr(" of {total}").format(total=f"{progress.size / 1e6:.1f}")
                 if progress.size else "")
        self.progress.setFormat(self.tr("Downloading {file} ({index}/{files}): {done}{total} MB")
                                .format(file=progress.file, index=progress.index,
                                        files=progress.files,
                                        done=f"{progress.received / 1e6:.1f}", total=total))

    def _downloaded(self, folder: Path) -> None:
        if self.worker is None:
            return
        self.set_path(folder)
        self.chosen.emit(self._path)
        self.download_finished.emit(True)

    def _download_failed(self, error: Exception) -> None:
        if self.worker is None:
            return
        detail = one_line(error)  # cancelling is a DownloadError too: it says so
        if isinstance(error, Unreachable):  # the usual case, said plainly; details on hover
            message = self.tr("MNIST could not be downloaded: no mirror could be reached. Is "
                              "this computer online? You can also choose a folder or an .npz "
                              "file you have.")
        else:
            message = detail
        self.place.setText(in_colour(html.escape(message), PROBLEM))
        self.place.setToolTip(detail)
        self.download_finished.emit(False)

    def _worker_finished(self) -> None:
        if self.worker is None:
            return
        self.worker = None
        self.download_button.setEnabled(True)
        self.progress.hide()
        self.cancel_button.hide()
