# Black-box tests of the kaoping command line itself: version, help, the
# command table, usage errors.  Sourced by tests/lib/runone.sh in an empty
# temporary directory with $KAOPING and $KP_ROOT set.

# Like run, plus: any sanitizer report (the test binary is built with
# ASan/UBSan) is a failure of its own.
kr() {
  run "$@"
  if grep -qE 'ERROR: (Address|Leak|Undefined)Sanitizer|runtime error:' _err; then
    _notok "no sanitizer report from: kaoping $*"
  fi
}

# ---- version ---------------------------------------------------------------
kr --version
expect_status 0 "--version exits 0"
check test "$OUT" = "kaoping 0.1.0" -- "--version prints exactly 'kaoping 0.1.0'"
kr -V
expect_status 0 "-V exits 0"
expect_out "kaoping 0.1.0" "-V prints the version"
kr version
expect_status 0 "version command exits 0"
check test "$OUT" = "kaoping 0.1.0" -- "version command prints exactly 'kaoping 0.1.0'"

# ---- help ------------------------------------------------------------------
kr help
expect_status 0 "help exits 0"
expect_out "用法：kaoping <命令> [选项]" "help shows the usage line"
for c in "table list" "table show" "table import" "table export" "table lint" "help" "version"; do
  expect_out "  $c " "help lists '$c'"
done
expect_out "退出码：0 成功，1 发现问题，2 用法或输入错误" "help explains the exit codes"
kr --help
expect_status 0 "--help exits 0"
expect_out "table import" "--help lists the commands"
kr -h
expect_status 0 "-h exits 0"
expect_out "table lint" "-h lists the commands"

kr help table import
expect_status 0 "help table import exits 0"
expect_out "用法：kaoping table import 文件 [选项]" "help table import shows its usage"
expect_out "--map 列名=含义" "help table import documents --map"
kr help frob
expect_status 2 "help of an unknown command exits 2"
expect_err "没有命令“frob”" "help of an unknown command names it"

# ---- no arguments, unknown commands ----------------------------------------
kr
expect_status 2 "no arguments exits 2"
expect_err "用法：kaoping <命令> [选项]" "no arguments prints the overview on stderr"
check test ! -s _out -- "no arguments prints nothing on stdout"

kr frob
expect_status 2 "unknown command exits 2"
expect_err "kaoping: 没有命令“frob”（见 kaoping help）" "unknown command: Chinese message naming it"
check test ! -s _out -- "unknown command prints nothing on stdout"

kr table
expect_status 2 "table without a subcommand exits 2"
expect_err "table 需要子命令：list、show、import、export、lint" "table without a subcommand lists the subcommands"

kr table shwo
expect_status 2 "table with an unknown subcommand exits 2"
# a mistyped subcommand is named in the message
expect_err "shwo" "table with an unknown subcommand names it"

# ---- every command accepts --help -------------------------------------------
for c in "table list" "table show" "table import" "table export" "table lint" "help" "version"; do
  # shellcheck disable=SC2086
  kr $c --help
  expect_status 0 "'$c --help' exits 0"
  expect_out "用法：kaoping $c" "'$c --help' prints 用法"
  expect_out "-h, --help" "'$c --help' lists -h, --help"
done
kr table show -h
expect_status 0 "table show -h exits 0"
expect_out "--json" "table show -h documents --json"

# ---- unknown options ---------------------------------------------------------
kr table list --bogus
expect_status 2 "table list --bogus exits 2"
expect_err "未知选项“--bogus”" "table list --bogus names the option"
expect_err "kaoping table list --help" "table list --bogus points at --help"
check test ! -s _out -- "table list --bogus prints nothing on stdout"

kr table import -x whatever.csv
expect_status 2 "table import -x exits 2"
expect_err "未知选项 -x" "table import -x names the option"

kr table show pzh2016-gk --frob
expect_status 2 "table show --frob exits 2"
expect_err "“--frob”" "table show --frob names the option"

kr table export pzh2016-gk --output
expect_status 2 "--output without its argument exits 2"
expect_err "--output" "--output without its argument names the option"

kr version --bogus
expect_status 2 "version --bogus exits 2"
expect_err "“--bogus”" "version --bogus names the option"

# ---- wrong number of arguments ----------------------------------------------
kr table list extra
expect_status 2 "table list with an argument exits 2"
expect_err "table list 不接受参数“extra”" "table list names the stray argument"
kr table show
expect_status 2 "table show without an id exits 2"
expect_err "table show 需要一个表 id 或文件" "table show without an id says what it needs"
kr table import
expect_status 2 "table import without a file exits 2"
expect_err "table import 需要一个文件" "table import without a file says what it needs"
kr table export
expect_status 2 "table export without an id exits 2"
expect_err "table export 需要一个表 id 或文件" "table export without an id says what it needs"
