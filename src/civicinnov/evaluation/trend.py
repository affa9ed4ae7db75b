"""A metric's straight-line trend, in units per unit of time, with its confidence interval.

:func:`trend` fits ordinary least squares to values against time (each period is placed at its
midpoint, in days) and reports the slope as a pint quantity per ``per`` (a year by default), with a
two-sided confidence interval from Student's *t* with *n* − 2 degrees of freedom; the usual
textbook estimator, e.g. J. M. Wooldridge, *Introductory Econometrics: A Modern Approach*, 7th ed.
(2019), §2.2 and §4.3 (interval for a coefficient) and §6.4 (prediction interval for a new value).
It assumes independent errors with constant variance; serially correlated monthly data make the
interval too narrow, so read it as a description, not a test.

:meth:`Trend.forecast` extends the line to other dates with pointwise prediction intervals; the
"turn the curve" comparison in :mod:`civicinnov.evaluation.progress` is built on it.

Everything is vectorised with numpy; scipy is imported only for the *t* quantile.

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

if TYPE_CHECKING:
    from numpy.typing import ArrayLike, NDArray

    from civicinnov.metrics import MetricSeries
    from civicinnov.units import Quantity, Unit

__all__ = ["Forecast", "Trend", "midpoints", "trend"]


def midpoints(series: MetricSeries) -> NDArray[np.float64]:
    """The midpoint of each row's period, in days since 1970-01-01 (vectorised).

    Example:
        >>> from civicinnov.metrics import MetricSeries
        >>> from civicinnov.periods import MONTH
        >>> s = MetricSeries(metric_id="m", place_id="p", period_type=MONTH, ordinals=[0],
        ...                  values=[1.0], unit="call")
        >>> midpoints(s).tolist()
        [15.0]
    """
    from civicinnov.periods import Frequency

    if series.period_type.frequency is Frequency.DAY:
        days: NDArray[np.float64] = series.ordinals.astype(np.float64)
        return days
    starts = series.period_type.starts(series.ordinals).astype(np.int64)
    ends = series.period_type.ends(series.ordinals).astype(np.int64)
    result: NDArray[np.float64] = (starts + ends) / 2.0
    return result


def _days(dates: Any) -> NDArray[np.float64]:
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

    ``intercept`` is the fitted value at ``origin`` (the first date with data). ``residual_sd`` is
    the residual standard deviation in the metric's unit; ``sxx`` the sum of squared deviations of
    the fitted dates (days²); ``mean_day`` their mean (days since 1970-01-01).

    Example:
        >>> import numpy as np
        >>> from civicinnov.units import as_quantity
        >>> t = trend(as_quantity(np.array([10.0, 12.0, 14.0]), "person"),
        ...           dates=["2020-01-01", "2021-01-01", "2022-01-01"])
        >>> round(t.slope.magnitude, 2), t.n, t.df
        (2.0, 3, 1)
    """

    slope: Quantity
    ci_low: Quantity
    ci_high: Quantity
    stderr: Quantity
    intercept: Quantity
    origin: dt.date
    end: dt.date
    n: int
    df: int
    level: float
    residual_sd: float
    sxx: float
    mean_day: float
    unit: Unit
    per: str

    def _per_day(self) -> float:
        from civicinnov.units import get_registry

        return float(get_registry().Quantity(1.0, f"1 / {self.per}").to("1 / day").magnitude)

    def value_at(self, dates: ArrayLike) -> Quantity:
        """The trend line's value at ``dates`` (dates, ``datetime64`` or ISO text).

        Example:
            >>> import numpy as np
            >>> from civicinnov.units import as_quantity
            >>> t = trend(as_quantity(np.array([10.0, 12.0, 14.0]), "person"),
            ...           dates=["2020-01-01", "2020-01-02", "2020-01-03"], per="day")
            >>> t.value_at(["2020-01-04"]).magnitude.round(6).tolist()
            [16.0]
        """
        from civicinnov.units import get_registry

        x = _days(dates)
        origin = float(np.datetime64(self.origin, "D").astype(np.float64))
        slope_per_day = float(self.slope.magnitude) * self._per_day()
        values = float(self.intercept.magnitude) + slope_per_day * (x - origin)
        return get_registry().Quantity(values, self.unit)

    def forecast(self, dates: ArrayLike) -> Forecast:
        """The trend extended to ``dates``, with ``level`` prediction intervals for a new value
        (Wooldridge 2019, §6.4: se² = s² (1 + 1/n + (x − x̄)² / Sxx)).

        Example:
            >>> import numpy as np
            >>> from civicinnov.units import as_quantity
            >>> t = trend(as_quantity(np.array([1.0, 2.0, 3.2, 3.9]), "call"),
            ...           dates=["2024-01-01", "2024-01-02", "2024-01-03", "2024-01-04"], per="day")
            >>> f = t.forecast(["2024-01-10"])
            >>> bool(f.low.magnitude[0] < f.value.magnitude[0] < f.high.magnitude[0])
            True
        """
        from civicinnov.units import get_registry

        x = np.atleast_1d(_days(dates))
        value = self.value_at(x.astype("datetime64[D]"))
        se = self.residual_sd * np.sqrt(1 + 1 / self.n + (x - self.mean_day) ** 2 / self.sxx)
        half = _t_quantile(self.level, self.df) * se
        q = get_registry().Quantity
        mag = np.asarray(value.magnitude, dtype=np.float64)
        return Forecast(
            dates=x.astype("datetime64[D]"),
            value=value,
            low=q(mag - half, self.unit),
            high=q(mag + half, self.unit),
            level=self.level,
        )

    def mean_gap_se(self, days: NDArray[np.float64]) -> float:
        """Standard error of the mean of new values at ``days`` minus the mean of the line there
        (the prediction error of a mean of *m* new values: s² (1/m + 1/n + (x̄ₘ − x̄)² / Sxx)).

        Example:
            >>> import numpy as np
            >>> from civicinnov.units import as_quantity
            >>> t = trend(as_quantity(np.array([1.0, 2.0, 3.2, 3.9]), "call"),
            ...           dates=["2024-01-01", "2024-01-02", "2024-01-03", "2024-01-04"], per="day")
            >>> t.mean_gap_se(np.array([19730.0, 19731.0])) > 0
            True
        """
        m = len(days)
        xm = float(np.mean(days))
        return float(
            self.residual_sd * np.sqrt(1 / m + 1 / self.n + (xm - self.mean_day) ** 2 / self.sxx)
        )

    def __str__(self) -> str:
        unit = self.slope.units
        return (
            f"trend {float(self.slope.magnitude):+.3g} {unit} ({self.level:.0%} CI "
            f"{float(self.ci_low.magnitude):.3g} to {float(self.ci_high.magnitude):.3g}), "
            f"n={self.n} from {self.origin} to {self.end}"
        )


