# Black-box tests of the routes behind the UI's 指标体系, 单位, 检测 and
# 台账 pages (docs/api.md, “指标体系、单位、检测、台账”): the real server
# on 127.0.0.1 with the sample round of scripts/demo.sh, two stored
# inspections of the test site of tools/sitegen.c (市公安局 and 市民政局),
# the sample 政务信息 ledger with one item of 市公安局 added, and a task
# ledger; driven with curl through each role boundary: a unit account
# sees only its own unit's findings and ledger rows (another unit's is
# 404), only the admin imports tables and manages accounts (403), and a
# change without the CSRF token is 403.  Sourced by tests/lib/runone.sh
# in an empty temporary directory with $KAOPING and $KP_ROOT set.

. "$KP_ROOT/tests/lib/web.sh"
export KAOPING_DB=$PWD/web.db KP_NO_PROGRESS=1
export USER=测试员
R=2016-pzh2016-gk

# ---- the round, inspections, ledgers, accounts ---------------------------------
K eval new --table pzh2016-gk --author demo >/dev/null 2>&1
K eval facts add "$KP_ROOT/data/facts/sample-2016-gk.csv" --author demo >/dev/null 2>&1
K eval score --author demo >/dev/null 2>&1

cc -O1 -o sitegen "$KP_ROOT/tools/sitegen.c" -lz || { echo "not ok - build sitegen"; exit 1; }
./sitegen serve port & srv=$!
for _ in $(seq 50); do [ -s port ] && break; sleep 0.1; done
S="http://127.0.0.1:$(cat port)"
run inspect "$S/" --as-of 2024-06-30 --timeout 1 --retries 0 --round $R --unit 市公安局 --json
check sh -c "jq -e '.inspection.id == 1' _out >/dev/null" -- "inspection 1 (市公安局) stored"
cp _out insp1.json
run inspect "$S/" --as-of 2024-06-30 --timeout 1 --retries 0 --round $R --unit 民政局 --json
check sh -c "jq -e '.inspection.id == 2 and .inspection.unit == \"市民政局\"' _out >/dev/null" -- "inspection 2 (市民政局) stored"
# the test site keeps serving: the 检测 page's re-inspection crawls it again
trap 'kill $srv 2>/dev/null' EXIT
nf1=$(jq '.findings | length' insp1.json)
dead=$(jq -r '[.findings[] | select(.check == "links.dead")][0].evidence.url' insp1.json)

K info ledger import "$KP_ROOT/data/ledger/sample-2016" >/dev/null
run info add --unit 市公安局 --date 2016-03-08 --title 市公安局开展禁毒宣传月活动
expect_status 0 "an information item of 市公安局 added to the store's ledger"
cat >tasks.csv <<'CSV'
序号,单位,日期,状态,说明,证据
9,市财政局,2017-07-20,推进中,正在梳理收费目录清单,
CSV
run tasks import tasks.csv
expect_status 0 "a task-progress row of 市财政局 in the store"
K sites add 市公安局 "$S/" >/dev/null 2>&1

run user add admin1 --role admin <<<'admin-pass-1'
run user add zhang --role assessor <<<'assessor-pass-1'
run user add gaj --role unit --unit 市公安局 <<<'unit-pass-gaj'

web_serve serve
trap 'kill -KILL "$spid" 2>/dev/null; kill $srv 2>/dev/null' EXIT
check test -n "$port" -- "serve prints its URL within 5 s"

login admin1 admin-pass-1; ac=$csrf
login zhang assessor-pass-1; zc=$csrf
login gaj unit-pass-gaj; gc=$csrf

# ---- no session ------------------------------------------------------------------
for p in /api/tables /api/units/$R /api/users "/api/rounds/$R/inspections" "/api/rounds/$R/ledger/info" "/api/rounds/$R/ledger/tasks"; do
  req r GET "$p"
  is 401 "GET $p without a session is 401"
done

