# Assertions for black-box tests of the kaoping binary.  Each assertion
# prints "ok N - what" or "not ok N - what" with the evidence.
#
#   run ARGS...            run "$KAOPING ARGS", keep stdout/stderr/status
#   expect_status N what   the last run exited N
#   expect_out TEXT what   stdout contains TEXT (fixed string)
#   expect_err TEXT what   stderr contains TEXT
#   expect_file F what     file F exists;  expect_no_file F what: it does not
#   check CMD... -- what   a shell command succeeds

_n=0 _bad=0
OUT= ERR= STATUS=
K() { "$KAOPING" "$@"; }
run() { "$KAOPING" "$@" >_out 2>_err; STATUS=$?; OUT=$(cat _out); ERR=$(cat _err); }
_ok() { _n=$((_n+1)); echo "ok $_n - $1"; }
_notok() {
  _n=$((_n+1)); _bad=$((_bad+1)); echo "not ok $_n - $1"
  echo "#   status: $STATUS"; echo "#   stdout: $(head -c 600 _out 2>/dev/null)"
  echo "#   stderr: $(head -c 600 _err 2>/dev/null)"
}
expect_status() { if [ "$STATUS" -eq "$1" ]; then _ok "$2"; else _notok "$2 (want status $1)"; fi; }
expect_out() { if grep -qF -- "$1" _out; then _ok "$2"; else _notok "$2 (stdout lacks: $1)"; fi; }
expect_err() { if grep -qF -- "$1" _err; then _ok "$2"; else _notok "$2 (stderr lacks: $1)"; fi; }
expect_file() { if [ -e "$1" ]; then _ok "$2"; else _notok "$2 ($1 missing)"; fi; }
expect_no_file() { if [ ! -e "$1" ]; then _ok "$2"; else _notok "$2 ($1 exists)"; fi; }
check() {
  local args=() what
  while [ "$1" != "--" ]; do args+=("$1"); shift; done; shift; what="$*"
  if "${args[@]}" >/dev/null 2>&1; then _ok "$what"; else _notok "$what"; fi
}
t_done() { echo "# $_n assertions, $_bad failed"; [ "$_bad" -eq 0 ]; }

# on_postgresql PREFIX CMD...: run CMD with DB (and pgdb) naming a fresh
# database on the test cluster ($KP_TEST_PG, started by tests/run.sh),
# then drop it.  Without a cluster: a failure under CI, a skip elsewhere.
on_postgresql() {
  local prefix=$1; shift
  if [ -n "${KP_TEST_PG:-}" ]; then
    pgdb=${prefix}_$$
    if psql "$KP_TEST_PG" -qAtc "CREATE DATABASE $pgdb" >/dev/null 2>pg.err; then
      DB="$KP_TEST_PG dbname=$pgdb"
      "$@"
      psql "$KP_TEST_PG" -qAtc "DROP DATABASE IF EXISTS $pgdb WITH (FORCE)" >/dev/null 2>&1
    else
      STATUS=1; _notok "postgresql: could not create a test database: $(cat pg.err)"
    fi
  elif [ -n "${CI:-}" ]; then
    STATUS=1; _notok "postgresql: KP_TEST_PG is not set under CI (tests/run.sh starts a cluster with scripts/pg-test.sh)"
  else
    echo "# postgresql: skipped (KP_TEST_PG not set)"
  fi
}
