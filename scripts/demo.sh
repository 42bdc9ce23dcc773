#!/usr/bin/env bash
# The quick start's main job on the bundled data: list every bundled table,
# lint them all (a lint finding that is not a known defect of the source
# document fails the job), then run sample evaluation rounds end to end
# in a throw-away SQLite database: one on the bundled 攀枝花 2016 政务公开
# table, one on the 攀枝花 2016 scheme (政务公开 + 效能建设 + 政务信息, each
# unit on its tables, the converted points added up): create the round,
# add the sample facts, score, print the ranking (a unit still pending
# marked 未完成, listed last), what the incomplete unit lacks, and one
# unit's sheet; then write the rounds' score sheets, rankings,
# rectification lists, the 通报, charts and one website's 检测报告 (a local
# sample site inspected) under one folder, build/demo-reports, and print
# where.
set -euo pipefail
kaoping=${1:-build/kaoping}
root=$(cd "$(dirname "$0")/.." && pwd)
echo "== kaoping table list =="
"$kaoping" table list
echo
echo "== kaoping table lint =="
"$kaoping" table lint

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export KAOPING_DB=$tmp/demo.db
facts=$root/data/facts/sample-2016-gk.csv
echo
echo "== kaoping eval new --table pzh2016-gk   (数据库 $KAOPING_DB) =="
"$kaoping" eval new --table pzh2016-gk --author demo
echo
echo "== kaoping eval facts add data/facts/sample-2016-gk.csv =="
"$kaoping" eval facts add "$facts" --author demo
echo
echo "== kaoping eval score =="
"$kaoping" eval score --author demo
echo
echo "== kaoping eval rank   (市住房城乡建设局 只核实了一项：未完成，排在最后) =="
"$kaoping" eval rank
echo
echo "== kaoping eval status   (它还缺什么) =="
"$kaoping" eval status
echo
echo "== kaoping eval show 市公安局 =="
"$kaoping" eval show 市公安局
# A correction: a later file's fact of the same identity replaces the
# earlier one; --explain names both.  The scheme round below gets the
# assessors' 已评 declarations too, so only 市公安局 is left 未完成.
echo
echo "== kaoping eval facts add data/facts/sample-2016-gk-correction.csv   (考核组复核后更正一条) =="
"$kaoping" eval facts add "$root/data/facts/sample-2016-gk-correction.csv" --author demo
"$kaoping" eval score --author demo >/dev/null
echo
echo "== kaoping eval show 市发展改革委 --explain   (计入的事实和被它取代的事实) =="
"$kaoping" eval show 市发展改革委 --explain | sed -n '/^事实的更正与撤回/,$p'

scheme_facts=$root/data/facts/pzh2016-sample.csv
echo
echo "== kaoping eval new --scheme pzh2016   (一个单位按几张表考核，折算后的分数相加) =="
"$kaoping" eval new --scheme pzh2016 --author demo
echo
echo "== kaoping eval facts add data/facts/pzh2016-sample.csv pzh2016-sample-assessed.csv   (市公安局 未检查：未完成) =="
"$kaoping" eval facts add "$scheme_facts" --author demo
"$kaoping" eval facts add "$root/data/facts/pzh2016-sample-assessed.csv" --author demo
echo
echo "== kaoping eval score =="
"$kaoping" eval score --author demo
echo
echo "== kaoping eval rank（前 10 名和最后 2 名） =="
"$kaoping" eval rank >"$tmp/rank.txt"
head -n 12 "$tmp/rank.txt"
echo "……"
tail -n 2 "$tmp/rank.txt"
echo
echo "== kaoping eval show 市民政局 --explain（最后一行是合并） =="
"$kaoping" eval show 市民政局 --explain >"$tmp/show.txt"
tail -n 1 "$tmp/show.txt"

