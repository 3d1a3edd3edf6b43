#!/bin/sh
# Runs one fuzz target for a while and prints one summary line: executions and coverage,
# from libFuzzer's final stats. Used by `make fuzz` and `make fuzz-smoke`, from the
# repository root:
#     fuzz/run.sh TARGET SECONDS
# The whole libFuzzer log goes to fuzz/artifacts/TARGET.log; a crash (or a timeout, or an
# out-of-memory) leaves its input in fuzz/artifacts/TARGET/, prints the log's end and exits
# non-zero, so a make target running this fails.
set -eu

target=$1
seconds=$2
log=fuzz/artifacts/$target.log
mkdir -p "fuzz/artifacts/$target" "fuzz/corpus/$target"

# cargo-fuzz needs nightly flags (-Zsanitizer); RUSTC_BOOTSTRAP lets stable accept them.
# -timeout: an input that takes 20 s is a bug (every path is linear in the input's size).
status=0
RUSTC_BOOTSTRAP=1 "${CARGO:-cargo}" fuzz run "$target" "fuzz/corpus/$target" -- \
    -dict=fuzz/fuzz.dict -max_total_time="$seconds" -timeout=20 -print_final_stats=1 \
    >"$log" 2>&1 || status=$?
if [ "$status" -ne 0 ]; then
    tail -n 80 "$log"
    echo "fuzz/$target: FAILED (exit $status); full log: $log, inputs: fuzz/artifacts/$target/" >&2
    exit "$status"
fi

# -a: the log is text, but a crash report may quote the input's octets.
executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
# The last status line, e.g. "#123456 DONE cov: 1469 ft: 6294 corp: 741/981Kb ...".
coverage=$(grep -aE '^#[0-9]+' "$log" | tail -n 1 |
    grep -aoE 'cov: [0-9]+ ft: [0-9]+ corp: [0-9]+/[0-9a-zA-Z]+' || true)
echo "fuzz/$target: $executions executions in ${seconds} s; $coverage"
