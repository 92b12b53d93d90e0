"""Rule findings for placements, saved or not yet saved, and the reasons to go on past them."""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from feltkonsulent.domain.entities import (
    Citizen,
    Company,
    LanguagePartner,
    Placement,
    RuleOverride,
    SupportArrangement,
)
from feltkonsulent.domain.errors import DomainError, ValidationError
from feltkonsulent.domain.rules import Finding, PlacementContext, Severity, findings_for
from feltkonsulent.services.workspace import PlacementRegistration, Workspace


@dataclass(frozen=True)
class CheckedFinding:
    """A finding, and the consultant's reason for going on past it where one was given."""

    finding: Finding
    override: RuleOverride | None

    @property
    def needs_attention(self) -> bool:
        """A warning or error without a reason; a notice is for information only."""
        return self.override is None and self.finding.severity is not Severity.NOTICE


CHUNK = 2000  # placements checked together: bounds what is held in memory at 100,000


class _World:
    """A chunk of placements with what the rules compare them with: every placement of their
    citizens and companies that can overlap them (the rules compare a placement only with those
    overlapping it), and their citizens and companies."""

    def __init__(self, ws: Workspace, placements: list[Placement]) -> None:
        repos = ws.repos
        self.placements = placements
        citizen_ids = [p.citizen_id for p in placements]
        company_ids = [p.company_id for p in placements]
        window = ("end_date >= ? AND start_date <= ?",
                  (min(p.start_date for p in placements).isoformat(),
                   max(p.end_date for p in placements).isoformat()))
        peers = {p.id: p for p in (
            *repos.placements.where_in("citizen_id", citizen_ids, *window),
            *repos.placements.where_in("company_id", company_ids, *window),
        )}
        self.citizens = {c.id: c for c in repos.citizens.many_unaudited(citizen_ids)}
        self.companies = {c.id: c for c in repos.companies.many_unaudited(company_ids)}
        self.by_citizen: dict[str, list[Placement]] = defaultdict(list)
        self.by_company: dict[str, list[Placement]] = defaultdict(list)
        for p in peers.values():
            self.by_citizen[p.citizen_id].append(p)
            self.by_company[p.company_id].append(p)

    def context(self, placement: Placement) -> PlacementContext:
        return PlacementContext(
            placement,
            self.citizens.get(placement.citizen_id),
            self.companies.get(placement.company_id),
            self.by_citizen[placement.citizen_id],
            self.by_company[placement.company_id],
        )

def _overrides(ws: Workspace) -> dict[tuple[str, str], RuleOverride]:
    """The latest reason per (placement, code)."""
    return {(o.placement_id, o.code): o for o in ws.repos.rule_overrides.iterate()}


def _with_overrides(
    findings: Iterable[Finding], overrides: dict[tuple[str, str], RuleOverride]
) -> list[CheckedFinding]:
    return [CheckedFinding(f, overrides.get((f.placement_id, f.code))) for f in findings]


def all_findings(ws: Workspace, still_running_on: date | None = None) -> list[CheckedFinding]:
    """Findings for every live placement (or those not over by `still_running_on`: what "I dag"
    shows), by the placements' start dates."""
    clause, params = ("1", ()) if still_running_on is None else (
        "end_date >= ?", (still_running_on.isoformat(),))
    found: list[Finding] = []
    # By start date: a chunk then spans a short time, and few placements can overlap it.
    for chunk in ws.repos.placements.batches(clause, params, CHUNK, order="start_date, id"):
        world = _World(ws, chunk)
        found.extend(f for p in chunk for f in findings_for(world.context(p)))
    return _with_overrides(found, _overrides(ws))


def placement_findings(ws: Workspace, placement_id: str) -> list[CheckedFinding]:
    placement = ws.repos.placements.require(placement_id)
    context = PlacementContext(
        placement,
        ws.repos.citizens.fetch_unaudited(placement.citizen_id),
        ws.repos.companies.get(placement.company_id),
        ws.repos.placements.for_citizen(placement.citizen_id),
        ws.repos.placements.for_company(placement.company_id),
    )
    overrides: dict[tuple[str, str], RuleOverride] = {
        (o.placement_id, o.code): o for o in ws.repos.rule_overrides.for_placement(placement_id)
    }
    return _with_overrides(findings_for(context), overrides)


