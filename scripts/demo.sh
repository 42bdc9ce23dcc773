#!/usr/bin/env bash
# The quick start's main job on the bundled data: list every bundled table,
# lint them all (a lint finding that is not a known defect of the source
# document fails the job), then run a sample evaluation round end to end
# on the bundled 攀枝花 2016 table in a throw-away SQLite database: create
# the round, add the sample facts, score, print the ranking and one unit's
# score sheet.
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
echo "== kaoping eval rank =="
"$kaoping" eval rank
echo
echo "== kaoping eval show 市公安局 =="
"$kaoping" eval show 市公安局
