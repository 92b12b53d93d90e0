"""Every validation rule, with hypothesis for CVR, CPR and dates."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from feltkonsulent.domain import validation as v
from feltkonsulent.domain.errors import ValidationError
from tests import factories

CVR_WEIGHTS = (2, 7, 6, 5, 4, 3, 2, 1)


def cvr_with_check_digit(first_seven: str) -> str | None:
    total = sum(w * int(d) for w, d in zip(CVR_WEIGHTS, first_seven, strict=False))
    check = (-total) % 11
    return None if check == 10 else first_seven + str(check)


@st.composite
def valid_cvrs(draw: st.DrawFn) -> str:
    body = draw(st.integers(1_000_000, 9_999_999).map(str))
    number = cvr_with_check_digit(body)
    if number is None:
        number = cvr_with_check_digit(str(int(body) + 1 if body != "9999999" else 1_000_000))
    assert number is not None
    return number


def code(error: object) -> str | None:
    return getattr(error, "code", None)


@given(valid_cvrs())
def test_every_cvr_with_a_right_check_digit_is_accepted(cvr: str) -> None:
    assert v.check_cvr(cvr) is None
    assert v.check_cvr(f"{cvr[:4]} {cvr[4:]}") is None  # typed with a space


@given(valid_cvrs(), st.integers(0, 7), st.integers(1, 9))
def test_changing_any_one_digit_breaks_the_check_digit(cvr: str, position: int, step: int) -> None:
    digits = list(cvr)
    digits[position] = str((int(digits[position]) + step) % 10)
    # A CVR number never starts with 0: that is a format error, not a checksum error.
    expected = "cvr_format" if digits[0] == "0" else "cvr_checksum"
    assert code(v.check_cvr("".join(digits))) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1358562", "cvr_length"), ("135856289", "cvr_length"), ("1358562A", "cvr_format"),
     ("", "required"), (" - ", "required")],
)
def test_cvr_format_and_length(value: str, expected: str) -> None:
    assert code(v.check_cvr(value)) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1003388394", None),
        ("100338839", "p_number_length"),
        ("10033883945", "p_number_length"),
        ("100338839x", "p_number_format"),
    ],
)
def test_p_number_is_ten_digits(value: str, expected: str | None) -> None:
    assert code(v.check_p_number(value)) == expected


def cpr_for(born: date, serial: int) -> str:
    """A CPR number whose century digit (7th) matches the birth year."""
    if born.year < 1900:
        first = 5
    elif born.year < 2000:
        first = 0 if born.year < 1937 else 4 if serial % 2 else 0
    else:
        first = 4 if born.year <= 2036 else 5
    return born.strftime("%d%m%y") + str(first) + f"{serial % 1000:03d}"


@given(st.dates(date(1900, 1, 1), date(2030, 12, 31)), st.integers(0, 999))
def test_every_cpr_with_a_real_birth_date_is_accepted(born: date, serial: int) -> None:
    assert v.check_cpr(cpr_for(born, serial)) is None
    assert v.cpr_birth_date(cpr_for(born, serial)) == born


def test_cpr_issued_after_2007_is_accepted_without_modulus_11() -> None:
    number = "0101104100"  # born 2010; 4·0+3·1+2·0+7·1+6·1+5·0+4·4+3·1 = 35, not 0 mod 11
    assert sum(w * int(d) for w, d in zip((4, 3, 2, 7, 6, 5, 4, 3, 2, 1), number, strict=True)) % 11
    assert v.check_cpr(number) is None


@given(st.integers(32, 99), st.integers(1, 12))
def test_a_day_that_does_not_exist_is_refused(day: int, month: int) -> None:
    assert code(v.check_cpr(f"{day:02d}{month:02d}901234")) == "cpr_date"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("3102901234", "cpr_date"),
        ("2913901234", "cpr_date"),
        ("211062562", "cpr_length"),
        ("21106256299", "cpr_length"),
        ("211062-56x9", "cpr_format"),
        ("211062-5629", None),
        ("", "required"),
    ],
)
def test_cpr_shapes(value: str, expected: str | None) -> None:
    assert code(v.check_cpr(value)) == expected


def test_cpr_born_after_today_is_refused_when_today_is_known() -> None:
    assert code(v.check_cpr("0101304000", today=date(2026, 11, 22))) == "cpr_future"
    assert v.check_cpr("0101304000") is None


def test_cpr_is_masked_to_its_date_part() -> None:
    assert v.mask_cpr("2110625629") == "211062-xxxx"
    assert v.mask_cpr("211062-5629") == "211062-xxxx"
    assert v.mask_cpr(None) == ""


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("mette@orsted-bageri.dk", True),
        ("a.b+c@kommune.dk", True),
        ("mette@", False),
        ("mette orsted@x.dk", False),
        ("@x.dk", False),
        ("mette@localhost", False),
    ],
)
def test_email(value: str, ok: bool) -> None:
    assert (v.check_email(value) is None) is ok


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("86123456", None),
        ("86 12 34 56", None),
        ("+45 20 30 40 50", None),
        ("+963 944 123 456", None),
        ("8612345", "phone_length"),
        ("861234567", "phone_length"),
        ("86-12-34-5a", "phone_format"),
    ],
)
def test_phone(value: str, expected: str | None) -> None:
    assert code(v.check_phone(value)) == expected


@pytest.mark.parametrize(
    ("value", "ok"),
    [("8000", True), ("2400", True), ("800", False), ("80000", False), ("80a0", False), ("0800", False)],
)
def test_postal_code_is_four_digits(value: str, ok: bool) -> None:
    assert (v.check_postal_code(value) is None) is ok


@given(st.dates(), st.integers(0, 3000))
def test_end_on_or_after_start_is_fine(start: date, days: int) -> None:
    try:
        end = start + timedelta(days=days)
    except OverflowError:
        return
    assert v.check_period(start, end) is None


@given(st.dates(date(1990, 1, 1)), st.integers(1, 3000))
def test_end_before_start_is_refused(start: date, days: int) -> None:
    assert code(v.check_period(start, start - timedelta(days=days))) == "end_before_start"


@pytest.mark.parametrize(
    ("hours", "expected"),
    [
        ("0", "hours_not_positive"),
        ("-1", "hours_not_positive"),
        ("0.5", None),
        ("37", None),
        ("37.5", None),
        ("60", None),
        ("60.01", "hours_too_many"),
    ],
)
def test_weekly_hours_more_than_zero_at_most_sixty(hours: str, expected: str | None) -> None:
    assert code(v.check_weekly_hours(Decimal(hours))) == expected


def test_a_record_lists_every_problem_at_once() -> None:
    bad = factories.company(name=" ", cvr="13585629", postal_code="80")
    with pytest.raises(ValidationError) as caught:
        bad.validate()
    assert caught.value.codes == {"required", "cvr_checksum", "postal_code_format"}


def test_records_keep_cvr_and_cpr_as_digits_only() -> None:
    assert factories.company(cvr="13 58 56 28").cvr == "13585628"
    assert factories.citizen(cpr="211062-5629").cpr == "2110625629"


def test_an_internship_must_state_its_purpose() -> None:
    placement = factories.placement("c", "co", purpose=None)
    assert {p.code for p in placement.problems()} == {"purpose_required"}


def test_a_placement_ending_before_it_starts_is_refused() -> None:
    placement = factories.placement("c", "co", start_date=date(2026, 5, 1), end_date=date(2026, 4, 30))
    assert [p.code for p in placement.problems()] == ["end_before_start"]


def test_a_visit_needs_a_date_and_cannot_supersede_itself() -> None:
    visit = factories.visit("p", planned_on=None, visited_on=None, next_visit_on=None)
    assert [p.code for p in visit.problems()] == ["visit_date_required"]
    again = factories.visit("p")
    assert "supersedes_self" in {
        p.code for p in factories.visit("p", id=again.id, supersedes=again.id).problems()
    }


@pytest.mark.parametrize(
    ("steps", "expected"),
    [
        ((), None),
        (("2026-12-01 5", "2026-12-29 8", "2027-01-26 12.5"), None),
        (("2026-12-29 8", "2026-12-01 5"), "hours_plan_order"),
        (("2026-12-01 5", "2026-12-01 8"), "hours_plan_order"),
        (("01.12.2026 5",), "hours_plan_format"),
        (("2026-12-01",), "hours_plan_format"),
        (("2026-12-01 0",), "hours_not_positive"),
        (("2026-12-01 61",), "hours_too_many"),
    ],
)
def test_a_rising_hours_plan_is_dated_steps_in_order(steps: tuple[str, ...], expected: str | None) -> None:
    problem = v.check_hours_plan(steps)
    assert (problem.code if problem else None) == expected


def test_an_agreement_record_checks_its_version_language_and_hash() -> None:
    from feltkonsulent.domain.entities import Agreement

    good = Agreement(id="a", team_id="t", placement_id="p", version=1, language="da",
                     issued_at="2026-11-22T09:30:00.000+00:00", issued_by="mette", sha256="0" * 64)
    assert good.problems() == []
    bad = Agreement(id="a", team_id="t", placement_id="p", version=0, language="de",
                    issued_at="x", issued_by="mette", sha256="xyz")
    assert {p.code for p in bad.problems()} == {"out_of_range", "language_unknown", "sha256_format"}
