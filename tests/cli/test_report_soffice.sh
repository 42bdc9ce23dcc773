# LibreOffice opens every XLSX and DOCX the report commands write, as an
# office would (issue 15): the full set for the sample rounds of
# scripts/demo.sh — every unit's sheets, the ranking (also by type, also
# of the scheme round), the rectification lists, the bulletin (with its
# charts), a sheet, a ranking and a list as DOCX — converted headless
# (`soffice --convert-to csv|pdf`, which fails on a file it would have to
# repair), and the ranking's CSV compared cell by cell with `eval rank`.
# LibreOffice (libreoffice-calc-nogui, libreoffice-writer-nogui) comes
# from scripts/install-deps.sh: in CI (CI=true) its absence fails the
# test; elsewhere the test says so and skips.  Sourced by
# tests/lib/runone.sh in an empty temporary directory with $KAOPING and
# $KP_ROOT set.

kr() {
  run "$@"
  if grep -qE 'ERROR: (Address|Leak|Undefined)Sanitizer|runtime error:' _err; then
    _notok "no sanitizer report from: kaoping $*"
  fi
}
SOFFICE=$(command -v soffice || command -v libreoffice || true)
if [ -z "$SOFFICE" ]; then
  if [ "${CI:-}" = true ]; then
    _notok "soffice (LibreOffice) is installed in CI (scripts/install-deps.sh: libreoffice-calc-nogui libreoffice-writer-nogui)"
  else
    echo "# skip: soffice (LibreOffice) is not installed; scripts/install-deps.sh installs it"
  fi
  return 0 2>/dev/null || exit 0
fi
export USER=测试员
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
export KAOPING_DB=$PWD/lo.db

K eval new --table pzh2016-gk --author t >/dev/null
K eval facts add "$KP_ROOT/data/facts/sample-2016-gk.csv" --author t >/dev/null
K eval score --author t >/dev/null
K eval rank --json >rank.json
gk=2016-pzh2016-gk
K eval new --scheme pzh2016 --author t >/dev/null
K eval facts add "$KP_ROOT/data/facts/pzh2016-sample.csv" --author t >/dev/null
K eval score --author t >/dev/null

mkdir x d
kr report sheet --round $gk -o x/sheets.xlsx;            expect_status 0 "XLSX: every unit's sheets"
kr report rank --round $gk -o x/rank.xlsx;               expect_status 0 "XLSX: the ranking"
kr report rank --round $gk --by type -o x/rank-type.xlsx; expect_status 0 "XLSX: the ranking by type"
kr report rectify --round $gk -o x/rect/;                expect_status 0 "XLSX: the rectification lists"
kr report bulletin --round $gk -o x/bulletin.xlsx;       expect_status 0 "XLSX: the bulletin with its charts"
kr report sheet --unit 市民政局 -o x/scheme-sheet.xlsx;   expect_status 0 "XLSX: a scheme round's sheets"
kr report rank -o x/scheme-rank.xlsx;                    expect_status 0 "XLSX: a scheme round's ranking"
kr report sheet --round $gk --unit 市公安局 -o d/sheet.docx; expect_status 0 "DOCX: a sheet"
kr report rank --round $gk -o d/rank.docx;               expect_status 0 "DOCX: the ranking with its chart"
kr report rectify --round $gk -u 市公安局 -o d/rect.docx;  expect_status 0 "DOCX: a rectification list"
kr report bulletin --round $gk --date 2017年1月20日 -o d/bulletin.docx; expect_status 0 "DOCX: the bulletin with its charts"

xlsx=(x/*.xlsx x/rect/*.xlsx)
docx=(d/*.docx)
check test "${#xlsx[@]}" = 14 -- "14 XLSX files to open (6 documents and 8 lists)"
# a profile of its own, so parallel runs do not share one
lo() { HOME=$PWD "$SOFFICE" -env:UserInstallation="file://$PWD/lo-profile" --headless --norestore "$@" >>lo.log 2>&1; }
lo --convert-to 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true' --outdir csv "${xlsx[@]}"
n=0
for f in "${xlsx[@]}"; do
  b=$(basename "$f" .xlsx)
  [ -s "csv/$b.csv" ] && n=$((n + 1)) || echo "# LibreOffice did not convert $f"
done
check test $n = ${#xlsx[@]} -- "LibreOffice opens and converts every XLSX (${#xlsx[@]}) without a repair"
lo --convert-to pdf --outdir pdf "${docx[@]}"
n=0
for f in "${docx[@]}"; do
  b=$(basename "$f" .docx)
  [ -s "pdf/$b.pdf" ] && head -c 5 "pdf/$b.pdf" | grep -q '%PDF-' && n=$((n + 1)) || echo "# LibreOffice did not convert $f"
done
check test $n = ${#docx[@]} -- "LibreOffice opens and converts every DOCX (${#docx[@]}) to PDF without a repair"
check sh -c '! grep -qi "error" lo.log' -- "LibreOffice reports no error"

check "$PY" - csv/rank.csv rank.json <<'PYEOF' -- "the ranking as LibreOffice reads it equals eval rank cell by cell: 名次, 单位, 满分, 得分, 得分率, 折算"
import csv, json, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8")))
rank = json.load(open(sys.argv[2]))["results"]
assert rows[2][:6] == ["名次", "单位", "单位类型", "满分", "得分", "得分率"], rows[2]
body = [r for r in rows[3:] if r[0].isdigit()]
assert len(body) == len(rank) == 63, len(body)
f2 = lambda v: "%.2f" % float(v)
for got, want in zip(body, rank):
    assert int(got[0]) == want["rank"] and got[1] == want["unit"], (got, want)
    assert got[3] == f2(want["max"]) and got[4] == f2(want["total"]), (got, want)
    assert got[5] == "%.2f%%" % (float(want["total"]) * 100 / float(want["max"])), (got, want)
    assert got[7] == f2(want["converted"]), (got, want)
PYEOF
check "$PY" - csv/sheets.csv <<'PYEOF' -- "the first unit's sheet as LibreOffice reads it: its total 100.00 of 100.00"
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8")))
assert rows[0][0] == "2016年政务（信息）公开工作考评表", rows[0]
tot = [r for r in rows if r[0] == "合计"][0]
assert tot[4] == "100.00" and tot[8] == "100.00", tot
PYEOF
check grep -qF '1,2.1,日常工作情况>未及时在市政务公开目录系统和网站上公开政务信息,5.00,扣5分' "csv/市公安局.csv" -- "市公安局's rectification list as LibreOffice reads it: 2.1 first, 5.00 points"
