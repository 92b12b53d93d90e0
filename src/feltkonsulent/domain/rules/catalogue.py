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


_PROVISIONAL_DA = (
    " Fra 1.1.2027 gælder en ny lov, hvis grænser ikke er bekræftet: den hidtidige grænse og "
    "paragraf anvendes, og advarslen er markeret »foreløbig: ikke bekræftet efter den nye lov«."
)
_PROVISIONAL_EN = (
    " From 1.1.2027 a new act applies whose limits are not confirmed: the earlier limit and "
    "paragraph apply, and the finding is marked \"provisional: not confirmed under the new act\"."
)

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
        "En virksomhedspraktik må vare et antal uger, der afhænger af borgerens målgruppe (LAB "
        "§ 61); en kombinationsforløbs praktikdel tælles som en praktik. Længden tælles i "
        "kalenderdage med både første og sidste dag; fire uger er 28 dage. Grænsen slås op på "
        "praktikkens startdato. Er en praktik for en gruppe med 13 uger forlænget efter en "
        "konkret, dokumenteret vurdering (registreret på forløbet), er grænsen 26 uger (LAB § 61 "
        "stk. 2)." + _PROVISIONAL_DA,
        "An internship may last a number of weeks that depends on the citizen's target group "
        "(LAB § 61); a hybrid's internship part counts as an internship. The length counts "
        "calendar days, first and last day included; four weeks is 28 days. The limit is looked "
        "up on the internship's start date. Where an internship of a 13-week group is extended "
        "after a concrete, documented assessment (recorded on the placement), the limit is 26 "
        "weeks (LAB § 61 stk. 2)." + _PROVISIONAL_EN,
    ),
    RuleText(
        "hours_above_full_time", Severity.WARNING,
        "Flere timer end fuld tid", "Hours above full time",
        "Ugentlige timer over normal fuld tid (37 timer). For en praktik (og et "
        "kombinationsforløbs praktikdel) er det BAB § 60 stk. 5; for løntilskud, IGU og ordinære "
        "timer er 37 timer normal fuld tid i praksis, ikke en paragraf.",
        "Weekly hours above normal full time (37 hours). For an internship (and a hybrid's "
        "internship part) that is BAB § 60 stk. 5; for wage subsidy, IGU and ordinary hours 37 "
        "hours is normal full time in practice, not a paragraph.",
    ),
    RuleText(
        "ratio_exceeded", Severity.WARNING,
        "Rimelighedskravet er overskredet", "Ratio of supported to ordinary employees exceeded",
        "Arbejdspladsen må have én person i praktik eller løntilskud pr. fem ordinært ansatte op "
        "til 50 ansatte (mindst én), derefter én mere pr. ti (BAB § 65). Kravet prøves, når et "
        "forløb etableres (stk. 4): på forløbets startdato tælles fuldtidspersoner (timer / 37) "
        "i de forløb, der er startet senest den dag og stadig er i gang, dette medregnet. En "
        "overskridelse hører til det forløb, der giver den; et forløb, der var lovligt, da det "
        "startede, markeres ikke, fordi et senere kommer til." + _PROVISIONAL_DA,
        "A workplace may have one person in an internship or wage-subsidy job per five ordinary "
        "employees up to 50 employees (at least one), then one more per ten (BAB § 65). The ratio "
        "is tested when a placement is set up (stk. 4): on its start date, full-time equivalents "
        "(hours / 37) are counted over the placements that started on or before that day and "
        "still run, this one included. A breach belongs to the placement that causes it; one "
        "that was lawful when it started is not flagged because a later one came."
        + _PROVISIONAL_EN,
    ),
    RuleText(
        "wage_subsidy_too_long", Severity.WARNING,
        "Løntilskuddet er for langt", "Wage subsidy too long",
        "Løntilskud må vare et antal måneder, der afhænger af målgruppen og af, om arbejdsgiveren "
        "er privat eller offentlig (LAB § 68). Er det ikke registreret, advares kun, når begge "
        "grænser er overskredet." + _PROVISIONAL_DA,
        "A wage subsidy may last a number of months that depends on the target group and on "
        "whether the employer is private or public (LAB § 68). Where that is not recorded, only a "
        "subsidy longer than both limits is reported." + _PROVISIONAL_EN,
    ),
    RuleText(
        "igu_too_long", Severity.WARNING,
        "IGU-forløbet er for langt", "IGU too long",
        "En integrationsgrunduddannelse varer 24 måneder.",
        "An integration basic education (IGU) lasts 24 months.",
    ),
    RuleText(
        "igu_age_out_of_range", Severity.WARNING,
        "Alder uden for IGU", "Age outside the IGU's",
        "En IGU er for borgere fra 18 år og under 50 år på startdagen (L 82 2023/24). Alderen "
        "regnes fra CPR-nummerets fødselsdato.",
        "An IGU is for citizens from 18 and under 50 on the start day (L 82 2023/24). The age is "
        "worked out from the CPR number's birth date.",
    ),
    RuleText(
        "overlapping_placement", Severity.WARNING,
        "Overlappende forløb", "Overlapping placement",
        "Borgeren har et andet forløb i samme periode; fundet nævner dets art og datoer. Aflyste "
        "og slettede forløb tæller ikke.",
        "The citizen has another placement in the same period; the finding names its kind and "
        "dates. Cancelled and deleted ones do not count.",
    ),
    RuleText(
        "limit_unconfirmed", Severity.NOTICE,
        "Grænsen er ikke kendt", "Limit not known",
        "Til orientering: for denne målgruppe (fx praktik i introduktionsprogrammet efter "
        "integrationsloven) kender projektet ikke grænsen, så længden er ikke kontrolleret. Der "
        "kræves ingen begrundelse.",
        "For information: for this target group (for example an internship in the introduction "
        "programme under the integration act) the project does not know the limit, so the "
        "length was not checked. No reason is asked for.",
    ),
)
