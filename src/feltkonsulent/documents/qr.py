"""The QR code's text: which placement and which version of its agreement a paper copy is.

`FK1:<PLACEMENT UUID>:<VERSION>`. The UUID is written in capitals so the whole text fits QR's
alphanumeric mode (a smaller code than bytes); reading accepts either case.
"""

from __future__ import annotations

import re
import uuid

PREFIX = "FK1"
_UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
_PAYLOAD = re.compile(rf"{PREFIX}:({_UUID}):([1-9][0-9]{{0,8}})", re.IGNORECASE)


def _canonical(placement_id: str) -> str:
    """The id as the records hold it: a UUID in lower case with hyphens."""
    if not re.fullmatch(_UUID, placement_id) or str(uuid.UUID(placement_id)) != placement_id:
        raise ValueError(f"not a placement id: {placement_id!r}")
    return placement_id


def qr_payload(placement_id: str, version: int) -> str:
    """`FK1:0190A1B2-…:3`; the id must be a UUID, the version 1 to 999,999,999."""
    if not 1 <= version <= 999_999_999:
        raise ValueError(f"version out of range: {version}")
    return f"{PREFIX}:{_canonical(placement_id).upper()}:{version}"


def parse_qr_payload(text: str) -> tuple[str, int]:
    """(placement id in lower case, version) from a scanned code; ValueError if it is not ours."""
    match = _PAYLOAD.fullmatch(text.strip())
    if match is None:
        raise ValueError("not a Feltkonsulent agreement code")
    return _canonical(match.group(1).lower()), int(match.group(2))
