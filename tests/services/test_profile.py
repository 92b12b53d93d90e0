"""The profile an agreement is issued under: set once, changed field by field, checked."""

from __future__ import annotations

import pytest

from feltkonsulent.domain.errors import ValidationError
from feltkonsulent.services import profile
from feltkonsulent.services.workspace import Workspace


def test_nothing_is_recorded_until_given(workspace: Workspace) -> None:
    found = profile.current(workspace)
    assert (found.team, found.consultant) == (None, None)
    assert not profile.is_complete(found)
    assert set(found.as_dict().values()) == {None}


def test_fields_are_set_one_by_one_and_an_empty_value_clears(workspace: Workspace) -> None:
    profile.update(workspace, municipality=" Vejle Kommune ", department="Virksomhedsservice")
    profile.update(workspace, consultant="Mette Kjær", consultant_email="mekj@vejle.dk")
    found = profile.update(workspace, department="", phone="76 81 00 00")
    assert found.as_dict() == {
        "municipality": "Vejle Kommune", "department": None, "address": None,
        "phone": "76 81 00 00", "email": None, "consultant": "Mette Kjær",
        "consultant_phone": None, "consultant_email": "mekj@vejle.dk",
    }
    assert profile.is_complete(found)


def test_each_user_has_their_own_consultant_part(workspace: Workspace) -> None:
    profile.update(workspace, municipality="Vejle Kommune", consultant="Mette Kjær")
    profile.update(workspace, user="ali", consultant="Ali Hassan")
    assert profile.current(workspace).consultant.name == "Mette Kjær"  # type: ignore[union-attr]
    other = profile.current(workspace, user="ali")
    assert other.consultant is not None and other.consultant.name == "Ali Hassan"
    assert other.municipality == "Vejle Kommune"


@pytest.mark.parametrize(("given", "field", "code"), [
    ({"department": "Virksomhedsservice"}, "municipality", "required"),
    ({"consultant_phone": "20 30 40 50"}, "consultant", "required"),
    ({"municipality": "Vejle Kommune", "email": "not-mail"}, "email", "email_format"),
    ({"consultant": "Mette", "consultant_phone": "12"}, "consultant_phone", "phone_length"),
    # One transaction: a good team part is not saved beside a bad consultant part.
    ({"municipality": "Vejle Kommune", "consultant": "Mette", "consultant_phone": "12"},
     "consultant_phone", "phone_length"),
])
def test_bad_values_are_refused_and_nothing_is_saved(
    workspace: Workspace, given: dict[str, str], field: str, code: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        profile.update(workspace, **given)
    assert [(e.field, e.code) for e in refused.value.errors] == [(field, code)]
    assert profile.current(workspace).as_dict() == dict.fromkeys(profile.current(workspace).as_dict())


def test_the_name_cannot_be_cleared(workspace: Workspace) -> None:
    profile.update(workspace, municipality="Vejle Kommune")
    with pytest.raises(ValidationError):
        profile.update(workspace, municipality="  ")
    assert profile.current(workspace).municipality == "Vejle Kommune"
