"""The metric catalogue: built-in definitions, user registrations, and plug-in catalogues.

:class:`MetricCatalog` maps metric ids to :class:`~civicinnov.metrics.MetricDefinition`
objects and reference codes (``("iso37120", "14.2")``) to ids. It starts from:

- **ISO 37120 city indicators** (2014 edition clause numbers) with the units, numerators and
  denominators the standard's definitions imply. The definitions are short descriptions in our own
  words that cite the clause; they do not reproduce the standard's text. Directions are our
  judgement: the standard sets no thresholds.
- **metrics the i-teams used** for their challenges: murders, retail vacancy rate, low-severity 911
  calls redirected, licence processing days, unsheltered people housed, blighted
  properties, and homes within 150 ft of a blighted property.

:func:`builtin_definitions` returns them; the table in the documentation lists them all.

Other packages add definitions (instances of ``MetricDefinition`` or of a subclass with extra
fields) through the ``civicinnov.metrics`` entry-point group. In ``pyproject.toml``::

    [project.entry-points."civicinnov.metrics"]
    transit = "civic_transit.metrics:definitions"

The entry point may name a callable (called with no arguments) returning definitions, or an
iterable of definitions, or one definition. :meth:`MetricCatalog.load_plugins` loads each plug-in
on its own: a plug-in that fails to import, returns something else, or clashes with a registered
definition is skipped as a whole, recorded as a :class:`~civicinnov.errors.PluginError` in
:attr:`MetricCatalog.plugin_errors` and reported with a :class:`~civicinnov.errors.CivicWarning`;
the other plug-ins still load.

Example:
    >>> catalog = MetricCatalog.builtin()
    >>> catalog["murders"].unit
    <Unit('incident')>
    >>> catalog.by_reference("iso37120", "14.2").id
    'homicide-rate'
"""

from __future__ import annotations

import difflib
import functools
import threading
import warnings
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import attrs

from civicinnov.errors import (
    CivicWarning,
    ConflictingMetricError,
    DuplicateMetricError,
    PluginError,
    UnknownIdError,
    ValidationError,
)
from civicinnov.metrics._definition import (
    Accountability,
    Direction,
    LogicModelStage,
    MeasureKind,
    MetricDefinition,
    MetricPlan,
    ProximityMetricDefinition,
    Ratio,
    RBAQuadrant,
    Reference,
    SpatialAggregation,
    TemporalAggregation,
)
from civicinnov.units import registry_key

__all__ = ["ENTRY_POINT_GROUP", "MetricCatalog", "builtin_definitions"]

#: The entry-point group plug-in catalogues register under.
ENTRY_POINT_GROUP = "civicinnov.metrics"

ISO_37120_URI = "https://www.iso.org/standard/62436.html"


def _iso(clause: str) -> Reference:
    return Reference(vocabulary="iso37120", code=clause, uri=ISO_37120_URI)


def _sdg(code: str) -> Reference:
    return Reference(
        vocabulary="sdg", code=code, uri=f"https://unstats.un.org/sdgs/metadata/?Text={code}"
    )


def _rate(
    id: str,
    name: str,
    description: str,
    *,
    clause: str,
    numerator: str,
    denominator: str,
    scale: str,
    unit: str,
    direction: Direction,
    theme: str,
    core: bool,
    percentage: bool = False,
    extra_refs: tuple[Reference, ...] = (),
    temporal: TemporalAggregation = TemporalAggregation.RATIO_OF_SUMS,
) -> MetricDefinition:
    return MetricDefinition(
        id=id,
        name=name,
        description=description,
        unit=unit,
        direction=direction,
        measure_kind=MeasureKind.PERCENTAGE if percentage else MeasureKind.UNIT,
        temporal_aggregation=temporal,
        spatial_aggregation=SpatialAggregation.RATIO_OF_SUMS,
        ratio=Ratio(numerator_unit=numerator, denominator_unit=denominator, scale=scale),
        accountability=Accountability.POPULATION,
        logic_model_stage=LogicModelStage.IMPACT,
        rba_quadrant=RBAQuadrant.QUALITY_OF_EFFECT,
        references=(_iso(clause), *extra_refs),
        theme=theme,
        core=core,
    )


