"""Writes docs/rules.md from the rule table: `python scripts/rules_doc.py`."""

from pathlib import Path

from feltkonsulent.domain.rules.document import render_markdown

target = Path(__file__).resolve().parents[1] / "docs" / "rules.md"
target.write_text(render_markdown(), encoding="utf-8")
print(f"wrote {target}")
