# Black-box tests of `kaoping serve` and `kaoping user …`: the real server
# on 127.0.0.1 (a port it chooses, read from its first line), a temporary
# SQLite database with the sample round of scripts/demo.sh (pzh2016-gk,
# data/facts/sample-2016-gk.csv, scored), driven with curl through every
# role boundary of docs/api.md.  Sourced by tests/lib/runone.sh in an empty
# temporary directory with $KAOPING and $KP_ROOT set.

. "$KP_ROOT/tests/lib/web.sh"
export KAOPING_DB=$PWD/web.db
export USER=测试员
R=2016-pzh2016-gk

# ---- the sample round and the accounts -----------------------------------
K eval new --table pzh2016-gk --author demo >/dev/null 2>&1
K eval facts add "$KP_ROOT/data/facts/sample-2016-gk.csv" --author demo >/dev/null 2>&1
K eval score --author demo >/dev/null 2>&1
run eval rank --json
check grep -q '"unit": "市公安局"' _out -- "the sample round is scored"

run user add admin1 --role admin <<<'admin-pass-1'
expect_status 0 "user add admin exits 0"
expect_out "已添加账号“admin1”（管理员）" "user add names the account and role"
run user add zhang --role assessor <<<'assessor-pass-1'
run user add gaj --role unit --unit 市公安局 <<<'unit-pass-gaj'
run user add mzj --role unit --unit 市民政局 <<<'unit-pass-mzj'
run user add li --role assessor --generate
expect_status 0 "user add --generate exits 0"
check grep -qE '密码（只显示这一次）：[A-Za-z0-9]{16}$' _out -- "a generated password is printed once, 16 characters"
run user add wang --role assessor <<<'short'
expect_status 2 "a password under 8 characters is refused"
expect_err "密码至少 8 个字符" "and the message says so"
run user add wang --role unit <<<'long-enough-1'
expect_status 2 "a unit account without --unit is refused"
run user add wang --role boss <<<'long-enough-1'
expect_status 2 "an unknown role is refused"
run user add gaj --role unit --unit 市公安局 <<<'again-pass-1'
expect_status 2 "a second account of one name is refused"
expect_err "已有名为“gaj”的账号" "and the message names it"
run user list --json
check sh -c "jq -e 'length == 5 and (map(select(.username == \"gaj\"))[0] | .role == \"unit\" and .unit == \"市公安局\")' _out" -- "user list: 5 accounts, gaj a unit account of 市公安局"
check sh -c "! grep -q 'unit-pass' web.db" -- "no password is stored in clear"

# ---- the server ------------------------------------------------------------
web_serve serve --body-max 4096
trap 'kill -KILL "$spid" 2>/dev/null' EXIT
check test -n "$port" -- "serve prints its URL within 5 s"

# req NAME METHOD PATH [curl args…]: STATUS and body in NAME.json
facts_count() { K eval list --json | jq '.[0].facts'; }

# ---- no session ------------------------------------------------------------
req r GET /api/rounds
is 401 "GET /api/rounds without a session is 401"
req r GET "/api/rounds/$R/units/$U"
is 401 "a sheet without a session is 401"
req r POST "/api/rounds/$R/facts" -d '[]'
is 401 "facts without a session are 401"
req r GET /api/login
is 405 "GET /api/login is 405"
req r GET /api/nothing
is 404 "an unknown route is 404"

# ---- login -------------------------------------------------------------------
login gaj wrong-password
is 401 "a wrong password is 401"
jqok '.error == "用户名或密码错误"' "and says 用户名或密码错误"
login nobody whatever-1
is 401 "an unknown user is 401, the same answer"
login gaj unit-pass-gaj
is 200 "the unit account logs in"
jqok '.role == "unit" and .unit == "市公安局" and (.csrf | length) == 64' "login answers role, unit and a csrf token"
check grep -qiE 'Set-Cookie|kp_session' gaj.jar -- "a session cookie is set"
check grep -q '#HttpOnly_127.0.0.1' gaj.jar -- "the session cookie is HttpOnly"
gaj_csrf=$csrf
curl -s -D hdr.txt -o /dev/null -X POST -d '{"username":"gaj","password":"unit-pass-gaj"}' "$B/api/login"
check grep -qi 'Set-Cookie: kp_session=[0-9a-f]\{64\}; Path=/; HttpOnly; SameSite=Strict; Max-Age=28800' hdr.txt -- "the cookie: HttpOnly, SameSite=Strict, 8 hours"

