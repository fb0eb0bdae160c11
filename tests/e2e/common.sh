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

passed=0
failed=0
rc=0
last_command=""

# A failure that does not come back on a rerun is only understood from what
# the failing run left: its scratch directory (failures.log, and each failed
# check's files as failure.N.*) is kept, under the build tree's
# Testing/e2e-failures when ctest runs the test (ctest's own LastTest.log is
# rewritten by the rerun), else where it is.
keep_evidence() {
  local kept="$work"
  if [ -n "${FIMBIT_BUILD_DIR:-}" ] && mkdir -p "$FIMBIT_BUILD_DIR/Testing/e2e-failures"; then
    local prefix
    prefix="$FIMBIT_BUILD_DIR/Testing/e2e-failures/$(basename "$0" .sh)"
    kept="$prefix.$(date -u +%Y%m%dT%H%M%SZ).$$"
    mv "$work" "$kept" || kept="$work"
    # The newest five failures of a test are kept (names sort by time): a
    # test that keeps failing does not fill the disk with copies.
    find "$(dirname "$prefix")" -maxdepth 1 -name "$(basename "$prefix").*" | sort | head -n -5 |
      xargs -r rm -rf
  fi
  echo "the failed run's files are kept in $kept" >&2
}
# At exit: a failed check or an abort (not a skip, 77) keeps the evidence.
clean_up() {
  if [ "$failed" -gt 0 ] || { [ "$1" -ne 0 ] && [ "$1" -ne 77 ]; }; then
    keep_evidence
  else
    rm -rf "$work"
  fi
}
trap 'clean_up $?' EXIT

# The binary as it was when the test started: a rebuild while the test runs
# (by hand, or cpack's preinstall step in an out-of-date tree) makes failures
# that are not fimbit's, and finish says so.
binary_identity() { stat -L -c '%i %Y %s' "$FIMBIT_BINARY" 2>/dev/null || echo missing; }
binary_at_start=$(binary_identity)

pass() { passed=$((passed + 1)); }
# fail MESSAGE: counts a failed check; the last run's output is copied beside
# the message in failures.log, since the next run overwrites it.
fail() {
  failed=$((failed + 1))
  echo "FAIL: $*" >&2
  printf 'FAIL %d: %s\n  last run: %s (exit code %s)\n' "$failed" "$*" "$last_command" "$rc" \
    >>"$work/failures.log"
  local stream
  for stream in stdout stderr; do
    if [ -f "$work/$stream" ]; then cp "$work/$stream" "$work/failure.$failed.$stream" || true; fi
  done
}

# run ARGS...: runs fimbit with an empty standard input; $rc gets the exit
# code, $work/stdout and $work/stderr what it printed.
run() {
  last_command="fimbit $*"
  set +e
  "$FIMBIT_BINARY" "$@" </dev/null >"$work/stdout" 2>"$work/stderr"
  rc=$?
  set -e
}

# run_stdin FILE ARGS...: run with FILE on standard input.
run_stdin() {
  local input="$1"
  shift
  last_command="fimbit $* <$input"
  set +e
  "$FIMBIT_BINARY" "$@" <"$input" >"$work/stdout" 2>"$work/stderr"
  rc=$?
  set -e
}

# run_piped FILE ARGS...: run with FILE through a pipe on standard input
# (streamed, where a redirected file is mapped).
run_piped() {
  local input="$1"
  shift
  last_command="fimbit $* < <(cat $input)"
  set +e
  "$FIMBIT_BINARY" "$@" < <(cat "$input") >"$work/stdout" 2>"$work/stderr"
  rc=$?
  set -e
}

show_run() {
  echo "  command: $last_command" >&2
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

# expect_same NAME EXPECTED ACTUAL: two files hold the same bytes. On a
# difference both are kept (failure.N.expected, failure.N.actual), and when
# ACTUAL is the last run's output, how that run ended.
expect_same() {
  if cmp -s "$2" "$3"; then pass; else
    fail "$1: $3 differs from $2"
    cp "$2" "$work/failure.$failed.expected" 2>/dev/null || true
    cp "$3" "$work/failure.$failed.actual" 2>/dev/null || true
    diff "$2" "$3" | head -20 >&2 || true
    if [ "$3" = "$work/stdout" ]; then show_run; fi
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

# True when the binary under test is an AddressSanitizer build. Not
# `ldd | grep -q`: grep stops at the first match, ldd may then die of SIGPIPE,
# and pipefail turns the answer into a coin toss.
is_sanitizer_build() {
  local libraries
  libraries=$(ldd "$FIMBIT_BINARY" 2>/dev/null || true)
  [[ $libraries == *libasan* ]]
}

# finish: prints the tally; the script's exit code says whether all passed.
finish() {
  if [ "$(binary_identity)" != "$binary_at_start" ]; then
    echo "WARNING: $FIMBIT_BINARY was replaced while this test ran (a rebuild?);" \
      "failures above may come from that, not from fimbit" | tee -a "$work/failures.log" >&2
  fi
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
