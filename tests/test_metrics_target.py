"""Baselines, targets and milestones."""

from __future__ import annotations

import datetime as dt

import pytest

from civicinnov.errors import IdentifierError, UnitError, ValidationError
from civicinnov.metrics.catalog import MetricCatalog
from civicinnov.metrics.target import Baseline, Milestone, Target, latest_baseline
from civicinnov.model import TargetStage
from civicinnov.periods import Period


def test_target_in_wrong_dimension() -> None:
    murders = MetricCatalog.builtin()["murders"]
    t = Target(
        id="t", metric_id="murders", stage=TargetStage.FINAL, value="120 person", due="2026-12-31"
    )
    with pytest.raises(
        UnitError,
        match=r"target.value: metric 'murders' is measured in incident \(\[incident\]\); got person \(\[person\]\)",
    ):
        t.check(murders)


def test_percentage_target_above_100() -> None:
    rate = MetricCatalog.builtin()["retail-vacancy-rate"]
    t = Target(
        id="t",
        metric_id="retail-vacancy-rate",
        stage=TargetStage.PRELIMINARY,
        value="130 percent",
        due="2026-12-31",
    )
    with pytest.raises(
        ValidationError, match=r"target.value: metric 'retail-vacancy-rate' is a percentage"
    ):
        t.check(rate)
    Target(
        id="t",
        metric_id="retail-vacancy-rate",
        stage=TargetStage.FINAL,
        value="0.08 dimensionless",
        due="2026-12-31",
    ).check(rate)


def test_target_for_another_metric() -> None:
    murders = MetricCatalog.builtin()["murders"]
    t = Target(
        id="t", metric_id="calls", stage=TargetStage.FINAL, value="1 incident", due="2026-12-31"
    )
    with pytest.raises(ValidationError, match=r"target.metric_id: expected 'murders', got 'calls'"):
        t.check(murders)


def test_target_fields_validated() -> None:
    with pytest.raises(IdentifierError, match="id: expected a slug"):
        Target(id="T 1", metric_id="m", stage=TargetStage.FINAL, value="1 call", due="2026-01-01")
    assert Target(id="t", metric_id="m", stage="final", value="1 call", due="2026-01-01").stage is (
        TargetStage.FINAL
    )
    with pytest.raises(
        ValidationError, match=r"stage: expected TargetStage \('preliminary', 'final'\), got 'done'"
    ):
        Target(id="t", metric_id="m", stage="done", value="1 call", due="2026-01-01")
    with pytest.raises(ValidationError, match="expected a date such as 2026-12-31, got 'soon'"):
        Target(id="t", metric_id="m", stage=TargetStage.FINAL, value="1 call", due="soon")
    with pytest.raises(ValidationError, match="period: 2026-Q1 ends after the due date 2026-01-01"):
        Target(
            id="t", metric_id="m", stage=TargetStage.FINAL, value="1 call", due="2026-01-01",
            period=Period.parse("2026-Q1"),
        )  # fmt: skip
    with pytest.raises(UnitError, match="has no unit"):
        Target(id="t", metric_id="m", stage=TargetStage.FINAL, value=3, due="2026-01-01")


def test_several_baselines_latest_in_force() -> None:
    bs = [
        Baseline(metric_id="m", value="12 call", as_of="2022-01-01"),
        Baseline(metric_id="m", value="10 call", as_of="2020-01-01"),
    ]
    found = latest_baseline(bs, dt.date(2023, 1, 1))
    assert found is not None
    assert found.value.magnitude == 12
    assert latest_baseline(bs) is found
    assert str(found) == "baseline m = 12 call as of 2022-01-01"


def test_milestones() -> None:
    m = Milestone(
        id="m", target_id="t", title="Pilot", due="2025-06-30", value="3 call", reached="2025-07-15"
    )
    assert not m.is_open
    assert m.is_late(dt.date(2025, 1, 1))
    assert str(
        Target(
            id="t", metric_id="m", stage=TargetStage.PRELIMINARY, value="3 call", due="2025-01-01"
        )
    ) == ("preliminary target t: m = 3 call by 2025-01-01")
