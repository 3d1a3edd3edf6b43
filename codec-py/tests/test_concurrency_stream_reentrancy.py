"""Re-entering the stream API's objects while they run: a Decoder's feed() and an iter_load
iterator's next(), called from a finalizer that the garbage collector runs in the middle of a
decode, and from other threads. Run on 3.11, 3.12 and 3.13 (make test), for the reference and
the extension, which must behave alike.

On 3.11 the cyclic collector runs inside the allocation of a tuple, so a finalizer can call
feed() on the very decoder that is decoding (or next() on the very iterator that is reading).
Such a call must be refused with ValueError, as a running generator refuses next(): were it
let in, it would decode the value being decoded a second time, or grow the buffer the outer
call is reading (freeing it under the outer call). On 3.12+ the collector runs between
bytecodes instead, so the finalizers' calls are ordinary ones. Either way every value must
come out exactly once, in stream order, and nothing may crash. Each scenario runs in a child
interpreter, so that a crash fails the test instead of killing it.
"""

import json
import subprocess
import sys
import textwrap

import pytest

IMPLEMENTATIONS = ["reference", "extension"]

# A sequence of COUNT values, each taking many tuple allocations to decode (so the collector
# runs inside a decode) and identifiable by its index.
PRELUDE = textwrap.dedent(
    """
    import collections, gc, io, json, sys, threading, time
    import frozenpack, frozenpack.reference

    module = frozenpack if sys.argv[1] == "extension" else frozenpack.reference
    COUNT = int(sys.argv[2])
    STREAM = b"".join(
        frozenpack.dumps((i, tuple((j, "label", float(j)) for j in range(1500))))
        for i in range(COUNT)
    )
    """
)

# Feeding: the main loop feeds the pieces in order; finalizers call feed(b"") on the same
# decoder. When the decoder is not running that is an ordinary call, which completes nothing;
# let in while a feed decodes, it would decode the value being decoded a second time (and
# return it). (Finalizers do not feed pieces of their own: one may run between the main loop's
# taking a piece and its feeding it, and would feed the next piece first.) The values are kept
# to the end: tuples freed on the way would be reused from CPython's free list by the next
# decode, whose allocations would then not count towards a collection.
FEED_FROM_FINALIZERS = PRELUDE + textwrap.dedent(
    """
    decoder = module.Decoder()
    got, kept, others, refused, messages = [], [], [], 0, set()

    class Finalized:
        def __del__(self):
            global refused
            try:
                others.extend(decoder.feed(b""))  # re-enters the decoder, if it is running
            except ValueError as e:
                refused += 1
                messages.add(str(e))

    def make_garbage():
        for _ in range(20):
            a = Finalized()
            a.cycle = a

    gc.set_threshold(50)
    for i in range(0, len(STREAM), 4096):
        make_garbage()
        values = decoder.feed(STREAM[i:i + 4096])
        got.extend(value[0] for value in values)
        kept.extend(values)
    gc.collect()
    decoder.close()
    print(json.dumps({"got": got, "others": len(others), "refused": refused,
                      "messages": sorted(messages)}))
    """
)

NEXT_FROM_FINALIZERS = PRELUDE + textwrap.dedent(
    """
    class Pipe(io.RawIOBase):  # short reads, as a pipe gives them
        def __init__(self, data):
            self.data, self.pos = data, 0
        def readable(self):
            return True
        def readinto(self, buffer):
            n = min(len(buffer), 5000, len(self.data) - self.pos)
            buffer[:n] = self.data[self.pos:self.pos + n]
            self.pos += n
            return n

    it = module.iter_load(Pipe(STREAM))
    got, kept, refused, messages = [], [], 0, set()

    class Finalized:
        def __del__(self):
            global refused
            try:
                for value in it:  # re-enters the iterator, if it is running
                    got.append(value[0])
                    kept.append(value)  # (see FEED_FROM_FINALIZERS)
                    break
            except ValueError as e:
                refused += 1
                messages.add(str(e))

    def make_garbage():
        for _ in range(20):
            a = Finalized()
            a.cycle = a

    gc.set_threshold(50)
    make_garbage()
    for value in it:
        got.append(value[0])
        kept.append(value)
        make_garbage()
    gc.collect()
    print(json.dumps({"got": got, "refused": refused, "messages": sorted(messages)}))
    """
)

# Threads: the main thread feeds the stream; finalizers that run inside its decodes let other
# threads run (time.sleep releases the GIL), and those call feed(b"") on the same decoder. Let
# in, such a call would decode the value the main thread is decoding, a second time.
FEED_FROM_THREADS = PRELUDE + textwrap.dedent(
    """
    decoder = module.Decoder()
    got, kept, others, refused, messages = [], [], [], [0], set()
    done = threading.Event()

    class Sleeper:
        def __del__(self):
            time.sleep(0.0001)

    def make_garbage():
        for _ in range(20):
            a = Sleeper()
            a.cycle = a

    def hammer():
        while not done.is_set():
            try:
                others.extend(decoder.feed(b""))
            except ValueError as e:
                refused[0] += 1
                messages.add(str(e))
            time.sleep(0)  # lets the main thread run: this one runs when it sleeps

    threads = [threading.Thread(target=hammer) for _ in range(2)]
    for t in threads:
        t.start()
    gc.set_threshold(50)
    try:
        for i in range(0, len(STREAM), 4096):
            make_garbage()
            while True:  # this thread too is refused while a hammering call runs
                try:
                    values = decoder.feed(STREAM[i:i + 4096])
                    break
                except ValueError as e:
                    messages.add(str(e))
            got.extend(value[0] for value in values)
            kept.extend(values)  # (see FEED_FROM_FINALIZERS)
    finally:
        done.set()
        for t in threads:
            t.join(60)
    decoder.close()
    print(json.dumps({"got": got, "others": len(others), "refused": refused[0],
                      "messages": sorted(messages)}))
    """
)


def run(scenario, name, count):
    done = subprocess.run([sys.executable, "-c", scenario, name, str(count)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, (done.returncode, done.stderr[-2000:])
    return json.loads(done.stdout)


@pytest.mark.parametrize("name", IMPLEMENTATIONS)
def test_feed_from_a_finalizer_during_a_feed_is_refused_and_nothing_is_lost(name):
    result = run(FEED_FROM_FINALIZERS, name, 30)
    assert result["got"] == list(range(30))
    assert result["others"] == 0  # an empty piece completes nothing, unless let in mid-decode
    assert result["messages"] in ([], ["Decoder already executing"])
    if sys.version_info < (3, 12):
        # The collector runs inside decodes here: the scenario must have re-entered.
        assert result["refused"] > 0


@pytest.mark.parametrize("name", IMPLEMENTATIONS)
def test_next_from_a_finalizer_during_an_iter_load_read_is_refused(name):
    result = run(NEXT_FROM_FINALIZERS, name, 30)
    assert sorted(result["got"]) == list(range(30))
    assert result["messages"] in ([], ["generator already executing"])
    if sys.version_info < (3, 12):
        assert result["refused"] > 0


@pytest.mark.parametrize("name", IMPLEMENTATIONS)
def test_feed_from_another_thread_during_a_feed_is_refused(name):
    result = run(FEED_FROM_THREADS, name, 20)
    assert result["got"] == list(range(20))
    assert result["others"] == 0  # an empty piece completes nothing, unless let in mid-decode
    assert result["messages"] in ([], ["Decoder already executing"])
    if sys.version_info < (3, 12):
        assert result["refused"] > 0
