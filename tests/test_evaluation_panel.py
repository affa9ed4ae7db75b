"""Panel construction: inputs accepted, bad inputs refused with clear messages, rows accounted."""

from __future__ import annotations

import numpy as np
import pint
import pytest

from civicinnov.errors import CivicError, PanelError, UnitError
from civicinnov.evaluation import Panel
from civicinnov.metrics import MetricSeries
from civicinnov.periods import YEAR
from civicinnov.units import get_registry


def _small(**kw: object) -> Panel:
    args: dict[str, object] = {
        "units": [1, 1, 2, 2, 3, 3],
        "periods": [2020, 2021] * 3,
        "outcome": [1.0, 2.0, 1.5, 1.5, 2.0, 2.5],
        "unit": "incident",
        "first_treated": {1: 2021, 2: None, 3: None},
    }
    args.update(kw)
    return Panel.from_arrays(**args)  # type: ignore[arg-type]


def test_from_arrays_normalises() -> None:
    p = _small()
    assert p.n_units == 3
    assert p.n_periods == 2
    assert p.is_balanced
    assert p.cohort.tolist() == [2021.0, np.inf, np.inf]
    assert p.treated_rows.tolist() == [False, True, False, False, False, False]
    assert str(p.outcome_unit) == "incident"
    assert p.rows.used == p.rows.given == 6


def test_string_ids_and_row_timing_with_never_value() -> None:
    p = Panel.from_arrays(
        units=np.array(["b", "b", "a", "a"], dtype=object),
        periods=[1, 2, 1, 2],
        outcome=[1.0, 2.0, 3.0, 4.0],
        unit="",
        first_treated=[2, 2, 0, 0],
        never=0,
    )
    assert p.unit_ids.tolist() == ["a", "b"]
    assert p.cohort.tolist() == [np.inf, 2.0]


def test_outcome_as_quantity_and_foreign_registry() -> None:
    foreign = pint.UnitRegistry().Quantity(np.array([1.0, 2.0]), "km")
    p = Panel.from_arrays(units=[1, 1], periods=[1, 2], outcome=foreign, first_treated={1: None})
    assert str(p.outcome_unit) == "kilometer"
    assert p.to("m").outcome.tolist() == [1000.0, 2000.0]


def test_missing_outcomes_and_controls_are_reported_not_silent() -> None:
    p = _small(
        outcome=[1.0, np.nan, 1.5, 1.5, 2.0, 2.5],
        controls={"pop": [1.0, 1.0, np.nan, 1.0, 1.0, 1.0]},
    )
    assert p.n_obs == 4
    assert p.rows.dropped == (("outcome missing (NaN)", 1), ("a control missing (NaN)", 1))
    assert not p.is_balanced


def test_duplicate_unit_period_rows() -> None:
    with pytest.raises(
        PanelError, match=r"1 duplicate \(unit, period\) rows.*unit 2 in period 2020"
    ):
        _small(units=[1, 1, 2, 2, 2, 3], periods=[2020, 2021, 2020, 2021, 2020, 2021])


def test_timing_varying_within_unit() -> None:
    with pytest.raises(
        PanelError, match=r"treatment timing varies within unit 'x'.*\[2021, 2022\]"
    ):
        Panel.from_arrays(
            units=["x", "x", "y", "y"],
            periods=[2020, 2021, 2020, 2021],
            outcome=[1.0, 2.0, 3.0, 4.0],
            unit="",
            first_treated=[2021, 2022, np.nan, np.nan],
        )


def test_unit_missing_from_timing() -> None:
    with pytest.raises(PanelError, match=r"no timing for units \[3\]"):
        _small(first_treated={1: 2021, 2: None})


def test_mixed_units_in_outcome() -> None:
    q = get_registry().Quantity
    with pytest.raises(UnitError, match="outcomes in mixed units"):
        Panel.from_arrays(
            units=[1, 2],
            periods=[1, 1],
            outcome=[q(1.0, "km"), q(2.0, "m")],
            first_treated={1: None, 2: None},
        )


