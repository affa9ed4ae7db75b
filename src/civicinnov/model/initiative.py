"""Ideas and initiatives: what a team considers, selects, plans and delivers."""

from __future__ import annotations

import enum

__all__ = ["TargetStage"]


class TargetStage(enum.Enum):
    """How settled a target is: set early in Prepare (preliminary) or finalised before Deliver (final).

    Example:
        >>> TargetStage("final")
        <TargetStage.FINAL: 'final'>
    """

    PRELIMINARY = "preliminary"
    FINAL = "final"
