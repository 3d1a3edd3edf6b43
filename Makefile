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
STREAM_ECHO := target/debug/examples/stream_echo

REFERENCE_TESTEE := $(PY) conformance/testees/python_reference.py
EXTENSION_TESTEE := $(PY) conformance/testees/python_extension.py

.PHONY: all test demo venv test-python check-vectors vectors conformance-reference \
        test-rust doc-rust lint-rust conformance-rust test-stream-pipe clean extension \
        conformance-extension conformance-dist \
        test-python-versions test-python-3.12 test-python-3.13 bench bench-rust bench-instr \
        check-benches bench-workers fuzz fuzz-smoke fuzz-tool fuzz-corpus fuzz-python \
        fuzz-python-smoke fuzz-shm lint-extension wheels test-wheels test-python-3.11 check-sdist \
        check-crate

all: test

$(VENV)/.installed: requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

venv: $(VENV)/.installed

## make test: every test that exists, from a fresh machine.
test: venv test-python check-vectors conformance-reference conformance-extension test-rust \
      doc-rust lint-rust conformance-rust test-stream-pipe test-wheels check-crate check-benches \
      fuzz-smoke fuzz-python-smoke lint-extension

# The compiled extension (codec-py/, frozenpack._frozenpack), built in release mode and
# installed into .venv in place (editable): the .so lands beside codec-py/python/frozenpack/.
# Fat LTO (the workspace's release profile, which the wheels and the sdist use too) lets the
# codec's reader and writer inline into the extension's loops (loads 8-30% faster on the
# benchmark payloads, measured); it costs a few seconds of linking.
MATURIN_DEVELOP := $(VENV)/bin/maturin develop --release --quiet -m codec-py/Cargo.toml

extension: venv
	VIRTUAL_ENV=$(CURDIR)/$(VENV) $(MATURIN_DEVELOP)

test-python: venv extension
	$(PY) -m pytest -q codec-py/tests conformance/tests

# Nothing in the extension may panic (a panic reaching CPython aborts the process): clippy
# denies unwrap/expect/panic!/indexing there (codec-py/src/lib.rs), and any warning fails.
lint-extension:
	$(CARGO) clippy -p frozenpack-python --release -- -D warnings

# The committed vectors must be exactly what the case lists and the reference produce.
check-vectors: venv
	$(PY) conformance/generate.py --check

vectors: venv
	$(PY) conformance/generate.py

# Our testees implement every operation of the suite: a skipped check would be a regression.
conformance-reference: venv
	$(PY) conformance/run.py --require-all-ops --testee "$(REFERENCE_TESTEE)"

conformance-extension: venv extension
	$(PY) conformance/run.py --require-all-ops --testee "$(EXTENSION_TESTEE)"

## make conformance-dist: dist/frozenpack-conformance-<conformance/VERSION>.tar.gz, reproducible,
## with its SHA-256 beside it (and one per file inside), for implementers to pin.
conformance-dist: venv
	$(PY) conformance/dist.py --out dist

# The extension's tests on every CPython version it supports (3.11; 3.12, 3.13: per-interpreter
# GIL, sub-interpreters), each against its release wheel installed into a fresh venv of that
# Python, with the pinned test packages (codec-py/release/check_wheel.py: also the wheel's
# manylinux tag, and mypy against the installed stubs). An interpreter that is not installed
# is skipped, saying so. The files run there: the extension's own tests, and those of
# behaviour that differs between versions (concurrency: re-entrancy, shared memory, queues;
# sub-interpreters).
VERSIONED_TESTS = $(wildcard codec-py/tests/test_extension_*.py codec-py/tests/test_concurrency_*.py \
                             codec-py/tests/test_interpreters_*.py)
PYENV_VERSIONS ?= /root/.pyenv/versions
PYTHON_3.11 ?= $(PYTHON)
PYTHON_3.12 ?= $(PYENV_VERSIONS)/3.12.1/bin/python
PYTHON_3.13 ?= $(PYENV_VERSIONS)/3.13.0/bin/python

