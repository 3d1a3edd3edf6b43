#!/usr/bin/env python3
"""Write conformance/vectors/<topic>.json from the hand-written case lists in conformance/cases/.

    python conformance/generate.py                 # (re)write the vector files
    python conformance/generate.py --check         # fail if the committed files differ
    python conformance/generate.py --vectors-dir D # use D instead of conformance/vectors

The case lists hold hand-derived octets, error kinds and offsets; the reference implementation
(frozenpack.reference) is the second witness. Generation fails, naming every disagreeing case
with both answers, unless for every valid case the reference encodes the value to the
hand-written hex (when one is given) and decodes it back to the same value, the typed JSON form
of the value reads back to the same value, for every error case the reference raises
DecodeError with exactly the hand-written kind and offset, for every prefix case
reference.loads_prefix gives the hand-written value and end or error, and for every sequence
case reference.iter_loads gives the hand-written values and then the hand-written error (or
the end). A case's max_depth is passed to the reference as its depth limit. A disagreement is a bug in the
reference or in the case; which one is for a person to decide from the spec, so the generator
never "fixes" a case.

Output is deterministic: topics in the order of cases.TOPIC_MODULES, cases in the order
written, JSON with indent=1, ensure_ascii=False and a trailing newline.
"""

from __future__ import annotations

import argparse
import collections
import importlib
import json
import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent
REPO = HERE.parent
# The case package and typed_json live next to this script; the reference is the pure-Python
# package in the tree. Appended, so an explicit PYTHONPATH still decides.
for _path in (HERE, REPO / "codec-py" / "python"):
    if str(_path) not in sys.path:
        sys.path.append(str(_path))

import cases  # noqa: E402
import typed_json  # noqa: E402
from frozenpack import reference  # noqa: E402

SPEC_VERSION = 1
DEFAULT_VECTORS_DIR = HERE / "vectors"
MIN_TOTAL_CASES = 400
# Suite 1.1 (prefix decoding, sequences, a configured depth limit): at least this many of each.
MIN_PREFIX_CASES = 50
MIN_SEQUENCE_CASES = 50
MIN_MAX_DEPTH_CASES = 30
MIN_CASES_PER_KIND = 3
# Long hex in messages is cut to this many characters: some vectors are 128 KiB of hex.
_SHOW = 48


class GenerationError(Exception):
    """The case lists and the reference disagree, or the case set breaks a whole-set rule."""

    def __init__(self, problems: list[str]):
        super().__init__(f"{len(problems)} problem(s):\n" + "\n".join(problems))
        self.problems = problems


def _short(hex_: str) -> str:
    return hex_ if len(hex_) <= _SHOW else f"{hex_[:_SHOW]}... ({len(hex_) // 2} octets)"


def _hex_difference(expected: str, actual: str) -> str:
    """Where two hex strings first differ, for a readable message about long encodings."""
    for i in range(0, min(len(expected), len(actual)), 2):
        if expected[i : i + 2] != actual[i : i + 2]:
            return f"first difference at octet {i // 2}"
    return f"lengths {len(expected) // 2} and {len(actual) // 2} octets"


def load_topic_modules(names=cases.TOPIC_MODULES) -> list:
    """Import the topic modules; every module file in cases/ must be listed, so none is skipped."""
    on_disk = {p.stem for p in pathlib.Path(cases.__file__).parent.glob("*.py")} - {"__init__"}
    unlisted = sorted(on_disk - set(names))
    if unlisted:
        raise GenerationError([f"cases/{n}.py is not in cases.TOPIC_MODULES" for n in unlisted])
    return [importlib.import_module(f"cases.{name}") for name in names]


def _depth(case) -> int:
    return reference.MAX_DEPTH if case.max_depth is None else case.max_depth


def _with_depth(entry: dict, case) -> dict:
    if case.max_depth is not None:
        entry["max_depth"] = case.max_depth
    return entry


def _value_json(cid: str, value, problems: list[str]):
    """The typed JSON form of value, checked to read back (through JSON text, as the file
    will hold it) to the same value; None (and a problem noted) if it does not."""
    value_json = typed_json.to_json(value)
    reread = typed_json.from_json(json.loads(json.dumps(value_json, ensure_ascii=False)))
    if not typed_json.same(reread, value):
        problems.append(f"{cid}: the typed JSON form does not read back to the value")
        return None
    return value_json


