"""The QR code's text: `FK1:<PLACEMENT UUID>:<VERSION>`, read back to the placement and version."""

from __future__ import annotations

import uuid

import pytest
from hypothesis import given
from hypothesis import strategies as st

from feltkonsulent.documents import parse_qr_payload, qr_payload
from feltkonsulent.domain.ids import uuid7

VERSIONS = st.integers(min_value=1, max_value=999_999_999)


@given(st.uuids(), VERSIONS)
def test_a_payload_reads_back_as_the_placement_and_version(placement: uuid.UUID, version: int) -> None:
    payload = qr_payload(str(placement), version)
    assert parse_qr_payload(payload) == (str(placement), version)
    assert parse_qr_payload(payload.lower()) == (str(placement), version)  # a scanner's case
    # Upper case only, so the whole code fits QR's compact alphanumeric mode.
    assert payload == payload.upper() and len(payload) <= 50


@given(st.text(max_size=60))
def test_anything_else_is_refused_or_read_as_ours(text: str) -> None:
    try:
        placement, version = parse_qr_payload(text)
    except ValueError:
        return
    assert qr_payload(placement, version).lower() == text.strip().lower()


def test_the_format() -> None:
    pid = "01a202a2-6252-7004-b520-91ba3c91958c"
    assert qr_payload(pid, 3) == "FK1:01A202A2-6252-7004-B520-91BA3C91958C:3"
    assert parse_qr_payload(" FK1:01A202A2-6252-7004-B520-91BA3C91958C:3\n") == (pid, 3)
    assert parse_qr_payload(qr_payload(uuid7(), 1))[1] == 1


@pytest.mark.parametrize("bad", [
    "", "FK1", "FK2:01A202A2-6252-7004-B520-91BA3C91958C:3", "FK1:01A202A2-6252-7004-B520-91BA3C91958C",
    "FK1:01A202A2-6252-7004-B520-91BA3C91958C:0", "FK1:01A202A2-6252-7004-B520-91BA3C91958C:03",
    "FK1:not-a-uuid-at-all-but-36-chars-long!:3", "FK1:01A202A2625270 04B52091BA3C91958C:3",
    "FK1:01A202A2-6252-7004-B520-91BA3C91958C:3:extra",
])
def test_a_code_that_is_not_ours_is_refused(bad: str) -> None:
    with pytest.raises(ValueError):
        parse_qr_payload(bad)


@pytest.mark.parametrize(("placement", "version"), [
    ("not-a-uuid", 1), ("01A202A2-6252-7004-B520-91BA3C91958C", 1),  # not the canonical form
    ("01a202a2-6252-7004-b520-91ba3c91958c", 0), ("01a202a2-6252-7004-b520-91ba3c91958c", 10**9),
])
def test_only_a_canonical_id_and_a_positive_version_make_a_payload(placement: str, version: int) -> None:
    with pytest.raises(ValueError):
        qr_payload(placement, version)


@given(st.integers(1, 12).flatmap(
    lambda width: st.lists(st.lists(st.booleans(), min_size=width, max_size=width), max_size=12)))
def test_the_drawn_rectangles_cover_exactly_the_dark_modules(rows: list[list[bool]]) -> None:
    from feltkonsulent.documents.pdf import _qr_blocks

    covered: list[tuple[int, int]] = []
    for column, row, width, height in _qr_blocks(tuple(tuple(r) for r in rows)):
        covered += [(x, y) for y in range(row, row + height) for x in range(column, column + width)]
    dark = [(x, y) for y, r in enumerate(rows) for x, d in enumerate(r) if d]
    assert sorted(covered) == sorted(dark)  # every dark module once, no light one
