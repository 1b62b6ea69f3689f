#!/usr/bin/env bash
# Create .venv with Python 3.11 if it is missing, and `pip install -e '.[dev]'` whenever
# pyproject.toml differs from the one last installed (a stamp file in .venv).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

PYTHON=${PYTHON:-python3.11}
stamp=.venv/.gongxin-installed

if [ ! -x .venv/bin/python ]; then
  command -v "$PYTHON" >/dev/null 2>&1 || die "$PYTHON not found: run scripts/setup-system.sh (Debian: apt-get install python3.11 python3.11-venv)."
  log "creating .venv with $PYTHON"
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' ||
  die ".venv is not Python 3.11: remove it (make distclean) and run again."

want=$(sha pyproject.toml)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ] || [ ! -x .venv/bin/gongxin ]; then
  log "installing gongxin[dev] into .venv"
  retry 3 .venv/bin/python -m pip install -q -e '.[dev]'
  echo "$want" >"$stamp"
else
  log "python packages: up to date"
fi
