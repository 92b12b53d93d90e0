"""What each rule means, in plain Danish and English: the source of docs/rules.md."""

from __future__ import annotations

from dataclasses import dataclass

from feltkonsulent.domain.rules.checks import Severity


@dataclass(frozen=True)
class RuleText:
    code: str
    severity: Severity
    title_da: str
    title_en: str
    explanation_da: str
    explanation_en: str


RULES: tuple[RuleText, ...] = (
    RuleText(
        "end_before_start", Severity.ERROR,
        "Slutter før start", "Ends before it starts",
        "Slutdatoen ligger før startdatoen. Det er en fejl i data, ikke en lovgrænse.",
        "The end date is before the start date. That is an error in the data, not a legal limit.",
    ),
    RuleText(
        "internship_too_long", Severity.WARNING,
        "Praktikken er for lang", "Internship too long",
        "En virksomhedspraktik må vare et antal uger, der afhænger af borgerens målgruppe. "
        "Længden tælles i kalenderdage med både første og sidste dag; fire uger er 28 dage. "
        "Grænsen slås op på praktikkens startdato.",
        "An internship may last a number of weeks that depends on the citizen's target group. "
        "The length counts calendar days, first and last day included; four weeks is 28 days. "
        "The limit is looked up on the internship's start date.",
    ),
    RuleText(
        "hours_above_full_time", Severity.WARNING,
        "Flere timer end fuld tid", "Hours above full time",
        "Ugentlige timer over normal fuld tid (37 timer).",
        "Weekly hours above normal full time (37 hours).",
    ),
    RuleText(
        "ratio_exceeded", Severity.WARNING,
        "Rimelighedskravet er overskredet", "Ratio of supported to ordinary employees exceeded",
        "Arbejdspladsen må have én person i praktik eller løntilskud pr. fem ordinært ansatte op "
        "til 50 ansatte (mindst én), derefter én mere pr. ti. Personerne tælles i fuldtidspersoner "
        "(timer / 37) over de forløb, der er i gang samtidig på virksomheden; det største antal i "
        "forløbets periode tæller.",
        "A workplace may have one person in an internship or wage-subsidy job per five ordinary "
        "employees up to 50 employees (at least one), then one more per ten. Persons count as "
        "full-time equivalents (hours / 37) over the placements active at the same time at the "
        "company; the highest number during the placement counts.",
    ),
    RuleText(
        "wage_subsidy_too_long", Severity.WARNING,
        "Løntilskuddet er for langt", "Wage subsidy too long",
        "Løntilskud må vare et antal måneder, der afhænger af målgruppen og af, om arbejdsgiveren "
        "er privat eller offentlig. Er det ikke registreret, advares kun, når begge grænser er "
        "overskredet.",
        "A wage subsidy may last a number of months that depends on the target group and on "
        "whether the employer is private or public. Where that is not recorded, only a subsidy "
        "longer than both limits is reported.",
    ),
    RuleText(
        "igu_too_long", Severity.WARNING,
        "IGU-forløbet er for langt", "IGU too long",
        "En integrationsgrunduddannelse varer 24 måneder.",
        "An integration basic education (IGU) lasts 24 months.",
    ),
    RuleText(
        "overlapping_placement", Severity.WARNING,
        "Overlappende forløb", "Overlapping placement",
        "Borgeren har et andet forløb i samme periode. Aflyste og slettede forløb tæller ikke.",
        "The citizen has another placement in the same period. Cancelled and deleted ones do not "
        "count.",
    ),
)
