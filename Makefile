# Two commands on a fresh machine with Python 3 (see README):
#   make lab    set up .venv and open lesson 00 in JupyterLab (the repository is its file browser)
#   make test   set up .venv and run every test (unit tests and the lessons under nbval)
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

# make lab LAB_ARGS="--no-browser --port=8890"   extra options for `jupyter lab`
LAB_ARGS ?=
# Jupyter refuses to start as root (containers, cloud machines) unless told it may.
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)

.PHONY: lab test test-quick setup bench links clean messages

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[lab,test]"
	touch $(STAMP)

setup: $(STAMP)

lab: $(STAMP)
	$(BIN)/jupyter lab --ServerApp.root_dir="$(CURDIR)" $(ALLOW_ROOT) $(LAB_ARGS) \
		lessons/00_start_here.ipynb

# The lessons run under nbval here with the OpenBLAS kernel this machine gives; the Binder test
# (tests/test_binder_env.py) runs them again with another one (OPENBLAS_CORETYPE=Prescott on x86-64).
# OPENBLAS_CORETYPE is never unset: some machines set it because OpenBLAS misreads their CPU.
test: $(STAMP)
	$(BIN)/python -m pytest --nbval-lax tests lessons

test-quick: $(STAMP)
	$(BIN)/python -m pytest --nbval-lax \
		-m "not browser and not binder and not server" tests lessons

bench: $(STAMP)
	for f in benchmarks/bench_*.py; do $(BIN)/python $$f || exit 1; done

# The Binder badge and the nbgitpuller link for this clone's origin remote (WRITE=1: into README)
links:
	$(PYTHON) binder/links.py $(if $(WRITE),--write)

# The kit's own words in Chinese: collect the marked strings (_("…")) into nnkit/locale/nnkit.pot,
# merge them into zh_CN's nnkit.po (translate the new entries there), compile nnkit.mo
messages: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k N_ -k figure_text --no-location --sort-output \
		--project=nnkit --version=0.1.0 --copyright-holder="the nnkit authors" \
		-o nnkit/locale/nnkit.pot .
	$(BIN)/pybabel update -i nnkit/locale/nnkit.pot -d nnkit/locale -D nnkit -l zh_CN \
		--no-fuzzy-matching --ignore-obsolete
	$(BIN)/pybabel compile -d nnkit/locale -D nnkit --statistics

clean:
	rm -rf $(VENV) .pytest_cache