# ---- a unit account ------------------------------------------------------------
req r GET /api/rounds -b gaj.jar
is 200 "a unit lists the rounds"
jqok ".[0].name == \"$R\" and .[0].published == false" "the round, not published"
req r GET "/api/rounds/$R/units/$U" -b gaj.jar
is 200 "a unit reads its own sheet"
jqok '.unit == "市公安局" and .total == 92.5 and .self_total == null' "its sheet: 92.50, no self score yet"
req r GET "/api/rounds/$R/units/$(printf %s 公安局 | jq -sRr @uri)" -b gaj.jar
is 200 "a unit reads its own sheet by an alias"
req r GET "/api/rounds/$R/units/$MZJ" -b gaj.jar
is 404 "another unit's sheet is 404 to a unit account"
req r GET "/api/rounds/$R/units/$(printf %s 不存在的局 | jq -sRr @uri)" -b gaj.jar
is 404 "a unit that does not exist is 404 too"
req r GET "/api/rounds/$R/rank" -b gaj.jar
is 403 "a unit may not read the ranking (403)"
req r GET "/api/rounds/nosuch/units/$U" -b gaj.jar
is 404 "a round that does not exist is 404"

n0=$(facts_count)
self='[{"unit":"市公安局","indicator":"1.1","kind":"fail","source":"self","note":"自查：未听取专题汇报"}]'
req r POST "/api/rounds/$R/facts" -b gaj.jar -d "$self"
is 403 "facts without X-CSRF-Token are 403"
req r POST "/api/rounds/$R/facts" -b gaj.jar -H "X-CSRF-Token: 0000" -d "$self"
is 403 "facts with a wrong X-CSRF-Token are 403"
check test "$(facts_count)" = "$n0" -- "nothing stored without the CSRF token"
req r POST "/api/rounds/$R/facts" -b gaj.jar -H "X-CSRF-Token: $gaj_csrf" \
  -d '[{"unit":"市民政局","indicator":"1.1","kind":"fail","source":"self"}]'
is 404 "a unit's self fact for another unit is 404"
req r POST "/api/rounds/$R/facts" -b gaj.jar -H "X-CSRF-Token: $gaj_csrf" \
  -d '[{"unit":"市公安局","indicator":"1.1","kind":"fail","source":"self"},{"unit":"市公安局","indicator":"2.3","kind":"fail","source":"assessor"}]'
is 403 "a unit may not add assessor facts (403)"
jqok '.error | contains("单位用户只能登记自评")' "and the message says why"
check test "$(facts_count)" = "$n0" -- "refused input stores nothing (not even the good first fact)"
req r POST "/api/rounds/$R/facts" -b gaj.jar -H "X-CSRF-Token: $gaj_csrf" \
  -d '[{"unit":"市公安局","indicator":"9.9","kind":"fail","source":"self"}]'
is 400 "an unknown indicator is 400"
check test "$(facts_count)" = "$n0" -- "and stores nothing"
req r POST "/api/rounds/$R/facts" -b gaj.jar -H "X-CSRF-Token: $gaj_csrf" -d "$self"
is 200 "a unit adds a self fact for itself"
jqok '.added == 1' "one fact added"
check test "$(facts_count)" = "$((n0 + 1))" -- "the store has it"
req r GET "/api/rounds/$R/units/$U" -b gaj.jar
jqok '.self_total == 97.5 and .total == 92.5' "its sheet now: self 97.50 (100 − 2.5), total still 92.50"
head -c 5000 /dev/zero | tr '\0' 'x' >big.txt
req r POST "/api/rounds/$R/facts" -b gaj.jar -H "X-CSRF-Token: $gaj_csrf" --data-binary @big.txt
is 413 "a body over --body-max is 413"

# ---- an assessor -----------------------------------------------------------------
login zhang assessor-pass-1
zc=$csrf
req r POST "/api/rounds/$R/facts" -b zhang.jar -H "X-CSRF-Token: $zc" -d "$self"
is 403 "an assessor may not add self facts"
req r POST "/api/rounds/$R/facts" -b zhang.jar -H "X-CSRF-Token: $zc" \
  -d '[{"unit":"公安局","indicator":"2.3","kind":"fail","source":"assessor","note":"政策解读未报送"}]'
