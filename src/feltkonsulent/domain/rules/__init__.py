"""The rules of the law, checked and explained, never enforced: findings with codes and references."""

from feltkonsulent.domain.rules.checks import Finding, PlacementContext, Severity, findings_for
from feltkonsulent.domain.rules.limits import LIMITS, Limit, find_limit

__all__ = ["LIMITS", "Finding", "Limit", "PlacementContext", "Severity", "find_limit", "findings_for"]
