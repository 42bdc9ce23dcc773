#!/usr/bin/env bash
# Installs the Debian 12 packages that kaoping's build and tests need.
# Used by the README's quick start and by .ci/run alike, so the two never
# drift apart. Safe to run again: apt-get skips what is already installed.
set -euo pipefail

packages=(
  build-essential pkg-config
  libsqlite3-dev        # store: the embedded default database
  libpq-dev             # store: PostgreSQL backend (client library)
  postgresql            # store tests run against a real server on 127.0.0.1
  sqlite3 time          # bench/score.sh: the sqlite3 SQL comparison; peak memory
  libcurl4-openssl-dev  # inspect: the website fetcher (multi interface)
  libpcre2-dev          # patterns: column classes, dates, site overrides
  libjansson-dev        # JSON output (--json) and JSON input
  libzip-dev            # reading XLSX (a zip container) in table import
  libxml2-dev           # reading XLSX sheets (XML); reference HTML parser
  libxlsxwriter-dev     # writing XLSX exports
  zlib1g-dev            # the server's gzip of large cached answers (the ranking)
  libutf8proc-dev       # display width of Chinese text in aligned output
  libcmocka-dev         # unit tests
  libmicrohttpd-dev     # web: the HTTP server of kaoping serve
  libsodium-dev         # web: Argon2id password hashes, random session tokens
  libcairo2-dev libpango1.0-dev libfontconfig-dev  # report: PDF and charts (Cairo draws, Pango lays out Chinese)
  poppler-utils         # tests: pdfinfo, pdftotext, pdftoppm read the report PDFs back
  libreoffice-calc-nogui libreoffice-writer-nogui  # tests: LibreOffice opens every XLSX/DOCX the report tests write
  chromium              # tests/web/test_ui.sh: the browser test drives it headless
  fonts-noto-cjk        # the browser test's screenshots show Chinese, not boxes
  curl                  # tests: drive kaoping serve in tests/cli/test_web.sh
  jq                    # tests: read kaoping inspect --json in tests/cli/test_inspect.sh
  python3-openpyxl      # tests: read the XLSX reports back with a real reader (tests/cli/test_report.sh)
  python3-pil           # tests: openpyxl needs Pillow to see the charts embedded in an XLSX (tests/cli/test_report.sh)
  nginx-light           # tests: a real HTTP/2 (h2c) server for the inspector; bench/inspect.sh
  wrk                   # bench/web.sh only: drives kaoping serve (a benchmark dependency, not a runtime one)
  poppler-utils         # inspect: pdftotext reads attached PDFs' text for the content checks
)

# The UI (web/) is built with node and npm (make web).  Debian's nodejs
# and npm, unless a node is already installed (NodeSource's nodejs carries
# its own npm and conflicts with Debian's npm package).
command -v node >/dev/null 2>&1 || packages+=(nodejs)
command -v npm >/dev/null 2>&1 || packages+=(npm)

need=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need+=("$p")
done

if [ "${#need[@]}" -eq 0 ]; then
  echo "install-deps: 所有依赖已安装 (all dependencies present)"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "install-deps: 安装 ${need[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
echo "install-deps: 完成"
