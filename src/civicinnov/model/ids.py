"""Ids and the small validators every model class shares.

Objects in the model refer to each other by id, never by object. An id is a *slug*: a lower-case
letter, then lower-case letters, digits, ``-`` or ``_`` (``new-orleans``, ``nola_2011``), at most
100 characters. The validators here are attrs validators; their messages name the class and field,
the value given, and what was expected.

What does not live here: resolving ids to objects (that is :mod:`civicinnov.portfolio`'s job).

Example:
    >>> check_id("new-orleans", where="City.id")
    'new-orleans'
    >>> check_id("New Orleans", where="City.id")
    Traceback (most recent call last):
    ...
    civicinnov.errors.IdentifierError: City.id: expected a slug (a lower-case letter, then ...
"""

from __future__ import annotations

import re

from civicinnov.errors import IdentifierError

__all__ = ["SLUG_PATTERN", "check_id", "is_slug"]

#: The pattern every id matches.
SLUG_PATTERN: re.Pattern[str] = re.compile(r"^[a-z][a-z0-9_-]*$")
_MAX_ID = 100


def is_slug(value: object) -> bool:
    """Whether ``value`` is a valid id slug.

    Example:
        >>> is_slug("memphis"), is_slug("Memphis"), is_slug("2011-cohort")
        (True, False, False)
    """
    return isinstance(value, str) and len(value) <= _MAX_ID and bool(SLUG_PATTERN.match(value))


def check_id(value: object, *, where: str) -> str:
    """Return ``value`` if it is a slug, else raise IdentifierError naming ``where`` and the value.

    Example:
        >>> check_id("us-2014", where="Cohort.id")
        'us-2014'
    """
    if not is_slug(value):
        raise IdentifierError(
            f"{where}: expected a slug (a lower-case letter, then lower-case letters, digits, "
            f"'-' or '_', at most {_MAX_ID} characters, e.g. 'new-orleans'), got {value!r}"
        )
    return value  # type: ignore[return-value]
