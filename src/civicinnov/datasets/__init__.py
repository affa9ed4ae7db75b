"""Packaged data sets: the public facts of the Bloomberg Philanthropies Innovation Teams programme.

:func:`load_iteams` returns a :class:`~civicinnov.programme.Portfolio` read from ``iteams.json``,
which ships inside the package (read through :mod:`importlib.resources`, so it works from a wheel or
a zip). The file is read once per unit registry: later calls return the same frozen value, and a
program that switches pint's application registry (``pint.set_application_registry``) gets a
portfolio whose quantities belong to the registry now in force.

What it holds, restated from the programme's public announcements and press coverage from 2011 to
July 2017, plus a few facts from the 2021 announcement of the Bloomberg Center for Public Innovation
at Johns Hopkins University (the name says so: "public facts 2011 to July 2017; JHU centre 2021").
The records that rest only on that later note are the centre itself, Johns Hopkins University, the
centre's US$43 million, what the centre does (hosting, and its offer to city halls) and the
"nearly 300 communities" of Cities of Service; the note also names
Amanda Daflos as the former director of the Los Angeles i-team.

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
  :class:`~civicinnov.programme.ResultClaim` records, apart from anything computed; a claim with a
  number holds it (a quantity, or :class:`~civicinnov.money.Money`, with its hedge: "nearly",
  "more than");
- cross-border ties named for the French cities (the Mulhouse, Basel and Freiburg tri-city, all
  three legs; Dunkirk with Belgium and Britain; Occitanie with Spain and Andorra) as
  :class:`~civicinnov.programme.Tie`;
- related institutions: Cities of Service (a coalition) and the Bloomberg Center for Public
  Innovation at Johns Hopkins University (US$43 million);
- who supports whom, and for what, as :class:`~civicinnov.programme.Support` records: the centre
  hosts Innovation Teams and Cities of Service and offers training, technical assistance,
  fellowships, grants, research on impact and student placements; La 27e Région gives the French
  cohort training, technical support and peer-to-peer learning.

Facts only, each as its source has it: statements are written in our own words; every record names
its sources in ``provenance`` (with ``verified: false`` and a note where sources disagree or only a
low-quality copy was found); what no source reports is left unknown rather than filled with a
default. No challenge claims a phase of the method (``phase`` is None: no source reports one); an
i-team's ``reports_to`` is set only where a source says; a date a source gives to the month or the
year is a :class:`~civicinnov.model.PartialDate` (a source's ``published``, a member's
``joined_reported``). The US$6 million Chicago grant comes only from a low-quality copy of an op-ed:
its provenance is unverified, so the funding roll-ups leave it out unless asked.

**How the data set is maintained.** ``iteams.json`` is the source of truth, edited and reviewed as
a document (there is no generating script). It is written in the canonical form of
:func:`civicinnov.io.dumps_portfolio` (one-space indent, every field present), so a change shows as
a small diff. Its checks are tests (``tests/test_datasets.py``): the file conforms to the published
JSON Schema, loads with no integrity problem, every record has provenance whose sources exist, no
dated fact rests only on sources published before it (:func:`civicinnov.programme.check_source_dates`),
the records that rest only on the 2021 note are exactly the ones listed above, and the figures
quoted here are the file's. To change a fact: edit the record and its provenance together, run
``python -c "from civicinnov.datasets import load_iteams; print(load_iteams().check())"``, then
re-write the file in canonical form (load it and save it with
:func:`civicinnov.io.save_portfolio`) and run the tests.

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
