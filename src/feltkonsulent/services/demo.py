"""Realistic Danish demo data of every kind, deterministic for a seed (`feltkonsulent demo`)."""

from __future__ import annotations

import dataclasses
import random
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from itertools import accumulate
from typing import TypeVar

from feltkonsulent.domain.entities import (
    AftercareVisit,
    Citizen,
    Company,
    Contact,
    LanguagePartner,
    Placement,
    SupportArrangement,
)
from feltkonsulent.domain.enums import (
    Outcome,
    PlacementKind,
    PlacementStatus,
    Purpose,
    Sector,
    SupportRole,
    TargetGroup,
    VisitMode,
)
from feltkonsulent.domain.errors import ValidationError
from feltkonsulent.domain.rules import Severity
from feltkonsulent.services import agreements, profile, rules
from feltkonsulent.services.demo_data import (
    ACTIONS,
    AGES,
    CITIES,
    CITIZEN_NOTES,
    DANISH_SHARE,
    FOCUS,
    FORCED_DUE_DAYS,
    FOREIGN,
    GOALS,
    GROUPS,
    HOURS,
    INDUSTRIAL,
    INTERNSHIP_WEEKS,
    KINDS,
    MAIL,
    MEETINGS,
    MOBILE,
    MODES,
    NAMES,
    NOTES,
    OUTCOMES,
    OVERRIDE_REASON,
    OVERRIDE_REASONS,
    PASSED,
    PHASES,
    PLACES,
    PLANNED_NOTES,
    PROFILES,
    RATES,
    READINESS,
    REPRESENTATIVE,
    ROLES,
    SUBSIDY_WEEKS,
    SUPPORT_HOURS,
    SUPPORT_NOTES,
    SUPPORT_WEEKS,
    TOO_LONG,
    USUAL_INTERNSHIP_WEEKS,
    WEEKS,
    WORKING_TIME,
    Profile,
)
from feltkonsulent.services.workspace import PlacementRegistration, Workspace

T = TypeVar("T")
K = PlacementKind
G = TargetGroup




def _forced(index: int, values: Sequence[T]) -> T | None:
    """The index-th value while there are values left: so every value appears at least once."""
    return values[index] if index < len(values) else None


_ASCII = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "é": "e", "ü": "u"})


def _slug(text: str, separator: str = "-") -> str:
    text = text.lower().translate(_ASCII)
    return re.sub(r"[^a-z0-9]+", separator, text).strip(separator)


def _days(n: int) -> timedelta:
    return timedelta(days=n)


def _century_digits(year: int) -> str:
    """The 7th CPR digits that give this birth year (the CPR office's century table)."""
    if not 1900 <= year <= 2057:
        raise ValueError(year)
    if year < 2000:
        return "0123" + ("49" if year % 100 >= 37 else "")
    return ("49" if year <= 2036 else "") + "5678"


# What the agreement prints besides the period and hours. Made from the kind and the dates, not
# drawn at random, so the rest of the demo stays the same for a seed.
WORKING_HOURS = {
    Decimal(5): "Tirsdag 8.00–13.00",
    Decimal(8): "Mandag og torsdag 8.00–12.00",
    Decimal(10): "Tirsdag og torsdag 8.00–13.00",
    Decimal(12): "Mandag–onsdag 8.00–12.00",
    Decimal("22.5"): "Mandag–fredag 8.00–12.30",
    Decimal(15): "Mandag, onsdag og fredag 8.00–13.00",
    Decimal(20): "Mandag–torsdag 8.00–13.00",
    Decimal(25): "Mandag–fredag 8.00–13.00",
    Decimal(30): "Mandag–fredag 7.30–13.30",
    Decimal(37): "Mandag–torsdag 7.00–15.00, fredag 7.00–12.00",
}
HOURLY_WAGE = {K.WAGE_SUBSIDY: Decimal("142.50"), K.IGU: Decimal("72.60"),
               K.HYBRID: Decimal("138.00"), K.ORDINARY_HOURS: Decimal("145.25")}
