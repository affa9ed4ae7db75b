"""Every error civicinnov raises on purpose.

All of them derive from :class:`CivicError`, so ``except CivicError`` catches anything the library
raises deliberately. Each leaf also subclasses the builtin a caller would naturally catch, so code
that knows nothing of civicinnov (``except ValueError``) keeps working::

    CivicError                      base of everything below
    ├── ValidationError             a value breaks an invariant          (also ValueError)
    │   ├── IdentifierError         a malformed id slug
    │   ├── PeriodError             a malformed period, period id or date range
    │   ├── MoneyError              a malformed amount, a currency mix, a missing rate
    │   ├── SeriesError             observations out of order, duplicated, misaligned
    │   ├── DisaggregationError     a dimension or value outside its closed set
    │   └── PanelError              an evaluation panel that cannot be used as given
    ├── UnitError                   a wrong dimension or an unparseable unit  (also ValueError)
    ├── UnknownIdError              an id that resolves to nothing       (also LookupError)
    ├── CatalogError                a metric catalogue refuses a definition (also ValueError)
    │   ├── DuplicateMetricError    the same id registered twice
    │   └── ConflictingMetricError  an id or reference code that clashes with another definition
    ├── PluginError                 a plug-in catalogue failed to load   (also ImportError)
    ├── GateError                   a phase transition refused; carries the full gate report
    │                                                                    (also ValueError)
    ├── TransitionError             a transition that goes backwards or skips a phase
    │                                                                    (also ValueError)
    ├── EstimationError             an estimator cannot produce a result (also ValueError)
    ├── NetworkError                a city network refuses a node, relation or view
    │                                                                    (also ValueError)
    ├── IntegrityError              a portfolio whose references or dates do not hold together
    │                                                                    (also ValueError)
    └── SerializationError          a file or document that cannot be read or written
        └── SchemaVersionError      a document from a schema version this release cannot read
                                                                         (both also ValueError)

Warnings that are not errors derive from :class:`CivicWarning` (a :class:`UserWarning`).

Messages say what was wrong, where (a field name or a path such as
``$.challenges[3].metric_ids[0]``), what was expected and what was given. Errors that can report several
problems at once keep them, as plain strings, in ``problems``.

Example:
    >>> from civicinnov.errors import CivicError, UnitError
    >>> issubclass(UnitError, CivicError) and issubclass(UnitError, ValueError)
    True
    >>> try:
    ...     raise UnitError("expected a length, got 'kilogram'")
    ... except ValueError as exc:
    ...     print(exc)
    expected a length, got 'kilogram'
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

__all__ = [
    "CatalogError",
    "CivicError",
    "CivicWarning",
    "ConflictingMetricError",
    "DisaggregationError",
    "DuplicateMetricError",
    "EstimationError",
    "GateError",
    "IdentifierError",
    "IntegrityError",
    "MoneyError",
    "NetworkError",
    "PanelError",
    "PeriodError",
    "PluginError",
    "SchemaVersionError",
    "SerializationError",
    "SeriesError",
    "TransitionError",
    "UnitError",
    "UnknownIdError",
    "ValidationError",
]


class CivicError(Exception):
    """Base class of every error civicinnov raises on purpose.

    ``problems`` holds every problem found, as readable strings, when the error gathers several
    (a file check, a gate report); otherwise it holds the message alone.

    Example:
        >>> err = CivicError("two problems", problems=["$.a: missing", "$.b: not a number"])
        >>> err.problems
        ('$.a: missing', '$.b: not a number')
    """

    def __init__(self, message: str, *, problems: Iterable[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.problems: tuple[str, ...] = tuple(problems) if problems is not None else (message,)

    def __str__(self) -> str:
        return self.message

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (type(self), self.message, self.problems, self.__dict__))


def _rebuild(
    cls: type[CivicError], message: str, problems: tuple[str, ...], state: dict[str, Any]
) -> CivicError:
    err = cls.__new__(cls)
    CivicError.__init__(err, message, problems=problems)
    err.__dict__.update(state)
    return err


class CivicWarning(UserWarning):
    """Base class of the warnings civicinnov emits.

    Example:
        >>> issubclass(CivicWarning, UserWarning)
        True
    """


class ValidationError(CivicError, ValueError):
    """A value breaks one of the invariants of the object it was given to.

    Example:
        >>> issubclass(ValidationError, ValueError)
        True
    """


class IdentifierError(ValidationError):
    """An id is not a valid slug (lower-case letters, digits, ``-`` and ``_``, starting with a letter).

    Example:
        >>> from civicinnov.errors import IdentifierError
        >>> issubclass(IdentifierError, ValueError)
        True
    """


class PeriodError(ValidationError):
    """A period id, a period type or a date range is malformed.

    Example:
        >>> issubclass(PeriodError, ValidationError)
        True
    """


class MoneyError(ValidationError):
    """An amount cannot be parsed, two currencies are mixed, or a conversion rate is missing.

    Example:
        >>> issubclass(MoneyError, ValueError)
        True
    """


class SeriesError(ValidationError):
    """Observations are out of period order, duplicated, or of mismatched lengths.

    Example:
        >>> issubclass(SeriesError, ValidationError)
        True
    """


class DisaggregationError(ValidationError):
    """A disaggregation dimension or value lies outside its declared closed set.

    Example:
        >>> issubclass(DisaggregationError, ValueError)
        True
    """


class PanelError(ValidationError):
    """An evaluation panel cannot be used as given (duplicate rows, varying treatment timing, ...).

    Example:
        >>> issubclass(PanelError, ValidationError)
        True
    """


class UnitError(CivicError, ValueError):
    """A quantity has the wrong dimension, or a unit expression cannot be understood.

    Example:
        >>> issubclass(UnitError, ValueError)
        True
    """


class UnknownIdError(CivicError, LookupError):
    """An id refers to nothing that is known where it was looked up.

    Example:
        >>> issubclass(UnknownIdError, LookupError)
        True
    """


class CatalogError(CivicError, ValueError):
    """A metric catalogue refuses a definition.

    Example:
        >>> issubclass(CatalogError, ValueError)
        True
    """


class DuplicateMetricError(CatalogError):
    """A metric id is registered a second time.

    Example:
        >>> issubclass(DuplicateMetricError, CatalogError)
        True
    """


class ConflictingMetricError(CatalogError):
    """A definition clashes with another one (same reference code, or a changed definition).

    Example:
        >>> issubclass(ConflictingMetricError, CatalogError)
        True
    """


class PluginError(CivicError, ImportError):
    """A plug-in catalogue registered under the ``civicinnov.metrics`` entry point failed to load.

    Example:
        >>> issubclass(PluginError, ImportError)
        True
    """


class GateError(CivicError, ValueError):
    """A phase transition was refused. ``report`` holds the full gate report.

    Example:
        >>> err = GateError("gate closed", report=None)
        >>> err.report is None
        True
    """

    def __init__(self, message: str, *, report: Any, problems: Iterable[str] | None = None) -> None:
        super().__init__(message, problems=problems)
        self.report = report


class TransitionError(CivicError, ValueError):
    """A phase transition goes backwards or skips a phase.

    Example:
        >>> issubclass(TransitionError, ValueError)
        True
    """


class EstimationError(CivicError, ValueError):
    """An estimator cannot produce a defined result from the data it was given.

    Example:
        >>> issubclass(EstimationError, ValueError)
        True
    """


class NetworkError(CivicError, ValueError):
    """A city network refuses a node, a relation or a view.

    Example:
        >>> issubclass(NetworkError, ValueError)
        True
    """


class IntegrityError(CivicError, ValueError):
    """A portfolio's references, ids or dates do not hold together; ``problems`` lists them all.

    Example:
        >>> err = IntegrityError("2 problems", problems=["$.x: a", "$.y: b"])
        >>> len(err.problems)
        2
    """


class SerializationError(CivicError, ValueError):
    """A file or document cannot be read or written; ``problems`` lists every problem found.

    Example:
        >>> issubclass(SerializationError, ValueError)
        True
    """


class SchemaVersionError(SerializationError):
    """A document's ``schema_version`` is one this release cannot read.

    Example:
        >>> issubclass(SchemaVersionError, SerializationError)
        True
    """
