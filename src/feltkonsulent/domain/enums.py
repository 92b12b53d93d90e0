"""The closed vocabularies of the records (GLOSSARY.md): kinds, purposes, roles, statuses."""

from __future__ import annotations

from enum import StrEnum


class PlacementKind(StrEnum):
    INTERNSHIP = "internship"
    WAGE_SUBSIDY = "wage_subsidy"
    IGU = "igu"
    HYBRID = "hybrid"
    ORDINARY_HOURS = "ordinary_hours"


class Purpose(StrEnum):
    CLARIFICATION = "clarification"
    UPSKILLING = "upskilling"
    RECRUITMENT = "recruitment"


class PlacementStatus(StrEnum):
    PLANNED = "planned"
    ACTIVE = "active"
    ENDED = "ended"
    CANCELLED = "cancelled"


class Outcome(StrEnum):
    JOB = "job"
    EDUCATION = "education"
    IGU = "igu"
    WAGE_SUBSIDY = "wage_subsidy"
    ENDED_WITHOUT_JOB = "ended_without_job"
    CANCELLED = "cancelled"


class SupportRole(StrEnum):
    BUDDY = "buddy"
    MENTOR = "mentor"
    CULTURE_GUIDE = "culture_guide"


class TargetGroup(StrEnum):
    UNEMPLOYMENT_BENEFIT = "unemployment_benefit"
    CASH_BENEFIT_JOB_READY = "cash_benefit_job_ready"
    CASH_BENEFIT_ACTIVITY_READY = "cash_benefit_activity_ready"
    EDUCATION_BENEFIT = "education_benefit"
    SICKNESS_BENEFIT = "sickness_benefit"
    INTEGRATION_PROGRAMME = "integration_programme"
    GRADUATE = "graduate"
    SELF_SUPPORTING = "self_supporting"
    OTHER = "other"


class Readiness(StrEnum):
    JOB_READY = "job_ready"
    ACTIVITY_READY = "activity_ready"
    EDUCATION_READY = "education_ready"


class VisitMode(StrEnum):
    ON_SITE = "on_site"
    PHONE = "phone"
    VIDEO = "video"


class Sector(StrEnum):
    """Whether the employer is private or public: wage-subsidy limits differ (LAB § 68)."""

    PRIVATE = "private"
    PUBLIC = "public"
