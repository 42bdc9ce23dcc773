# kaoping inspect --site-config — a column's URL and class fixed, and a
# column's list items given by XPath (or a regex), against the test site of
# tools/sitegen.c.  /xp/list.html and /xp/gbk.html are laid out so that the
# default extraction gets them wrong; the worked example of docs/inspect.md
# is run as written.

. "$KP_ROOT/tests/lib/sitegen.sh"
# the crawl stays small: the configured columns are fetched first anyway
INSPECT=(inspect "$S/" --as-of 2024-06-30 --max-pages 30 --timeout 1 --retries 0 --json)

# ---- column: a fixed URL and a fixed class ---------------------------------
cat > fix.csv <<'EOF'
column,重大项目,/xp/zdxm.html
column,部门动态,/col/col10/index.html,政策文件
EOF
run "${INSPECT[@]}" --site-config fix.csv
col 重大项目 ".url == \"$S/xp/zdxm.html\" and .status == 200 and .items == 5 and .latest_date == \"2024-06-15\"" \
  "column line fixes a URL: the navigation's 重大项目 (a 404) is replaced, not doubled"
col 部门动态 ".url == \"$S/col/col10/index.html\" and .class == \"政策文件\" and .latest_date == \"2024-06-25\"" \
  "column line fixes a class: 部门动态 is 政策文件, not 动态要闻"
has "[.findings[] | select(.check == \"column.updated\" and .evidence.url == \"$S/xp/zdxm.html\")] == []" \
  "the fixed 重大项目 column is up to date"

# ---- without xpath lines the default extraction gets both columns wrong ------
printf 'column,工作动态,/xp/list.html\ncolumn,政策法规,/xp/gbk.html\n' > plain.csv
run "${INSPECT[@]}" --site-config plain.csv
col 工作动态 '.items == 3 and .latest_date == "2024-06-29" and (.stale|not)' \
  "default: 工作动态 counts the sidebar's 3 items and its 2024-06-29 (wrong)"
col 政策法规 '.items == 9 and .latest_date == "2024-06-29"' \
  "default: GBK 政策法规 counts 6 rows + 3 sidebar items, newest 2024-06-29 (wrong)"

# ---- the worked example of docs/inspect.md, as written --------------------
awk '/由 tests\/cli\/test_inspect_xpath.sh 原样执行/ {on = 1; next}
     on && /^```csv/ {next} on && /^```/ {exit} on' "$KP_ROOT/docs/inspect.md" > example.csv
check grep -q '^xpath,工作动态,' example.csv -- "the example is found in docs/inspect.md"
run "${INSPECT[@]}" --site-config example.csv
expect_status 1 "the example runs"
col 工作动态 '.items == 7 and .latest_date == "2024-03-15" and .undated == 0 and .stale and .class == "动态要闻"' \
  "xpath: 工作动态 has exactly 7 items, newest 2024-03-15 from data-date, stale"
has "[.findings[] | select(.check == \"column.updated\" and .evidence.url == \"$S/xp/list.html\")] | length == 1" \
  "xpath: 工作动态 not updated is a finding with its URL"
col 政策法规 '.items == 6 and .latest_date == "2024-01-20" and (.stale|not)' \
  "xpath on a GBK page: 6 rows (no header, no sidebar), 发布日期 2024年01月20日 from td[3]"

# ---- the date as a regex over the item's text; no date at all -----------------
cat > re.csv <<'EOF'
column,政策法规,/xp/gbk.html
xpath,政策法规,//table[@id='list']//tr[td/a],"regex:发布日期：(?<date>\d{4}年\d+月\d+日)"
EOF
run "${INSPECT[@]}" --site-config re.csv
col 政策法规 '.items == 6 and .latest_date == "2024-01-20"' "regex: date on a GBK item's text"
printf "column,政策法规,/xp/gbk.html\nxpath,政策法规,//table[@id='list']//tr[td/a]\n" > nodate.csv
run "${INSPECT[@]}" --site-config nodate.csv
col 政策法规 '.items == 6 and .latest_date == "2024-05-01"' "no date given: the newest date in the row (施行日期)"

# ---- undated items: dated by the articles their first <a> links ------------
printf "column,工作动态,/xp/list.html\nxpath,工作动态,//div[@class='row'],@nothing\nexclude,/col/\n" > undated.csv
run inspect "$S/" --as-of 2024-06-30 --max-pages 60 --timeout 1 --retries 0 --json --site-config undated.csv
col 工作动态 '.items == 7 and .undated == 7 and .latest_date == "2024-03-15"' \
  "items without dates are dated by their articles' 发布时间, found through each item's <a>"

# ---- nothing selected: a blank column ---------------------------------------
printf "column,工作动态,/xp/list.html\nxpath,工作动态,//div[@class='lists']/div,@data-date\n" > empty.csv
run "${INSPECT[@]}" --site-config empty.csv
col 工作动态 '.blank and .items == 0 and .status == 200' "an XPath that selects nothing: a blank column"
has "[.findings[] | select(.check == \"column.blank\" and .evidence.url == \"$S/xp/list.html\" and (.message | contains(\"工作动态\")))] | length == 1" \
  "…reported as column.blank with its URL"

# ---- a bad XPath or regex: one clear error before any crawling ----------------
# port 9 (discard) has no server: a run that crawled would report the
# homepage unreachable and exit 1, not 2
bad() { # bad DESCRIPTION LINE EXPECTED-MESSAGE: config line 3 is LINE
  printf 'column,工作动态,/xp/list.html\n# 第 3 行有错\n%s\n' "$2" > bad.csv
  run inspect http://127.0.0.1:9/ --site-config bad.csv --json
  expect_status 2 "$1: exit 2"
  expect_err "bad.csv:3: $3" "$1: the message names file, line and fault"
  check [ ! -s _out ] -- "$1: nothing written"
}
bad "unclosed predicate" "xpath,工作动态,//div[@class='row'" \
  "栏目“工作动态”的列表项 XPath “//div[@class='row'”在末尾有错：表达式不完整"
bad "stray bracket" "xpath,工作动态,//div)" \
  "栏目“工作动态”的列表项 XPath “//div)”在第 6 个字符处有错：表达式无效"
bad "unknown function" "xpath,工作动态,//li[位置()=1]" \
  "栏目“工作动态”的列表项 XPath “//li[位置()=1]”无法执行：没有这个函数"
bad "items XPath that is a number" "xpath,工作动态,count(//li)" \
  "栏目“工作动态”的列表项 XPath “count(//li)”应选出元素"
bad "bad date XPath" "xpath,工作动态,//li,\"substring(@data-date,1\"" \
  "栏目“工作动态”的日期 XPath “substring(@data-date,1”在末尾有错"
bad "bad date regex" "xpath,工作动态,//li,regex:(" \
  "栏目“工作动态”的日期正则表达式在第 2 个字符处有错"
bad "xpath for a column not configured" "xpath,通知公告,//li" \
  "xpath 行的栏目“通知公告”没有先用 column 行给出网址"
bad "a line too short" "xpath,工作动态" "无法识别的设置“xpath”"
