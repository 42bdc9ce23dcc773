# kaoping inspect on pages of the shapes real government sites have
# (issue 13): what a person reads in the JSON — each column's newest date
# and what decided it, the footer's record numbers and sponsor, column
# classes, the Chinese title of every finding — against /pg/ of
# tools/sitegen.c.

. "$KP_ROOT/tests/lib/sitegen.sh"
run inspect "$S/pg/index.html" --as-of 2026-12-07 --timeout 2 --retries 0 --json
expect_status 1 "the /pg/ site is inspected (with findings)"

# ---- year-less list dates ----------------------------------------------------
col 统计信息 '.latest_date == "2026-03-21" and .date_source == "url"' \
  "统计信息: [03-21] of ./202603/t20260321_… is 2026-03-21 (not [11-13] as 2026-11-13)"
col 生态环境 '.latest_date == "2025-12-10" and .date_source == "as_of"' \
  "生态环境: [12-10] before the as-of day 2026-12-07 is 2025-12-10, and [11-17] below it 2025 (not 2026-11-17)"
col 政府网站工作年度报表 '.latest_date == "2026-01-19" and .date_source == "url"' \
  "政府网站工作年度报表: 2026-01-19, not the 2019 item's [01-20] as 2026-01-20"
has '.homepage.latest_date == "2026-12-01" and .homepage.date_source == "item"' \
  "the homepage's newest date and its source"

# ---- classes, a directory ------------------------------------------------------
col 市退役军人事务局机构职能 '.class == "机构职能"' "市退役军人事务局机构职能 is 机构职能, not 人事信息"
col 部门目录 '.items == 44 and .undated == 44' "部门目录: all 44 short department names counted"

# ---- the footer ------------------------------------------------------------------
has '.footer.icp == "京ICP备19054529号-1"' "ICP number split by inline tags: 京ICP备19054529号-1"
has '.footer.sponsor == "中共青岚市委、青岚市人民政府"' \
  "a sponsor without a label, from the footer (not the article's 主办单位)"
has '.footer.contact == "0532-85911000"' "the footer's telephone, not the article's 联系方式"
has '.footer.site_id_code == "3702000001"' "网站标识码"

# ---- findings a person reads -------------------------------------------------------
has '[.findings[] | select(.title == null or (.title | test("^[a-z]")))] == []' \
  "every finding has a Chinese title"
has '[.findings[] | select(.check == "footer.elements") | .title] | unique == ["底部要素"]' \
  "footer.elements is 底部要素, the id kept as check"

# ---- content checks ------------------------------------------------------------------
has "[.findings[] | select(.check == \"content.pii\" and .title == \"敏感信息\" and .severity == \"严重\" and .evidence.url == \"$S/pg/gs.html\") | .message] == [\"页面公开了公民身份号码 5104**********1234\", \"页面公开了银行卡号 622202*********6781\"]" \
  "an ID number and a bank card number, masked, with the page's URL (not the ID with a wrong check digit)"
has "[.findings[] | select(.check == \"content.pii\" and .severity == \"一般\") | .message] == [\"页面公开了手机号码 138****5678\"]" \
  "a mobile number, masked"
has '[.findings[] | select(.check == "content.pii") | .evidence.snippet | test("199001011234|12345678|1000123456")] | any | not' \
  "no snippet shows a number unmasked"
has '[.findings[] | select(.check == "content.wording") | .message] == ["严重表述错误：“台湾政府”应为“台湾当局（涉台表述）”"]' \
  "a wording error with its correct form"
has '[.findings[] | select(.check == "content.typo") | [.severity, .title, .message]] == [["提示", "疑似错别字", "疑似错别字：“再接再励”应为“再接再厉”"]]' \
  "a typo, reported as 疑似"
