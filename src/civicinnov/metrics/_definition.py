"""How a metric is measured: :class:`MetricDefinition` and the vocabularies it is made of.

A definition is written once per metric and says everything a series of observations needs to be
read correctly:

- the **unit** (a pint unit of the application registry) and the **measure kind** (a count or amount,
  a percentage, a nominal or ordinal code, or a qualitative narrative; after IATI's IndicatorMeasure);
- the **direction** in which the metric improves (IATI ``ascending``, Open SDG ``direction``);
- how observations roll up **in time** (:class:`TemporalAggregation`) and **across places**
  (:class:`SpatialAggregation`), declared separately as DHIS2 does, plus a **cumulative** flag (a
  running total rolls up as its last value);
- for a **ratio metric**, its numerator and denominator (:class:`Ratio`) and a scale that is a unit
  (``percent``, ``per_thousand``, ``per_hundred_thousand``), never a factor baked into the data;
  ratios aggregate as the ratio of sums, never as the mean of ratios;
- where the metric sits in Results-Based Accountability (:class:`RBAQuadrant`,
  :class:`Accountability`) and in a logic model (:class:`LogicModelStage`);
- references to standard vocabularies (:class:`Reference`: ISO 37120 clauses, SDG indicators);
- plan metadata (:class:`MetricPlan`: data source, collection method, frequency, owner, limitations).

:class:`MetricDefinition` is meant to be subclassed by other packages that need extra fields::

    @attrs.frozen(kw_only=True)
    class TransitMetric(MetricDefinition):
        mode: str = "bus"

Every field of the base class has a keyword, so subclass fields with or without defaults work; the
checks that span several fields run in ``__attrs_post_init__`` (a subclass that defines its own must
call ``super().__attrs_post_init__()``).

What does not live here: observations (``civicinnov.metrics._series``), targets
(``civicinnov.metrics._target``) and the catalogue (``civicinnov.metrics._catalog``).

Example:
    >>> from civicinnov.metrics import MetricDefinition, Direction, Ratio
    >>> rate = MetricDefinition(
    ...     id="retail-vacancy-rate",
    ...     name="Retail vacancy rate",
    ...     unit="percent",
    ...     direction=Direction.DECREASE,
    ...     measure_kind=MeasureKind.PERCENTAGE,
    ...     temporal_aggregation=TemporalAggregation.LAST,
    ...     spatial_aggregation=SpatialAggregation.RATIO_OF_SUMS,
    ...     ratio=Ratio(numerator_unit="property", denominator_unit="property", scale="percent"),
    ... )
    >>> rate.is_ratio, rate.ratio_factor
    (True, 100.0)
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np

from civicinnov._values import check_id, where
from civicinnov.errors import CivicError, UnitError, ValidationError
from civicinnov.periods import PeriodType
from civicinnov.units import as_quantity, get_registry, parse_unit

if TYPE_CHECKING:
    from civicinnov.units import Quantity, Unit

__all__ = [
    "Accountability",
    "Direction",
    "LogicModelStage",
    "MeasureKind",
    "MetricDefinition",
    "MetricPlan",
    "MissingDataPolicy",
    "ProximityMetricDefinition",
    "RBAQuadrant",
    "Ratio",
    "Reference",
    "SpatialAggregation",
    "TemporalAggregation",
]


def _validate_id(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    check_id(value, where=where(instance, attribute))


def _validate_optional_id(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None:
        check_id(value, where=where(instance, attribute))


def _nonempty(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(f"{attribute.name}: expected non-empty text, got {value!r}")


def _to_unit(value: Any) -> Unit:
    import pint  # noqa: PLC0415 - pint loads on first use, so importing civicinnov stays cheap

    if isinstance(value, pint.Unit):
        return parse_unit(str(value))
    return parse_unit(value)


def _to_optional_unit(value: Any) -> Unit | None:
    return None if value is None else _to_unit(value)


class Direction(enum.Enum):
    """Which way a metric improves.

    ``MAINTAIN`` means holding a level is the goal; ``NONE`` means the metric is tracked without a
    better direction (context metrics).

    Example:
        >>> Direction("decrease").sign
        -1
    """

    INCREASE = "increase"
    DECREASE = "decrease"
    MAINTAIN = "maintain"
    NONE = "none"

    @property
    def sign(self) -> int:
        """``+1`` for increase, ``-1`` for decrease, ``0`` otherwise.

        Example:
            >>> Direction.INCREASE.sign, Direction.MAINTAIN.sign
            (1, 0)
        """
        return {"increase": 1, "decrease": -1}.get(self.value, 0)


class MeasureKind(enum.Enum):
    """What kind of value an observation is (after IATI's IndicatorMeasure codelist, with two
    additions for aggregation).

    - ``UNIT``: a number in the metric's unit — a count or amount over the period (a flow), or a
      rate when the unit has a time in its denominator (``pothole / month``);
    - ``STOCK``: a level at a point in time (homes blighted at the end of the month);
    - ``AVERAGE``: a mean of something per case (average wait for a 311 call);
    - ``PERCENTAGE``: a share in a dimensionless unit (``percent``);
    - ``NOMINAL``, ``ORDINAL``: codes; ``QUALITATIVE``: a narrative.

    How each kind aggregates is the table :data:`AGGREGATION_RULES`.

    Example:
        >>> MeasureKind("qualitative").is_numeric, MeasureKind("stock").is_numeric
        (False, True)
    """

    UNIT = "unit"
    STOCK = "stock"
    AVERAGE = "average"
    PERCENTAGE = "percentage"
    NOMINAL = "nominal"
    ORDINAL = "ordinal"
    QUALITATIVE = "qualitative"

    @property
    def is_numeric(self) -> bool:
        """Whether values of this kind are numbers that can be added or averaged.

        Example:
            >>> MeasureKind.PERCENTAGE.is_numeric, MeasureKind.ORDINAL.is_numeric
            (True, False)
        """
        return self in (
            MeasureKind.UNIT,
            MeasureKind.STOCK,
            MeasureKind.AVERAGE,
            MeasureKind.PERCENTAGE,
        )


class TemporalAggregation(enum.Enum):
    """How the observations of shorter periods roll up into a longer period.

    Flows (incidents, calls) sum; levels and stocks (a homeless count) take the last value;
    percentages, averages and rates per unit of time take the ``MEAN``, weighted by the length of
    each period (a 31-day month counts 31/30 of a 30-day one); ``RATIO_OF_SUMS`` divides the
    summed numerators by the summed denominators. Which choices a metric allows is the table
    :data:`AGGREGATION_RULES`.

    Example:
        >>> TemporalAggregation("last")
        <TemporalAggregation.LAST: 'last'>
    """

    SUM = "sum"
    MEAN = "mean"
    LAST = "last"
    FIRST = "first"
    MIN = "min"
    MAX = "max"
    RATIO_OF_SUMS = "ratio_of_sums"
    NONE = "none"


class SpatialAggregation(enum.Enum):
    """How the observations of several places combine into one (after DHIS2's two-axis aggregation).

    Example:
        >>> SpatialAggregation("ratio_of_sums")
        <SpatialAggregation.RATIO_OF_SUMS: 'ratio_of_sums'>
    """

    SUM = "sum"
    MEAN = "mean"
    RATIO_OF_SUMS = "ratio_of_sums"
    NONE = "none"


class MissingDataPolicy(enum.Enum):
    """What an aggregate does when some of its inputs are missing (after DHIS2's missing-value
    strategy).

    - ``NEVER_SKIP``: aggregate what is there (a sum of nothing is 0);
    - ``SKIP_IF_ANY_MISSING``: the aggregate is missing if any input is missing;
    - ``SKIP_IF_ALL_MISSING``: the aggregate is missing only if every input is missing.

    Example:
        >>> MissingDataPolicy("skip_if_any_missing")
        <MissingDataPolicy.SKIP_IF_ANY_MISSING: 'skip_if_any_missing'>
    """

    NEVER_SKIP = "never_skip"
    SKIP_IF_ANY_MISSING = "skip_if_any_missing"
    SKIP_IF_ALL_MISSING = "skip_if_all_missing"


class Measure(enum.Enum):
    """What a metric measures, as far as aggregation is concerned; derived by :func:`measure_of`
    from the measure kind, the unit and the ratio of a definition.

    Example:
        >>> Measure("rate").value
        'rate'
    """

    COUNT = "count"
    STOCK = "stock"
    RATE = "rate"
    PERCENTAGE = "percentage"
    RATIO = "ratio"
    RATIO_WITHOUT_PARTS = "ratio_without_parts"
    AVERAGE = "average"
    ORDINAL = "ordinal"
    NOMINAL = "nominal"
    QUALITATIVE = "qualitative"


@attrs.frozen(kw_only=True)
class AggregationRule:
    """How one :class:`Measure` aggregates: the defaults, the choices that make sense, and why the
    others do not.

    ``refused_because`` explains what goes wrong with a refused choice and ``instead`` says how to
    say what one means; both go into the :class:`~civicinnov.errors.ValidationError` that
    :class:`MetricDefinition` raises.

    Example:
        >>> rule = AGGREGATION_RULES[Measure.PERCENTAGE]
        >>> rule.temporal.value, rule.spatial.value
        ('mean', 'mean')
        >>> TemporalAggregation.SUM in rule.temporal_allowed
        False
    """

    measure: Measure
    what: str
    example: str
    temporal: TemporalAggregation
    spatial: SpatialAggregation
    temporal_allowed: frozenset[TemporalAggregation]
    spatial_allowed: frozenset[SpatialAggregation]
    refused_because: str
    instead: str


_T = TemporalAggregation
_S = SpatialAggregation
_ORDER_FREE = frozenset({_T.LAST, _T.FIRST, _T.MIN, _T.MAX, _T.NONE})
_MEANS_T = _ORDER_FREE | {_T.MEAN}
_LEVEL_ADVICE = (
    "use mean (the default), last, first, min or max; to add things up, define a count metric "
    "(the number of cases) or give the ratio's numerator and denominator (a Ratio) and use "
    "ratio_of_sums"
)


def _rule(
    measure: Measure,
    what: str,
    example: str,
    defaults: tuple[TemporalAggregation, SpatialAggregation],
    temporal: Iterable[TemporalAggregation],
    spatial: Iterable[SpatialAggregation],
    refused_because: str,
    instead: str,
) -> AggregationRule:
    return AggregationRule(
        measure=measure,
        what=what,
        example=example,
        temporal=defaults[0],
        spatial=defaults[1],
        temporal_allowed=frozenset(temporal),
        spatial_allowed=frozenset(spatial),
        refused_because=refused_because,
        instead=instead,
    )


#: The one table of how each measure aggregates in time and across places; the definitions'
#: defaults and their checks are read from it, and the documentation renders it
#: (:func:`aggregation_table`).
AGGREGATION_RULES: Mapping[Measure, AggregationRule] = MappingProxyType(
    {
        r.measure: r
        for r in (
            _rule(
                Measure.COUNT,
                "a count or amount over the period (a flow)",
                "murders, 311 calls, kWh used",
                (_T.SUM, _S.SUM),
                _MEANS_T | {_T.SUM},
                (_S.SUM, _S.MEAN, _S.NONE),
                "a count does not form a ratio",
                "use sum, mean, last, first, min or max",
            ),
            _rule(
                Measure.STOCK,
                "a level at a point in time (measure kind stock)",
                "blighted homes at month end",
                (_T.LAST, _S.SUM),
                _MEANS_T,
                (_S.SUM, _S.MEAN, _S.NONE),
                "a stock is counted again in every period: three month-end counts of 100 homes "
                "are not 300 homes in the quarter",
                "use last (the default), first, mean, min or max; to add up what came in or "
                "went out, define a count metric of the flow",
            ),
            _rule(
                Measure.RATE,
                "a rate per unit of time (a unit with a time in its denominator)",
                "pothole / month",
                (_T.MEAN, _S.SUM),
                _MEANS_T,
                (_S.SUM, _S.MEAN, _S.NONE),
                "summing a per-month rate over twelve months gives twelve times the rate, still "
                "per month",
                "use mean (the default, weighted by period length), last, first, min or max; to "
                "add the months up, define the metric as a count (unit 'pothole', summing)",
            ),
            _rule(
                Measure.PERCENTAGE,
                "a share given as a percentage, without its parts",
                "retail vacancy in percent",
                (_T.MEAN, _S.MEAN),
                _MEANS_T,
                (_S.MEAN, _S.NONE),
                "percentages do not add up: 40 % in each of three months is not 120 % for the "
                "quarter, and 40 % and 70 % in two places is not 110 %",
                _LEVEL_ADVICE,
            ),
            _rule(
                Measure.RATIO,
                "a ratio with its numerator and denominator (a Ratio)",
                "homicides per 100,000 residents",
                (_T.RATIO_OF_SUMS, _S.RATIO_OF_SUMS),
                _ORDER_FREE | {_T.RATIO_OF_SUMS},
                (_S.RATIO_OF_SUMS, _S.NONE),
                "a sum of ratios means nothing and the mean of ratios weighs a small place like "
                "a large one",
                "use ratio_of_sums (the default: the summed numerators over the summed "
                "denominators), last, first, min or max",
            ),
            _rule(
                Measure.RATIO_WITHOUT_PARTS,
                "a ratio whose parts are not kept (a unit with a denominator, or a scale such "
                "as percent)",
                "PM2.5 in microgram / meter ** 3",
                (_T.MEAN, _S.MEAN),
                _MEANS_T,
                (_S.MEAN, _S.NONE),
                "ratios do not add up: two districts of 3000 person / km ** 2 are not 6000 "
                "person / km ** 2",
                _LEVEL_ADVICE,
            ),
            _rule(
                Measure.AVERAGE,
                "an average per case (measure kind average)",
                "average seconds to answer a 311 call",
                (_T.MEAN, _S.MEAN),
                _MEANS_T,
                (_S.MEAN, _S.NONE),
                "averages do not add up: a 30 s wait in two call centres is not a 60 s wait",
                "use mean (the default), last, first, min or max; to add up the total time, "
                "define a count metric in seconds (measure kind unit)",
            ),
            _rule(
                Measure.ORDINAL,
                "a rank or grade (measure kind ordinal)",
                "a 1-5 condition rating",
                (_T.LAST, _S.NONE),
                _ORDER_FREE,
                (_S.NONE,),
                "an ordinal code has an order but no arithmetic",
                "use last (the default), first, min, max or none in time and none across places",
            ),
            _rule(
                Measure.NOMINAL,
                "a category code (measure kind nominal)",
                "the ward's service model",
                (_T.LAST, _S.NONE),
                (_T.LAST, _T.FIRST, _T.NONE),
                (_S.NONE,),
                "a category code has neither order nor arithmetic",
                "use last (the default), first or none in time and none across places",
            ),
            _rule(
                Measure.QUALITATIVE,
                "a narrative (measure kind qualitative)",
                "what residents said this quarter",
                (_T.LAST, _S.NONE),
                (_T.LAST, _T.FIRST, _T.NONE),
                (_S.NONE,),
                "a narrative has no arithmetic",
                "use last (the default), first or none in time and none across places",
            ),
        )
    }
)


def measure_of(measure_kind: MeasureKind, unit: Unit, ratio: Ratio | None = None) -> Measure:
    """What a metric of ``measure_kind`` in ``unit`` (with ``ratio``, if any) measures.

    A ``UNIT`` metric is a rate when its unit has a time in the denominator, a ratio without
    parts when its unit has any other denominator or is a scaled dimensionless unit (``percent``,
    ``per_thousand``), and a count otherwise.

    Parameters:
        measure_kind: the metric's declared kind of measure.
        unit: the metric's (parsed) unit.
        ratio: the metric's numerator and denominator parts, if any.

    Returns:
        The :class:`Measure`: ordinal, nominal and qualitative kinds map to themselves, any
        ``ratio`` gives ``RATIO``, then percentage, average and stock; a ``UNIT`` metric as above.

    Example:
        >>> from civicinnov.units import parse_unit
        >>> measure_of(MeasureKind.UNIT, parse_unit("incident / month"))
        <Measure.RATE: 'rate'>
        >>> measure_of(MeasureKind.UNIT, parse_unit("person / km**2")).value
        'ratio_without_parts'
        >>> measure_of(MeasureKind.UNIT, parse_unit("incident")).value
        'count'
    """
    if measure_kind in (MeasureKind.ORDINAL, MeasureKind.NOMINAL, MeasureKind.QUALITATIVE):
        return Measure(measure_kind.value)
    if ratio is not None:
        return Measure.RATIO
    if measure_kind is MeasureKind.PERCENTAGE:
        return Measure.PERCENTAGE
    if measure_kind is MeasureKind.AVERAGE:
        return Measure.AVERAGE
    if measure_kind is MeasureKind.STOCK:
        return Measure.STOCK
    dims = {str(k): float(v) for k, v in unit.dimensionality.items()}  # type: ignore[arg-type]
    if dims.get("[time]", 0) < 0:
        return Measure.RATE
    if any(power < 0 for power in dims.values()):
        return Measure.RATIO_WITHOUT_PARTS
    if not dims and _scale_of(unit) != 1.0:
        return Measure.RATIO_WITHOUT_PARTS
    return Measure.COUNT


def _scale_of(unit: Unit) -> float:

    return float(get_registry().Quantity(1.0, unit).to("dimensionless").magnitude)


def aggregation_table() -> str:
    """The aggregation rules as a Markdown table (the one in the documentation is this text).

    Example:
        >>> print(aggregation_table().splitlines()[0])
        | measure | what it is | example | in time | across places | also allowed in time | also allowed across places |
    """

    def others(allowed: frozenset[Any], default: enum.Enum) -> str:
        rest = sorted(a.value for a in allowed if a is not default)
        return ", ".join(rest) if rest else "—"

    rows = [
        "| measure | what it is | example | in time | across places | also allowed in time "
        "| also allowed across places |",
        "|---|---|---|---|---|---|---|",
    ]
    for rule in AGGREGATION_RULES.values():
        rows.append(
            f"| {rule.measure.value} | {rule.what} | {rule.example} | "
            f"**{rule.temporal.value}** | **{rule.spatial.value}** | "
            f"{others(rule.temporal_allowed, rule.temporal)} | "
            f"{others(rule.spatial_allowed, rule.spatial)} |"
        )
    return "\n".join(rows) + "\n"


class RBAQuadrant(enum.Enum):
    """The Results-Based Accountability performance-measure quadrant (Friedman, *Trying Hard Is Not
    Good Enough*, 2005): quantity or quality, of effort or of effect.

    Example:
        >>> RBAQuadrant.QUALITY_OF_EFFECT.question
        'Is anyone better off? (share)'
    """

    QUANTITY_OF_EFFORT = "quantity_of_effort"
    QUALITY_OF_EFFORT = "quality_of_effort"
    QUANTITY_OF_EFFECT = "quantity_of_effect"
    QUALITY_OF_EFFECT = "quality_of_effect"

    @property
    def question(self) -> str:
        """The plain-language question the quadrant answers.

        Example:
            >>> RBAQuadrant.QUANTITY_OF_EFFORT.question
            'How much did we do?'
        """
        return {
            "quantity_of_effort": "How much did we do?",
            "quality_of_effort": "How well did we do it?",
            "quantity_of_effect": "Is anyone better off? (number)",
            "quality_of_effect": "Is anyone better off? (share)",
        }[self.value]


class LogicModelStage(enum.Enum):
    """Where a metric sits in a logic model, from what goes in to the lasting change.

    Example:
        >>> [s.value for s in LogicModelStage]
        ['input', 'activity', 'output', 'outcome', 'impact']
    """

    INPUT = "input"
    ACTIVITY = "activity"
    OUTPUT = "output"
    OUTCOME = "outcome"
    IMPACT = "impact"


class Accountability(enum.Enum):
    """Results-Based Accountability's split: population conditions (a whole city's well-being,
    many partners share it) versus the performance of one programme or service.

    Example:
        >>> Accountability("performance")
        <Accountability.PERFORMANCE: 'performance'>
    """

    POPULATION = "population"
    PERFORMANCE = "performance"


@attrs.frozen(kw_only=True)
class Reference:
    """A code in an external vocabulary (after IATI's ``reference`` element).

    Example:
        >>> Reference(vocabulary="iso37120", code="14.2")
        Reference(vocabulary='iso37120', code='14.2', uri=None)
    """

    vocabulary: str = attrs.field(validator=_validate_id)
    code: str = attrs.field(validator=_nonempty)
    uri: str | None = None

    @property
    def key(self) -> tuple[str, str]:
        """``(vocabulary, code)``, the key a catalogue looks references up by.

        Example:
            >>> Reference(vocabulary="sdg", code="11.6.1").key
            ('sdg', '11.6.1')
        """
        return (self.vocabulary, self.code)


@attrs.frozen(kw_only=True)
class MetricPlan:
    """How a metric is collected and used (a performance-indicator reference sheet, after TolaData's
    plan fields and the SDG metadata concepts SOURCE_TYPE, COLL_METHOD, FREQ_COLL, REC_USE_LIM).

    Example:
        >>> from civicinnov.periods import MONTH
        >>> MetricPlan(data_source="police records system", frequency=MONTH).frequency.name
        'month'
    """

    data_source: str | None = None
    collection_method: str | None = None
    frequency: PeriodType | None = None
    owner: str | None = None
    limitations: str | None = None
    information_use: str | None = None


def _dimensionless() -> Unit:
    return _to_unit("dimensionless")


def _check_scale(instance: Any, attribute: attrs.Attribute[Any], value: Unit) -> None:
    if not value.dimensionless:
        raise UnitError(
            f"scale: expected a dimensionless scale such as 'percent' or 'per_hundred_thousand', "
            f"got {value}"
        )


@attrs.frozen(kw_only=True)
class Ratio:
    """The numerator and denominator of a ratio metric, and its scale.

    A value of the ratio metric is ``numerator / denominator`` expressed in ``unit``; the scale is a
    dimensionless unit (``percent`` = 10⁻², ``per_thousand``, ``per_hundred_thousand``), so a rate of
    "5 per 100,000 residents" is stored as the number 5 in the unit
    ``incident * per_hundred_thousand / person``, never as 0.00005 nor as a hidden ×100 000.

    ``numerator_id`` and ``denominator_id`` name catalogue metrics the parts are measured by, when
    there are such metrics.

    Example:
        >>> r = Ratio(numerator_id="homicides", numerator_unit="incident",
        ...           denominator_id="population", denominator_unit="person",
        ...           scale="per_hundred_thousand")
        >>> r.unit
        <Unit('incident * per_hundred_thousand / person')>
    """

    numerator_unit: Unit = attrs.field(converter=_to_unit)
    denominator_unit: Unit = attrs.field(converter=_to_unit)
    scale: Unit = attrs.field(converter=_to_unit, factory=_dimensionless, validator=_check_scale)
    numerator_id: str | None = attrs.field(default=None, validator=_validate_optional_id)
    denominator_id: str | None = attrs.field(default=None, validator=_validate_optional_id)

    @property
    def unit(self) -> Unit:
        """The natural unit of the ratio: numerator unit × scale / denominator unit.

        Example:
            >>> Ratio(numerator_unit="person", denominator_unit="person", scale="percent").unit
            <Unit('percent')>
        """
        if self.numerator_unit == self.denominator_unit:
            unit: Unit = self.scale
            return unit
        q = get_registry().Quantity(1, self.numerator_unit * self.scale / self.denominator_unit)
        result: Unit = q.units  # type: ignore[assignment]
        return result


def _references(value: Iterable[Reference]) -> tuple[Reference, ...]:
    refs = tuple(value)
    for i, ref in enumerate(refs):
        if not isinstance(ref, Reference):
            raise ValidationError(f"references[{i}]: expected a Reference, got {ref!r}")
    return refs


def _default_temporal(self: MetricDefinition) -> TemporalAggregation:
    """The default of :data:`AGGREGATION_RULES` for what the metric measures."""
    try:
        return AGGREGATION_RULES[measure_of(self.measure_kind, self.unit, self.ratio)].temporal
    except (AttributeError, TypeError, ValueError):
        return TemporalAggregation.SUM  # a wrong field type is reported by _check_kinds


def _default_spatial(self: MetricDefinition) -> SpatialAggregation:
    """The default of :data:`AGGREGATION_RULES` for what the metric measures."""
    try:
        return AGGREGATION_RULES[measure_of(self.measure_kind, self.unit, self.ratio)].spatial
    except (AttributeError, TypeError, ValueError):
        return SpatialAggregation.SUM  # a wrong field type is reported by _check_kinds


_KIND_EXAMPLES: dict[str, enum.Enum] = {
    "direction": Direction.NONE,
    "measure_kind": MeasureKind.UNIT,
    "temporal_aggregation": TemporalAggregation.SUM,
    "spatial_aggregation": SpatialAggregation.SUM,
    "missing_data": MissingDataPolicy.SKIP_IF_ALL_MISSING,
}


@attrs.frozen(kw_only=True, slots=True)
class MetricDefinition:
    """How one metric is measured, aggregated, judged and referenced.

    ``unit`` accepts unit text (``"incident"``, ``"percent"``) or a pint unit. How the metric
    aggregates follows from what it measures (:attr:`measure`, from the measure kind, the unit
    and the ratio): the defaults and the allowed choices are the row of :data:`AGGREGATION_RULES`
    (counts sum; stocks take the last value; percentages, averages, rates per unit of time and
    ratios without parts take the mean; ratios with parts take the ratio of sums; ordinal,
    nominal and qualitative values refuse arithmetic). An explicit choice outside the row raises
    :class:`~civicinnov.errors.ValidationError` saying why and what to write instead. Other
    checks: a ratio metric has a unit of the ratio's dimension; a percentage has a dimensionless
    unit.

    Raises :class:`~civicinnov.errors.ValidationError` (or :class:`~civicinnov.errors.UnitError` for
    units) naming the field.

    Example:
        >>> murders = MetricDefinition(id="murders", name="Murders", unit="incident",
        ...                            direction=Direction.DECREASE)
        >>> murders.unit, murders.effective_temporal_aggregation
        (<Unit('incident')>, <TemporalAggregation.SUM: 'sum'>)
        >>> share = Ratio(numerator_unit="person", denominator_unit="person", scale="percent")
        >>> rate = MetricDefinition(id="rate", name="Rate", unit="percent",
        ...                         measure_kind=MeasureKind.PERCENTAGE, ratio=share)
        >>> rate.temporal_aggregation.value, rate.spatial_aggregation.value
        ('ratio_of_sums', 'ratio_of_sums')
        >>> MetricDefinition(id="rate", name="Rate", unit="percent", ratio=share,
        ...                  temporal_aggregation=TemporalAggregation.MEAN)
        Traceback (most recent call last):
        ...
        civicinnov.errors.ValidationError: temporal_aggregation: metric 'rate' is a ratio with its numerator and denominator (a Ratio); mean over time is wrong: a sum of ratios means nothing and the mean of ratios weighs a small place like a large one. Instead, use ratio_of_sums (the default: the summed numerators over the summed denominators), last, first, min or max; got mean
        >>> vacancy = MetricDefinition(id="vacancy", name="Vacancy", unit="percent",
        ...                            measure_kind=MeasureKind.PERCENTAGE)
        >>> vacancy.temporal_aggregation.value, vacancy.spatial_aggregation.value
        ('mean', 'mean')
    """

    id: str = attrs.field(validator=_validate_id)
    name: str = attrs.field(validator=_nonempty)
    unit: Unit = attrs.field(converter=_to_unit)
    description: str = ""
    direction: Direction = Direction.NONE
    measure_kind: MeasureKind = MeasureKind.UNIT
    ratio: Ratio | None = None
    temporal_aggregation: TemporalAggregation = attrs.field(
        default=attrs.Factory(_default_temporal, takes_self=True)
    )
    spatial_aggregation: SpatialAggregation = attrs.field(
        default=attrs.Factory(_default_spatial, takes_self=True)
    )
    cumulative: bool = False
    missing_data: MissingDataPolicy = MissingDataPolicy.SKIP_IF_ALL_MISSING
    rba_quadrant: RBAQuadrant | None = None
    logic_model_stage: LogicModelStage | None = None
    accountability: Accountability | None = None
    references: tuple[Reference, ...] = attrs.field(default=(), converter=_references)
    theme: str | None = None
    core: bool | None = None
    plan: MetricPlan | None = None

    def __attrs_post_init__(self) -> None:
        self._check_kinds()
        self._check_ratio()
        self._check_aggregation()

    def _check_kinds(self) -> None:
        for attr, value in (
            ("direction", self.direction),
            ("measure_kind", self.measure_kind),
            ("temporal_aggregation", self.temporal_aggregation),
            ("spatial_aggregation", self.spatial_aggregation),
            ("missing_data", self.missing_data),
        ):
            expected = _KIND_EXAMPLES[attr]
            if not isinstance(value, type(expected)):
                raise ValidationError(
                    f"{attr}: expected a {type(expected).__name__} member such as "
                    f"{expected!s}, got {value!r}"
                )
        if not isinstance(self.cumulative, bool):
            raise ValidationError(f"cumulative: expected True or False, got {self.cumulative!r}")
        if self.measure_kind is MeasureKind.PERCENTAGE and not self.unit.dimensionless:
            raise UnitError(
                f"unit: metric {self.id!r} is a percentage; expected a dimensionless unit such as "
                f"'percent', got {self.unit}"
            )
        if self.ratio is not None and not isinstance(self.ratio, Ratio):
            raise ValidationError(f"ratio: expected a Ratio, got {self.ratio!r}")

    def _check_ratio(self) -> None:
        if self.ratio is not None and self.unit.dimensionality != self.ratio.unit.dimensionality:
            raise UnitError(
                f"unit: metric {self.id!r} is the ratio {self.ratio.numerator_unit} / "
                f"{self.ratio.denominator_unit}; expected a unit of dimension "
                f"{self.ratio.unit.dimensionality or 'dimensionless'}, got {self.unit}"
            )

    def _check_aggregation(self) -> None:
        rule = self.aggregation_rule
        for name, chosen, allowed in (
            ("temporal_aggregation", self.temporal_aggregation, rule.temporal_allowed),
            ("spatial_aggregation", self.spatial_aggregation, rule.spatial_allowed),
        ):
            if chosen in allowed:
                continue
            across = "over time" if name.startswith("temporal") else "across places"
            if chosen.value == "ratio_of_sums":
                why = "ratio_of_sums needs a ratio (numerator and denominator), got ratio=None"
            else:
                why = rule.refused_because
            raise ValidationError(
                f"{name}: metric {self.id!r} is {rule.what}; {chosen.value} {across} is wrong: "
                f"{why}. Instead, {rule.instead}; got {chosen.value}"
            )

    @property
    def measure(self) -> Measure:
        """What the metric measures (see :func:`measure_of`); it picks the row of
        :data:`AGGREGATION_RULES` that gives the defaults and the allowed choices.

        Example:
            >>> MetricDefinition(id="potholes", name="Potholes", unit="incident / month").measure
            <Measure.RATE: 'rate'>
        """
        return measure_of(self.measure_kind, self.unit, self.ratio)

    @property
    def aggregation_rule(self) -> AggregationRule:
        """The row of :data:`AGGREGATION_RULES` for this metric's :attr:`measure`.

        Example:
            >>> MetricDefinition(id="calls", name="Calls", unit="call").aggregation_rule.temporal
            <TemporalAggregation.SUM: 'sum'>
        """
        return AGGREGATION_RULES[self.measure]

    @property
    def reporting_frequency(self) -> PeriodType | None:
        """The period type a value is expected for (the plan's ``frequency``), or ``None``; see
        :func:`civicinnov.metrics.missing_periods`.

        Example:
            >>> from civicinnov.periods import MONTH
            >>> MetricDefinition(id="calls", name="Calls", unit="call",
            ...                  plan=MetricPlan(frequency=MONTH)).reporting_frequency.name
            'month'
        """
        return None if self.plan is None else self.plan.frequency

    @property
    def is_ratio(self) -> bool:
        """Whether the metric is a ratio with a stored numerator and denominator.

        Example:
            >>> MetricDefinition(id="calls", name="Calls", unit="call").is_ratio
            False
        """
        return self.ratio is not None

    @property
    def is_additive(self) -> bool:
        """Whether values add up: a numeric, non-ratio, non-cumulative metric that sums in time or
        across places (so disaggregates must add up to their total).

        Example:
            >>> MetricDefinition(id="calls", name="Calls", unit="call").is_additive
            True
        """
        return (
            self.measure_kind is MeasureKind.UNIT
            and self.ratio is None
            and not self.cumulative
            and (
                self.temporal_aggregation is TemporalAggregation.SUM
                or self.spatial_aggregation is SpatialAggregation.SUM
            )
        )

    @property
    def effective_temporal_aggregation(self) -> TemporalAggregation:
        """The temporal aggregation actually used: ``LAST`` for a cumulative metric (a running
        total's value for a quarter is its value at the quarter's end), else the declared one.

        Example:
            >>> MetricDefinition(id="housed", name="Housed", unit="person",
            ...                  cumulative=True).effective_temporal_aggregation
            <TemporalAggregation.LAST: 'last'>
        """
        if self.cumulative:
            return TemporalAggregation.LAST
        return self.temporal_aggregation

    @property
    def ratio_factor(self) -> float:
        """The number that turns ``numerator / denominator`` (in their units) into this metric's
        unit; ``nan`` for a metric that is not a ratio.

        Example:
            >>> d = MetricDefinition(
            ...     id="homicide-rate", name="Homicide rate",
            ...     unit="incident * per_hundred_thousand / person",
            ...     temporal_aggregation=TemporalAggregation.RATIO_OF_SUMS,
            ...     spatial_aggregation=SpatialAggregation.RATIO_OF_SUMS,
            ...     ratio=Ratio(numerator_unit="incident", denominator_unit="person",
            ...                 scale="per_hundred_thousand"))
            >>> round(d.ratio_factor)
            100000
        """
        if self.ratio is None:
            return float("nan")

        one = get_registry().Quantity(1.0, self.ratio.numerator_unit / self.ratio.denominator_unit)
        return float(one.to(self.unit).magnitude)

    def reference(self, vocabulary: str) -> Reference | None:
        """The first reference in ``vocabulary``, or ``None``.

        Parameters:
            vocabulary: the reference vocabulary to look for.

        Returns:
            The first :class:`Reference` in that vocabulary, or ``None``.

        Example:
            >>> d = MetricDefinition(id="homicides", name="Homicides", unit="incident",
            ...     references=[Reference(vocabulary="iso37120", code="14.2")])
            >>> d.reference("iso37120").code
            '14.2'
        """
        for ref in self.references:
            if ref.vocabulary == vocabulary:
                return ref
        return None

    def quantity(self, value: Any, *, where: str = "value") -> Quantity:
        """Return ``value`` as a quantity in this metric's unit, checking dimension and bounds.

        ``value`` is a number or array (taken to be in the metric's unit), quantity text, or a
        quantity of any registry. A percentage metric refuses values outside 0-100 %.

        Parameters:
            value: the value to convert (see above).
            where: the place named in error messages (e.g. ``"target.value"``).

        Returns:
            A pint quantity in :attr:`unit` (scalar or array, as given).

        Raises:
            UnitError: an unreadable unit, or a unit of another dimension than the metric's.
            ValidationError: a value that is not a finite number, or a percentage outside 0-100 %.

        Example:
            >>> d = MetricDefinition(id="vacancy", name="Vacancy", unit="percent",
            ...                      measure_kind=MeasureKind.PERCENTAGE,
            ...                      temporal_aggregation=TemporalAggregation.LAST)
            >>> d.quantity(12.5)
            <Quantity(12.5, 'percent')>
            >>> d.quantity(130, where="target.value")
            Traceback (most recent call last):
            ...
            civicinnov.errors.ValidationError: target.value: metric 'vacancy' is a percentage; expected values from 0 to 100 percent, got 130.0 percent
        """
        try:
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                float(value)  # an int too large for a float raises OverflowError here
                q = as_quantity(value, self.unit, where=where)
            elif isinstance(value, (list, tuple, np.ndarray)):
                q = as_quantity(np.asarray(value, dtype=np.float64), self.unit, where=where)
            else:
                q = as_quantity(value, where=where)
                try:
                    q = q.to(self.unit)
                except Exception:
                    raise UnitError(
                        f"{where}: metric {self.id!r} is measured in {self.unit} "
                        f"({self.unit.dimensionality or 'dimensionless'}); got {q.units} "
                        f"({q.dimensionality or 'dimensionless'})"
                    ) from None
            magnitudes = np.asarray(q.to(self.unit).magnitude, dtype=np.float64)
        except (OverflowError, TypeError, ValueError) as exc:
            if isinstance(exc, CivicError):
                raise
            shown = (
                f"a number of {len(str(abs(value)))} digits"
                if isinstance(value, int) and not isinstance(value, bool)
                else repr(value)[:60]
            )
            raise ValidationError(
                f"{where}: expected a finite number in {self.unit}, got {shown}"
            ) from None
        if np.any(np.isinf(magnitudes)):
            raise ValidationError(
                f"{where}: expected a finite number in {self.unit}, got {str(q)[:80]}"
            )
        self.check_bounds(magnitudes, where=where)
        return q

    def check_unit(self, unit: Any, *, path: str = "$.unit") -> list[str]:
        """The problems of ``unit`` (text or a pint unit) as this metric's unit: unreadable, or of
        another dimension. An empty list means the unit converts to the metric's unit.

        Parameters:
            unit: the unit to check, as text or a pint unit.
            path: the place named in each problem (default ``"$.unit"``).

        Returns:
            A list of problem messages; empty when the unit fits.

        Example:
            >>> d = MetricDefinition(id="homes", name="Homes", unit="dwelling")
            >>> d.check_unit("homes")
            []
            >>> d.check_unit("kg", path="$.series[0].unit")
            ["$.series[0].unit: metric 'homes' is measured in dwelling ([dwelling]); got kilogram ([mass])"]
        """
        import pint  # noqa: PLC0415 - pint loads on first use, so importing civicinnov stays cheap

        try:
            parsed = parse_unit(str(unit) if isinstance(unit, pint.Unit) else unit, where=path)
        except CivicError as exc:
            return [str(exc)]
        if parsed.dimensionality != self.unit.dimensionality:
            return [
                f"{path}: metric {self.id!r} is measured in {self.unit} "
                f"({self.unit.dimensionality or 'dimensionless'}); got {parsed} "
                f"({parsed.dimensionality or 'dimensionless'})"
            ]
        return []

    def check_quantity(self, value: Any, *, path: str = "$.value") -> list[str]:
        """The problems of ``value`` as a value of this metric, each naming ``path``: not a
        quantity, a unit of another dimension, a number too large or not finite, a percentage
        outside 0-100 %. Never raises for a bad value; an empty list means it is fine.

        ``value`` is a quantity (of any registry, scalar or array), quantity text such as
        ``"6600 kg"``, or a number in the metric's unit.

        Parameters:
            value: the value to check (see above).
            path: the place named in each problem (default ``"$.value"``).

        Returns:
            A list of problem messages; empty when the value fits.

        Example:
            >>> d = MetricDefinition(id="homes", name="Homes", unit="dwelling")
            >>> d.check_quantity("6600 kg", path="$.targets[0].value")
            ["$.targets[0].value: metric 'homes' is measured in dwelling ([dwelling]); got kilogram ([mass])"]
            >>> d.check_quantity(10**400, path="$.targets[1].value")
            ['$.targets[1].value: expected a finite number in dwelling, got a number of 401 digits']
            >>> d.check_quantity("12 homes")
            []
        """
        try:
            self.quantity(value, where=path)
        except CivicError as exc:
            return [str(exc)]
        return []

    def check_bounds(self, magnitudes: Any, *, where: str = "values") -> None:
        """Raise :class:`~civicinnov.errors.ValidationError` if a percentage metric has a value
        (in this metric's unit) outside 0-100 %; missing values (NaN) are allowed.

        Parameters:
            magnitudes: a number or array of numbers in this metric's unit.
            where: the place named in the error message (default ``"values"``).

        Raises:
            ValidationError: a percentage metric has a value below 0 or above 100 %.

        Example:
            >>> d = MetricDefinition(id="vacancy", name="Vacancy", unit="percent",
            ...                      measure_kind=MeasureKind.PERCENTAGE,
            ...                      temporal_aggregation=TemporalAggregation.LAST)
            >>> d.check_bounds([5.0, float("nan"), 100.0])
        """
        if self.measure_kind is not MeasureKind.PERCENTAGE:
            return

        arr = np.asarray(magnitudes, dtype=np.float64)
        upper = float(get_registry().Quantity(100.0, "percent").to(self.unit).magnitude)
        bad = (arr < 0) | (arr > upper * (1 + 1e-12))
        if np.any(bad):
            flat = arr.reshape(-1)
            index = int(np.flatnonzero(bad.reshape(-1))[0])
            at = f"[{index}]" if arr.ndim else ""
            raise ValidationError(
                f"{where}{at}: metric {self.id!r} is a percentage; expected values from 0 to "
                f"{upper:g} {self.unit}, got {float(flat[index])!r} {self.unit}"
            )


def _length(value: Any) -> Quantity:

    return as_quantity(value, dimension="[length]", where="distance")


@attrs.frozen(kw_only=True, slots=True)
class ProximityMetricDefinition(MetricDefinition):
    """A count of things within a distance of something, such as homes within 150 ft of a blighted
    property; the distance is part of the definition, as a length quantity.

    It is also the example of a subclass with extra fields: every base field still applies.

    Example:
        >>> d = ProximityMetricDefinition(id="homes-near-blight", name="Homes near blight",
        ...     unit="dwelling", distance="150 ft", near="blighted property",
        ...     direction=Direction.DECREASE)
        >>> round(d.distance.to("m").magnitude, 2), d.near
        (45.72, 'blighted property')
        >>> ProximityMetricDefinition(id="x", name="X", unit="dwelling", distance="3 kg", near="y")
        Traceback (most recent call last):
        ...
        civicinnov.errors.UnitError: distance: expected dimension [length], got [mass] (kilogram)
    """

    distance: Quantity = attrs.field(converter=_length)
    near: str = attrs.field(validator=_nonempty)
