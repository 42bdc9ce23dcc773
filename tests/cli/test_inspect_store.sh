# kaoping inspect --round --unit: inspections stored in a round and compared
# with the one before.  The test site of tools/sitegen.c is inspected, then
# changed the way an office would (PORTFILE.v2: the missing image is back,
# the blank column 政策解读 has items, /files/plan.pdf is gone) and
# inspected again; the exact URLs reported new and fixed are asserted.  Bad
# rounds and units store nothing; a process killed while storing leaves
# nothing half-written.  Runs on SQLite and, when KP_TEST_PG names a
# server (tests/run.sh starts one), again on PostgreSQL.  Then (SQLite)
# inspections become facts of gov2019-web-check and are scored.

export KP_NO_PROGRESS=1 USER=检测员
cc -O1 -o sitegen "$KP_ROOT/tools/sitegen.c" -lz || { echo "not ok - build sitegen"; exit 1; }
./sitegen serve port & srv=$!
trap 'kill $srv 2>/dev/null; wait $srv 2>/dev/null' EXIT
for _ in $(seq 50); do [ -s port ] && break; sleep 0.1; done
S="http://127.0.0.1:$(cat port)"
D=$KP_ROOT/tests/store/data
J() { jq -r "$1" _out; }
has() { # has JQ-FILTER what: the filter yields true
  if [ "$(jq -r "$1" _out 2>/dev/null)" = "true" ]; then _ok "$2"; else _notok "$2 ($1)"; fi
}
I() { run inspect "$S/" --as-of 2024-06-30 --timeout 1 --retries 0 "$@"; }
one_line_err() { check test "$(wc -l < _err)" -eq 1 -- "$1"; }
sql() { # sql QUERY: one value, from whichever backend DB is
  if [ "$be" = sqlite ]; then sqlite3 "$DB" "$1"; else psql "$DB" -qAtc "$1"; fi
}
stored() { K inspect history --db "$DB" --json | jq length; }

