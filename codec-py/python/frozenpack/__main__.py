"""`python -m frozenpack`: the command line (dis, decode, encode, validate); see frozenpack.tool."""

import sys

from .tool import main

if __name__ == "__main__":
    sys.exit(main())
