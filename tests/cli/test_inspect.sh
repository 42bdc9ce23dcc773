# kaoping inspect — against the test site of tools/sitegen.c, served on
# 127.0.0.1 for the length of this script.  Each expected finding is
# asserted with its URL; each hostile case has its own run.

. "$KP_ROOT/tests/lib/sitegen.sh"

# ---- usage -------------------------------------------------------------
run inspect
expect_status 2 "inspect without a URL is a usage error"
run inspect ftp://example.gov.cn/
expect_status 2 "a non-http URL is refused"
expect_err "不是有效的网址" "…with a Chinese message"
run inspect "$S/" --as-of 2024-13-01
expect_status 2 "a bad --as-of is refused"
run inspect --help
expect_status 0 "inspect --help"
expect_out "--as-of" "help lists --as-of"

# ---- the whole site ------------------------------------------------------
run inspect "$S/" --as-of 2024-06-30 --timeout 1 --retries 1 --json
expect_status 1 "an inspection with findings exits 1"
has '.as_of == "2024-06-30" and .pages_crawled > 20' "as_of and pages crawled"
has '.homepage.status == 200 and .homepage.latest_date == "2024-06-28"' "homepage status and newest date"
has '.homepage.meta.SiteIDCode == "5101000001"' "government meta tags read"
col 要闻动态 '.class == "动态要闻" and .latest_date == "2024-06-28" and .pages == 3 and (.stale|not)' "TRS column: dates 2024-06-28, createPageHTML pagination"
col 通知公告 '.class == "通知公告" and .latest_date == "2023-07-13" and .stale and .pages == 2' "GBK Hanweb column: 2023年07月13日, 共2页, stale (>6 months)"
col 政策文件 '.latest_date == "2024-06-01" and (.stale|not)' "2024/6/1 dates"
col 政策解读 '.blank' "blank column"
col 人事信息 '.latest_date == "2024-05-13" and (.stale|not)' "[05-13] with the year inferred"
col 机构职能 '.latest_date == null and .stale and .undated == 10' "undated items count as not updated"
col 财政信息 '.latest_date == "2022-01-05" and .stale' "发布日期 label"
col 互动交流 '.latest_date == "2024-06-01"' "undated list dated by its articles' PubDate meta"
col 部门动态 '.class == "动态要闻" and .latest_date == "2024-06-25"' "column found in a second-level page's navigation"
col 重大项目 '.status == 404' "a column whose page is gone"
dead() { # dead PATH FILTER what
  has "[.dead_links[] | select(.url == \"$S$1\") | $2] == [true]" "$3"
}
dead /col/col9/index.html '.status == 404 and .confirmed and .kind == "page" and (.found_on | index("'"$S"'/") != null)' "dead page 404, confirmed, found on the homepage"
dead /img/missing.png '.kind == "image" and .confirmed' "dead image"
dead /files/missing.docx '.kind == "attachment" and .confirmed' "dead attachment"
dead /old/page.html '.status == 410 and .confirmed' "410 confirmed"
dead /err500.html '.status == 500 and (.confirmed|not)' "500 only suspected"
dead /slow.html '.kind == "timeout" and (.confirmed|not)' "a stalled page is a suspected timeout"
has "[.dead_links[] | select(.url == \"$S/files/plan.pdf\" or .url == \"$S/img/logo.png\" or (.url | startswith(\"https://\")))] == []" "live resources and external links are not dead"
has "[.dead_links[] | select(.url | contains(\"private\"))] == [] and .robots_skipped == 1" "robots.txt honoured"
has '.dead_links | length == 6' "exactly six dead links"
has '.footer.site_id_code == "5101000001" and .footer.icp == "蜀ICP备05001234号-1" and .footer.police_record == "川公网安备 51040202000123号"' "footer: 标识码, ICP, 公安备案"
has '.footer.party_gov_mark and .footer.zhaocuo_entry and .footer.sitemap and .footer.search and (.footer.accessibility|not)' "footer: marks, 找错, sitemap, search; no 无障碍"
has '.footer.sponsor == "示例市人民政府办公室" and (.footer.contact | startswith("0812"))' "footer: 主办单位, 联系方式"
F() { # F CHECK PATH what: a finding of CHECK with evidence URL
  has "[.findings[] | select(.check == \"$1\" and .evidence.url == \"$S$2\")] | length > 0" "$3"
}
F column.updated /col/col2/index.html "finding: 通知公告 not updated"
F column.updated /col/col6/index.html "finding: undated column"
F column.blank /col/col4/index.html "finding: blank column"
F links.dead /img/missing.png "finding: dead image with its URL"
F site.functions / "finding: no accessibility entry"
F site.domain / "finding: 127.0.0.1 is not .gov.cn"
has '[.findings[] | select(.check == "homepage.updated" or .check == "footer.zhaocuo")] == []' "no false homepage or 找错 findings"
has '[.findings[] | select(.evidence.time != "2024-06-30")] == []' "evidence time is the as-of day"
has '.traps_skipped >= 1 and ([.findings[] | select(.check == "crawl.traps")] | length == 1)' "growing-path trap skipped"
has "[.dead_links[].url | select(contains(\"sPageName\") or contains(\"jsessionid\"))] == []" "no JavaScript-built or session URLs"
has "[.same_pages[] | select(.url == \"$S/index.html\" and .same_as == \"$S/\")] | length == 1" "/ and /index.html, the same page: counted once"
has '.homepage.http_version == "1.1" and (.http_versions | keys) == ["1.1"]' "HTTP version recorded (this server speaks only HTTP/1.1)"

