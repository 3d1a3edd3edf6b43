#!/usr/bin/env python3
"""Conformance testee for the frozenpack package's compiled extension (frozenpack._frozenpack).

    python3 conformance/run.py --testee "python3 conformance/testees/python_extension.py"

The extension must be built for the interpreter that runs this (`make extension`). The
protocol itself is in python_testee.py, shared with the reference's testee.
"""

import platform
import sys

import python_testee  # beside this script; it also makes the frozenpack package importable
from frozenpack import _frozenpack

NAME = f"frozenpack._frozenpack (Rust extension, {platform.python_implementation()} " \
       f"{platform.python_version()})"

if __name__ == "__main__":
    sys.exit(python_testee.serve(_frozenpack, NAME))
