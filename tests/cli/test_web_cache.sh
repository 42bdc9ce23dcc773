# Black-box tests of what `kaoping serve` keeps between requests: the
# rounds it read and opened (kept under the round's stamp, its count of
# audit rows) and the ranking with its gzip and ETag.  A change made by
# another process (the CLI) must show in the very next answer; a client
# that has the ranking gets 304; a client that takes gzip gets the same
# bytes gzipped.  The sample round of scripts/demo.sh, as test_web.sh.
# Sourced by tests/lib/runone.sh in an empty temporary directory with
# $KAOPING and $KP_ROOT set.

. "$KP_ROOT/tests/lib/web.sh"
R=2016-pzh2016-gk

suite() {   # suite PREFIX: the whole on $DB
  P=$1
K eval new --table pzh2016-gk --author demo --db "$DB" >/dev/null 2>&1
K eval facts add "$KP_ROOT/data/facts/sample-2016-gk.csv" --author demo --db "$DB" >/dev/null 2>&1
K eval score --author demo --db "$DB" >/dev/null 2>&1
K user add zhang --role assessor --db "$DB" <<<'assessor-pass-1' >/dev/null 2>&1

web_serve serve --db "$DB"
trap 'kill -KILL "$spid" 2>/dev/null' EXIT
check test -n "$port" -- "${P}serve prints its URL within 5 s"

# req NAME PATH [curl args…]: GET, STATUS, body in NAME.body, headers in
# NAME.head (lower-cased names)
req() {
  local n=$1 p=$2; shift 2
  STATUS=$(curl -s -o "$n.body" -D "$n.hd" -w '%{http_code}' -b zhang.jar "$@" "$B$p")
  tr -d '\r' <"$n.hd" | awk -F': ' '{printf "%s: %s\n", tolower($1), $2}' >"$n.head"
  cp "$n.body" _out; : >_err
}
header() { sed -n "s/^$2: //p" "$1.head"; }
curl -s -o /dev/null -c zhang.jar -H 'Content-Type: application/json' \
  -d '{"username":"zhang","password":"assessor-pass-1"}' "$B/api/login"

# ---- the ranking: ETag, 304, gzip -----------------------------------------
req rank1 "/api/rounds/$R/rank"
is 200 "${P}the ranking is 200"
jqok '.round == "2016-pzh2016-gk" and .current and (.results | length) == 63' "${P}63 units, current"
jqok '.results[] | select(.unit == "市公安局") | .total == 92.5' "${P}市公安局 92.50 in the ranking"
etag=$(header rank1 etag)
check sh -c "printf %s '$etag' | grep -qE '^W/\"[0-9a-f]{16}\"$'" -- "${P}a weak ETag of 16 hex digits ($etag)"
check test "$(header rank1 content-encoding)" = "" -- "${P}no Content-Encoding when the client does not ask"
check test "$(header rank1 cache-control)" = "private, no-cache" -- "${P}Cache-Control: private, no-cache (a browser asks again, naming what it has)"
req rank2 "/api/rounds/$R/rank" -H "If-None-Match: $etag"
is 304 "${P}If-None-Match with the ETag: 304"
check test ! -s rank2.body -- "${P}and no body"
check test "$(header rank2 etag)" = "$etag" -- "${P}the 304 names the ETag"
req rank3 "/api/rounds/$R/rank" -H 'If-None-Match: "0000000000000000", '"${etag#W/}"
is 304 "${P}a list naming it (strong form) is 304 too"
req rank4 "/api/rounds/$R/rank" -H 'If-None-Match: W/"0000000000000000"'
is 200 "${P}another ETag: 200"
check cmp -s rank4.body rank1.body -- "${P}with the same bytes"
req rank5 "/api/rounds/$R/rank" -H 'Accept-Encoding: gzip, deflate'
is 200 "${P}Accept-Encoding: gzip is 200"
check test "$(header rank5 content-encoding)" = "gzip" -- "${P}Content-Encoding: gzip"
check test "$(header rank5 vary)" = "Accept-Encoding" -- "${P}Vary: Accept-Encoding"
check sh -c "gzip -dc rank5.body | cmp -s - rank1.body" -- "${P}gunzipped: byte-identical to the plain answer"
check test "$(stat -c %s rank5.body)" -lt "$(( $(stat -c %s rank1.body) / 3 ))" -- "${P}under a third of the plain size"
req rank6 "/api/rounds/$R/rank" -H 'Accept-Encoding: gzip;q=0, identity'
check test "$(header rank6 content-encoding)" = "" -- "${P}gzip;q=0: not gzipped"
req rank7 "/api/rounds/$R/rank" -H 'Accept-Encoding: x-gzip'
check test "$(header rank7 content-encoding)" = "" -- "${P}x-gzip is not gzip"

# ---- a change by another process shows in the next answer -----------------
req sheet1 "/api/rounds/$R/units/$U"
is 200 "${P}the sheet of 市公安局 is 200"
jqok '.total == 92.5 and .rank != null' "${P}92.50, ranked"
req sheet1b "/api/rounds/$R/units/$U"
check cmp -s sheet1b.body sheet1.body -- "${P}asked again (the round kept): the same bytes"

# ---- the sheets: ETag, 304, gzip; the round's others built meanwhile -------
setag=$(header sheet1 etag)
check sh -c "printf %s '$setag' | grep -qE '^W/\"[0-9a-f]{16}\"$'" -- "${P}the sheet has a weak ETag ($setag)"
check test "$(header sheet1b etag)" = "$setag" -- "${P}the same ETag when kept"
req sheet1c "/api/rounds/$R/units/$U" -H "If-None-Match: $setag"
is 304 "${P}the sheet with If-None-Match: 304"
req sheet1d "/api/rounds/$R/units/$U" -H 'Accept-Encoding: gzip'
check test "$(header sheet1d content-encoding)" = "gzip" -- "${P}the sheet gzipped when the client takes it"
check sh -c "gzip -dc sheet1d.body | cmp -s - sheet1.body" -- "${P}gunzipped: the plain sheet's bytes"
for _ in $(seq 100); do grep -q '63 张考评表已生成' serve.err && break; sleep 0.1; done
check grep -q "轮次“$R”的 63 张考评表已生成" serve.err -- "${P}the round's 63 sheets built in the background"
# each as the CLI's eval show gives it (the builder's, kept: not scored
# by the request)
for u in 市住房城乡建设局 市民政局 市商务和粮食局; do
  req built "/api/rounds/$R/units/$(printf %s "$u" | jq -sRr @uri)"
  K eval show "$u" --json --db "$DB" >cli.json 2>/dev/null
  check sh -c 'jq -S . built.body >a.json && jq -S . cli.json >b.json && cmp -s a.json b.json && test -s a.json' -- "${P}$u: the sheet built in the background is eval show's"
done
jqok '.rank != null' "${P}市商务和粮食局 ranked"
cat >more.csv <<'EOF'
unit,indicator,kind,name,value,source,author,time,url,note
公安局,2.2,fail,,1,考核,市政府办公室,2017-01-11,,基本信息未及时更新
EOF
K eval facts add more.csv --author demo --db "$DB" >/dev/null 2>&1
req sheet2 "/api/rounds/$R/units/$U"
jqok '.total == 87.5 and .rank == null' "${P}after a fact added by the CLI: 87.50 now, rank withheld (facts after the scoring)"
req sheet2b "/api/rounds/$R/units/$(printf %s 市商务和粮食局 | jq -sRr @uri)"
jqok '.rank == null' "${P}and another unit's sheet, built before the fact: rank withheld now too"
req rank8 "/api/rounds/$R/rank" -H "If-None-Match: $etag"
is 200 "${P}the old ETag after the fact: 200, not 304"
jqok '(.current | not) and (.results[] | select(.unit == "市公安局") | .total == 92.5)' "${P}the ranking says not current, still 92.50 as scored"
check test "$(header rank8 etag)" != "$etag" -- "${P}a new ETag"
K eval score --author demo --db "$DB" >/dev/null 2>&1
req rank9 "/api/rounds/$R/rank"
jqok '.current and (.results[] | select(.unit == "市公安局") | .total == 87.5)' "${P}after the CLI scores: current, 市公安局 87.50"
req sheet3 "/api/rounds/$R/units/$U"
jqok '.total == 87.5 and .rank != null' "${P}the sheet: 87.50, ranked again"
req none "/api/rounds/nosuch/rank"
is 404 "${P}an unknown round is still 404"

kill -TERM "$spid"; wait "$spid" 2>/dev/null
no_sanitizer serve.err
}

DB=$PWD/web.db suite ""
rm -f ./*.body ./*.hd ./*.head zhang.jar
on_postgresql kp_webcache suite "postgresql: "
