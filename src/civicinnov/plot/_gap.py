"""The synthetic-control chart: the treated place against its synthetic control, and the gap.

:func:`plot_gap` draws any result that has the attributes of :class:`GapData` (a synthetic
control fit from :mod:`civicinnov.evaluation`, or one of the user's own), or plain arrays given
by keyword. The layout follows Abadie, Diamond and Hainmueller ("Synthetic control methods for
comparative case studies", *JASA* 105(490), 2010, figures 2 and 3): the two paths above, the gap
below, the start of the treatment marked on both.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

import numpy as np
from numpy.typing import NDArray

from civicinnov.errors import ValidationError
from civicinnov.i18n import translator
from civicinnov.plot._figure import caption, locale_ticks, new_figure, unit_text

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from civicinnov.units import Unit

__all__ = ["GapData", "SyntheticPaths", "plot_gap"]


@runtime_checkable
class GapData(Protocol):
    """What :func:`plot_gap` reads from a synthetic-control result.

    Attributes:
        periods: the periods, in order: numbers (years), dates (``datetime64`` or
            :class:`datetime.date`) or period labels (text such as ``"2017-Q1"``).
        treated: the treated unit's outcome in each period (an array, or a pint Quantity).
        synthetic: the synthetic control's outcome in each period (same length).
        gap: ``treated − synthetic`` in each period (``None``: computed here).
        unit: the outcome's unit (a pint unit or unit text).
        treatment_start: the first treated period, a value of the same kind as ``periods``.

    Example:
        >>> import attrs
        >>> @attrs.frozen
        ... class Fit:
        ...     periods: list[int]; treated: list[float]; synthetic: list[float]
        ...     gap: list[float] | None; unit: str; treatment_start: int
        >>> isinstance(Fit([1, 2], [1.0, 2.0], [1.0, 1.5], None, "case", 2), GapData)
        True
    """

    @property
    def periods(self) -> Any: ...
    @property
    def treated(self) -> Any: ...
    @property
    def synthetic(self) -> Any: ...
    @property
    def gap(self) -> Any: ...
    @property
    def unit(self) -> Any: ...
    @property
    def treatment_start(self) -> Any: ...


@runtime_checkable
class SyntheticPaths(Protocol):
    """The attributes :func:`plot_gap` reads from :mod:`civicinnov.evaluation`'s synthetic-control results.

    Attributes:
        periods: the periods, in order.
        treated_path: the treated unit's outcome in each period.
        synthetic_path: the synthetic control's outcome in each period.
        gap: the gap in each period (a pint Quantity or an array).
        outcome_unit: the outcome's unit.
        adoption: the first treated period.

    Example:
        >>> import attrs
        >>> @attrs.frozen
        ... class Fit:
        ...     periods: list[int]; treated_path: list[float]; synthetic_path: list[float]
        ...     gap: list[float]; outcome_unit: str; adoption: int
        >>> isinstance(Fit([1, 2], [1.0, 2.0], [1.0, 1.5], [0.0, 0.5], "case", 2), SyntheticPaths)
        True
    """

    @property
    def periods(self) -> Any: ...
    @property
    def treated_path(self) -> Any: ...
    @property
    def synthetic_path(self) -> Any: ...
    @property
    def gap(self) -> Any: ...
    @property
    def outcome_unit(self) -> Any: ...
    @property
    def adoption(self) -> Any: ...


#: Attribute names read before the protocol's own: a synthetic-control result of
#: :mod:`civicinnov.evaluation` keeps the treated unit's ids in ``treated`` and its outcome path in
#: ``treated_path``, the first treated period in ``adoption``, the unit in ``outcome_unit``.
_ALIASES: dict[str, tuple[str, ...]] = {
    "treated": ("treated_path",),
    "synthetic": ("synthetic_path",),
    "unit": ("outcome_unit",),
    "treatment_start": ("adoption",),
}


def _values(values: Any, where: str, unit: Any) -> tuple[NDArray[np.float64], Any]:
    magnitude = getattr(values, "magnitude", None)
    if magnitude is not None:  # a pint Quantity: its unit unless one was given
        unit = unit if unit is not None else values.units
        values = magnitude
    try:
        arr = np.asarray(values, dtype=np.float64).reshape(-1)
    except (TypeError, ValueError):
        raise ValidationError(f"{where}: expected numbers, got {values!r:.80}") from None
    return arr, unit


def _positions(periods: Any, start: Any) -> tuple[Any, Any, list[str] | None]:
    items = list(periods)
    if items and all(isinstance(p, str) for p in items):
        if start not in items:
            raise ValidationError(
                f"treatment_start: expected one of the periods {items[:3]}..., got {start!r}"
            )
        return np.arange(len(items)), items.index(start) - 0.5, items
    if items and isinstance(items[0], dt.date | np.datetime64):
        return np.asarray(items, dtype="datetime64[D]"), np.datetime64(start, "D"), None
    try:
        return np.asarray(items, dtype=np.float64), float(start), None
    except (TypeError, ValueError):
        raise ValidationError(
            "periods, treatment_start: expected numbers, dates or period labels, got "
            f"{items[:3]!r}... and {start!r}"
        ) from None


def plot_gap(
    result: GapData | SyntheticPaths | None = None,
    *,
    periods: Any = None,
    treated: Any = None,
    synthetic: Any = None,
    gap: Any = None,
    unit: Unit | str | None = None,
    treatment_start: Any = None,
    place: str | None = None,
    outcome: str | None = None,
    lang: str = "en",
) -> Figure:
    """Draw a synthetic-control fit: the treated place and its synthetic control, then the gap.

    Give either ``result`` or the arrays by keyword; a keyword given with ``result`` replaces
    that attribute. ``result`` is any object with the attributes of :class:`GapData`, or a
    synthetic-control (or synthetic difference-in-differences) result of
    :mod:`civicinnov.evaluation`, read through its ``treated_path``, ``synthetic_path``, ``gap``,
    ``outcome_unit`` and ``adoption`` (those names are read first when present, so a result whose
    ``treated`` holds unit ids is drawn by its paths; see :class:`SyntheticPaths`). The upper panel draws the
    treated place's outcome and its synthetic control's, the lower one the gap (treated minus
    synthetic) around a zero line; a dotted line marks ``treatment_start`` on both. Periods that
    are text labels are placed one per step, with the line between the last period before the
    treatment and the first one of it.

    Parameters:
        result: the fit.
        periods, treated, synthetic, gap, unit, treatment_start: as in :class:`GapData`.
        place: the treated place's name, for the titles (default "Treated").
        outcome: the outcome's name, for the y axes (default the unit alone).
        lang: the language of the labels.

    Returns:
        The figure: ``fig.axes[0]`` the paths, ``fig.axes[1]`` the gap.

    Raises:
        ValidationError: a missing field, arrays of different lengths, values that are not
            numbers, a treatment start outside text periods, or an unknown language.
        ImportError: matplotlib is not installed.

    Example:
        >>> fig = plot_gap(periods=[2014, 2015, 2016, 2017, 2018], treated=[10, 11, 12, 9, 8],
        ...                synthetic=[10, 11, 12, 12.5, 13], unit="incident", treatment_start=2017,
        ...                place="Mulhouse", lang="fr")
        >>> top, bottom = fig.axes
        >>> top.get_title(), bottom.get_title()
        ('Mulhouse et son contrôle synthétique', 'Écart\\xa0: Mulhouse moins son contrôle synthétique')
        >>> bottom.get_lines()[0].get_ydata().tolist()
        [0.0, 0.0, 0.0, -3.5, -5.0]
    """
    _ = translator(lang)
    fields: dict[str, Any] = {
        "periods": periods,
        "treated": treated,
        "synthetic": synthetic,
        "gap": gap,
        "unit": unit,
        "treatment_start": treatment_start,
    }
    if result is not None:
        for name in fields:
            if fields[name] is None:
                # the evaluation layer's results name them treated_path, adoption, ...
                for attribute in (*_ALIASES.get(name, ()), name):
                    if getattr(result, attribute, None) is not None:
                        fields[name] = getattr(result, attribute)
                        break
    missing = [
        n for n in ("periods", "treated", "synthetic", "treatment_start") if fields[n] is None
    ]
    if missing:
        raise ValidationError(
            f"plot_gap: expected {', '.join(missing)} (from result or given by keyword), got none"
        )
    y1, found_unit = _values(fields["treated"], "treated", fields["unit"])
    y0, found_unit = _values(fields["synthetic"], "synthetic", found_unit)
    if fields["gap"] is None:
        diff = y1 - y0 if len(y1) == len(y0) else np.full(len(y1), np.nan)
    else:
        diff, _unused = _values(fields["gap"], "gap", found_unit)
    x, start, labels = _positions(fields["periods"], fields["treatment_start"])
    lengths = {"periods": len(x), "treated": len(y1), "synthetic": len(y0), "gap": len(diff)}
    if len(set(lengths.values())) != 1:
        raise ValidationError(
            f"periods, treated, synthetic, gap: expected one length, got {lengths}"
        )
    text_unit = unit_text(found_unit, lang) if found_unit is not None else ""
    who = place if place is not None else _("Treated")
    axis = f"{outcome} ({text_unit})" if outcome and text_unit else outcome or text_unit

    fig = new_figure((6.6, 6.0))
    top, bottom = fig.subplots(2, 1, sharex=True, height_ratios=(3, 2))
    (line1,) = top.plot(x, y1, "-", color="#D55E00", linewidth=1.8, label=who)
    line1.set_gid("treated")
    (line0,) = top.plot(x, y0, "--", color="#0072B2", linewidth=1.8, label=_("Synthetic control"))
    line0.set_gid("synthetic")
    (gap_line,) = bottom.plot(x, diff, "-", color="#333333", linewidth=1.6, label=_("Gap"))
    gap_line.set_gid("gap")
    zero = bottom.axhline(0.0, color="black", linewidth=0.8)
    zero.set_gid("zero")
    for panel in (top, bottom):
        marker = panel.axvline(start, color="#777777", linestyle=":", linewidth=1.2)
        marker.set_gid("treatment-start")
        panel.set_ylabel(textwrap.fill(axis, width=30))
    for panel in (top, bottom):
        locale_ticks(panel.yaxis, lang)
    top.plot([], [], ":", color="#777777", label=_("Treatment starts"))
    top.legend(loc="best", fontsize="small")
    top.set_title(textwrap.fill(_("{place} and its synthetic control", place=who), width=60))
    bottom.set_title(
        textwrap.fill(_("Gap: {place} minus its synthetic control", place=who), width=60),
        fontsize="medium",
    )
    if labels is not None:
        step = max(1, int(np.ceil(len(labels) / 10)))
        bottom.set_xticks(x[::step], labels=labels[::step], rotation=30, ha="right")
    caption(fig, top.get_title(), bottom.get_title(), axis)
    return fig
