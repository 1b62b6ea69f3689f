#!/usr/bin/env bash
# Serve the demo: migrate, `gongxin demo` (prints the demo logins), collectstatic, then
# gunicorn on http://$HOST:$PORT and `gongxin worker` together; Ctrl-C stops both.
# Expects .venv and the assets in place (make run sets them up first).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

export GONGXIN_DEMO=1 GONGXIN_SECURE_COOKIES=0
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
bin=.venv/bin

"$bin/gongxin" migrate --noinput -v0
"$bin/gongxin" demo
"$bin/gongxin" collectstatic --noinput -v0

pids=()
stop() {
  trap - INT TERM EXIT
  [ ${#pids[@]} -eq 0 ] || kill -TERM "${pids[@]}" 2>/dev/null || true
  wait 2>/dev/null
  log "stopped"
}
trap stop INT TERM EXIT

"$bin/gongxin" worker &
pids+=($!)
"$bin/gunicorn" gongxin.wsgi --bind "$HOST:$PORT" --workers 2 --access-logfile - &
pids+=($!)
log "gongxin 演示环境：http://$HOST:$PORT/ （演示账号见上方；Ctrl-C 停止）"
# Whichever of the two ends first (Ctrl-C, a crash, the port in use) ends both.
wait -n