def _check_valid(topic: str, case: cases.Case, problems: list[str]) -> dict | None:
    cid = f"{topic}/{case.description}"
    try:
        encoded = reference.dumps(case.value).hex()
    except Exception as e:  # any failure here is reported, not raised: collect them all
        problems.append(f"{cid}: reference.dumps raised {e!r}")
        return None
    if case.hex is not None and encoded != case.hex:
        problems.append(
            f"{cid}: reference encodes {_short(encoded)}, hand-derived {_short(case.hex)}"
            f" ({_hex_difference(case.hex, encoded)})"
        )
        return None
    try:
        decoded = reference.loads(bytes.fromhex(encoded), max_depth=_depth(case))
    except Exception as e:
        problems.append(f"{cid}: reference.loads rejects {_short(encoded)}: {e}")
        return None
    if not typed_json.same(decoded, case.value):
        problems.append(f"{cid}: reference decodes {_short(encoded)} to a different value")
        return None
    value_json = _value_json(cid, case.value, problems)
    if value_json is None:
        return None
    return _with_depth({"description": case.description, "value": value_json, "hex": encoded},
                       case)


def _check_error(topic: str, err: cases.Err, problems: list[str]) -> dict | None:
    cid = f"{topic}/{err.description}"
    expected = f"{err.kind} at {err.offset}"
    try:
        value = reference.loads(bytes.fromhex(err.hex), max_depth=_depth(err))
    except reference.DecodeError as e:
        if (e.kind, e.offset) != (err.kind, err.offset):
            problems.append(
                f"{cid}: input {_short(err.hex)}: reference reports {e.kind} at {e.offset}"
                f" ({e.detail}), hand-derived {expected}"
            )
            return None
    except Exception as e:
        problems.append(f"{cid}: reference.loads raised {e!r}, hand-derived {expected}")
        return None
    else:
        problems.append(
            f"{cid}: reference accepts {_short(err.hex)} as {value!r:.60}, hand-derived {expected}"
        )
        return None
    return _with_depth(
        {"description": err.description, "hex": err.hex, "kind": err.kind, "offset": err.offset},
        err,
    )


def _check_prefix(topic: str, case: cases.Prefix, problems: list[str]) -> dict | None:
    cid = f"{topic}/{case.description}"
    data = bytes.fromhex(case.hex)
    expected = (f"{case.kind} at {case.offset}" if case.is_error
                else f"a value ending at {case.end}")
    try:
        value, end = reference.loads_prefix(data, case.start, max_depth=_depth(case))
    except reference.DecodeError as e:
        if not case.is_error or (e.kind, e.offset) != (case.kind, case.offset):
            problems.append(f"{cid}: reference.loads_prefix of {_short(case.hex)} from "
                            f"{case.start} reports {e.kind} at {e.offset}, hand-derived {expected}")
            return None
        entry = {"description": case.description, "hex": case.hex, "start": case.start,
                 "kind": case.kind, "offset": case.offset}
        return _with_depth(entry, case)
    except Exception as e:
        problems.append(f"{cid}: reference.loads_prefix raised {e!r}, hand-derived {expected}")
        return None
    if case.is_error or end != case.end or not typed_json.same(value, case.value):
        problems.append(f"{cid}: reference.loads_prefix of {_short(case.hex)} from {case.start} "
                        f"gives {value!r:.60} ending at {end}, hand-derived {expected}")
        return None
    value_json = _value_json(cid, case.value, problems)
    if value_json is None:
        return None
    entry = {"description": case.description, "hex": case.hex, "start": case.start,
             "value": value_json, "end": case.end}
    return _with_depth(entry, case)


def _check_sequence(topic: str, case: cases.Sequence, problems: list[str]) -> dict | None:
    cid = f"{topic}/{case.description}"
    values, error = [], None
    try:
        for value in reference.iter_loads(bytes.fromhex(case.hex), max_depth=_depth(case)):
            values.append(value)
    except reference.DecodeError as e:
        error = (e.kind, e.offset)
    except Exception as e:
        problems.append(f"{cid}: reference.iter_loads raised {e!r}")
        return None
    if error != case.error:
        problems.append(f"{cid}: reference.iter_loads of {_short(case.hex)} ends with "
                        f"{error or 'the end'}, hand-derived {case.error or 'the end'}")
        return None
    if len(values) != len(case.values):
        problems.append(f"{cid}: reference.iter_loads of {_short(case.hex)} gives "
                        f"{len(values)} values, not the {len(case.values)} hand-derived ones")
        return None
    differ = [i for i, (a, b) in enumerate(zip(values, case.values)) if not typed_json.same(a, b)]
    if differ:
        problems.append(f"{cid}: reference.iter_loads of {_short(case.hex)} gives value "
                        f"#{differ[0]} {values[differ[0]]!r:.60}, hand-derived "
                        f"{case.values[differ[0]]!r:.60}")
        return None
    values_json = [_value_json(cid, v, problems) for v in case.values]
    if any(v is None for v in values_json):
        return None
    entry = {"description": case.description, "hex": case.hex, "values": values_json,
             "error": None if case.error is None else
             {"kind": case.error[0], "offset": case.error[1]}}
    return _with_depth(entry, case)


