# Black-box tests of the web server's evidence (佐证材料) uploads, its
# rescoring route and its thread pool: the real server on 127.0.0.1 (a
# port it chooses) over a temporary SQLite database with the sample round
# of scripts/demo.sh, driven with curl -F through the role boundaries of
# docs/api.md (a unit uploads and reads only its own unit's files).
# Sourced by tests/lib/runone.sh in an empty temporary directory with
# $KAOPING and $KP_ROOT set.

. "$KP_ROOT/tests/lib/web.sh"
export KAOPING_DB=$PWD/ev.db
export USER=测试员
R=2016-pzh2016-gk

K eval new --table pzh2016-gk --author demo >/dev/null 2>&1
K eval facts add "$KP_ROOT/data/facts/sample-2016-gk.csv" --author demo >/dev/null 2>&1
K eval score --author demo >/dev/null 2>&1
K user add admin1 --role admin <<<'admin-pass-1' >/dev/null 2>&1
K user add zhang --role assessor <<<'assessor-pass-1' >/dev/null 2>&1
K user add gaj --role unit --unit 市公安局 <<<'unit-pass-gaj' >/dev/null 2>&1
K user add mzj --role unit --unit 市民政局 <<<'unit-pass-mzj' >/dev/null 2>&1

# ---- the server: a pool of 3 threads, a 64 KiB cap on a file -------------------
web_serve serve --threads 3 --data files \
  --evidence-max 65536
trap 'kill -KILL "$spid" 2>/dev/null' EXIT
check test -n "$port" -- "serve prints its URL within 5 s"
check test -d files/evidence -- "serve makes the data directory"


# files to upload: a PDF of 3,000 bytes, a text file with a Chinese name,
# a file too large, a "PDF" that is not one
{ printf '%%PDF-1.4\n'; head -c 2991 /dev/urandom; } >report.pdf
printf '自查说明：已按要求公开。\n' >'自查 说明.txt'
{ printf '%%PDF-1.4\n'; head -c 100000 /dev/urandom; } >big.pdf
printf 'MZ not a pdf' >fake.pdf

login gaj unit-pass-gaj; gaj=$csrf
login mzj unit-pass-mzj; mzj=$csrf
login zhang assessor-pass-1; zhang=$csrf
login admin1 admin-pass-1; admin=$csrf

# ---- a unit uploads for its own unit ---------------------------------------------
req up POST "/api/rounds/$R/evidence" -b gaj.jar -F file=@report.pdf -F unit=市公安局 -F indicator=1.1
is 403 "an upload without X-CSRF-Token is 403"
check sh -c '[ -z "$(ls files/evidence)" ]' -- "and nothing is kept on disk"
req up POST "/api/rounds/$R/evidence" -b gaj.jar -H "X-CSRF-Token: $gaj" \
  -F file=@report.pdf -F unit=市公安局 -F indicator=1.1 -F note=会议纪要
is 200 "the unit uploads a PDF for its own unit"
sha=$(sha256sum report.pdf | cut -c1-64)
jqok ".unit == \"市公安局\" and .indicator == \"1.1\" and .name == \"report.pdf\" and .size == 3000 and .sha256 == \"$sha\" and .type == \"application/pdf\"" \
  "the answer: unit, indicator, name, 3000 bytes, its SHA-256, application/pdf"
id1=$(jq -r .id _out)
check test -f "files/evidence/${sha:0:2}/$sha" -- "the file is kept under its SHA-256"
check sh -c '! ls files/evidence | grep -q upload' -- "no temporary file is left"
req up POST "/api/rounds/$R/evidence" -b gaj.jar -H "X-CSRF-Token: $gaj" \
  -F "file=@自查 说明.txt" -F unit=公安局 -F indicator=1.2
is 200 "a text file with a Chinese name, the unit named by its alias"
jqok '.unit == "市公安局" and .name == "自查 说明.txt"' "kept under the canonical unit and the Chinese name"
id2=$(jq -r .id _out)
req up POST "/api/rounds/$R/evidence" -b gaj.jar -H "X-CSRF-Token: $gaj" \
  -F "file=@report.pdf;filename=../../etc/x.pdf" -F unit=市公安局 -F indicator=1.1
is 200 "a name with a path is accepted"
jqok '.name == "x.pdf"' "its path is dropped (x.pdf)"

# ---- refusals ---------------------------------------------------------------------
req up POST "/api/rounds/$R/evidence" -b gaj.jar -H "X-CSRF-Token: $gaj" \
  -F file=@report.pdf -F unit=市民政局 -F indicator=1.1
is 404 "a unit may not upload for another unit (404)"
req up POST "/api/rounds/$R/evidence" -b gaj.jar -H "X-CSRF-Token: $gaj" \
  -F file=@big.pdf -F unit=市公安局 -F indicator=1.1
