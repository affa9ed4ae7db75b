"""``python -m civicinnov``: the same as the ``civicinnov`` command (see :mod:`civicinnov.cli`)."""

from __future__ import annotations

import sys

from civicinnov.cli import main

if __name__ == "__main__":
    sys.exit(main())
