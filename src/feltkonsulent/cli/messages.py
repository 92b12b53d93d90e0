"""Plain-English sentences for the error codes the command line reports (the app uses Danish)."""

from __future__ import annotations

from feltkonsulent.domain.errors import DomainError

MESSAGES = {
    "required": "is required",
    "cvr_format": "CVR number must be digits",
    "cvr_length": "CVR number must have 8 digits (has {length})",
    "cvr_checksum": "CVR number's check digit is wrong",
    "p_number_format": "P-number must be digits",
    "p_number_length": "P-number must have 10 digits (has {length})",
    "cpr_format": "CPR number must be digits",
    "cpr_length": "CPR number must have 10 digits (has {length})",
    "cpr_date": "CPR number does not start with a real birth date",
    "cpr_future": "CPR number's birth date is in the future",
    "email_format": "is not an e-mail address",
    "phone_format": "is not a phone number",
    "phone_length": "phone number has {length} digits (8 for a Danish number)",
    "postal_code_format": "postal code must be 4 digits",
    "end_before_start": "ends ({end}) before it starts ({start})",
    "hours_not_positive": "weekly hours must be more than 0",
    "hours_too_many": "weekly hours must be at most {max}",
    "negative": "must not be negative",
    "purpose_required": "an internship must state its purpose",
    "visit_date_required": "a visit needs a planned or a visited date",
    "supersedes_self": "a note cannot supersede itself",
    "unknown_field": "is not a field of this record",
    "unknown_entity": "is not a kind of record",
    "bad_value": "has a value of the wrong kind (expected {kind})",
    "unknown_reference": "refers to {id}, which does not exist",
    "duplicate_id": "id {id} appears twice in the file",
    "supersedes_cycle": "notes that supersede each other in a circle",
    "immutable": "a visit note cannot be changed; record a correction instead",
    "malformed_json": "is not valid JSON: {reason}",
    "not_an_object": "must be a JSON object",
    "not_a_list": "must be a list of records",
    "newer_schema": "comes from a newer Feltkonsulent (supports schema {supported})",
    "not_utf8": "is not UTF-8 text",
    "extra_cells": "has more cells than the header has columns",
    "has_placements": "still has {count} placements",
    "agreement_outdated": "another version of the agreement was issued meanwhile; make it again",
    "language_unknown": "the language must be da or en",
    "ratio_breach": ("the workplace would have {supported} supported persons, more than the "
                     "{allowed} the ratio allows (BAB § 65); resolve it before the agreement "
                     "can be made"),
    "wrong_key": "wrong passphrase or key, or not a Feltkonsulent database",
    "passphrase_needed": "a passphrase is needed: set FELTKONSULENT_PASSPHRASE or run in a terminal",
    "passphrase_too_short": "the passphrase must have at least 8 characters",
}


def describe(error: DomainError) -> str:
    template = MESSAGES.get(error.code, error.code)
    try:
        text = template.format(**error.params)
    except (KeyError, IndexError):
        text = template
    return f"{error.field}: {text}" if error.field else text
