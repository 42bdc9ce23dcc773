#!/usr/bin/env bash
# Runs one black-box test script with tests/lib/assert.sh loaded, in the
# current (temporary) directory.
set -u
. "$KP_ROOT/tests/lib/assert.sh"
. "$1"
t_done
