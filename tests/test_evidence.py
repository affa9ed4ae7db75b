"""Tests for civicinnov.model: SMS and Nesta scales, design -> SMS mapping."""

from __future__ import annotations

import pytest

from civicinnov.errors import ValidationError
from civicinnov.model import EvaluationDesign, NestaLevel, SMSLevel, sms_level


def test_scales_run_one_to_five() -> None:
    assert [int(level) for level in SMSLevel] == [1, 2, 3, 4, 5]
    assert [int(level) for level in NestaLevel] == [1, 2, 3, 4, 5]
    assert SMSLevel.RANDOMISED > SMSLevel.QUASI_RANDOM > SMSLevel.COMPARISON_GROUP
    assert NestaLevel(3) is NestaLevel.CAUSATION


@pytest.mark.parametrize(
    ("design", "level"),
    [
        ("rct", 5),
        ("rdd", 4),
        ("iv", 4),
        ("did", 3),
        ("staggered_did", 3),
        ("event_study", 3),
        ("panel", 3),
        ("matching", 3),
        ("synthetic_control", 3),
        ("interrupted_time_series", 2),
        ("cross_section_with_controls", 2),
        ("before_after", 1),
        ("cross_section", 1),
    ],
)
def test_sms_mapping(design: str, level: int) -> None:
    assert sms_level(design) == level
    assert sms_level(EvaluationDesign(design)) is SMSLevel(level)


def test_every_design_is_mapped() -> None:
    assert all(isinstance(sms_level(d), SMSLevel) for d in EvaluationDesign)


def test_unknown_design() -> None:
    with pytest.raises(
        ValidationError, match=r"design: expected an EvaluationDesign \('rct', .*got 'survey'"
    ):
        sms_level("survey")