SUBSIDY_PER_HOUR = Decimal("78.10")  # a private employer's subsidy
IGU_EDUCATION = ("AMU-kurser i lager og logistik på Kold College, 20 uger fordelt over "
                 "forløbet, samt dansk på Sprogcenter Vejle (modul 3)")


DEMO_AGREEMENTS = 12

# Some citizens' latest employers (BAB § 61), named by kind of workplace only.
LATEST_EMPLOYERS = ("Rengøringsselskab, Kolding", "Pizzeria, Vejle", "Lager, Fredericia")
# A municipality that does not exist, so a demo agreement is never taken for a real one.
DEMO_PROFILE = {
    "municipality": "Nordby Kommune", "department": "Virksomhedsservice",
    "address": "Rådhustorvet 1, 9999 Nordby", "phone": "70 10 20 30",
    "email": "virksomhedsservice@nordby.example", "consultant": "Sara Holm",
    "consultant_phone": "20 30 40 50", "consultant_email": "sara.holm@nordby.example",
}

def _terms(kind: PlacementKind, start: date, hours: Decimal) -> dict[str, object]:
    terms: dict[str, object] = {"working_hours": WORKING_HOURS.get(hours)}
    if kind in HOURLY_WAGE:
        terms["hourly_wage"] = HOURLY_WAGE[kind]
    if kind in (K.WAGE_SUBSIDY, K.HYBRID):
        terms["subsidy_per_hour"] = SUBSIDY_PER_HOUR
    if kind is K.IGU:
        terms["education_plan"] = IGU_EDUCATION
    if kind in (K.HYBRID, K.ORDINARY_HOURS):
        # Paid hours start low and rise as the citizen masters the tasks (DOMAIN.md).
        steps = ((0, 5), (28, 8), (56, 12))
        terms["paid_hours_plan"] = tuple(
            f"{(start + timedelta(days=days)).isoformat()} {paid}" for days, paid in steps
            if paid <= hours
        )
    return terms


@dataclass(frozen=True)
class DemoSummary:
    """How many records of each kind `populate` made."""

    companies: int
    contacts: int
    citizens: int
    placements: int
    support_arrangements: int
    language_partners: int
    aftercare_visits: int
    rule_overrides: int
    agreements: int


@dataclass(frozen=True)
class _Workplace:
    company: Company
    contacts: tuple[Contact, ...]
    profile: Profile


@dataclass(frozen=True)
class _Person:
    citizen: Citizen
    first_name: str
    danish: bool


