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
