#!/usr/bin/env bash
# What `make test` needs beyond Java 17, Maven and Node 20, installed when missing:
#   chromium (browser tests), nginx (browser and deployment tests), docker-compose v1 (offline
#   validation of docker-compose.yml), a CJK font (Chinese prompts legible in the browser tests),
#   PostgreSQL 15 or newer and redis-server (the backend's cluster tests start their own servers on
#   loopback).
# As root it installs them with apt-get; otherwise it stops at once with the one command to run.
set -euo pipefail

fail() { echo "make test: $*" >&2; exit 1; }
have() { command -v "$1" >/dev/null 2>&1; }

have java || fail "Java 17 or newer is needed (apt-get install openjdk-17-jdk-headless)"
java_major=$(java -version 2>&1 | sed -n '1s/.*version "\([0-9]*\).*/\1/p')
[ "${java_major:-0}" -ge 17 ] || fail "Java 17 or newer is needed; found: $(java -version 2>&1 | sed -n 1p)"
have mvn || fail "Maven is needed (apt-get install maven)"
have node || fail "Node 20 or newer is needed"
node_major=$(node --version | sed 's/^v\([0-9]*\).*/\1/')
[ "$node_major" -ge 20 ] || fail "Node 20 or newer is needed; found $(node --version)"

missing=()
have chromium || missing+=(chromium)
[ -x /usr/sbin/nginx ] || have nginx || missing+=(nginx)
have docker-compose || missing+=(docker-compose)
have envsubst || missing+=(gettext-base)
have curl || missing+=(curl)
fc-list 2>/dev/null | grep -qi "WenQuanYi" || missing+=(fonts-wqy-microhei)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
have redis-server || missing+=(redis-server)
[ ${#missing[@]} -eq 0 ] && exit 0

command="apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  fail "missing ${missing[*]}; install them first: sudo sh -c '$command'"
fi
have apt-get || fail "missing ${missing[*]}, and this is not a Debian-like system: install them by hand"
echo "make test: installing ${missing[*]}"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