# ---- links to other sites (--external) ----------------------------------------
# the footer's real government links must stay unvisited: tests use 127.0.0.1 only
printf 'exclude,www.gov.cn\nexclude,conac.cn\nexclude,miit.gov.cn\n' > ext.csv
run inspect "$S/" --as-of 2024-06-30 --max-pages 20 --timeout 1 --retries 0 --external --site-config ext.csv --json
has '[.dead_links[] | select(.url | test("gov.cn|conac.cn"))] == []' "--external: excluded sites are not visited"
L="http://localhost:$(cat port)"
has "[.dead_links[] | select(.url == \"$L/ext/missing.html\" and .external and .confirmed)] | length == 1" "--external: a dead link to another site"
has "[.dead_links[] | select(.url == \"$L/files/plan.pdf\")] == []" "--external: a live one is not dead"

# ---- a homepage that moved to another host name ------------------------------
run inspect "http://localhost:$(cat port)/moved" --as-of 2024-06-30 --max-pages 30 --timeout 1 --retries 0 --json
has "(.homepage.final_url == \"$S/\") and .pages_crawled >= 20 and (.columns | length) >= 8" "the homepage's redirect target host is the site"

run inspect "$S/refresh.html" --as-of 2024-06-30 --max-pages 30 --timeout 1 --retries 0 --json
has "(.homepage.url == \"$S/index.html\") and .footer.zhaocuo_entry and (.columns | length) >= 8" "a <meta refresh> homepage leads to the real one"

# ---- politeness, as the server sees it ---------------------------------------
# sitegen counts the requests under /polite/ (each takes 150 ms): the most
# at once, and the shortest gap between two starting.
get() { # get PATH: the body the test server sends for PATH
  exec 3<>"/dev/tcp/127.0.0.1/$(cat port)"
  printf 'GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' "$1" >&3
  sed '1,/^\r$/d' <&3
  exec 3<&-
}
stat_is() { # stat_is NAME TEST VALUE what: a server count compared
  local v; v=$(awk -v k="$1" '$1 == k {print $2}' stats)
  if [ -n "$v" ] && [ "$v" "$2" "$3" ]; then _ok "$4 ($1 $v)"; else _notok "$4 ($1 '$v', want $2 $3)"; fi
}
get /stats/reset >/dev/null
run inspect "$S/polite/index.html" --as-of 2024-06-30 --per-host 2 --parallel 16 --json
get /stats/polite > stats
stat_is requests -eq 13 "--per-host 2: every page fetched"
stat_is max_active -le 2 "--per-host 2: the server never saw more than 2 requests at once"
stat_is max_active -eq 2 "--per-host 2: …and did see 2 (the limit, not a lack of work)"
get /stats/reset >/dev/null
run inspect "$S/polite/index.html" --as-of 2024-06-30 --per-host 4 --delay 400 --json
get /stats/polite > stats
stat_is requests -eq 13 "--delay 400: every page fetched"
stat_is min_gap_ms -ge 380 "--delay 400: requests to one host start at least 400 ms apart, as the server measured"
stat_is max_active -eq 1 "--delay 400 (longer than a request): one at a time"

# ---- one page at two addresses ------------------------------------------------
run inspect "$S/same/" --as-of 2024-06-30 --json
has ".pages_crawled == 3 and .same_pages == [{\"url\": \"$S/same/index.htm\", \"same_as\": \"$S/same/\"}]" "/same/index.htm with the very bytes of /same/ is one page with it"
has "[.same_pages[].url] | index(\"$S/other/index.html\") == null" "/other/ and /other/index.html one byte apart stay two pages"

