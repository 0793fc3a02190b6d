#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests and benchmarks, on a free loopback port.
#   scripts/pg-throwaway.sh start DIR   creates DIR (must not exist), initdb + start; prints the URL
#   scripts/pg-throwaway.sh stop DIR    stops the cluster and removes DIR
# As root the cluster belongs to the `postgres` user (initdb and postgres refuse to run as root);
# otherwise to the current user. Durability is switched off (fsync, full pages): it is thrown away.
# Used by .ci/run and by the tests' global setup (test/setup/postgres.ts) when no TEST_DATABASE_URL is given.
set -euo pipefail

cmd=${1:-}
dir=${2:-}
if [ -z "$cmd" ] || [ -z "$dir" ]; then
  echo "usage: $0 start|stop DIR" >&2
  exit 2
fi

bindir() {
  if command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ]; then
    pg_config --bindir
    return
  fi
  local found
  found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -n "$found" ] && [ -x "$found/initdb" ]; then
    echo "$found"
    return
  fi
  echo "PostgreSQL server binaries (initdb) not found: install them (Debian/Ubuntu: apt-get install postgresql)" >&2
  exit 1
}

# Runs a PostgreSQL binary as the cluster's owner.
as_owner() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

case "$cmd" in
  start)
    bin=$(bindir)
    if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then
      echo "running as root but there is no 'postgres' user to own the cluster" >&2
      exit 1
    fi
    mkdir "$dir"
    [ "$(id -u)" = 0 ] && chown postgres: "$dir"
    as_owner "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 ||
      { cat "$dir/initdb.log" >&2; exit 1; }
    for _ in 1 2 3 4 5 6 7 8 9 10; do
      port=$((20000 + RANDOM % 40000))
      # In use when something answers on it.
      if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then continue; fi
      if as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
        start >/dev/null 2>&1; then
        echo "$port" >"$dir/port"
        echo "postgres://postgres@127.0.0.1:$port/postgres"
        exit 0
      fi
    done
    echo "could not start PostgreSQL (see $dir/server.log):" >&2
    tail -n 20 "$dir/server.log" >&2 || true
    exit 1
    ;;
  stop)
    if [ -d "$dir/data" ]; then
      bin=$(bindir)
      as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    ;;
  *)
    echo "usage: $0 start|stop DIR" >&2
    exit 2
    ;;
esac
