#!/usr/bin/env bash
# `npm ci` (when package-lock.json changed) and copy the browser assets into static.
# The platform runs on an isolated intranet: assets are served locally, never from a CDN.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

stamp=node_modules/.gongxin-installed
vendor=gongxin/static/gongxin/vendor
echarts=node_modules/echarts/dist/echarts.min.js

want=$(sha package-lock.json)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ] || [ ! -f "$echarts" ]; then
  command -v npm >/dev/null 2>&1 || die "npm not found: run scripts/setup-system.sh (Debian: apt-get install npm)."
  log "npm ci"
  retry 3 npm ci --no-audit --no-fund --loglevel=error
  echo "$want" >"$stamp"
else
  log "npm packages: up to date"
fi
mkdir -p "$vendor"
cmp -s "$echarts" "$vendor/echarts.min.js" || cp "$echarts" "$vendor/echarts.min.js"
