"""`feltkonsulent rules` on a database made by `feltkonsulent import`, with a placement crafted to
break each rule and a clean one that raises nothing."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import pytest

from feltkonsulent.cli import main

GOOD_CVR = "13585628"
NAMES: dict[str, str] = {}


def uid(name: str) -> str:
    """The record's id (ids are UUIDs), remembered so the output can be read with the names."""
    made = str(uuid.uuid5(uuid.NAMESPACE_URL, f"feltkonsulent-test:{name}"))
    NAMES[made] = name
    return made


def named(text: str) -> str:
    for made, name in NAMES.items():
        text = text.replace(made, name)
    return text


@pytest.fixture(autouse=True)
def environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("FELTKONSULENT_PASSPHRASE", "Sommerfugl-Vejle-42")
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))


def company(cid: str, employees: int, sector: str = "private") -> dict[str, Any]:
    return {
        "id": uid(cid),
        "team_id": "local",
        "name": f"Firma {cid}",
        "cvr": GOOD_CVR,
        # Three workplaces of one company: the same CVR and P-number would be refused.
        "p_number": f"{sum(map(ord, cid)):010d}",
        "employee_count": employees,
        "sector": sector,
    }


def citizen(cid: str, group: str) -> dict[str, Any]:
    # Born 1.1.1990, each with a serial of its own: one CPR number twice would be refused.
    cpr = f"0101901{sum(map(ord, cid)) % 1000:03d}"
    return {"id": uid(cid), "team_id": "local", "name": f"Borger {cid}", "cpr": cpr, "target_group": group}


def placement(
    pid: str, citizen_id: str, company_id: str, kind: str, start: str, end: str, hours: float = 30
) -> dict[str, Any]:
    return {
        "id": uid(pid),
        "team_id": "local",
        "citizen_id": uid(citizen_id),
        "company_id": uid(company_id),
        "kind": kind,
        "purpose": "clarification",
        "start_date": start,
        "end_date": end,
        "weekly_hours": hours,
        "status": "active",
    }


CRAFTED = {
    "schema_version": 2,
    "companies": [company("big", 200), company("small", 4), company("town", 30, "public")],
    "citizens": [
        citizen("dagpenge", "unemployment_benefit"),
        citizen("ok", "sickness_benefit"),
        citizen("ref", "integration_programme"),
        citizen("a", "cash_benefit_activity_ready"),
        citizen("b", "cash_benefit_activity_ready"),
        citizen("twice", "other"),
    ],
    "placements": [
        placement("clean", "ok", "big", "internship", "2026-03-02", "2026-05-31", 37),
        placement("long-internship", "dagpenge", "big", "internship", "2026-03-02", "2026-03-30"),
        placement("long-hours", "ref", "big", "ordinary_hours", "2026-03-02", "2026-03-06", 40),
        placement("ratio-1", "a", "small", "internship", "2026-04-01", "2026-04-20", 37),
        placement("ratio-2", "b", "small", "wage_subsidy", "2026-04-10", "2026-06-01", 37),
        placement("long-subsidy", "dagpenge", "town", "wage_subsidy", "2026-06-01", "2026-10-01"),
        placement("long-igu", "ref", "town", "igu", "2026-08-01", "2028-08-01"),
        placement("first", "twice", "big", "ordinary_hours", "2026-09-01", "2026-09-30", 10),
        placement("second", "twice", "big", "hybrid", "2026-09-15", "2026-10-30", 10),
        # Under the new act (1.1.2027): the earlier limit, provisionally.
        placement("new-act", "dagpenge", "big", "internship", "2027-01-04", "2027-02-08"),
    ],
    "rule_overrides": [
        {
            "id": uid("o1"),
            "team_id": "local",
            "placement_id": uid("long-igu"),
            "code": "igu_too_long",
            "reason": "Forlænget efter aftale med STAR",
            "decided_on": "2026-07-20",
        }
    ],
}

