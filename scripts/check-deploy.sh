#!/usr/bin/env bash
# Offline checks of the deployment files (nginx.conf, docker-compose.yml, backend/Dockerfile,
# frontend/Dockerfile and their .dockerignore files). No Docker engine is needed or used.
#
#   a. nginx.conf renders like nginx:alpine renders it (envsubst of the three placeholders) and
#      `nginx -t` accepts it, with the test values and with the docker values.
#   b. docker-compose.yml passes `docker-compose config -q` (v1) and the compose-spec schema (dclint),
#      and agrees with nginx.conf and the Dockerfiles on names and ports.
#   c. Both Dockerfiles parse (dockerfile-utils).
#   d. What the Dockerfiles COPY exists and survives .dockerignore; the lockfile can install on alpine;
#      backend/Dockerfile starts the JVM with the Makefile's default flags (JAVA_OPTS_DEFAULT).
#   e. frontend/dist (if built) contains nothing the Content-Security-Policy would block.
#   f. nginx, run with the rendered config against a stand-in backend on 127.0.0.1, serves the SPA with
#      the right headers and streams SSE through /api/ without buffering.
#
# Environment: CHECK_DEPLOY_STRICT=1 turns every SKIP (a missing tool) into a failure, for CI.
#              CHECK_DEPLOY_FULL=1 also runs the Dockerfiles' build commands (npm ci, npm run build,
#              mvn package, layer extraction, the class-data training run) in temporary copies, and
#              starts the backend with the image's ENTRYPOINT: slow, needs the registries.
# Needs: bash, nginx, node/npx, curl; docker-compose and /usr/bin/python3 with docker-py are optional.
#
# SC2016: literal ${...} placeholders and $-expressions for inner shells and node are single-quoted on purpose.
# shellcheck disable=SC2016
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/check-deploy.XXXXXX")"
# nginx workers run as `nobody` when the master is root: they must be able to enter the temp tree.
chmod 755 "$WORK"

PIDS=()
cleanup() {
    local pid
    for pid in ${PIDS[@]+"${PIDS[@]}"}; do
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    rm -rf "$WORK"
}
trap cleanup EXIT
# A command that stops the script under set -e says which one it was (a CI run once ended silently at
# the start of section f, and the log could not tell why).
trap 'echo "check-deploy: stopped at line $LINENO (exit $?): $BASH_COMMAND" >&2' ERR

passed=0
failed=0
skipped=0
pass() { printf '  ok    %s\n' "$1"; passed=$((passed + 1)); }
fail() { printf '  FAIL  %s\n' "$1"; failed=$((failed + 1)); }
skip() {
    if [[ "${CHECK_DEPLOY_STRICT:-0}" == 1 ]]; then
        fail "$1 (CHECK_DEPLOY_STRICT=1: a skipped check fails)"
    else
        printf '  SKIP  %s\n' "$1"
        skipped=$((skipped + 1))
    fi
}
section() { printf '\n== %s\n' "$1"; }
# Indented tail of a log file, printed under a failure.
show() { sed -e 's/^/        | /' "$1" | tail -n "${2:-15}"; }
have() { command -v "$1" >/dev/null 2>&1; }

# The official image runs `envsubst "${NAME1} ${NAME2} ..."` over the defined variables only, which is
# what leaves nginx's own $variables alone; render the same way.
PLACEHOLDERS='${NGINX_LISTEN} ${BACKEND_UPSTREAM} ${FRONTEND_ROOT}'
render() { # render LISTEN UPSTREAM ROOT OUTFILE
    if have envsubst; then
        NGINX_LISTEN="$1" BACKEND_UPSTREAM="$2" FRONTEND_ROOT="$3" \
            envsubst "$PLACEHOLDERS" <"$ROOT/nginx.conf" >"$4"
    else
        sed -e "s|\${NGINX_LISTEN}|$1|g" -e "s|\${BACKEND_UPSTREAM}|$2|g" -e "s|\${FRONTEND_ROOT}|$3|g" \
            "$ROOT/nginx.conf" >"$4"
    fi
}

# What nginx:alpine's own /etc/nginx/nginx.conf wraps around conf.d/default.conf, with every path moved
# into PREFIX so that nothing outside the temp directory is read or written.
wrap() { # wrap PREFIX
    mkdir -p "$1/tmp"
    cat >"$1/nginx.conf" <<EOF
daemon off;
worker_processes 1;
pid $1/nginx.pid;
error_log $1/error.log warn;
events { worker_connections 256; }
http {
    include $MIME_TYPES;
    default_type application/octet-stream;
    sendfile on;
    access_log $1/access.log;
    client_body_temp_path $1/tmp/client_body;
    proxy_temp_path $1/tmp/proxy;
    fastcgi_temp_path $1/tmp/fastcgi;
    uwsgi_temp_path $1/tmp/uwsgi;
    scgi_temp_path $1/tmp/scgi;
    include $1/server.conf;
}
EOF
}

