"""What the workers of workers.py run: importable by name in processes, interpreters and Dask."""

import pickle

from frozenpack import wrap


def echo(value):
    """The round trip's far end: the value is decoded there, and encoded again to come back."""
    return value


def echo_wrapped(value):
    """The same through the bridge: received plain, sent back wrapped (as frozenpack)."""
    return wrap(value)


def echo_pickled(data):
    """The same with pickle over a channel that carries bytes (the sub-interpreter executor)."""
    return pickle.dumps(pickle.loads(data), protocol=pickle.HIGHEST_PROTOCOL)


def reverse_rows(rows):
    """A map task: a new chunk of the same shape, (name, score, -id, extra) for each row."""
    return tuple((name, score, -number, extra) for number, score, name, extra in rows)


def reverse_rows_wrapped(rows):
    return wrap(reverse_rows(rows))


# --- the far ends of Connection round trips ----------------------------------------------------


def serve_pickle(conn):
    """Connection.recv / Connection.send (pickles) until None."""
    while (value := conn.recv()) is not None:
        conn.send(value)


def serve_frozenpack(conn):
    """frozenpack.connection.recv / send (frozenpack octets, no pickle) until None."""
    from frozenpack.connection import recv, send

    while (value := recv(conn, max_depth=1 << 30)) is not None:
        send(conn, value)


def serve_wrapped(conn):
    """Connection.recv / Connection.send of wrap(value): pickles that hold frozenpack octets."""
    while (value := conn.recv()) is not None:
        conn.send(wrap(value))