# ---- 指标体系 ---------------------------------------------------------------------
req r GET /api/tables -b gaj.jar
is 200 "GET /api/tables for any staff"
jqok "any(.[]; .ref == \"round:$R:0\" and .round == \"$R\" and .id == \"pzh2016-gk\")" "the round's table, named round:ROUND:0"
jqok 'any(.[]; .ref == "pzh2016-gk" and .round == null)' "and the bundled tables by id"
req r GET "/api/tables/round:$R:0" -b zhang.jar
is 200 "the round's table as a tree"
jqok '(.total | tonumber) == 100 and (.tree | length) > 1' "total 100, several first-level indicators"
jqok '[.. | objects | select(.rule == "deduct")][0].rule_text | startswith("倒扣分")' "a deduct rule in Chinese (倒扣分…), not its keyword"
jqok '[.. | objects | select(has("rule_text")) | .rule_text | test("^[a-z_]+$")] | any | not' "no rule shown as a format keyword"
req r GET /api/tables/pzh2016-gk -b zhang.jar
is 200 "a bundled table by id"
req r GET /api/tables/nosuch -b zhang.jar
is 404 "an unknown table is 404"
req r GET "/api/tables/round:nosuch:0" -b zhang.jar
is 404 "a table of an unknown round is 404"
req r GET "/api/tables/round:$R:7" -b zhang.jar
is 404 "a table position the round lacks is 404"
req r GET /api/tables/..%2Fdata%2Ftables%2Fx -b zhang.jar
is 404 "a path is never opened as a table"

printf '%s\n' \
  '2017年网站绩效评估指标,,,,,' \
  '一级指标,二级指标,三级指标,权重,评估内容,评分标准' \
  '政务公开 (30分),基本信息 (4分),概况信息,1,机构职能,缺一项扣0.5分' \
  ',,政策文件,3,规范性文件,每项扣2分' \
  ',互动交流 (26分),领导信箱,26,按时回复,酌情扣分' \
  '网站建设（70分）,栏目设置,,70,栏目齐全,' >pub.csv
