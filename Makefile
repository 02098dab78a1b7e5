# The two commands of the README:
#   make run    set up a local virtual environment (.venv) and start DigitPad
#   make test   set up the same environment and run the tests
# Both are idempotent: the environment is rebuilt only when pyproject.toml or
# constraints.txt change. `make bench` runs every benchmark (they need
# ../shared/data beside the repository).

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.digitpad-installed

.PHONY: run test lint bench mutate clean

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	# torch first and pinned: the CPU build, never a multi-GB CUDA build.
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt torch==2.13.0
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/digitpad

test: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q
	$(MAKE) --no-print-directory lint

# ruff, and the layer contract of docs/architecture.md (pyproject's [tool.importlinter])
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports

bench: $(STAMP)
	$(BIN)/python bench/train_throughput.py
	$(BIN)/python bench/time_to_99.py
	$(BIN)/python bench/inference_latency.py
	$(BIN)/python bench/gui_training.py
	$(BIN)/python bench/startup.py
	$(BIN)/python bench/live_latency.py
	$(BIN)/python bench/drawn_digits.py
	$(BIN)/python bench/personal_finetune.py
	$(BIN)/python bench/soak.py
	$(BIN)/python bench/model_figures.py

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .ruff_cache
