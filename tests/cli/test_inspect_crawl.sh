# kaoping inspect — the crawl's reach: the whole site by default, every
# limit said (complete, limits_hit, site.incomplete, a line on the
# terminal), a bare host, an unreachable site.  Against tools/sitegen.c's
# /whole/ site: 40 list pages in a chain (下一页), each with five
# articles — 240 pages, the deepest 40 clicks down — and ten dead images
# the deepest 41 clicks down.

. "$KP_ROOT/tests/lib/sitegen.sh"
W="$S/whole/list_0.html"

# ---- the whole site, with no options ---------------------------------------
run inspect "$W" --as-of 2024-06-30 --json
expect_status 1 "the whole site: exits 1 (dead links found)"
has '.pages_crawled == 240 and .resources_checked == 210' "no options: every one of the 240 pages and 210 images (40 clicks deep and more)"
has '[.dead_links[].url] == ['"$(for k in 0 12 16 20 24 28 32 36 4 8; do printf '"%s/whole/gone_%s.png",' "$S" "$k"; done | sed 's/,$//')"']' "…every one of the ten dead images, in URL order"
has '.complete == true and .limits_hit == []' "…complete, no limit hit"
has '[.findings[] | select(.check == "site.incomplete")] == []' "…and no site.incomplete finding"

# ---- a page cap: said in the JSON, a finding and the terminal -------------
run inspect "$W" --as-of 2024-06-30 --max-pages 50 --json
has '.pages_crawled == 50 and .complete == false' "--max-pages 50: 50 pages, complete false"
# the crawl goes breadth first: lists 0–8 and their articles fetched, then
# art_8_0; art_8_1 … art_8_4 and list_9 are left
has '.limits_hit == [{"limit": "max_pages", "value": 50, "skipped": 5}]' "…limits_hit names max_pages, its value and the 5 URLs left"
has "[.findings[] | select(.check == \"site.incomplete\" and .severity == \"一般\" and .evidence.url == \"$W\" and .message == \"抓取未完成，结果不是整个网站：页面数达到上限 50（--max-pages），5 个网址未抓取\")] | length == 1" "…a site.incomplete finding (一般) saying the limit and the URLs left"
run inspect "$W" --as-of 2024-06-30 --max-pages 50
expect_out "注意：抓取未完成，结果不是整个网站：页面数达到上限 50（--max-pages），5 个网址未抓取" "…and a line on the terminal"

run inspect "$W" --as-of 2024-06-30 --max-depth 6 --json
# lists 0–6 (depth 0–6) and the articles of lists 0–5; list_7 and the
# five articles of list_6 are 7 clicks down
has '.pages_crawled == 37 and .complete == false and .limits_hit == [{"limit": "max_depth", "value": 6, "skipped": 6}]' "--max-depth 6: 37 pages, the 6 deeper URLs left"

# --delay 200 makes the 240 pages take 48 s; the limit stops it after 1
run inspect "$W" --as-of 2024-06-30 --max-time 1 --delay 200 --json
has '.complete == false and ([.limits_hit[] | select(.limit == "max_seconds" and .value == 1 and .skipped > 0)] | length == 1) and .pages_crawled < 20' "--max-time 1: stopped, the time limit and the URLs left said"
has '[.findings[] | select(.check == "site.incomplete" and (.message | contains("用时达到上限 1 秒（--max-time）")))] | length == 1' "…in the finding too"

# robots.txt and traps leave URLs too: 提示, not 一般
run inspect "$S/" --as-of 2024-06-30 --timeout 1 --retries 1 --json
has '.complete == false and ([.limits_hit[] | .limit] | index("robots") != null and index("traps") != null) and ([.limits_hit[] | select(.limit == "robots")][0] | .value == null and .skipped == 1)' "robots.txt and traps: complete false, each a limit (value null)"
has '[.findings[] | select(.check == "site.incomplete" and .severity == "提示" and (.message | contains("robots.txt 不允许抓取 1 个网址")))] | length == 1' "…a site.incomplete finding of 提示"

# ---- links over 1,024 bytes are traps, counted --------------------------------
run inspect "$S/whole/long.html" --as-of 2024-06-30 --max-pages 1 --json
has '.traps_skipped == 2 and ([.limits_hit[] | select(.limit == "traps")][0].skipped == 2)' "links of 1,100 and 3,000 bytes: both counted in traps_skipped"

# ---- a bare host: https:// when it answers, else http:// --------------------
run inspect "127.0.0.1:$(cat port)/whole/list_0.html" --as-of 2024-06-30 --timeout 1 --max-pages 5 --json
has ".site == \"$W\" and .homepage.status == 200 and .pages_crawled == 5" "a bare host: no TLS there, so http://"

# ---- an unreachable site: said plainly -----------------------------------------
run inspect "http://127.0.0.1:9/" --as-of 2024-06-30 --timeout 1 --retries 0
expect_out "无法访问网站：首页 http://127.0.0.1:9/ 打不开（无法连接），没有抓取到任何页面" "an unreachable site: a plain Chinese message"
if grep -qF -e "HTTP 0" -e "抓取页面 1 个" _out; then _notok "…not HTTP 0 nor 抓取页面 1 个"; else _ok "…not HTTP 0 nor 抓取页面 1 个"; fi

