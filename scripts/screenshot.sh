#!/usr/bin/env bash
# Render a plot SVG to PNG in a real browser (headless Chromium), to check that the labels
# are legible, and reproduce docs/img/te_weekly.png.
#
#   scripts/screenshot.sh                 # example plot_te_weekly -> docs/img/te_weekly.png
#   scripts/screenshot.sh IN.svg OUT.png  # any SVG
#
# Needs chromium (Debian: apt-get install -y chromium). Not part of CI.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ $# -ge 2 ]]; then
    svg=$1
    png=$2
else
    svg=$(mktemp --suffix=.svg)
    trap 'rm -f "$svg"' EXIT
    png=docs/img/te_weekly.png
    cargo run --quiet --example plot_te_weekly -- "$svg"
fi

browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [[ -z $browser ]]; then
    echo "screenshot.sh: no chromium found (Debian: apt-get install -y chromium)" >&2
    exit 1
fi

# the window is the SVG's own size, so the PNG is the whole plot at 1:1
read -r width height < <(head -c 400 "$svg" | sed -n 's/.*<svg width="\([0-9]*\)" height="\([0-9]*\)".*/\1 \2/p')
mkdir -p "$(dirname "$png")"
"$browser" --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --disable-sync --no-first-run --hide-scrollbars \
    --screenshot="$(realpath -m "$png")" --window-size="${width:-1200},${height:-1600}" \
    "file://$(realpath "$svg")" 2>/dev/null
echo "wrote $png (${width:-1200}x${height:-1600})"