# ---- HTTP/2: nginx speaking h2c (prior knowledge) on 127.0.0.1 ---------------
# nginx-light comes from scripts/install-deps.sh; its pages are written in
# the configuration, so its workers need no files here.
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
h2=$PWD/h2; mkdir -p "$h2"
for _ in 1 2 3 4 5; do
  h2port=$(( 20000 + RANDOM % 30000 ))
  cat > "$h2/nginx.conf" <<EOF
worker_processes 1;
pid $h2/nginx.pid;
error_log $h2/error.log;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path $h2/body; proxy_temp_path $h2/proxy; fastcgi_temp_path $h2/fcgi;
  uwsgi_temp_path $h2/uwsgi; scgi_temp_path $h2/scgi;
  default_type "text/html; charset=utf-8";
  server {
    listen 127.0.0.1:$h2port http2;
    location = / { return 200 '<html><head><title>HTTP/2 首页</title></head><body><ul><li><a href="/a.html">第一篇文章的标题文字</a> 2024-06-28</li><li><a href="/b.html">第二篇文章的标题文字</a> 2024-06-27</li></ul><img src="/gone.png" alt="丢失的图片"></body></html>'; }
    location = /a.html { return 200 '<html><body><p>发布时间：2024-06-28</p></body></html>'; }
    location = /b.html { return 200 '<html><body><p>发布时间：2024-06-27</p></body></html>'; }
    location / { return 404; }
  }
}
EOF
  "$NGINX" -c "$h2/nginx.conf" -p "$h2" 2>>"$h2/start.err" && break
done
if [ -s "$h2/nginx.pid" ]; then
  trap 'kill $srv 2>/dev/null; wait $srv 2>/dev/null; kill "$(cat "$h2/nginx.pid")" 2>/dev/null' EXIT
  H="http://127.0.0.1:$h2port"
  run inspect "$H/" --as-of 2024-06-30 --h2c --json
  has '.homepage.status == 200 and .homepage.http_version == "2"' "--h2c: the homepage came over HTTP/2"
  has '.pages_crawled == 3 and .http_versions == {"2": 4}' "--h2c: every transfer HTTP/2 (3 pages, 1 image)"
  has "[.dead_links[] | select(.url == \"$H/gone.png\" and .status == 404 and .kind == \"image\")] | length == 1" "--h2c: a dead image found over HTTP/2"
  run inspect "$H/" --as-of 2024-06-30 --timeout 2 --retries 0 --json
  has '.homepage.http_version != "2"' "without --h2c, plain http:// is not HTTP/2 (the h2c-only server cannot answer it)"
else
  _notok "nginx for the HTTP/2 test did not start: $(cat "$h2/start.err" 2>/dev/null)"
fi

# ---- as of a later day, the homepage is stale ----------------------------
run inspect "$S/" --as-of 2024-08-01 --max-pages 5 --json
has '[.findings[] | select(.check == "homepage.updated" and .severity == "否决")] | length == 1' "homepage not updated in 14 days is a veto"

# ---- required columns (seed 004) -----------------------------------------
run inspect "$S/" --as-of 2024-06-30 --max-pages 30 --timeout 1 --retries 0 --required ak2020-columns --json
has '[.findings[] | select(.check == "column.required" and (.message | contains("未开设要求的栏目“公共资源配置领域信息”")))] | length == 1' "required column missing: 公共资源配置领域信息"
has "[.findings[] | select(.check == \"column.required\" and .evidence.url == \"$S/col/col9/index.html\" and (.message | contains(\"无法访问\")))] | length == 1" "required 重大建设项目 matched by meaning (重大项目), but unreachable"
has '[.findings[] | select(.check == "column.required" and (.message | contains("未开设要求的栏目“财政信息”")))] == []' "财政信息 present by name"

# ---- a department's checklist (seed 000 表三) --------------------------------
run inspect "$S/" --as-of 2024-06-30 --max-pages 30 --timeout 1 --retries 0 --required pzh2017-web-keyinfo --unit 市发展改革委 --json
has '[.findings[] | select(.check == "column.required") | .message] | (any(contains("未开设要求的栏目“政府信息主动公开基本目录”")) and any(contains("“财政预决算”（网站上为“财政信息”）未按期更新")))' "表三: 市发展改革委's items checked against the site's columns"
run inspect "$S/" --required pzh2017-web-keyinfo --unit 不存在的单位
expect_status 2 "an unknown unit is an input error"
expect_err "没有单位“不存在的单位”" "…naming the unit"
run inspect "$S/" --unit 市发展改革委
expect_status 2 "--unit without --required is a usage error"