suite() {
  be=$1
  local n1 t1
  echo "# ---- backend: $be"
  rm -f port.v2
  K eval new --table "$D/hand-table.csv" --units "$D/hand-units.csv" --db "$DB" >/dev/null

  # ---- refused before the crawl, nothing stored --------------------------------
  I --db "$DB" --round 不存在 --unit 甲局
  expect_status 2 "$be: an unknown --round exits 2"
  expect_err "没有名为“不存在”的轮次" "$be: …naming the round"
  one_line_err "$be: …in one message"
  I --db "$DB" --round 2016-hand --unit 丁局
  expect_status 2 "$be: a unit not in the round exits 2"
  expect_err "单位“丁局”不在轮次“2016-hand”的单位中" "$be: …naming the unit and round"
  one_line_err "$be: …in one message"
  I --db "$DB" --round 2016-hand
  expect_status 2 "$be: --round without --unit exits 2"
  expect_err "--round 要与 --unit 一起使用" "$be: …saying --unit is needed"
  I --db "$DB"
  expect_status 2 "$be: --db without --round exits 2"
  check test "$(stored)" = 0 -- "$be: nothing stored by refused inspections"

  # ---- the first inspection: stored, everything new ------------------------------
  I --db "$DB" --round 2016-hand --unit 甲 --json
  expect_status 1 "$be: an inspection with findings still exits 1 when stored"
  has '.inspection.id == 1 and .inspection.unit == "甲局" and .inspection.round == "2016-hand" and .inspection.author == "检测员"' "$be: stored under the canonical unit (given by its alias)"
  has '.changes.previous == null and (.changes.new | length) == (.findings | length) and .changes.fixed == [] and .changes.still == 0' "$be: a first inspection: previous null, every finding new"
  has "[.findings[] | select(.check == \"links.dead\" and .key == \"$S/img/missing.png\")] | length == 1" "$be: a dead link's key is its URL"
  has '[.findings[] | select(.check == "column.blank" and .key == "栏目：政策解读")] | length == 1' "$be: a column's key is its name"
  has '[.findings[] | select(.key == null)] == []' "$be: every finding has a key"
  n1=$(J '.findings | length'); t1=$(J .inspection.finished_at)

  # ---- the office fixes two problems and breaks a link; re-inspect ----------------
  touch port.v2
  I --db "$DB" --round 2016-hand --unit 甲局 --json
  expect_status 1 "$be: re-inspection exits 1"
  has ".changes.previous == \"$t1\" and .changes.previous_id == 1 and .inspection.id == 2" "$be: compared with inspection 1, by its time"
  has "[.changes.new[] | .url] == [\"$S/files/plan.pdf\"]" "$be: new: exactly the newly dead /files/plan.pdf"
  has '[.changes.new[] | .check] == ["links.dead"]' "$be: …as a dead link"
  has "[.changes.fixed[] | .url] | sort == [\"$S/col/col4/index.html\", \"$S/img/missing.png\"]" "$be: fixed: exactly the image and the blank column"
  has "[.changes.fixed[] | select(.check == \"column.blank\" and .key == \"栏目：政策解读\")] | length == 1" "$be: the blank column 政策解读 is fixed"
  has ".changes.still == $((n1 - 2)) and (.findings | length) == $((n1 - 1))" "$be: still present: all but the two fixed ($((n1 - 2)))"

  # ---- nothing changed: the text summary says so ------------------------------------
  I --db "$DB" --round 2016-hand --unit 甲局
  expect_status 1 "$be: third inspection exits 1"
  expect_out "已存入数据库：轮次“2016-hand”，单位“甲局”，检测编号 3" "$be: the summary says where it is stored"
  expect_out "与上次检测（编号 2，" "$be: …and what it is compared with"
  expect_out "新发现 0 条，已整改 0 条，仍存在 $((n1 - 1)) 条" "$be: …and that nothing changed"

  # ---- reading them back --------------------------------------------------------------
  run inspect history --db "$DB" --unit 甲局 --json
  expect_status 0 "$be: history exits 0"
  has "[.[] | .id] == [1, 2, 3] and [.[] | .changes.new | length] == [$n1, 1, 0] and [.[] | .changes.fixed | length] == [0, 2, 0]" "$be: history: three inspections, new 全部/1/0, fixed 0/2/0"
  run inspect history --db "$DB"
  expect_out "轮次“2016-hand”的网站检测" "$be: history as text"
  check sh -c "grep -E '^2 .*甲局 .* 1 +2 +http' _out" -- "$be: history row 2: 1 new, 2 fixed"
  run inspect show 2 --db "$DB"
  expect_status 0 "$be: show exits 0"
  expect_out "检测编号 2：轮次“2016-hand”，单位“甲局”" "$be: show names the inspection"
  check sh -c "grep -A1 '^新发现：' _out | grep -qF '$S/files/plan.pdf'" -- "$be: show lists the new dead link"
  check sh -c "grep -A2 '^已整改：' _out | grep -qF '$S/img/missing.png'" -- "$be: show lists the fixed image"
  run inspect show --unit 甲 --db "$DB" --json
  has ".inspection.id == 3 and .site == \"$S/\" and .changes.previous_id == 2 and (.dead_links | length) == 6" "$be: show --unit: the latest, as inspect --json printed it"
  run inspect show 99 --db "$DB"
  expect_status 2 "$be: an unknown inspection number exits 2"
  expect_err "没有编号为 99 的检测" "$be: …naming it"
  run eval log --db "$DB" --json
  has '[.[] | select(.action == "inspect")] | length == 3' "$be: three audit rows"

  # ---- killed while storing: nothing half-written -----------------------------------------
  KP_TEST_KILL_AFTER=3 I --db "$DB" --round 2016-hand --unit 乙局
  expect_status 137 "$be: killed after three findings"
  check test "$(stored)" = 3 -- "$be: the killed inspection is not stored"
  run eval log --db "$DB" --json
  has '[.[] | select(.action == "inspect")] | length == 3' "$be: …nor audited"
  check test "$(sql 'SELECT COUNT(*) FROM inspection_findings')" = "$(sql 'SELECT SUM(nfindings) FROM inspections')" -- "$be: no stray findings"
  I --db "$DB" --round 2016-hand --unit 乙局 --json
  has '.inspection.id > 3 and .inspection.unit == "乙局" and .changes.previous == null' "$be: the store still takes the next one"
  check test "$(stored)" = 4 -- "$be: …and keeps it"
}