body=$(jq -n --arg c "$(base64 -w0 pub.csv)" '{filename:"pub.csv", content:$c, id:"web-2017"}')
stored() { sqlite3 web.db "SELECT COUNT(*) FROM imported_tables"; }
req r POST /api/tables/import -b zhang.jar -H "X-CSRF-Token: $zc" -H 'Content-Type: application/json' -d "$body"
is 403 "an assessor may not import a table (403)"
req r POST /api/tables/import -b gaj.jar -H "X-CSRF-Token: $gc" -H 'Content-Type: application/json' -d "$body"
is 403 "nor a unit account (403)"
req r POST /api/tables/import -b admin1.jar -H 'Content-Type: application/json' -d "$body"
is 403 "the admin without the CSRF token: 403"
check sh -c "[ \"\$(sqlite3 web.db 'SELECT COUNT(*) FROM imported_tables')\" = 0 ]" -- "the refused imports (assessor, unit account, no CSRF) stored nothing"
req r POST /api/tables/import -b admin1.jar -H "X-CSRF-Token: $ac" -H 'Content-Type: application/json' -d "$body"
is 200 "the admin imports a published-layout CSV"
jqok '.id == "web-2017" and .title == "2017年网站绩效评估指标" and .nodes == 8 and (.total | tonumber) == 100' "id, title from the row above the header, 8 indicators, total 100"
jqok '.encoding == "UTF-8" and .report.rows_read == 4' "UTF-8, 4 rows read (as table import says)"
jqok '.report.rules[] | select(.code == "1.1.2") | .rule == "倒扣分：每项扣2分" and .sure' "1.1.2 每项扣2分 → 倒扣分：每项扣2分, 确定"
jqok '.report.unsure >= 1 and ([.report.rules[] | select(.sure | not)] | length) == .report.unsure' "the 需确认 rows are listed"
jqok '.canonical | contains("#meta,id,web-2017") and contains("1.1.2,政务公开/基本信息/政策文件,3,deduct")' "the canonical text, as table import writes it"
jqok '.lint | type == "array"' "with the lint report"
jqok '.stored == 1 and .ref == "stored:1"' "stored on the server as imported table 1 (ref stored:1)"
check sh -c "[ \"\$(sqlite3 web.db \"SELECT s.table_id || '|' || i.file || '|' || i.author FROM imported_tables i JOIN schemes s ON s.id = i.scheme_id\")\" = 'web-2017|pub.csv|admin1' ]" -- "the store has it: web-2017 from pub.csv by admin1"
pub_canon=$(jq -r .canonical _out)
"$KAOPING" table import pub.csv --id web-2017 -o cli.csv 2>/dev/null
check sh -c "[ \"\$(grep -v '^#meta,source' cli.csv)\" = \"\$(printf '%s\n' \"$pub_canon\" | grep -v '^#meta,source')\" ]" -- "the web import's canonical text = kaoping table import's"
check sh -c "$KAOPING eval log | grep web-table-import | grep -q admin1" -- "the import is in the audit log, by admin1"
body=$(jq -n --arg c "$(printf '不是表格' | base64 -w0)" '{filename:"x.csv", content:$c}')
req r POST /api/tables/import -b admin1.jar -H "X-CSRF-Token: $ac" -H 'Content-Type: application/json' -d "$body"
is 422 "a file that is no table is 422"
jqok '.error | test("[\\p{Han}]")' "with the importer's message in Chinese"
check sh -c "[ \"\$(sqlite3 web.db 'SELECT COUNT(*) FROM imported_tables')\" = 1 ]" -- "the refused file stored nothing (still one imported table)"
req r GET /api/tables -b zhang.jar
jqok 'any(.[]; .ref == "stored:1" and .id == "web-2017" and .imported.by == "admin1" and .imported.file == "pub.csv" and .imported.unsure >= 1)' "GET /api/tables lists the imported table with who imported it from which file"
req r GET /api/tables/stored:1 -b gaj.jar
is 200 "the imported table opens by its ref"
jqok '.id == "web-2017" and .nodes == 8 and ([.. | objects | select(.code == "1.1.2")][0].rule_text == "倒扣分：每项扣2分")' "as stored: 8 indicators, 1.1.2 倒扣分：每项扣2分"
req r GET /api/tables/stored:99 -b zhang.jar
is 404 "an imported table that does not exist is 404"
req r GET /api/tables/stored:x -b zhang.jar
is 404 "stored:x is 404"
req r POST /api/tables/import -b admin1.jar -H "X-CSRF-Token: $ac" -H 'Content-Type: application/json' -d '{"filename":"x.csv","content":"%%%"}'
is 400 "content that is not base64 is 400"

