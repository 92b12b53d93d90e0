#!/usr/bin/env bash
# Installs a built bundle for the current user, with its menu entry and icons:
#
#   bash packaging/linux/install.sh [BUNDLE]       # default BUNDLE: dist/feltkonsulent
#   bash packaging/linux/install.sh --uninstall
#
# Goes to PREFIX (default ~/.local): the bundle in lib/feltkonsulent, a link in bin/, the desktop
# entry, icons and AppStream metainfo in share/. Uninstalling leaves the database and settings
# (they are the user's: ~/.local/share/Feltkonsulent, ~/.config/Feltkonsulent).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
prefix=${PREFIX:-$HOME/.local}
app_id=dk.feltkonsulent.Feltkonsulent
lib=$prefix/lib/feltkonsulent
share=$prefix/share
sizes=(16 24 32 48 64 128 256)

installed_files() {
    echo "$prefix/bin/feltkonsulent"
    echo "$share/applications/$app_id.desktop"
    echo "$share/metainfo/$app_id.metainfo.xml"
    echo "$share/icons/hicolor/scalable/apps/$app_id.svg"
    for size in "${sizes[@]}"; do
        echo "$share/icons/hicolor/${size}x${size}/apps/$app_id.png"
    done
}

refresh_caches() {
    if command -v update-desktop-database >/dev/null 2>&1; then
        update-desktop-database -q "$share/applications" || true
    fi
    if command -v gtk-update-icon-cache >/dev/null 2>&1 && [ -f "$share/icons/hicolor/index.theme" ]; then
        gtk-update-icon-cache -q -t "$share/icons/hicolor" || true
    fi
}

if [ "${1:-}" = --uninstall ]; then
    installed_files | while read -r file; do rm -f "$file"; done
    rm -rf "$lib"
    refresh_caches
    echo "install: removed Feltkonsulent from $prefix (the database and settings are kept)"
    exit 0
fi

bundle=$(cd "${1:-$root/dist/feltkonsulent}" && pwd)
if [ ! -x "$bundle/feltkonsulent" ]; then
    echo "install: no bundle at $bundle; run: bash packaging/build.sh" >&2
    exit 1
fi

# A new copy beside the old one, then swapped in: a failed copy leaves the old version working.
mkdir -p "$prefix/lib" "$prefix/bin" "$share/applications" "$share/metainfo"
rm -rf "$lib.new"
cp -a "$bundle" "$lib.new"
rm -rf "$lib"
mv "$lib.new" "$lib"
ln -sfn "$lib/feltkonsulent" "$prefix/bin/feltkonsulent"

# The menu entry names the executable by its full path: ~/.local/bin is not always on PATH.
sed -e "s|^Exec=feltkonsulent|Exec=$lib/feltkonsulent|" \
    -e "s|^TryExec=feltkonsulent|TryExec=$lib/feltkonsulent|" \
    "$here/$app_id.desktop" >"$share/applications/$app_id.desktop"
cp "$here/$app_id.metainfo.xml" "$share/metainfo/"
icons=$root/resources/icons
install -D -m 644 "$icons/feltkonsulent.svg" "$share/icons/hicolor/scalable/apps/$app_id.svg"
for size in "${sizes[@]}"; do
    install -D -m 644 "$icons/feltkonsulent-$size.png" \
        "$share/icons/hicolor/${size}x${size}/apps/$app_id.png"
done
refresh_caches
echo "install: Feltkonsulent is in $lib; start it from the menu or with $prefix/bin/feltkonsulent"
