"""Training runs kept on disk, so they can be compared, resumed and reused.

Each run lives in ``<user data>/runs/<id>/``: ``run.json`` holds what the run
was asked to do (configuration, data, what it started from), how it went
(status, message) and its curves (one record per epoch, the loss of every
batch); ``checkpoint.safetensors`` is the engine's checkpoint after the last
completed epoch, with everything needed to resume. ``run.json`` is rewritten
atomically after every epoch, so a crash leaves the curves of the epochs that
the checkpoint holds.

A run being trained is *in use*: the training process holds an exclusive
``flock`` on ``run.lock`` in its folder. The kernel drops the lock when the
process dies, so a crash never leaves a run locked for good, and another
window can tell a run under way from one that was cut off.
"""

from __future__ import annotations

import json
import math
import os
import weakref
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

from digitpad.errors import RunError
from digitpad.figures import percent
from digitpad.store.paths import create_new, user_data_dir
from trainer.config import TrainConfig
from trainer.files import atomic_write

try:
    import fcntl
except ImportError:  # not on Windows: there a run is never seen as in use
    fcntl = None

RUN_FILE = "run.json"
CHECKPOINT_FILE = "checkpoint.safetensors"
LOCK_FILE = "run.lock"
# A run.json far beyond any real run's curves is damage, not data.
MAX_RUN_FILE_BYTES = 64 * 1024 * 1024

# What a run's status means to the user.
RUNNING, FINISHED, STOPPED, FAILED = "running", "finished", "stopped", "failed"


@dataclass
class Run:
    id: str
    folder: Path
    config: dict
    data: str = ""
    start_from: str = ""  # "" = from scratch, else a description of the model fine-tuned
    started: str = ""
    status: str = RUNNING
    message: str = ""
    epochs: list[dict] = field(default_factory=list)
    batch_losses: list[float] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._lock_fd: int | None = None

    @property
    def checkpoint_path(self) -> Path:
        return self.folder / CHECKPOINT_FILE

    @property
    def train_config(self) -> TrainConfig:
        return TrainConfig.from_dict(self.config)

    @property
    def planned_epochs(self) -> int:
        return int(self.config.get("epochs", 0))

    @property
    def test_accuracy(self) -> float | None:
        for record in reversed(self.epochs):
            if "test_accuracy" in record:
                return record["test_accuracy"]
        return None

    @property
    def can_resume(self) -> bool:
        """Stopped (or cut off by a crash) before its last epoch, with a checkpoint,
        and not being trained by another window right now."""
        return (self.status != FINISHED and len(self.epochs) < self.planned_epochs
                and self.checkpoint_path.exists() and not self.in_use())

    # -- in use: one training process at a time --------------------------------

    def claim(self) -> None:
        """Mark this run as being trained by this process (until `release`, a final
        status saved, or the process ending); RunError if another holds it."""
        if self._lock_fd is not None or fcntl is None:
            return
        path = self.folder / LOCK_FILE
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as error:
            raise RunError(f"{path}: cannot be created ({error.strerror or error})") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            raise RunError(f"run {self.id} is being trained in another window") from None
        self._lock_fd = fd
        # A Run dropped without release() must not keep its run locked.
        self._lock_finalizer = weakref.finalize(self, os.close, fd)
        self.status = RUNNING

    def release(self) -> None:
        if self._lock_fd is not None:
            self._lock_fd = None
            self._lock_finalizer()  # closing the descriptor drops the lock

    def in_use(self) -> bool:
        """Being trained now by someone other than this Run object (another window,
        another process)."""
        if self._lock_fd is not None or fcntl is None:
            return False
        try:
            # Read-only, never created: looking must not change the folder.
            fd = os.open(self.folder / LOCK_FILE, os.O_RDONLY)
        except OSError:
            return False
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return True
        finally:
            os.close(fd)  # also drops the lock taken just to look
        return False

    def set_history(self, history: dict) -> None:
        self.epochs = list(history.get("epochs", []))
        self.batch_losses = list(history.get("batch_losses", []))

    def title(self) -> str:
        """One line for the runs list."""
        config = self.config
        what = f"fine-tune of {self.start_from}" if self.start_from else config.get("arch", "?")
        accuracy = self.test_accuracy
        figure = percent(accuracy) if accuracy is not None else "no test yet"
        # This window hides its own run under way, so one still marked running was
        # cut off, unless another window holds it.
        state = {RUNNING: "interrupted", FINISHED: "done", STOPPED: "stopped",
                 FAILED: "failed"}.get(self.status, self.status)
        if self.in_use():
            state = "training in another window"
        return (f"{self.started[5:16].replace('T', ' ')} · {what} · "
                f"{len(self.epochs)}/{self.planned_epochs} epochs · {figure} · {state}")

    def save(self) -> None:
        values = asdict(self)
        values.pop("folder")
        values.pop("id")
        try:
            atomic_write(self.folder / RUN_FILE, json.dumps(values, indent=1).encode(),
                         error=RunError)
        finally:
            if self.status != RUNNING:
                # The training is over, even if its record could not be written (a
                # full disk): another window may resume the run from here on.
                self.release()


