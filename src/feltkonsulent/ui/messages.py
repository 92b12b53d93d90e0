"""What the interface says for each error code of the domain, and the names of the fields."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from feltkonsulent.domain.errors import DomainError, fill
from feltkonsulent.i18n import _, format_date, format_number, ngettext
from feltkonsulent.services.unlock import MIN_PASSPHRASE_LENGTH


def _messages() -> dict[str, str]:
    # Built on each call, so a change of language takes effect at once.
    return {
        "required": _("Must be filled in."),
        "cvr_format": _("A CVR number has digits only."),
        "cvr_length": _("A CVR number has 8 digits."),
        "cvr_checksum": _("This is not a valid CVR number (the check digit is wrong)."),
        "p_number_format": _("A P-number has digits only."),
        "p_number_length": _("A P-number has 10 digits."),
        "cpr_format": _("A CPR number has digits only."),
        "cpr_length": _("A CPR number has 10 digits."),
        "cpr_date": _("A CPR number starts with a real birth date (DDMMYY)."),
        "cpr_future": _("The birth date in the CPR number is in the future."),
        "email_format": _("This is not an e-mail address."),
        "phone_format": _("A phone number has digits, spaces and perhaps a leading +."),
        "phone_length": _("A Danish phone number has 8 digits."),
        "postal_code_format": _("A postal code has 4 digits."),
        "end_before_start": _("The end date is before the start date."),
        "hours_not_positive": _("The hours must be more than 0."),
        "hours_too_many": _("At most {max} hours a week."),
        "negative": _("Must not be negative."),
        "purpose_required": _("An internship must state its purpose."),
        "visit_date_required": _("Give the planned date or the date of the visit."),
        "supersedes_self": _("A note cannot correct itself."),
        "already_superseded": _("This note has already been corrected."),
        "unknown_reference": _("Refers to a record that does not exist or was deleted."),
        "has_placements": _("Cannot be deleted while it has placements."),
        "immutable": _("A visit note cannot be changed; write a correction instead."),
        "not_a_number": _("Must be a number."),
        "not_a_date": _("Must be a date (DD.MM.YYYY)."),
        "hours_plan_format": _("One step a line: the date and the hours a week, e.g. 01.12.2026 5."),
        "hours_plan_order": _("The steps must be in date order, one step a date."),
        "reason_required": _("Give a reason for going on past each warning of the rules."),
        "mismatch": _("The records do not belong together (another company or citizen)."),
        "cannot_override": _("An error in the data cannot be passed over; correct it."),
        "wrong_key": _("Wrong password."),
        "agreement_outdated": _(
            "Another version of the agreement was issued meanwhile; the next one is shown now."),
        "ratio_breach": _("The workplace would have {supported} supported persons, more than the "
                          "{allowed} the ratio allows (BAB § 65). Resolve it before the agreement "
                          "can be made."),
        "passphrase_too_short": _("The password must have at least {n} characters."),
        "passphrases_differ": _("The two passwords are not the same."),
        # the value boundary (domain/limits.py)
        "too_long": _("At most {max} characters (this has {length})."),
        "too_many": _("At most {max} lines (this has {count})."),
        "out_of_range": _("Must be from {min} to {max}."),
        "not_finite": _("Must be a number."),
        "too_precise": _("Too many digits (at most {digits})."),
        "bad_text": _("Holds a character that is not text (a control character); type or paste "
                      "it again."),
        "id_format": _("Not a valid id."),
        "team_format": _("Not a valid team id."),
        "too_deep": _("The value is nested too deeply."),
        "too_large": _("The value is too large."),
        "bad_value": _("A value of the wrong kind (expected {kind})."),  # kind: _kind()
    }


# Sentences that do not say which field they are about: above a form, away from the field, they
# are given its label ("CVR-nummer: Skal udfyldes.").
UNNAMED = frozenset({"required", "negative", "not_a_number", "not_a_date", "hours_not_positive",
                     "hours_too_many", "unknown_reference", "email_format",
                     # the value boundary's (limits.py): they say the limit, not the field
                     "too_long", "too_many", "out_of_range", "not_finite", "too_precise",
                     "bad_text", "bad_value"})


def describe(error: DomainError) -> str:
    """The sentence for an error, with its numbers filled in."""
    template = _messages().get(error.code, error.code)
    params = {k: _kind(v) if k == "kind" else _shown(v) for k, v in error.params.items()}
    return fill(template, {"n": MIN_PASSPHRASE_LENGTH, **params})


def _kind(kind: object) -> str:
    """A field's kind (`wire.kind_name`, English words) as the interface says it."""
    kinds = {
        "number": _("a number"), "whole number": _("a whole number"), "text": _("a text"),
        "date (YYYY-MM-DD)": _("a date"), "list of texts": _("a list of texts"),
        "true or false": _("yes or no"), "JSON": _("a value"), "object": _("a whole record"),
    }
    return kinds.get(str(kind), _("one of the choices"))


