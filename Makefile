# Two commands on a fresh machine with Python 3 (see README):
#   make lab    set up .venv and open the lessons in JupyterLab
#   make test   set up .venv and run every test (unit tests and the lessons under nbval)
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: lab test test-quick setup bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[lab,test]"
	touch $(STAMP)

setup: $(STAMP)

lab: $(STAMP)
	$(BIN)/jupyter lab lessons/00_start_here.ipynb

test: $(STAMP)
	$(BIN)/python -m pytest --nbval-lax tests lessons

test-quick: $(STAMP)
	$(BIN)/python -m pytest --nbval-lax -m "not browser and not binder" tests lessons

bench: $(STAMP)
	for f in benchmarks/bench_*.py; do $(BIN)/python $$f || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache
