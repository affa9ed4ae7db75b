"""What the text, Markdown and JSON renderers share: how a quantity, money and a label read.

Example:
    >>> from civicinnov.units import as_quantity
    >>> quantity_text(as_quantity(11450, "dwelling"))
    '11,450 dwelling'
"""

from __future__ import annotations

import enum
from typing import Any

from civicinnov.model import SMSLevel

__all__ = ["label", "quantity_text", "sms_key"]


def quantity_text(q: Any) -> str | None:
    """A quantity as ``"11,450 dwelling"`` (None stays None).

    Example:
        >>> quantity_text(None) is None
        True
    """
    if q is None:
        return None
    magnitude = q.magnitude
    number = f"{magnitude:,.6g}" if isinstance(magnitude, float) else f"{magnitude:,}"
    unit = format(q.units, "~D") or ""
    return f"{number} {unit}".strip()


def label(member: enum.Enum) -> str:
    """An enum member as words: ``handed_off`` reads "handed off".

    Example:
        >>> from civicinnov.model import InitiativeStatus
        >>> label(InitiativeStatus.HANDED_OFF)
        'handed off'
    """
    return str(member.value).replace("_", " ")


def sms_key(level: SMSLevel | None) -> str:
    """The key of an evidence level in reports: ``sms-3``, or ``none`` before any evaluation.

    Example:
        >>> sms_key(None), sms_key(SMSLevel(3))
        ('none', 'sms-3')
    """
    return "none" if level is None else f"sms-{int(level)}"