# ---- site config: robots override, extra column --------------------------
printf 'robots,ignore\ncolumn,网站地图,/sitemap.html,其他\n' > site.csv
run inspect "$S/" --as-of 2024-06-30 --max-pages 30 --timeout 1 --retries 0 --site-config site.csv --json
has "[.dead_links[] | select(.url == \"$S/private/secret.html\")] | length == 1" "robots ignored for the office's own site"
has '[.columns[] | select(.name == "网站地图" and .class == "其他")] | length == 1' "a configured column"
cat > items.csv <<'EOF'
column,要闻动态,/col/col1/index.html
items,要闻动态,"<li><a href=""[^""]*art_1_(?:5|6)\.html"">.*?<span>(?<date>[^<]+)</span>"
EOF
run inspect "$S/" --as-of 2024-06-30 --max-pages 30 --timeout 1 --retries 0 --site-config items.csv --json
col 要闻动态 '.items == 2 and .latest_date == "2024-06-26"' "a configured item pattern replaces the list items"
printf 'items,x,(\n' > badre.csv
run inspect "$S/" --site-config badre.csv
expect_status 2 "items before its column is an input error"
printf 'column,x,/x.html\nitems,x,(\n' > badre.csv
run inspect "$S/" --site-config badre.csv
expect_err "正则表达式" "a bad item pattern is an input error"
printf 'bogus,1\n' > bad.csv
run inspect "$S/" --site-config bad.csv
expect_status 2 "a bad site config is an input error"
expect_err "bad.csv:1" "…naming the file and line"

# ---- the text summary ------------------------------------------------------
run inspect "$S/" --as-of 2024-06-30 --max-pages 30 --timeout 1 --retries 0
expect_out "栏目（" "summary lists columns"
expect_out "死链" "summary lists dead links"
expect_out "合计：" "summary ends with totals"

# ---- hostile servers ---------------------------------------------------------
run inspect "$S/hostile/loop-home.html" --as-of 2024-06-30 --json
has "[.dead_links[] | select(.url == \"$S/hostile/loop1\" and (.error | contains(\"重定向\")))] | length == 1" "redirect loop reported, not followed forever"
run inspect "$S/" --as-of 2024-06-30 --max-depth 100 --max-pages 1000 --timeout 1 --retries 0 --json
has '.pages_crawled < 250 and .traps_skipped >= 2' "calendar trap of endlessly new URLs stops"
run inspect "$S/query/list.html" --as-of 2024-06-30 --json
has '.pages_crawled == 61 and .traps_skipped == 0' "60 articles told apart by ?id= are not a trap"
start=$(date +%s)
run inspect "$S/hostile/big-home.html" --as-of 2024-06-30 --json
has "[.findings[] | select(.check == \"page.oversized\" and .evidence.url == \"$S/hostile/big.html\")] | length == 1" "100 MB page refused by the cap"
run inspect "$S/hostile/bomb-home.html" --as-of 2024-06-30 --json
has "[.findings[] | select(.check == \"page.oversized\" and .evidence.url == \"$S/hostile/bomb.html\")] | length == 1" "gzip bomb refused by the decoded cap"
run inspect "$S/hostile/stall-home.html" --as-of 2024-06-30 --timeout 1 --retries 0 --json
has "[.dead_links[] | select(.url == \"$S/hostile/stall.html\" and .kind == \"timeout\")] | length == 1" "server stalling after the headers times out"
check [ $(( $(date +%s) - start )) -lt 30 ] -- "hostile cases finish quickly"
run inspect "$S/hostile/bad-utf8.html" --as-of 2024-06-30 --json
expect_status 1 "invalid UTF-8 and GBK bytes: no crash"
has '(.homepage.title | contains("坏")) and (.homepage.title | contains("\ufffd"))' "bad bytes become U+FFFD"
has '.homepage.latest_date == "2024-06-27"' "a date with a bad byte is not a date; the next one is"
run inspect "$S/hostile/million.html" --as-of 2024-06-30 --max-pages 20 --max-body 64 --json
has '.pages_crawled == 20' "a page of a million links: parsed, limits hold"

