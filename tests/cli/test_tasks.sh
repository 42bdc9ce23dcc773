# Black-box tests of `kaoping tasks dates|import|event|due|report` as a user
# sees them.  Sourced by tests/lib/runone.sh in an empty temporary directory
# with $KAOPING and $KP_ROOT set.  Every fixture is written here.

kr() {
  run "$@"
  if grep -qE 'ERROR: (Address|Leak|Undefined)Sanitizer|runtime error:' _err; then
    _notok "no sanitizer report from: kaoping $*"
  fi
}
one_msg() {
  if [ "$(wc -l <_err)" -eq 1 ] && grep -q '^kaoping: ' _err && grep -qF -- "$1" _err
  then _ok "$2"; else _notok "$2 (want exactly one 'kaoping: …$1…' line on stderr)"; fi
}
pyj() {   # pyj EXPR WHAT: EXPR true of d = JSON on stdout
  if python3 -S -c "import json,sys; d=json.load(open('_out')); sys.exit(0 if ($1) else 1)" 2>/dev/null
  then _ok "$2"; else _notok "$2 (python: $1)"; fi
}

# ---- dates: every deadline of seed 002 resolved -------------------------
kr tasks dates
expect_status 0 "tasks dates exits 0"
check cmp -s _out "$KP_ROOT/tests/ledger/data/pzh2017-due.txt" -- "tasks dates prints exactly tests/ledger/data/pzh2017-due.txt"
expect_out "123 | （原文缺失，序号保留）" "No. 123 is shown as missing in the source"
expect_out "N1 | 本通知公布后30个工作日内 | 2017-08-14" "the notice's 30 working days resolve to 2017-08-14"

kr tasks
expect_status 2 "tasks without a subcommand exits 2"
expect_err "tasks 需要子命令" "tasks without a subcommand lists them"
kr help
for c in "tasks dates" "tasks import" "tasks event" "tasks due" "tasks report"; do
  expect_out "$c" "help lists '$c'"
done

# ---- import: progress entries, all or nothing --------------------------
cat >good.csv <<'CSV'
序号,单位,日期,状态,说明,证据
9,市财政局,2017-07-20,推进中,正在梳理收费目录清单,
9,财政局,2017-07-28,已完成,已在门户网站公布,http://www.panzhihua.gov.cn/zwgk/sfqd/
8,市地税局,2017-07-15,推进中,专栏建设中,
N1,米易县,2017-08-10,已完成,实施方案已报送,
CSV
kr tasks import good.csv
expect_status 2 "import without --ledger exits 2"
one_msg "--ledger" "import without --ledger says so"
expect_no_file progress.csv "nothing written without --ledger"

kr tasks import good.csv --ledger progress.csv
expect_status 0 "a good progress file imports"
expect_out "已导入 4 条进展" "import reports the rows"
expect_file progress.csv "the ledger file is created"
check grep -q '^progress,9,市财政局,2017-07-28,已完成,已在门户网站公布,http://www.panzhihua.gov.cn/zwgk/sfqd/$' progress.csv -- "the alias 财政局 is stored as 市财政局"
check grep -q '^progress,N1,米易县人民政府,2017-08-10,已完成' progress.csv -- "米易县 is stored as 米易县人民政府"
cp progress.csv before.csv

refuse() {   # refuse FILE WANT WHAT: exit 2, one message, ledger untouched
  kr tasks import "$1" --ledger progress.csv
  expect_status 2 "$3: exits 2"
  one_msg "$2" "$3: one message naming the row"
  check cmp -s progress.csv before.csv -- "$3: nothing imported"
}
printf '序号,单位,日期,状态\n9,市财政局,2017-08-01,推进中\n9,市财政局,2017-02-30,已完成\n' >bad-date.csv
refuse bad-date.csv "bad-date.csv:3: 日期“2017-02-30”不是有效日期" "a bad date"
printf '序号,单位,日期,状态\n9,市财政局,2017-08-01,推进中\n9,市财务局,2017-08-02,已完成\n' >bad-unit.csv
refuse bad-unit.csv "bad-unit.csv:3: 单位“市财务局”不在单位名录中" "an unknown unit"
printf '序号,单位,日期,状态\n8,地税局,2017-07-15,推进中\n' >dup.csv
refuse dup.csv "dup.csv:2: 重复：第8项、市地税局、2017-07-15、推进中 已在台账 progress.csv 第" "a row already in the ledger"
printf '序号,单位,日期,状态\n8,市地税局,2017-08-15,推进中\n8,市地税局,2017-08-15,推进中\n' >dup2.csv
refuse dup2.csv "dup2.csv:3: 重复：与本文件第2行相同" "a row twice in one file"
printf '序号,单位,日期,状态\n123,市财政局,2017-08-15,推进中\n' >missing.csv
refuse missing.csv "missing.csv:2: 第123项在原文中缺失" "task 123"
printf '序号,单位,日期,状态\n5,市财政局,2017-08-15,推进中\n' >notlead.csv
refuse notlead.csv "notlead.csv:2: “市财政局”不是第5项的责任单位" "a unit that does not lead the task"

