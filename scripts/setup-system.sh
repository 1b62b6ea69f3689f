#!/usr/bin/env bash
# Install the Debian packages gongxin needs, only those that are missing.
#   setup-system.sh run   python3.11 with venv support, npm
#   setup-system.sh test  the above + chromium, fonts-noto-cjk (Chinese glyphs), postgresql
# Needs root (or password-less sudo) only when something is missing; fails loudly otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

profile=${1:-test}
PYTHON=${PYTHON:-python3.11}
missing=()

if ! command -v "$PYTHON" >/dev/null 2>&1; then
  missing+=(python3.11 python3.11-venv)
elif ! "$PYTHON" -c 'import ensurepip, venv' >/dev/null 2>&1; then
  missing+=(python3.11-venv)
fi
command -v npm >/dev/null 2>&1 || missing+=(npm)

if [ "$profile" = test ]; then
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  dpkg-query -W -f='${Status}' fonts-noto-cjk 2>/dev/null | grep -q 'install ok installed' ||
    missing+=(fonts-noto-cjk)
  if ! command -v pg_lsclusters >/dev/null 2>&1 || [ -z "$(pg_lsclusters --no-header 2>/dev/null)" ]; then
    missing+=(postgresql)
  fi
fi

if [ ${#missing[@]} -eq 0 ]; then
  log "system packages: all present"
  exit 0
fi

command -v apt-get >/dev/null 2>&1 ||
  die "missing system packages (${missing[*]}) and no apt-get here: install them by hand."
log "installing system packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt=(apt-get -o DPkg::Lock::Timeout=600 -o Acquire::Retries=3)
retry 3 as_root "${apt[@]}" update -q
retry 3 as_root "${apt[@]}" install -y -q "${missing[@]}"
