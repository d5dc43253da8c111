# beancount-micro: the two commands of the README, and a few helpers.
#   make demo   set everything up, then run the main job on the example ledger
#   make test   run the test suite (what CI runs)

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
LEDGER := ledger.example.beancount
OUT    := demo-output
# The example ledger's books run to 2026-11-30: judge its deadlines on a fixed
# day so the demo shows the same thing whenever it runs.
DEMO_TODAY ?= 2026-12-04
APT_PACKAGES := libharfbuzz-subset0 chromium fonts-dejavu-core poppler-utils

.PHONY: demo test setup system-packages lint bench fava clean

$(BIN)/bean-micro: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	@# An editable install is not compiled to bytecode; compile it once, as pip
	@# does for installed packages (Python may be told not to write it itself).
	$(BIN)/python -m compileall -q core plugins importers invoice cli fava_ext >/dev/null
	$(BIN)/python -m beancount_micro.regime.cache
	@touch $@

system-packages:
	@missing=""; for p in $(APT_PACKAGES); do \
	  dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

setup: system-packages $(BIN)/bean-micro

demo: setup
	@mkdir -p $(OUT)
	@echo "== bean-micro check $(LEDGER) (problems planted in the example are expected)"
	@$(BIN)/bean-micro check $(LEDGER) --today $(DEMO_TODAY) || \
	  echo "(check exits 1: the two problems above are planted in the example)"
	@echo "== bean-micro urssaf $(LEDGER)"
	$(BIN)/bean-micro urssaf $(LEDGER) --today $(DEMO_TODAY)
	$(BIN)/bean-micro urssaf $(LEDGER) --today $(DEMO_TODAY) --json > $(OUT)/urssaf.json
	@echo "== registers"
	$(BIN)/bean-micro registers $(LEDGER) --year 2026 --format pdf -o $(OUT)/registres-2026.pdf
	$(BIN)/bean-micro registers $(LEDGER) --year 2026 --format csv -o $(OUT)/registres-2026.csv
	@echo
	@echo "Demo done. Outputs are in $(OUT)/. To browse the books in Fava:"
	@echo "  $(BIN)/fava -H 127.0.0.1 -p 5000 $(LEDGER)   then open http://127.0.0.1:5000"

test: setup
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q

lint: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: setup
	$(BIN)/python benchmarks/run_all.py

fava: setup
	$(BIN)/fava -H 127.0.0.1 -p 5000 $(LEDGER)

clean:
	rm -rf $(OUT) .pytest_cache .ruff_cache build *.egg-info