is 200 "an assessor adds an assessor fact"
req r GET "/api/rounds/$R/units/$U" -b zhang.jar
is 200 "an assessor reads any unit's sheet"
jqok '.total == 87.5' "市公安局 now 87.50 (92.50 − 5 for 2.3)"
req r GET "/api/rounds/$R/units/$MZJ" -b zhang.jar
is 200 "an assessor reads another unit's sheet too"
req r GET "/api/rounds/$R/rank" -b zhang.jar
is 200 "an assessor reads the ranking"
jqok '.results | length == 63' "the ranking has the 63 units"
req r POST "/api/rounds/$R/publish" -b zhang.jar -H "X-CSRF-Token: $zc"
is 403 "an assessor may not publish"

# ---- publication and the public ------------------------------------------------------
req r GET "/api/public/rounds/$R/rank"
is 404 "the public cannot see an unpublished round (404)"
req r GET "/api/public/rounds/nosuch/rank"
is 404 "nor a round that does not exist"
req r POST "/api/public/rounds/$R/vote" -d '{"unit":"市公安局","rating":"满意"}'
is 404 "nor vote in an unpublished round"
login admin1 admin-pass-1
ac=$csrf
req r POST "/api/rounds/$R/publish" -b admin1.jar
is 403 "publish without the CSRF token is 403"
req r GET "/api/public/rounds/$R/rank"
is 404 "so the round stays unpublished"
req r POST "/api/rounds/$R/publish" -b admin1.jar -H "X-CSRF-Token: $ac"
is 200 "the admin publishes the round"
jqok ".round == \"$R\" and .published == true" "published"
req r GET "/api/public/rounds/$R/rank" -c voter.jar
is 200 "the public sees the published ranking"
jqok '(.results | length) == 63 and (.results[] | select(.unit == "市公安局") | .total) == 92.5' "with the stored scores (市公安局 92.50 as scored)"
vt=$(jq -r .vote_token _out)
req r GET "/api/rounds" -b gaj.jar
jqok '.[0].published == true' "the round list says published"

req r POST "/api/public/rounds/$R/vote" -b voter.jar -d '{"unit":"市公安局","rating":"满意"}'
is 403 "a vote without its token is 403"
req r POST "/api/public/rounds/$R/vote" -H "X-CSRF-Token: $vt" -d '{"unit":"市公安局","rating":"满意"}'
is 403 "a vote without the voter cookie is 403"
req r POST "/api/public/rounds/$R/vote" -b voter.jar -H "X-CSRF-Token: $vt" -d '{"unit":"市公安局","rating":"很好"}'
is 400 "an unknown rating is 400"
req r POST "/api/public/rounds/$R/vote" -b voter.jar -H "X-CSRF-Token: $vt" -d '{"unit":"不存在","rating":"满意"}'
is 404 "a vote for a unit not in the round is 404"
req r POST "/api/public/rounds/$R/vote" -b voter.jar -H "X-CSRF-Token: $vt" -d '{"unit":"公安局","rating":"满意"}'
is 200 "the public votes once"
jqok '.unit == "市公安局" and .rating == "满意"' "the vote names the unit by its name"
req r POST "/api/public/rounds/$R/vote" -b voter.jar -H "X-CSRF-Token: $vt" -d '{"unit":"市民政局","rating":"不满意"}'
is 409 "a second vote in the round is 409"

# ---- throttling ------------------------------------------------------------------------
for i in 1 2 3 4 5; do login mzj "wrong-$i"; done
is 401 "the fifth wrong password is still 401"
login mzj unit-pass-mzj
is 429 "after five wrong passwords the right one is throttled (429)"
jqok '.error | contains("连续 5 次密码错误")' "and the message says why"
run user list
check grep -q '密码错误过多' _out -- "user list shows the account throttled"

