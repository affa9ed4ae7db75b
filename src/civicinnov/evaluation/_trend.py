"""A metric's straight-line trend, in units per unit of time, with its confidence interval.

:func:`trend` fits ordinary least squares to values against time (each period is placed at its
midpoint, in days) and reports the slope as a pint quantity per ``per`` (a year by default), with a
two-sided confidence interval from Student's *t* with *n* − 2 degrees of freedom; the usual
textbook estimator, e.g. J. M. Wooldridge, *Introductory Econometrics: A Modern Approach*, 7th ed.
(2019), §2.2 and §4.3 (interval for a coefficient) and §6.4 (prediction interval for a new value).
It assumes independent errors with constant variance; serially correlated monthly data make the
interval too narrow, so read it as a description, not a test.

:meth:`Trend.forecast` extends the line to other dates with pointwise prediction intervals; the
"turn the curve" comparison in :mod:`civicinnov.evaluation` is built on it.

With ``time="periods"`` the line is fitted on the series' period ordinals instead of dates
(evenly spaced: one per year, quarter, month...), so the slope is exactly *per period*; it is
reported per ``per`` (by default the period itself, and a year for quarters and halves, whose
conversion is exact), e.g. an annual series gives the same slope as a regression on the years.

A :class:`Trend` is shaped like the other estimates: ``se``, ``n_obs``, ``terms`` (``const``
and ``slope``) and ``r2``; the fit goes through the regression core
(:func:`civicinnov.evaluation.regress`).

Example:
    >>> import numpy as np
    >>> from civicinnov.metrics import MetricDefinition
    >>> from civicinnov.metrics import MetricSeries
    >>> from civicinnov.periods import YEAR
    >>> d = MetricDefinition(id="murders", name="Murders", unit="incident")
    >>> s = MetricSeries.from_records(d, place_id="nola", period_type=YEAR,
    ...     records=[("2019", 120), ("2020", 112), ("2021", 101), ("2022", 95), ("2023", 84)])
    >>> t = trend(s)
    >>> round(t.slope.magnitude, 1), str(t.slope.units)
    (-8.9, 'incident / year')
    >>> print(t)
    trend -8.9 incident / year (95% CI -10.2 to -7.59), n=5 from 2019-07-02 to 2023-07-02
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np

from civicinnov.errors import EstimationError, SeriesError, ValidationError
from civicinnov.evaluation._regression import fit_ols, named_columns, t_quantile
from civicinnov.evaluation._results import Estimate
from civicinnov.metrics import MetricSeries
from civicinnov.periods import Frequency, PeriodType
from civicinnov.units import as_quantity, get_registry

if TYPE_CHECKING:
    from numpy.typing import ArrayLike, NDArray

    from civicinnov.units import Quantity, Unit

__all__ = ["Forecast", "Trend", "days_since_epoch", "midpoints", "trend"]

# the length of one period, as (count, pint unit): month-based periods are exact in months
_SPAN = {
    Frequency.DAY: (1, "day"),
    Frequency.WEEK: (1, "week"),
    Frequency.MONTH: (1, "month"),
    Frequency.QUARTER: (3, "month"),
    Frequency.HALF: (6, "month"),
    Frequency.YEAR: (1, "year"),
    Frequency.FISCAL_YEAR: (1, "year"),
}
_NATURAL_PER = {
    Frequency.DAY: "day",
    Frequency.WEEK: "week",
    Frequency.MONTH: "month",
    Frequency.QUARTER: "year",
    Frequency.HALF: "year",
    Frequency.YEAR: "year",
    Frequency.FISCAL_YEAR: "year",
}


def midpoints(series: MetricSeries) -> NDArray[np.float64]:
    """The midpoint of each row's period, in days since 1970-01-01 (vectorised).

    Parameters:
        series: the series whose periods are read.

    Returns:
        A float array with one midpoint per row (a day's own day number for a daily series).

    Example:
        >>> from civicinnov.metrics import MetricSeries
        >>> from civicinnov.periods import MONTH
        >>> s = MetricSeries(metric_id="m", place_id="p", period_type=MONTH, ordinals=[0],
        ...                  values=[1.0], unit="call")
        >>> midpoints(s).tolist()
        [15.0]
    """
    if series.period_type.frequency is Frequency.DAY:
        days: NDArray[np.float64] = series.ordinals.astype(np.float64)
        return days
    starts = series.period_type.starts(series.ordinals).astype(np.int64)
    ends = series.period_type.ends(series.ordinals).astype(np.int64)
    result: NDArray[np.float64] = (starts + ends) / 2.0
    return result


def days_since_epoch(dates: Any) -> NDArray[np.float64]:
    """Dates (``datetime.date``, ``datetime64`` or ISO text) as days since 1970-01-01.

    Raises:
        ValidationError: values that are not dates.

    Example:
        >>> days_since_epoch(["1970-01-02", "1971-01-01"]).tolist()
        [1.0, 365.0]
    """
    if isinstance(dates, dt.date) and not isinstance(dates, dt.datetime):
        dates = np.datetime64(dates, "D")
    arr = np.asarray(dates)
    if np.issubdtype(arr.dtype, np.datetime64):
        days: NDArray[np.float64] = arr.astype("datetime64[D]").astype(np.float64)
        return days
    try:
        return np.asarray(np.asarray(dates, dtype="datetime64[D]").astype(np.float64))
    except (TypeError, ValueError):
        raise ValidationError(f"dates: expected dates or ISO date text, got {dates!r}") from None


def _date(days: float) -> dt.date:
    return dt.date(1970, 1, 1) + dt.timedelta(days=float(days))


@attrs.frozen(kw_only=True)
class Forecast:
    """Values of a trend line at some dates, with pointwise prediction intervals.

    Example:
        >>> import numpy as np
        >>> from civicinnov.units import as_quantity
        >>> t = trend(as_quantity(np.array([1.0, 2.1, 2.9, 4.0]), "call"),
        ...           dates=["2024-01-01", "2024-01-02", "2024-01-03", "2024-01-04"], per="day")
        >>> f = t.forecast(["2024-01-05"])
        >>> round(float(f.value.magnitude[0]), 2)
        4.95
    """

    dates: NDArray[np.datetime64] = attrs.field(eq=attrs.cmp_using(eq=np.array_equal))
    value: Quantity
    low: Quantity
    high: Quantity
    level: float

    def __str__(self) -> str:
        if len(self.dates) == 0:
            return "forecast of no dates"
        unit = self.value.units
        return (
            f"forecast {float(self.value.magnitude[-1]):.3g} {unit} on {self.dates[-1]} "
            f"({self.level:.0%} PI {float(self.low.magnitude[-1]):.3g} to "
            f"{float(self.high.magnitude[-1]):.3g}), {len(self.dates)} dates"
        )


@attrs.frozen(kw_only=True)
class Trend:
    """A fitted straight-line trend: the slope in units per time and what was used to fit it.

    ``intercept`` is the fitted value at ``origin`` (the first date with data). ``se`` is the
    slope's standard error (same unit as the slope), ``n_obs`` the values used, ``terms`` the
    two coefficients (``const`` at the origin and ``slope``, in the fitted time unit: days, or
    periods with ``time="periods"``) and ``r2`` the fit's R². ``residual_sd`` is the residual
    standard deviation in the metric's unit; ``sxx`` the sum of squared deviations of the fitted
    times and ``mean_day`` their mean (days since 1970-01-01, or period ordinals).

    Example:
        >>> import numpy as np
        >>> from civicinnov.units import as_quantity
        >>> t = trend(as_quantity(np.array([10.0, 12.0, 14.0]), "person"),
        ...           dates=["2020-01-01", "2021-01-01", "2022-01-01"])
        >>> round(t.slope.magnitude, 2), t.n_obs, t.df, round(t.r2, 3)
        (2.0, 3, 1, 1.0)
    """

    slope: Quantity
    ci_low: Quantity
    ci_high: Quantity
    se: Quantity
    intercept: Quantity
    origin: dt.date
    end: dt.date
    n_obs: int
    df: int
    level: float
    residual_sd: float
    sxx: float
    mean_day: float
    unit: Unit
    per: str
    terms: tuple[Estimate, ...] = ()
    r2: float = float("nan")
    convention: str = "iid"
    time: str = "dates"
    period_type: PeriodType | None = None
    controls: tuple[str, ...] = ()

    @property
    def stderr(self) -> Quantity:
        """The slope's standard error (the older name of :attr:`se`).

        Example:
            >>> import numpy as np
            >>> from civicinnov.units import as_quantity
            >>> t = trend(as_quantity(np.array([1.0, 2.5, 3.0]), "call"),
            ...           dates=["2024-01-01", "2024-01-02", "2024-01-03"], per="day")
            >>> t.stderr == t.se
            True
        """
        return self.se

    @property
    def n(self) -> int:
        """The number of values used (the older name of :attr:`n_obs`).

        Example:
            >>> import numpy as np
            >>> from civicinnov.units import as_quantity
            >>> trend(as_quantity(np.array([1.0, 2.5, 3.0]), "call"),
            ...       dates=["2024-01-01", "2024-01-02", "2024-01-03"]).n
            3
        """
        return self.n_obs

    def term(self, name: str) -> Estimate:
        """Return the coefficient ``const`` or ``slope`` (per day, or per period).

        Parameters:
            name: the coefficient's name, ``"const"`` or ``"slope"``.

        Returns:
            The :class:`Estimate` with that name.

        Raises:
            KeyError: another name.

        Example:
            >>> import numpy as np
            >>> from civicinnov.units import as_quantity
            >>> t = trend(as_quantity(np.array([1.0, 2.0, 3.0]), "call"),
            ...           dates=["2024-01-01", "2024-01-02", "2024-01-03"], per="day")
            >>> round(t.term("slope").value, 6)
            1.0
        """
        for est in self.terms:
            if est.name == name:
                return est
        raise KeyError(f"no term {name!r}; known terms: {[e.name for e in self.terms]}")

    def _x(self, dates: Any) -> NDArray[np.float64]:
        """Dates on the fitted time axis (days, or the ordinals of the periods holding them)."""
        if self.controls:
            raise EstimationError(
                f"trend: the line depends on the controls {list(self.controls)} as well as on "
                "time; values and forecasts need their values too (use the terms instead)"
            )
        days = np.atleast_1d(days_since_epoch(dates))
        if self.time == "periods" and self.period_type is not None:
            out: NDArray[np.float64] = self.period_type.ordinals_of(
                days.astype("datetime64[D]")
            ).astype(np.float64)
            return out
        return days

    def _slope_per_x(self) -> float:
        return self.terms[1].value if self.terms else float("nan")

    def value_at(self, dates: ArrayLike) -> Quantity:
        """The trend line's value at ``dates`` (dates, ``datetime64`` or ISO text).

        With ``time="periods"`` a date takes the value of the period that holds it.

        Parameters:
            dates: the dates to evaluate the line at.

        Returns:
            A quantity array in the trend's unit, one value per date.

        Raises:
            EstimationError: the trend was fitted with controls.

        Example:
            >>> import numpy as np
            >>> from civicinnov.units import as_quantity
            >>> t = trend(as_quantity(np.array([10.0, 12.0, 14.0]), "person"),
            ...           dates=["2020-01-01", "2020-01-02", "2020-01-03"], per="day")
            >>> t.value_at(["2020-01-04"]).magnitude.round(6).tolist()
            [16.0]
        """
        x = self._x(dates)
        values = self.terms[0].value + self._slope_per_x() * (x - self.mean_day)
        return get_registry().Quantity(values, self.unit)

    def forecast(self, dates: ArrayLike) -> Forecast:
        """The trend extended to ``dates``, with ``level`` prediction intervals for a new value
        (Wooldridge 2019, §6.4: se² = s² (1 + 1/n + (x − x̄)² / Sxx)).

        Parameters:
            dates: the dates to forecast (dates, ``datetime64`` or ISO text).

        Returns:
            A :class:`Forecast` with the value and the interval bounds per date, at the trend's
            ``level``.

        Raises:
            EstimationError: the trend was fitted with controls.

        Example:
            >>> import numpy as np
            >>> from civicinnov.units import as_quantity
            >>> t = trend(as_quantity(np.array([1.0, 2.0, 3.2, 3.9]), "call"),
            ...           dates=["2024-01-01", "2024-01-02", "2024-01-03", "2024-01-04"], per="day")
            >>> f = t.forecast(["2024-01-10"])
            >>> bool(f.low.magnitude[0] < f.value.magnitude[0] < f.high.magnitude[0])
            True
        """
        days = np.atleast_1d(days_since_epoch(dates))
        x = self._x(days.astype("datetime64[D]"))
        value = self.value_at(days.astype("datetime64[D]"))
        se = self.residual_sd * np.sqrt(1 + 1 / self.n_obs + (x - self.mean_day) ** 2 / self.sxx)
        half = t_quantile(self.level, self.df) * se
        q = get_registry().Quantity
        mag = np.asarray(value.magnitude, dtype=np.float64)
        return Forecast(
            dates=days.astype("datetime64[D]"),
            value=value,
            low=q(mag - half, self.unit),
            high=q(mag + half, self.unit),
            level=self.level,
        )

    def mean_gap_se(self, days: NDArray[np.float64]) -> float:
        """Standard error of the mean of new values at ``days`` minus the mean of the line there
        (the prediction error of a mean of *m* new values: s² (1/m + 1/n + (x̄ₘ − x̄)² / Sxx)).

        ``days`` are on the fitted time axis (days since 1970-01-01 for a trend on dates).

        Parameters:
            days: the times of the *m* new values on the fitted axis.

        Returns:
            The standard error, in the trend's unit.

        Raises:
            EstimationError: the trend was fitted with controls.

        Example:
            >>> import numpy as np
            >>> from civicinnov.units import as_quantity
            >>> t = trend(as_quantity(np.array([1.0, 2.0, 3.2, 3.9]), "call"),
            ...           dates=["2024-01-01", "2024-01-02", "2024-01-03", "2024-01-04"], per="day")
            >>> t.mean_gap_se(np.array([19730.0, 19731.0])) > 0
            True
        """
        self._x([])  # refuses a trend with controls
        m = len(days)
        xm = float(np.mean(days))
        return float(
            self.residual_sd
            * np.sqrt(1 / m + 1 / self.n_obs + (xm - self.mean_day) ** 2 / self.sxx)
        )

    def __str__(self) -> str:
        unit = self.slope.units
        return (
            f"trend {float(self.slope.magnitude):+.3g} {unit} ({self.level:.0%} CI "
            f"{float(self.ci_low.magnitude):.3g} to {float(self.ci_high.magnitude):.3g}), "
            f"n={self.n_obs} from {self.origin} to {self.end}"
        )


def trend(
    values: MetricSeries | Quantity,
    *,
    dates: ArrayLike | None = None,
    per: str | None = None,
    level: float = 0.95,
    time: str = "dates",
    controls: Any = None,
) -> Trend:
    """Fit a straight line to ``values`` over time by ordinary least squares.

    ``values`` is a :class:`~civicinnov.metrics.MetricSeries` or a quantity array with
    ``dates``. Missing values (``NaN``) are left out. With ``time="dates"`` (the default) each
    value sits at its date (a series' period at its midpoint; a disaggregated series uses its
    total rows) and the slope is reported per ``per`` (``"year"`` by default; ``"month"``,
    ``"day"``...). With ``time="periods"`` (series only) the line is fitted on the period
    ordinals, evenly spaced, and the slope is per period, reported per ``per`` (by default the
    period: ``"year"``, ``"month"``, ``"week"``, ``"day"``; a year for quarters and halves).

    Args:
        values: a series, or a quantity array.
        dates: the date of each value (quantity arrays only).
        per: the time unit of the reported slope.
        level: coverage of the confidence interval.
        time: ``"dates"`` or ``"periods"``.
        controls: covariates held constant: a mapping of name to one value per input value
            (arrays, quantities, :class:`~civicinnov.metrics.MetricSeries`, pandas
            Series) or a pandas DataFrame; the slope is then the trend given the controls
            (``linvpc ~ t + lprice``), the terms include them, and the line has no values or
            forecasts of its own.

    Returns:
        A :class:`Trend`.

    Raises:
        EstimationError: fewer than 3 values, or all at one time.
        ValidationError: a ``level`` outside (0, 1), ``dates`` missing or given twice, an
            unknown ``time``, ``time="periods"`` without a series.
        SeriesError: as many dates as values expected.

    Example:
        >>> import numpy as np
        >>> from civicinnov.units import as_quantity
        >>> trend(as_quantity(np.array([1.0, 2.0]), "call"), dates=["2024-01-01", "2024-02-01"])
        Traceback (most recent call last):
        ...
        civicinnov.errors.EstimationError: trend: need at least 3 values that are not missing to fit a line with an interval, got 2
    """
    if not 0 < level < 1:
        raise ValidationError(f"level: expected a confidence level between 0 and 1, got {level!r}")
    if time not in ("dates", "periods"):
        raise ValidationError(f"time: expected 'dates' or 'periods', got {time!r}")
    period_type: PeriodType | None = None
    if isinstance(values, MetricSeries):
        if dates is not None:
            raise ValidationError("dates: a MetricSeries carries its own periods; omit dates")
        series = values.total()
        y = np.asarray(series.values, dtype=np.float64)
        unit = series.unit
        days = midpoints(series)
        if time == "periods":
            period_type = series.period_type
            x = series.ordinals.astype(np.float64)
        else:
            x = days
    else:
        if time == "periods":
            raise ValidationError("time: 'periods' needs a MetricSeries (periods to count)")
        if dates is None:
            raise ValidationError("dates: give the date of each value (or pass a MetricSeries)")
        q = as_quantity(values, where="values")
        y = np.atleast_1d(np.asarray(q.magnitude, dtype=np.float64))
        unit = q.units  # type: ignore[assignment]
        x = days = np.atleast_1d(days_since_epoch(dates))
        if x.shape != y.shape:
            raise SeriesError(
                f"dates: expected {y.shape[0]} dates (one per value), got {x.shape[0]}"
            )
    ctrl_names, ctrl_cols = named_columns(controls, int(y.shape[0]))
    if "const" in ctrl_names or "slope" in ctrl_names:
        raise ValidationError("controls: 'const' and 'slope' name the line's own terms")
    ctrl = np.column_stack(ctrl_cols) if ctrl_cols else np.empty((y.shape[0], 0))
    keep = ~np.isnan(y) & np.isfinite(ctrl).all(axis=1)
    if not keep.all():
        x, y, days, ctrl = x[keep], y[keep], days[keep], ctrl[keep]
    n = int(x.size)
    if n < 3:
        raise EstimationError(
            "trend: need at least 3 values that are not missing to fit a line with an interval, "
            f"got {n}"
        )
    xm = float(x.mean())
    dx = x - xm
    sxx = float(dx @ dx)
    if sxx == 0:
        raise EstimationError(f"trend: all {n} values fall on one date; a slope needs spread")
    # centred time: the intercept is the line's value at the mean time (well conditioned)
    fit = fit_ols(
        y,
        np.column_stack([np.ones(n), dx, ctrl]),
        ["const", "slope", *ctrl_names],
        has_intercept=True,
        level=level,
        outcome_unit=unit,
    )
    b = float(fit.coef[1])
    se_b = float(fit.se[1])
    df = int(fit.df_resid)
    if df < 1:
        raise EstimationError(
            f"trend: {n} values for {2 + len(ctrl_names)} coefficients; an interval needs more"
        )
    s2 = fit.rss / df
    a = float(fit.coef[0]) + b * (float(x.min()) - xm)  # the line's value at the origin
    crit = t_quantile(level, df)
    registry = get_registry()
    if time == "periods":
        assert period_type is not None
        count, span_unit = _SPAN[period_type.frequency]
        per = per or _NATURAL_PER[period_type.frequency]
        per_unit = registry.Quantity(1.0 / count, f"{unit} / {span_unit}").to(f"{unit} / {per}")
    else:
        per = per or "year"
        per_unit = registry.Quantity(1.0, f"{unit} / day").to(f"{unit} / {per}")
    factor = float(per_unit.magnitude)
    slope_unit = per_unit.units

    def q_(value: float) -> Quantity:
        return registry.Quantity(value * factor, slope_unit)

    return Trend(
        slope=q_(b),
        ci_low=q_(b - crit * se_b),
        ci_high=q_(b + crit * se_b),
        se=q_(se_b),
        intercept=registry.Quantity(a, unit),
        origin=_date(float(days.min())),
        end=_date(float(days.max())),
        n_obs=n,
        df=df,
        level=level,
        residual_sd=s2**0.5,
        sxx=sxx,
        mean_day=xm,
        unit=unit,
        per=per,
        terms=fit.terms,
        r2=fit.r2,
        convention=fit.convention,
        time=time,
        period_type=period_type,
        controls=tuple(ctrl_names),
    )
