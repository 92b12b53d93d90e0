"""The names the interface shows for the domain's vocabularies (GLOSSARY.md)."""

from __future__ import annotations

from enum import StrEnum

from feltkonsulent.domain.enums import (
    Outcome,
    PlacementKind,
    PlacementStatus,
    Purpose,
    Readiness,
    Sector,
    SupportRole,
    TargetGroup,
    VisitMode,
)
from feltkonsulent.i18n import _


def _labels() -> dict[StrEnum, str]:
    return {
        PlacementKind.INTERNSHIP: _("Internship"),
        PlacementKind.WAGE_SUBSIDY: _("Wage subsidy"),
        PlacementKind.IGU: _("IGU"),
        PlacementKind.HYBRID: _("Hybrid internship"),
        PlacementKind.ORDINARY_HOURS: _("Ordinary hours"),
        Purpose.CLARIFICATION: _("Clarification"),
        Purpose.UPSKILLING: _("Upskilling"),
        Purpose.RECRUITMENT: _("Recruitment"),
        PlacementStatus.PLANNED: _("Planned"),
        PlacementStatus.ACTIVE: _("Active"),
        PlacementStatus.ENDED: _("Ended"),
        PlacementStatus.CANCELLED: _("Cancelled"),
        Outcome.JOB: _("Job"),
        Outcome.EDUCATION: _("Education"),
        Outcome.IGU: _("IGU"),
        Outcome.WAGE_SUBSIDY: _("Wage subsidy"),
        Outcome.ENDED_WITHOUT_JOB: _("Ended without a job"),
        Outcome.CANCELLED: _("Cancelled"),
        SupportRole.BUDDY: _("Buddy"),
        SupportRole.MENTOR: _("Mentor"),
        SupportRole.CULTURE_GUIDE: _("Culture guide"),
        TargetGroup.UNEMPLOYMENT_BENEFIT: _("Unemployment benefit"),
        TargetGroup.CASH_BENEFIT_JOB_READY: _("Cash benefit, job-ready"),
        TargetGroup.CASH_BENEFIT_ACTIVITY_READY: _("Cash benefit, activity-ready"),
        TargetGroup.EDUCATION_BENEFIT: _("Education benefit"),
        TargetGroup.SICKNESS_BENEFIT: _("Sickness benefit"),
        TargetGroup.INTEGRATION_PROGRAMME: _("Integration programme"),
        TargetGroup.GRADUATE: _("Graduate"),
        TargetGroup.SELF_SUPPORTING: _("Self-supporting"),
        TargetGroup.OTHER: _("Other"),
        Readiness.JOB_READY: _("Job-ready"),
        Readiness.ACTIVITY_READY: _("Activity-ready"),
        Readiness.EDUCATION_READY: _("Education-ready"),
        VisitMode.ON_SITE: _("At the workplace"),
        VisitMode.PHONE: _("Phone"),
        VisitMode.VIDEO: _("Video"),
        Sector.PRIVATE: _("Private"),
        Sector.PUBLIC: _("Public"),
    }


def label(value: StrEnum | None) -> str:
    if value is None:
        return ""
    return _labels().get(value, str(value))


def choices(enum: type[StrEnum]) -> list[tuple[StrEnum, str]]:
    return [(member, label(member)) for member in enum]