# ---- logout and disable ------------------------------------------------------------------
req r POST /api/logout -b admin1.jar
is 403 "logout without the CSRF token is 403"
req r POST /api/logout -b admin1.jar -H "X-CSRF-Token: $ac"
is 200 "logout"
req r GET /api/rounds -b admin1.jar
is 401 "the session is gone after logout"
run user disable gaj
expect_status 0 "user disable exits 0"
req r GET "/api/rounds/$R/units/$U" -b gaj.jar
is 401 "a disabled account's session is gone"
login gaj unit-pass-gaj
is 401 "and it cannot log in"
run user disable nobody
expect_status 2 "disabling an unknown account exits 2"

# ---- the audit log ---------------------------------------------------------------------------
run eval log
expect_out "publish" "the audit log has the publication"
check sh -c "grep publish _out | grep -q admin1" -- "by admin1"
check sh -c "grep 'web-facts' _out | grep -q '来自 127.0.0.1'" -- "web facts with the address they came from"
check sh -c "grep -q 'login-throttled' _out" -- "the throttling is in the log"

# ---- shutdown ------------------------------------------------------------------------------
kill -TERM "$spid"
for _ in $(seq 50); do kill -0 "$spid" 2>/dev/null || break; sleep 0.1; done
kill -0 "$spid" 2>/dev/null && kill -KILL "$spid"
wait "$spid"; STATUS=$?
expect_status 0 "serve exits 0 on SIGTERM"
check grep -q '已停止' serve.err -- "and says it stopped"
check grep -qE "^[0-9TZ:-]+ 127.0.0.1 GET /api/rounds/$R/units/市公安局 200 [0-9.]+ms gaj$" serve.err -- "one log line per request: time, address, method, path, status, time, user"
no_sanitizer serve.err

"$KAOPING" serve --listen 127.0.0.1:99999 >/dev/null 2>_err; STATUS=$?
expect_status 2 "a port out of range exits 2"
KAOPING_DB=$PWD/none.db "$KAOPING" serve --listen 127.0.0.1:0 >/dev/null 2>_err; STATUS=$?
expect_status 2 "serve on a database that does not exist exits 2"

# ---- the same server on PostgreSQL (a fresh database on the test cluster) ----
pg_suite() {
  K eval new --table pzh2016-gk --author demo --db "$DB" >/dev/null 2>&1
  K eval facts add "$KP_ROOT/data/facts/sample-2016-gk.csv" --author demo --db "$DB" >/dev/null 2>&1
  K eval score --author demo --db "$DB" >/dev/null 2>&1
  run user add pgadmin --role admin --db "$DB" <<<'admin-pass-1'
  expect_status 0 "postgresql: user add"
  run user add pggaj --role unit --unit 市公安局 --db "$DB" <<<'unit-pass-gaj'
  web_serve pgserve --db "$DB"
  login pggaj unit-pass-gaj
  is 200 "postgresql: the unit account logs in"
  req r GET "/api/rounds/$R/units/$U" -b pggaj.jar
  jqok '.unit == "市公安局" and .total == 92.5' "postgresql: its own sheet, 92.50"
  req r GET "/api/rounds/$R/units/$MZJ" -b pggaj.jar
  is 404 "postgresql: another unit's sheet is 404"
  req r POST "/api/rounds/$R/facts" -b pggaj.jar -H "X-CSRF-Token: $csrf" -d "$self"
  is 200 "postgresql: a self fact for its own unit"
  req r GET "/api/public/rounds/$R/rank"
  is 404 "postgresql: unpublished is 404 to the public"
  login pgadmin admin-pass-1
  req r POST "/api/rounds/$R/publish" -b pgadmin.jar -H "X-CSRF-Token: $csrf"
  is 200 "postgresql: the admin publishes"
  req r GET "/api/public/rounds/$R/rank"
  jqok '(.results | length) == 63' "postgresql: the public sees the ranking"
  for i in 1 2 3 4 5; do login pggaj "wrong-$i"; done
  login pggaj unit-pass-gaj
  is 429 "postgresql: five wrong passwords throttle the account"
  kill -TERM "$spid"
  for _ in $(seq 50); do kill -0 "$spid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$spid" 2>/dev/null && kill -KILL "$spid"
  wait "$spid"; STATUS=$?
  expect_status 0 "postgresql: serve exits 0 on SIGTERM"
  no_sanitizer pgserve.err
}
on_postgresql kp_web pg_suite
