"""Packaged data sets: the public facts of the Bloomberg Philanthropies Innovation Teams programme.

:func:`load_iteams` returns a :class:`~civicinnov.programme.Portfolio` read from ``iteams.json``,
which ships inside the package (read through :mod:`importlib.resources`, so it works from a wheel or
a zip). The file is read once per unit registry: later calls return the same frozen value, and a
program that switches pint's application registry (``pint.set_application_registry``) gets a
portfolio whose quantities belong to the registry now in force.

What it holds, restated from the programme's public announcements and press coverage up to 2017
(every record names its sources in ``provenance``, and says whether the fact is verified):

- the cohorts: the 2011 pioneer cities (Atlanta, Chicago, Louisville, Memphis, New Orleans), the
  2014 and January 2017 rounds, and the July 2017 French cohort run with La 27e Région (Paris,
  Mulhouse, Dunkerque and the Occitanie region named, Toulouse named by the press, six more to
  come), with its US$1.4 million grant for training, technical support and peer-to-peer learning;
- the cities with country, region and coordinates (to about 0.01°), their i-teams and the grants
  that were reported;
- the 20 cities whose grant-funded i-teams were operating in July 2017 (a :class:`~civicinnov.programme.Roster`);
- worked examples: Tel Aviv-Yafo (young families and the cost of living; loneliness among older
  residents), Mobile (blight, with homes within 150 ft of a blighted property), Syracuse (ageing
  infrastructure and US$750,000 of state funding), Detroit (gun violence), Boston (affordable
  housing), and the pioneer cities' challenges;
- the pioneer cities' headline results and other reported figures as
  :class:`~civicinnov.programme.ResultClaim` records, apart from anything computed;
- cross-border ties named for the French cities (Mulhouse with Basel and Freiburg; Dunkirk with
  Belgium and Britain; Occitanie with Spain and Andorra) as :class:`~civicinnov.programme.Tie`;
- related institutions: Cities of Service and the Bloomberg Center for Public Innovation at Johns
  Hopkins University (US$43 million).

Facts only: statements are written in our own words, and where sources disagree the record says so
and is marked unverified.

Example:
    >>> p = load_iteams()
    >>> p.cities_by_cohort()["pioneer-2011"]
    ('atlanta', 'chicago', 'louisville', 'memphis', 'new-orleans')
    >>> print(p.get("funding", "france-2017-grant").amount)
    USD 1,400,000.00
    >>> load_iteams() is p
    True
"""

from __future__ import annotations

import functools
from importlib import resources

from civicinnov.io import loads_portfolio
from civicinnov.programme import Portfolio
from civicinnov.units import registry_key

__all__ = ["ITEAMS_RESOURCE", "iteams_bytes", "load_iteams"]

#: The file name of the i-teams data set inside this package.
ITEAMS_RESOURCE = "iteams.json"


def iteams_bytes() -> bytes:
    """The raw JSON document of the i-teams data set.

    Example:
        >>> iteams_bytes()[:23]
        b'{\\n "schema_version": 2,'
    """
    return resources.files(__name__).joinpath(ITEAMS_RESOURCE).read_bytes()


def load_iteams() -> Portfolio:
    """Return the bundled i-teams programme as a checked :class:`~civicinnov.programme.Portfolio`.

    The programme is read once per unit registry, so its quantities always belong to the registry
    in force (see :func:`civicinnov.units.get_registry`).

    Example:
        >>> len(load_iteams().rosters[0].city_ids)
        20
    """
    return _load_iteams_for(registry_key())


@functools.lru_cache(maxsize=4)
def _load_iteams_for(registry: object) -> Portfolio:
    return loads_portfolio(iteams_bytes(), source=f"civicinnov.datasets/{ITEAMS_RESOURCE}")
