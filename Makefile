# frozenpack: the two commands are `make demo` and `make test`; everything else is a step of
# those. Works on a fresh machine: Python packages go into .venv (pinned in
# requirements-dev.txt), crates come through cargo.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
# The pure-Python package and the conformance helpers are used in place, from the tree.
export PYTHONPATH := $(CURDIR)/codec-py/python:$(CURDIR)/conformance
CARGO ?= cargo
RUST_TESTEE := target/debug/frozenpack-conformance-testee

REFERENCE_TESTEE := $(PY) conformance/testees/python_reference.py

.PHONY: all test demo venv test-python check-vectors vectors conformance-reference \
        test-rust doc-rust conformance-rust clean

all: test

$(VENV)/.installed: requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

venv: $(VENV)/.installed

## make test: every test that exists, from a fresh machine.
test: venv test-python check-vectors conformance-reference test-rust doc-rust conformance-rust

test-python: venv
	$(PY) -m pytest -q codec-py/tests conformance/tests

# The committed vectors must be exactly what the case lists and the reference produce.
check-vectors: venv
	$(PY) conformance/generate.py --check

vectors: venv
	$(PY) conformance/generate.py

conformance-reference: venv
	$(PY) conformance/run.py --testee "$(REFERENCE_TESTEE)"

# Every feature, so the testee binary, the proptest strategies and the num-bigint
# conversions are built and tested too; doc tests included.
test-rust:
	$(CARGO) test --workspace --all-features

# The docs are part of the API: broken intra-doc links or missing docs fail the build.
doc-rust:
	RUSTDOCFLAGS="-D warnings" $(CARGO) doc --workspace --all-features --no-deps

$(RUST_TESTEE): FORCE
	$(CARGO) build -p frozenpack --features conformance-testee --bin frozenpack-conformance-testee

conformance-rust: venv $(RUST_TESTEE)
	$(PY) conformance/run.py --testee "$(RUST_TESTEE)"

FORCE:

## make demo: shows frozenpack at work.
demo: venv
	$(PY) codec-py/examples/reference_demo.py

clean:
	rm -rf $(VENV) target