def _shown(value: object) -> object:
    """Numbers and dates as the interface writes them (20.000, 31.12.2199)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | Decimal):
        return format_number(value)
    if isinstance(value, date):
        return format_date(value)
    return value


def describe_all(errors: Iterable[DomainError]) -> str:
    """The sentences for several errors, each once, in one line."""
    return " ".join(dict.fromkeys(describe(e) for e in errors))


def describe_code(code: str) -> str:
    return describe(DomainError(code))


# -- sync (services.sync.SyncError codes, docs/sync.md) ---------------------------------------------
def _sync_messages() -> dict[str, str]:
    return {
        "unreachable": _("The sync server cannot be reached. Your changes are kept and sent at "
                         "the next sync."),
        "bad_url": _("This is not the address of a server (e.g. https://sync.kommune.dk)."),
        "not_a_server": _("The address does not answer as a Feltkonsulent sync server. Check the "
                          "address."),
        "unauthorized": _("The server does not know the token. Check it, or ask the administrator "
                          "for a new token and sign in again. Your changes are kept."),
        "device_revoked": _("The administrator has revoked this computer's access to the sync "
                            "server. Ask the administrator for a new token and sign in again. "
                            "Your changes are kept."),
        "token_expired": _("The token has expired. Ask the administrator for a new one and sign "
                           "in again. Your changes are kept."),
        "rate_limited": _("The sync server refuses for a while after too many failed sign-ins. "
                          "Your changes are kept and sent at a later sync."),
        "untrusted_certificate": _("The sync server's certificate is not trusted on this "
                                   "computer. Check the address, or ask IT to install the "
                                   "municipality's certificate. Your changes are kept."),
        "payload_too_large": _("The sync server refused the changes as too large. Ask the "
                               "administrator. Your changes are kept."),
        "forbidden_device": _("The token belongs to another computer. Ask the administrator for a "
                              "token for this one. Your changes are kept."),
        "upgrade_required": _("The server needs a newer version of Feltkonsulent. Install the "
                              "update; until then you work as usual and your changes are kept."),
        "batch_mismatch": _("The server holds other changes under this computer's number: is "
                            "this database a copy of another? Ask the administrator before you "
                            "sync again. Your changes are kept."),
        "batch_gap": _("The server keeps asking for other changes than this computer has. Ask "
                       "the administrator. Your changes are kept."),
        "protocol": _("The server's answer was not understood. Try again later; if it goes on, "
                      "ask the administrator. Your changes are kept."),
        "no_token": _("Sign in to the sync server first (Sync…)."),
        "choose_team": _("Your user is in more than one team on the server, and this database "
                         "has none yet. Ask the administrator for a token of a user in one team. "
                         "Your changes are kept."),
        "mismatch": _("After syncing, this computer and the server still do not hold the same "
                      "records, even after fetching everything again. Nothing has been deleted. "
                      "Ask the administrator to look at the server's log."),
    }


def _sync_short() -> dict[str, str]:
    return {
        "clock_ahead": _("Clock is wrong"),
        "unauthorized": _("Access refused"),
        "device_revoked": _("Access revoked"),
        "token_expired": _("Token expired"),
        "untrusted_certificate": _("Untrusted server"),
        "forbidden_device": _("Access refused"),
        "upgrade_required": _("Update needed"),
        "mismatch": _("Not in step with the server"),
    }


def describe_sync(code: str, ahead_ms: int = 0) -> str:
    """The sentence for why a sync stopped (or why a server was not taken), in the UI's language."""
    if code == "clock_ahead":
        minutes = max(1, round(ahead_ms / 60_000))
        return ngettext(
            "This computer's clock is {n} minute ahead of the server's. Set the date, time and "
            "time zone right; your changes are kept and sent once the clock is right.",
            "This computer's clock is {n} minutes ahead of the server's. Set the date, time and "
            "time zone right; your changes are kept and sent once the clock is right.", minutes,
        ).format(n=minutes)
    template = _sync_messages().get(code) or _("Sync failed ({code}). Your changes are kept.")
    return template.format(code=code)


def sync_problem(code: str) -> str:
    """The short red text in the status bar for a problem the consultant must act on."""
    return _sync_short().get(code) or _("Sync stopped")


def rejection_reason(reason: str) -> str:
    """Why the server refused one of our changes (a `rejected_changes` reason)."""
    known = {
        "forbidden_team": _("The record belongs to a team you are not a member of."),
        "unknown_entity": _("The server does not know this kind of record."),
        "bad_value": _("The value is outside what the field may hold (see the limits in the "
                       "documentation); correct it and save again."),
        "too_large": _("Too large to send: no server takes a value this large. Shorten it and "
                       "save again."),
    }
    return known.get(reason) or _("Refused by the server ({reason}).").format(reason=reason)