is 413 "a file over the cap is 413"
jqok '.error | contains("附件超过上限") and contains("65536 字节")' "with a Chinese message naming the cap"
req up POST "/api/rounds/$R/evidence" -b gaj.jar -H "X-CSRF-Token: $gaj" \
  -F file=@fake.pdf -F unit=市公安局 -F indicator=1.1
is 400 "a .pdf that is not a PDF is 400"
jqok '.error | contains("扩展名与内容不符")' "and the message says so"
printf 'x' >run.exe
req up POST "/api/rounds/$R/evidence" -b gaj.jar -H "X-CSRF-Token: $gaj" \
  -F file=@run.exe -F unit=市公安局 -F indicator=1.1
is 400 "an .exe is 400"
jqok '.error | contains("不接受文件“run.exe”的类型")' "and the message names the file"
req up POST "/api/rounds/$R/evidence" -b gaj.jar -H "X-CSRF-Token: $gaj" \
  -F file=@report.pdf -F unit=市公安局 -F indicator=9.9.9
is 400 "an indicator not in the unit's sheet is 400"
req up POST "/api/rounds/$R/evidence" -b gaj.jar -H "X-CSRF-Token: $gaj" \
  -F unit=市公安局 -F indicator=1.1
is 400 "no file is 400"
jqok '.error | contains("缺少文件")' "and says 缺少文件"
req up POST "/api/rounds/$R/evidence" -b gaj.jar -H "X-CSRF-Token: $gaj" \
  -H 'Content-Type: application/json' -d '{"unit":"市公安局"}'
is 400 "a JSON body is 400 (multipart expected)"
req up POST "/api/rounds/$R/evidence" -F file=@report.pdf -F unit=市公安局 -F indicator=1.1
is 401 "an upload without a session is 401"
check sh -c '[ "$(find files/evidence -type f | wc -l)" -eq 2 ]' -- "two files on disk (the PDF twice is one file), nothing from the refusals"

# ---- an assessor uploads for any unit ---------------------------------------------
req up POST "/api/rounds/$R/evidence" -b zhang.jar -H "X-CSRF-Token: $zhang" \
  -F "file=@自查 说明.txt" -F unit=市民政局 -F indicator=1.1
is 200 "an assessor uploads for 市民政局"
id3=$(jq -r .id _out)

# ---- lists --------------------------------------------------------------------------
req l GET "/api/rounds/$R/units/$U/evidence" -b gaj.jar
is 200 "the unit lists its evidence"
jqok "(.evidence | length) == 3 and .evidence[0].id == $id1 and .evidence[0].author == \"gaj\" and .evidence[1].name == \"自查 说明.txt\"" \
  "three files, oldest first, with author and name"
req l GET "/api/rounds/$R/units/$MZJ/evidence" -b gaj.jar
is 404 "another unit's list is 404"
req l GET "/api/rounds/$R/units/$MZJ/evidence" -b zhang.jar
jqok '(.evidence | length) == 1 and .evidence[0].author == "zhang"' "the assessor sees 市民政局's one file"

# ---- downloads ------------------------------------------------------------------------
STATUS=$(curl -s -o got.pdf -D hdr.txt -w '%{http_code}' -b gaj.jar "$B/api/evidence/$id1")
is 200 "the unit downloads its PDF"
check cmp -s got.pdf report.pdf -- "byte-identical"
check grep -qi '^Content-Type: application/pdf' hdr.txt -- "as application/pdf"
check grep -qi "^Content-Disposition: attachment; filename\\*=UTF-8''report.pdf" hdr.txt -- "as an attachment named report.pdf"
STATUS=$(curl -s -o got.txt -D hdr.txt -w '%{http_code}' -b zhang.jar "$B/api/evidence/$id2")
is 200 "the assessor downloads the unit's text file"
check cmp -s got.txt '自查 说明.txt' -- "byte-identical"
check grep -qi "filename\\*=UTF-8''%E8%87%AA%E6%9F%A5%20%E8%AF%B4%E6%98%8E.txt" hdr.txt -- "its Chinese name percent-encoded (RFC 6266)"
req d GET "/api/evidence/$id1" -b mzj.jar
is 404 "another unit's file is 404"
req d GET "/api/evidence/$id3" -b gaj.jar
is 404 "and 市民政局's file is 404 to 市公安局"
req d GET "/api/evidence/99999" -b zhang.jar
is 404 "a file that does not exist is 404"
req d GET "/api/evidence/abc" -b zhang.jar
is 404 "a bad id is 404"
req d GET "/api/evidence/$id1"
is 401 "a download without a session is 401"

