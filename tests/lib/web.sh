# Shared by the black-box tests of `kaoping serve` (tests/cli/test_web*.sh),
# sourced by them after tests/lib/assert.sh: starting the server, the
# request helpers and the checks on their answers.

# web_serve NAME ARGS…: start "$KAOPING" serve --listen 127.0.0.1:0 ARGS…
# in the background, standard output in NAME.out and standard error in
# NAME.err; wait up to 5 s for the URL it prints.  Sets spid (its pid),
# port and B (http://127.0.0.1:PORT).  The caller sets its own trap.
web_serve() {
  local name=$1; shift
  "$KAOPING" serve --listen 127.0.0.1:0 "$@" >"$name.out" 2>"$name.err" &
  spid=$!
  for _ in $(seq 50); do grep -q 'http://' "$name.out" 2>/dev/null && break; sleep 0.1; done
  port=$(grep -o '127.0.0.1:[0-9]*' "$name.out" | head -1 | cut -d: -f2)
  B=http://127.0.0.1:$port
}

# req NAME METHOD PATH [curl args…]: STATUS, the body in NAME.json and _out
req() {
  local n=$1 m=$2 p=$3; shift 3
  STATUS=$(curl -s -o "$n.json" -w '%{http_code}' -X "$m" "$@" "$B$p")
  cp "$n.json" _out; : >_err
}
is() { if [ "$STATUS" = "$1" ]; then _ok "$2"; else _notok "$2 (want HTTP $1, got $STATUS: $(head -c 300 _out))"; fi; }
jqok() { if jq -e "$1" _out >/dev/null 2>&1; then _ok "$2"; else _notok "$2 (jq $1 on $(head -c 400 _out))"; fi; }

# login NAME PASSWORD → cookie jar NAME.jar, $csrf
login() {
  req "login-$1" POST /api/login -c "$1.jar" -H 'Content-Type: application/json' \
    -d "{\"username\":\"$1\",\"password\":\"$2\"}"
  csrf=$(jq -r '.csrf // empty' _out 2>/dev/null)
}

# no_sanitizer FILE: one check that the server's log has no ASan, LSan or
# UBSan report
no_sanitizer() {
  if grep -qE 'ERROR: (Address|Leak|Undefined)Sanitizer|runtime error:' "$1"; then
    _notok "no sanitizer report in $1"; sed -n 1,40p "$1"
  else _ok "no sanitizer report in $1"; fi
}

# the two units the tests act as, URL-encoded
U=$(printf %s 市公安局 | jq -sRr @uri); MZJ=$(printf %s 市民政局 | jq -sRr @uri)