# ---- 单位 and accounts -----------------------------------------------------------
req r GET "/api/units/$R" -b gaj.jar
is 403 "a unit account may not read the unit registry (403)"
req r GET "/api/units/$R" -b zhang.jar
is 200 "an assessor reads the units"
jqok '(.units | length) == 63 and .accounts == false and all(.units[]; .accounts == [])' "63 units; no accounts shown to an assessor"
req r GET "/api/units/$R" -b admin1.jar
jqok '.units[] | select(.name == "市公安局") | .type == "市级部门" and (.quota.city | tonumber) == 80 and (.quota.province | tonumber) == 6' "市公安局: 市级部门, 任务分配 80 / 6"
jqok ".units[] | select(.name == \"市公安局\") | (.sites | map(.url)) == [\"$S/\"] and (.accounts | map(.username)) == [\"gaj\"]" "its registered site and its account gaj (admin)"
req r GET /api/units/nosuch -b admin1.jar
is 404 "units of an unknown round: 404"
req r GET /api/users -b zhang.jar
is 403 "an assessor may not list accounts (403)"
req r GET /api/users -b gaj.jar
is 403 "nor a unit account (403)"
req r GET /api/users -b admin1.jar
jqok 'length == 3 and (map(select(.username == "gaj"))[0] | .role == "unit" and .unit == "市公安局" and .role_label == "单位用户")' "the admin lists the 3 accounts"
req r POST /api/users -b admin1.jar -H 'Content-Type: application/json' -d "{\"username\":\"mzj\",\"role\":\"unit\",\"unit\":\"民政局\",\"round\":\"$R\"}"
is 403 "adding an account without the CSRF token: 403"
req r POST /api/users -b zhang.jar -H "X-CSRF-Token: $zc" -H 'Content-Type: application/json' -d "{\"username\":\"mzj\",\"role\":\"unit\",\"unit\":\"民政局\",\"round\":\"$R\"}"
is 403 "an assessor may not add accounts (403)"
req r POST /api/users -b admin1.jar -H "X-CSRF-Token: $ac" -H 'Content-Type: application/json' -d "{\"username\":\"mzj\",\"role\":\"unit\",\"unit\":\"民政局\",\"round\":\"$R\"}"
is 200 "the admin adds a unit account (unit by its alias)"
jqok '.unit == "市民政局" and (.password | test("^[A-Za-z0-9]{16}$"))' "stored under the canonical name; a generated password shown once"
mzj_pw=$(jq -r .password _out)
run user list --json
check sh -c "jq -e 'map(select(.username == \"mzj\"))[0] | .unit == \"市民政局\" and .created_by == \"admin1\"' _out >/dev/null" -- "user list has it, created by admin1"
req r POST /api/users -b admin1.jar -H "X-CSRF-Token: $ac" -H 'Content-Type: application/json' -d "{\"username\":\"mzj\",\"role\":\"unit\",\"unit\":\"市民政局\",\"round\":\"$R\"}"
is 409 "a name taken is 409"
req r POST /api/users -b admin1.jar -H "X-CSRF-Token: $ac" -H 'Content-Type: application/json' -d "{\"username\":\"x1\",\"role\":\"unit\",\"unit\":\"不存在\",\"round\":\"$R\"}"
is 400 "a unit not in the round is 400"
req r POST /api/users -b admin1.jar -H "X-CSRF-Token: $ac" -H 'Content-Type: application/json' -d '{"username":"x2","role":"assessor","password":"short"}'
is 400 "a password under 8 characters is 400"
req r POST /api/users -b admin1.jar -H "X-CSRF-Token: $ac" -H 'Content-Type: application/json' -d '{"username":"x3","role":"boss","password":"long-enough-1"}'
is 400 "an unknown role is 400"
login mzj "$mzj_pw"
is 200 "the new account logs in with its password"
mc=$csrf

