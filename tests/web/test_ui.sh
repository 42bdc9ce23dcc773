# Browser test of the UI (tests/web/ui.test.mjs): kaoping serve on
# 127.0.0.1 with the sample round and three accounts, driven by Debian's
# chromium through playwright-core.  Screenshots of each page are kept in
# $KP_UI_OUT (default build/ui-test under the source tree).
#
# Skips — printing "# skip: why", counted neither passed nor failed —
# when node, playwright-core (npm ci --prefix web), chromium, the serve
# command or the built UI is missing; under CI (CI set) a skip is a
# failure, since .ci/run installs them all.

export KAOPING_DB=$PWD/ui.db
R=2016-pzh2016-gk
OUTDIR=${KP_UI_OUT:-$KP_ROOT/build/ui-test}

why=
if ! command -v node >/dev/null 2>&1; then why="没有 node（Debian 的 nodejs）"
elif [ ! -d "$KP_ROOT/web/node_modules/playwright-core" ]; then why="没有 playwright-core（运行 make web 或 npm ci --prefix web）"
elif [ ! -x "${CHROMIUM:-/usr/bin/chromium}" ]; then why="没有 chromium（apt-get install chromium）"
elif ! "$KAOPING" serve --help >/dev/null 2>&1; then why="这个 kaoping 没有 serve 命令"
fi

ui_run() {
  K eval new --table pzh2016-gk --author demo >/dev/null 2>&1
  K eval facts add "$KP_ROOT/data/facts/sample-2016-gk.csv" --author demo >/dev/null 2>&1
  K eval score --author demo >/dev/null 2>&1
  K user add admin1 --role admin <<<'admin-pass-1' >/dev/null
  K user add zhang --role assessor <<<'assessor-pass-1' >/dev/null
  K user add gaj --role unit --unit 市公安局 <<<'unit-pass-gaj' >/dev/null
  pages_data

  "$KAOPING" serve --listen 127.0.0.1:0 >serve.out 2>serve.err &
  spid=$!
  trap 'kill -KILL "$spid" 2>/dev/null; kill "$site_pid" 2>/dev/null' EXIT
  for _ in $(seq 100); do grep -q 'http://' serve.out 2>/dev/null && break; sleep 0.1; done
  port=$(grep -o '127.0.0.1:[0-9]*' serve.out | head -1 | cut -d: -f2)
  check test -n "$port" -- "serve prints its URL within 10 s"
  B=http://127.0.0.1:$port
  if ! curl -s "$B/" | grep -q 'id="app"'; then
    kill -TERM "$spid"; wait "$spid" 2>/dev/null
    if [ -n "${CI:-}" ]; then _notok "the binary carries the built UI (make web before building)"
    else echo "# skip: 这个 kaoping 构建时没有 web/dist（先 make web 再构建）"; fi
    return
  fi
  _ok "GET / serves the built UI (index.html with #app)"
  check sh -c "curl -sI '$B/' | grep -qi '^content-security-policy: default-src .self.'" -- "the UI is served with a CSP that admits only this server"
  check sh -c "curl -s -o /dev/null -w '%{http_code}' '$B/assets/none.js' | grep -qx 404" -- "an unknown UI file is 404"
  check sh -c "curl -s -o /dev/null -w '%{http_code}' -X POST '$B/' | grep -qx 405" -- "POST to a UI path is 405"

  rm -rf "$OUTDIR"
  BASE=$B OUT=$OUTDIR ROUND=$R timeout 300 node "$KP_ROOT/tests/web/ui.test.mjs" >ui.out 2>ui.err
  local rc=$?
  while IFS= read -r line; do
    case $line in
      "ok - "*) _ok "${line#ok - }" ;;
      "not ok - "*) _notok "${line#not ok - }" ;;
    esac
  done <ui.out
  if [ "$rc" -ne 0 ] && ! grep -q '^not ok' ui.out; then
    _notok "node ui.test.mjs exited $rc: $(head -c 600 ui.err)"
  fi
  n=$(ls "$OUTDIR"/*.png 2>/dev/null | wc -l)
  check test "$n" -ge 21 -- "a screenshot of each page and step (21) in $OUTDIR ($n)"
  kill -TERM "$spid"; wait "$spid"
  STATUS=$?
  expect_status 0 "serve exits 0 on SIGTERM"
  no_sanitizer_ui serve.err
}
# What the 指标体系, 检测 and 台账 pages show (ui.test.mjs, registryPages):
# an inspection of 市公安局's site (the test site of tools/sitegen.c, as
# tests/cli/test_web_pages.sh does, left serving for the page's 复查), the
# sample 政务信息 ledger, and a published-layout table to import.  SITE,
# DEAD_URL and NFINDINGS (the inspection's findings) go to the test.
pages_data() {
  export KP_NO_PROGRESS=1
  cc -O1 -o sitegen "$KP_ROOT/tools/sitegen.c" -lz || return
  ./sitegen serve port & site_pid=$!
  for _ in $(seq 50); do [ -s port ] && break; sleep 0.1; done
  SITE="http://127.0.0.1:$(cat port)"
  K inspect "$SITE/" --as-of 2024-06-30 --timeout 1 --retries 0 --round $R --unit 市公安局 --json >insp.json 2>/dev/null
  # the test site keeps serving (until the EXIT trap of ui_run): the 检测
  # page's 复查 crawls it again, on 127.0.0.1 only
  DEAD_URL=$(jq -r '[.findings[] | select(.check == "links.dead")][0].evidence.url' insp.json)
  NFINDINGS=$(jq '.findings | length' insp.json)
  K info ledger import "$KP_ROOT/data/ledger/sample-2016" >/dev/null
  printf '%s\n' '2017年网站绩效评估指标,,,,,' '一级指标,二级指标,三级指标,权重,评估内容,评分标准' \
    '政务公开 (30分),基本信息 (4分),概况信息,1,机构职能,缺一项扣0.5分' \
    ',,政策文件,3,规范性文件,每项扣2分' ',互动交流 (26分),领导信箱,26,按时回复,酌情扣分' \
    '网站建设（70分）,栏目设置,,70,栏目齐全,' >"$PWD/pub.csv"
  export SITE DEAD_URL NFINDINGS PUB_CSV=$PWD/pub.csv
}
no_sanitizer_ui() {
  if grep -qE 'ERROR: (Address|Leak|Undefined)Sanitizer|runtime error:' "$1"; then
    _notok "no sanitizer report in $1"; sed -n 1,40p "$1"
  else _ok "no sanitizer report in $1"; fi
}

if [ -n "$why" ]; then
  if [ -n "${CI:-}" ]; then _notok "browser test cannot run under CI: $why"
  else echo "# skip: 浏览器测试跳过：$why"; fi
else
  ui_run
fi
