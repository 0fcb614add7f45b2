#!/usr/bin/env bash
# Starts PostgreSQL and Redis for the tests as plain processes on 127.0.0.1, on free ports, with their data in a
# temporary directory (never the Debian system services), and stops them leaving nothing behind.
#
#   bash eng/test-servers.sh start     installs what is missing (apt-get), starts both, waits until they accept
#                                      connections, prints the export lines
#   bash eng/test-servers.sh env       starts them when they are not running, then prints the export lines:
#                                      source <(bash eng/test-servers.sh env)
#   bash eng/test-servers.sh restart   restarts PostgreSQL (pg_ctl restart, same port and data)
#   bash eng/test-servers.sh stop      stops both and removes their data
#   bash eng/test-servers.sh status    says what runs
#
# The tests read VIRTUALITCOMPANY_TEST_POSTGRES (an Npgsql connection string) and VIRTUALITCOMPANY_TEST_REDIS (host:port).
# State (pids, ports, directories) lives in $VIRTUALITCOMPANY_TEST_SERVERS_DIR/state (else in the folder of the
# VIRTUALITCOMPANY_TEST_SERVERS_STATE that `env` exports; default: artifacts/test-servers of this checkout, so two
# checkouts never share servers). VIRTUALITCOMPANY_TEST_SERVERS_ONLY=postgres (or redis)
# starts only one of them (a test that restarts its own private PostgreSQL uses it).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
# The state this shell's servers were started with: the folder given, else the state file `env` exported (so that
# `stop` in a shell that sourced `env` finds them wherever they were started), else this checkout's.
if [ -n "${VIRTUALITCOMPANY_TEST_SERVERS_DIR:-}" ]; then
  state_dir=$VIRTUALITCOMPANY_TEST_SERVERS_DIR
elif [ -n "${VIRTUALITCOMPANY_TEST_SERVERS_STATE:-}" ]; then
  state_dir=$(dirname "$VIRTUALITCOMPANY_TEST_SERVERS_STATE")
else
  state_dir=$repo/artifacts/test-servers
fi
state_file=$state_dir/state
only=${VIRTUALITCOMPANY_TEST_SERVERS_ONLY:-}
pg_password=vic-test
pg_user=postgres

log() { echo "test-servers: $*" >&2; }

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

want() { [ -z "$only" ] || [ "$only" = "$1" ]; }

pg_bin() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  [ -n "$dir" ] && [ -x "$dir/initdb" ] && echo "$dir"
}

