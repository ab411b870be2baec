"""``python -m ecosys``: the same as the ``ecosys`` command."""

from .cli import main

main()