def test_no_unit() -> None:
    with pytest.raises(UnitError, match="no unit given"):
        Panel.from_arrays(units=[1], periods=[1], outcome=[1.0], first_treated={1: None})


def test_lengths_and_period_types() -> None:
    with pytest.raises(PanelError, match=r"periods: expected one value per row \(6 rows"):
        _small(periods=[2020, 2021])
    with pytest.raises(PanelError, match="expected integer period ordinals"):
        _small(periods=[2020.5, 2021] * 3)
    with pytest.raises(PanelError, match="all numbers or all strings"):
        _small(units=np.array([1, "a", 2, 2, 3, 3], dtype=object))


def test_errors_are_civic_errors() -> None:
    assert issubclass(PanelError, CivicError)
    assert issubclass(UnitError, CivicError)


def _series(place: str, values: list[float], unit: str = "property") -> MetricSeries:
    return MetricSeries(
        metric_id="vacant-lots",
        place_id=place,
        period_type=YEAR,
        ordinals=YEAR.parse_labels([str(y) for y in range(2020, 2020 + len(values))]),
        values=values,
        unit=unit,
    )


def test_from_series() -> None:
    s = [_series("akron", [9.0, 7.0, 6.0]), _series("boise", [8.0, 8.0, 8.5])]
    start = int(YEAR.parse_labels(["2021"])[0])
    p = Panel.from_series(s, first_treated={"akron": start, "boise": None})
    assert p.unit_ids.tolist() == ["akron", "boise"]
    assert p.metric_id == "vacant-lots"
    assert str(p.outcome_unit) == "property"
    assert p.n_obs == 6
    assert p.cohort.tolist() == [float(start), np.inf]


def test_from_series_mixed_units() -> None:
    s = [_series("akron", [9.0, 7.0]), _series("boise", [8.0, 8.0], unit="dwelling")]
    with pytest.raises(UnitError, match=r"series\[1\].unit: outcomes in mixed units"):
        Panel.from_series(s, first_treated={"akron": None, "boise": None})


def test_from_series_refusals_list_every_problem() -> None:
    s = [_series("akron", [9.0, 7.0]), _series("akron", [8.0, 8.0])]
    with pytest.raises(PanelError, match="given twice") as info:
        Panel.from_series(s, first_treated={})
    assert len(info.value.problems) == 2
    with pytest.raises(PanelError, match="expected at least one MetricSeries"):
        Panel.from_series([], first_treated={})


def test_cross_sections() -> None:
    p = Panel.from_cross_sections(
        periods=[1, 1, 2, 2],
        outcome=[1.0, 2.0, 3.0, 4.0],
        treated=[True, False, True, False],
        adoption=2,
        unit="",
    )
    assert p.cross_section
    assert p.n_units == 4
    with pytest.raises(PanelError, match="treated: expected 0/1"):
        Panel.from_cross_sections(periods=[1], outcome=[1.0], treated=[3], adoption=2, unit="")


def test_panel_equality_and_unhashable() -> None:
    assert _small() == _small()
    with pytest.raises(TypeError):
        hash(_small())


def test_from_series_with_controls() -> None:
    s = [_series("akron", [9.0, 7.0]), _series("boise", [8.0, 8.0])]
    pop = [_series("akron", [1.0, 1.1], unit="person"), _series("boise", [2.0, 2.1], unit="person")]
    p = Panel.from_series(s, first_treated={"akron": None, "boise": None}, controls={"pop": pop})
    assert p.control_names == ("pop",)
    assert p.controls[:, 0].tolist() == [1.0, 1.1, 2.0, 2.1]
    with pytest.raises(PanelError, match=r"controls\['pop'\]: expected one series per outcome"):
        Panel.from_series(
            s, first_treated={"akron": None, "boise": None}, controls={"pop": pop[:1]}
        )
