"""Former module path of Panel, kept so existing imports work.

The names live in the private module ``civicinnov.evaluation._panel`` and are re-exported from
:mod:`civicinnov.evaluation`; import them from there.

Example:
    >>> from civicinnov.evaluation.panel import Panel
    >>> from civicinnov import evaluation
    >>> Panel is evaluation.Panel
    True
"""

from __future__ import annotations

from civicinnov.evaluation._panel import (
    Panel as Panel,
)

__all__ = [
    "Panel",
]
