"""Fill in Danish translations in the .po from a JSON file of {"msgid": "msgstr"} (plural: a
list of forms), clearing the fuzzy flag; prints the entries still untranslated or fuzzy.

    .venv/bin/python scripts/translate.py da new.json
    .venv/bin/python scripts/translate.py da            # only list what is missing
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]


def main(language: str, translations: dict[str, str | list[str]]) -> int:
    path = ROOT / "translations" / language / "LC_MESSAGES" / "feltkonsulent.po"
    with path.open("rb") as f:
        catalog = read_po(f, locale=language)
    for message in catalog:
        key = message.id[0] if isinstance(message.id, tuple) else message.id
        if key in translations:
            given = translations[key]
            message.string = tuple(given) if isinstance(given, list) else given
            message.flags.discard("fuzzy")
    with path.open("wb") as f:
        write_po(f, catalog, width=76)
    missing = [m.id for m in catalog if m.id and (m.fuzzy or not all(
        m.string if isinstance(m.string, tuple) else (m.string,)))]
    for msgid in missing:
        print("missing:", msgid)
    return 1 if missing else 0


if __name__ == "__main__":
    given = json.loads(Path(sys.argv[2]).read_text(encoding="utf-8")) if len(sys.argv) > 2 else {}
    sys.exit(main(sys.argv[1], given))
