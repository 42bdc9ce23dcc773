# kaoping inspect review: a person's decision on a stored finding (issue 13).
# The /pg/ site of tools/sitegen.c has content findings (an ID number, a
# bank card, a mobile number, a wording error, a typo).  Inspected into a
# gov2019-web-check round: an unconfirmed wording error gives no fact, a
# confirmed one is the veto of indicator 1 (严重表述错误); an ID number
# reviewed as a false alarm is not raised again when the unit is
# re-inspected, and the JSON lists it under false_alarms.  On SQLite and,
# when KP_TEST_PG names a server, PostgreSQL.

export USER=复核员
. "$KP_ROOT/tests/lib/sitegen.sh"
D=$KP_ROOT/tests/store/data
I() { run inspect "$S/pg/index.html" --as-of 2026-12-07 --timeout 2 --retries 0 "$@"; }
ord() { # ord CHECK MESSAGE-REGEX: the finding's number (from 1) in _out
  jq -r --arg c "$1" --arg m "$2" '[.findings | to_entries[] | select(.value.check == $c and (.value.message | test($m))) | .key + 1] | first // 0' _out
}

suite() {
  be=$1
  local w id p
  echo "# ---- backend: $be"
  K eval new --table gov2019-web-check --units "$D/hand-units.csv" --db "$DB" --name web >/dev/null
  I --db "$DB" --round web --unit 甲局 --json
  expect_status 1 "$be: the /pg/ site stored as inspection 1"
  w=$(ord content.wording 台湾政府); id=$(ord content.pii 公民身份号码); p=$(ord content.pii 手机号码)
  check test "$w" -gt 0 -a "$id" -gt 0 -a "$p" -gt 0 -- "$be: the wording error, the ID number and the mobile number are findings ($w, $id, $p)"

  # ---- unconfirmed: no fact ---------------------------------------------------------
  run inspect facts 1 --db "$DB" -o f0.csv
  expect_status 0 "$be: inspect facts exits 0"
  check sh -c "! grep -q ',1,veto,' f0.csv" -- "$be: an unconfirmed wording error gives no fact"
  check sh -c "! grep -q 'gs.html' f0.csv" -- "$be: …nor does any unconfirmed content finding"

  # ---- refused reviews ----------------------------------------------------------------
  run inspect review 1 --finding "$w" --db "$DB"
  expect_status 2 "$be: neither --confirm nor --false-alarm exits 2"
  expect_err "--confirm（确认属实）或 --false-alarm（误报）之一" "$be: …saying which to give"
  run inspect review 1 --finding "$w" --confirm --false-alarm --db "$DB"
  expect_status 2 "$be: both exits 2"
  run inspect review 1 --finding 999 --confirm --db "$DB"
  expect_status 2 "$be: a finding the inspection lacks exits 2"
  expect_err "检测 1 中没有第 999 条发现" "$be: …naming it"
  run inspect review 7 --finding 1 --confirm --db "$DB"
  expect_status 2 "$be: an unknown inspection exits 2"
  expect_err "没有编号为 7 的检测" "$be: …naming it"

  # ---- confirmed: the fact --------------------------------------------------------------
  run inspect review 1 --finding "$w" --confirm --note "已核实，责令整改" --db "$DB" --json
  expect_status 0 "$be: review --confirm exits 0"
  has ".review == 1 and .inspection == 1 and .finding == $w and .decision == \"confirmed\"" "$be: the review's number and decision"
  run inspect facts 1 --db "$DB" -o f1.csv
  check grep -qxF "甲局,gov2019-web-check,1,veto,,,inspect,kaoping inspect,2026-12-07,$S/pg/gs.html,严重表述错误：“台湾政府”应为“台湾当局（涉台表述）”,1" f1.csv -- "$be: the confirmed wording error is the veto of indicator 1, with its page"
  check test "$(grep -c 'gs.html' f1.csv)" = 1 -- "$be: …and the only content fact (the personal data is not confirmed)"

  # ---- a false alarm: not raised again ----------------------------------------------------
  run inspect review 1 --finding "$id" --false-alarm --note "公示要求列出的测试数据" --db "$DB"
  expect_status 0 "$be: review --false-alarm exits 0"
  expect_out "为误报，此单位以后的检测不再报告它" "$be: …saying what it does"
  run inspect show 1 --db "$DB"
  check sh -c "grep -A1 -F '$id. [严重] 敏感信息  页面公开了公民身份号码 5104**********1234' _out | grep -qF '复核：误报：公示要求列出的测试数据（复核员'" -- "$be: show prints the finding's number and its review"
  check sh -c "grep -A1 -F '$w. [严重] 表述错误' _out | grep -qF '复核：确认属实：已核实，责令整改'" -- "$be: …and the confirmed one's"
  run inspect show 1 --db "$DB" --json
  has "[.findings[] | select(.review) | [.check, .review.decision, .review.label]] == [[\"content.pii\", \"false_alarm\", \"误报\"], [\"content.wording\", \"confirmed\", \"确认属实\"]]" "$be: show --json: each finding's review"
  I --db "$DB" --round web --unit 甲局 --json
  expect_status 1 "$be: re-inspection stored as inspection 2"
  has '[.findings[] | select(.check == "content.pii") | .message] == ["页面公开了手机号码 138****5678", "页面公开了银行卡号 622202*********6781"]' "$be: the ID number is not raised again; the other personal data is"
  has "[.false_alarms[] | [.check, .message, .evidence.url, .review.note]] == [[\"content.pii\", \"页面公开了公民身份号码 5104**********1234\", \"$S/pg/gs.html\", \"公示要求列出的测试数据\"]]" "$be: the JSON lists what was left out, with its review"
  has '.inspection.id == 2 and ([.changes.fixed[] | .check] == ["content.pii"])' "$be: against inspection 1 the ID number is gone"
  I --db "$DB" --round web --unit 乙局 --json
  has '[.findings[] | select(.check == "content.pii")] | length == 3' "$be: another unit still gets the ID number"
  I --db "$DB" --round web --unit 甲局
  expect_out "复核为误报、本次不再报告的发现 1 条" "$be: the text summary says one was left out"
  run inspect facts 2 --db "$DB" -o f2.csv
  check grep -qF "甲局,gov2019-web-check,1,veto,,,inspect,kaoping inspect,2026-12-07,$S/pg/gs.html," f2.csv -- "$be: the confirmed wording error is a fact again in the re-inspection (same URL and text)"
  run eval log --db "$DB" --json
  has '[.[] | select(.action == "inspect-review") | .who] == ["复核员", "复核员"]' "$be: two audit rows, by the reviewer"
  has "[.[] | select(.action == \"inspect-review\") | .detail] | .[1] | test(\"复核检测 1 第 $id 条发现.*误报；公示要求列出的测试数据\")" "$be: …saying what was decided"
}

DB=$PWD/r.db
suite sqlite
on_postgresql kp_review suite postgresql
