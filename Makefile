# Two entry points: `make run` sets up and starts rubdown, `make test` sets up and runs every check.
.PHONY: setup run test bench

# `make run PORT=8001` when 8000 is taken.
PORT ?= 8000

setup:
	bash scripts/setup.sh

run:
	bash scripts/setup.sh --run
	.venv/bin/rubdown serve --port $(PORT)

test: setup
	bash scripts/test.sh

bench: setup
	.venv/bin/python bench/planner.py
	.venv/bin/python bench/cues.py
	.venv/bin/python bench/voice.py
	.venv/bin/python bench/web.py
	.venv/bin/python bench/sessions.py
