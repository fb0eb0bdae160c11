# Shared by the end-to-end tests (tests/e2e/test_*.sh); sourced, not run.
#
# Environment (set by ctest; defaults for running a script by hand):
#   FIMBIT_BINARY      the fimbit executable (required)
#   FIMBIT_SOURCE_DIR  the project checkout (default: two levels up)
#   FIMBIT_DATASETS    the shared datasets (default: ../shared/datasets)
set -euo pipefail

: "${FIMBIT_BINARY:?set FIMBIT_BINARY to the fimbit executable}"
FIMBIT_SOURCE_DIR="${FIMBIT_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
FIMBIT_DATASETS="${FIMBIT_DATASETS:-$FIMBIT_SOURCE_DIR/../shared/datasets}"
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-passive}"

work="$(mktemp -d "${TMPDIR:-/tmp}/fimbit-e2e.XXXXXX")"
trap 'rm -rf "$work"' EXIT

passed=0
failed=0
rc=0

pass() { passed=$((passed + 1)); }
fail() {
  failed=$((failed + 1))
  echo "FAIL: $*" >&2
}

# run ARGS...: runs fimbit with an empty standard input; $rc gets the exit
# code, $work/stdout and $work/stderr what it printed.
run() {
  set +e
  "$FIMBIT_BINARY" "$@" </dev/null >"$work/stdout" 2>"$work/stderr"
  rc=$?
  set -e
}

# run_stdin FILE ARGS...: run with FILE on standard input.
run_stdin() {
  local input="$1"
  shift
  set +e
  "$FIMBIT_BINARY" "$@" <"$input" >"$work/stdout" 2>"$work/stderr"
  rc=$?
  set -e
}

show_run() {
  echo "  exit code: $rc" >&2
  echo "  stderr: $(head -c 400 "$work/stderr")" >&2
  echo "  stdout (head): $(head -c 400 "$work/stdout")" >&2
}

# expect_rc NAME CODE: the last run exited with CODE.
expect_rc() {
  if [ "$rc" -eq "$2" ]; then pass; else
    fail "$1: exit code $rc, expected $2"
    show_run
  fi
}

# expect_ok NAME: the last run succeeded and printed nothing on stderr.
expect_ok() {
  if [ "$rc" -eq 0 ] && [ ! -s "$work/stderr" ]; then pass; else
    fail "$1: expected success with a silent stderr"
    show_run
  fi
}

# expect_same NAME EXPECTED ACTUAL: two files hold the same bytes.
expect_same() {
  if cmp -s "$2" "$3"; then pass; else
    fail "$1: $3 differs from $2"
    diff "$2" "$3" | head -20 >&2 || true
  fi
}

# expect_text NAME TEXT FILE: FILE holds exactly TEXT (plus a final newline).
expect_text() {
  printf '%s\n' "$2" >"$work/expected_text"
  expect_same "$1" "$work/expected_text" "$3"
}

# expect_grep NAME PATTERN FILE: FILE has a line matching the extended regex.
expect_grep() {
  if grep -Eq -- "$2" "$3"; then pass; else
    fail "$1: no line of $(basename "$3") matches /$2/"
    head -c 400 "$3" >&2 || true
    echo >&2
  fi
}

# expect_no_grep NAME PATTERN FILE.
expect_no_grep() {
  if ! grep -Eq -- "$2" "$3"; then pass; else
    fail "$1: $(basename "$3") matches /$2/ but should not"
  fi
}

# expect_lines NAME N FILE: FILE has N lines.
expect_lines() {
  local lines
  lines=$(wc -l <"$3")
  if [ "$lines" -eq "$2" ]; then pass; else
    fail "$1: $(basename "$3") has $lines lines, expected $2"
    head -20 "$3" >&2 || true
  fi
}

# expect_empty NAME FILE.
expect_empty() {
  if [ ! -s "$2" ]; then pass; else
    fail "$1: $(basename "$2") should be empty"
    head -c 400 "$2" >&2
    echo >&2
  fi
}

# expect_absent NAME PATH: no file at PATH (and no temporary left beside it).
expect_absent() {
  local leftovers
  leftovers=$(find "$(dirname "$2")" -maxdepth 1 -name ".$(basename "$2").*" | head -1)
  if [ ! -e "$2" ] && [ -z "$leftovers" ]; then pass; else
    fail "$1: $2 (or a temporary beside it) exists after a failed run"
  fi
}

# finish: prints the tally; the script's exit code says whether all passed.
# True when the binary under test is an AddressSanitizer build. Not
# `ldd | grep -q`: grep stops at the first match, ldd may then die of SIGPIPE,
# and pipefail turns the answer into a coin toss.
is_sanitizer_build() {
  local libraries
  libraries=$(ldd "$FIMBIT_BINARY" 2>/dev/null || true)
  [[ $libraries == *libasan* ]]
}

finish() {
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ]
}

# The small dataset whose frequent itemsets and rules the tests know by heart
# (8 baskets; at min support 2 there are 9 frequent itemsets).
write_small_fimi() {
  printf '%s\n' '1 2 3' '1 2' '1 3' '2 3' '1 2 3 4' '1 4' '2' '3 5' >"$1"
}

# Its frequent itemsets at min support 2, in canonical (--sort) order.
small_itemsets_sorted='1 (5)
2 (5)
3 (5)
4 (2)
1 2 (3)
1 3 (3)
1 4 (2)
2 3 (3)
1 2 3 (2)'
