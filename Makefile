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
EXTENSION_TESTEE := $(PY) conformance/testees/python_extension.py

.PHONY: all test demo venv test-python check-vectors vectors conformance-reference \
        test-rust doc-rust lint-rust conformance-rust clean extension conformance-extension \
        test-python-versions test-python-3.12 test-python-3.13 bench bench-rust bench-instr \
        check-benches \
        fuzz fuzz-smoke fuzz-tool fuzz-corpus fuzz-python fuzz-python-smoke

all: test

$(VENV)/.installed: requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

venv: $(VENV)/.installed

## make test: every test that exists, from a fresh machine.
test: venv test-python check-vectors conformance-reference conformance-extension test-rust \
      doc-rust lint-rust conformance-rust test-python-versions check-benches fuzz-smoke \
      fuzz-python-smoke

# The compiled extension (codec-py/, frozenpack._frozenpack), built in release mode and
# installed into .venv in place (editable): the .so lands beside codec-py/python/frozenpack/.
# Fat LTO lets the codec's reader and writer inline into the extension's loops (loads 8-30%
# faster on the benchmark payloads, measured); it costs a few seconds of linking, only here.
MATURIN_DEVELOP := CARGO_PROFILE_RELEASE_LTO=fat CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1 \
    $(VENV)/bin/maturin develop --release --quiet -m codec-py/Cargo.toml

extension: venv
	VIRTUAL_ENV=$(CURDIR)/$(VENV) $(MATURIN_DEVELOP)

test-python: venv extension
	$(PY) -m pytest -q codec-py/tests conformance/tests

# The committed vectors must be exactly what the case lists and the reference produce.
check-vectors: venv
	$(PY) conformance/generate.py --check

vectors: venv
	$(PY) conformance/generate.py

conformance-reference: venv
	$(PY) conformance/run.py --testee "$(REFERENCE_TESTEE)"

conformance-extension: venv extension
	$(PY) conformance/run.py --testee "$(EXTENSION_TESTEE)"

# The extension's tests on the other CPython versions it supports (3.12, 3.13: per-interpreter
# GIL, sub-interpreters), each in its own venv with the pinned test packages and its own build
# of the extension. An interpreter that is not installed is skipped, saying so. The files run
# there: the extension's own tests, and those of behaviour that differs between versions
# (concurrency: re-entrancy, shared memory, queues; sub-interpreters).
VERSIONED_TESTS = $(wildcard codec-py/tests/test_extension_*.py codec-py/tests/test_concurrency_*.py \
                             codec-py/tests/test_interpreters_*.py)
PYENV_VERSIONS ?= /root/.pyenv/versions
PYTHON_3.12 ?= $(PYENV_VERSIONS)/3.12.1/bin/python
PYTHON_3.13 ?= $(PYENV_VERSIONS)/3.13.0/bin/python

test-python-versions: test-python-3.12 test-python-3.13

test-python-3.12 test-python-3.13: test-python-%: venv
	@if [ ! -x "$(PYTHON_$*)" ]; then \
	    echo "SKIPPED: Python $* not found at $(PYTHON_$*) (set PYTHON_$*=...)"; exit 0; fi; \
	set -e; \
	if [ ! -f .venv-$*/.installed ] || [ requirements-dev.txt -nt .venv-$*/.installed ]; then \
	    "$(PYTHON_$*)" -m venv .venv-$*; \
	    grep -E '^(pytest|hypothesis)==' requirements-dev.txt > .venv-$*/requirements.txt; \
	    .venv-$*/bin/python -m pip install --quiet --disable-pip-version-check \
	        -r .venv-$*/requirements.txt; \
	    touch .venv-$*/.installed; fi; \
	VIRTUAL_ENV=$(CURDIR)/.venv-$* $(MATURIN_DEVELOP); \
	.venv-$*/bin/python -m pytest -q $(VERSIONED_TESTS)

# Every feature, so the testee binary, the proptest strategies and the num-bigint
# conversions are built and tested too; doc tests included.
test-rust:
	$(CARGO) test --workspace --all-features

# The docs are part of the API: broken intra-doc links or missing docs fail the build.
doc-rust:
	RUSTDOCFLAGS="-D warnings" $(CARGO) doc --workspace --all-features --no-deps

# clippy with warnings as errors. The decoder, encoder, text, tag and error modules, which the
# Python extension runs (no panic may cross its FFI boundary), also deny every unwrap, expect,
# panic, unreachable, indexing or slicing that can fail, and unchecked arithmetic (the
# `panic_free!` list in codec/src/lib.rs; tests may unwrap, see codec/clippy.toml).
lint-rust:
	$(CARGO) clippy -p frozenpack --all-features --all-targets -- -D warnings

