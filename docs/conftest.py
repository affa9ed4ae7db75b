"""Run the ``>>>`` examples inside the docs' Markdown pages (Sybil)."""

from sybil import Sybil
from sybil.parsers.markdown import PythonCodeBlockParser, SkipParser
from sybil.parsers.myst import DocTestDirectiveParser

pytest_collect_file = Sybil(
    parsers=[PythonCodeBlockParser(), DocTestDirectiveParser(), SkipParser()],
    patterns=["*.md"],
).pytest()

collect_ignore = ["conf.py", "_build"]
