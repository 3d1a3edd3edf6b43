"""Re-entering an iter_loads iterator: from a finalizer that the garbage collector runs in the
middle of a decode, and from other threads. Run on 3.11, 3.12 and 3.13 (make test).

On 3.11 the cyclic collector runs inside the allocation of a tuple, so a finalizer can call
next() on the very iterator that is decoding; before the iterator refused such calls, the
inner call decoded the same value again and, at the end of the input, released the buffer
the outer call was still reading (a segfault). On 3.12+ the collector runs at the next
bytecode boundary instead, between decodes, so the finalizer's calls are ordinary ones;
either way every value must come out exactly once, in order, and nothing may crash. Each
scenario runs in a child interpreter so that a crash fails the test instead of killing it.
"""

import json
import subprocess
import sys
import textwrap
import threading

import pytest

from extension_helpers import IMPLEMENTATIONS, extension, reference

IMPLEMENTATION_IDS = ["reference", "extension"]

# Values that each take many tuple allocations to decode (so the collector runs inside a
# decode), written back to back: a sequence of COUNT values, each identifiable by its index.
SCENARIO = textwrap.dedent(
    """
    import gc, json, sys
    import frozenpack, frozenpack.reference

    module = frozenpack if sys.argv[1] == "extension" else frozenpack.reference
    COUNT = int(sys.argv[2])

    def make_iterator():
        # The iterator holds the only reference to its input.
        data = b"".join(
            frozenpack.dumps((i, tuple((j, "label", float(j)) for j in range(2000))))
            for i in range(COUNT)
        )
        return module.iter_loads(data)

    it = make_iterator()
    inner = {"values": [], "refused": 0, "messages": set()}

    class Finalized:
        def __del__(self):
            try:
                for value in it:  # re-enters the iterator
                    inner["values"].append(value[0])
                    break
            except ValueError as e:
                inner["refused"] += 1
                inner["messages"].add(str(e))

    def make_garbage():
        for _ in range(20):
            a = Finalized()
            a.cycle = a

    gc.set_threshold(50)
    outer = []
    # Between two values: collect, so the count of allocations starts at zero; then make
    # fewer cycles than the threshold. The collection that finds them (and runs their
    # finalizers) is then the one the next decode's own allocations set off: inside it.
    gc.collect()
    make_garbage()
    for value in it:
        outer.append(value[0])
        gc.collect()
        make_garbage()
    gc.collect()
    print(json.dumps({
        "outer": outer,
        "inner": inner["values"],
        "refused": inner["refused"],
        "messages": sorted(inner["messages"]),
    }))
    """
)


@pytest.mark.parametrize("name", IMPLEMENTATION_IDS)
def test_next_from_a_finalizer_during_a_decode_is_refused_and_nothing_is_lost(name):
    count = 40
    done = subprocess.run(
        [sys.executable, "-c", SCENARIO, name, str(count)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, (done.returncode, done.stderr[-2000:])
    result = json.loads(done.stdout)
    # Every value exactly once, in order, between the outer loop and the finalizers' calls.
    assert sorted(result["outer"] + result["inner"]) == list(range(count))
    assert result["outer"] == sorted(result["outer"])
    assert result["messages"] in ([], ["generator already executing"])
    if sys.version_info < (3, 12):
        # The collector runs inside decodes here: the scenario must have re-entered.
        assert result["refused"] > 0


@pytest.mark.parametrize("module", IMPLEMENTATIONS, ids=IMPLEMENTATION_IDS)
def test_threads_sharing_an_iterator_get_each_value_once(module):
    count = 3000
    data = b"".join(module.dumps((i, "x" * (i % 40), (i,) * 5)) for i in range(count))
    it = module.iter_loads(data)
    seen = [[] for _ in range(4)]
    errors = []

    def consume(out):
        while True:
            try:
                value = next(it)
            except StopIteration:
                return
            except ValueError as e:  # the reference's generator, entered by two threads
                assert str(e) == "generator already executing"
                errors.append(e)
                continue
            out.append(value[0])

    threads = [threading.Thread(target=consume, args=(out,)) for out in seen]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
        assert not t.is_alive()
    assert sorted(sum(seen, [])) == list(range(count))
