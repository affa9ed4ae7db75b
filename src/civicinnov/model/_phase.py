"""The method's vocabulary: its phases in order, a dated phase change, and the playbook's 23 steps.

The Innovation Delivery method (Bloomberg Philanthropies, *Transform Your City Through Innovation*,
2014) runs a challenge through a preparatory phase and four numbered steps. Here they are the
ordered :class:`Phase` values, plus ``COMPLETE`` for a challenge whose delivery is done:

=====================  ==========================
Phase                  playbook
=====================  ==========================
``GETTING_STARTED``    Getting Started
``INVESTIGATE``        1. Investigate the Problem
``GENERATE``           2. Generate New Ideas
``PREPARE``            3. Prepare to Deliver
``DELIVER``            4. Deliver and Adapt
``COMPLETE``           (delivery done)
=====================  ==========================

:data:`STEPS` lists the playbook's steps (``0A`` to ``4C``) in our own words; :func:`steps` selects
those of one phase. A :class:`PhaseChange` records one dated move to the next phase.

What does not live here: the gates that decide whether a challenge may move on, and ``advance``
(``civicinnov.model._gates``, which imports :class:`~civicinnov.model.Challenge`; this
module imports neither, so a challenge can hold its phase without a circle).

Example:
    >>> Phase.INVESTIGATE < Phase.GENERATE
    True
    >>> [s.code for s in steps("generate")]
    ['2A', '2B', '2C', '2D']
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

import attrs

from civicinnov import _values as f
from civicinnov.errors import TransitionError

__all__ = [
    "STEPS",
    "Phase",
    "PhaseChange",
    "Step",
    "phase_of",
    "steps",
]


class Phase(enum.Enum):
    """A phase of the method, in order; phases compare by that order.

    Example:
        >>> Phase.INVESTIGATE < Phase.DELIVER, Phase.PREPARE.next, Phase.GETTING_STARTED.previous
        (True, <Phase.DELIVER: 'deliver'>, None)
        >>> Phase.DELIVER.title, Phase.DELIVER.number
        ('Deliver and Adapt', 4)
    """

    GETTING_STARTED = "getting_started"
    INVESTIGATE = "investigate"
    GENERATE = "generate"
    PREPARE = "prepare"
    DELIVER = "deliver"
    COMPLETE = "complete"

    @property
    def rank(self) -> int:
        """Position in the method, 0 (Getting Started) to 5 (Complete).

        Example:
            >>> Phase.COMPLETE.rank
            5
        """
        return _ORDER.index(self)

    @property
    def number(self) -> int | None:
        """The playbook's step number (0 for Getting Started, 1-4), None for ``COMPLETE``.

        Example:
            >>> Phase.GENERATE.number, Phase.COMPLETE.number
            (2, None)
        """
        return None if self is Phase.COMPLETE else self.rank

    @property
    def title(self) -> str:
        """The phase's name in the 2014 playbook.

        Example:
            >>> Phase.PREPARE.title
            'Prepare to Deliver'
        """
        return _TITLES[self]

    @property
    def next(self) -> Phase | None:
        """The phase after this one, or None after ``COMPLETE``.

        Example:
            >>> Phase.DELIVER.next, Phase.COMPLETE.next
            (<Phase.COMPLETE: 'complete'>, None)
        """
        rank = self.rank
        return _ORDER[rank + 1] if rank + 1 < len(_ORDER) else None

    @property
    def previous(self) -> Phase | None:
        """The phase before this one, or None before ``GETTING_STARTED``.

        Example:
            >>> Phase.INVESTIGATE.previous
            <Phase.GETTING_STARTED: 'getting_started'>
        """
        rank = self.rank
        return _ORDER[rank - 1] if rank > 0 else None

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Phase):
            return NotImplemented
        return self.rank < other.rank

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Phase):
            return NotImplemented
        return self.rank <= other.rank

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, Phase):
            return NotImplemented
        return self.rank > other.rank

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, Phase):
            return NotImplemented
        return self.rank >= other.rank


_ORDER: tuple[Phase, ...] = tuple(Phase)
_TITLES: dict[Phase, str] = {
    Phase.GETTING_STARTED: "Getting Started",
    Phase.INVESTIGATE: "Investigate the Problem",
    Phase.GENERATE: "Generate New Ideas",
    Phase.PREPARE: "Prepare to Deliver",
    Phase.DELIVER: "Deliver and Adapt",
    Phase.COMPLETE: "Complete",
}


def phase_of(value: Any) -> Any:
    """Attrs converter: a phase's value (``"investigate"``) to its member; anything else unchanged.

    Example:
        >>> phase_of("deliver"), phase_of("later")
        (<Phase.DELIVER: 'deliver'>, 'later')
    """
    return f.to_enum(Phase, value)


@attrs.frozen(kw_only=True)
class PhaseChange:
    """One entry of a challenge's history: it moved from one phase to the next on a date.

    Example:
        >>> PhaseChange(from_phase="investigate", to_phase="generate", on="2012-09-01").to_phase
        <Phase.GENERATE: 'generate'>
        >>> PhaseChange(from_phase="investigate", to_phase="deliver", on="2012-09-01")
        Traceback (most recent call last):
        ...
        civicinnov.errors.TransitionError: PhaseChange: from 'investigate' to 'deliver' skips ...
    """

    from_phase: Phase = attrs.field(converter=phase_of, validator=f.member_of(Phase))
    to_phase: Phase = attrs.field(converter=phase_of, validator=f.member_of(Phase))
    on: dt.date = attrs.field(converter=f.to_date, validator=f.date)
    note: str = attrs.field(default="", validator=f.any_text)

    def __attrs_post_init__(self) -> None:
        expected = self.from_phase.next
        if self.to_phase is not expected:
            kind = "goes backwards" if self.to_phase <= self.from_phase else "skips a phase"
            raise TransitionError(
                f"PhaseChange: from {self.from_phase.value!r} to {self.to_phase.value!r} {kind}; "
                f"expected the next phase, {expected.value if expected else None!r}"
            )


# -- the playbook's steps ----------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Step:
    """A step of the 2014 playbook: its phase, letter, a title in our own words, what it yields.

    Example:
        >>> STEPS[8].code, STEPS[8].title
        ('1D', 'Settle the final challenges and their contributing issues')
    """

    phase: Phase = attrs.field(converter=phase_of, validator=f.member_of(Phase))
    letter: str = attrs.field(validator=f.text)
    title: str = attrs.field(validator=f.text)
    produces: tuple[str, ...] = attrs.field(
        default=(), converter=f.to_tuple, validator=f.text_tuple
    )

    @property
    def code(self) -> str:
        """The step's short code, phase number then letter.

        Example:
            >>> steps(Phase.PREPARE)[4].code
            '3E'
        """
        return f"{self.phase.number}{self.letter}"


def _step(phase: Phase, letter: str, title: str, *produces: str) -> Step:
    return Step(phase=phase, letter=letter, title=title, produces=produces)


_G, _I, _N, _P, _D = (
    Phase.GETTING_STARTED,
    Phase.INVESTIGATE,
    Phase.GENERATE,
    Phase.PREPARE,
    Phase.DELIVER,
)

#: The 2014 playbook's steps, in order, with titles paraphrased in our own words.
STEPS: tuple[Step, ...] = (
    _step(_G, "A", "Learn who does what in the delivery model", "roles"),
    _step(_G, "B", "Pick the mayor's priority areas and announce them", "priority areas"),
    _step(_G, "C", "Recruit the team and organise it", "team roster"),
    _step(_G, "D", "Plan for a quick start", "start-up plan"),
    _step(_G, "E", "Win backing for the team", "stakeholder support"),
    _step(_I, "A", "Work with partners from the first day", "partner list"),
    _step(_I, "B", "Draft a preliminary list of challenges", "preliminary challenges"),
    _step(_I, "C", "Study the problem in depth", "analysis", "interviews"),
    _step(
        _I,
        "D",
        "Settle the final challenges and their contributing issues",
        "final challenges",
        "contributing issues",
    ),
    _step(_I, "E", "Choose the metrics for each challenge", "metrics"),
    _step(_N, "A", "See what other places have tried before inventing", "scan of practice"),
    _step(_N, "B", "Build a longlist of ideas", "idea longlist"),
    _step(_N, "C", "Design with the people who will use the service", "user research"),
    _step(_N, "D", "Draw on further resources"),
    _step(_P, "A", "Choose the initiatives", "portfolio of initiatives"),
    _step(_P, "B", "Set a preliminary target for each initiative", "preliminary targets"),
    _step(_P, "C", "Agree each initiative's core components with its owners", "agreed design"),
    _step(_P, "D", "Write a work plan for each initiative", "work plans"),
    _step(_P, "E", "Finalise every target", "final targets"),
    _step(_P, "F", "Plan how to communicate the work", "communications plan"),
    _step(_D, "A", "Run regular delivery routines", "progress reviews"),
    _step(_D, "B", "Handle resistance during delivery", "issue log"),
    _step(_D, "C", "Set up the conditions for lasting results", "handover plan"),
)


def steps(phase: Phase | str) -> tuple[Step, ...]:
    """The playbook's steps in ``phase`` (none for ``COMPLETE``).

    Parameters:
        phase: A :class:`Phase` or its value (``"generate"``).

    Returns:
        The phase's steps in playbook order; empty for ``COMPLETE`` and for a value that is not a
        phase.

    Example:
        >>> [s.code for s in steps(Phase.GENERATE)]
        ['2A', '2B', '2C', '2D']
    """
    wanted = phase_of(phase)
    return tuple(s for s in STEPS if s.phase is wanted)