class _Generator:
    """Makes the records from one random stream; `ws` only supplies ids and saves."""

    def __init__(self, ws: Workspace, rng: random.Random, today: date) -> None:
        self.ws = ws
        self.rng = rng
        self.today = today
        self.used: set[str] = set()  # CVR, P-numbers and CPR numbers handed out
        self.names: set[str] = set()  # company names
        self.seen: Counter[PlacementKind] = Counter()
        self.purposes = 0
        self.arrangements = 0
        self.active = 0
        self.corrected = False

    def _unique(self, make: Callable[[], str | None]) -> str:
        while True:
            value = make()
            if value is not None and value not in self.used:
                self.used.add(value)
                return value

    def _phone(self, prefixes: Sequence[str] = MOBILE) -> str:
        digits = f"{self.rng.choice(prefixes)}{self.rng.randrange(1_000_000):06d}"
        return " ".join(digits[i : i + 2] for i in range(0, 8, 2))

    def _dane(self, female: bool | None = None) -> str:
        men, women, surnames = NAMES["dansk"]
        female = self.rng.random() < 0.5 if female is None else female
        return f"{self.rng.choice(women if female else men)} {self.rng.choice(surnames)}"

    # -- companies ------------------------------------------------------------------------
    def _cvr(self) -> str | None:
        digits = [self.rng.randint(1, 9), *(self.rng.randrange(10) for _ in range(6))]
        check = -sum(w * d for w, d in zip((2, 7, 6, 5, 4, 3, 2), digits, strict=True)) % 11
        return None if check == 10 else "".join(map(str, digits)) + str(check)

    def workplace(self) -> _Workplace:
        rng = self.rng
        profile = rng.choice(PROFILES)
        postal_code, city, prefix, streets = rng.choice(CITIES)
        town = city.split(" ")[0]
        street = rng.choice(INDUSTRIAL if profile.industrial else streets)
        name = self._company_name(profile, town, street)
        employees = Decimal(rng.randint(*profile.employees)) + rng.choice((0, 0, Decimal("0.5")))
        company = self.ws.new(
            Company, name=name, cvr=self._unique(self._cvr),
            p_number=self._unique(lambda: str(rng.randint(1_000_000_000, 1_029_999_999))),
            street=f"{street} {rng.randint(1, 120)}{rng.choice(('', '', '', 'A', 'B'))}",
            postal_code=postal_code, city=city, industry=profile.industry,
            employee_count=employees, notes=self._company_note(prefix), sector=profile.sector,
        )
        domain = (profile.domain or "{name}.dk").format(city=_slug(town), name=_slug(name))
        return _Workplace(company, self._contacts(company, profile, domain), profile)

    def _company_name(self, profile: Profile, town: str, street: str) -> str:
        """A name not used before, where a few draws find one (a big run repeats some)."""
        for _ in range(8):
            name = self.rng.choice(profile.names).format(
                surname=self.rng.choice(NAMES["dansk"][2]), city=town, street=street,
                place=self.rng.choice(PLACES),
            )
            if name not in self.names:
                break
        self.names.add(name)
        return name

    def _company_note(self, prefix: str) -> str | None:
        if self.rng.random() < 0.5:
            return None
        return f"Hovednummer {self._phone((prefix,))}. Parkering bag bygningen."

    def _contacts(self, company: Company, profile: Profile, domain: str) -> tuple[Contact, ...]:
        large = (company.employee_count or 0) >= 10
        count = self.rng.randint(2, 3) if large else self.rng.randint(1, 2)
        roles = self.rng.sample(profile.roles, k=min(count, len(profile.roles)))
        if large:  # an employee representative signs with the employer (DOMAIN.md)
            roles[-1] = self.rng.choice(REPRESENTATIVE)
        return tuple(self._contact(company, role, domain) for role in roles)

    def _contact(self, company: Company, role: str, domain: str) -> Contact:
        name = self._dane()
        return self.ws.new(
            Contact, company_id=company.id, name=name, role=role, phone=self._phone(),
            email=f"{_slug(name, '.')}@{domain}",
            is_employee_representative=role in REPRESENTATIVE,
        )

    # -- citizens -------------------------------------------------------------------------
    def person(self, index: int) -> _Person:
        rng = self.rng
        group = _forced(index, tuple(TargetGroup)) or GROUPS(rng)
        danish = rng.random() < DANISH_SHARE.get(group, 0.65)
        men, women, surnames = NAMES["dansk" if danish else FOREIGN(rng)]
        female = rng.random() < 0.5
        first, surname = rng.choice(women if female else men), rng.choice(surnames)
        born = self._birth_date(rng.randint(*AGES.get(group, (18, 60))))
        options = READINESS[group]
        level = None if danish else self._danish_level(group)
        citizen = self.ws.new(
            Citizen, name=f"{first} {surname}", cpr=self._unique(lambda: self._cpr(born, female)),
            phone=self._phone(), email=self._email(first, surname, danish),
            target_group=group, readiness=options[0] if index < 9 else rng.choice(options),
            danish_level=level, needs_interpreter=self._interpreter(level),
            notes=rng.choice(CITIZEN_NOTES) if rng.random() < 0.4 else None,
            # Without a draw of its own, so a seed's other content stays as it was.
            latest_employer=LATEST_EMPLOYERS[index % 7] if index % 7 < len(LATEST_EMPLOYERS)
            else None,
        )
        return _Person(citizen, first, danish)

    def _birth_date(self, age: int) -> date:
        year = self.today.year - age
        try:
            birthday = self.today.replace(year=year)
        except ValueError:  # 29 February in a year that has none
            birthday = date(year, 2, 28)
        return birthday - _days(self.rng.randrange(365))

    def _cpr(self, born: date, female: bool) -> str | None:
        """A CPR number for the birth date whose serial passes the old modulus-11 check and
        is even for women, odd for men; None when this draw does not manage that."""
        century = int(self.rng.choice(_century_digits(born.year)))
        head = [*map(int, born.strftime("%d%m%y")), century]
        head += [self.rng.randrange(10), self.rng.randrange(10)]
        check = -sum(w * d for w, d in zip((4, 3, 2, 7, 6, 5, 4, 3, 2), head, strict=True)) % 11
        if check == 10 or check % 2 != (0 if female else 1):
            return None
        return "".join(map(str, head)) + str(check)

    def _email(self, first: str, surname: str, danish: bool) -> str | None:
        if self.rng.random() > (0.7 if danish else 0.5):
            return None
        local = f"{_slug(first, '.')}.{_slug(surname, '.')}{self.rng.randint(1, 99)}"
        return f"{local}@{self.rng.choice(MAIL)}"

    def _danish_level(self, group: TargetGroup) -> str:
        if group is not G.INTEGRATION_PROGRAMME and self.rng.random() < 0.5:
            return self.rng.choice(PASSED)
        return f"DU{self.rng.randint(1, 3)}, modul {self.rng.randint(1, 6)}"

    def _interpreter(self, level: str | None) -> bool:
        if level is None:
            return False
        beginner = level.startswith("DU1") or level.endswith(("modul 1", "modul 2"))
        return self.rng.random() < (0.6 if beginner else 0.05)

    # -- placements -----------------------------------------------------------------------
    def placement(
        self, kind: PlacementKind, place: _Workplace, person: _Person, after: date | None
    ) -> Placement:
        """A placement; a citizen's later placement starts after `after`, the end of the last."""
        rng = self.rng
        weeks = self._weeks(kind, person.citizen.target_group, place.profile.sector)
        start, end, cancelled = self._period(weeks, after)
        status = self._status(start, end, cancelled)
        purpose = self._purpose() if kind in (K.INTERNSHIP, K.HYBRID) else None
        hours = Decimal(rng.choice(HOURS[kind]))
        if kind in (K.INTERNSHIP, K.WAGE_SUBSIDY) and rng.random() < 0.02:
            hours = Decimal(40)  # above full time: the rules warn
        goals = GOALS[purpose or kind]  # every kind without a purpose has goals of its own
        return self.ws.new(
            Placement, citizen_id=person.citizen.id, company_id=place.company.id, kind=kind,
            purpose=purpose, start_date=start, end_date=end, weekly_hours=hours,
            work_tasks=self._tasks(kind, place.profile), contact_id=place.contacts[0].id,
            goals=tuple(rng.sample(goals, k=rng.randint(1, min(3, len(goals))))),
            status=status, outcome=self._outcome(kind, status),
            follow_up_on=min(end, start + _days(13)),
            **_terms(kind, start, hours),
        )

    def kind(self, group: TargetGroup) -> PlacementKind:
        return KINDS.get(group, KINDS[None])(self.rng)

    def _purpose(self) -> Purpose:
        forced = _forced(self.purposes, tuple(Purpose))
        self.purposes += 1
        return forced or self.rng.choice(tuple(Purpose))

    def _weeks(self, kind: PlacementKind, group: TargetGroup, sector: Sector) -> int:
        if kind in TOO_LONG:
            self.seen[kind] += 1
            if self.seen[kind] % 20 == 6:
                return self.rng.choice(TOO_LONG[kind])
        if kind is K.INTERNSHIP:  # within LAB § 61 for the target group
            return self.rng.choice(INTERNSHIP_WEEKS.get(group, USUAL_INTERNSHIP_WEEKS))
        if kind is K.WAGE_SUBSIDY:
            return self.rng.choice(SUBSIDY_WEEKS[sector])
        return self.rng.choice(WEEKS[kind])

    def _period(self, weeks: int, after: date | None) -> tuple[date, date, bool]:
        """Monday of the first week to Friday of the last, ended, running or ahead of `today`
        (or, with `after`, a few weeks after that day); and whether it was cancelled."""
        length = weeks * 7 - 3
        phase = PHASES(self.rng)
        if after is not None:
            start = after + _days(self.rng.randint(3, 31))
        else:
            start = self.today + _days({
                "ended": -length - self.rng.randint(1, 540),
                "active": -self.rng.randint(0, length),
                "planned": self.rng.randint(3, 60),
                "cancelled": -self.rng.randint(0, 60),
            }[phase])
        start -= _days(start.weekday())  # end dates are Fridays, so this stays after `after`
        return start, start + _days(length), phase == "cancelled"

    def _status(self, start: date, end: date, cancelled: bool) -> PlacementStatus:
        if cancelled:
            return PlacementStatus.CANCELLED
        if end < self.today:
            return PlacementStatus.ENDED
        return PlacementStatus.PLANNED if start > self.today else PlacementStatus.ACTIVE

    def _outcome(self, kind: PlacementKind, status: PlacementStatus) -> Outcome | None:
        if status is PlacementStatus.CANCELLED:
            return Outcome.CANCELLED
        return OUTCOMES[kind](self.rng) if status is PlacementStatus.ENDED else None

    def _tasks(self, kind: PlacementKind, profile: Profile) -> str:
        if kind is K.HYBRID:  # the tasks of each part must be kept apart (DOMAIN.md)
            unpaid, paid = self.rng.sample(profile.tasks, k=2)
            return f"Praktikdel: {unpaid}\nLøntimer: {paid}"
        return f"{self.rng.choice(profile.tasks)}\n{self.rng.choice(WORKING_TIME)}"

    # -- support --------------------------------------------------------------------------
    def support(self, placement: Placement, contact: Contact) -> list[SupportArrangement]:
        if self.rng.random() >= 0.5:
            return []
        count = 2 if self.rng.random() < 0.15 else 1
        return [self._arrangement(placement, contact) for _ in range(count)]

    def _arrangement(self, placement: Placement, contact: Contact) -> SupportArrangement:
        rng = self.rng
        role = _forced(self.arrangements, tuple(SupportRole)) or ROLES(rng)
        self.arrangements += 1
        start = placement.start_date
        end = min(placement.end_date, start + _days(rng.choice(SUPPORT_WEEKS[role]) * 7 - 3))
        volunteer = role is not SupportRole.MENTOR and rng.random() < 0.2
        return self.ws.new(
            SupportArrangement, placement_id=placement.id, role=role, person_name=self._dane(),
            start_date=start, end_date=end,
            hours_per_week=Decimal(rng.choice(SUPPORT_HOURS[role])),
            hourly_rate=None if volunteer else Decimal(rng.choice(RATES)),
            notes=SUPPORT_NOTES[role].format(contact=contact.name),
        )

    def language_partners(self, placement: Placement, person: _Person) -> list[LanguagePartner]:
        rng = self.rng
        if person.danish or rng.random() >= 0.48:
            return []
        start = min(placement.end_date, placement.start_date + _days(rng.randint(0, 10)))
        trained = None if rng.random() < 0.1 else placement.start_date - _days(rng.randint(5, 45))
        return [self.ws.new(
            LanguagePartner, placement_id=placement.id, partner_name=self._dane(),
            start_date=start, end_date=placement.end_date, trained_on=trained,
            meeting_frequency=rng.choice(MEETINGS),
            focus_areas=tuple(rng.sample(FOCUS, k=rng.randint(1, 3))),
            notes="Sprogmakkerkursus hos sprogcentret; sproglæreren besøger arbejdspladsen "
            "hver 4. uge.",
        )]

    # -- visits ---------------------------------------------------------------------------
    def visits(
        self, placement: Placement, contact: Contact, person: _Person
    ) -> list[AftercareVisit]:
        """Completed visits in date order, then at most one planned visit not yet made."""
        if placement.status is PlacementStatus.PLANNED:
            start_meeting = self.rng.random() < 0.5
            return [self._planned(placement, placement.start_date)] if start_meeting else []
        upcoming = self._upcoming(placement)
        days = self._visit_days(placement, upcoming)
        made = []
        for i, day in enumerate(days):
            last = i + 1 == len(days)
            after = (upcoming or self._follow_up(placement, day)) if last else days[i + 1]
            made.append(self._made(placement, day, after, contact, person))
        return made + ([self._planned(placement, upcoming)] if upcoming else [])

    def _follow_up(self, placement: Placement, day: date) -> date | None:
        if placement.status in (PlacementStatus.ENDED, PlacementStatus.CANCELLED):
            return None
        return day + _days(self.rng.randint(14, 35))

    def _upcoming(self, placement: Placement) -> date | None:
        """The next planned visit: for running placements, and aftercare after a job."""
        rng, today = self.rng, self.today
        if placement.status is PlacementStatus.ACTIVE:
            self.active += 1
            forced = _forced(self.active - 1, FORCED_DUE_DAYS)
            draw = 0.0 if forced is not None else rng.random()
            if draw < 0.2:  # due today or overdue
                due = today - _days(rng.randint(0, 10) if forced is None else forced)
                return max(due, placement.start_date)
            return today + _days(rng.randint(1, 30)) if draw < 0.6 else None
        if placement.outcome is Outcome.JOB and rng.random() < 0.3:
            return today + _days(rng.randint(1, 30))
        return None

    def _visit_days(self, placement: Placement, upcoming: date | None) -> list[date]:
        cancelled = placement.status is PlacementStatus.CANCELLED
        count = self.rng.randint(0, 1) if cancelled else self.rng.choice((2, 3, 3, 4, 4, 5))
        aftercare = 90 if placement.outcome is Outcome.JOB else 0
        last = min(self.today, placement.end_date + _days(aftercare))
        if upcoming is not None and upcoming <= last:
            last = upcoming - _days(1)
        first = placement.start_date + _days(3)
        span = (last - first).days + 1
        if span <= 0:
            return []
        return [first + _days(d) for d in sorted(self.rng.sample(range(span), min(count, span)))]

    def _made(
        self, placement: Placement, day: date, after: date | None, contact: Contact, person: _Person
    ) -> AftercareVisit:
        rng = self.rng
        interpreter = ", tolk" if person.citizen.needs_interpreter else ""
        names = {"first": person.first_name, "contact": contact.name.split()[0]}
        return self.ws.new(
            AftercareVisit, placement_id=placement.id,
            planned_on=day if rng.random() < 0.8 else None, visited_on=day, mode=MODES(rng),
            next_visit_on=after,
            participants=f"{person.citizen.name}, {contact.name} ({contact.role}), "
            f"virksomhedskonsulent{interpreter}",
            notes=rng.choice(NOTES).format(**names), agreed_actions=rng.choice(ACTIONS),
        )

    def _planned(self, placement: Placement, day: date) -> AftercareVisit:
        return self.ws.new(
            AftercareVisit, placement_id=placement.id, planned_on=day,
            mode=MODES(self.rng), notes=self.rng.choice(PLANNED_NOTES),
        )

    def correction(self, visits: Sequence[AftercareVisit]) -> AftercareVisit | None:
        """Now and then a completed note is corrected (the first time always, so there is one)."""
        made = [v for v in visits if v.visited_on is not None]
        if not made or (self.corrected and self.rng.random() >= 0.04):
            return None
        self.corrected = True
        old = self.rng.choice(made)
        if self.rng.random() < 0.5:
            return dataclasses.replace(
                old, mode=VisitMode.PHONE,
                notes=f"Rettelse: samtalen foregik telefonisk. {old.notes}",
            )
        return dataclasses.replace(
            old, agreed_actions=f"Rettelse: {self.rng.choice(ACTIONS)}",
            notes=f"Rettelse: de aftalte handlinger var forkert noteret. {old.notes}",
        )