def _iso_definitions() -> list[MetricDefinition]:
    up, down = Direction.INCREASE, Direction.DECREASE
    pct = {"scale": "percent", "unit": "percent", "percentage": True}
    per100k = "per_hundred_thousand"
    return [
        _rate("unemployment-rate", "Unemployment rate",
              "Share of the labour force that is out of work, available and looking for work.",
              clause="5.1", numerator="person", denominator="person", direction=down,
              theme="economy", core=True, extra_refs=(_sdg("8.5.2"),), **pct),  # type: ignore[arg-type]
        _rate("poverty-rate", "Population living in poverty",
              "Share of residents living below the national poverty line.",
              clause="5.3", numerator="person", denominator="person", direction=down,
              theme="economy", core=True, extra_refs=(_sdg("1.2.1"),), **pct),  # type: ignore[arg-type]
        _rate("youth-unemployment-rate", "Youth unemployment rate",
              "Share of the youth labour force (working age to under 24) out of work and seeking it.",
              clause="5.5", numerator="person", denominator="person", direction=down,
              theme="economy", core=False, **pct),  # type: ignore[arg-type]
        _rate("businesses-per-100k", "Businesses per 100,000 residents",
              "Registered businesses for every 100,000 residents.",
              clause="5.6", numerator="business", denominator="person", scale=per100k,
              unit="business * per_hundred_thousand / person", direction=up,
              theme="economy", core=False, temporal=TemporalAggregation.LAST),
        _rate("female-school-enrolment", "Female school-age enrolment",
              "Share of school-age girls enrolled in primary or secondary school, public or private.",
              clause="6.1", numerator="person", denominator="person", direction=up,
              theme="education", core=True, **pct),  # type: ignore[arg-type]
        _rate("primary-student-teacher-ratio", "Primary student-teacher ratio",
              "Enrolled primary pupils for each full-time-equivalent primary classroom teacher.",
              clause="6.4", numerator="person", denominator="person", scale="dimensionless",
              unit="dimensionless", direction=down, theme="education", core=True,
              temporal=TemporalAggregation.LAST),
        _rate("residential-electricity-per-capita", "Residential electricity use per resident",
              "Electricity used by homes in a year, divided by the population.",
              clause="7.1", numerator="kWh / year", denominator="person", scale="dimensionless",
              unit="kWh / person / year", direction=down, theme="energy", core=True),
        _rate("renewable-energy-share", "Energy from renewable sources",
              "Share of the city's total energy consumption that comes from renewable sources.",
              clause="7.4", numerator="kWh", denominator="kWh", direction=up,
              theme="energy", core=True, extra_refs=(_sdg("7.2.1"),), **pct),  # type: ignore[arg-type]
        MetricDefinition(
            id="pm25-concentration", name="Fine particulate matter (PM2.5)",
            description="Mean concentration of particles under 2.5 µm in the air.",
            unit="microgram / meter ** 3", direction=down,
            accountability=Accountability.POPULATION, logic_model_stage=LogicModelStage.IMPACT,
            references=(_iso("8.1"), _sdg("11.6.2")), theme="environment", core=True,
        ),
        _rate("ghg-emissions-per-capita", "Greenhouse gas emissions per resident",
              "Tonnes of CO2-equivalent emitted in a year, divided by the population.",
              clause="8.3", numerator="tonne", denominator="person", scale="dimensionless",
              unit="tonne / person", direction=down, theme="environment", core=True),
        _rate("debt-service-ratio", "Debt service ratio",
              "Debt service spending as a share of the municipality's own-source revenue (both "
              "amounts in one currency).",
              clause="9.1", numerator="dimensionless", denominator="dimensionless", direction=down,
              theme="finance", core=True, **pct),  # type: ignore[arg-type]
        _rate("voter-participation", "Voter participation in the last municipal election",
              "Votes cast as a share of eligible voters.",
              clause="11.1", numerator="person", denominator="person", direction=up,
              theme="governance", core=True, temporal=TemporalAggregation.LAST, **pct),  # type: ignore[arg-type]
        _rate("hospital-beds-per-100k", "In-patient hospital beds per 100,000 residents",
              "In-patient hospital beds for every 100,000 residents.",
              clause="12.2", numerator="count", denominator="person", scale=per100k,
              unit="count * per_hundred_thousand / person", direction=up, theme="health",
              core=True, temporal=TemporalAggregation.LAST),
        _rate("under-five-mortality", "Under-five mortality per 1,000 live births",
              "Deaths of children under five for every 1,000 live births.",
              clause="12.4", numerator="person", denominator="person", scale="per_thousand",
              unit="per_thousand", direction=down, theme="health", core=True,
              extra_refs=(_sdg("3.2.1"),)),
        _rate("firefighters-per-100k", "Firefighters per 100,000 residents",
              "Full-time firefighters for every 100,000 residents.",
              clause="10.1", numerator="person", denominator="person", scale=per100k,
              unit="per_hundred_thousand", direction=up, theme="fire and emergency response",
              core=True, temporal=TemporalAggregation.LAST),
        _rate("police-officers-per-100k", "Police officers per 100,000 residents",
              "Sworn police officers for every 100,000 residents.",
              clause="14.1", numerator="person", denominator="person", scale=per100k,
              unit="per_hundred_thousand", direction=Direction.NONE, theme="safety", core=True,
              temporal=TemporalAggregation.LAST),
        _rate("homicide-rate", "Homicides per 100,000 residents",
              "Homicides in a year for every 100,000 residents.",
              clause="14.2", numerator="incident", denominator="person", scale=per100k,
              unit="incident * per_hundred_thousand / person", direction=down, theme="safety",
              core=True, extra_refs=(_sdg("16.1.1"),)),
        _rate("homeless-per-100k", "Homeless people per 100,000 residents",
              "People experiencing homelessness for every 100,000 residents (point in time).",
              clause="15.2", numerator="person", denominator="person", scale=per100k,
              unit="per_hundred_thousand", direction=down, theme="shelter", core=False,
              temporal=TemporalAggregation.LAST),
        _rate("solid-waste-collection-coverage", "Residents with regular waste collection",
              "Share of residents whose household waste is collected regularly.",
              clause="16.1", numerator="person", denominator="person", direction=up,
              theme="solid waste", core=True, temporal=TemporalAggregation.LAST, **pct),  # type: ignore[arg-type]
        _rate("solid-waste-recycled", "Solid waste recycled",
              "Share of the city's collected solid waste, by weight, that is recycled.",
              clause="16.3", numerator="tonne", denominator="tonne", direction=up,
              theme="solid waste", core=True, **pct),  # type: ignore[arg-type]
        _rate("bicycle-network-per-100k", "Bicycle paths and lanes per 100,000 residents",
              "Kilometres of bicycle paths and lanes for every 100,000 residents.",
              clause="18.7", numerator="km", denominator="person", scale=per100k,
              unit="km * per_hundred_thousand / person", direction=up, theme="transportation",
              core=False, temporal=TemporalAggregation.LAST),
        _rate("green-area-per-100k", "Green area per 100,000 residents",
              "Hectares of green area for every 100,000 residents.",
              clause="19.1", numerator="hectare", denominator="person", scale=per100k,
              unit="hectare * per_hundred_thousand / person", direction=up,
              theme="urban planning", core=True, temporal=TemporalAggregation.LAST),
        _rate("domestic-water-per-capita", "Domestic water use per resident per day",
              "Litres of water used by households per day, divided by the population.",
              clause="21.4", numerator="liter / day", denominator="person", scale="dimensionless",
              unit="liter / person / day", direction=down, theme="water", core=True),
    ]  # fmt: skip