# ==== department domain, redirects, configured hosts, depth (wip-domain) ====
# ---- a department's site under its government's portal domain ---------------
run inspect "$S/depth/index.html" --as-of 2024-06-30 --json
has '.domain == {"host": "127.0.0.1", "portal": null, "under_portal": null}' "domain: the host; no portal given"
has '[.findings[] | select(.check == "site.domain") | .message] == ["域名“127.0.0.1”不以 .gov.cn 或 .政务 结尾"]' "without a portal only the suffix is checked"
run inspect "$S/depth/index.html" --as-of 2024-06-30 --portal example.gov.cn --json
expect_status 1 "--portal: an inspection with findings"
has '.domain == {"host": "127.0.0.1", "portal": "example.gov.cn", "under_portal": false}' "--portal: domain.under_portal false for 127.0.0.1"
has "[.findings[] | select(.check == \"site.domain\" and .evidence.url == \"$S/depth/index.html\" and .evidence.snippet == \"127.0.0.1\" and .message == \"网站域名“127.0.0.1”不在本级政府门户网站域名“example.gov.cn”之下（部门网站应使用门户网站域名的下级域名）\")] | length == 1" "--portal: a site.domain finding naming both domains, the homepage as evidence"
run inspect "$S/depth/index.html" --as-of 2024-06-30 --portal http://www.0.0.1/ --json
has '.domain.portal == "0.0.1" and .domain.under_portal and ([.findings[] | select(.check == "site.domain" and (.message | contains("门户")))] == [])' "--portal as a URL, www. dropped; a host under it: no finding"
printf '# 门户\nportal,example.gov.cn\n' > portal.csv
run inspect "$S/depth/index.html" --as-of 2024-06-30 --site-config portal.csv --json
has '.domain.portal == "example.gov.cn" and ([.findings[] | select(.check == "site.domain" and (.message | contains("“example.gov.cn”之下")))] | length == 1)' "portal line of the site config"
run inspect "$S/depth/index.html" --as-of 2024-06-30 --site-config portal.csv --portal 127.0.0.1 --json
has '.domain.portal == "127.0.0.1" and .domain.under_portal' "--portal overrides the config's portal line"
run inspect "$S/" --portal 'example..gov.cn'
expect_status 2 "a malformed --portal is a usage error"
expect_err "--portal 应为本级政府门户网站的域名" "…with a Chinese message"
printf 'host,localhost\nportal,example gov cn\n' > badportal.csv
run inspect "$S/" --site-config badportal.csv
expect_status 2 "a malformed portal line is an input error"
expect_err "badportal.csv:2: portal 行的“example gov cn”不是域名" "…naming the file and line"
run inspect "$S/depth/index.html" --as-of 2024-06-30 --portal example.gov.cn
expect_out "网站域名“127.0.0.1”不在本级政府门户网站域名“example.gov.cn”之下" "the text summary lists the portal finding"

# ---- redirects recorded ----------------------------------------------------
# /redir/r1 → /redir/r2 → /redir/page.html (301s); /redir/g1 → /redir/gone.html (404)
run inspect "$S/redir/index.html" --as-of 2024-06-30 --json
has ".redirects == [{\"url\": \"$S/redir/r1\", \"final_url\": \"$S/redir/page.html\", \"count\": 2}, {\"url\": \"$S/redir/g1\", \"final_url\": \"$S/redir/gone.html\", \"count\": 1}] and .redirects_total == 2" "top-level redirects: URL, final URL, count"
has "[.dead_links[] | select(.url == \"$S/redir/g1\") | [.status, .final_url, .redirects]] == [[404, \"$S/redir/gone.html\", 1]]" "a dead link reached through a redirect: its final_url and redirects"
has "[.findings[] | select(.check == \"links.dead\" and .evidence.url == \"$S/redir/g1\")] | length == 1" "…and its finding"
run inspect "$S/depth/index.html" --as-of 2024-06-30 --json
has '.redirects == [] and .redirects_total == 0 and ([.dead_links[] | select(.final_url != null or .redirects != 0)] == [])' "no redirects: empty array; dead links without final_url"

# ---- configured hosts --------------------------------------------------------
# /hosts/index.html links http://localhost:PORT/hosts/other.html, which links
# /hosts/deeper.html; /hosts/here.html is on 127.0.0.1
run inspect "$S/hosts/index.html" --as-of 2024-06-30 --json
has '.pages_crawled == 2' "without a host line the other host name is out of scope (homepage + here.html)"
printf 'host,LOCALHOST:%s\n' "$(cat port)" > hosts.csv
run inspect "$S/hosts/index.html" --as-of 2024-06-30 --site-config hosts.csv --json
has '.pages_crawled == 4' "a host line: the other host name's pages are crawled, and followed (4 pages)"
has "[.dead_links[] | select(.url | startswith(\"http://localhost:\"))] == []" "…and none of them is a dead link"

