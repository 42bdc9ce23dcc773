# Issue 12, the last pieces, as a user sees them: one line of the scheme
# decides whether 钒钛高新区管委会 is assessed on 政务公开 and 效能建设;
# `eval rank --by type` of a scheme round shows 满分, 得分, 得分率 and the
# converted points; times are printed in Beijing time (+08:00); the
# README's main command shows one unit 未完成 and one correction.

export KP_NO_PROGRESS=1 USER=测试员
DB=$PWD/t.db
S=$KP_ROOT/data/facts/pzh2016-sample.csv
J() { jq -r "$1" _out; }
has() { if [ "$(jq -r "$1" _out 2>/dev/null)" = "true" ]; then _ok "$2"; else _notok "$2 ($1)"; fi; }
bj() { # bj UTC: the same instant in Beijing time, as kaoping prints it
  date -u -d "@$(( $(date -u -d "$1" +%s) + 8 * 3600 ))" '+%Y-%m-%d %H:%M:%S+08:00'
}

# ---- 钒钛高新区管委会: one line of the scheme's data --------------------------
line='#meta,assess,钒钛高新区管委会=政务信息'
check test "$(grep -c '^#meta,assess,' "$KP_ROOT/data/schemes/pzh2016.csv")" = 1 -- "pzh2016: one #meta,assess line"
check grep -qxF "$line" "$KP_ROOT/data/schemes/pzh2016.csv" -- "…saying 钒钛高新区管委会 is assessed on 政务信息 only"
check grep -qF "$line" "$KP_ROOT/docs/scheme.md" -- "docs/scheme.md shows the same line"
check grep -qF '#meta,assess,钒钛高新区管委会=政务公开、效能建设、政务信息' "$KP_ROOT/docs/scheme.md" -- "…and the line an office writes to assess it on all three"
run eval new --scheme pzh2016 --db "$DB" --name s1
expect_status 0 "the bundled scheme: eval new exits 0"
expect_out "政务公开    pzh2016-gk            63 个单位" "today's reading: 政务公开 63 units (钒钛高新区管委会 not among them)"
expect_out "效能建设    pzh2016-xn            68 个单位" "…效能建设 68"
K eval facts add "$S" --db "$DB" --round s1 >/dev/null
K eval score --db "$DB" --round s1 >/dev/null
run eval rank --db "$DB" --round s1 --json
has '[.results[] | select(.unit == "钒钛高新区管委会") | [.parts[] | .label]] == [["政务信息"]]' "钒钛高新区管委会: 政务信息 only, +0.57"
sed 's/^#meta,assess,钒钛高新区管委会=政务信息$/#meta,assess,钒钛高新区管委会=政务公开、效能建设、政务信息/' \
  "$KP_ROOT/data/schemes/pzh2016.csv" >all3.csv
check test "$(diff "$KP_ROOT/data/schemes/pzh2016.csv" all3.csv | grep -c '^[<>]')" = 2 -- "the office changes one line"
run eval new --scheme "$PWD/all3.csv" --db "$DB" --name s2
expect_status 0 "the changed scheme: eval new exits 0 (the line prevails over the tables' applies 市级部门)"
expect_out "政务公开    pzh2016-gk            64 个单位" "政务公开 now 64 units"
expect_out "效能建设    pzh2016-xn            69 个单位" "效能建设 now 69"
expect_out "政务信息    pzh2016-info-gxq      1 个单位" "…and still 附件3 for 政务信息"
K eval facts add "$S" --db "$DB" --round s2 >/dev/null
printf '%s\n' "unit,table,indicator,kind,name,value,source" \
  "钒钛高新区管委会,pzh2016-gk,1.1,fail,,1,考核" >gxq.csv
run eval facts add gxq.csv --db "$DB" --round s2
expect_status 0 "a 政务公开 fact for 钒钛高新区管委会 is accepted once the scheme assesses it"
K eval score --db "$DB" --round s2 >/dev/null
run eval show 钒钛高新区管委会 --db "$DB" --round s2 --json
has '[.tables[] | .table] == ["pzh2016-gk", "pzh2016-xn", "pzh2016-info-gxq"]' "钒钛高新区管委会 scored on 政务公开, 效能建设 and 附件3"
has '[.tables[] | select(.table == "pzh2016-gk") | .total | tostring | tonumber] == [97.5]' "政务公开: 100 − 2.5 (1.1) = 97.50"
has '(.total * 100 | round) / 100 == 0.52' "合计: 政务公开 −0.05 + 效能建设 −0.00 + 政务信息 +0.57 = +0.52"
run eval facts add gxq.csv --db "$DB" --round s1
expect_status 2 "in the bundled scheme's round the same fact is refused"
expect_err "钒钛高新区管委会" "…naming the unit"
for bad in '钒钛高新区管委会=政务新闻' '某某局=政务信息' '钒钛高新区管委会'; do
  sed "s/^#meta,assess,.*/#meta,assess,$bad/" "$KP_ROOT/data/schemes/pzh2016.csv" >bad.csv
  run eval new --scheme "$PWD/bad.csv" --db "$DB" --name bad
  expect_status 2 "a bad #meta,assess line ($bad) exits 2"
  expect_err "bad.csv:16: #meta,assess" "…naming the file and line"
done
expect_err "应写成“单位=标签、标签”" "…and what it should be"

# ---- 5 never-assessed departments: not joint first with 100.00, but 未完成 ------
printf '%s\n' '#meta,format,kaoping-table/1' '#meta,kind,units' '#meta,id,seven' '#meta,title,七个部门' \
  'name,type,aliases' 甲局,市级部门, 乙局,市级部门, 丙局,市级部门, 丁局,市级部门, 戊局,市级部门, 己局,市级部门, 庚局,市级部门, >seven.csv
