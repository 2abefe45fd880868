"""``python -m editio``: the same as the ``editio`` command."""

from editio.cli import main

main()
