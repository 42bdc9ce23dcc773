# interaction.unanswered (issue 13): a 留言/信箱 column's letters with a
# 来信日期 or 留言时间 and no reply after 3 months (92 days before
# --as-of), within the year before it, as the national indicators count
# 互动回应差 — against /ly/ of tools/sitegen.c (its letters are listed
# there with what each one tests).

export USER=检测员
. "$KP_ROOT/tests/lib/sitegen.sh"
run inspect "$S/ly/index.html" --as-of 2026-12-07 --timeout 2 --retries 0 --json
expect_status 1 "the /ly/ site is inspected (with findings)"
has "[.findings[] | select(.check == \"interaction.unanswered\") | [.title, .severity, .message, .evidence.url]] == [[\"留言未回复\", \"否决\", \"栏目“市长信箱”有 3 条留言超过 3 个月未回复（最早来信 2026-03-02）\", \"$S/ly/xx/index.html\"]]" \
  "one finding for 市长信箱: 3 letters (未回复, no reply section, 暂无回复), not the recent, the replied or the year-old one"
has ".findings[] | select(.check == \"interaction.unanswered\") | .evidence.snippet == \"$S/ly/xx/5.html $S/ly/xx/4.html $S/ly/xx/3.html\"" \
  "the oldest letters' URLs, oldest first (one from the list's second page; 留言时间 with a time read)"
has '[.findings[] | select(.check == "interaction.unanswered") | .message | select(test("访谈"))] == []' \
  "在线访谈 is left out, as the indicators leave it out"
has '[.findings[] | select(.check == "interaction.unanswered") | .key] == ["栏目：市长信箱"]' \
  "its key is the column's name"
run inspect "$S/ly/index.html" --as-of 2026-09-20 --timeout 2 --retries 0 --json
has '[.findings[] | select(.check == "interaction.unanswered") | .message] == ["栏目“市长信箱”有 2 条留言超过 3 个月未回复（最早来信 2026-03-02）"]' \
  "as of 2026-09-20 the letter of 2026-07-01 is not yet 3 months (92 days) old"

# ---- a fact: the veto of 互动回应差 (gov2019-web-check indicator 5) ----------------
DB=$PWD/i.db
K eval new --table gov2019-web-check --units "$KP_ROOT/tests/store/data/hand-units.csv" --db "$DB" --name web >/dev/null
run inspect "$S/ly/index.html" --as-of 2026-12-07 --timeout 2 --retries 0 --db "$DB" --round web --unit 甲局
run inspect facts 1 --db "$DB" -o f.csv
expect_status 0 "inspect facts exits 0"
check grep -qxF "甲局,gov2019-web-check,5,veto,,,inspect,kaoping inspect,2026-12-07,$S/ly/xx/index.html,栏目“市长信箱”有 3 条留言超过 3 个月未回复（最早来信 2026-03-02）,1" f.csv \
  -- "the finding is the veto of indicator 5 (互动回应差), the column's URL as evidence"