class RunStore:
    """The runs folder: make a new run, list the earlier ones."""

    def __init__(self, folder: str | Path | None = None) -> None:
        self.folder = Path(folder) if folder is not None else user_data_dir() / "runs"

    def new(self, config: TrainConfig, *, data: str = "", start_from: str = "") -> Run:
        """A new run, already claimed (in use) by this process: it is about to be trained."""
        now = datetime.now()
        folder = create_new(self.folder, now.strftime("%Y%m%d-%H%M%S"), "", Path.mkdir,
                            what="runs")
        run = Run(folder.name, folder, config.to_dict(), data=data,
                  start_from=start_from, started=now.isoformat(timespec="seconds"))
        run.claim()
        run.save()
        return run

    def load(self, run_id: str) -> Run:
        """The run of that id; RunError (one line naming its run.json) if it is damaged."""
        folder = self.folder / run_id
        path = folder / RUN_FILE
        try:
            with open(path, "rb") as stream:
                data = stream.read(MAX_RUN_FILE_BYTES + 1)
        except OSError as error:
            raise RunError(f"{path}: cannot be read ({error.strerror or error})") from None
        if len(data) > MAX_RUN_FILE_BYTES:
            raise RunError(f"{path}: damaged (larger than any run record)")
        try:
            values = json.loads(data.decode("utf-8"))
        except (ValueError, RecursionError) as error:
            problem = "nested too deeply" if isinstance(error, RecursionError) else "not JSON"
            raise RunError(f"{path}: damaged ({problem})") from None
        problem = _record_problem(values)
        if problem:
            raise RunError(f"{path}: damaged ({problem})")
        known = set(Run.__dataclass_fields__) - {"id", "folder"}
        return Run(run_id, folder, **{k: v for k, v in values.items() if k in known})

    def runs(self) -> list[Run]:
        """Every readable run, newest first; damaged run folders are skipped, not fatal."""
        return self.scan()[0]

    def scan(self) -> tuple[list[Run], list[str]]:
        """The readable runs, newest first, and one line naming each damaged one."""
        found: list[Run] = []
        damaged: list[str] = []
        if not self.folder.is_dir():
            return found, damaged
        for folder in self.folder.iterdir():
            if not (folder / RUN_FILE).is_file():
                continue  # a run being created, or not a run
            try:
                found.append(self.load(folder.name))
            except RunError as error:
                damaged.append(str(error))
        found.sort(key=lambda run: (run.started, run.id), reverse=True)
        return found, sorted(damaged)


# What the run list, the plot and Resume read from a record, with the types
# they need: a record that would break them is damaged, not half shown.
_TEXT_FIELDS = ("data", "start_from", "started", "status", "message")


def _record_problem(values: object) -> str:
    """What is wrong with a run record, or "" if it can be shown and resumed."""
    if not isinstance(values, dict):
        return f"a JSON {type(values).__name__}, not a run record"
    if not isinstance(values.get("config"), dict):
        return "no configuration"
    for name in _TEXT_FIELDS:
        if not isinstance(values.get(name, ""), str):
            return f"'{name}' is not text"
    epochs = values.get("epochs", [])
    if not isinstance(epochs, list) or not all(isinstance(e, dict) for e in epochs):
        return "'epochs' is not a list of records"
    for record in epochs:
        for key, value in record.items():
            if not _is_number(value):
                return f"epoch record field '{key}' is not a number"
    losses = values.get("batch_losses", [])
    if not isinstance(losses, list) or not all(_is_number(v) for v in losses):
        return "'batch_losses' is not a list of numbers"
    planned = values["config"].get("epochs", 0)
    if not _is_number(planned) or not math.isfinite(planned):
        return "the planned number of epochs is not a number"
    return ""


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)
