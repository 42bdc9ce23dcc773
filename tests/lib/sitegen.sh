# Sourced by the inspector's black-box tests: builds tools/sitegen.c,
# serves its test site on 127.0.0.1 for the length of the script (S is its
# base URL) and gives the JSON assertions shared by those tests.

export KP_NO_PROGRESS=1
cc -O1 -o sitegen "$KP_ROOT/tools/sitegen.c" -lz || { echo "not ok - build sitegen"; exit 1; }
./sitegen serve port & srv=$!
trap 'kill $srv 2>/dev/null; wait $srv 2>/dev/null' EXIT
for _ in $(seq 50); do [ -s port ] && break; sleep 0.1; done
S="http://127.0.0.1:$(cat port)"
J() { jq -r "$1" _out; }
has() { # has JQ-FILTER what: the filter yields true
  if [ "$(jq -r "$1" _out 2>/dev/null)" = "true" ]; then _ok "$2"; else _notok "$2 ($1)"; fi
}
col() { # col NAME FILTER what: exactly one column NAME, and FILTER holds
  has "[.columns[] | select(.name == \"$1\") | $2] == [true]" "$3"
}
