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
        # Since 1.7.2025 uddannelseshjælp is kontanthjælp (lov nr. 1655/2024); the stored value
        # stays `education_benefit`.
        TargetGroup.EDUCATION_BENEFIT: _("Cash benefit (formerly education benefit)"),
        TargetGroup.SICKNESS_BENEFIT: _("Sickness benefit"),
        # The introduktionsprogram (lov nr. 1654 af 30.12.2024 § 3).
        TargetGroup.INTEGRATION_PROGRAMME: _("Introduction programme"),
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


def _rule_groups() -> dict[str, str]:
    """Who a limit applies to, as a rule's sentence says it ("højst 4 uger for …")."""
    without = _("job-ready people without work experience or after long unemployment")
    return {
        TargetGroup.UNEMPLOYMENT_BENEFIT: _("recipients of unemployment benefit"),
        TargetGroup.CASH_BENEFIT_JOB_READY: _("job-ready recipients of cash benefit"),
        TargetGroup.CASH_BENEFIT_ACTIVITY_READY: _("activity-ready recipients of cash benefit"),
        TargetGroup.EDUCATION_BENEFIT: _(
            "education-ready recipients of cash benefit (formerly education benefit)"),
        "education_benefit:activity_ready": _(
            "activity-ready recipients of cash benefit (formerly education benefit)"),
        "unemployment_benefit:without_work_experience": without,
        "cash_benefit_job_ready:without_work_experience": without,
        "education_benefit:without_work_experience": without,
        TargetGroup.SICKNESS_BENEFIT: _("recipients of sickness benefit"),
        TargetGroup.INTEGRATION_PROGRAMME: _("citizens in the introduction programme"),
        TargetGroup.GRADUATE: _("graduates on unemployment benefit"),
        TargetGroup.SELF_SUPPORTING: _("self-supporting citizens"),
        TargetGroup.OTHER: _("citizens of another target group"),
    }


def rule_group(applies_to: str) -> str:
    """`jobparate kontanthjælpsmodtagere`: a limit table row's group in a sentence."""
    return _rule_groups().get(applies_to, applies_to)


def label(value: StrEnum | None) -> str:
    if value is None:
        return ""
    return _labels().get(value, str(value))


def choices(enum: type[StrEnum]) -> list[tuple[StrEnum, str]]:
    return [(member, label(member)) for member in enum]
