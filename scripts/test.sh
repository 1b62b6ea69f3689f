#!/usr/bin/env bash
# Everything `make test` does, on a fresh Debian 12 machine as root or on a set-up one:
# system packages, venv, npm assets, lint, migrations check, PostgreSQL, then the whole
# suite on SQLite (browser tests included) and on PostgreSQL (browser tests excluded).
# A missing prerequisite fails the run; a skipped test fails it too.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

step() { printf '\n==> %s\n' "$*" >&2; }
results=var/test-results
mkdir -p "$results"

# pytest, then refuse a green run that skipped tests (a skip hides a missing backend).
pytest_no_skips() {
  local name=$1 status=0
  shift
  # Called as `pytest_no_skips ... || ...`, where `set -e` is off: keep the status by hand.
  .venv/bin/pytest --junitxml="$results/$name.xml" -o junit_family=xunit2 "$@" || status=$?
  .venv/bin/python - "$results/$name.xml" <<'PY' || status=1
import sys
import xml.etree.ElementTree as ET

root = ET.parse(sys.argv[1]).getroot()
suites = [root] if root.tag == "testsuite" else list(root)
skipped = sum(int(s.get("skipped", 0)) for s in suites)
tests = sum(int(s.get("tests", 0)) for s in suites)
if tests == 0 or skipped:
    sys.exit(f"ERROR: {tests} tests collected, {skipped} skipped: a skipped test is a failure here.")
PY
  return $status
}

step "system packages"
bash scripts/setup-system.sh test
step "python environment"
bash scripts/setup-venv.sh dev,spark
step "front-end assets"
bash scripts/setup-assets.sh
step "ruff check"
.venv/bin/ruff check .
step "mypy on the pure modules"
.venv/bin/mypy $(cat scripts/mypy-modules.txt)
step "migrations match the models"
.venv/bin/gongxin makemigrations --check --dry-run
step "PostgreSQL"
# One database name per checkout, so clones tested side by side on one machine do not
# share pytest-django's test database (test_<name>).
pg_url=$(bash scripts/start-postgres.sh "gongxin_$(pwd -P | sha256sum | cut -c1-8)")
[[ $pg_url =~ ^postgres://[^[:space:]]+$ ]] || die "scripts/start-postgres.sh printed no usable DATABASE_URL: '$pg_url'"

# Both databases run even when the first fails, so one run reports everything.
failed=()
step "pytest on SQLite (all tests, browser tests included)"
unset DATABASE_URL
pytest_no_skips sqlite || failed+=("pytest on SQLite")
step "pytest on PostgreSQL (all tests except the browser ones)"
export DATABASE_URL=$pg_url
pytest_no_skips postgresql -m "not browser" || failed+=("pytest on PostgreSQL")

if [ ${#failed[@]} -gt 0 ]; then
  die "failed: $(IFS=,; echo "${failed[*]}") (JUnit reports in $results/)"
fi
step "all checks passed"