def draft_findings(
    ws: Workspace, placement: Placement, citizen: Citizen, company: Company
) -> list[Finding]:
    """Findings for a placement being registered, before it is saved (the "Nyt forløb" flow):
    the citizen's and the company's saved placements are taken into account."""
    saved = ws.repos.placements
    return findings_for(PlacementContext(
        placement, citizen, company,
        [p for p in saved.for_citizen(citizen.id) if p.id != placement.id],
        [p for p in saved.for_company(company.id) if p.id != placement.id],
    ))


def go_on_past(ws: Workspace, placement_id: str, code: str, reason: str, today: date) -> RuleOverride:
    """Record why the consultant goes on although a rule found something. The reason is kept
    with the placement and syncs like any record; an error (impossible data) cannot be passed."""
    if code == "end_before_start":
        raise ValidationError([DomainError("cannot_override", "code")])
    override = ws.new(RuleOverride, placement_id=placement_id, code=code, reason=reason.strip(),
                      decided_on=today)
    ws.save(override)
    return override


def _needing_reasons(found: Iterable[Finding], reasons: Mapping[str, str],
                     given_before: Iterable[str] = ()) -> list[DomainError]:
    """Every error blocks; every warning without a reason (now or before) blocks; a notice
    never does."""
    before = set(given_before)
    return [
        DomainError("cannot_override" if f.severity is Severity.ERROR else "reason_required",
                    f.code)
        for f in found
        if f.severity is Severity.ERROR
        or (f.severity is Severity.WARNING and f.code not in before
            and not reasons.get(f.code, "").strip())
    ]


def _new_overrides(ws: Workspace, placement_id: str, found: Iterable[Finding],
                   reasons: Mapping[str, str], today: date) -> list[RuleOverride]:
    return [
        ws.new(RuleOverride, placement_id=placement_id, code=code, reason=reasons[code].strip(),
               decided_on=today)
        for code in dict.fromkeys(f.code for f in found if f.severity is Severity.WARNING)
        if reasons.get(code, "").strip()
    ]


def edit_findings(ws: Workspace, placement: Placement) -> list[CheckedFinding]:
    """Findings for an edited placement before it is saved, each with the reason given before
    (a warning passed once needs no new reason)."""
    citizen = ws.repos.citizens.fetch_unaudited(placement.citizen_id)
    company = ws.repos.companies.get(placement.company_id)
    saved = ws.repos.placements
    found = findings_for(PlacementContext(
        placement, citizen, company,
        [p for p in saved.for_citizen(placement.citizen_id) if p.id != placement.id],
        [p for p in saved.for_company(placement.company_id) if p.id != placement.id],
    ))
    overrides: dict[tuple[str, str], RuleOverride] = {
        (o.placement_id, o.code): o for o in ws.repos.rule_overrides.for_placement(placement.id)
    }
    return _with_overrides(found, overrides)


def update_with_reasons(
    ws: Workspace, placement: Placement,
    arrangements: Sequence[SupportArrangement | LanguagePartner], reasons: Mapping[str, str],
    today: date,
) -> Placement:
    """Save an edited placement and its arrangements; a warning the edit brings up needs a
    reason (saved in the same transaction), one passed before does not."""
    checked = edit_findings(ws, placement)
    found = [c.finding for c in checked]
    problems = _needing_reasons(found, reasons, (c.finding.code for c in checked if c.override))
    if problems:
        raise ValidationError(problems)
    overrides = _new_overrides(ws, placement.id, found, reasons, today)
    return ws.update_placement(placement, arrangements, overrides)


def register_with_reasons(
    ws: Workspace, registration: PlacementRegistration, reasons: Mapping[str, str], today: date
) -> Placement:
    """Register a placement after its findings were shown: every warning needs a reason (saved
    with the placement in the same transaction); an error (impossible data) cannot be passed."""
    r = registration
    found = draft_findings(ws, r.placement, r.citizen, r.company)
    problems = _needing_reasons(found, reasons)
    if problems:
        raise ValidationError(problems)
    overrides = _new_overrides(ws, r.placement.id, found, reasons, today)
    return ws.register_placement(dataclasses.replace(r, overrides=overrides))