# ---- due ----------------------------------------------------------------
kr tasks due --as-of 2017-08-01 --unit 地税局 --ledger progress.csv
expect_status 0 "tasks due exits 0"
expect_out "第8项  市地税局" "task 8 is listed for 市地税局"
expect_out "2017-07-31（已过 1 天）" "task 8 was due 2017-07-31"
expect_out "最近进展：2017-07-15 推进中" "with its last progress entry"
expect_out "2017-08-14（还有 13 天）" "N1 falls due within 30 days"
expect_out "2017-08-25（还有 24 天）" "task 97 falls due within 30 days"
kr tasks due --as-of 2017-08-01 --unit 地税局 --days 5
check test "$(grep -c '还有' _out)" -eq 0 -- "--days 5 shows nothing due in the next 5 days"
kr tasks due --as-of 2017-08-01 --unit 市财政局 --json --ledger progress.csv
expect_status 0 "tasks due --json exits 0"
pyj "not [x for x in d['overdue'] if x['task']=='9']" "task 9 is done for 市财政局, not overdue"
pyj "[x for x in d['overdue'] if x['task']=='N1']==[] and [x for x in d['due_soon'] if x['task']=='N1' and x['due']=='2017-08-14' and x['days']==13]" "N1 due 2017-08-14 for 市财政局"
pyj "[x for x in d['waiting'] if x['task']=='N1']==[] and d['unit']=='市财政局'" "unit resolved in JSON"
kr tasks due
expect_status 2 "due without --as-of exits 2"
one_msg "--as-of" "due without --as-of says so"
kr tasks due --as-of 2017-13-01
expect_status 2 "a bad --as-of exits 2"
kr tasks due --as-of 2017-08-01 --unit 市不存在局
expect_status 2 "an unknown --unit exits 2"
one_msg "单位“市不存在局”不在单位名录中" "an unknown --unit is named"

# ---- events: relative deadlines -----------------------------------------
kr tasks dates --ledger progress.csv
expect_out "14 | 国家指导意见印发后60日内完成 | 待事件“国家指导意见印发”" "task 14 waits for its event"
kr tasks event 国家指导意见 2017-12-25 --ledger progress.csv
expect_status 2 "an event no deadline names is refused"
one_msg "方案中的事件：国家指导意见印发、本通知公布" "the refusal lists the plan's events"
kr tasks event 国家指导意见印发 2017-12-25 --ledger progress.csv --note 国办发〔2017〕94号
expect_status 0 "tasks event records the date"
kr tasks dates --ledger progress.csv
expect_out "14 | 国家指导意见印发后60日内完成 | 2018-02-23（国家指导意见印发 2017-12-25 后60日）" "task 14 resolves once the event is recorded"
expect_out "15 | 全年工作 | 2017-12-31" "task 15 (blank cell, carried from 17) is year-end"

# ---- beyond the calendar: an error, not a guess ----------------------
cp progress.csv late.csv
kr tasks event 本通知公布 2026-12-20 --ledger late.csv
expect_status 0 "an event late in 2026 can be recorded"
kr tasks due --as-of 2026-12-21 --ledger late.csv
expect_status 2 "counting working days past the calendar fails"
one_msg "只覆盖 2016—2026 年，无法判断 2027-01-01 是否工作日" "the error names the calendar's years and the date"

# ---- report -------------------------------------------------------------
kr tasks report --ledger progress.csv --json
expect_status 0 "tasks report --json exits 0"
pyj "d['year']==2017 and d['as_of']=='2017-12-31'" "report is for the plan year"
pyj "[u for u in d['units'] if u['unit']=='市财政局' and u['done_on_time']>=1]" "市财政局 has a task done on time"
pyj "[u for u in d['units'] if u['unit']=='米易县人民政府' and u['done_on_time']==1]" "米易县 has N1 done on time"
pyj "len(d['units'])>=70" "every lead unit has a row"
kr tasks report --ledger progress.csv --unit 市地税局
expect_status 0 "tasks report --unit exits 0"
expect_out "市地税局" "report shows the unit"
expect_out "完成率" "report has a completion column"