class _Run:
    """One `populate`: the records made so far and the choices of who is placed where."""

    def __init__(self, ws: Workspace, gen: _Generator) -> None:
        self.ws = ws
        self.gen = gen
        self.places: list[_Workplace] = []
        self.people: list[_Person] = []
        self.unplaced: list[int] = []
        self.newcomers: list[int] = []  # integration programme: who may start an IGU
        self.weights: list[int] = []
        self.last_end: dict[int, date] = {}  # person index: end of their latest placement
        self.counts: Counter[str] = Counter()

    def save(self, *records: Company | Contact | Citizen) -> None:
        for record in records:
            self.ws.save(record)
            self.counts[type(record).__name__] += 1

    def make_workplaces(self, count: int, batch: int) -> None:
        for first in range(0, count, batch):
            with self.ws.store.write():
                for _ in range(first, min(first + batch, count)):
                    place = self.gen.workplace()
                    self.save(place.company, *place.contacts)
                    self.places.append(place)
        # Bigger workplaces take more people in; cumulative weights make each pick a bisect.
        sizes = (int(p.company.employee_count or 1) for p in self.places)
        self.weights = list(accumulate(int(s**0.5) + 1 for s in sizes))

    def make_people(self, count: int, batch: int) -> None:
        for first in range(0, count, batch):
            with self.ws.store.write():
                for index in range(first, min(first + batch, count)):
                    person = self.gen.person(index)
                    self.save(person.citizen)
                    self.people.append(person)
        self.unplaced = list(range(count))
        self.gen.rng.shuffle(self.unplaced)
        self.newcomers = [i for i, p in enumerate(self.people)
                          if p.citizen.target_group is G.INTEGRATION_PROGRAMME]

    def _choose(self, index: int) -> tuple[PlacementKind, int]:
        """Who is placed in what: the first placements take every kind once, and everyone gets
        a placement before anyone gets a second one."""
        rng = self.gen.rng
        forced = _forced(index, tuple(PlacementKind))
        if forced is K.IGU and self.newcomers:
            return forced, rng.choice(self.newcomers)
        pick = self.unplaced.pop() if self.unplaced else self._again()
        group = self.people[pick].citizen.target_group
        return forced or self.gen.kind(group), pick

    def _again(self) -> int:
        """Someone for a further placement, preferably one whose last has ended."""
        rng, today = self.gen.rng, self.gen.today
        for _ in range(10):
            pick = rng.randrange(len(self.people))
            if self.last_end.get(pick, today) < today:
                break
        return pick

    def register(self, index: int) -> None:
        gen = self.gen
        kind, pick = self._choose(index)
        person = self.people[pick]
        place = gen.rng.choices(self.places, cum_weights=self.weights)[0]
        placement = gen.placement(kind, place, person, self.last_end.get(pick))
        self.last_end[pick] = placement.end_date
        contact = place.contacts[0]
        support = gen.support(placement, contact)
        partners = gen.language_partners(placement, person)
        self.ws.register_placement(PlacementRegistration(
            place.company, person.citizen, placement, contact, support, partners,
        ))
        self.counts.update(Placement=1, SupportArrangement=len(support),
                          LanguagePartner=len(partners))
        self.visit(placement, contact, person)

    def visit(self, placement: Placement, contact: Contact, person: _Person) -> None:
        visits = self.gen.visits(placement, contact, person)
        for visit in visits:
            self.ws.record_visit(visit)
        corrected = self.gen.correction(visits)
        if corrected is not None:
            self.ws.correct_visit(corrected.id, corrected)
        self.counts["AftercareVisit"] += len(visits) + (corrected is not None)

    def go_on_past_findings(self) -> None:
        """The consultant's reason to go on is recorded for about a third of the rules' warnings
        (for the first always, so there is one)."""
        warnings = [
            c.finding for c in rules.all_findings(self.ws) if c.finding.severity is Severity.WARNING
        ]
        rng, today = self.gen.rng, self.gen.today
        chosen = [f for i, f in enumerate(warnings) if i == 0 or rng.random() < 0.35]
        with self.ws.store.write():
            for f in chosen:
                reason = OVERRIDE_REASONS.get(f.code, OVERRIDE_REASON)
                rules.go_on_past(self.ws, f.placement_id, f.code, reason, today)
        self.counts["RuleOverride"] += len(chosen)

    def issue_agreements(self, wanted: int = DEMO_AGREEMENTS) -> None:
        """Agreements issued (real PDFs, recorded) for the first planned and running placements;
        about half of them signed since. Bounded: a large demo database needs no more."""
        live = self.ws.repos.placements.where(
            "status IN ('planned', 'active')", order="start_date, id")[:wanted]
        today = self.gen.today
        made = 0
        for placement in live:
            try:
                issued, _pdf = agreements.issue(self.ws, placement.id, "da", today, "demo")
            except ValidationError as error:
                if error.codes != {"ratio_breach"}:
                    raise
                continue  # a ratio breach is resolved before an agreement is made (BAB § 65)
            if made % 2 == 0:
                agreements.mark_signed(self.ws, issued.id, today)
            made += 1
        self.counts["Agreement"] += made

    def summary(self) -> DemoSummary:
        c = self.counts
        return DemoSummary(
            companies=c["Company"], contacts=c["Contact"], citizens=c["Citizen"],
            placements=c["Placement"], support_arrangements=c["SupportArrangement"],
            language_partners=c["LanguagePartner"], aftercare_visits=c["AftercareVisit"],
            rule_overrides=c["RuleOverride"], agreements=c["Agreement"],
        )


