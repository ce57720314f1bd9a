"""`python -m kaskkiri_builder` is the same as the `kaskkiri` command."""

from .cli import run

run()