# ==== safe targets: a second server on 127.0.0.2 holds what must stay unseen
./sitegen serve port2 127.0.0.2 & srv2=$!
trap 'kill $srv $srv2 2>/dev/null; wait $srv $srv2 2>/dev/null' EXIT
for _ in $(seq 50); do [ -s port2 ] && break; sleep 0.1; done
Q="http://127.0.0.2:$(cat port2)"
SECRET="$Q/hr/salaries.html"
refused() { # refused URL SNIPPET what: one site.refused finding for URL
  has "[.findings[] | select(.check == \"site.refused\" and .severity == \"一般\" and .evidence.url == \"$1\" and .evidence.snippet == \"$2\" and (.message | contains(\"内网或本机地址 127.0.0.2:$(cat port2)\")))] | length == 1" "$3"
}
unseen() { # unseen what: nothing of the private server in the result
  if grep -q -e 'backup\.sql' -e '内部资料' _out; then _notok "$1"; else _ok "$1"; fi
}

# a homepage that redirects to 127.0.0.2 is refused, and does not make it the site
H="$S/safe/to?$SECRET"
run inspect "$H" --as-of 2024-06-30 --retries 0 --json
refused "$H" "$SECRET" "homepage redirected to 127.0.0.2: refused, a finding with the URL and where it led"
has "[.findings[] | select(.check == \"homepage.reachable\" and .severity == \"否决\" and .message == \"首页无法访问（指向内网或本机地址，已拒绝访问，状态 302）\")] | length == 1" "…the homepage is unreachable (veto), saying why"
has '.pages_crawled == 1 and .domain.host == "127.0.0.1"' "…nothing on 127.0.0.2 crawled; the site stays 127.0.0.1"
unseen "…no page of the private server in the JSON"

# a page of the site whose link redirects there
R="$S/safe/to?$SECRET"
run inspect "$S/safe/links?$R" --as-of 2024-06-30 --retries 0 --json
refused "$R" "$SECRET" "a link redirecting to 127.0.0.2: refused, with its URL"
has "[.dead_links[] | select(.url == \"$R\" and .error == \"指向内网或本机地址，已拒绝访问\" and (.confirmed | not))] | length == 1" "…and listed as a suspected dead link, saying why"
unseen "…its page never fetched"

# a link to another site under --external, by address and by a DNS name
run inspect "$S/safe/links?$SECRET" --as-of 2024-06-30 --retries 0 --external --json
refused "$SECRET" "" "--external link to 127.0.0.2: refused"
N="http://intranet.example.gov.cn:$(cat port2)/hr/salaries.html"
export KP_TEST_RESOLVE="intranet.example.gov.cn:$(cat port2):127.0.0.2"
run inspect "$S/safe/links?$N" --as-of 2024-06-30 --retries 0 --external --json
refused "$N" "" "--external link to a name resolving to 127.0.0.2: refused at connect"
# 25 refused: the first 20 by URL, then how many in all
run inspect "$S/safe/many?$Q/p" --as-of 2024-06-30 --retries 0 --external --json
has "[.findings[] | select(.check == \"site.refused\") | .evidence.url] == ([0, 1, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 2, 20, 21, 22, 23, 24, 3, 4] | map(\"$Q/p\\(.).html\")) + [\"$S/safe/many?$Q/p\"]" "25 refused links: 20 findings in URL order, then a count…"
has '[.findings[] | select(.check == "site.refused")] | last | .message == "共 25 个拒绝访问的目标，以上按网址列出前 20 个"' "…saying 25 in all"
# a configured extra host on a private address
printf 'host,intranet.example.gov.cn:%s\n' "$(cat port2)" > private.csv
run inspect "$S/safe/links?$N" --as-of 2024-06-30 --retries 0 --site-config private.csv --json
refused "$N" "" "a configured host resolving to 127.0.0.2: refused"
unseen "…its pages never fetched"

# --allow-private (or private,allow in the site config): an intranet of linked sites
printf 'host,intranet.example.gov.cn:%s\nprivate,allow\n' "$(cat port2)" > allow.csv
run inspect "$S/safe/links?$N" --as-of 2024-06-30 --retries 0 --site-config allow.csv --json
has '.pages_crawled == 3 and ([.findings[] | select(.check == "site.refused")] == [])' "private,allow: the configured host's two pages crawled, nothing refused"
run inspect "$S/safe/links?$SECRET" --as-of 2024-06-30 --retries 0 --external --allow-private --json
has '[.findings[] | select(.check == "site.refused")] == [] and .dead_links == []' "--allow-private: the --external link checked and alive"

# the site a user names may be on any address, by name too
run inspect "$N" --as-of 2024-06-30 --retries 0 --json
has ".pages_crawled == 2 and .homepage.status == 200 and ([.findings[] | select(.check == \"site.refused\")] == [])" "a named site on 127.0.0.2 (by DNS name) is crawled"
run inspect "intranet.example.gov.cn:$(cat port2)/hr/salaries.html" --as-of 2024-06-30 --retries 0 --timeout 1 --json
has ".site == \"$N\" and .pages_crawled == 2" "…and as a bare host: http:// after https:// fails"
unset KP_TEST_RESOLVE

# a homepage redirected off the site's domain is followed, never made the site
run inspect "$H" --as-of 2024-06-30 --retries 0 --allow-private --json
has "[.findings[] | select(.check == \"site.refused\" and .evidence.url == \"$H\" and .message == \"首页重定向到本网站域名之外的主机 127.0.0.2:$(cat port2)，不作为本网站抓取\")] | length == 1" "--allow-private: a homepage redirected to another host is not made the site, and that is said"
has '.pages_crawled == 1' "…nothing of it crawled"
