"""`python -m corroborate.cli` runs the command line."""

from corroborate.cli import main

main()