# ---- 检测 --------------------------------------------------------------------------
req r GET "/api/rounds/$R/inspections" -b zhang.jar
is 200 "an assessor lists the round's inspections"
jqok "(.inspections | map(.unit)) == [\"市公安局\", \"市民政局\"] and (.inspections[0].findings | length) == $nf1" "both, with all of 市公安局's $nf1 findings"
jqok ".inspections[0].findings[] | select(.check == \"links.dead\" and .url == \"$dead\") | .title == \"死链\" and .time == \"2024-06-30\" and (.snippet | length) > 0" "a dead link: its URL, snippet and day as evidence, its Chinese title 死链"
req r GET "/api/rounds/$R/inspections" -b gaj.jar
jqok '(.inspections | map(.unit)) == ["市公安局"]' "a unit account lists its own unit's inspection only"
req r GET "/api/rounds/$R/inspections/1" -b gaj.jar
is 200 "and reads it"
jqok ".id == 1 and .site == \"$S/\" and (.findings | length) == $nf1" "with its findings"
req r GET "/api/rounds/$R/inspections/2" -b gaj.jar
is 404 "another unit's inspection is 404 to a unit account"
req r GET "/api/rounds/$R/inspections/99" -b gaj.jar
is 404 "one that does not exist is 404 too"
req r GET "/api/rounds/$R/inspections/abc" -b zhang.jar
is 404 "a number that is no number is 404"
req r GET "/api/rounds/nosuch/inspections/1" -b zhang.jar
is 404 "an unknown round: 404"
req r GET "/api/rounds/$R/inspections" -b mzj.jar
jqok '(.inspections | map(.id)) == [2]' "the new unit account sees only 市民政局's inspection"
req r POST "/api/rounds/$R/inspections/1/recheck" -b gaj.jar -H "X-CSRF-Token: $gc"
is 403 "a unit account may not start a re-inspection (403)"
req r POST "/api/rounds/$R/inspections/1/recheck" -b zhang.jar
is 403 "a re-inspection without the CSRF token: 403"
req r POST "/api/rounds/$R/inspections/1/recheck" -b zhang.jar -H "X-CSRF-Token: $zc" -d '{"as_of":"2024-6-30"}'
is 400 "a malformed as_of is 400"
req r POST "/api/rounds/$R/inspections/1/recheck" -b zhang.jar -H "X-CSRF-Token: $zc" -d '{"as_of":"2024-06-30","timeout":1,"retries":0}'
is 202 "an assessor starts a re-inspection of 市公安局's site (202: it runs in the background)"
jqok ".job == 1 and .unit == \"市公安局\" and .site == \"$S/\" and .state == \"running\"" "job 1: 市公安局's site, running"
for _ in $(seq 120); do
  req r GET "/api/rounds/$R/rechecks" -b zhang.jar
  jq -e '.rechecks[0].state != "running"' _out >/dev/null 2>&1 && break; sleep 0.5
done
jqok '.rechecks[0] | .state == "done" and .state_label == "已完成" and .inspection == 3 and .progress.fetched > 10 and .author == "zhang"' "the job finished within 60 s: stored as inspection 3, pages fetched shown as progress"
jqok ".rechecks[0] | .nfindings == $nf1 and .new == 0 and .fixed == 0" "the same site on the same day: the same $nf1 findings, nothing new or fixed"
req r GET "/api/rounds/$R/inspections/3" -b gaj.jar
is 200 "the unit account reads the re-inspection"
jqok ".unit == \"市公安局\" and .author == \"zhang\" and .previous == 1 and (.findings | length) == $nf1" "inspection 3: 市公安局, by zhang, compared with inspection 1, its findings"
jqok ".findings[] | select(.check == \"links.dead\" and .url == \"$dead\") | .title == \"死链\" and (.snippet | length) > 0" "with the dead link and its evidence"
req r GET "/api/rounds/$R/rechecks" -b gaj.jar
jqok '(.rechecks | map(.unit)) == ["市公安局"]' "a unit account sees its own unit's re-inspection"
req r GET "/api/rounds/$R/rechecks" -b mzj.jar
jqok '.rechecks == []' "another unit's account sees none"
check sh -c "$KAOPING eval log | grep web-recheck | grep -q zhang" -- "the start is in the audit log, by zhang"
req r POST "/api/rounds/$R/inspections/2/recheck" -b admin1.jar -H "X-CSRF-Token: $ac" -d '{"as_of":"2024-06-30","timeout":1,"retries":0,"max_pages":5}'
is 202 "a unit without a registered monitoring site is re-inspected too (its inspection's site)"
for _ in $(seq 120); do
  req r GET "/api/rounds/$R/rechecks" -b zhang.jar
  jq -e '.rechecks[0].state != "running"' _out >/dev/null 2>&1 && break; sleep 0.5
done
jqok '.rechecks[0] | .state == "done" and .unit == "市民政局" and .inspection == 4' "stored as inspection 4 of 市民政局"
kill $srv 2>/dev/null; wait $srv 2>/dev/null