free_port() {
    node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

MIME_TYPES=/etc/nginx/mime.types
NGINX="$(command -v nginx || true)"
TEST_CONFIG_OK=0
[[ -z "$NGINX" && -x /usr/sbin/nginx ]] && NGINX=/usr/sbin/nginx

# ---------------------------------------------------------------------------------------------------
section "a. nginx.conf template"

# Every ${...} or $UPPER_CASE token is something envsubst could replace; only the three may exist.
tokens="$(grep -oE '\$\{?[A-Z_][A-Z0-9_]*\}?' "$ROOT/nginx.conf" | sort -u | tr '\n' ' ' || true)"
if [[ "$tokens" == '${BACKEND_UPSTREAM} ${FRONTEND_ROOT} ${NGINX_LISTEN} ' ]]; then
    pass "exactly the placeholders \${NGINX_LISTEN} \${BACKEND_UPSTREAM} \${FRONTEND_ROOT}"
else
    fail "placeholder tokens are [${tokens}], expected the three \${NGINX_LISTEN} \${BACKEND_UPSTREAM} \${FRONTEND_ROOT}"
fi

# The SSE-safe settings must stay on the /api/ location. (The live test in section f catches gzip on the
# stream; nginx 1.22 happened to pass small events on even with proxy_buffering on, so that line is
# checked here, as text.)
api_block="$(awk '/^[[:space:]]*location \/api\/ \{/ { on = 1 } on { print } on && /^[[:space:]]*\}/ { exit }' "$ROOT/nginx.conf")"
missing=""
for d in 'proxy_buffering off;' 'proxy_cache off;' 'proxy_read_timeout 1h;' 'gzip off;'; do
    grep -qF "$d" <<<"$api_block" || missing="$missing [$d]"
done
for d in 'proxy_http_version 1.1;' 'proxy_set_header Connection "";' 'client_max_body_size 20m;'; do
    grep -qF "$d" "$ROOT/nginx.conf" || missing="$missing [$d]"
done
if [[ -z "$missing" ]]; then
    pass "location /api/ has the SSE settings (buffering, cache, read timeout, gzip off), HTTP/1.1 upstream"
else
    fail "nginx.conf lacks:$missing"
fi

# The event streams' own locations (where the per-address cap applies) need the same SSE settings, and
# slow clients need timeouts shorter than nginx's 60 s defaults.
missing=""
for loc in 'location = /api/v1/events {' 'location ~ ^/api/v1/task/[^/]+/events$ {'; do
    block="$(awk -v want="$loc" 'index($0, want) { on = 1 } on { print } on && /^[[:space:]]*\}/ { exit }' "$ROOT/nginx.conf")"
    if [[ -z "$block" ]]; then
        missing="$missing [$loc]"
        continue
    fi
    for d in 'proxy_buffering off;' 'proxy_cache off;' 'proxy_read_timeout 1h;' 'gzip off;' 'limit_conn vis_event_streams ' \
        'limit_conn_status 429;'; do
        grep -qF "$d" <<<"$block" || missing="$missing [$d in $loc]"
    done
done
for d in 'limit_conn_zone $binary_remote_addr zone=vis_event_streams:' 'client_header_timeout ' 'client_body_timeout ' \
    'send_timeout ' 'keepalive_timeout '; do
    grep -qF "$d" "$ROOT/nginx.conf" || missing="$missing [$d]"
done
if [[ -z "$missing" ]]; then
    pass "the event-stream locations have the SSE settings and a per-address limit_conn; client timeouts are set"
else
    fail "nginx.conf lacks:$missing"
fi

if [[ -z "$NGINX" ]]; then
    fail "nginx is not installed (apt-get install -y nginx): the config cannot be tested"
elif [[ ! -r "$MIME_TYPES" ]]; then
    fail "$MIME_TYPES is missing (it comes with Debian's nginx and with nginx:alpine)"
else
    # Test values: everything on 127.0.0.1, the fixture web root of section f.
    T="$WORK/test"
    mkdir -p "$T"
    wrap "$T"
    NGINX_PORT="$(free_port)"
    UPSTREAM_PORT="$(free_port)"
    DOCROOT="$WORK/html"
    render "127.0.0.1:$NGINX_PORT" "127.0.0.1:$UPSTREAM_PORT" "$DOCROOT" "$T/server.conf"
    if grep -q '\${' "$T/server.conf"; then
        fail "test rendering still contains \${...}"
    elif "$NGINX" -t -q -p "$T" -e "$T/error.log" -c "$T/nginx.conf" >"$WORK/t.log" 2>&1; then
        TEST_CONFIG_OK=1
        pass "nginx -t accepts the test rendering (listen 127.0.0.1:$NGINX_PORT, upstream 127.0.0.1:$UPSTREAM_PORT)"
    else
        fail "nginx -t rejects the test rendering:"
        show "$WORK/t.log"
    fi

    # Docker values. `backend` does not resolve here, and nginx resolves upstream names at load time;
    # in a private mount namespace a bind-mounted hosts file makes it resolve without touching the host.
    D="$WORK/docker"
    mkdir -p "$D"
    wrap "$D"
    render "80" "backend:8080" "/usr/share/nginx/html" "$D/server.conf"
    if grep -q '\${' "$D/server.conf"; then
        fail "docker rendering still contains \${...}"
    else
        pass "docker rendering (80, backend:8080, /usr/share/nginx/html) leaves no \${...}"
        printf '127.0.0.1 localhost\n127.0.0.1 backend\n' >"$D/hosts"
        inner='mount --bind "$0" /etc/hosts && exec "$1" -t -q -p "$2" -e "$2/error.log" -c "$2/nginx.conf"'
        if unshare -m sh -c "$inner" "$D/hosts" "$NGINX" "$D" >"$WORK/d.log" 2>&1 ||
            unshare -rm sh -c "$inner" "$D/hosts" "$NGINX" "$D" >"$WORK/d.log" 2>&1; then
            pass "nginx -t accepts the docker rendering (backend mapped to 127.0.0.1 in a private mount namespace)"
        elif grep -q 'host not found in upstream' "$WORK/d.log" || ! grep -q 'nginx' "$WORK/d.log"; then
            skip "nginx -t of the docker rendering: cannot map 'backend' here (unshare not permitted)"
            show "$WORK/d.log" 3
        else
            fail "nginx -t rejects the docker rendering:"
            show "$WORK/d.log"
        fi
    fi
fi

# ---------------------------------------------------------------------------------------------------
section "b. docker-compose.yml"

# docker-compose v1 insists that env_file (.env) and the build contexts exist. Validate a copy in a
# temp project directory so that no .env is ever created in the repository: the contexts are symlinks,
# .env comes from .env.example.
C="$WORK/compose"
mkdir -p "$C"
cp "$ROOT/docker-compose.yml" "$C/"
[[ -f "$ROOT/docker-compose.dev.yml" ]] && cp "$ROOT/docker-compose.dev.yml" "$C/"
[[ -f "$ROOT/docker-compose.cluster.yml" ]] && cp "$ROOT/docker-compose.cluster.yml" "$C/"
[[ -d "$ROOT/deploy" ]] && ln -s "$ROOT/deploy" "$C/deploy"
ln -s "$ROOT/backend" "$C/backend"
ln -s "$ROOT/frontend" "$C/frontend"
if [[ -f "$ROOT/.env.example" ]]; then
    cp "$ROOT/.env.example" "$C/.env"
    envnote="with .env from .env.example"
else
    : >"$C/.env"
    envnote="with an empty .env (there is no .env.example yet)"
fi

if have docker-compose; then
    if (cd "$C" && docker-compose -f docker-compose.yml config -q) >"$WORK/c.log" 2>&1; then
        pass "docker-compose $(docker-compose version --short 2>/dev/null || true) config -q ($envnote)"
        (cd "$C" && docker-compose -f docker-compose.yml config) >"$WORK/compose.rendered.yml" 2>/dev/null || true
    else
        fail "docker-compose config -q rejects docker-compose.yml ($envnote):"
        show "$WORK/c.log"
    fi
    if [[ -f "$C/docker-compose.dev.yml" ]]; then
        # The development override, with its optional emulator service switched on.
        if (cd "$C" && COMPOSE_PROFILES=emulator docker-compose -f docker-compose.yml -f docker-compose.dev.yml config -q) \
            >"$WORK/cd.log" 2>&1; then
            pass "docker-compose config -q accepts docker-compose.yml + docker-compose.dev.yml (profile emulator)"
        else
            fail "docker-compose config -q rejects the docker-compose.dev.yml override:"
            show "$WORK/cd.log"
        fi
    fi
    if [[ -f "$C/docker-compose.cluster.yml" ]]; then
        # The cluster file (issue 18) with its monitoring profile: valid once the three secrets it insists on
        # are given, and refused, naming them, while .env leaves them empty (as .env.example does).
        if (cd "$C" && APP_SECRET_KEY=c3R1ZGlvLXJlcGxpY2FzLXNoYXJlLW9uZS1rZXkhISE= DATABASE_PASSWORD=check \
            S3_SECRET_KEY=check-the-bucket COMPOSE_PROFILES=monitoring docker-compose -f docker-compose.cluster.yml config) \
            >"$WORK/cluster.rendered.yml" 2>"$WORK/cl.log"; then
            pass "docker-compose config accepts docker-compose.cluster.yml (profile monitoring, secrets given)"
        else
            fail "docker-compose config rejects docker-compose.cluster.yml:"
            show "$WORK/cl.log"
        fi
        if (cd "$C" && docker-compose -f docker-compose.cluster.yml config -q) >"$WORK/cl2.log" 2>&1; then
            fail "docker-compose.cluster.yml is accepted without APP_SECRET_KEY, DATABASE_PASSWORD and S3_SECRET_KEY"
        elif grep -q "APP_SECRET_KEY\|DATABASE_PASSWORD\|S3_SECRET_KEY" "$WORK/cl2.log"; then
            pass "docker-compose.cluster.yml refuses to start without APP_SECRET_KEY / DATABASE_PASSWORD / S3_SECRET_KEY, naming them"
        else
            fail "docker-compose.cluster.yml fails without its secrets, but not saying so:"
            show "$WORK/cl2.log"
        fi
    fi
else
    printf '\n  !!!!!!!!  docker-compose is NOT installed: the compose file is NOT validated by compose  !!!!!!!!\n'
    printf '  !!!!!!!!  apt-get install -y docker-compose                                               !!!!!!!!\n\n'
    skip "docker-compose config -q (docker-compose not installed)"
fi

# The compose-spec JSON schema, which docker compose v2 applies. Style rules are off: this is about
# validity. no-unbound-port-interfaces cannot see that the interface is ${APP_HOST:-127.0.0.1};
# require-project-name-field asks for the top-level `name:` that v1 rejects.
if have npx; then
    if timeout 120 npx --yes dclint@3.1.0 "$ROOT/docker-compose.yml" -q --color false \
        --disable-rule no-unbound-port-interfaces require-project-name-field >"$WORK/dclint.log" 2>&1; then
        pass "dclint: docker-compose.yml matches the compose-spec schema"
    elif grep -qE 'ERR!|ENOTFOUND|EAI_AGAIN|ETIMEDOUT' "$WORK/dclint.log"; then
        skip "dclint could not be installed from npm (the schema check did not run)"
        show "$WORK/dclint.log" 3
    else
        fail "dclint rejects docker-compose.yml:"
        show "$WORK/dclint.log"
    fi
else
    skip "dclint (npx not installed)"
fi

# Cross-file agreement, read from compose's own rendering of the file.
if [[ -s "$WORK/compose.rendered.yml" ]] && /usr/bin/python3 -c 'import yaml' 2>/dev/null; then
    if /usr/bin/python3 - "$WORK/compose.rendered.yml" >"$WORK/x.log" 2>&1 <<'EOF'; then
import sys, yaml
c = yaml.safe_load(open(sys.argv[1]))["services"]
errors = []
def check(ok, msg):
    if not ok:
        errors.append(msg)
ng, be = c["nginx"], c["backend"]
env = ng.get("environment", {})
check(set(env) >= {"NGINX_LISTEN", "BACKEND_UPSTREAM", "FRONTEND_ROOT"},
      "nginx environment lacks one of the three template placeholders: %s" % sorted(env))
check(str(env.get("NGINX_LISTEN")) == "80", "NGINX_LISTEN should be 80 (the published container port)")
check(env.get("BACKEND_UPSTREAM") == "backend:%s" % be["environment"]["APP_PORT"],
      "BACKEND_UPSTREAM %s does not name the backend service and its APP_PORT" % env.get("BACKEND_UPSTREAM"))
check(env.get("FRONTEND_ROOT") == "/usr/share/nginx/html", "FRONTEND_ROOT is not where frontend/Dockerfile copies dist")
check(any(str(p).endswith(":80/tcp") or str(p).endswith(":80") for p in ng.get("ports", [])),
      "nginx does not publish container port 80")
check(ng.get("depends_on", {}).get("backend", {}).get("condition") == "service_healthy",
      "nginx does not wait for a healthy backend")
check(":%s/actuator/health" % be["environment"]["APP_PORT"] in " ".join(be["healthcheck"]["test"]),
      "the backend healthcheck does not probe /actuator/health on APP_PORT")
check(be["healthcheck"]["test"][1] == "curl", "the backend healthcheck should use curl (installed by backend/Dockerfile)")
check("ports" not in be, "the backend should not be published; nginx is the only way in")
check(be.get("mem_limit"), "the backend has no memory limit")
check(be.get("environment", {}).get("APP_HOST") == "0.0.0.0", "the backend must listen on 0.0.0.0 in its container")
for name in ("DATA_DIR", "LOG_DIR"):
    path = be["environment"].get(name)
    check(any(str(v).split(":")[1] == path for v in be.get("volumes", [])), "%s=%s is not a mounted volume" % (name, path))
print("\n".join(errors))
sys.exit(1 if errors else 0)
EOF
        pass "compose agrees with nginx.conf and the Dockerfiles (placeholders, upstream, ports, healthcheck, volumes)"
    else
        fail "compose and the other deployment files disagree:"
        show "$WORK/x.log"
    fi
else
    skip "cross-file agreement (needs docker-compose's rendering and python3-yaml)"
fi

# The cluster's own agreement: both replicas answer to the name nginx's upstream resolves, share the database,
# Redis, master key and DATA_DIR, and are what Prometheus scrapes; the provisioned dashboard is valid JSON that
# reads the provisioned data source.
if [[ -s "$WORK/cluster.rendered.yml" ]] && /usr/bin/python3 -c 'import yaml' 2>/dev/null; then
    if /usr/bin/python3 - "$WORK/cluster.rendered.yml" "$ROOT/deploy" >"$WORK/cx.log" 2>&1 <<'EOF'; then
import json, os, sys, yaml
c = yaml.safe_load(open(sys.argv[1]))["services"]
deploy = sys.argv[2]
errors = []
def check(ok, msg):
    if not ok:
        errors.append(msg)
replicas = [n for n in c if n.startswith("backend-")]
check(len(replicas) >= 2, "fewer than two backend replicas: %s" % replicas)
upstream = c["nginx"]["environment"]["BACKEND_UPSTREAM"].split(":")[0]
for name in replicas:
    be = c[name]
    env = be["environment"]
    aliases = (be.get("networks", {}).get("default") or {}).get("aliases", [])
    check(upstream in aliases, "%s does not answer to nginx's upstream name %s" % (name, upstream))
    check(env.get("DATABASE_URL", "").startswith("r2dbc:postgresql://postgres:"), "%s: DATABASE_URL is not the postgres service" % name)
    check(env.get("REDIS_URL", "").startswith("redis://redis:"), "%s: REDIS_URL is not the redis service" % name)
    check(env.get("APP_SECRET_KEY"), "%s has no APP_SECRET_KEY" % name)
    check(c["nginx"]["depends_on"].get(name, {}).get("condition") == "service_healthy", "nginx does not wait for %s" % name)
envs = [json.dumps(c[n]["environment"], sort_keys=True) for n in replicas]
check(len(set(envs)) == 1, "the replicas' environments differ")
vols = [sorted(map(str, c[n].get("volumes", []))) for n in replicas]
check(all(v == vols[0] for v in vols), "the replicas do not mount the same DATA_DIR")
check(c["postgres"]["environment"]["POSTGRES_PASSWORD"] == c[replicas[0]]["environment"]["DATABASE_PASSWORD"],
      "PostgreSQL's password is not the replicas' DATABASE_PASSWORD")
# The bucket: the s3 service's, reached by the replicas' endpoint and key, its folder made before it starts,
# and its name resolvable for virtual-host addressing.
env0 = c[replicas[0]]["environment"]
s3 = c["s3"]
check(env0.get("S3_ENDPOINT", "").startswith("http://s3:"), "the replicas' S3_ENDPOINT is not the s3 service")
check(s3["environment"]["S3PROXY_IDENTITY"] == env0.get("S3_ACCESS_KEY")
      and s3["environment"]["S3PROXY_CREDENTIAL"] == env0.get("S3_SECRET_KEY"),
      "the s3 service's key pair is not the replicas' S3_ACCESS_KEY / S3_SECRET_KEY")
check(s3["environment"]["S3PROXY_AUTHORIZATION"] == "aws-v2-or-v4", "the s3 service does not check signatures")
bucket = env0.get("S3_BUCKET")
check("%s.%s" % (bucket, s3["environment"]["S3PROXY_VIRTUALHOST"]) in s3["networks"]["default"]["aliases"],
      "the bucket %s is not reachable as a virtual host" % bucket)
check(c["s3-bucket"]["command"][-1] == "/data/%s" % bucket, "s3-bucket does not make the folder of %s" % bucket)
check(s3["depends_on"]["s3-bucket"]["condition"] == "service_completed_successfully", "s3 starts before its bucket")
for name in replicas:
    check("s3" in c[name]["depends_on"], "%s does not wait for s3" % name)
check(c["prometheus"].get("profiles") == ["monitoring"] and c["grafana"].get("profiles") == ["monitoring"],
      "Prometheus and Grafana are not in the monitoring profile")
prom = yaml.safe_load(open(os.path.join(deploy, "prometheus.yml")))
targets = {t for job in prom["scrape_configs"] for sc in job["static_configs"] for t in sc["targets"]}
check(targets == {"%s:8080" % n for n in replicas}, "Prometheus scrapes %s, not every replica" % sorted(targets))
check(all(job.get("metrics_path") == "/actuator/prometheus" for job in prom["scrape_configs"]), "Prometheus' metrics_path")
sources = yaml.safe_load(open(os.path.join(deploy, "grafana/provisioning/datasources/prometheus.yml")))
uid = sources["datasources"][0]["uid"]
board = json.load(open(os.path.join(deploy, "grafana/dashboards/studio.json")))
for panel in board["panels"]:
    check(panel["datasource"]["uid"] == uid, "panel %s reads another data source" % panel["title"])
    check(panel["targets"] and all(t["expr"] for t in panel["targets"]), "panel %s has no query" % panel["title"])
print("\n".join(errors))
sys.exit(1 if errors else 0)
EOF
        pass "the cluster compose agrees: replicas behind nginx's upstream name, one database, Redis, bucket, key and DATA_DIR, all scraped; the dashboard reads the provisioned Prometheus"
    else
        fail "the cluster compose and its monitoring files disagree:"
        show "$WORK/cx.log"
    fi
fi

# ---------------------------------------------------------------------------------------------------
section "c. Dockerfile syntax"

# hadolint cannot be installed here; dockerfile-utils is the parser of the VS Code Docker extension and
# reports unknown instructions, bad flags and malformed arguments.
for df in backend/Dockerfile frontend/Dockerfile; do
    if have npx && timeout 120 npx --yes dockerfile-utils@0.16.3 lint "$ROOT/$df" >"$WORK/l.log" 2>&1; then
        pass "dockerfile-utils lint $df"
    elif have npx && grep -qE '^Error:|Line: [0-9]+' "$WORK/l.log"; then
        fail "dockerfile-utils lint $df:"
        show "$WORK/l.log"
    else
        # Fallback: every logical line must start with a known instruction, the first one FROM.
        if awk '
            BEGIN { ok = 1; n = 0 }
            /^[[:space:]]*#/ || /^[[:space:]]*$/ { next }
            cont { cont = /\\[[:space:]]*$/; next }
            {
                n++; word = toupper($1)
                if (n == 1 && word != "FROM" && word != "ARG") { print "first instruction is " $1; ok = 0 }
                if (word !~ /^(FROM|RUN|CMD|LABEL|EXPOSE|ENV|ADD|COPY|ENTRYPOINT|VOLUME|USER|WORKDIR|ARG|ONBUILD|STOPSIGNAL|HEALTHCHECK|SHELL)$/) {
                    print "line " NR ": unknown instruction " $1; ok = 0
                }
                cont = /\\[[:space:]]*$/
            }
            END { exit ok ? 0 : 1 }' "$ROOT/$df" >"$WORK/s.log" 2>&1; then
            skip "dockerfile-utils unavailable (npm unreachable?): $df passed only a structural check"
        else
            fail "$df fails the structural check:"
            show "$WORK/s.log"
        fi
    fi
done

# ---------------------------------------------------------------------------------------------------
section "d. build inputs"

for p in nginx.conf backend/pom.xml backend/emulator/pom.xml backend/emulator/src backend/app/pom.xml \
    backend/app/src frontend/package.json frontend/package-lock.json backend/.dockerignore .dockerignore; do
    if [[ -e "$ROOT/$p" ]]; then pass "$p exists"; else fail "$p is missing but the images need it"; fi
done

# What each COPY takes from its context must be in the context after .dockerignore. docker-py (the
# library docker-compose v1 builds with) applies .dockerignore exactly as the builder does.
if /usr/bin/python3 -c 'import docker.utils.build' 2>/dev/null; then
    for spec in ".:frontend/Dockerfile" "backend:Dockerfile"; do
        ctx="${spec%%:*}"
        df="${spec#*:}"
        if /usr/bin/python3 - "$ROOT/$ctx" "$df" >"$WORK/ctx.log" 2>&1 <<'EOF'; then
import json, os, re, shlex, sys
from docker.utils.build import exclude_paths
ctx, dockerfile = sys.argv[1], sys.argv[2]
patterns = []
if os.path.exists(os.path.join(ctx, ".dockerignore")):
    patterns = [l.strip() for l in open(os.path.join(ctx, ".dockerignore")).read().splitlines()]
    patterns = [p for p in patterns if p and not p.startswith("#")]
included = exclude_paths(ctx, patterns, dockerfile=dockerfile)
files = [p for p in included if os.path.isfile(os.path.join(ctx, p))]
size = sum(os.path.getsize(os.path.join(ctx, p)) for p in files)
# Join continuation lines, then look at COPY/ADD that read from the context (not --from=stage).
text = open(os.path.join(ctx, dockerfile)).read().replace("\\\n", " ")
errors = []
for line in text.splitlines():
    words = line.strip().split(None, 1)
    if len(words) < 2 or words[0].upper() not in ("COPY", "ADD"):
        continue
    rest = words[1].strip()
    args = json.loads(rest) if rest.startswith("[") else shlex.split(rest)
    if any(a.startswith("--from") for a in args):
        continue
    sources = [a for a in args if not a.startswith("--")][:-1]
    for src in sources:
        s = (src[2:] if src.startswith("./") else src).rstrip("/")
        if not s:
            continue
        if not any(p == s or p.startswith(s + "/") for p in included):
            errors.append("COPY source %r is missing from the context %s (or excluded by .dockerignore)" % (src, ctx))
bad = sorted({p.split("/node_modules/")[0] + "/node_modules" for p in files if "node_modules/" in p} |
             {p for p in files if p.startswith(("frontend/dist/", ".git/")) or
              # build output and runtime folders of the backend's reactor and its two modules, from either context
              re.match(r"(backend/)?((emulator|app)/)?(target|data|logs)/", p)})
if bad:
    errors.append("the context carries build output or data: %s" % ", ".join(bad[:5]))
print("%d files, %.0f KB" % (len(files), size / 1024))
print("\n".join(errors))
sys.exit(1 if errors else 0)
EOF
            pass "context '$ctx' for $df: every COPY source is present; $(head -n 1 "$WORK/ctx.log"), no build output"
        else
            fail "context '$ctx' for $df:"
            show "$WORK/ctx.log"
        fi
    done
else
    skip "build-context check (needs /usr/bin/python3 with docker-py, which docker-compose v1 brings)"
fi

# `make run` and the image start the JVM with the same default flags; each file has to spell them out
# (the image is built from backend/ alone), so compare the two.
make_opts=$(sed -n 's/^JAVA_OPTS_DEFAULT := //p' "$ROOT/Makefile")
docker_opts=$(sed -n 's/^ENV JAVA_OPTS_DEFAULT="\(.*\)"$/\1/p' "$ROOT/backend/Dockerfile")
if [[ -n "$make_opts" && "$make_opts" == "$docker_opts" ]]; then
    pass "backend/Dockerfile and the Makefile default to the same JVM flags ($make_opts)"
else
    fail "JAVA_OPTS_DEFAULT differs: Makefile '$make_opts', backend/Dockerfile '$docker_opts'"
fi

# npm ci on node:20-alpine installs the *-linux-*-musl variants of native packages. npm can write a
# lockfile that lists only the variants of the machine it ran on (npm/cli#4828); then the image build
# fails with "Cannot find native binding". Every -gnu package needs its -musl twin in the lockfile.
if have node; then
    if node - "$ROOT/frontend/package-lock.json" >"$WORK/lock.log" 2>&1 <<'EOF'; then
const lock = require(process.argv[2]);
const names = Object.keys(lock.packages || {});
const missing = names.filter(n => /-linux-(x64|arm64)-gnu$/.test(n))
    .map(n => n.replace(/-gnu$/, "-musl"))
    .filter(n => !names.includes(n));
if (missing.length) { console.log("missing from the lockfile: " + missing.join(", ")); process.exit(1); }
console.log(names.filter(n => /-musl$/.test(n)).length + " musl packages listed");
EOF
        pass "frontend/package-lock.json can install on alpine (musl): $(cat "$WORK/lock.log")"
    else
        fail "frontend/package-lock.json lacks the musl builds npm ci needs on node:20-alpine:"
        show "$WORK/lock.log"
    fi
else
    skip "lockfile musl check (node not installed)"
fi

if [[ "${CHECK_DEPLOY_FULL:-0}" == 1 ]]; then
    # The same commands, in the same order, as the two build stages.
    mkdir -p "$WORK/fe" "$WORK/be"
    cp "$ROOT/frontend/package.json" "$ROOT/frontend/package-lock.json" "$WORK/fe/"
    if (cd "$WORK/fe" && npm ci --no-audit --no-fund >/dev/null 2>&1 &&
        tar -C "$ROOT/frontend" --exclude=./node_modules --exclude=./dist -cf - . | tar -xf - &&
        npm run build) >"$WORK/fe.log" 2>&1 && [[ -f "$WORK/fe/dist/index.html" ]]; then
        pass "frontend build stage: npm ci && npm run build produce dist/index.html"
    else
        fail "frontend build stage failed:"
        show "$WORK/fe.log"
    fi
    # The backend's reactor: the parent pom, the emulator module and the app module.
    mkdir -p "$WORK/be/emulator" "$WORK/be/app"
    cp "$ROOT/backend/pom.xml" "$WORK/be/"
    cp -r "$ROOT/backend/emulator/pom.xml" "$ROOT/backend/emulator/src" "$WORK/be/emulator/"
    cp -r "$ROOT/backend/app/pom.xml" "$ROOT/backend/app/src" "$WORK/be/app/"
    if (cd "$WORK/be" && mvn -B -q dependency:go-offline -DexcludeReactor=true && mvn -B -q package -DskipTests &&
        java -Djarmode=tools -jar app/target/volc-image-studio.jar extract --layers --destination extracted &&
        ls extracted/dependencies extracted/spring-boot-loader extracted/snapshot-dependencies extracted/application &&
        ls extracted/application/lib/volc-emulator-*.jar) \
        >"$WORK/be.log" 2>&1; then
        pass "backend build stage: mvn package and the layer extraction produce the four layer directories (the emulator's jar in the application layer)"
        # The runtime stage: the layers copied into one folder, then the Dockerfile's own training RUN
        # and ENTRYPOINT, read from it, run by sh with the Dockerfile's JAVA_OPTS_DEFAULT.
        mkdir -p "$WORK/be/image"
        for layer in dependencies spring-boot-loader snapshot-dependencies application; do
            cp -r "$WORK/be/extracted/$layer/." "$WORK/be/image/"
        done
        # dockerfile_part run|entrypoint: the training RUN's shell text, or the ENTRYPOINT's `sh -c` text.
        dockerfile_part() {
            /usr/bin/python3 -c '
import json, re, sys
text = open(sys.argv[1]).read().replace("\\\n", " ")
if sys.argv[2] == "run":
    print(next(l[4:] for l in text.splitlines() if l.startswith("RUN ") and "ArchiveClassesAtExit" in l))
else:
    print(json.loads(re.search(r"^ENTRYPOINT (\[.*\])", text, re.M).group(1))[2])
' "$ROOT/backend/Dockerfile" "$1"
        }
        if (cd "$WORK/be/image" && JAVA_OPTS_DEFAULT="$docker_opts" sh -c "$(dockerfile_part run)") \
            >"$WORK/cds.log" 2>&1; then
            pass "backend runtime stage: the class-data training run writes application.jsa ($(du -m "$WORK/be/image/application.jsa" | cut -f1) MB)"
            # -Xshare:on: the JVM refuses to start unless it can map the archive.
            if (cd "$WORK/be/image" && JAVA_OPTS_DEFAULT="$docker_opts" \
                JAVA_OPTS="$docker_opts -Xshare:on -Dspring.context.exit=onRefresh" \
                APP_HOST=127.0.0.1 APP_PORT=0 DATA_DIR="$WORK/be/data" LOG_DIR= \
                sh -c "$(dockerfile_part entrypoint)" studio) >"$WORK/start.log" 2>&1; then
                pass "backend runtime stage: the ENTRYPOINT starts the app with the archive mapped (-Xshare:on)"
            else
                fail "backend runtime stage: the ENTRYPOINT did not start the app with the archive:"
                show "$WORK/start.log"
            fi
        else
            fail "backend runtime stage: the class-data training run failed:"
            show "$WORK/cds.log"
        fi
    else
        fail "backend build stage failed:"
        show "$WORK/be.log"
    fi
else
    printf '  (the build stages themselves are not run; CHECK_DEPLOY_FULL=1 runs them)\n'
fi

# ---------------------------------------------------------------------------------------------------
section "e. frontend/dist against the Content-Security-Policy"

# script-src 'self' and style-src 'self' block inline <script> bodies, <style> elements, style="..."
# attributes and on*="..." handlers. Alpine's :style and x-show set styles from script, which is allowed.
if [[ -f "$ROOT/frontend/dist/index.html" ]] && have node; then
    if node - "$ROOT/frontend/dist" >"$WORK/csp.log" 2>&1 <<'EOF'; then
const fs = require("fs"), path = require("path");
const dir = process.argv[2];
const problems = [];
for (const f of fs.readdirSync(dir).filter(f => f.endsWith(".html"))) {
    const html = fs.readFileSync(path.join(dir, f), "utf8");
    const rules = [
        [/<script\b(?![^>]*\bsrc=)[^>]*>\s*\S/gi, "inline <script>"],
        [/<style\b/gi, "<style> element"],
        [/\sstyle\s*=\s*["']/gi, "style=\"...\" attribute"],
        [/\son[a-z]+\s*=\s*["']/gi, "on*=\"...\" event handler"],
        [/(?:href|src)\s*=\s*["']\s*javascript:/gi, "javascript: URL"],
    ];
    for (const [re, what] of rules) {
        for (const m of html.matchAll(re)) {
            const line = html.slice(0, m.index).split("\n").length;
            problems.push(`${f}:${line}: ${what}`);
        }
    }
}
if (problems.length) { console.log(problems.join("\n")); process.exit(1); }
EOF
        pass "frontend/dist/*.html has no inline script, style or handler that the CSP would block"
    else
        fail "frontend/dist has content the CSP blocks in the browser (move it into the bundle or app.css):"
        show "$WORK/csp.log" 20
    fi
else
    printf '  (frontend/dist is not built yet; nothing to check)\n'
fi

# ---------------------------------------------------------------------------------------------------
section "f. nginx in front of a stand-in backend, on 127.0.0.1"

if [[ "$TEST_CONFIG_OK" != 1 ]]; then
    fail "live proxy test not run: the test rendering of nginx.conf did not pass nginx -t (section a)"
elif ! have node || ! have curl; then
    skip "live proxy test (needs node and curl)"
else
    # A fixture web root, so this does not depend on the frontend having been built.
    mkdir -p "$DOCROOT/assets"
    printf '<!doctype html><title>fixture</title><p>check-deploy index</p>\n' >"$DOCROOT/index.html"
    { printf '/* hashed bundle */\n'; for _ in $(seq 1 60); do printf 'console.log("padding so gzip applies");\n'; done; } \
        >"$DOCROOT/assets/app-3f9a1c.js"
    # A bundle with a precompressed copy beside it, as build.mjs writes them. The copy holds other text
    # than the file, so what comes back tells which of the two nginx sent.
    printf '/* the plain file */\n' >"$DOCROOT/assets/app-7c2e4b.css"
    printf '/* from the .gz beside it */\n' | gzip -9 >"$DOCROOT/assets/app-7c2e4b.css.gz"
    chmod -R a+rX "$DOCROOT"

    # The stand-in backend: an SSE stream that sends one event and then stays open (as the real one
    # does between heartbeats), an echo of the request, and the documentation/health endpoints.
    cat >"$WORK/upstream.cjs" <<'EOF'
const http = require("http");
const port = Number(process.argv[2]);
http.createServer((req, res) => {
    const json = (code, body) => { res.writeHead(code, { "Content-Type": "application/json" }); res.end(JSON.stringify(body)); };
    if (req.url.startsWith("/api/events") || req.url.startsWith("/api/v1/events") || /^\/api\/v1\/task\/[^/]+\/events/.test(req.url)) {
        res.writeHead(200, { "Content-Type": "text/event-stream", "Cache-Control": "no-cache" });
        res.write(": connected\n\n");
        res.write("id: 1\nevent: task\ndata: first\n\n");
        const keep = setInterval(() => res.write(": heartbeat\n\n"), 15000);
        req.on("close", () => clearInterval(keep));
        return;
    }
    let bytes = 0;
    req.on("data", chunk => { bytes += chunk.length; });
    req.on("end", () => {
        if (req.url.startsWith("/api/echo")) return json(200, { url: req.url, bytes, headers: req.headers });
        if (req.url === "/actuator/health") return json(200, { status: "UP" });
        if (req.url === "/actuator/prometheus") return json(200, { leaked: true });
        if (req.url === "/api/docs") {
            res.writeHead(302, { Location: "/api/swagger-ui/index.html" });
            return res.end();
        }
        if (req.url === "/api/docs/openapi.json") return json(200, { openapi: "3.1.0" });
        if (req.url === "/api/swagger-ui/index.html") {
            res.writeHead(200, { "Content-Type": "text/html" });
            return res.end("<!doctype html><title>Swagger UI</title>");
        }
        json(404, { status: 404, url: req.url });
    });
}).listen(port, "127.0.0.1", () => console.log("listening"));
EOF
    node "$WORK/upstream.cjs" "$UPSTREAM_PORT" >"$WORK/upstream.log" 2>&1 &
    PIDS+=($!)
    for _ in $(seq 1 50); do
        grep -qs listening "$WORK/upstream.log" && break
        sleep 0.1
    done
    "$NGINX" -p "$T" -e "$T/error.log" -c "$T/nginx.conf" >"$WORK/nginx.out" 2>&1 &
    PIDS+=($!)

    BASE="http://127.0.0.1:$NGINX_PORT"
    up=0
    for _ in $(seq 1 50); do
        if curl -fs -o /dev/null "$BASE/actuator/health" 2>/dev/null; then up=1; break; fi
        sleep 0.1
    done
    if [[ "$up" != 1 ]]; then
        fail "nginx on 127.0.0.1:$NGINX_PORT with a backend on 127.0.0.1:$UPSTREAM_PORT did not answer within 5 s:"
        show "$T/error.log"
        show "$WORK/upstream.log" 5
    else
        CSP="default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
        # get NAME CURL-ARGS...: headers into $WORK/NAME.h (lower-cased names), body into $WORK/NAME.b.
        get() {
            local name="$1"
            shift
            curl -s -D "$WORK/$name.h" -o "$WORK/$name.b" "$@" || true
            sed -i -e 's/\r$//' -e 's/^\([^:]*\):/\L\1:/' "$WORK/$name.h"
        }
        # The last status line: curl may have seen a "100 Continue" before the real one.
        status() { grep '^HTTP/' "$WORK/$1.h" | tail -n 1 | awk '{print $2}'; }
        header() { grep -i "^$2: " "$WORK/$1.h" | head -n 1 | cut -d' ' -f2- || true; }
        expect() { # expect DESCRIPTION ACTUAL WANTED
            if [[ "$2" == "$3" ]]; then pass "$1"; else fail "$1: got [$2], want [$3]"; fi
        }
        secure() { # the four security headers with the strict CSP
            [[ "$(header "$1" content-security-policy)" == "$CSP" &&
                "$(header "$1" x-content-type-options)" == nosniff &&
                "$(header "$1" referrer-policy)" == no-referrer &&
                "$(header "$1" x-frame-options)" == DENY ]] && echo yes || echo no
        }

        get root "$BASE/"
        expect "GET / serves index.html" "$(status root) $(grep -c 'check-deploy index' "$WORK/root.b")" "200 1"
        expect "GET / has the strict CSP, nosniff, no-referrer and DENY" "$(secure root)" yes
        expect "GET / is Cache-Control: no-cache" "$(header root cache-control)" no-cache
        expect "the Server header carries no version" "$(header root server)" nginx

        get route "$BASE/gallery/42?tab=info"
        expect "an unknown client-side route falls back to index.html" \
            "$(status route) $(grep -c 'check-deploy index' "$WORK/route.b") $(header route cache-control)" "200 1 no-cache"

        get asset -H 'Accept-Encoding: gzip' "$BASE/assets/app-3f9a1c.js"
        expect "GET /assets/*.js is cached for a year as immutable" \
            "$(status asset) $(header asset cache-control)" "200 public, max-age=31536000, immutable"
        expect "/assets/*.js keeps the security headers" "$(secure asset)" yes
        expect "/assets/*.js is gzip-compressed (Vary: Accept-Encoding)" \
            "$(header asset content-encoding) $(header asset vary)" "gzip Accept-Encoding"

        get static -H 'Accept-Encoding: gzip' "$BASE/assets/app-7c2e4b.css"
        expect "a bundle's precompressed .gz is sent as it is (gzip_static, Vary: Accept-Encoding)" \
            "$(header static content-encoding) $(header static vary) $(gzip -dc "$WORK/static.b" 2>/dev/null)" \
            "gzip Accept-Encoding /* from the .gz beside it */"
        get plain "$BASE/assets/app-7c2e4b.css"
        expect "a client that accepts no gzip gets the plain file" \
            "$(header plain content-encoding)$(cat "$WORK/plain.b")" "/* the plain file */"

        get missing "$BASE/assets/app-000000.js"
        expect "a missing /assets/ file is a 404, not index.html" "$(status missing)" 404

        # SSE: the event must arrive while the upstream still holds the stream open. curl gives up after
        # 1 s (exit 28); with proxy buffering or gzip in the way, nothing would have arrived by then.
        start=$(date +%s%N)
        rc=0
        curl -sN --max-time 1 -H 'Accept: text/event-stream' -H 'Accept-Encoding: gzip' \
            -D "$WORK/sse.h" -o "$WORK/sse.b" "$BASE/api/events" || rc=$?
        ms=$((($(date +%s%N) - start) / 1000000))
        if [[ "$rc" == 28 ]] && grep -q '^data: first' "$WORK/sse.b"; then
            pass "SSE through /api/: the first event arrived within 1 s and the stream was still open then"
        else
            fail "SSE through /api/: curl exit $rc after ${ms} ms, received [$(tr '\n' '|' <"$WORK/sse.b")]"
        fi
        sed -i -e 's/\r$//' -e 's/^\([^:]*\):/\L\1:/' "$WORK/sse.h"
        expect "SSE is not gzip-compressed" "$(header sse content-type) $(header sse content-encoding)" "text/event-stream "

        # The event streams' own locations stream as unbuffered as /api/ does.
        for path in /api/v1/events /api/v1/task/0b9f5c1e/events; do
            rc=0
            curl -sN --max-time 1 -H 'Accept: text/event-stream' -H 'Accept-Encoding: gzip' \
                -o "$WORK/sse2.b" "$BASE$path" || rc=$?
            if [[ "$rc" == 28 ]] && grep -q '^data: first' "$WORK/sse2.b"; then
                pass "SSE through $path: the first event arrived within 1 s and the stream was still open then"
            else
                fail "SSE through $path: curl exit $rc, received [$(tr '\n' '|' <"$WORK/sse2.b")]"
            fi
        done

        # limit_conn: 30 streams from one address stay open, the 31st is refused with a 429 problem.
        STREAMS=()
        for i in $(seq 1 30); do
            curl -sN --max-time 20 -H 'Accept: text/event-stream' -o "$WORK/held-$i.b" "$BASE/api/v1/events" &
            STREAMS+=($!)
            PIDS+=($!)
        done
        for _ in $(seq 1 100); do
            # grep exits 2 while no file exists yet (curl has not opened one): under pipefail that
            # would end the script (it did, twice, in CI), so a miss counts as none held yet.
            held=$({ grep -ls '^data: first' "$WORK"/held-*.b 2>/dev/null || true; } | wc -l)
            [[ "$held" -ge 30 ]] && break
            sleep 0.1
        done
        get refused --max-time 5 -H 'Accept: text/event-stream' "$BASE/api/v1/task/0b9f5c1e/events"
        expect "30 event streams from one address are held open" "$held" 30
        expect "the 31st event stream (either location) is 429 problem+json with Retry-After" \
            "$(status refused) $(header refused content-type) $(header refused retry-after) $(grep -c '"status":429' "$WORK/refused.b")" \
            "429 application/problem+json 30 1"
        expect "the 429 keeps the security headers" "$(secure refused)" yes
        still=0
        for pid in "${STREAMS[@]}"; do kill -0 "$pid" 2>/dev/null && still=$((still + 1)); done
        expect "the 30 streams are still open after the refusal" "$still" 30
        for pid in "${STREAMS[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done

        get echo -H 'Host: studio.example:8080' "$BASE/api/echo?x=1"
        if node -e '
            const h = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).headers, want = {
                "x-forwarded-for": "127.0.0.1", "x-forwarded-proto": "http",
                "x-forwarded-host": "studio.example:8080", "host": "studio.example:8080" };
            const bad = Object.entries(want).filter(([k, v]) => h[k] !== v).map(([k, v]) => `${k}=${h[k]} (want ${v})`);
            if ("connection" in h && h.connection !== "keep-alive") bad.push(`connection=${h.connection}`);
            if (bad.length) { console.log(bad.join("; ")); process.exit(1); }' "$WORK/echo.b" >"$WORK/echo.log" 2>&1; then
            pass "/api/ passes Host and X-Forwarded-For/Proto/Host (with the browser's port) over a kept-alive connection"
        else
            fail "/api/ request headers at the backend: $(cat "$WORK/echo.log")"
        fi
        expect "a proxied response carries no Retry-After of nginx's own" "$(header echo retry-after)" ""

        head -c $((19 * 1024 * 1024)) /dev/zero >"$WORK/19m.bin"
        get small -X POST -H 'Content-Type: application/octet-stream' --data-binary @"$WORK/19m.bin" "$BASE/api/echo"
        expect "a 19 MiB upload reaches the backend whole" \
            "$(status small) $(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1])).bytes)' "$WORK/small.b" 2>/dev/null || true)" \
            "200 $((19 * 1024 * 1024))"
        head -c $((21 * 1024 * 1024)) /dev/zero >"$WORK/21m.bin"
        get big -X POST -H 'Content-Type: application/octet-stream' --data-binary @"$WORK/21m.bin" "$BASE/api/echo"
        expect "a 21 MiB upload is refused with 413 (client_max_body_size 20m)" "$(status big)" 413
        rm -f "$WORK/19m.bin" "$WORK/21m.bin"

        get docs "$BASE/api/docs"
        expect "/api/docs is proxied and redirects to /api/swagger-ui/index.html (a relative Location)" \
            "$(status docs) $(header docs location)" "302 /api/swagger-ui/index.html"

        get swagger "$BASE/api/swagger-ui/index.html"
        swagger_csp="$(header swagger content-security-policy)"
        if [[ "$(status swagger)" == 200 && "$swagger_csp" == *"'unsafe-inline'"* && "$swagger_csp" == *"frame-ancestors 'none'"* &&
            "$(header swagger x-frame-options)" == DENY && "$(header swagger x-content-type-options)" == nosniff ]]; then
            pass "/api/swagger-ui/ is proxied with its relaxed CSP and the other security headers"
        else
            fail "/api/swagger-ui/index.html: status $(status swagger), CSP [$swagger_csp]"
        fi

        get health "$BASE/actuator/health"
        expect "/actuator/health is proxied" "$(status health) $(cat "$WORK/health.b")" '200 {"status":"UP"}'
        get prom "$BASE/actuator/prometheus"
        expect "/actuator/prometheus is not exposed" "$(status prom)" 404
        get apidocs "$BASE/api/docs/openapi.json"
        expect "/api/docs/openapi.json is proxied" "$(status apidocs) $(cat "$WORK/apidocs.b")" '200 {"openapi":"3.1.0"}'

        # The 413 above is logged as an error on purpose; anything else is not expected.
        if grep -E '\[(emerg|alert|crit|error)\]' "$T/error.log" | grep -qv 'client intended to send too large body'; then
            fail "nginx logged errors:"
            show "$T/error.log"
        fi
    fi
fi

# ---------------------------------------------------------------------------------------------------
printf '\n'
if ((failed > 0)); then
    printf 'check-deploy: FAILED, see the FAIL lines above\n'
fi
printf 'check-deploy: %d passed, %d failed, %d skipped\n' "$passed" "$failed" "$skipped"
((failed == 0))