def _iteam_definitions() -> list[MetricDefinition]:
    up, down = Direction.INCREASE, Direction.DECREASE
    return [
        MetricDefinition(
            id="murders", name="Murders",
            description="Murders recorded by the police in the period (a flow; periods add up).",
            unit="incident", direction=down, theme="public safety",
            rba_quadrant=RBAQuadrant.QUANTITY_OF_EFFECT,
            logic_model_stage=LogicModelStage.IMPACT, accountability=Accountability.POPULATION,
            plan=MetricPlan(data_source="police records management system",
                            collection_method="administrative records"),
        ),
        MetricDefinition(
            id="retail-vacancy-rate", name="Retail vacancy rate",
            description="Vacant retail properties as a share of all retail properties on the "
                        "corridors a challenge covers (a level; the latest count stands).",
            unit="percent", direction=down, measure_kind=MeasureKind.PERCENTAGE,
            theme="economic development",
            temporal_aggregation=TemporalAggregation.LAST,
            spatial_aggregation=SpatialAggregation.RATIO_OF_SUMS,
            ratio=Ratio(numerator_unit="property", denominator_unit="property", scale="percent"),
            rba_quadrant=RBAQuadrant.QUALITY_OF_EFFECT, logic_model_stage=LogicModelStage.OUTCOME,
            accountability=Accountability.POPULATION,
            plan=MetricPlan(collection_method="corridor survey"),
        ),
        MetricDefinition(
            id="low-severity-911-calls-redirected", name="Low-severity 911 calls redirected",
            description="Low-severity 911 medical calls sent away from emergency rooms to a "
                        "doctor's office or an immediate-care centre.",
            unit="call", direction=up, theme="public safety",
            rba_quadrant=RBAQuadrant.QUANTITY_OF_EFFORT, logic_model_stage=LogicModelStage.OUTPUT,
            accountability=Accountability.PERFORMANCE,
            plan=MetricPlan(data_source="computer-aided dispatch records"),
        ),
        MetricDefinition(
            id="licence-processing-days", name="Licence processing time",
            description="Mean days from a complete business licence application to a "
                        "decision.",
            unit="day", direction=down, theme="customer service",
            measure_kind=MeasureKind.AVERAGE,
            rba_quadrant=RBAQuadrant.QUALITY_OF_EFFORT, logic_model_stage=LogicModelStage.OUTPUT,
            accountability=Accountability.PERFORMANCE,
            plan=MetricPlan(data_source="licensing case management system"),
        ),
        MetricDefinition(
            id="unsheltered-people-housed", name="Unsheltered people housed",
            description="People who had been living unsheltered (on the street) and moved into "
                        "housing since the initiative began (a running total).",
            unit="person", direction=up, theme="homelessness", cumulative=True,
            rba_quadrant=RBAQuadrant.QUANTITY_OF_EFFECT, logic_model_stage=LogicModelStage.OUTCOME,
            accountability=Accountability.PERFORMANCE,
            plan=MetricPlan(data_source="homeless management information system"),
        ),
        MetricDefinition(
            id="blighted-properties", name="Blighted properties",
            description="Properties recorded as blighted at the end of the period (a stock).",
            unit="property", direction=down, theme="blight and vacancy",
            measure_kind=MeasureKind.STOCK,
            rba_quadrant=RBAQuadrant.QUANTITY_OF_EFFECT, logic_model_stage=LogicModelStage.OUTCOME,
            accountability=Accountability.POPULATION,
            plan=MetricPlan(data_source="code enforcement inspections"),
        ),
        ProximityMetricDefinition(
            id="homes-near-blight", name="Homes within 150 ft of blight",
            description="Occupied homes within the given distance of a blighted property at the "
                        "end of the period (a stock).",
            unit="dwelling", direction=down, theme="blight and vacancy",
            measure_kind=MeasureKind.STOCK,
            rba_quadrant=RBAQuadrant.QUANTITY_OF_EFFECT, logic_model_stage=LogicModelStage.IMPACT,
            accountability=Accountability.POPULATION,
            distance="150 ft", near="blighted property",
            plan=MetricPlan(data_source="code enforcement inspections and parcel records"),
        ),
    ]  # fmt: skip