# ---- 台账 ---------------------------------------------------------------------------
req r GET "/api/rounds/$R/ledger/info" -b zhang.jar
is 200 "an assessor reads the 政务信息 ledger of the round's year"
n16=$(sqlite3 web.db "SELECT COUNT(*) FROM info_submissions WHERE date LIKE '2016-%'")
jqok ".period == \"2016\" and (.units | length) > 40 and (.submissions | length) == $n16" "every unit's statistics; the $n16 submissions of 2016"
jqok '.units[] | select(.unit == "市发展改革委") | (.city_points | tonumber) > 0' "with the points a unit earned"
jqok '[.submissions[] | select(.adoptions | length > 0)] | length > 0' "submissions carry their adoptions"
req r GET "/api/rounds/$R/ledger/info" -b gaj.jar
is 200 "a unit account reads the ledger"
jqok '.unit == "市公安局" and (.units | map(.unit)) == ["市公安局"] and (.submissions | map(.title)) == ["市公安局开展禁毒宣传月活动"]' "its own row and item only"
jqok '(.units[0].city_quota | tonumber) == 80 and .units[0].submitted == 1' "its quota 80 and one item submitted"
req r GET "/api/rounds/$R/ledger/info/$U" -b gaj.jar
is 200 "its own unit by name"
req r GET "/api/rounds/$R/ledger/info/$MZJ" -b gaj.jar
is 404 "another unit's ledger rows are 404 to a unit account"
req r GET "/api/rounds/$R/ledger/info/$(printf %s 市发展改革委 | jq -sRr @uri)" -b zhang.jar
jqok '(.units | map(.unit)) == ["市发展改革委"] and (.submissions | length) > 0 and all(.submissions[]; .unit == "市发展改革委")' "an assessor narrows to one unit"
req r GET "/api/rounds/$R/ledger/tasks" -b zhang.jar
is 200 "an assessor reads the task ledgers"
jqok '(.rows | length) == 1 and .rows[0].unit == "市财政局" and .rows[0].status == "推进中" and .rows[0].plan == "pzh2017-tasks"' "the row of 市财政局, 推进中, under its plan"
req r GET "/api/rounds/$R/ledger/tasks" -b gaj.jar
jqok '.rows == [] and .unit == "市公安局" and all(.plans[]; has("rows") | not)' "a unit account sees none of another unit's task rows, nor how many there are"
req r GET "/api/rounds/$R/ledger/tasks/$(printf %s 市财政局 | jq -sRr @uri)" -b gaj.jar
is 404 "and naming that unit is 404"
req r GET "/api/rounds/$R/ledger/tasks/$(printf %s 财政局 | jq -sRr @uri)" -b zhang.jar
jqok '(.rows | length) == 1' "an assessor names it by its alias"

# ---- 文档下载: the reports' documents ------------------------------------------------
req rank-doc GET "/api/rounds/$R/documents/rank.xlsx" -b admin1.jar
is 200 "the office downloads the ranking as XLSX"
check python3 -c 'import zipfile,sys; z=zipfile.ZipFile("rank-doc.json"); s=z.read("xl/sharedStrings.xml").decode(); sys.exit(0 if "名次" in s and "市公安局" in s else 1)' -- "… a workbook with 名次 and the units"
req bull-doc GET "/api/rounds/$R/documents/bulletin.docx" -b zhang.jar
is 200 "an assessor downloads the 通报 as DOCX"
check python3 -c 'import zipfile,sys; z=zipfile.ZipFile("bull-doc.json"); s=z.read("word/document.xml").decode(); sys.exit(0 if "通报" in s else 1)' -- "… a Word document that is the 通报"
req r GET "/api/rounds/$R/documents/rank.xlsx" -b gaj.jar
is 403 "a unit account may not download the whole round's ranking"
req sheet-doc GET "/api/rounds/$R/units/$U/documents/sheet.pdf" -b gaj.jar
is 200 "a unit account downloads its own 考评表 as PDF"
check sh -c 'head -c 5 sheet-doc.json | grep -q "%PDF" && pdftotext sheet-doc.json - | grep -q 市公安局' -- "… a PDF of 市公安局's sheet"
req r GET "/api/rounds/$R/units/$MZJ/documents/sheet.xlsx" -b gaj.jar
is 404 "another unit's 考评表 is 404 to a unit account"
req r GET "/api/rounds/$R/units/$MZJ/documents/rectify.csv" -b zhang.jar
is 200 "an assessor downloads a unit's 整改清单 as CSV"
req r GET "/api/rounds/$R/documents/rank.exe" -b admin1.jar
is 404 "an unknown document type is 404"
check sh -c '! ls kaoping-files | grep -q "^doc-"' -- "no document file is left in the data directory"