test-python-versions: test-python-3.12 test-python-3.13

test-python-3.11 test-python-3.12 test-python-3.13: test-python-%: venv wheels
	@if [ -z "$$(command -v $(PYTHON_$*))" ]; then \
	    echo "SKIPPED: Python $* not found at $(PYTHON_$*) (set PYTHON_$*=...)"; exit 0; fi; \
	$(PY) codec-py/release/check_wheel.py --python $(PYTHON_$*) --expect $* --dist $(DIST) \
	    --venv .venv-$* $(VERSIONED_TESTS)

## make wheels: the release artefacts in dist/: a wheel for each of CPython 3.11, 3.12 and 3.13
## (manylinux2014 x86_64: linked by zig, from PyPI's ziglang, against glibc 2.17; fat LTO, the
## workspace's release profile) and the sdist. Interpreters that are not installed are skipped.
## zig is found as `python3 -m ziglang`, hence .venv/bin first on PATH. maturin builds the wheels
## from the sdist it has just made (in a temporary directory), so the sdist is known to build.
DIST := dist
WHEEL_PYTHONS := 3.11 3.12 3.13
WHEEL_INTERPRETERS = $(foreach v,$(WHEEL_PYTHONS),$(if $(shell command -v $(PYTHON_$(v))),$(PYTHON_$(v))))

