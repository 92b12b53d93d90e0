"""Typed ids and UUIDv7, which every record and every change gets on the device that made it."""

from __future__ import annotations

import os
import threading
import time
import uuid
from typing import NewType

TeamId = NewType("TeamId", str)
DeviceId = NewType("DeviceId", str)
CompanyId = NewType("CompanyId", str)
ContactId = NewType("ContactId", str)
CitizenId = NewType("CitizenId", str)
PlacementId = NewType("PlacementId", str)
SupportArrangementId = NewType("SupportArrangementId", str)
LanguagePartnerId = NewType("LanguagePartnerId", str)
VisitId = NewType("VisitId", str)
RuleOverrideId = NewType("RuleOverrideId", str)
AgreementId = NewType("AgreementId", str)
TeamProfileId = NewType("TeamProfileId", str)
ConsultantProfileId = NewType("ConsultantProfileId", str)

_lock = threading.Lock()
_last_ms = 0
_counter = 0


def uuid7(now_ms: int | None = None) -> str:
    """A UUIDv7 (RFC 9562) as text; ids made in the same millisecond still sort in making order.

    The 12 bits of `rand_a` hold a counter within the millisecond (method 1 of RFC 9562 § 6.2),
    so op ids written in one transaction keep their order.
    """
    global _last_ms, _counter
    with _lock:
        ms = int(time.time() * 1000) if now_ms is None else now_ms
        if ms <= _last_ms:
            ms = _last_ms
            _counter += 1
            if _counter > 0xFFF:  # counter overflow: borrow the next millisecond
                ms += 1
                _counter = 0
        else:
            _counter = 0
        _last_ms = ms
        counter = _counter
    rand_b = int.from_bytes(os.urandom(8), "big") & ((1 << 62) - 1)
    value = (ms & ((1 << 48) - 1)) << 80
    value |= 0x7 << 76
    value |= counter << 64
    value |= 0b10 << 62
    value |= rand_b
    return str(uuid.UUID(int=value))


def uuid7_ms(value: str) -> int:
    """The Unix time in milliseconds that a UUIDv7 was made at."""
    return uuid.UUID(value).int >> 80


def is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except (ValueError, AttributeError, TypeError):
        return False
    return True
