"""Docs kept honest: every subcommand and option of the CLI is in docs/cli.md, and the README's
two commands exist."""

from __future__ import annotations

import argparse
from pathlib import Path

from feltkonsulent.cli import build_parser

ROOT = Path(__file__).resolve().parents[1]


def subcommands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    (action,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(action.choices)


def test_every_subcommand_and_option_is_documented() -> None:
    text = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    for name, parser in subcommands().items():
        assert f"## `{name}`" in text, name
        for action in parser._actions:
            for option in action.option_strings:
                if option not in ("-h", "--help"):
                    assert option in text, f"{name} {option}"


def test_the_readme_commands_exist_and_ci_runs_the_test_command() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for script in ("scripts/start.sh", "scripts/test.sh"):
        assert f"bash {script}" in readme
        assert (ROOT / script).is_file()
    assert "bash scripts/test.sh" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_the_rules_document_is_the_table() -> None:
    from feltkonsulent.domain.rules.document import render_markdown

    text = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert text == render_markdown(), "run: python scripts/rules_doc.py"


def test_every_rule_code_is_explained() -> None:
    from feltkonsulent.domain.rules.catalogue import RULES
    from feltkonsulent.domain.rules.limits import LIMITS

    explained = {rule.code for rule in RULES}
    assert {limit.rule for limit in LIMITS} <= explained
    assert {
        "internship_too_long", "hours_above_full_time", "ratio_exceeded", "wage_subsidy_too_long",
        "igu_too_long", "overlapping_placement", "end_before_start", "igu_age_out_of_range",
        "limit_unconfirmed",
    } == explained
