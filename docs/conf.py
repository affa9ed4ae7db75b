"""Sphinx configuration: MyST Markdown, autodoc with napoleon, offline by default."""

from __future__ import annotations

import os
import sys
from importlib.metadata import version as _version
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "_ext"))

project = "civicinnov"
author = "civicinnov developers"
copyright = "2026, civicinnov developers"
release = _version("civicinnov")
version = release

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.viewcode",
    "civicinnov_figures",
    "civicinnov_tutorial_figure",
]
# intersphinx needs the network; it is opt-in so that `sphinx-build -W` passes offline.
if os.environ.get("CIVICINNOV_DOCS_INTERSPHINX"):
    extensions.append("sphinx.ext.intersphinx")
    intersphinx_mapping = {
        "python": ("https://docs.python.org/3", None),
        "pint": ("https://pint.readthedocs.io/en/stable", None),
        "networkx": ("https://networkx.org/documentation/stable", None),
    }

source_suffix = {".md": "markdown", ".rst": "restructuredtext"}
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3
exclude_patterns = ["_build"]

autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_typehints_format = "short"
autodoc_default_options = {"members": True, "show-inheritance": True}
napoleon_google_docstring = True
napoleon_numpy_docstring = True
# Forward references that autodoc cannot resolve offline are not errors in the docs build.
nitpicky = False
suppress_warnings = ["myst.header"]

# Furo: a readable theme that works offline (no fonts or scripts fetched from elsewhere).
html_theme = "furo"
html_title = "civicinnov"
html_static_path = ["_static"]
html_css_files = ["civicinnov.css"]
html_theme_options = {"navigation_with_keys": True}