# ---- SQLite ----------------------------------------------------------------------
DB=$PWD/k.db
suite sqlite

# ---- without --round: keys in the JSON, nothing stored ------------------------------
rm -f port.v2
I --json
has "[.findings[] | select(.key == null)] == [] and ([.findings[] | select(.check == \"links.dead\") | .key] | index(\"$S/img/missing.png\") != null) and .inspection == null and .changes == null" "keys without a store; no inspection, no changes"
check test "$(stored)" = 4 -- "an inspection without --round stores nothing"

# ---- findings as facts of the round's table (data/inspect/facts-map.csv) -------------
DB=$PWD/web.db
K eval new --table gov2019-web-check --units "$D/hand-units.csv" --db "$DB" --name web >/dev/null
I --db "$DB" --round web --unit 甲局
run inspect facts --unit 甲局 --db "$DB" -o f1.csv
expect_status 0 "inspect facts exits 0"
expect_err "检测编号 1（轮次“web”，单位“甲局”，表 gov2019-web-check）：事实 4 条" "inspect facts counts the facts"
check test "$(tail -n +2 f1.csv | grep -v ',assessed,' | cut -d, -f3 | sort | tr '\n' ' ')" = "7.1.3.1 7.1.3.1 7.1.3.1 7.1.3.1 " -- "facts: the 4 confirmed dead links, one count each of 功能设计/其他扣分 (no 政策文件 column is stale; stale and blank columns of other classes have no row of their own below the veto)"
expect_err "另有已检查指标 7 个" "inspect facts: the checks that ran declare the nodes they cover"
check test "$(grep ',assessed,' f1.csv | cut -d, -f3 | sort | tr '\n' ' ')" = "1 2 3 4 5 7.1.1.1 7.1.3.1 " -- "facts: the map's seven covered nodes (1 and 5: the content and interaction checks) as assessed facts of source inspect (a check that ran and passed is a fact)"
check grep -qxF "甲局,gov2019-web-check,7.1.3.1,fail,,1,inspect,kaoping inspect,2024-06-30,$S/files/missing.docx,死链：附件（HTTP 404），1 处链接到它,1" f1.csv -- "a fact: source 检测, the dead attachment's URL as evidence, inspection 1 in its last column"
check test "$(head -n 1 f1.csv)" = "unit,table,indicator,kind,name,value,source,author,time,url,note,inspection" -- "inspect facts: the header has the inspection column"
check test "$(tail -n +2 f1.csv | awk -F, '{print $NF}' | sort -u | tr '\n' ' ')" = "1 " -- "inspect facts: every fact (the 4 failures and the 7 covered nodes) carries inspection 1"
check grep -qF "甲局,gov2019-web-check,7.1.3.1,fail,,1,inspect,kaoping inspect,2024-06-30,$S/img/missing.png," f1.csv -- "a fact: the dead image's URL as evidence"
I --db "$DB" --round web --unit 乙局 --as-of 2024-08-01
run inspect facts 2 --db "$DB" -o f2.csv
check grep -qF "乙局,gov2019-web-check,3,veto,,,inspect,kaoping inspect,2024-08-01,$S/,首页 34 天未更新" f2.csv -- "homepage not updated in 14 days: the veto item 3"
check grep -qF "乙局,gov2019-web-check,4,veto,,,inspect,kaoping inspect,2024-08-01,$S/,未按期更新的栏目 5 个" f2.csv -- "≥5 stale columns: the veto item 4"
check test "$(tail -n +2 f2.csv | awk -F, '{print $NF}' | sort -u | tr '\n' ' ')" = "2 " -- "inspect facts 2: every fact carries inspection 2"
run eval facts add f1.csv --db "$DB"
expect_status 0 "the facts are accepted by eval facts add"
run eval facts list --unit 甲局 --db "$DB" --json
has '[.[] | .inspection] | unique == [1] and length == 11' "stored in the round, the 11 facts of 甲局 name inspection 1"
run eval facts add f2.csv --db "$DB"
K eval score --db "$DB" >/dev/null
run eval rank --db "$DB" --json
has '[.results[] | select(.unit == "甲局") | .total] == [96]' "eval score: 甲局 100 − 4 × 1 (死链，功能设计/其他扣分) = 96.00"
has '[.results[] | select(.unit == "乙局") | .vetoed] == [true]' "eval score: 乙局 vetoed by the inspection"
run eval show 甲局 --db "$DB" --json
has '[.nodes[] | select(.code == "7.1") | .score] == [71]' "7.1 发布解读、互动交流、功能设计: 75 − 4 = 71.00"
printf 'table,indicator,kind,check\ngov2019-web-check,9.9,fail,links.dead\n' > bad-map.csv
run inspect facts 1 --db "$DB" --map bad-map.csv -o out.csv
expect_status 2 "a bad map exits 2"
expect_err "bad-map.csv:2: 表 gov2019-web-check 中没有指标“9.9”" "…naming the file, line and indicator"
expect_no_file out.csv "…and writes nothing"
run inspect facts 1 --db "$PWD/k.db"
expect_status 2 "a round whose table the map does not cover exits 2"
expect_err "中没有表 hand 的行" "…saying so"

