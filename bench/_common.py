"""What the benchmark scripts share: finding the data, printing the machine, and
yesterday's code to measure today's against."""

from __future__ import annotations

import importlib.util
import os
import platform
import statistics
import subprocess
import sys
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path
from types import ModuleType

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"
MNIST_DIR = SHARED_DATA / "mnist"
PENDIGITS_FILE = SHARED_DATA / "pendigits" / "pendigits-writers01-30.jsonl"
# The last commit before issue 15's speed work: the baseline its benchmarks print beside
# each figure, measured in the same run.
BASELINE = "ee9ce96d0d1867c94e2ed778da23d126d87079c2"


def require(path: Path, what: str) -> Path:
    if not path.exists():
        sys.exit(f"{what} not found at {path}; benchmarks need ../shared/data beside the repo")
    return path


def machine() -> str:
    import torch

    return (f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
            f"torch {torch.__version__} with {torch.get_num_threads()} threads, "
            f"Python {platform.python_version()}")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def turn_order(round_number: int, names: tuple[str, ...] = ("now", "baseline")) -> tuple[str, ...]:
    """Who runs first in this round: `names` in odd rounds, reversed in even ones, so
    neither the current code nor its baseline always meets the machine as the other left it."""
    return names if round_number % 2 else names[::-1]


def paired_ratio(now: list[float], baseline: list[float]) -> float:
    """The median of the rounds' ratios now / baseline: each round's pair ran seconds
    apart, so the machine's drift between rounds cancels out."""
    return statistics.median(n / b for n, b in zip(now, baseline, strict=True))


def a_digit(digit: int) -> str:
    """"a 7", "an 8": a digit named in a sentence."""
    return f"an {digit}" if digit == 8 else f"a {digit}"


def met(yes: bool) -> str:
    """How a benchmark says whether a goal was reached."""
    return "met" if yes else "NOT met"


def module_at(rev: str, path: str) -> ModuleType:
    """The module in `path` (relative to the repository) as commit `rev` had it.

    A speed figure on a shared machine means something only beside its baseline
    measured in the same run, seconds apart; this loads the old file (read with
    `git show`) under a private name, so a benchmark can time the old and the new
    implementation in alternating rounds. Its imports are today's modules."""
    source = subprocess.run(["git", "show", f"{rev}:{path}"], cwd=REPO, check=True,
                            capture_output=True, text=True).stdout
    name = "baseline_" + Path(path).stem
    # The file is needed only while the module loads; then it goes (it used to stay in
    # the temporary folder, one folder per run).
    with tempfile.TemporaryDirectory(prefix="digitpad-baseline-") as folder:
        file = Path(folder) / f"{name}.py"
        file.write_text(source)
        spec = importlib.util.spec_from_file_location(name, file)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module  # dataclasses look their module up while it loads
        spec.loader.exec_module(module)
    return module


def export_tree(rev: str, folder: Path) -> Path:
    """The code of commit `rev` (its Python packages) in `folder`, read with `git archive`
    (the repository is not touched); put it first on PYTHONPATH to run that version."""
    archive = subprocess.run(["git", "archive", "--format=tar", rev, "digitpad", "trainer",
                              "resources"], cwd=REPO, check=True, capture_output=True).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(folder, filter="data")
    return folder


def with_code_first(env: dict[str, str], code: Path | None) -> dict[str, str]:
    """`env` with the packages in `code` (see export_tree) ahead of the installed ones."""
    if code is None:
        return env
    return dict(env, PYTHONPATH=os.pathsep.join(filter(None, [str(code),
                                                              env.get("PYTHONPATH")])))
