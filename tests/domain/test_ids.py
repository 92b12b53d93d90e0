"""UUIDv7 ids: version 7, variant RFC 9562, ordered by time and by making order."""

from __future__ import annotations

import uuid

from feltkonsulent.domain.ids import is_uuid, uuid7, uuid7_ms


def test_uuid7_has_version_7_and_the_rfc_variant() -> None:
    value = uuid.UUID(uuid7())
    assert value.version == 7
    assert value.variant == uuid.RFC_4122


def test_ids_made_in_one_millisecond_keep_their_order() -> None:
    ids = [uuid7(now_ms=1_700_000_000_000) for _ in range(5000)]
    assert ids == sorted(ids)
    assert len(set(ids)) == 5000


def test_the_time_can_be_read_back() -> None:
    assert uuid7_ms(uuid7(now_ms=1_795_000_000_000)) >= 1_795_000_000_000
    assert is_uuid(uuid7()) and not is_uuid("not-an-id")