# The documents that leave the office, for both sample rounds, in one
# folder that outlives the demo (KP_DEMO_OUT to put it elsewhere).
out=${KP_DEMO_OUT:-$root/build/demo-reports}
mkdir -p "$out"
gk=2016-pzh2016-gk
echo
echo "== kaoping report …（考评表、排名、整改清单、通报写成 XLSX / DOCX / HTML / PDF，图表写成 SVG / PNG） =="
"$kaoping" report sheet --round "$gk" -o "$out/考评表-$gk.xlsx"
"$kaoping" report sheet --round "$gk" --unit 市公安局 -o "$out/考评表-市公安局.html"
"$kaoping" report rank --round "$gk" -o "$out/排名-$gk.xlsx"
"$kaoping" report rectify --round "$gk" -o "$out/整改清单-$gk/"
"$kaoping" report bulletin --round "$gk" -o "$out/通报-$gk.docx"
"$kaoping" report bulletin --round "$gk" -o "$out/通报-$gk.html"
"$kaoping" report bulletin --round "$gk" -o "$out/通报-$gk.pdf"
"$kaoping" report rank --round "$gk" -o "$out/排名-$gk.pdf"
"$kaoping" report charts --round "$gk" --unit 市公安局 -o "$out/图表-$gk/"
# One website inspection, for the 检测报告: the test site of
# tools/sitegen.c served on 127.0.0.1 for a few seconds (it stands for
# 市公安局's site; no network is used), inspected whole and stored in the
# round.
echo
echo "== kaoping inspect 本机的样例网站 --round $gk --unit 市公安局 =="
cc -O1 -o "$tmp/sitegen" "$root/tools/sitegen.c" -lz
(cd "$tmp" && exec ./sitegen serve site.port) & site_pid=$!
trap 'kill "$site_pid" 2>/dev/null; rm -rf "$tmp"' EXIT
for _ in $(seq 100); do [ -s "$tmp/site.port" ] && break; sleep 0.1; done
KP_NO_PROGRESS=1 "$kaoping" inspect "http://127.0.0.1:$(cat "$tmp/site.port")/" \
  --round "$gk" --unit 市公安局 --as-of 2024-06-30 --timeout 2 --retries 0 \
  --author demo >"$tmp/inspect.txt" || [ $? = 1 ]   # 1: findings, as expected
kill "$site_pid" 2>/dev/null; wait "$site_pid" 2>/dev/null || true
trap 'rm -rf "$tmp"' EXIT
head -n 8 "$tmp/inspect.txt"
echo "……"
"$kaoping" report inspection --round "$gk" --unit 市公安局 -o "$out/检测报告-市公安局.xlsx"
"$kaoping" report inspection --round "$gk" --unit 市公安局 -o "$out/检测报告-市公安局.pdf"
"$kaoping" report sheet -o "$out/考评表-pzh2016方案.xlsx"
"$kaoping" report rank --by type -o "$out/排名-pzh2016方案.xlsx"
echo
echo "报表已写到 $out"

# ---- the web application (kaoping serve) ---------------------------------
# The demo database is kept beside the reports, with three sample accounts
# (passwords generated, printed once).  On a terminal (or KP_DEMO_SERVE=1)
# the demo ends by serving it on 127.0.0.1:8080 (KP_DEMO_PORT; another
# free port when 8080 is taken) until Ctrl-C; otherwise it prints the
# command that serves it.
demo_db=$out/demo.db
rm -f "$demo_db" "$demo_db-wal" "$demo_db-shm"
cp "$KAOPING_DB" "$demo_db"
export KAOPING_DB=$demo_db
accounts=$tmp/accounts.txt
: >"$accounts"
for acct in "admin admin" "assessor assessor" "gaj unit 市公安局"; do
  set -- $acct
  pw=$("$kaoping" user add "$1" --role "$2" ${3:+--unit "$3"} --generate |
       sed -n 's/.*密码（只显示这一次）：//p')
  printf '  %-9s %-8s %-16s %s\n' "$1" "$pw" \
    "$(case $2 in admin) echo 管理员;; assessor) echo 考核人员;; *) echo "单位用户（$3）";; esac)" \
    "$([ "$2" = unit ] && echo '自评、附件' || echo '排名、考核、公示')" >>"$accounts"
done
port=${KP_DEMO_PORT:-8080}
if [ "$port" != 0 ] && (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
  port=0                                   # 8080 is taken: any free port
fi
serve=("$kaoping" serve --db "$demo_db" --data "$out/demo-files" --listen "127.0.0.1:$port")
echo
echo "== kaoping serve   (网页：登录后看排名、自评、考核、公示) =="
echo "样例账号（用户名 密码 角色；密码只显示这一次）："
cat "$accounts"
if [ -t 1 ] || [ "${KP_DEMO_SERVE:-}" = 1 ]; then
  echo "浏览器打开下面的地址，用上面的账号登录；Ctrl-C 停止。"
  rm -rf "$tmp"; trap - EXIT
  exec "${serve[@]}"
fi
echo "要在浏览器里看，运行："
printf ' %q' "${serve[@]}"; echo
