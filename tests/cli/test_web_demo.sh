# The quick start ends by serving: scripts/demo.sh with KP_DEMO_SERVE=1
# (and KP_DEMO_PORT=0, any free port) runs `kaoping serve` on the sample
# rounds in the foreground after the reports; a newcomer logs in with the
# printed admin account and reads the ranking; SIGTERM stops it.  Without
# a terminal and without KP_DEMO_SERVE it prints the command instead (and
# returns: tests/cli/test_report.sh relies on that).  Sourced by
# tests/lib/runone.sh in an empty temporary directory.

KP_DEMO_OUT=$PWD/demo-out KP_DEMO_SERVE=1 KP_DEMO_PORT=0 \
  bash "$KP_ROOT/scripts/demo.sh" "$KAOPING" >demo.out 2>demo.err &
dpid=$!
trap 'kill -KILL "$dpid" 2>/dev/null' EXIT
for _ in $(seq 600); do
  grep -q '正在 http://' demo.out 2>/dev/null && break
  kill -0 "$dpid" 2>/dev/null || break
  sleep 0.5
done
# the server's own line (the demo prints the sample site's address before it)
port=$(grep -o '正在 http://127.0.0.1:[0-9]*' demo.out | head -1 | sed 's/.*://')
check test -n "$port" -- "demo.sh ends by serving and prints the URL (within 5 minutes)"
check grep -q '报表已写到' demo.out -- "after writing the reports"
pw=$(awk '$1 == "admin" {print $2}' demo.out)
check sh -c "echo '$pw' | grep -qE '^[A-Za-z0-9]{16}$'" -- "it prints the admin account with a 16-character password"
check grep -qE '^  gaj +[A-Za-z0-9]{16} +单位用户（市公安局）' demo.out -- "and a unit account of 市公安局"
B=http://127.0.0.1:$port
STATUS=$(curl -s -o login.json -w '%{http_code}' -c admin.jar -H 'Content-Type: application/json' \
  -d "{\"username\":\"admin\",\"password\":\"$pw\"}" "$B/api/login")
check test "$STATUS" = 200 -- "the printed admin account logs in"
STATUS=$(curl -s -o rank.json -w '%{http_code}' -b admin.jar "$B/api/rounds/2016-pzh2016-gk/rank")
check test "$STATUS" = 200 -- "and reads the sample round's ranking"
check jq -e '(.results | length) == 63 and (.results[] | select(.unit == "市公安局") | .rank) == 59' rank.json -- "63 units, 市公安局 59th"
STATUS=$(curl -s -o pub.json -w '%{http_code}' "$B/api/public/rounds/2016-pzh2016-gk/rank")
check test "$STATUS" = 404 -- "the demo publishes nothing (the public sees 404)"
kill -TERM "$dpid"
for _ in $(seq 50); do kill -0 "$dpid" 2>/dev/null || break; sleep 0.1; done
kill -0 "$dpid" 2>/dev/null && kill -KILL "$dpid"
wait "$dpid"; STATUS=$?
expect_status 0 "SIGTERM stops the server; the demo exits 0"
check grep -q '已停止' demo.err -- "and it says it stopped"

# without a terminal and without KP_DEMO_SERVE: the command, not a server
KP_DEMO_OUT=$PWD/demo-out2 timeout 300 bash "$KP_ROOT/scripts/demo.sh" "$KAOPING" >_out 2>_err; STATUS=$?
expect_status 0 "without KP_DEMO_SERVE the demo returns"
expect_out "要在浏览器里看，运行：" "and prints how to serve"
check sh -c "grep -qF 'serve --db $PWD/demo-out2/demo.db' _out" -- "the command names the demo database it keeps"
check test -s demo-out2/demo.db -- "which is there"