# ---- depth ---------------------------------------------------------------------
# /depth/index.html → a.html, b.html → (a.html) a2.html → a3.html
run inspect "$S/depth/index.html" --as-of 2024-06-30 --json
has '.pages_crawled == 5' "default depth: all five pages"
run inspect "$S/depth/index.html" --as-of 2024-06-30 --max-depth 1 --json
has '.pages_crawled == 3' "--max-depth 1: the homepage and its two direct links"
run inspect "$S/depth/index.html" --as-of 2024-06-30 --max-depth 0 --json
has '.pages_crawled == 1' "--max-depth 0: the homepage alone"

# ==== rules an audit found untested: the /itest/ routes of tools/sitegen.c ====
# The slow and retrying cases run in the background while the rest runs;
# the crawl whose connections are counted runs after them, alone.
bg_pids=()
bg_run() { # bg_run NAME ARGS...: kaoping ARGS in the background → NAME.json, .err, .rc
  local n=$1; shift
  ( "$KAOPING" "$@" > "$n.json" 2> "$n.err"; echo $? > "$n.rc" ) & bg_pids+=($!)
}
use() { # use NAME: a background run's output becomes the last run's
  cp "$1.json" _out; cp "$1.err" _err; STATUS=$(cat "$1.rc")
}
finding() { # finding CHECK SEVERITY MESSAGE-PART PATH what: exactly one such finding
  has "[.findings[] | select(.check == \"$1\" and .severity == \"$2\" and (.message | contains(\"$3\")) and .evidence.url == \"$S$4\")] | length == 1" "$5"
}
no_veto() { # no_veto CHECK what
  has "[.findings[] | select(.check == \"$1\" and .severity == \"否决\")] == []" "$2"
}
bg_run slowhome inspect "$S/itest/slow-home.html" --as-of 2024-06-30 --json
bg_run slowpage inspect "$S/itest/slow-page-home.html" --as-of 2024-06-30 --json
bg_run flaky3 inspect "$S/itest/flaky-home/a.html" --as-of 2024-06-30 --json
bg_run flaky1 inspect "$S/itest/flaky-home/b.html" --as-of 2024-06-30 --retries 1 --json
# the live progress line needs a terminal on stderr: script(1) gives one
( env -u KP_NO_PROGRESS script -qec "'$KAOPING' inspect '$S/itest/flaky-home/c.html' --as-of 2024-06-30 --json > progress.json" /dev/null > progress.txt 2>&1 ) & bg_pids+=($!)

# ---- column thresholds of the national rules ----
# ≥10 columns not updated for over a year, ≥5 blank columns: each a veto
run inspect "$S/itest/cols/10-5/" --as-of 2024-06-30 --json
expect_status 1 "10 long-stale and 5 blank columns: findings, exit 1"
finding column.updated 否决 "长期（超过 1 年）未更新的栏目 10 个（≥10 个，单项否决）" /itest/cols/10-5/ "10 columns not updated for over a year: veto, counted"
finding column.blank 否决 "空白栏目 5 个（≥5 个，单项否决）" /itest/cols/10-5/ "5 blank columns: veto, counted"
finding column.updated 否决 "未按期更新的栏目 10 个（≥5 个，单项否决）" /itest/cols/10-5/ "…and 10 ≥ 5 columns not updated in time: veto"
finding column.updated 严重 "栏目“旧闻甲”（其他）" /itest/cols/10-5/s0.html "each long-stale column its own finding with its URL"
finding column.blank 严重 "空白栏目：“空栏子”没有任何信息" /itest/cols/10-5/b0.html "each blank column its own finding with its URL"
has '([.findings[] | select(.check == "column.updated" and .severity == "严重")] | length == 10) and ([.findings[] | select(.check == "column.blank" and .severity == "严重")] | length == 5)' "10 stale and 5 blank column findings"
# just under: 9 long-stale and 4 blank
run inspect "$S/itest/cols/9-4/" --as-of 2024-06-30 --json
has '[.findings[] | select(.severity == "否决" and (.message | contains("长期") or contains("空白栏目")))] == []' "9 long-stale and 4 blank columns: no long-stale or blank veto"
finding column.updated 否决 "未按期更新的栏目 9 个（≥5 个，单项否决）" /itest/cols/9-4/ "…but 9 columns not updated in time are still ≥ 5: veto"
has '[.findings[] | select(.check == "column.blank")] | length == 4' "…4 blank columns reported one by one"
run inspect "$S/itest/cols/4-4/" --as-of 2024-06-30 --json
has '[.findings[] | select(.severity == "否决")] == []' "4 stale and 4 blank columns (and a fresh homepage): no veto at all"
has '[.findings[] | select(.check == "column.updated")] | length == 4' "…the 4 stale columns still reported"

