# The UI's number format (web/src/num.js) and its export helper
# (web/src/export.js, ExcelJS) under node: fmt2 on the API's numbers and
# strings, a workbook it writes read back cell by cell (ExcelJS) and by
# kaoping's XLSX reader (`table import`), row for row.  Skips ("# skip: why")
# without node; under CI (CI set) that is a failure, since .ci/run installs it.

if ! command -v node >/dev/null 2>&1; then
  if [ -n "${CI:-}" ]; then _notok "the export test cannot run under CI: 没有 node"
  else echo "# skip: 没有 node（Debian 的 nodejs）"; fi
else
  KP_ROOT=$KP_ROOT OUT=$PWD/table.xlsx node "$KP_ROOT/tests/web/export.test.mjs" >export.out 2>export.err
  rc=$?
  while IFS= read -r line; do
    case $line in
      "ok - "*) _ok "${line#ok - }" ;;
      "not ok - "*) _notok "${line#not ok - }" ;;
    esac
  done <export.out
  if [ "$rc" -ne 0 ]; then _notok "node export.test.mjs exited $rc: $(head -c 600 export.err)"; fi
  run table import table.xlsx --id web-xlsx
  expect_status 0 "kaoping reads the XLSX the UI writes"
  expect_err "读入 4 行，得到 8 个指标" "4 rows read, 8 indicators"
  expect_out "#meta,confirm,2.1" "the same rule to confirm (2.1) as from the CSV"
  expect_out "1.1.1,政务公开/基本信息/概况信息,1,deduct,amount=0.5;each,,,,机构职能 & 领导<信息>,缺一项扣0.5分" "1.1.1 with its text unescaped and its rule"
  expect_out "1.2.1,政务公开/互动交流/领导信箱,26," "the number cell 26.00 read as 26 points"
fi
