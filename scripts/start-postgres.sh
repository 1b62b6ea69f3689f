#!/usr/bin/env bash
# Start the local PostgreSQL cluster and make sure the role `gongxin` and a database owned
# by it exist (idempotent). Usage: start-postgres.sh [database name, default gongxin].
# Prints the DATABASE_URL on stdout; everything else goes to stderr.
# The role has CREATEDB because pytest-django creates and drops its test database.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

database=${1:-gongxin}
password=${GONGXIN_PG_PASSWORD:-gongxin-local-test}
command -v pg_lsclusters >/dev/null 2>&1 || die "PostgreSQL is not installed: apt-get install postgresql (make test does it)."

read -r version port status < <(pg_lsclusters --no-header | awk '$2 == "main" {print $1, $3, $4; exit}') ||
  die "no PostgreSQL cluster named main (pg_lsclusters shows none): pg_createcluster <version> main"
if [ "$status" != online ]; then
  log "starting PostgreSQL $version/main"
  # stdout to stderr: pg_ctlcluster prints notices there on some machines, which would
  # corrupt the URL this script prints. Non-zero exit when the cluster is already running.
  as_root pg_ctlcluster "$version" main start >&2 || true
fi
for _ in $(seq 60); do
  pg_isready -q -h 127.0.0.1 -p "$port" && break
  sleep 1
done
pg_isready -h 127.0.0.1 -p "$port" >&2 || die "PostgreSQL $version/main does not accept connections on 127.0.0.1:$port"

psql_admin() { (cd / && as_root runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -p "$port" "$@"); }
psql_admin -v pw="$password" -v db="$database" >&2 <<'SQL'
SELECT format('CREATE ROLE gongxin LOGIN CREATEDB PASSWORD %L', :'pw')
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'gongxin') \gexec
SELECT format('ALTER ROLE gongxin LOGIN CREATEDB PASSWORD %L', :'pw') \gexec
SELECT format('CREATE DATABASE %I OWNER gongxin', :'db')
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'db') \gexec
SQL
log "PostgreSQL $version ready on 127.0.0.1:$port (role gongxin, database $database)"
echo "postgres://gongxin:${password}@127.0.0.1:${port}/${database}"
