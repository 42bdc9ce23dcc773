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
# rectification lists and the 通报 (XLSX, HTML) under one folder,
# build/demo-reports, and print where.
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

scheme_facts=$root/data/facts/pzh2016-sample.csv
echo
echo "== kaoping eval new --scheme pzh2016   (一个单位按几张表考核，折算后的分数相加) =="
"$kaoping" eval new --scheme pzh2016 --author demo
echo
echo "== kaoping eval facts add data/facts/pzh2016-sample.csv =="
"$kaoping" eval facts add "$scheme_facts" --author demo
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
"$kaoping" report sheet -o "$out/考评表-pzh2016方案.xlsx"
"$kaoping" report rank --by type -o "$out/排名-pzh2016方案.xlsx"
echo
echo "报表已写到 $out"