# ---- homepage reachability ----
for _ in $(seq 20); do
  closed=$(( 20000 + RANDOM % 30000 ))
  (exec 3<>"/dev/tcp/127.0.0.1/$closed") 2>/dev/null || break
done
run inspect "http://127.0.0.1:$closed/" --as-of 2024-06-30 --retries 0 --json
expect_status 1 "an unreachable homepage is a finding: exit 1 (docs/inspect.md: 1 有发现)"
has "[.findings[] | select(.check == \"homepage.reachable\" and .severity == \"否决\" and .message == \"首页无法访问（无法连接）\" and .evidence.url == \"http://127.0.0.1:$closed/\")] | length == 1" "closed port: the homepage-unreachable veto, with the URL"
has '.pages_crawled == 1 and .homepage.status == 0 and .columns == []' "…nothing else crawled"
run inspect "http://127.0.0.1:$closed/" --as-of 2024-06-30 --retries 0
expect_out "[否决] 首页可访问  首页无法访问（无法连接）" "…the text report shows the veto"

# ---- page analysis: too deep, URL too long, too big ----
run inspect "$S/itest/pages/" --as-of 2024-06-30 --max-depth 6 --json
finding page.deep 提示 "页面距首页 5 次点击，超过 4 层" /itest/deep/5.html "a page 5 clicks deep"
finding page.deep 提示 "页面距首页 6 次点击，超过 4 层" /itest/deep/6.html "a page 6 clicks deep"
has "[.findings[] | select(.check == \"page.deep\" and (.evidence.url | endswith(\"/4.html\") or endswith(\"/7.html\")))] == []" "4 clicks is not too deep; 7 is past --max-depth 6 and not fetched"
long=$(jq -r '.findings[] | select(.check == "page.url_long") | .evidence.url' _out)
check [ "${#long}" -eq 300 ] -- "a URL of 300 bytes is too long (got ${#long})"
finding page.url_long 提示 "网址长 300 字节，超过 255" "${long#"$S"}" "…its finding names its length and URL"
has '[.findings[] | select(.check == "page.url_long")] | length == 1' "a URL of 250 bytes is not too long"
finding page.oversized 提示 "页面 3.5 MB，超过 3 MB" /itest/big.html "a page of 3.5 MB (under the 8 MB cap) is oversized"
# 25 pages 5 clicks deep: the first 20 by URL (the same whatever order the
# crawl met them in), then one finding that counts all 25
run inspect "$S/itest/wide/" --as-of 2024-06-30 --json
has '[.findings[] | select(.check == "page.deep" and (.message | startswith("页面距首页 5 次点击")))] | length == 20' "25 pages too deep: 20 listed"
has "[.findings[] | select(.check == \"page.deep\") | .evidence.url | ltrimstr(\"$S\")] | .[0:3] == [\"/itest/wide/5-0.html\", \"/itest/wide/5-1.html\", \"/itest/wide/5-10.html\"]" "…in the order of their URLs"
has '[.findings[] | select(.check == "page.deep") | .evidence.url | select(endswith("/5-5.html") or endswith("/5-9.html"))] == []' "…the last 5 by URL are only counted"
finding page.deep 提示 "共 25 个页面距首页超过 4 层，以上按程度列出前 20 个" /itest/wide/ "…one finding counts all 25"
# the crawl meets /itest/short/x.html 5 clicks deep (and y.html 6) long
# before the slow page that links x directly: depths are the shortest ways
run inspect "$S/itest/short/" --as-of 2024-06-30 --json
has '[.findings[] | select(.check == "page.deep")] == []' "x.html, met 5 clicks deep first, is 2 from the homepage, and y.html 3: nothing too deep"
has "[.dead_links[] | .url | ltrimstr(\"$S\")] == [\"/itest/short/aa-dead.html\", \"/itest/short/zz-dead.html\"]" "dead links in the order of their URLs, not the crawl's"
has "[.dead_links[0].found_on[] | ltrimstr(\"$S\")] == [\"/itest/short/a-slow.html\", \"/itest/short/f1.html\"]" "…and the pages linking one in theirs"

