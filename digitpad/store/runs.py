"""Training runs kept on disk, so they can be compared, resumed and reused.

Each run lives in ``<user data>/runs/<id>/``: ``run.json`` holds what the run
was asked to do (configuration, data, what it started from), how it went
(status, message) and its curves (one record per epoch, the loss of every
batch); ``checkpoint.safetensors`` is the engine's checkpoint after the last
completed epoch, with everything needed to resume. ``run.json`` is rewritten
atomically after every epoch, so a crash leaves the curves of the epochs that
the checkpoint holds.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

from digitpad.errors import RunError
from digitpad.figures import percent
from digitpad.store.paths import user_data_dir
from trainer.config import TrainConfig
from trainer.files import atomic_write

RUN_FILE = "run.json"
CHECKPOINT_FILE = "checkpoint.safetensors"

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
        """Stopped (or cut off by a crash) before its last epoch, with a checkpoint."""
        return (self.status != FINISHED and len(self.epochs) < self.planned_epochs
                and self.checkpoint_path.exists())

    def set_history(self, history: dict) -> None:
        self.epochs = list(history.get("epochs", []))
        self.batch_losses = list(history.get("batch_losses", []))

    def title(self) -> str:
        """One line for the runs list."""
        config = self.config
        what = f"fine-tune of {self.start_from}" if self.start_from else config.get("arch", "?")
        accuracy = self.test_accuracy
        figure = percent(accuracy) if accuracy is not None else "no test yet"
        # The run under way is not listed, so one still marked running was cut off.
        state = {RUNNING: "interrupted", FINISHED: "done", STOPPED: "stopped",
                 FAILED: "failed"}.get(self.status, self.status)
        return (f"{self.started[5:16].replace('T', ' ')} · {what} · "
                f"{len(self.epochs)}/{self.planned_epochs} epochs · {figure} · {state}")

    def save(self) -> None:
        values = asdict(self)
        values.pop("folder")
        values.pop("id")
        atomic_write(self.folder / RUN_FILE, json.dumps(values, indent=1).encode(),
                     error=RunError)


class RunStore:
    """The runs folder: make a new run, list the earlier ones."""

    def __init__(self, folder: str | Path | None = None) -> None:
        self.folder = Path(folder) if folder is not None else user_data_dir() / "runs"

    def new(self, config: TrainConfig, *, data: str = "", start_from: str = "") -> Run:
        now = datetime.now()
        base = now.strftime("%Y%m%d-%H%M%S")
        run_id, n = base, 1
        while (self.folder / run_id).exists():
            n += 1
            run_id = f"{base}-{n}"
        run = Run(run_id, self.folder / run_id, config.to_dict(), data=data,
                  start_from=start_from, started=now.isoformat(timespec="seconds"))
        run.save()
        return run

    def load(self, run_id: str) -> Run:
        folder = self.folder / run_id
        values = json.loads((folder / RUN_FILE).read_text(encoding="utf-8"))
        known = set(Run.__dataclass_fields__) - {"id", "folder"}
        return Run(run_id, folder, **{k: v for k, v in values.items() if k in known})

    def runs(self) -> list[Run]:
        """Every readable run, newest first; damaged run folders are skipped, not fatal."""
        found = []
        if not self.folder.is_dir():
            return found
        for folder in self.folder.iterdir():
            if not (folder / RUN_FILE).is_file():
                continue
            try:
                found.append(self.load(folder.name))
            except (OSError, ValueError, TypeError):
                continue
        return sorted(found, key=lambda run: (run.started, run.id), reverse=True)
