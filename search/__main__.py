"""`python -m search` runs the nordsearch CLI (as the `nordsearch` console script does)."""

from search.cli import main

main()