# ---- footer elements ----
run inspect "$S/itest/nofooter.html" --as-of 2024-06-30 --json
finding footer.elements 严重 "首页底部缺少网站标识码" /itest/nofooter.html "no footer: no 网站标识码"
finding footer.elements 严重 "首页底部缺少 ICP 备案编号" /itest/nofooter.html "no footer: no ICP 备案"
finding footer.elements 一般 "首页底部缺少公安机关备案号" /itest/nofooter.html "no footer: no 公安备案"
finding footer.elements 一般 "首页底部缺少党政机关网站标识" /itest/nofooter.html "no footer: no 党政机关标识"
finding footer.elements 一般 "首页底部缺少主办单位" /itest/nofooter.html "no footer: no 主办单位"
finding footer.elements 一般 "首页底部缺少联系方式" /itest/nofooter.html "no footer: no 联系方式"
finding footer.zhaocuo 严重 "首页没有“我为政府网站找错”入口" /itest/nofooter.html "no footer: no 找错 entry"
finding site.functions 一般 "首页没有网站地图入口" /itest/nofooter.html "no footer: no 网站地图"
finding site.functions 一般 "首页没有站内搜索" /itest/nofooter.html "no footer: no 站内搜索"
has '.footer.site_id_code == null and .footer.icp == null and (.footer.party_gov_mark | not)' "…and the footer object says so"
run inspect "$S/itest/badcode.html" --as-of 2024-06-30 --json
finding footer.elements 一般 "网站标识码“51010001”不是 10 位" /itest/badcode.html "a 网站标识码 of 8 digits"
has '[.findings[] | select(.check == "footer.zhaocuo" or (.check == "footer.elements" and (.message | contains("缺少"))))] == []' "…the rest of that footer is complete"

# ---- the background runs: slow homepage and page, retries, progress ----
wait "${bg_pids[@]}"
use slowhome
finding homepage.reachable 一般 "超过 3 秒" /itest/slow-home.html "a homepage answering in 3.2 s is slow"
has '.homepage.status == 200 and .homepage.seconds > 3' "…yet reachable"
use slowpage
finding page.slow 提示 "超过 5 秒" /itest/slow-page.html "a page answering in 5.2 s is slow (the threshold, 5 s, has no option)"
has '[.findings[] | select(.check == "homepage.reachable")] == []' "…the fast homepage is not"
# 503, 503, 200: with the default 3 retries the page is live
get /itest/stats > stats
stat_is flaky_a -eq 3 "default retries: the server saw 3 requests (503, 503, 200)"
use flaky3
has '.dead_links == [] and .pages_crawled == 2' "…the page is not dead, and counted once"
stat_is flaky_b -eq 2 "--retries 1: the server saw 2 requests (503, 503)"
use flaky1
has "[.dead_links[] | select(.url == \"$S/itest/flaky/b.html\" and .status == 503 and (.confirmed | not))] | length == 1" "--retries 1: dead, suspected not confirmed"
finding links.dead 一般 "疑似死链：页面（HTTP 503）" /itest/flaky/b.html "…its finding, 一般"
# the progress line (cmd_inspect.c show_progress), then cleared
for w in "已抓取 " "排队 " "进行中 " "个/秒" "错误 "; do
  check grep -q "$w" progress.txt -- "progress line on a terminal shows “$w”"
done
check grep -q $'\r\033\[K' progress.txt -- "…and is cleared at the end"
check jq -e '.pages_crawled == 2' progress.json -- "…while the JSON on stdout is intact"
check test ! -s slowhome.err -- "no progress line when stderr is not a terminal"

# ---- compressed responses and keep-alive ----
get /itest/reset > /dev/null
run inspect "$S/itest/gz/" --as-of 2024-06-30 --json
get /itest/stats > stats
stat_is gzipped -ge 32 "every /itest/gz/ page went out gzipped (the crawler accepts gzip)"
col 通知公告 '.items == 30 and .latest_date == "2024-06-20" and (.stale | not)' "a gzipped column page parsed: 30 items, newest 2024-06-20"
has '.pages_crawled == 32' "…and its 30 articles crawled"
stat_is requests -ge 34 "robots.txt, 32 pages and this count: 34 requests"
stat_is connections -le 7 "…over at most 6 kept-alive connections (per host) and this count's"
