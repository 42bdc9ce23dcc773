#!/usr/bin/env bash
# A throw-away PostgreSQL cluster for the tests: on 127.0.0.1, on a free
# port, in a temporary directory, trusted local connections only.
#
#   scripts/pg-test.sh start DIR   initdb + start; prints the libpq conninfo
#                                  (key=value form) on the last line
#   scripts/pg-test.sh stop DIR    stop the server and delete DIR
#
# The server binaries come from Debian's postgresql package
# (/usr/lib/postgresql/N/bin).  PostgreSQL refuses to run as root, so as
# root the cluster belongs to the "postgres" user (runuser).  Exit status 1
# with a message on stderr when the cluster cannot be started.
set -euo pipefail

cmd=${1:-}; dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: $0 start|stop DIR" >&2; exit 2; }

bindir=
for d in /usr/lib/postgresql/*/bin; do
  [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && bindir=$d
done

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case $cmd in
start)
  [ -n "$bindir" ] || { echo "pg-test: 找不到 PostgreSQL 服务器程序（initdb、pg_ctl；apt-get install postgresql）" >&2; exit 1; }
  if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
    echo "pg-test: 以 root 运行需要 postgres 用户（postgresql 包会创建）" >&2; exit 1
  fi
  mkdir -p "$dir"
  [ "$(id -u)" -eq 0 ] && chown postgres: "$dir"
  chmod 700 "$dir"
  as_owner "$bindir/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 \
    --no-locale >"$dir/initdb.log" 2>&1 || { echo "pg-test: initdb 失败：" >&2; cat "$dir/initdb.log" >&2; exit 1; }
  # a free port: ask the kernel, retry if someone takes it first
  for try in 1 2 3 4 5; do
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null ||
           echo $((20000 + RANDOM % 20000)))
    if as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
         -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c max_connections=50" \
         start >/dev/null 2>&1; then
      echo "$port" >"$dir/port"
      echo "host=127.0.0.1 port=$port user=postgres dbname=postgres"
      exit 0
    fi
  done
  echo "pg-test: PostgreSQL 无法启动：" >&2; tail -20 "$dir/server.log" >&2 2>/dev/null || true
  exit 1
  ;;
stop)
  if [ -n "$bindir" ] && [ -d "$dir/data" ]; then
    as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
  ;;
*)
  echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac
