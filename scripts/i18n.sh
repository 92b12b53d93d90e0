#!/usr/bin/env bash
# The gettext catalogue (translations/): extract the English source strings, update the Danish
# catalogue, compile it, and check that all three agree with the code.
#
#   bash scripts/i18n.sh extract   # src/feltkonsulent -> translations/feltkonsulent.pot
#   bash scripts/i18n.sh update    # .pot -> translations/da/LC_MESSAGES/feltkonsulent.po
#   bash scripts/i18n.sh compile   # .po -> .mo (committed: the app and the bundle read it)
#   bash scripts/i18n.sh check     # fails when any of the above is out of date or incomplete
#   bash scripts/i18n.sh all       # extract, update, compile
#
# After adding or changing a `_()` string: `extract` and `update`, translate the new entries in
# the .po (no empty msgstr, no `#, fuzzy` left), then `compile`. tests/test_i18n.py makes
# pytest enforce what `check` checks.
set -euo pipefail
cd "$(dirname "$0")/.."

PYBABEL=.venv/bin/pybabel
PYTHON=.venv/bin/python
DOMAIN=feltkonsulent
DIR=translations
POT=$DIR/$DOMAIN.pot
LANGS=(da)

# Source strings: `_("...")` and `ngettext("one", "many", n)` only (no gettext defaults such as
# `gettext(`, which would also match the i18n module's own calls). Locations name the file but
# not the line, so moving code does not churn the catalogue; a `# TRANSLATORS:` comment above a
# call reaches the translator.
extract_to() {
    "$PYBABEL" --quiet extract \
        --no-default-keywords --keyword=_ --keyword=ngettext:1,2 \
        --add-comments=TRANSLATORS: --add-location=file --sort-by-file \
        --project=Feltkonsulent --version=1 \
        --header-comment="# English source strings of Feltkonsulent (made by scripts/i18n.sh extract)." \
        --ignore-dirs=".* ._ __pycache__" \
        --output-file="$1" src/feltkonsulent
}

# The .pot without its POT-Creation-Date line: what must match between two extractions.
without_date() {
    grep -v '^"POT-Creation-Date: ' "$1"
}

cmd_extract() {
    local tmp
    tmp=$(mktemp)
    extract_to "$tmp"
    if [ -f "$POT" ] && cmp -s <(without_date "$POT") <(without_date "$tmp"); then
        echo "i18n: $POT is up to date"
        rm -f "$tmp"
    else
        mv "$tmp" "$POT"
        chmod 644 "$POT"
        echo "i18n: wrote $POT ($(grep -c '^msgid "' "$POT") entries incl. header)"
    fi
}

cmd_update() {
    local lang
    for lang in "${LANGS[@]}"; do
        "$PYBABEL" --quiet update --init-missing --ignore-obsolete \
            --input-file="$POT" --output-dir="$DIR" --domain="$DOMAIN" --locale="$lang"
    done
    cmd_status
}

cmd_compile() {
    local lang
    for lang in "${LANGS[@]}"; do
        "$PYBABEL" compile --statistics \
            --directory="$DIR" --domain="$DOMAIN" --locale="$lang"
    done
}

# How many entries each catalogue has, and which still need a translation.
cmd_status() {
    "$PYTHON" - "$DIR" "$DOMAIN" "${LANGS[@]}" <<'PY'
import sys
from pathlib import Path

from babel.messages.pofile import read_po

directory, domain, *langs = sys.argv[1:]
for lang in langs:
    path = Path(directory) / lang / "LC_MESSAGES" / f"{domain}.po"
    with path.open("rb") as f:
        catalog = read_po(f, locale=lang)
    messages = [m for m in catalog if m.id]
    todo = [m for m in messages if m.fuzzy or not all(m.string if isinstance(m.string, tuple)
                                                       else (m.string,))]
    print(f"i18n: {path}: {len(messages) - len(todo)} of {len(messages)} translated")
    for m in todo:
        print(f"  {'fuzzy' if m.fuzzy else 'empty'}: {m.id!r}")
PY
}

cmd_check() {
    local failed=0 tmp lang
    tmp=$(mktemp)
    extract_to "$tmp"
    if [ ! -f "$POT" ] || ! cmp -s <(without_date "$POT") <(without_date "$tmp"); then
        echo "i18n: $POT is out of date with the source; run: bash scripts/i18n.sh extract" >&2
        diff <(without_date "$POT" 2>/dev/null || true) <(without_date "$tmp") | head -40 >&2 || true
        failed=1
    fi
    rm -f "$tmp"
    for lang in "${LANGS[@]}"; do
        if ! "$PYBABEL" --quiet update --check --ignore-pot-creation-date --ignore-obsolete \
            --input-file="$POT" --output-dir="$DIR" --domain="$DOMAIN" --locale="$lang" \
            >/dev/null 2>&1; then
            echo "i18n: $DIR/$lang/LC_MESSAGES/$DOMAIN.po lacks entries of $POT;" \
                "run: bash scripts/i18n.sh update" >&2
            failed=1
        fi
    done
    "$PYTHON" - "$DIR" "$DOMAIN" "${LANGS[@]}" <<'PY' || failed=1
"""Every entry translated, not fuzzy, with the msgid's placeholders; the .mo is the .po compiled."""
import io
import re
import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

BRACES = re.compile(r"\{[^{}]*\}")
PERCENT = re.compile(r"%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa%]")


def placeholders(text: str) -> tuple[list[str], list[str]]:
    return sorted(BRACES.findall(text)), sorted(PERCENT.findall(text))


directory, domain, *langs = sys.argv[1:]
problems: list[str] = []
for lang in langs:
    po_path = Path(directory) / lang / "LC_MESSAGES" / f"{domain}.po"
    mo_path = po_path.with_suffix(".mo")
    with po_path.open("rb") as f:
        catalog = read_po(f, locale=lang)
    if catalog.fuzzy:
        problems.append(f"{po_path}: the header is marked fuzzy")
    for m in catalog:
        if not m.id:
            continue
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        if m.fuzzy:
            problems.append(f"{po_path}: fuzzy: {m.id!r}")
        if not all(strings):
            problems.append(f"{po_path}: not translated: {m.id!r}")
            continue
        for i, text in enumerate(strings):
            source = ids[min(i, len(ids) - 1)]
            if placeholders(text) != placeholders(source):
                problems.append(f"{po_path}: placeholders differ: {source!r} -> {text!r}")
    for message, errors in catalog.check():
        problems.extend(f"{po_path}: {message.id!r}: {e}" for e in errors)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    if not mo_path.is_file():
        problems.append(f"{mo_path} is missing; run: bash scripts/i18n.sh compile")
    elif mo_path.read_bytes() != compiled.getvalue():
        problems.append(f"{mo_path} is not {po_path} compiled; run: bash scripts/i18n.sh compile")
for p in problems:
    print(f"i18n: {p}", file=sys.stderr)
sys.exit(1 if problems else 0)
PY
    if [ "$failed" = 0 ]; then
        echo "i18n: catalogue is complete and up to date"
    fi
    return "$failed"
}

case "${1:-}" in
    extract) cmd_extract ;;
    update) cmd_update ;;
    compile) cmd_compile ;;
    check) cmd_check ;;
    status) cmd_status ;;
    all) cmd_extract && cmd_update && cmd_compile ;;
    *)
        echo "usage: bash scripts/i18n.sh extract|update|compile|check|status|all" >&2
        exit 2
        ;;
esac
