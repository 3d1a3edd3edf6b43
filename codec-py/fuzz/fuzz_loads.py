"""Differential fuzzing of loads: the extension (frozenpack._frozenpack) against the reference
(frozenpack.reference), on arbitrary octets.

For every input, both give the same outcome: the same value (exact types, floats by their 64
bits, spec §1) or a DecodeError with the same kind, offset and message. A value decoded
from the whole input re-encodes to exactly that input through both dumps (spec §5: a
decoder accepts only canonical encodings). loads_prefix agrees too. Any other exception, or a
crash of the process, is a finding.

Two modes, from the repository root with PYTHONPATH=codec-py/python:conformance:

    python codec-py/fuzz/fuzz_loads.py mutate --seed 1 --iterations 20000
        Seeded random mutations of the conformance vectors' octets; needs nothing but the
        package. `make fuzz-python-smoke` (part of `make test`) runs this.
    python codec-py/fuzz/fuzz_loads.py atheris [libFuzzer options] [corpus dir]
        Coverage-guided, with atheris (codec-py/fuzz/requirements.txt): the reference's
        Python code is instrumented; the extension's Rust code is fuzzed with coverage by
        cargo-fuzz (fuzz/). `make fuzz-python` installs atheris and runs this.

A finding prints the input's hex and both outcomes, writes the input to
fuzz/artifacts/python-loads/, and exits non-zero.
"""

import argparse
import hashlib
import json
import pathlib
import random
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parents[2]
VECTORS = ROOT / "conformance" / "vectors"
CORPUS = ROOT / "fuzz" / "corpus" / "python-loads"
ARTIFACTS = ROOT / "fuzz" / "artifacts" / "python-loads"


def import_codecs():
    import frozenpack.reference as reference
    from frozenpack import _frozenpack as extension
    return reference, extension


# Bound at start-up by main(): under atheris, after instrumentation is set up.
reference = extension = same = None


class Finding(AssertionError):
    pass


def outcome(function, *args):
    """("value", result) or ("error", kind, offset, message); other exceptions propagate."""
    try:
        return ("value", function(*args))
    except (reference.DecodeError, extension.DecodeError) as e:
        return ("error", e.kind, e.offset, str(e))


def agree(a, b):
    if a[0] == "error" or b[0] == "error":
        return a == b
    return same(a[1], b[1])


def check(data):
    """The oracle: raises Finding when the two implementations disagree on `data`."""
    expected = outcome(reference.loads, data)
    actual = outcome(extension.loads, data)
    if not agree(expected, actual):
        raise Finding(f"loads differs:\n  reference: {expected!r:.400}\n"
                      f"  extension: {actual!r:.400}")
    if expected[0] == "value":
        value = expected[1]
        for module in (reference, extension):
            for decoded in (value, actual[1]):
                encoded = module.dumps(decoded)
                if encoded != data:
                    raise Finding(f"{module.__name__}.dumps of the decoded value gives "
                                  f"{encoded.hex()} instead of the input")
    expected = outcome(reference.loads_prefix, data)
    actual = outcome(extension.loads_prefix, data)
    if not agree(expected, actual):
        raise Finding(f"loads_prefix differs:\n  reference: {expected!r:.400}\n"
                      f"  extension: {actual!r:.400}")


def report(data, problem):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"crash-{hashlib.sha1(data).hexdigest()}"
    path.write_bytes(data)
    print(f"FINDING on input {data.hex()[:2000]} ({len(data)} octets), saved to {path}:\n"
          f"{problem}", file=sys.stderr)


def vector_octets():
    """Every conformance vector's octets, valid values and decode errors."""
    seeds = []
    for path in sorted(VECTORS.glob("*.json")):
        document = json.loads(path.read_text())
        for case in document["valid"] + document["decode_errors"]:
            seeds.append(bytes.fromhex(case["hex"]))
    return seeds


# Octets that steer a mutation towards the format's edges: tags of every family and the
# boundaries of their length fields, sign octets, the surrogate and overlong UTF-8 leads.
INTERESTING = [0x00, 0x01, 0x7F, 0x80, 0x9F, 0xA0, 0xAF, 0xB0, 0xB1, 0xB2, 0xBF, 0xC0, 0xC3,
               0xC4, 0xCB, 0xCC, 0xCF, 0xD0, 0xD3, 0xD4, 0xD8, 0xD9, 0xDB, 0xDC, 0xDF, 0xE0,
               0xED, 0xEF, 0xF0, 0xF4, 0xFF]
