#!/usr/bin/env bash
# The quick start's main job on the bundled data: list every bundled table,
# then lint them all (a lint finding that is not a known defect of the
# source document fails the job).
set -euo pipefail
kaoping=${1:-build/kaoping}
echo "== kaoping table list =="
"$kaoping" table list
echo
echo "== kaoping table lint =="
"$kaoping" table lint
