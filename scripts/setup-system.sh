#!/usr/bin/env bash
# Install the Debian packages gongxin needs, only those that are missing.
#   setup-system.sh run   python3.11 with venv support, npm
#   setup-system.sh test  the above + chromium, fonts-noto-cjk (Chinese glyphs), postgresql,
#                         a Java runtime for the Spark backend (openjdk-17-jre-headless)
# Needs root (or password-less sudo) only when something is missing; fails loudly otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

profile=${1:-test}
PYTHON=${PYTHON:-python3.11}
missing=()
need_java=0

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
  # PySpark 4 runs on Java 17 or 21; the package is chosen after apt-get update below.
  command -v java >/dev/null 2>&1 || need_java=1
fi

if [ ${#missing[@]} -eq 0 ] && [ "$need_java" -eq 0 ]; then
  log "system packages: all present"
  exit 0
fi

shown=("${missing[@]}")
[ "$need_java" -eq 0 ] || shown+=("a Java runtime (openjdk-17-jre-headless)")
command -v apt-get >/dev/null 2>&1 ||
  die "missing system packages (${shown[*]}) and no apt-get here: install them by hand."
export DEBIAN_FRONTEND=noninteractive
apt=(apt-get -o DPkg::Lock::Timeout=600 -o Acquire::Retries=3)
retry 3 as_root "${apt[@]}" update -q
if [ "$need_java" -eq 1 ]; then
  # Debian 12 has openjdk-17; a release without it gets its default JRE (21 on Debian 13).
  if apt-cache show openjdk-17-jre-headless >/dev/null 2>&1; then
    missing+=(openjdk-17-jre-headless)
  else
    missing+=(default-jre-headless)
  fi
fi
log "installing system packages: ${missing[*]}"
retry 3 as_root "${apt[@]}" install -y -q "${missing[@]}"
