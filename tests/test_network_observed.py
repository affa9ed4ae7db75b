"""Observed diffusion: adoptions the record states (an idea from another city) feed diffusion()."""

from __future__ import annotations

from datetime import date

import pytest

from civicinnov.errors import NetworkError, UnknownIdError, ValidationError
from civicinnov.model import Challenge, City, Idea
from civicinnov.network import CityNetwork, CityNetworkBuilder, diffusion
from civicinnov.programme import Portfolio, observed_adoptions


def _net() -> CityNetwork:
    b = CityNetworkBuilder()
    for c in ("nola", "memphis", "atlanta", "mobile"):
        b.add_city(c)
    b.record_adoption("stat", "nola", date(2012, 1, 1))
    b.record_adoption("stat", "memphis", date(2013, 1, 1), source_id="nola")
    return b.build()


def test_observations_extend_the_recorded_tree() -> None:
    seen = [
        ("atlanta", "memphis", "stat", date(2013, 7, 1)),
        ("mobile", "atlanta", "stat", None),
        ("mobile", "nola", "other-practice", None),
    ]
    d = diffusion(_net(), "stat", adoptions=seen)
    assert d.parent == {"nola": None, "memphis": "nola", "atlanta": "memphis", "mobile": "atlanta"}
    assert d.generation["mobile"] == 3
    assert d.lag_days["atlanta"] == 181
    assert d.lag_days["mobile"] is None
    assert "mobile" not in d.adopted_on
    # without the observations the tree stops at memphis
    assert set(diffusion(_net(), "stat").parent) == {"nola", "memphis"}


def test_observations_alone_make_a_diffusion() -> None:
    d = diffusion(_net(), "open-data", adoptions=[("mobile", "nola", "open-data", None)])
    assert d.parent == {"nola": None, "mobile": "nola"}
    assert d.roots == ("nola",)
    assert d.unsourced == ()


def test_a_recorded_date_wins_over_an_observed_one() -> None:
    d = diffusion(_net(), "stat", adoptions=[("memphis", "nola", "stat", date(2020, 1, 1))])
    assert d.adopted_on["memphis"] == date(2013, 1, 1)


def test_bad_observations_are_refused() -> None:
    net = _net()
    with pytest.raises(UnknownIdError, match="diffusion adoptions: unknown id"):
        diffusion(net, "stat", adoptions=[("paris", "nola", "stat", None)])
    with pytest.raises(ValidationError, match="learning from itself"):
        diffusion(net, "stat", adoptions=[("nola", "nola", "stat", None)])
    with pytest.raises(ValidationError, match="expected \\(city_id"):
        diffusion(net, "stat", adoptions=[("nola", "memphis")])  # type: ignore[list-item]
    with pytest.raises(ValidationError, match=r"datetime\.date or None"):
        diffusion(net, "stat", adoptions=[("mobile", "nola", "stat", "2020")])  # type: ignore[list-item]
    with pytest.raises(NetworkError, match="cycle"):
        diffusion(
            net,
            "x",
            adoptions=[("mobile", "atlanta", "x", None), ("atlanta", "mobile", "x", None)],
        )
    with pytest.raises(UnknownIdError, match="no adoption of practice 'x'"):
        diffusion(net, "x", adoptions=[("mobile", "atlanta", "y", None)])


def test_a_portfolio_idea_from_another_city_is_an_observed_adoption() -> None:
    p = Portfolio(
        cities=(
            City(id="mobile", name="Mobile", country="US"),
            City(id="new-orleans", name="New Orleans", country="US"),
        ),
        challenges=(Challenge(id="blight", city_id="mobile", statement="Reduce blight"),),
        ideas=(
            Idea(
                id="blight-index",
                challenge_id="blight",
                title="Blight index",
                source="other_city",
                origin_city_id="new-orleans",
            ),
        ),
    )
    seen = [a.as_tuple() for a in observed_adoptions(p)]
    assert seen == [("mobile", "new-orleans", "blight-index", None)]
    d = diffusion(p.network(), "blight-index", adoptions=seen)
    assert d.parent == {"new-orleans": None, "mobile": "new-orleans"}
