"""Records that are the same person or workplace: a citizen with another citizen's CPR number, a
company with another company's CVR and P-number (the P-number names the workplace; two
workplaces of one company share the CVR). Used where a record is typed (the forms warn and
offer the existing record), imported (refused, naming both) and after a sync (two laptops made
the same citizen offline: the "Dubletter" view merges them)."""

from __future__ import annotations

from feltkonsulent.domain.entities import Citizen, Company
from feltkonsulent.services.workspace import Workspace


def same_citizen(ws: Workspace, citizen: Citizen) -> list[Citizen]:
    """Live citizens other than this one with its CPR number."""
    return ws.repos.citizens.where("cpr = ? AND id <> ?", (citizen.cpr, citizen.id), order="name, id")


def same_company(ws: Workspace, company: Company) -> list[Company]:
    """Live companies other than this one with its CVR number and P-number (none counts as one
    value: a company registered without a P-number twice is the same company)."""
    return ws.repos.companies.where(
        "cvr = ? AND coalesce(p_number, '') = ? AND id <> ?",
        (company.cvr, company.p_number or "", company.id), order="name, id")


def same_as(ws: Workspace, record: Citizen | Company) -> list[Citizen] | list[Company]:
    """The live records this one would duplicate (not itself): by CPR, or by CVR and P-number."""
    if isinstance(record, Citizen):
        return same_citizen(ws, record)
    return same_company(ws, record)