# ---- a plan from a file ------------------------------------------------
printf '#meta,format,kaoping-tasks/1\n#meta,year,2017\nno,leads,deadline\n1,市财政局,2017年7月底前\n1,市统计局,全年工作\n' >plan.csv
kr tasks dates --plan plan.csv
expect_status 2 "a plan with a duplicate number is refused"
one_msg "plan.csv:5: 序号“1”重复（第4行已有此项）" "the duplicate row is named"

# ---- an empty ledger file (touch) is an empty ledger --------------------
: >empty.csv
kr tasks import good.csv --ledger empty.csv
expect_status 0 "import into an empty (touched) ledger file exits 0"
check grep -q '^type,task,unit,date,status,note,url$' empty.csv -- "the empty ledger gets its header"
kr tasks event 国家指导意见印发 2017-02-30 --ledger empty.csv
expect_status 2 "tasks event with a bad date exits 2"
one_msg "事件日期“2017-02-30”不是有效日期" "tasks event names the bad date"

# ---- show: one task as printed, resolved and tracked -------------------
kr tasks show 22
expect_status 0 "tasks show 22 exits 0"
expect_out "责任单位（16 个）" "task 22: eleven departments and the five counties"
expect_out "牵头落实单位为第18–22项的合并单元格（原文印在第22项）" "task 22 says where its merged cell was printed"
kr tasks show 28
expect_out "原文问题：具体要求写“2017年6月底前" "task 28 shows its source quirk"
kr tasks show 9 --ledger progress.csv --json
expect_status 0 "tasks show --json exits 0"
pyj "d['leads']==['市发展改革委','市财政局'] or sorted(d['leads'])==sorted(['市财政局','市发展改革委'])" "task 9 leads"
pyj "d['assists']==['市人力资源和社会保障局','市地税局']" "task 9 assists"
pyj "d['dues']==[{'period':None,'due':'2017-07-31'}]" "task 9 due 2017-07-31"
pyj "len(d['progress'])==2 and d['progress'][1]['url'].startswith('http://')" "task 9 history with evidence URL"
kr tasks show 123
expect_status 2 "tasks show 123 exits 2"
one_msg "第123项在原文中缺失" "tasks show 123 says it is missing in the source"

# ---- seed 004: 安康's 需报送信息, a plan derived from ak2020-columns ------
kr tasks dates --plan ak2020
expect_status 0 "tasks dates --plan ak2020 exits 0"
expect_out "任务由指标表 ak2020-columns 导出：写了“需报送信息”的 24 项指标" "the derived plan says where its tasks come from"
check test "$(grep -c ' | 2020年9月20日前 | 2020-09-20$' _out)" -eq 24 -- "all 24 items are due 2020-09-20 (the notice's 9月20日前)"
kr tasks show 地方政府债务信息 --plan ak2020-reports
expect_status 0 "tasks show finds an item by its name"
expect_out "第1.4项  财政信息／地方政府债务信息" "…item 1.4"
expect_out "需报送信息：经济财政状况、债务发行、存续期管理等信息。" "show prints what must be reported"
expect_out "责任单位（11 个）：市财政局、汉滨区人民政府、汉阴县人民政府" "各县区 expands to the 2020 县区"
expect_out "旬阳县人民政府、白河县人民政府" "旬阳 is still a county in 2020"
kr tasks show 2.5 --plan ak2020
expect_out "未点名的单位：相关职能部门（原文没有点名，不逐个跟踪）" "等相关职能部门 is shown, not guessed"
kr tasks show 1.1 --plan ak2020
expect_status 2 "an item without 需报送信息 is no task"
one_msg "“1.1”不是方案 ak2020-reports 的任务" "and says so"

