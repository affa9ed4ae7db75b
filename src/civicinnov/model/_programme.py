"""Programmes: funders and partners, cohorts (a programme round), and the i-teams themselves.

- :class:`Partner` is any organisation that takes part: a funder, a national partner, a technical
  assistance provider, a knowledge partner, a network or a university (:class:`PartnerKind`; one
  organisation may be several). A *funder* is simply a partner whose kinds include ``FUNDER``.
- :class:`Cohort` is one round of a programme: who funded it, with which partners, when it was
  announced, and the member cities with the date each joined. A city cannot
  join before its cohort was announced, and appears once. When a source dates a city's joining
  only to the month or the year, :attr:`CohortMember.joined_reported` keeps that
  :class:`~civicinnov.model.PartialDate` and ``joined`` is the first day it allows (and never
  before the announcement): the day analyses count the membership from, not a reported day.
- :class:`ITeam` is one city's innovation team: its cohort, its members and their :class:`Role`,
  and whom it reports to (None when no source says).

Money is not held here: a cohort's grant, an i-team's grant and a city's local match are
:class:`~civicinnov.programme.Funding` records of the programme, one store for every amount.

All references are ids: ``Cohort.funder_id`` names a :class:`Partner`, ``CohortMember.city_id`` a
:class:`~civicinnov.model._city.City`. Checking that they resolve is
:mod:`civicinnov.programme`'s job.

Example:
    >>> import datetime as dt
    >>> bp = Partner(id="bloomberg", name="Bloomberg Philanthropies", kinds={PartnerKind.FUNDER})
    >>> cohort = Cohort(id="us-2011", name="Mayors Project 2011", funder_id="bloomberg",
    ...     announced=dt.date(2011, 7, 14),
    ...     members=[CohortMember(city_id="louisville", joined=dt.date(2011, 7, 14))])
    >>> cohort.city_ids
    ('louisville',)
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable
from typing import Any

import attrs

from civicinnov import _values as f
from civicinnov.errors import ValidationError
from civicinnov.model._city import check_country

__all__ = [
    "Cohort",
    "CohortMember",
    "ITeam",
    "Member",
    "Partner",
    "PartnerKind",
    "Role",
]


class PartnerKind(enum.Enum):
    """What an organisation does for a programme.

    Example:
        >>> PartnerKind("technical_assistance")
        <PartnerKind.TECHNICAL_ASSISTANCE: 'technical_assistance'>
    """

    FUNDER = "funder"
    NATIONAL_PARTNER = "national_partner"
    TECHNICAL_ASSISTANCE = "technical_assistance"
    KNOWLEDGE_PARTNER = "knowledge_partner"
    NETWORK = "network"
    UNIVERSITY = "university"
    OTHER = "other"


def _kinds(value: Any) -> Any:
    if isinstance(value, PartnerKind | str):
        value = (value,)
    if isinstance(value, Iterable):
        convert = f.enum_converter(PartnerKind)
        return frozenset(convert(v) for v in value)
    return value


def _check_kinds(instance: Any, attribute: Any, value: Any) -> None:
    name = f.where(instance, attribute)
    allowed = ", ".join(repr(k.value) for k in PartnerKind)
    if not isinstance(value, frozenset) or not value:
        raise ValidationError(
            f"{name}: expected at least one PartnerKind ({allowed}), got {value!r}"
        )
    for kind in value:
        if not isinstance(kind, PartnerKind):
            raise ValidationError(f"{name}: expected PartnerKind values ({allowed}), got {kind!r}")


def _upper(value: Any) -> Any:
    return value.strip().upper() if isinstance(value, str) else value


def _optional_country(instance: Any, attribute: Any, value: Any) -> None:
    if value is not None:
        check_country(value, where=f.where(instance, attribute))


@attrs.frozen(kw_only=True)
class Partner:
    """An organisation taking part in a programme: funder, partner, adviser, network, university.

    Example:
        >>> Partner(id="living-cities", name="Living Cities", kinds=["network"], country="US").kinds
        frozenset({<PartnerKind.NETWORK: 'network'>})
        >>> Partner(id="x", name="X", kinds=[])
        Traceback (most recent call last):
        ...
        civicinnov.errors.ValidationError: Partner.kinds: expected at least one PartnerKind ...
    """

    id: str = attrs.field(validator=f.slug)
    name: str = attrs.field(validator=f.text)
    kinds: frozenset[PartnerKind] = attrs.field(converter=_kinds, validator=_check_kinds)
    country: str | None = attrs.field(default=None, converter=_upper, validator=_optional_country)

    @property
    def is_funder(self) -> bool:
        """Whether the partner funds the programme.

        Example:
            >>> Partner(id="b", name="B", kinds=[PartnerKind.FUNDER]).is_funder
            True
        """
        return PartnerKind.FUNDER in self.kinds


def _joined_within_report(instance: CohortMember, attribute: Any, value: Any) -> None:
    f.optional_partial_date(instance, attribute, value)
    if value is not None and not value.contains(instance.joined):
        raise ValidationError(
            f"CohortMember.joined_reported: {instance.city_id!r} joined {value} as reported, but "
            f"joined is {instance.joined.isoformat()}; expected joined to be one of the days "
            f"{value} allows ({value.earliest.isoformat()} to {value.latest.isoformat()})"
        )


@attrs.frozen(kw_only=True)
class CohortMember:
    """A city's membership of a cohort, from the date it joined.

    ``joined`` is the day the membership counts from. ``joined_reported`` is when a source says
    the city joined, at the precision the source gives (``"2017-07"`` for "July 2017"); when it is
    given, ``joined`` must be one of its days (the first day it allows, or the cohort's
    announcement if that is later). None means the day itself is reported, or the city joined
    when the cohort was announced.

    Example:
        >>> CohortMember(city_id="memphis", joined="2011-07-14").joined
        datetime.date(2011, 7, 14)
        >>> m = CohortMember(city_id="toulouse", joined="2017-07-11", joined_reported="2017-07")
        >>> str(m.joined_reported), m.joined_reported.precision.value
        ('2017-07', 'month')
        >>> CohortMember(city_id="toulouse", joined="2017-06-30", joined_reported="2017-07")
        Traceback (most recent call last):
        ...
        civicinnov.errors.ValidationError: CohortMember.joined_reported: 'toulouse' joined 2017-07 as reported, but joined is 2017-06-30; ...
    """

    city_id: str = attrs.field(validator=f.slug)
    joined: dt.date = attrs.field(converter=f.to_date, validator=f.date)
    joined_reported: f.PartialDate | None = attrs.field(
        default=None, converter=f.to_partial_date, validator=_joined_within_report
    )


def _check_members(instance: Cohort, attribute: Any, value: tuple[CohortMember, ...]) -> None:
    f.tuple_of(CohortMember)(instance, attribute, value)
    seen: dict[str, int] = {}
    for i, member in enumerate(value):
        if member.city_id in seen:
            raise ValidationError(
                f"Cohort.members[{i}]: city {member.city_id!r} is already a member "
                f"(members[{seen[member.city_id]}]) of cohort {instance.id!r}; expected each city once"
            )
        seen[member.city_id] = i


@attrs.frozen(kw_only=True)
class Cohort:
    """One round of a programme: funder, partners, announcement date and member cities.

    Its grants are :class:`~civicinnov.programme.Funding` records that name the cohort.

    Example:
        >>> c = Cohort(id="us-2014", name="i-teams 2014", funder_id="bloomberg",
        ...     announced=dt.date(2014, 12, 9),
        ...     members=[CohortMember(city_id="mobile", joined=dt.date(2014, 7, 1))])
        Traceback (most recent call last):
        ...
        civicinnov.errors.ValidationError: Cohort.members[0]: city 'mobile' joined 2014-07-01, before cohort 'us-2014' was announced on 2014-12-09; expected a join date on or after the announcement
    """

    id: str = attrs.field(validator=f.slug)
    name: str = attrs.field(validator=f.text)
    funder_id: str = attrs.field(validator=f.slug)
    partner_ids: tuple[str, ...] = attrs.field(
        default=(), converter=f.to_tuple, validator=f.slug_tuple
    )
    announced: dt.date = attrs.field(converter=f.to_date, validator=f.date)
    members: tuple[CohortMember, ...] = attrs.field(
        default=(), converter=f.to_tuple, validator=_check_members
    )

    def __attrs_post_init__(self) -> None:
        for i, member in enumerate(self.members):
            if member.joined < self.announced:
                raise ValidationError(
                    f"Cohort.members[{i}]: city {member.city_id!r} joined "
                    f"{member.joined.isoformat()}, before cohort {self.id!r} was announced on "
                    f"{self.announced.isoformat()}; expected a join date on or after the "
                    "announcement"
                )

    @property
    def city_ids(self) -> tuple[str, ...]:
        """The member cities' ids, in member order.

        Example:
            >>> Cohort(id="c", name="C", funder_id="f", announced=dt.date(2015, 1, 1),
            ...     members=[CohortMember(city_id="a", joined=dt.date(2015, 2, 1))]).city_ids
            ('a',)
        """
        return tuple(m.city_id for m in self.members)

    def member(self, city_id: str) -> CohortMember | None:
        """The membership of ``city_id``, or None if the city is not a member.

        Parameters:
            city_id: The id of a city.

        Returns:
            The city's membership, or ``None`` when it is not a member.

        Example:
            >>> c = Cohort(id="c", name="C", funder_id="f", announced=dt.date(2015, 1, 1),
            ...     members=[CohortMember(city_id="a", joined=dt.date(2015, 2, 1))])
            >>> c.member("a").joined, c.member("b")
            (datetime.date(2015, 2, 1), None)
        """
        for m in self.members:
            if m.city_id == city_id:
                return m
        return None

    def with_member(self, member: CohortMember) -> Cohort:
        """A new cohort with ``member`` added (same checks as construction).

        Parameters:
            member: The membership to add, after those already there.

        Returns:
            A new cohort; this one is unchanged.

        Raises:
            ValidationError: ``member`` is not a :class:`CohortMember`, its city is already a
                member, or it joined before the cohort was announced.

        Example:
            >>> c = Cohort(id="c", name="C", funder_id="f", announced=dt.date(2015, 1, 1))
            >>> c.with_member(CohortMember(city_id="b", joined=dt.date(2015, 1, 1))).city_ids
            ('b',)
        """
        return attrs.evolve(self, members=(*self.members, member))


class Role(enum.Enum):
    """A role in or around an i-team (the method's roles; ``OTHER`` for anything else).

    ``MAYOR`` and ``CITY_MANAGER`` are the chief executives a team reports to; the rest are team
    roles.

    Example:
        >>> Role("director")
        <Role.DIRECTOR: 'director'>
    """

    MAYOR = "mayor"
    CITY_MANAGER = "city_manager"
    CHIEF_OF_STAFF = "chief_of_staff"
    DIRECTOR = "director"
    DEPUTY_DIRECTOR = "deputy_director"
    PROJECT_MANAGER = "project_manager"
    JUNIOR_PROJECT_MANAGER = "junior_project_manager"
    PERFORMANCE_MANAGER = "performance_manager"
    DATA_ANALYST = "data_analyst"
    RESEARCHER = "researcher"
    DESIGNER = "designer"
    PROGRAMMER = "programmer"
    FELLOW = "fellow"
    FACULTY_FELLOW = "faculty_fellow"
    OTHER = "other"


def _role(value: Any) -> Any:
    return f.to_enum(Role, value)


@attrs.frozen(kw_only=True)
class Member:
    """A person on (or around) a team, with their role.

    Example:
        >>> Member(name="A. Director", role="director").role
        <Role.DIRECTOR: 'director'>
    """

    name: str = attrs.field(validator=f.text)
    role: Role = attrs.field(converter=_role, validator=f.member_of(Role))


@attrs.frozen(kw_only=True)
class ITeam:
    """One city's innovation team.

    ``reports_to`` is the role the team reports to, or None when no source says (it is never
    assumed to be the mayor). Its grant and the city's local match are
    :class:`~civicinnov.programme.Funding` records.

    Example:
        >>> team = ITeam(id="mobile-iteam", city_id="mobile", cohort_id="us-2014",
        ...     members=[Member(name="J. Doe", role=Role.DIRECTOR)], reports_to=Role.MAYOR)
        >>> team.director.name
        'J. Doe'
    """

    id: str = attrs.field(validator=f.slug)
    city_id: str = attrs.field(validator=f.slug)
    cohort_id: str | None = attrs.field(default=None, validator=f.optional_slug)
    members: tuple[Member, ...] = attrs.field(
        default=(), converter=f.to_tuple, validator=f.tuple_of(Member)
    )
    reports_to: Role | None = attrs.field(
        default=None, converter=_role, validator=attrs.validators.optional(f.member_of(Role))
    )

    @property
    def director(self) -> Member | None:
        """The team's director, if one is listed.

        Example:
            >>> ITeam(id="t", city_id="c").director is None
            True
        """
        for m in self.members:
            if m.role is Role.DIRECTOR:
                return m
        return None

    @property
    def size(self) -> int:
        """Number of members listed.

        Example:
            >>> ITeam(id="t", city_id="c", members=[Member(name="A", role="fellow")]).size
            1
        """
        return len(self.members)