def build_topic(module) -> tuple[dict, list[str]]:
    """The vector document of one topic module, and the problems found building it."""
    topic = module.TOPIC
    problems: list[str] = []
    seen_descriptions: set[str] = set()
    seen_hex: dict[str, str] = {}

    def note(description: str, hex_: str | None, *context) -> None:
        """context: what else makes a request (a depth limit, a start offset, the op), so
        that the same octets asked differently are not the same input."""
        if description in seen_descriptions:
            problems.append(f"{topic}/{description}: description used twice")
        seen_descriptions.add(description)
        if hex_ is not None:
            key = (hex_, *context)
            if key in seen_hex:
                first = f"{topic}/{seen_hex[key]}"
                problems.append(f"{topic}/{description}: same input as {first} ({_short(hex_)})")
            seen_hex[key] = description

    valid = []
    for case in module.VALID:
        if not isinstance(case, cases.Case):
            problems.append(f"{topic}: VALID holds {case!r:.60}, not a Case")
            continue
        entry = _check_valid(topic, case, problems)
        note(case.description, entry["hex"] if entry else case.hex, case.max_depth)
        if entry:
            valid.append(entry)
    decode_errors = []
    for err in module.DECODE_ERRORS:
        if not isinstance(err, cases.Err):
            problems.append(f"{topic}: DECODE_ERRORS holds {err!r:.60}, not an Err")
            continue
        note(err.description, err.hex, err.max_depth)
        entry = _check_error(topic, err, problems)
        if entry:
            decode_errors.append(entry)
    prefix = []
    for case in getattr(module, "PREFIX", ()):
        if not isinstance(case, cases.Prefix):
            problems.append(f"{topic}: PREFIX holds {case!r:.60}, not a Prefix")
            continue
        note(case.description, case.hex, "prefix", case.start, case.max_depth)
        entry = _check_prefix(topic, case, problems)
        if entry:
            prefix.append(entry)
    sequences = []
    for case in getattr(module, "SEQUENCES", ()):
        if not isinstance(case, cases.Sequence):
            problems.append(f"{topic}: SEQUENCES holds {case!r:.60}, not a Sequence")
            continue
        note(case.description, case.hex, "sequence", case.max_depth)
        entry = _check_sequence(topic, case, problems)
        if entry:
            sequences.append(entry)
    doc = {
        "spec_version": SPEC_VERSION,
        "topic": topic,
        "description": module.DESCRIPTION,
        "valid": valid,
        "decode_errors": decode_errors,
    }
    # Suite 1.1's sections appear only where a topic has cases of them, so the files of 1.0
    # topics are unchanged.
    if hasattr(module, "PREFIX"):
        doc["prefix"] = prefix
    if hasattr(module, "SEQUENCES"):
        doc["sequences"] = sequences
    return doc, problems


def whole_set_problems(docs: list[dict]) -> list[str]:
    """Rules about the vectors as a whole: size, tag coverage, error-kind coverage."""
    problems = []
    topics = [d["topic"] for d in docs]
    for topic, count in collections.Counter(topics).items():
        if count > 1:
            problems.append(f"topic {topic!r} is defined by {count} modules")
    total = sum(len(d["valid"]) + len(d["decode_errors"]) for d in docs)
    if total < MIN_TOTAL_CASES:
        problems.append(f"{total} cases in all, fewer than {MIN_TOTAL_CASES}")
    first_octets = {
        int(entry["hex"][:2], 16)
        for d in docs
        for entry in d["valid"] + d["decode_errors"]
        if entry["hex"]
    }
    missing = [f"{t:02x}" for t in range(256) if t not in first_octets]
    if missing:
        problems.append(f"no case starts with octet(s) {' '.join(missing)}")
    kinds = collections.Counter(e["kind"] for d in docs for e in d["decode_errors"])
    for kind in cases.ERROR_KINDS:
        if kinds[kind] < MIN_CASES_PER_KIND:
            problems.append(
                f"error kind {kind} has {kinds[kind]} case(s), fewer than {MIN_CASES_PER_KIND}"
            )
    counts = suite_1_1_counts(docs)
    for what, least in (("prefix", MIN_PREFIX_CASES), ("sequences", MIN_SEQUENCE_CASES),
                        ("max_depth", MIN_MAX_DEPTH_CASES)):
        if counts[what] < least:
            problems.append(f"{counts[what]} {what} cases, fewer than {least}")
    return problems