wheels: venv
	rm -rf $(DIST)
	@# maturin unpacks the sdist anew for each build and its files keep their old mtimes, so
	@# cargo would take the previous build of our own two crates in target/wheels for fresh
	@# (it did, after a new module). Their fingerprints go; the dependencies' builds stay.
	rm -rf $(CURDIR)/target/wheels/*/release/.fingerprint/frozenpack-*
	@$(foreach v,$(WHEEL_PYTHONS),$(if $(shell command -v $(PYTHON_$(v))),,\
	    echo "SKIPPED: no wheel for Python $(v), not found at $(PYTHON_$(v)) (set PYTHON_$(v)=...)";))
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" CARGO_TARGET_DIR=$(CURDIR)/target/wheels \
	    $(VENV)/bin/maturin build --release --zig --compatibility manylinux2014 --sdist \
	    --out $(DIST) -m codec-py/Cargo.toml $(addprefix --interpreter ,$(WHEEL_INTERPRETERS))

## make test-wheels: every wheel and the sdist, each installed into a fresh venv and tested.
test-wheels: test-python-3.11 test-python-versions check-sdist

# The sdist: what it carries, `pip install` of it in a fresh venv (a build from source, no
# Makefile), and its own copy of the tests against what that installed.
check-sdist: venv wheels
	$(PY) codec-py/release/check_sdist.py --python $(PYTHON_3.11) --dist $(DIST) \
	    --venv .venv-sdist $(notdir $(VERSIONED_TESTS))

# The crate as crates.io gets it: `cargo package`, then `cargo test` inside the unpacked .crate,
# which is not a member of the workspace (Cargo.toml excludes target/); its vectors are
# tests/vectors, copied from conformance/vectors: checked byte-equal here. The workspace's test
# profile and target directory, so test-rust's dependencies are reused; few property cases,
# since test-rust ran them all on the same sources.
CRATE_CHECK := target/crate-check
check-crate:
	rm -rf $(CRATE_CHECK) target/package/frozenpack-*.crate
	$(CARGO) package -p frozenpack --allow-dirty --no-verify
	mkdir -p $(CRATE_CHECK) && tar xzf target/package/frozenpack-*.crate -C $(CRATE_CHECK)
	@# The unpacked files keep the mtimes the .crate recorded, which can be older than the
	@# last check's build in target/: cargo then takes that build for fresh (it did, after
	@# a module was added). Touched, they are newer; only this crate's units rebuild.
	find $(CRATE_CHECK) -type f -exec touch {} +
	@set -e; cd $(CRATE_CHECK)/frozenpack-*; test -f LICENSE-MIT; test -f LICENSE-APACHE; \
	diff -r $(CURDIR)/conformance/vectors tests/vectors; \
	echo "$(CRATE_CHECK): licences present, tests/vectors equal to conformance/vectors"
	cd $(CRATE_CHECK)/frozenpack-* && PROPTEST_CASES=64 CARGO_TARGET_DIR=$(CURDIR)/target \
	    $(CARGO) test --locked \
	    --config 'profile.dev.opt-level=1' --config 'profile.dev.package."*".opt-level=2'

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
	$(PY) conformance/run.py --require-all-ops --testee "$(RUST_TESTEE)"

# Python and Rust exchange a long sequence of values (a 10 MiB bytes, a 1000-deep tuple) over
# real pipes, both ways: codec/examples/stream_echo.rs and codec-py/tests/test_stream_pipe.py
# (which test-python runs too, skipped there for want of the Rust program).
$(STREAM_ECHO): FORCE
	$(CARGO) build -p frozenpack --example stream_echo

test-stream-pipe: venv $(STREAM_ECHO)
	FROZENPACK_STREAM_ECHO=$(CURDIR)/$(STREAM_ECHO) $(PY) -m pytest -q codec-py/tests/test_stream_pipe.py

FORCE:

## make demo: shows frozenpack at work.
demo: venv extension
	$(PY) codec-py/examples/demo.py

## make bench: frozenpack against pickle, marshal, msgspec, ormsgpack, msgpack and cbor2 (a few
## minutes), in interleaved rounds. Waits (up to 10 minutes) for a 1-minute load average of at
## most BENCH_QUIET, then prints the tables and rewrites the committed report, chart and the
## README's excerpt from this run. BENCH_ARGS passes options, e.g. BENCH_ARGS='--rounds 21'.
BENCH_QUIET ?= 1.5
BENCH_ARGS ?=
bench: venv extension
	$(PY) codec-py/bench/bench.py --markdown codec-py/bench/RESULTS.md \
	    --png codec-py/bench/results.png --readme README.md --wait-quiet $(BENCH_QUIET) \
	    $(BENCH_ARGS)

## make bench-workers: pickle against frozenpack through Connection, ProcessPoolExecutor and
## multiprocessing.Pool (with frozenpack.wrap), frozenpack.futures and Dask (a LocalCluster on
## 127.0.0.1), then through sub-interpreters on CPython 3.13 (its venv and build of the extension,
## made here as test-python-3.13 makes them, when that Python is installed). A few minutes.
bench-workers: venv extension
	$(PY) codec-py/bench/workers.py
	@if [ ! -x "$(PYTHON_3.13)" ]; then \
	    echo "SKIPPED: sub-interpreters: Python 3.13 not found at $(PYTHON_3.13)"; exit 0; fi; \
	set -e; \
	if [ ! -x .venv-3.13/bin/python ]; then "$(PYTHON_3.13)" -m venv .venv-3.13; fi; \
	VIRTUAL_ENV=$(CURDIR)/.venv-3.13 $(MATURIN_DEVELOP); \
	.venv-3.13/bin/python codec-py/bench/workers.py --only interpreters

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

fuzz: fuzz-tool fuzz-corpus fuzz-shm
	@for target in $(FUZZ_TARGETS); do \
	    CARGO="$(CARGO)" fuzz/run.sh $$target $(FUZZ_SECONDS) || exit 1; done

## make fuzz-shm: a process writes a shared-memory buffer while the extension and the
## reference decode it (codec-py/tests/shm_race.py), FUZZ_SECONDS each; make test runs a few
## seconds of it on every Python version (test_concurrency_shared_memory.py).
fuzz-shm: venv extension
	$(PY) codec-py/tests/shm_race.py --seconds $(FUZZ_SECONDS) --implementation extension
	$(PY) codec-py/tests/shm_race.py --seconds $(FUZZ_SECONDS) --implementation reference

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
	rm -rf $(VENV) .venv-3.11 .venv-3.12 .venv-3.13 .venv-sdist $(DIST) target fuzz/target
