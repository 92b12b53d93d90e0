#!/usr/bin/env bash
# Renders the application icon (resources/icons/feltkonsulent.svg, drawn by hand) to the PNG
# sizes desktops ask for and to a Windows .ico. The outputs are committed; run this only after
# changing the SVG. Needs rsvg-convert (librsvg2-bin) and ImageMagick's convert.
set -euo pipefail
cd "$(dirname "$0")/.."

icons=resources/icons
sizes=(16 24 32 48 64 128 256)
for tool in rsvg-convert convert; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "icons: $tool is missing; run: apt-get install librsvg2-bin imagemagick" >&2
        exit 1
    fi
done

pngs=()
for size in "${sizes[@]}"; do
    out=$icons/feltkonsulent-$size.png
    rsvg-convert --width "$size" --height "$size" --format png "$icons/feltkonsulent.svg" \
        --output "$out"
    pngs+=("$out")
done
# One .ico holding every size; Windows picks the nearest one for the taskbar, Explorer, etc.
convert "${pngs[@]}" "$icons/feltkonsulent.ico"
echo "icons: wrote ${#pngs[@]} PNGs and $icons/feltkonsulent.ico"