def _entries(doc: dict):
    for key in ("valid", "decode_errors", "prefix", "sequences"):
        yield from doc.get(key, ())


def suite_1_1_counts(docs: list[dict]) -> dict:
    """How many cases test what suite 1.1 added: prefix decoding, sequences, and (in any
    section) a configured depth limit."""
    return {
        "prefix": sum(len(d.get("prefix", ())) for d in docs),
        "sequences": sum(len(d.get("sequences", ())) for d in docs),
        "max_depth": sum(1 for d in docs for e in _entries(d) if "max_depth" in e),
    }


def build(modules) -> list[dict]:
    """Every topic's document, or GenerationError listing every problem found."""
    docs, problems = [], []
    for module in modules:
        doc, topic_problems = build_topic(module)
        docs.append(doc)
        problems.extend(topic_problems)
    if not problems:
        problems = whole_set_problems(docs)
    if problems:
        raise GenerationError(problems)
    return docs


def render(doc: dict) -> str:
    return json.dumps(doc, indent=1, ensure_ascii=False) + "\n"


def rendered_files(docs: list[dict]) -> dict[str, str]:
    return {f"{doc['topic']}.json": render(doc) for doc in docs}


def summary(docs: list[dict]) -> str:
    per_topic = ", ".join(f"{d['topic']} {sum(1 for _ in _entries(d))}" for d in docs)
    valid = sum(len(d["valid"]) for d in docs)
    errors = sum(len(d["decode_errors"]) for d in docs)
    kinds = collections.Counter(e["kind"] for d in docs for e in d["decode_errors"])
    per_kind = ", ".join(f"{k} {kinds[k]}" for k in cases.ERROR_KINDS)
    counts = suite_1_1_counts(docs)
    total = sum(1 for d in docs for _ in _entries(d))
    return (
        f"{total} cases in {len(docs)} topics ({per_topic}): {valid} valid,"
        f" {errors} decode errors ({per_kind}), {counts['prefix']} prefix,"
        f" {counts['sequences']} sequences; {counts['max_depth']} with a depth limit"
    )


def _first_line_difference(expected: str, actual: str) -> str:
    exp_lines, act_lines = expected.splitlines(), actual.splitlines()
    for i, (e, a) in enumerate(zip(exp_lines, act_lines)):
        if e != a:
            return f"line {i + 1}: expected {e.strip()[:80]!r}, found {a.strip()[:80]!r}"
    return f"expected {len(exp_lines)} lines, found {len(act_lines)}"


def differences(files: dict[str, str], directory: pathlib.Path) -> list[str]:
    """How the vector files in `directory` differ from `files` (name -> text)."""
    found = {p.name for p in directory.glob("*.json")} if directory.is_dir() else set()
    out = []
    for name, text in files.items():
        path = directory / name
        if name not in found:
            out.append(f"{path}: missing")
            continue
        actual = path.read_bytes().decode("utf-8", errors="replace")
        if actual != text:
            out.append(f"{path}: differs, first at {_first_line_difference(text, actual)}")
    for name in sorted(found - set(files)):
        out.append(f"{directory / name}: not produced by any case list")
    return out


def write(files: dict[str, str], directory: pathlib.Path) -> None:
    """Write the files that changed and remove stale ones: the directory is generated output."""
    directory.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        path = directory / name
        data = text.encode("utf-8")
        if not path.is_file() or path.read_bytes() != data:
            path.write_bytes(data)
    for path in sorted(directory.glob("*.json")):
        if path.name not in files:
            path.unlink()
            print(f"removed {path}: no case list produces it")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--check", action="store_true", help="compare with the files on disk instead of writing"
    )
    parser.add_argument(
        "--vectors-dir", type=pathlib.Path, default=DEFAULT_VECTORS_DIR, metavar="DIR",
        help="where the vector files are (default: conformance/vectors)",
    )
    args = parser.parse_args(argv)
    try:
        docs = build(load_topic_modules())
    except GenerationError as e:
        print(f"generate.py: no files written: {e}", file=sys.stderr)
        return 1
    files = rendered_files(docs)
    if args.check:
        diffs = differences(files, args.vectors_dir)
        if diffs:
            print(
                f"generate.py --check: {len(diffs)} vector file(s) out of date"
                " (run `python conformance/generate.py`):\n  " + "\n  ".join(diffs),
                file=sys.stderr,
            )
            return 1
    else:
        write(files, args.vectors_dir)
    print(summary(docs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