EXPECTED = {
    ("long-internship", "internship_too_long", "LAB § 61"),
    # Ordinary hours are not an internship: BAB § 60 stk. 5 is not their rule.
    ("long-hours", "hours_above_full_time", "praksis: normal fuld tid"),
    # Both are at the workplace from 10 April, when 4 employees allow 1 supported person: the
    # breach belongs to the one set up then (BAB § 65 stk. 4), not to the lawful first one.
    ("ratio-2", "ratio_exceeded", "BAB § 65"),
    # A wage subsidy for an activity-ready cash-benefit recipient: the length is not known.
    ("ratio-2", "limit_unconfirmed", "LAB § 68"),
    ("long-subsidy", "wage_subsidy_too_long", "LAB § 68"),
    ("long-igu", "igu_too_long", "IGU-loven (L 82 2023/24)"),
    ("first", "overlapping_placement", "—"),
    ("second", "overlapping_placement", "—"),
    # A hybrid's internship part is length-checked; for "other" no limit is known: a notice.
    ("second", "limit_unconfirmed", "—"),
    ("new-act", "internship_too_long", "LAB § 61"),
}


def test_each_crafted_placement_breaks_its_rule_and_the_clean_one_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "crafted.json"
    source.write_text(json.dumps(CRAFTED), encoding="utf-8")
    db = tmp_path / "rules.db"
    assert main(["import", "--db", str(db), str(source)]) == 0
    capsys.readouterr()
    assert main(["rules", "--db", str(db), "--format", "json"]) == 0
    found = json.loads(named(capsys.readouterr().out))
    assert {(f["placement_id"], f["code"], f["reference"]) for f in found} == EXPECTED
    assert {f["severity"] for f in found if f["code"] != "limit_unconfirmed"} == {"warning"}
    assert {f["provisional"] for f in found if f["placement_id"] == "new-act"} == {True}
    assert {f["provisional"] for f in found if f["placement_id"] != "new-act"} == {False}
    by_code = {f["code"]: f for f in found
               if f["placement_id"] != "new-act" and f["code"] != "limit_unconfirmed"}
    assert by_code["igu_too_long"]["reason"] == "Forlænget efter aftale med STAR"
    assert by_code["ratio_exceeded"]["numbers"] == {
        "employees": 4,
        "allowed": 1,
        "supported": 2,
        "on": "2026-04-10",
    }
    assert by_code["internship_too_long"]["numbers"]["days"] == 29
    assert by_code["internship_too_long"]["message"] == (
        "4 weeks and 1 day, at most 4 weeks for recipients of unemployment benefit (LAB § 61)")
    assert by_code["overlapping_placement"]["message"] == (
        "overlaps the citizen's ordinary hours 2026-09-01 to 2026-09-30 (placement first), "
        "from 2026-09-15 to 2026-09-30")
    (notice,) = [f for f in found if f["code"] == "limit_unconfirmed" and f["placement_id"] == "second"]
    assert notice["severity"] == "notice" and notice["message"] == (
        "the internship length limit for citizens of another target group is not known, so it "
        "was not checked")

    assert main(["rules", "--db", str(db)]) == 0
    lines = named(capsys.readouterr().out).splitlines()
    assert len(lines) == len(EXPECTED)
    assert any("igu_too_long" in line and "gone on past 2026-07-20" in line for line in lines)
    (new_act,) = [line for line in lines if line.startswith("new-act")]
    assert new_act.endswith(
        "5 weeks and 1 day, at most 4 weeks for recipients of unemployment benefit (LAB § 61); "
        "provisional: not confirmed under the new act in force from 2027-01-01")
    (wage,) = [line for line in lines if "limit_unconfirmed" in line and line.startswith("ratio-2")]
    assert wage.endswith("the wage subsidy length limit for activity-ready recipients of cash benefit "
                         "is not known, so it was not checked (LAB § 68)")
    (ratio,) = [line for line in lines if "ratio_exceeded" in line]
    assert ratio.endswith("2 supported persons (full-time equivalents) on 2026-04-10, this one "
                          "included; at most 1 with 4 ordinary employees (BAB § 65)")