cat >ak.csv <<'CSV'
指标,单位,日期,状态,说明,证据
1.4,市财政局,2020-09-18,已完成,已报债务信息,http://www.ankang.gov.cn/czj/zfzw/
地方政府债务信息,旬阳县,2020-09-15,推进中,正在整理,
地方政府债务信息,旬阳县,2020/9/25,已完成,补报,
2.5,市自然资源,2020年9月10日,已完成,,
CSV
kr tasks import ak.csv --plan ak2020 --ledger ak-progress.csv
expect_status 0 "安康 progress imports"
expect_out "已导入 4 条进展" "…four rows"
check grep -q '^#meta,plan,ak2020-reports$' ak-progress.csv -- "the ledger names its plan"
check grep -q '^progress,1.4,旬阳县人民政府,2020-09-25,已完成,补报,$' ak-progress.csv -- "an item written by name is stored by code, 旬阳县 by its full name"
check grep -q '^progress,2.5,市自然资源局,2020-09-10,已完成' ak-progress.csv -- "the source's 市自然资源 is 市自然资源局"
cp ak-progress.csv ak-before.csv
akrefuse() {   # akrefuse FILE WANT WHAT
  kr tasks import "$1" --plan ak2020 --ledger ak-progress.csv
  expect_status 2 "$3: exits 2"
  one_msg "$2" "$3: one message naming the row"
  check cmp -s ak-progress.csv ak-before.csv -- "$3: nothing imported"
}
printf '指标,单位,日期,状态\n1.4,汉阴县,2020-09-19,已完成\n1.4,石泉县,2020-09-31,已完成\n' >ak-bad-date.csv
akrefuse ak-bad-date.csv "ak-bad-date.csv:3: 日期“2020-09-31”不是有效日期" "安康: a bad date"
printf '指标,单位,日期,状态\n1.4,汉阴县,2020-09-19,已完成\n1.4,安康高新区,2020-09-19,已完成\n' >ak-bad-unit.csv
akrefuse ak-bad-unit.csv "ak-bad-unit.csv:3: 单位“安康高新区”不在单位名录中" "安康: an unknown unit"
printf '指标,单位,日期,状态\n1.4,财政局,2020-09-18,已完成\n' >ak-dup0.csv
akrefuse ak-dup0.csv "ak-dup0.csv:2: 单位“财政局”不在单位名录中" "安康: 攀枝花's alias is not 安康's"
printf '指标,单位,日期,状态\n1.4,市财政局,2020-09-18,已完成\n' >ak-dup.csv
akrefuse ak-dup.csv "ak-dup.csv:2: 重复：第1.4项、市财政局、2020-09-18、已完成 已在台账 ak-progress.csv 第" "安康: a row already in the ledger"
printf '指标,单位,日期,状态\n2.4,市自然资源局,2020-09-19,已完成\n征收土地信息,市自然资源局,2020-09-19,已完成\n' >ak-dup2.csv
akrefuse ak-dup2.csv "ak-dup2.csv:3: 重复：与本文件第2行相同" "安康: the same row by code and by name"
printf '指标,单位,日期,状态\n1.4,市审计局,2020-09-19,已完成\n' >ak-notlead.csv
akrefuse ak-notlead.csv "ak-notlead.csv:2: “市审计局”不是第1.4项的责任单位" "安康: a unit that does not build that column"

kr tasks due --plan ak2020 --as-of 2020-09-21 --ledger ak-progress.csv --unit 白河县
expect_status 0 "tasks due for 安康 exits 0"
expect_out "第1.4项  白河县人民政府" "白河县 has not reported its 债务 information"
expect_out "2020-09-20（已过 1 天）  2020年9月20日前  地方政府债务信息" "…due 2020-09-20, named"
kr tasks report --plan ak2020 --ledger ak-progress.csv --json
expect_status 0 "tasks report for 安康 exits 0"
pyj "len(d['units'])==34 and sum(u['tasks'] for u in d['units'])==94" "34 units, 94 obligations (24 items × their 建设单位)"
pyj "[u for u in d['units'] if u['unit']=='市财政局' and u['tasks']==7 and u['done_on_time']==1 and u['not_done']==6]" "市财政局: 7 items, 1 on time, 6 not done"
pyj "[u for u in d['units'] if u['unit']=='旬阳县人民政府' and u['done_late']==1]" "旬阳县 reported late"
kr tasks report --ledger ak-progress.csv
expect_status 2 "a 安康 ledger is not read against the 攀枝花 plan"
one_msg "这是方案“ak2020-reports”的进展台账，不能按方案“pzh2017-tasks”读（用 --plan ak2020-reports）" "and says which plan it belongs to"

# ---- no deadline in the text: 时限未定, shown and never guessed --------
printf '#meta,format,kaoping-tasks/1\n#meta,id,ak-nodl\n#meta,year,2020\n#meta,table,ak2020-columns\n' >nodl.csv
kr tasks dates --plan nodl.csv
expect_status 0 "a derived plan without a deadline loads"
check test "$(grep -c '| （未写时限） | 时限未定：原文没有写这项的时限，不猜测' _out)" -eq 24 -- "every item shows 时限未定"
kr tasks due --plan nodl.csv --as-of 2020-12-31
expect_status 0 "tasks due with no deadlines exits 0"
expect_out "时限未定、尚无进展（原文没有写时限，不算逾期也不算到期）" "due lists them apart"
expect_out "合计：逾期 0，30 天内到期 0，待事件 0（事件日期登记后才能算出时限：kaoping tasks event），时限未定 94" "none is called overdue"
kr tasks report --plan nodl.csv
expect_out "时限未定(已完成)" "report has a 时限未定 column"
check grep -qE '^市财政局 +7 +0 +0 +0 +0 +0 +0 +7\(0\) +—$' _out -- "市财政局: 7 items, all 时限未定, no rate"
