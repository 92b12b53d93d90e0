"""Who issues an agreement: the municipality (its unit, address, phone, e-mail) and the consultant
(name, phone, e-mail). Recorded once, synced with the team, printed on every agreement.

One team profile per team and one consultant profile per user. Two laptops may each make one
offline: a made profile's id is derived from the team (and the user), so after a sync both laptops
edit the same record field by field; where ids still differ (a profile made before the laptop
joined its team), the one changed last is the profile.
"""

from __future__ import annotations

import dataclasses
import uuid
from dataclasses import dataclass
from typing import Any

from feltkonsulent.domain.entities import ConsultantProfile, TeamProfile
from feltkonsulent.domain.errors import DomainError, ValidationError
from feltkonsulent.services.operations import operation
from feltkonsulent.services.workspace import Workspace
from feltkonsulent.storage.database import DEFAULT_TEAM

__all__ = ["CONSULTANT_FIELDS", "TEAM_FIELDS", "Profile", "current", "is_complete", "update"]

_NAMESPACE = uuid.UUID("5b0c3a44-5d3e-4a53-9b65-2f1f7e0c4a11")
# What `update` takes: the team's fields, and the consultant's under their own names.
TEAM_FIELDS = ("municipality", "department", "address", "phone", "email")
CONSULTANT_FIELDS = ("consultant", "consultant_phone", "consultant_email")
_CONSULTANT_RECORD = {"consultant": "name", "consultant_phone": "phone",
                      "consultant_email": "email"}


@dataclass(frozen=True)
class Profile:
    team: TeamProfile | None
    consultant: ConsultantProfile | None

    @property
    def municipality(self) -> str | None:
        return self.team.municipality if self.team else None

    def as_dict(self) -> dict[str, str | None]:
        t, c = self.team, self.consultant
        return {
            "municipality": t.municipality if t else None,
            "department": t.department if t else None,
            "address": t.address if t else None,
            "phone": t.phone if t else None,
            "email": t.email if t else None,
            "consultant": c.name if c else None,
            "consultant_phone": c.phone if c else None,
            "consultant_email": c.email if c else None,
        }


def _latest(ws: Workspace, table: str, clause: str, params: tuple[Any, ...]) -> Any:
    rows = ws.repos.by_entity(table).where(
        f"team_id = ? AND {clause}", (ws.team_id, *params), order="updated_hlc DESC, id")
    return rows[0] if rows else None


def current(ws: Workspace, user: str | None = None) -> Profile:
    """The team's profile and the consultant's (`user`: default the one the database was opened
    by); either is None where none is recorded yet."""
    who = user or ws.store.actor
    return Profile(_latest(ws, "team_profiles", "1", ()),
                   _latest(ws, "consultant_profiles", "user = ?", (who,)))


def is_complete(profile: Profile) -> bool:
    """Enough to print an agreement: the municipality's name and the consultant's."""
    return bool(profile.team and profile.team.municipality.strip()
                and profile.consultant and profile.consultant.name.strip())


def _new_id(ws: Workspace, *parts: str) -> str:
    """Derived from the team (and user), so laptops of one team make the same record; before
    the laptop has a team, a fresh one (the team "local" is every unsynced laptop's)."""
    if ws.team_id == DEFAULT_TEAM:
        return str(uuid.uuid4())
    return str(uuid.uuid5(_NAMESPACE, "/".join((ws.team_id, *parts))))


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    stripped = value.strip()
    return stripped or None


@operation
def update(ws: Workspace, /, user: str | None = None, **given: str | None) -> Profile:
    """Set the fields given (TEAM_FIELDS, CONSULTANT_FIELDS; None: leave as it is, "": clear)
    in one transaction, and return the profile. A profile's name cannot be cleared."""
    unknown = sorted(set(given) - set(TEAM_FIELDS) - set(CONSULTANT_FIELDS))
    if unknown:
        raise ValueError(f"unknown profile fields: {', '.join(unknown)}")
    who = user or ws.store.actor
    with ws.store.write():
        before = current(ws, who)
        team_changes = {k: _clean(v) for k, v in given.items() if k in TEAM_FIELDS and v is not None}
        person_changes = {_CONSULTANT_RECORD[k]: _clean(v) for k, v in given.items()
                          if k in CONSULTANT_FIELDS and v is not None}
        # A part not recorded yet and given only empty values stays unrecorded.
        if team_changes and (before.team or any(team_changes.values())):
            _save(ws, before.team, TeamProfile, team_changes, _new_id(ws, "team"))
        if person_changes and (before.consultant or any(person_changes.values())):
            _save(ws, before.consultant, ConsultantProfile, person_changes,
                  _new_id(ws, "consultant", who), user=who)
        return current(ws, who)


def _save(ws: Workspace, old: Any, cls: type[Any], changes: dict[str, Any], new_id: str,
          **extra: Any) -> None:
    """The profile changed (or made); refused as the record's validation says, its fields named
    as the caller named them. A name cleared or never given is refused there ("required")."""
    if old is not None:
        record = dataclasses.replace(old, **changes)
    else:
        names = {"name": None} if cls is ConsultantProfile else {"municipality": None}
        record = ws.new(cls, id=new_id, **extra, **(names | changes))
    try:
        ws.save(record)
    except ValidationError as error:
        raise ValidationError([
            DomainError(e.code, _public_name(cls, e.field) if e.field else None, e.params)
            for e in error.errors]) from None


def _public_name(cls: type[Any], field: str) -> str:
    """The option's name for a field (`consultant`, not `name`)."""
    if cls is ConsultantProfile:
        return {v: k for k, v in _CONSULTANT_RECORD.items()}.get(field, field)
    return field
