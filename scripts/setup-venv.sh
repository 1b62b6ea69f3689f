#!/usr/bin/env bash
# Create .venv with Python 3.11 if it is missing, and `pip install -e '.[EXTRAS]'` whenever
# pyproject.toml differs from the one last installed or an extra is missing (a stamp file
# in .venv: the pyproject.toml hash and the extras installed).
#   setup-venv.sh            gongxin[dev] (make run, make venv)
#   setup-venv.sh dev,spark  gongxin[dev,spark]: the tests, with PySpark for the Spark backend
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

extras=${1:-dev}
[[ $extras =~ ^[a-z]+(,[a-z]+)*$ ]] || die "extras must look like dev or dev,spark, got '$extras'"
PYTHON=${PYTHON:-python3.11}
stamp=.venv/.gongxin-installed

if [ ! -x .venv/bin/python ]; then
  command -v "$PYTHON" >/dev/null 2>&1 || die "$PYTHON not found: run scripts/setup-system.sh (Debian: apt-get install python3.11 python3.11-venv)."
  log "creating .venv with $PYTHON"
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' ||
  die ".venv is not Python 3.11: remove it (make distclean) and run again."

# Up to date when the stamp has this pyproject.toml's hash and every wanted extra (a venv
# set up for the tests, with spark, also serves make run).
want=$(sha pyproject.toml)
read -r have_sha have_extras 2>/dev/null <"$stamp" || true
up_to_date=1
[ "${have_sha:-}" = "$want" ] && [ -x .venv/bin/gongxin ] || up_to_date=0
for extra in ${extras//,/ }; do
  [[ ,${have_extras:-}, == *",$extra,"* ]] || up_to_date=0
done

if [ "$up_to_date" -eq 0 ]; then
  log "installing gongxin[$extras] into .venv"
  retry 3 .venv/bin/python -m pip install -q -e ".[$extras]"
  echo "$want $extras" >"$stamp"
else
  log "python packages: up to date"
fi