def populate(
    ws: Workspace,
    *,
    records: int = 200,
    seed: int = 1,
    today: date,
    batch: int = 200,
    progress: Callable[[int], None] | None = None,
) -> DemoSummary:
    """Fill the workspace with `records` placements and about records/4 companies (1–3 contacts
    each), 0.8 × records citizens, buddies, sprogmakkere and about three visit notes a placement;
    a few placements break a legal limit, and for some of those the consultant's reason to go on
    is recorded (`services.rules.go_on_past`).

    The content (names, CVR and CPR numbers, dates relative to `today`, texts) is the same for the
    same `seed` and `today`; the ids are fresh UUIDv7 from `ws.new` and differ from run to run.
    Each `batch` of placements is one transaction; `progress` gets the placements done so far.
    """
    if records < 1 or batch < 1:
        raise ValueError("records and batch must be at least 1")
    run = _Run(ws, _Generator(ws, random.Random(seed), today))
    profile.update(ws, **DEMO_PROFILE)
    run.make_workplaces(max(1, records // 4), batch)
    run.make_people(max(1, round(records * 0.8)), batch)
    for first in range(0, records, batch):
        done = min(first + batch, records)
        with ws.store.write():
            for index in range(first, done):
                run.register(index)
        if progress is not None:
            progress(done)
    run.go_on_past_findings()
    run.issue_agreements()
    return run.summary()