printf '%s\n' unit,indicator,kind,name,value,source 甲局,1.1,fail,,1,考核 '甲局,*,assessed,,,考核' '乙局,*,assessed,,,考核' >two.csv
K eval new --table pzh2016-gk --units seven.csv --db "$DB" --name seven >/dev/null
K eval facts add two.csv --db "$DB" --round seven >/dev/null
K eval score --db "$DB" --round seven >/dev/null
run eval rank --db "$DB" --round seven --json
has '[.results[] | [.rank, .unit, .total, .complete]] == [[1, "乙局", 100, true], [2, "甲局", 97.5, true], [3, "丙局", 100, false], [3, "丁局", 100, false], [3, "戊局", 100, false], [3, "己局", 100, false], [3, "庚局", 100, false]]' \
  "the 5 never-assessed departments: 100.00 provisional, incomplete, ranked 3 after the two assessed (not joint first)"
run eval rank --db "$DB" --round seven
check test "$(grep -cE '^3 +[丙丁戊己庚]局 +100\.00 .*未完成（4 项未评）$' _out)" = 5 -- "…each marked 未完成（4 项未评） in the text ranking"
expect_out "未完成：5 个单位还有未评指标" "…and counted"
run eval rank --final --db "$DB" --round seven
expect_status 2 "rank --final refuses"
expect_err "还有 5 个单位未完成，不能发布最终排名：丙局（4 项未评）、丁局（4 项未评）、戊局（4 项未评）、己局（4 项未评）、庚局（4 项未评）" "…naming the five"

# ---- eval rank --by type in a scheme round: 满分, 得分, 得分率, 折算 ------------
run eval rank --by type --db "$DB" --round s1
expect_status 0 "rank --by type exits 0"
expect_out "名次  单位                          满分    得分      得分率    折算合计  政务公开      效能建设      政务信息      结果" "the head: 满分, 得分, 得分率, 折算合计, then each part"
check grep -qE '^1 +市民政局 +300 +261\.30 +87\.10% +\+2\.01 +−0\.35 +−0\.00 +\+2\.36' _out -- "市民政局: 满分 300 (three tables), 得分 82.5 + 100 + 78.8 = 261.30, 87.10%, +2.01"
check grep -qE '^1 +钒钛高新区管委会 +100 +56\.80 +56\.80% +\+0\.57' _out -- "钒钛高新区管委会: 100, 56.80, 56.80%, +0.57 (附件3 alone)"
check grep -qE '^5 +东区人民政府 +200 +148\.80 +74\.40% +−0\.81' _out -- "东区人民政府 (县区): 5th of 5 on its converted −0.81 although its 得分 148.80 of 200 (74.40%) is the highest: the group ranks by the converted points"
run eval rank --by type --db "$DB" --round s1 --json
has '[.groups[] | .results[] | select(.unit == "市民政局") | [.max, .points, (.rate * 100 | round) / 100, (.total * 100 | round) / 100, .group_rank]] == [[300, 261.3, 87.1, 2.01, 1]]' "JSON: max, points, rate, total, group rank"

# ---- times in Beijing time ----------------------------------------------------------
run eval list --db "$DB"
c=$(K eval list --db "$DB" --json | jq -r '.[] | select(.name == "s1") | .created_at')
check sh -c "grep -E '^s1 ' _out | grep -qF '$(bj "$c")'" -- "eval list: s1 created at $(bj "$c") (stored $c)"
expect_out "创建时间（北京时间）" "…under a head that says so"
at=$(K eval log --db "$DB" --round s1 --json | jq -r '[.[] | select(.action == "score")] | last | .at')
run eval show 市民政局 --db "$DB" --round s1
expect_out "计分时间：$(bj "$at")（北京时间）" "eval show: scored at $(bj "$at") (stored $at)"
printf '%s\n' "unit,table,indicator,kind,name,value,source,time" \
  "市民政局,pzh2016-gk,2.1,fail,,1,考核,2016-12-31T16:30:00Z" >late.csv
K eval facts add late.csv --db "$DB" --round s1 >/dev/null
run eval facts list --unit 市民政局 --db "$DB" --round s1
check sh -c "grep -P '\t2\.1\t' _out | grep -qF '2017-01-01 00:30:00+08:00'" -- "facts list: 2016-12-31T16:30:00Z is shown as 2017-01-01 00:30:00+08:00"
check sh -c "grep -P '\t1\.1\t扣分.*考核' _out | grep -qP '\t2016-12-01\t'" -- "…a date as written"

# ---- the README's main command: one unit 未完成, one correction ----------------------
KP_DEMO_OUT=$PWD/demo-out bash "$KP_ROOT/scripts/demo.sh" "$KAOPING" >_out 2>_err; STATUS=$?
expect_status 0 "demo exits 0"
check sh -c "grep -A3 '^事实的更正与撤回：' _out | grep -qF '计入第 78 条：4.1 扣分 = 2（考核）'" -- "demo --explain: the correction that counts (市发展改革委 4.1, 2 次)"
check sh -c "grep -A3 '^事实的更正与撤回：' _out | grep -qF '取代了第 3 条：4.1 扣分 = 1（考核）'" -- "…and the fact it replaced"
check test "$(grep -c '^未完成：1 个单位还有未评指标' _out)" = 2 -- "demo: one unit 未完成 in each round"
expect_out "轮次“2016-pzh2016-gk”：63 个单位，62 个已完成，1 个未完成" "demo: 市住房城乡建设局 the one in the 政务公开 round"
check grep -qE '^63 +市住房城乡建设局 .*未完成（3 项未评）$' _out -- "…listed last"
check grep -qE '^80 +市公安局 .*有否决，未完成（10 项未评）$' _out -- "demo: 市公安局 the one in the scheme round (not yet assessed), listed last"