$(RUST_TESTEE): FORCE
	$(CARGO) build -p frozenpack --features conformance-testee --bin frozenpack-conformance-testee

conformance-rust: venv $(RUST_TESTEE)
	$(PY) conformance/run.py --testee "$(RUST_TESTEE)"

FORCE:

## make demo: shows frozenpack at work.
demo: venv extension
	$(PY) codec-py/examples/demo.py

## make bench: frozenpack against pickle, marshal, msgspec, ormsgpack, msgpack and cbor2 (a few
## minutes). Prints the tables and rewrites the committed report and chart from this run.
bench: venv extension
	$(PY) codec-py/bench/bench.py --markdown codec-py/bench/RESULTS.md \
	    --png codec-py/bench/results.png

## make bench-rust: the Rust crate's criterion benches against postcard, bincode, rmp-serde,
## rmpv and ciborium (about 5 minutes), then the tables of codec/BENCHMARKS.md from this run.
bench-rust:
	$(CARGO) bench -p frozenpack --benches
	$(PYTHON) codec/benches/report.py

## make bench-instr: instructions per item of the crate's main paths and its peers' under
## callgrind (codec/benches/instr.py; about a minute), compared with the committed counts:
## unlike wall time, a regression shows whatever the machine's load. INSTR_ARGS passes
## options, e.g. INSTR_ARGS='--fail-above 1.05' to fail on a 5% regression, or a case regex.
INSTR_BASELINE := codec/benches/instr-baseline.json
INSTR_ARGS ?=
bench-instr:
	CARGO="$(CARGO)" $(PYTHON) codec/benches/instr.py --compare $(INSTR_BASELINE) $(INSTR_ARGS)

# The benches compile and each runs once, checking its round trips (criterion's test mode),
# so they cannot rot; about 15 s once test-rust has built the dependencies.
check-benches:
	$(CARGO) test -p frozenpack --all-features --bench decode_value --bench encode --bench typed_rows \
	    --bench instr

## make fuzz: every cargo-fuzz target (fuzz/README.md) for FUZZ_SECONDS each, from the seed
## corpus; prints each one's executions and coverage. A crash fails it, its input kept in
## fuzz/artifacts/<target>/.
FUZZ_TARGETS       := decode roundtrip serde
FUZZ_SECONDS       ?= 180
# make test's share: long enough to replay the seed corpus and mutate a little. Cold, it
# costs about 4 minutes in all: 45 s to install cargo-fuzz, 2 min to build, 3 x 20 s to run.
FUZZ_SMOKE_SECONDS ?= 20
CARGO_FUZZ_VERSION := 0.13.1

fuzz: fuzz-tool fuzz-corpus
	@for target in $(FUZZ_TARGETS); do \
	    CARGO="$(CARGO)" fuzz/run.sh $$target $(FUZZ_SECONDS) || exit 1; done

fuzz-smoke: fuzz-tool fuzz-corpus
	@for target in $(FUZZ_TARGETS); do \
	    CARGO="$(CARGO)" fuzz/run.sh $$target $(FUZZ_SMOKE_SECONDS) || exit 1; done

# cargo-fuzz, at the pinned version, unless that version is already installed.
fuzz-tool:
	@$(CARGO) fuzz --version 2>/dev/null | grep -qx 'cargo-fuzz $(CARGO_FUZZ_VERSION)' || \
	    $(CARGO) install cargo-fuzz --locked --version $(CARGO_FUZZ_VERSION)

# The seed corpora are gitignored: written from the conformance vectors before each run.
fuzz-corpus: venv
	$(PY) fuzz/seed_corpus.py

## make fuzz-python: the Python harness (codec-py/fuzz/fuzz_loads.py), coverage-guided with
## atheris, for FUZZ_PYTHON_SECONDS: the extension's loads against the reference's on
## arbitrary octets. Installs atheris (codec-py/fuzz/requirements.txt) into .venv if absent.
FUZZ_PYTHON_SECONDS ?= 600
fuzz-python: venv extension
	@$(PY) -c 'import atheris' 2>/dev/null || $(PY) -m pip install --quiet \
	    --disable-pip-version-check -r codec-py/fuzz/requirements.txt
	$(PY) codec-py/fuzz/fuzz_loads.py atheris -max_total_time=$(FUZZ_PYTHON_SECONDS) \
	    -print_final_stats=1

# make test's share: the conformance vectors, then seeded mutations of them (a few seconds).
fuzz-python-smoke: venv extension
	$(PY) codec-py/fuzz/fuzz_loads.py mutate --seed 1 --iterations 20000

clean:
	rm -rf $(VENV) .venv-3.12 .venv-3.13 target fuzz/target