# ---- rescoring from the web -------------------------------------------------------------
req k GET "/api/rounds/$R/rank" -b zhang.jar
jqok '.current == true' "the ranking is current (and now cached)"
gaj_before=$(jq -c '.results[] | select(.unit == "市公安局") | .total' _out)
self='[{"unit":"市公安局","indicator":"1.1","kind":"fail","source":"assessor","note":"复核：未听取专题汇报"}]'
req f POST "/api/rounds/$R/facts" -b zhang.jar -H "X-CSRF-Token: $zhang" -d "$self"
is 200 "an assessor fact is added"
req k GET "/api/rounds/$R/rank" -b zhang.jar
jqok '.current == false' "the ranking is not current (facts came after the scoring)"
req s POST "/api/rounds/$R/score" -b zhang.jar -H "X-CSRF-Token: $zhang"
is 403 "an assessor may not rescore (403)"
req s POST "/api/rounds/$R/score" -b admin1.jar
is 403 "rescoring without X-CSRF-Token is 403"
req s POST "/api/rounds/$R/score" -b admin1.jar -H "X-CSRF-Token: $admin"
is 200 "the admin rescores"
jqok ".round == \"$R\" and .units == 63" "63 units scored"
req k GET "/api/rounds/$R/rank" -b zhang.jar
jqok '.current == true' "the ranking is current again"
gaj_after=$(jq -c '.results[] | select(.unit == "市公安局") | .total' _out)
check test -n "$gaj_before" -a "$gaj_before" != "$gaj_after" -- "and 市公安局's total changed with the new fact ($gaj_before → $gaj_after): not the cached one"
req s POST "/api/rounds/nosuch/score" -b admin1.jar -H "X-CSRF-Token: $admin"
is 404 "rescoring a round that does not exist is 404"

# ---- several requests at once (the pool) ---------------------------------------------------
for i in $(seq 12); do
  curl -s -o "par$i.json" -w '%{http_code}\n' -b zhang.jar "$B/api/rounds/$R/units/$U" >"par$i.code" &
done
wait_for=0
for i in $(seq 12); do
  for _ in $(seq 100); do [ -s "par$i.code" ] && break; sleep 0.1; done
  [ "$(cat "par$i.code" 2>/dev/null)" = 200 ] && jq -e '.unit == "市公安局"' "par$i.json" >/dev/null 2>&1 && wait_for=$((wait_for + 1))
done
check test "$wait_for" -eq 12 -- "twelve sheets read at once all answer 200"

# ---- the audit log -----------------------------------------------------------------------
run eval log
check sh -c "grep evidence-add _out | grep -q 'report.pdf'" -- "the upload is in the audit log"
check sh -c "grep evidence-add _out | grep -q '来自 127.0.0.1'" -- "with the address it came from"
check sh -c "grep -q web-score _out" -- "the rescoring is in the audit log"

kill -TERM "$spid"
for _ in $(seq 50); do kill -0 "$spid" 2>/dev/null || break; sleep 0.1; done
kill -0 "$spid" 2>/dev/null && kill -KILL "$spid"
wait "$spid"; STATUS=$?
expect_status 0 "serve exits 0 on SIGTERM"
no_sanitizer serve.err

# ---- PostgreSQL: upload, list, download ------------------------------------------------------
pg_suite() {
  KAOPING_DB=$DB K eval new --table pzh2016-gk --author demo >/dev/null 2>&1
  KAOPING_DB=$DB K eval facts add "$KP_ROOT/data/facts/sample-2016-gk.csv" --author demo >/dev/null 2>&1
  KAOPING_DB=$DB K eval score --author demo >/dev/null 2>&1
  KAOPING_DB=$DB K user add pggaj --role unit --unit 市公安局 <<<'unit-pass-gaj' >/dev/null 2>&1
  KAOPING_DB=$DB K user add pgmzj --role unit --unit 市民政局 <<<'unit-pass-mzj' >/dev/null 2>&1
  web_serve pgserve --db "$DB" --data pgfiles
  login pggaj unit-pass-gaj
  req up POST "/api/rounds/$R/evidence" -b pggaj.jar -H "X-CSRF-Token: $csrf" \
    -F file=@report.pdf -F unit=市公安局 -F indicator=1.1
  is 200 "postgresql: the unit uploads a PDF"
  pid1=$(jq -r .id _out)
  req l GET "/api/rounds/$R/units/$U/evidence" -b pggaj.jar
  jqok '(.evidence | length) == 1 and .evidence[0].name == "report.pdf"' "postgresql: it is listed"
  STATUS=$(curl -s -o pggot.pdf -w '%{http_code}' -b pggaj.jar "$B/api/evidence/$pid1")
  check cmp -s pggot.pdf report.pdf -- "postgresql: downloaded byte-identical"
  login pgmzj unit-pass-mzj
  req d GET "/api/evidence/$pid1" -b pgmzj.jar
  is 404 "postgresql: another unit's file is 404"
  kill -TERM "$spid"
  for _ in $(seq 50); do kill -0 "$spid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$spid" 2>/dev/null && kill -KILL "$spid"
  wait "$spid"; STATUS=$?
  expect_status 0 "postgresql: serve exits 0 on SIGTERM"
  no_sanitizer pgserve.err
}
on_postgresql kp_webev pg_suite
