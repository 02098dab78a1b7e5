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

.PHONY: run test lint bench mutate clean translations

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

# The window's translations (digitpad/ui/i18n/README.md): collect every tr() string of
# digitpad/ui into the .ts files (translations already written are kept), then compile
# them into the .qm files the program loads. Both tools come with PySide6.
TS_FILES := $(wildcard digitpad/ui/i18n/digitpad_*.ts)
translations: $(STAMP)
	$(BIN)/pyside6-lupdate $$(find digitpad/ui -name '*.py' | sort) -locations none -no-obsolete \
	    -ts $(TS_FILES)
	for ts in $(TS_FILES); do $(BIN)/pyside6-lrelease -silent $$ts -qm $${ts%.ts}.qm || exit 1; done

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
	$(BIN)/python bench/predict_command.py
	$(BIN)/python bench/live_latency.py
	$(BIN)/python bench/drawn_digits.py
	$(BIN)/python bench/written_numbers.py
	$(BIN)/python bench/not_a_digit.py
	$(BIN)/python bench/calibration.py --out reliability.png
	$(BIN)/python bench/evaluation_time.py
	$(BIN)/python bench/trainer_default_run.py
	$(BIN)/python bench/personal_finetune.py
	$(BIN)/python bench/soak.py
	$(BIN)/python bench/model_figures.py

# Mutation testing over trainer/ and the Qt-free core (pyproject's [tool.mutmut]):
# long, so not part of CI. mutmut works in a copy under mutants/ and keeps its
# results there, so a second run retries only what changed. Limit a run to some
# modules with e.g. MUTANTS="trainer.engine* digitpad.drawing.preprocess*" (mutmut
# then reruns every mutant named, even those it has results for).
MUTANTS ?=
mutate: $(STAMP)
	$(BIN)/mutmut run $(MUTANTS)
	@echo "Survivors (mutmut show NAME shows one):"
	@$(BIN)/mutmut results | grep -v ": not checked$$" || true
	@# The score: mutants detected (a test failed, hung or crashed) of those tried;
	@# "not checked" ones lie outside MUTANTS.
	@$(BIN)/mutmut results --all true | awk -F': ' '{ n[$$2]++ } END { \
	  detected = n["killed"] + n["timeout"] + n["segfault"]; \
	  tried = detected + n["survived"] + n["no tests"] + n["suspicious"]; \
	  for (s in n) if (n[s]) print "  " n[s], s; \
	  if (tried) printf "mutation score: %.1f %% (%d of %d mutants tried)\n", \
	    100 * detected / tried, detected, tried }'

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .ruff_cache mutants