def builtin_definitions() -> tuple[MetricDefinition, ...]:
    """The built-in definitions: ISO 37120 city indicators, then the i-team metrics.

    The definitions are built once per unit registry, so a program that switches pint's
    application registry gets definitions whose units belong to the registry now in force.

    Example:
        >>> defs = builtin_definitions()
        >>> len(defs) >= 27, defs[0].id
        (True, 'unemployment-rate')
    """
    return _builtin_definitions_for(registry_key())


@functools.lru_cache(maxsize=4)
def _builtin_definitions_for(registry: object) -> tuple[MetricDefinition, ...]:
    return (*_iso_definitions(), *_iteam_definitions())


class MetricCatalog:
    """A registry of metric definitions, looked up by id or by reference code.

    A new catalogue is empty unless given ``definitions``; :meth:`builtin` starts from the
    built-ins, :meth:`default` adds the plug-ins found through entry points.

    Example:
        >>> cat = MetricCatalog()
        >>> cat.register(MetricDefinition(id="calls", name="Calls", unit="call")).id
        'calls'
        >>> "calls" in cat, len(cat)
        (True, 1)
        >>> cat.get("cals")
        Traceback (most recent call last):
        ...
        civicinnov.errors.UnknownIdError: metric id 'cals' is not in the catalogue; did you mean 'calls'?
    """

    def __init__(self, definitions: Iterable[MetricDefinition] = ()) -> None:
        self._lock = threading.RLock()
        self._by_id: dict[str, MetricDefinition] = {}
        self._by_ref: dict[tuple[str, str], str] = {}
        self._plugin_errors: list[PluginError] = []
        for definition in definitions:
            self.register(definition)

    @classmethod
    def builtin(cls) -> MetricCatalog:
        """A catalogue of the built-in definitions only.

        Example:
            >>> MetricCatalog.builtin()["homes-near-blight"].distance
            <Quantity(150, 'foot')>
        """
        return cls(builtin_definitions())

    @classmethod
    def default(cls) -> MetricCatalog:
        """The built-in definitions plus every plug-in catalogue installed (see
        :meth:`load_plugins`).

        Example:
            >>> cat = MetricCatalog.default()
            >>> "murders" in cat
            True
        """
        catalog = cls.builtin()
        catalog.load_plugins()
        return catalog

    # -- registration -----------------------------------------------------------------------

    def register(
        self, definition: MetricDefinition, *, replace: bool = False, exist_ok: bool = False
    ) -> MetricDefinition:
        """Add ``definition`` and return it.

        Registering an id again raises :class:`~civicinnov.errors.DuplicateMetricError` when the
        definition is the same (unless ``exist_ok``) and
        :class:`~civicinnov.errors.ConflictingMetricError` when it differs (unless ``replace``).
        A reference code already used by another metric also raises ``ConflictingMetricError``.

        Parameters:
            definition: the metric definition to add.
            replace: replace a different definition already registered under the same id.
            exist_ok: accept a definition identical to the one already registered (no-op).

        Returns:
            The definition now registered (the existing one when ``exist_ok`` lets an equal
            one pass).

        Raises:
            ValidationError: ``definition`` is not a MetricDefinition.
            DuplicateMetricError: the same definition is already registered and ``exist_ok`` is
                false.
            ConflictingMetricError: a different definition holds the id and ``replace`` is false, or
                another metric already holds one of its reference codes.

        Example:
            >>> cat = MetricCatalog.builtin()
            >>> cat.register(cat["murders"])
            Traceback (most recent call last):
            ...
            civicinnov.errors.DuplicateMetricError: metric 'murders' is already registered (the same definition); pass exist_ok=True to allow this
            >>> import attrs
            >>> cat.register(attrs.evolve(cat["murders"], unit="person"))
            Traceback (most recent call last):
            ...
            civicinnov.errors.ConflictingMetricError: metric 'murders' is already registered with a different definition (unit: incident -> person); pass replace=True to replace it
        """
        if not isinstance(definition, MetricDefinition):
            raise ValidationError(
                f"definition: expected a MetricDefinition, got {type(definition).__name__} "
                f"{definition!r}"
            )
        with self._lock:
            existing = self._by_id.get(definition.id)
            if existing is not None and not replace:
                if existing == definition:
                    if exist_ok:
                        return existing
                    raise DuplicateMetricError(
                        f"metric {definition.id!r} is already registered (the same definition); "
                        "pass exist_ok=True to allow this"
                    )
                raise ConflictingMetricError(
                    f"metric {definition.id!r} is already registered with a different definition "
                    f"({_diff(existing, definition)}); pass replace=True to replace it"
                )
            for ref in definition.references:
                owner = self._by_ref.get(ref.key)
                if owner is not None and owner != definition.id:
                    raise ConflictingMetricError(
                        f"metric {definition.id!r}: reference {ref.vocabulary}:{ref.code} already "
                        f"belongs to metric {owner!r}"
                    )
            if existing is not None:
                for ref in existing.references:
                    self._by_ref.pop(ref.key, None)
            self._by_id[definition.id] = definition
            for ref in definition.references:
                self._by_ref[ref.key] = definition.id
            return definition

    # -- lookup -----------------------------------------------------------------------------

    def get(self, metric_id: str) -> MetricDefinition:
        """The definition with ``metric_id``; :class:`~civicinnov.errors.UnknownIdError` (with
        suggestions) if there is none.

        Parameters:
            metric_id: the id of the metric.

        Returns:
            The registered :class:`MetricDefinition`.

        Raises:
            UnknownIdError: no metric has that id (the message suggests close ids).

        Example:
            >>> MetricCatalog.builtin().get("blighted-properties").direction
            <Direction.DECREASE: 'decrease'>
        """
        try:
            return self._by_id[metric_id]
        except (KeyError, TypeError):
            close = difflib.get_close_matches(str(metric_id), list(self._by_id), n=3)
            hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
            raise UnknownIdError(f"metric id {metric_id!r} is not in the catalogue{hint}") from None

    def __getitem__(self, metric_id: str) -> MetricDefinition:
        return self.get(metric_id)

    def __contains__(self, metric_id: object) -> bool:
        return metric_id in self._by_id

    def __iter__(self) -> Iterator[MetricDefinition]:
        return iter(list(self._by_id.values()))

    def __len__(self) -> int:
        return len(self._by_id)

    @property
    def ids(self) -> tuple[str, ...]:
        """Registered ids, in registration order.

        Example:
            >>> MetricCatalog.builtin().ids[-1]
            'homes-near-blight'
        """
        return tuple(self._by_id)

    def by_reference(self, vocabulary: str, code: str) -> MetricDefinition:
        """The definition carrying the reference ``(vocabulary, code)``.

        Raises :class:`~civicinnov.errors.UnknownIdError` if no definition carries it.

        Parameters:
            vocabulary: the reference vocabulary (e.g. ``"sdg"``, ``"iso37120"``).
            code: the indicator code within that vocabulary.

        Returns:
            The registered :class:`MetricDefinition` carrying that reference.

        Raises:
            UnknownIdError: no registered definition carries the reference.

        Example:
            >>> MetricCatalog.builtin().by_reference("sdg", "16.1.1").id
            'homicide-rate'
            >>> MetricCatalog.builtin().by_reference("iso37120", "99.9")
            Traceback (most recent call last):
            ...
            civicinnov.errors.UnknownIdError: no metric in the catalogue has reference iso37120:99.9
        """
        metric_id = self._by_ref.get((vocabulary, code))
        if metric_id is None:
            raise UnknownIdError(f"no metric in the catalogue has reference {vocabulary}:{code}")
        return self._by_id[metric_id]

    def with_vocabulary(self, vocabulary: str) -> list[MetricDefinition]:
        """Definitions with a reference in ``vocabulary``, in registration order.

        Parameters:
            vocabulary: the reference vocabulary to look for.

        Returns:
            A new list of the matching definitions (empty when none matches).

        Example:
            >>> len(MetricCatalog.builtin().with_vocabulary("iso37120")) >= 20
            True
        """
        return [d for d in self._by_id.values() if d.reference(vocabulary) is not None]

    # -- plug-ins ---------------------------------------------------------------------------

    @property
    def plugin_errors(self) -> tuple[PluginError, ...]:
        """Every plug-in that failed to load, as :class:`~civicinnov.errors.PluginError`.

        Example:
            >>> MetricCatalog().plugin_errors
            ()
        """
        return tuple(self._plugin_errors)

    def load_plugins(self, entry_points: Iterable[Any] | None = None) -> tuple[PluginError, ...]:
        """Load plug-in catalogues from the ``civicinnov.metrics`` entry-point group (or from
        ``entry_points``, objects with ``name``, ``value`` and ``load()``) and return the errors of
        this call.

        Each plug-in is all-or-nothing: if it fails to import, returns anything but definitions, or
        clashes with a registered definition, none of its definitions is registered, a
        :class:`~civicinnov.errors.PluginError` naming the plug-in is kept in
        :attr:`plugin_errors`, and a :class:`~civicinnov.errors.CivicWarning` is issued.

        Parameters:
            entry_points: the entry points to load; ``None`` reads the installed
                ``civicinnov.metrics`` group.

        Returns:
            A tuple of the :class:`~civicinnov.errors.PluginError` of the plug-ins that failed in
            this call (empty when all loaded); failures are reported, never raised.

        Example:
            >>> class EntryPoint:
            ...     name, value = "demo", "demo.metrics:definitions"
            ...     def load(self):
            ...         return lambda: [MetricDefinition(id="demo-trips", name="Trips",
            ...                                          unit="person")]
            >>> cat = MetricCatalog()
            >>> cat.load_plugins([EntryPoint()])
            ()
            >>> cat.ids
            ('demo-trips',)
        """
        if entry_points is None:
            from importlib.metadata import entry_points as find  # noqa: PLC0415 - only when asked for

            entry_points = find(group=ENTRY_POINT_GROUP)
        errors: list[PluginError] = []
        for ep in entry_points:
            name = getattr(ep, "name", "?")
            value = getattr(ep, "value", "?")
            try:
                definitions = _definitions_from(ep.load(), name)
                with self._lock:
                    trial = MetricCatalog()
                    trial._by_id = dict(self._by_id)
                    trial._by_ref = dict(self._by_ref)
                    for definition in definitions:
                        trial.register(definition, exist_ok=True)
                    self._by_id, self._by_ref = trial._by_id, trial._by_ref
            except Exception as exc:
                err = PluginError(
                    f"metric plug-in {name!r} ({value}) was not loaded: {type(exc).__name__}: {exc}"
                )
                err.__cause__ = exc
                errors.append(err)
                self._plugin_errors.append(err)
                warnings.warn(str(err), CivicWarning, stacklevel=2)
        return tuple(errors)


