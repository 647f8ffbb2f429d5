"""``python -m journeyscope`` runs the CLI."""

from journeyscope.cli import main

main()
