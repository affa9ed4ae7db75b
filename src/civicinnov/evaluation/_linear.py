"""Former home of the least-squares helpers; :mod:`civicinnov.evaluation._regression` holds them.

Kept only so that modules written against it keep importing :func:`estimate`.

Example:
    >>> from civicinnov.evaluation._linear import estimate
    >>> estimate("x", 1.0, 0.5, None, 0.95).name
    'x'
"""

from __future__ import annotations

from civicinnov.evaluation._regression import estimate as estimate

__all__ = ["estimate"]