# ---- eval new --table stored:N: a round of the table the admin imported ----------
# (the same kp_rnd_table_stored as GET /api/tables/stored:N; the table has
# no applies column, so every unit of the registry is assessed on it)
stored_round() {   # $1: prefix of the assertions; the rest: --db …
  local p=$1; shift
  run eval new --table stored:1 --units pzh-units --name web-2017-r --author demo "$@"
  expect_status 0 "${p}eval new --table stored:1 makes a round of the imported table"
  expect_out "已创建轮次“web-2017-r”：表 web-2017（2017年网站绩效评估指标），单位 82 个（pzh-units）" "${p}… its id and title as imported, all 82 units of the registry"
  run eval score --round web-2017-r --author demo "$@"
  expect_status 0 "${p}the round of the imported table scores"
  run eval rank --round web-2017-r --json "$@"
  check sh -c "jq -e '.table == \"web-2017\" and (.results | length) == 82 and all(.results[]; (.total | tonumber) == 4 and .max == 100 and .pending == 4)' _out" -- "${p}eval rank: 82 units on web-2017, without facts each 4 of 100 (基本信息's deductions), 4 rules pending"
  req r GET "/api/tables/round:web-2017-r:0" -b "$jar"
  jqok '.id == "web-2017" and .nodes == 8 and ([.. | objects | select(.code == "1.1.2")][0].rule_text == "倒扣分：每项扣2分")' "${p}the round keeps the imported table: web-2017, 8 indicators, 1.1.2 倒扣分：每项扣2分"
  run eval new --table stored:99 --units pzh-units --name web-x --author demo "$@"
  expect_status 2 "${p}eval new --table stored:99 (no such imported table) exits 2"
  expect_err "中没有编号为“99”的导入指标表" "${p}… saying there is no imported table 99"
  check sh -c "[ \$(grep -c . _err) = 1 ] && grep -qF -- '$where' _err" -- "${p}… in one line naming the database"
  run eval list "$@"
  check sh -c "! grep -q web-x _out" -- "${p}… and makes no round"
}
jar=admin1.jar where=$PWD/web.db
stored_round ""

# ---- shutdown ----------------------------------------------------------------------
kill -TERM "$spid"
for _ in $(seq 50); do kill -0 "$spid" 2>/dev/null || break; sleep 0.1; done
kill -0 "$spid" 2>/dev/null && kill -KILL "$spid"
wait "$spid"; STATUS=$?
expect_status 0 "serve exits 0 on SIGTERM"
no_sanitizer serve.err