def _t_quantile(level: float, df: int) -> float:
    from scipy import stats

    return float(stats.t.ppf(0.5 + level / 2, df))


def trend(
    values: MetricSeries | Quantity,
    *,
    dates: ArrayLike | None = None,
    per: str = "year",
    level: float = 0.95,
) -> Trend:
    """Fit a straight line to ``values`` over time by ordinary least squares.

    ``values`` is a :class:`~civicinnov.metrics.MetricSeries` (each period placed at its
    midpoint; a disaggregated series uses its total rows) or a quantity array with ``dates``.
    Missing values (``NaN``) are left out. The slope is reported in the values' unit per ``per``
    (``"year"``, ``"month"``, ``"day"``, ...).

    Raises :class:`~civicinnov.errors.EstimationError` with fewer than 3 values or when all fall
    on one date; :class:`~civicinnov.errors.ValidationError` for a ``level`` outside (0, 1).

    Example:
        >>> import numpy as np
        >>> from civicinnov.units import as_quantity
        >>> trend(as_quantity(np.array([1.0, 2.0]), "call"), dates=["2024-01-01", "2024-02-01"])
        Traceback (most recent call last):
        ...
        civicinnov.errors.EstimationError: trend: need at least 3 values that are not missing to fit a line with an interval, got 2
    """
    from civicinnov.metrics import MetricSeries
    from civicinnov.units import as_quantity, get_registry

    if not 0 < level < 1:
        raise ValidationError(f"level: expected a confidence level between 0 and 1, got {level!r}")
    if isinstance(values, MetricSeries):
        if dates is not None:
            raise ValidationError("dates: a MetricSeries carries its own periods; omit dates")
        series = values.total()
        x = midpoints(series)
        y = np.asarray(series.values, dtype=np.float64)
        unit = series.unit
    else:
        if dates is None:
            raise ValidationError("dates: give the date of each value (or pass a MetricSeries)")
        q = as_quantity(values, where="values")
        y = np.atleast_1d(np.asarray(q.magnitude, dtype=np.float64))
        unit = q.units  # type: ignore[assignment]
        x = np.atleast_1d(_days(dates))
        if x.shape != y.shape:
            raise SeriesError(
                f"dates: expected {y.shape[0]} dates (one per value), got {x.shape[0]}"
            )
    keep = ~np.isnan(y)
    if not keep.all():
        x, y = x[keep], y[keep]
    n = int(x.size)
    if n < 3:
        raise EstimationError(
            "trend: need at least 3 values that are not missing to fit a line with an interval, "
            f"got {n}"
        )
    origin = float(x.min())
    xm = float(x.mean())
    ym = float(y.mean())
    dx = x - xm
    yc = y - ym
    sxx = float(dx @ dx)
    if sxx == 0:
        raise EstimationError(f"trend: all {n} values fall on one date; a slope needs spread")
    b = float(dx @ yc) / sxx
    a = ym + b * (origin - xm)  # the line's value at the origin
    dx *= b
    yc -= dx  # residuals, computed in place
    df = n - 2
    s2 = float(yc @ yc) / df
    se_b = (s2 / sxx) ** 0.5
    crit = _t_quantile(level, df)
    registry = get_registry()
    per_unit = registry.Quantity(1.0, f"{unit} / day").to(f"{unit} / {per}")
    factor = float(per_unit.magnitude)
    slope_unit = per_unit.units

    def q_(value: float) -> Quantity:
        return registry.Quantity(value * factor, slope_unit)

    return Trend(
        slope=q_(b),
        ci_low=q_(b - crit * se_b),
        ci_high=q_(b + crit * se_b),
        stderr=q_(se_b),
        intercept=registry.Quantity(a, unit),
        origin=_date(origin),
        end=_date(float(x.max())),
        n=n,
        df=df,
        level=level,
        residual_sd=s2**0.5,
        sxx=sxx,
        mean_day=xm,
        unit=unit,
        per=per,
    )