install_missing() {
  local need=()
  if want postgres && [ -z "$(pg_bin)" ]; then need+=(postgresql); fi
  if want redis && ! command -v redis-server >/dev/null 2>&1; then need+=(redis-server); fi
  if [ ${#need[@]} -gt 0 ]; then
    log "installing ${need[*]}"
    as_root apt-get update -qq >&2
    # The packages' own services are not used (their ports are left alone); ours run from a temporary directory.
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >&2
  fi
}

# A port nothing listens on now (a connection to it is refused), below the kernel's ephemeral range: a port in that range
# can be taken as the source port of any outgoing connection between this check and the server's bind (a CI run lost
# PostgreSQL's start so: "Address already in use").
free_port() {
  local port low span
  low=$(awk '{print $1}' /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
  span=$(( low - 20000 ))
  if [ "$span" -lt 1000 ]; then span=40000; fi
  for _ in $(seq 1 200); do
    port=$(( 20000 + RANDOM % span ))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return 0; fi
  done
  log "found no free port"; return 1
}

# PostgreSQL refuses to run as root: as root it runs as the 'postgres' user the package creates.
run_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

running() { [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null; }

load_state() {
  PG_PID='' PG_PORT='' PG_DATA='' PG_BIN='' REDIS_PID='' REDIS_PORT='' REDIS_DIR='' WORK_DIR=''
  # shellcheck disable=SC1090
  [ -f "$state_file" ] && . "$state_file"
  return 0
}

save_state() {
  mkdir -p "$state_dir"
  cat > "$state_file" <<EOF
WORK_DIR='$WORK_DIR'
PG_BIN='$PG_BIN'
PG_DATA='$PG_DATA'
PG_PORT='$PG_PORT'
PG_PID='$PG_PID'
REDIS_DIR='$REDIS_DIR'
REDIS_PORT='$REDIS_PORT'
REDIS_PID='$REDIS_PID'
EOF
}

pg_pid_of() { head -n 1 "$1/postmaster.pid" 2>/dev/null || true; }

start_postgres() {
  PG_BIN=$(pg_bin) || { log "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb)"; return 1; }
  PG_DATA=$WORK_DIR/postgres
  PG_PORT=$(free_port)
  mkdir -p "$PG_DATA"
  printf '%s\n' "$pg_password" > "$WORK_DIR/pgpass"
  if [ "$(id -u)" -eq 0 ]; then chown -R postgres: "$PG_DATA" "$WORK_DIR/pgpass"; chmod 755 "$WORK_DIR"; fi
  # Password authentication over TCP (the tests check a wrong password), trust on the private socket.
  run_pg "$PG_BIN/initdb" -D "$PG_DATA" -U "$pg_user" --pwfile="$WORK_DIR/pgpass" --auth-host=scram-sha-256 --auth-local=trust -E UTF8 --no-locale >"$WORK_DIR/initdb.log" 2>&1 \
    || { cat "$WORK_DIR/initdb.log" >&2; return 1; }
  # Throwaway test data: no fsync. Enough connections for test classes running in parallel, each with its own pool.
  cat >> "$PG_DATA/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$PG_DATA'
max_connections = 400
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
  # A port taken meanwhile by someone else: try again on another (the last "port =" line of the file wins).
  local tries=0 logged=0
  until run_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_DATA/server.log" -w -t 60 start >&2; do
    tries=$((tries + 1))
    # Only this attempt's lines of the log (pg_ctl appends to it).
    if [ "$tries" -ge 3 ] || ! tail -c +$((logged + 1)) "$PG_DATA/server.log" | grep -q "Address already in use"; then
      tail -n 30 "$PG_DATA/server.log" >&2; return 1
    fi
    logged=$(stat -c %s "$PG_DATA/server.log")
    PG_PORT=$(free_port)
    log "PostgreSQL's port was taken; trying 127.0.0.1:$PG_PORT"
    echo "port = $PG_PORT" >> "$PG_DATA/postgresql.conf"
  done
  PG_PID=$(pg_pid_of "$PG_DATA")
  "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -t 30 || { log "PostgreSQL does not accept connections on 127.0.0.1:$PG_PORT"; return 1; }
  log "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT (pid $PG_PID, data $PG_DATA)"
}

start_redis() {
  REDIS_DIR=$WORK_DIR/redis
  mkdir -p "$REDIS_DIR"
  local tries
  for tries in 1 2 3; do
    REDIS_PORT=$(free_port)
    # Persistence on (append-only file), as production should have it.
    redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --dir "$REDIS_DIR" --daemonize yes --pidfile "$REDIS_DIR/redis.pid" \
      --logfile "$REDIS_DIR/redis.log" --appendonly yes --save '' >&2
    for _ in $(seq 1 100); do
      if [ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null || true)" = PONG ]; then
        REDIS_PID=$(cat "$REDIS_DIR/redis.pid")
        log "Redis $(redis-server --version | awk '{print $3}' | sed 's/v=//') on 127.0.0.1:$REDIS_PORT (pid $REDIS_PID)"
        return 0
      fi
      if grep -q "Address already in use" "$REDIS_DIR/redis.log" 2>/dev/null; then break; fi
      sleep 0.1
    done
    # A port taken meanwhile by someone else: try again on another.
    if [ "$tries" -lt 3 ] && grep -q "Address already in use" "$REDIS_DIR/redis.log" 2>/dev/null; then
      log "Redis's port $REDIS_PORT was taken; trying another"; : > "$REDIS_DIR/redis.log"; continue
    fi
    break
  done
  log "Redis does not answer on 127.0.0.1:$REDIS_PORT"; tail -n 20 "$REDIS_DIR/redis.log" >&2 || true
  return 1
}

print_env() {
  load_state
  if [ -n "$PG_PORT" ]; then
    echo "export VIRTUALITCOMPANY_TEST_POSTGRES='Host=127.0.0.1;Port=$PG_PORT;Username=$pg_user;Password=$pg_password;Database=postgres'"
  fi
  if [ -n "$REDIS_PORT" ]; then echo "export VIRTUALITCOMPANY_TEST_REDIS='127.0.0.1:$REDIS_PORT'"; fi
  echo "export VIRTUALITCOMPANY_TEST_SERVERS_STATE='$state_file'"
}

all_running() {
  load_state
  { ! want postgres || running "$PG_PID"; } && { ! want redis || running "$REDIS_PID"; }
}

start() {
  if [ -f "$state_file" ] && all_running; then
    log "already running (state: $state_file)"
    return 0
  fi

  [ -f "$state_file" ] && stop
  install_missing
  WORK_DIR=$(mktemp -d "${TMPDIR:-/tmp}/virtualitcompany-test-servers.XXXXXX")
  PG_PID='' PG_PORT='' PG_DATA='' PG_BIN='' REDIS_PID='' REDIS_PORT='' REDIS_DIR=''
  save_state
  # A failed start leaves nothing running.
  trap 'log "start failed; stopping what started"; stop; exit 1' ERR
  if want postgres; then start_postgres; save_state; fi
  if want redis; then start_redis; save_state; fi
  trap - ERR
}

restart_postgres() {
  load_state
  running "$PG_PID" || { log "PostgreSQL is not running (state: $state_file)"; return 1; }
  run_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_DATA/server.log" -w -t 60 -m fast restart >&2
  PG_PID=$(pg_pid_of "$PG_DATA")
  save_state
  log "PostgreSQL restarted (pid $PG_PID)"
}

wait_gone() { # pid
  for _ in $(seq 1 100); do running "$1" || return 0; sleep 0.1; done
  log "pid $1 did not stop; killing it"; kill -KILL "$1" 2>/dev/null || true
}

stop() {
  if [ ! -f "$state_file" ]; then
    log "nothing to stop: no state at $state_file (set VIRTUALITCOMPANY_TEST_SERVERS_DIR to the folder they were started with)"
    return 0
  fi
  load_state
  if running "$PG_PID"; then
    run_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -w -t 30 -m fast stop >&2 || kill -TERM "$PG_PID" 2>/dev/null || true
    wait_gone "$PG_PID"
  fi
  if running "$REDIS_PID"; then
    kill -TERM "$REDIS_PID" 2>/dev/null || true
    wait_gone "$REDIS_PID"
  fi
  case "$WORK_DIR" in
    "${TMPDIR:-/tmp}"/virtualitcompany-test-servers.*) rm -rf "$WORK_DIR" ;;
  esac
  rm -f "$state_file"
  log "stopped"
}

status() {
  load_state
  if running "$PG_PID"; then echo "postgres: 127.0.0.1:$PG_PORT (pid $PG_PID)"; else echo "postgres: not running"; fi
  if running "$REDIS_PID"; then echo "redis: 127.0.0.1:$REDIS_PORT (pid $REDIS_PID)"; else echo "redis: not running"; fi
}

case "${1:-}" in
  start) start; print_env ;;
  env) start; print_env ;;
  restart) restart_postgres ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: bash eng/test-servers.sh start|env|restart|stop|status" >&2; exit 2 ;;
esac