LENGTHS = [0, 1, 8, 9, 15, 16, 31, 32, 255, 256, 65535, 65536, 2**32 - 1, 2**32, 2**62,
           2**64 - 1]


def mutate(rng, data, seeds):
    data = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        choice = rng.randrange(8)
        at = rng.randrange(len(data) + 1)
        if choice == 0 and data:
            data[min(at, len(data) - 1)] ^= 1 << rng.randrange(8)
        elif choice == 1 and data:
            data[min(at, len(data) - 1)] = rng.choice(INTERESTING)
        elif choice == 2:
            data[at:at] = bytes([rng.choice(INTERESTING)])
        elif choice == 3 and data:
            del data[at:at + rng.randint(1, 8)]
        elif choice == 4 and data:
            start = rng.randrange(len(data))
            data[at:at] = data[start:start + rng.randint(1, 16)]
        elif choice == 5:
            other = rng.choice(seeds)
            data[at:] = other[rng.randrange(len(other) + 1):]
        elif choice == 6:
            width = rng.choice((1, 2, 4, 8))
            n = rng.choice(LENGTHS) % (1 << (8 * width))
            data[at:at] = n.to_bytes(width, "little")
        else:
            # Nest the whole input: a FIXTUPLE or TUPLE header around it.
            data[0:0] = bytes([rng.choice((0xB1, 0xB2, 0xD8))]) + (
                bytes([rng.randrange(256)]) if data[:1] == b"\xd8" else b"")
    return bytes(data)


def run_mutations(seed, iterations, seconds):
    rng = random.Random(seed)
    seeds = vector_octets()
    deadline = time.monotonic() + seconds
    done = 0
    for seed_input in seeds:
        check_or_report(seed_input)
        done += 1
    while done < iterations and time.monotonic() < deadline:
        check_or_report(mutate(rng, rng.choice(seeds), seeds))
        done += 1
    print(f"fuzz_loads mutate: {done} inputs ({len(seeds)} vectors, then mutations; "
          f"seed {seed}), no finding")


def check_or_report(data):
    try:
        check(data)
    except Exception as e:  # noqa: BLE001 - every unexpected exception is a finding
        report(data, f"{type(e).__name__}: {e}")
        raise SystemExit(1) from None


def run_atheris(argv):
    global reference, extension, same
    import atheris

    with atheris.instrument_imports():
        reference, extension = import_codecs()
    from typed_json import same as same_
    same = same_
    CORPUS.mkdir(parents=True, exist_ok=True)
    for data in vector_octets():
        (CORPUS / hashlib.sha1(data).hexdigest()).write_bytes(data)

    def test_one_input(data):
        check(data)

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    # The cargo-fuzz dictionary (tag octets, length-field layouts, UTF-8 edges) fits here too;
    # a finding lands beside the cargo-fuzz ones, in a gitignored directory.
    defaults = [f"-dict={ROOT / 'fuzz' / 'fuzz.dict'}", f"-artifact_prefix={ARTIFACTS}/"]
    atheris.Setup([sys.argv[0]] + defaults + argv + [str(CORPUS)], test_one_input)
    atheris.Fuzz()


def main():
    global reference, extension, same
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="mode", required=True)
    m = sub.add_parser("mutate", help="seeded mutations of the conformance vectors")
    m.add_argument("--seed", type=int, default=1)
    m.add_argument("--iterations", type=int, default=20_000)
    m.add_argument("--seconds", type=float, default=float("inf"),
                   help="stop earlier than --iterations after this long")
    sub.add_parser("atheris", help="coverage-guided; the arguments after it go to libFuzzer")
    # libFuzzer's options look like unknown options to argparse: pass them on untouched.
    if sys.argv[1:2] == ["atheris"]:
        run_atheris(sys.argv[2:])
        return
    args = parser.parse_args()
    reference, extension = import_codecs()
    from typed_json import same as same_
    same = same_
    run_mutations(args.seed, args.iterations, args.seconds)


if __name__ == "__main__":
    main()
