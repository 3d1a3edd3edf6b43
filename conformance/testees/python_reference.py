#!/usr/bin/env python3
"""Conformance testee for frozenpack.reference, the pure-Python reference implementation.

    python3 conformance/run.py --testee "python3 conformance/testees/python_reference.py"

The protocol itself is in python_testee.py, shared with the extension's testee.
"""

import platform
import sys

import python_testee  # beside this script; it also makes the frozenpack package importable
from frozenpack import reference

NAME = f"frozenpack.reference (pure Python, {platform.python_implementation()} " \
       f"{platform.python_version()})"

if __name__ == "__main__":
    sys.exit(python_testee.serve(reference, NAME))
