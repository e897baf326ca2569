"""`python -m opgen` runs the opgen command group."""

from opgen.cli import opgen_main

if __name__ == "__main__":
    opgen_main()