def _definitions_from(loaded: Any, name: str) -> list[MetricDefinition]:
    if callable(loaded) and not isinstance(loaded, (MetricDefinition, MetricCatalog, type)):
        loaded = _call(loaded)
    if isinstance(loaded, MetricDefinition):
        return [loaded]
    if isinstance(loaded, (str, bytes)) or not isinstance(loaded, Iterable):
        raise TypeError(
            f"expected definitions (a MetricDefinition, an iterable of them, or a callable "
            f"returning either), got {type(loaded).__name__}"
        )
    items = list(loaded)
    for i, item in enumerate(items):
        if not isinstance(item, MetricDefinition):
            raise TypeError(f"item {i} is {type(item).__name__}, not a MetricDefinition")
    return items


def _call(func: Callable[[], Any]) -> Any:
    return func()


def _diff(old: MetricDefinition, new: MetricDefinition) -> str:

    if type(old) is not type(new):
        return f"type: {type(old).__name__} -> {type(new).__name__}"
    changed = [
        f"{a.name}: {getattr(old, a.name)} -> {getattr(new, a.name)}"
        for a in attrs.fields(type(old))
        if getattr(old, a.name) != getattr(new, a.name)
    ]
    return "; ".join(changed[:3]) + (" ..." if len(changed) > 3 else "")
