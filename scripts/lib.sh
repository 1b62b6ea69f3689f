# Shared helpers for the scripts in this folder (sourced, not run).
# shellcheck shell=bash

log() { printf '==> %s\n' "$*" >&2; }
die() {
  printf '\nERROR: %s\n' "$*" >&2
  exit 1
}

# retry N command...: run a command up to N times (network hiccups happen).
retry() {
  local tries=$1 i
  shift
  for ((i = 1; ; i++)); do
    "$@" && return 0
    ((i >= tries)) && return 1
    log "failed (attempt $i of $tries), retrying in $((i * 5)) s: $*"
    sleep $((i * 5))
  done
}

# as_root command...: run as root directly, or through password-less sudo.
as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo -n "$@"
  else
    die "this step needs root (or password-less sudo): $*"
  fi
}

sha() { sha256sum "$1" | cut -d' ' -f1; }