# ---- a re-inspection of the fixed site, through inspect facts: the same
# problems are not counted twice (issue 12) ------------------------------------------
touch port.v2
I --db "$DB" --round web --unit 甲局
run inspect facts --unit 甲局 --db "$DB" -o f3.csv
expect_err "检测编号 3（轮次“web”，单位“甲局”" "the re-inspection of 甲局 is inspection 3"
check test "$(tail -n +2 f3.csv | awk -F, '{print $NF}' | sort -u | tr '\n' ' ')" = "3 " -- "…and every fact of it names inspection 3"
check test "$(grep -c ',7.1.3.1,fail,' f3.csv)" = 4 -- "the fixed site: still 4 dead links (the image is back, /files/plan.pdf is newly dead)"
check sh -c "! grep -qF '$S/img/missing.png' f3.csv && grep -qF '$S/files/plan.pdf' f3.csv" -- "…the fixed image gone from the facts, the new dead attachment in them"
run eval facts add f3.csv --db "$DB"
expect_status 0 "the re-inspection's facts are accepted"
K eval score --db "$DB" >/dev/null
run eval rank --db "$DB" --json
has '[.results[] | select(.unit == "甲局") | .total] == [96]' "re-inspection: 甲局 96.00 on the latest inspection's 4 dead links, not 92.00 (the first inspection's 4 counted again)"
run eval show 甲局 --db "$DB" --explain
expect_out "计入第 25 条：7.1.3.1 扣分 = 1（检测，检测 3）" "--explain: the latest inspection's fact counts, naming inspection 3"
expect_out "取代了第 1 条：7.1.3.1 扣分 = 1（检测，检测 1）" "…and the first inspection's facts it replaced, naming inspection 1"
rm -f port.v2

# ---- PostgreSQL --------------------------------------------------------------------
on_postgresql kp_inspect suite postgresql