# ---- the same routes on PostgreSQL (a fresh database on the test cluster) ----
pg_suite() {
  K eval new --table pzh2016-gk --author demo --db "$DB" >/dev/null 2>&1
  K eval facts add "$KP_ROOT/data/facts/sample-2016-gk.csv" --author demo --db "$DB" >/dev/null 2>&1
  K eval score --author demo --db "$DB" >/dev/null 2>&1
  ./sitegen serve pgport & srv=$!
  for _ in $(seq 50); do [ -s pgport ] && break; sleep 0.1; done
  S="http://127.0.0.1:$(cat pgport)"
  K inspect "$S/" --as-of 2024-06-30 --timeout 1 --retries 0 --round $R --unit 市公安局 --db "$DB" >/dev/null 2>&1
  K inspect "$S/" --as-of 2024-06-30 --timeout 1 --retries 0 --round $R --unit 市民政局 --db "$DB" >/dev/null 2>&1
  K info ledger import "$KP_ROOT/data/ledger/sample-2016" --db "$DB" >/dev/null
  K sites add 市公安局 "$S/" --db "$DB" >/dev/null 2>&1
  K user add pgadmin --role admin --db "$DB" <<<'admin-pass-1' >/dev/null
  K user add pggaj --role unit --unit 市公安局 --db "$DB" <<<'unit-pass-gaj' >/dev/null
  web_serve pgserve --db "$DB"
  login pgadmin admin-pass-1; pac=$csrf
  login pggaj unit-pass-gaj
  req r GET "/api/tables/round:$R:0" -b pgadmin.jar
  jqok '(.total | tonumber) == 100 and .nodes == 28' "postgresql: the round's table, 28 indicators, total 100"
  body=$(jq -n --arg c "$(base64 -w0 pub.csv)" '{filename:"pub.csv", content:$c, id:"web-2017"}')
  req r POST /api/tables/import -b pgadmin.jar -H "X-CSRF-Token: $pac" -H 'Content-Type: application/json' -d "$body"
  jqok '.stored == 1 and .ref == "stored:1"' "postgresql: the admin imports pub.csv, stored as imported table 1"
  jar=pgadmin.jar where=/$pgdb   # kp_store_where: "PostgreSQL HOST:PORT/DB"
  stored_round "postgresql: " --db "$DB"
  req r GET "/api/units/$R" -b pgadmin.jar
  jqok '.units[] | select(.name == "市公安局") | (.quota.city | tonumber) == 80 and (.accounts | map(.username)) == ["pggaj"] and (.sites | length) == 1' "postgresql: 市公安局's quota, account and site"
  req r POST /api/users -b pgadmin.jar -H "X-CSRF-Token: $pac" -H 'Content-Type: application/json' -d "{\"username\":\"pgmzj\",\"role\":\"unit\",\"unit\":\"民政局\",\"round\":\"$R\",\"password\":\"unit-pass-mzj\"}"
  jqok '.unit == "市民政局" and (has("password") | not)' "postgresql: the admin adds a unit account (a given password is not echoed)"
  req r GET "/api/rounds/$R/inspections" -b pggaj.jar
  jqok '(.inspections | map(.unit)) == ["市公安局"] and (.inspections[0].findings | length) > 0' "postgresql: a unit account lists its own inspection with its findings"
  req r GET "/api/rounds/$R/inspections/2" -b pggaj.jar
  is 404 "postgresql: another unit's inspection is 404"
  req r POST "/api/rounds/$R/inspections/1/recheck" -b pgadmin.jar -H "X-CSRF-Token: $pac" -d '{"as_of":"2024-06-30","timeout":1,"retries":0}'
  is 202 "postgresql: a re-inspection starts"
  for _ in $(seq 120); do
    req r GET "/api/rounds/$R/rechecks" -b pgadmin.jar
    jq -e '.rechecks[0].state != "running"' _out >/dev/null 2>&1 && break; sleep 0.5
  done
  jqok '.rechecks[0] | .state == "done" and .inspection == 3 and .nfindings > 0' "postgresql: stored as inspection 3 with its findings"
  kill $srv 2>/dev/null; wait $srv 2>/dev/null
  req r GET "/api/rounds/$R/ledger/info" -b pgadmin.jar
  jqok '.units[] | select(.unit == "市发展改革委") | (.city_points | tonumber) == 110' "postgresql: 市发展改革委 earned 110.00 city points"
  req r GET "/api/rounds/$R/ledger/info/$MZJ" -b pggaj.jar
  is 404 "postgresql: another unit's ledger rows are 404"
  kill -TERM "$spid"
  for _ in $(seq 50); do kill -0 "$spid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$spid" 2>/dev/null && kill -KILL "$spid"
  wait "$spid"; STATUS=$?
  expect_status 0 "postgresql: serve exits 0 on SIGTERM"
  no_sanitizer pgserve.err
}
on_postgresql kp_web_pages pg_suite
