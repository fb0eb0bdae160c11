#!/usr/bin/env bash
# Help, version, usage errors, exit codes, and a reader that closes the pipe.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

version_line="fimbit $(grep -m1 -o 'project(fimbit VERSION [0-9.]*' "$FIMBIT_SOURCE_DIR/CMakeLists.txt" | awk '{print $3}')"

for args in "--version" "-V" "itemsets --version" "rules -V" "info --version"; do
  # shellcheck disable=SC2086
  run $args
  expect_ok "fimbit $args"
  expect_text "fimbit $args prints the version" "$version_line" "$work/stdout"
done

for args in "--help" "-h" "help" "itemsets --help" "rules --help" "info -h" "help rules" \
            "itemsets -s 0 --help"; do
  # shellcheck disable=SC2086
  run $args
  expect_ok "fimbit $args"
  expect_grep "fimbit $args shows usage" '^Usage: fimbit' "$work/stdout"
done
run itemsets --help
expect_grep "itemsets --help lists --target" '--target' "$work/stdout"
run rules --help
expect_grep "rules --help lists --min-confidence" '--min-confidence' "$work/stdout"
expect_grep "rules --help lists --top" '--top' "$work/stdout"
expect_grep "rules --help: -f names table" '^  -f, --format F .*table' "$work/stdout"

# Every help text fits an 80-column terminal, and an example that goes on to
# the next line ends with a backslash, so that it can be pasted into a shell.
for command in "" itemsets rules info report recommend gen rfm; do
  # shellcheck disable=SC2086
  run $command --help
  expect_no_grep "fimbit $command --help fits 80 columns" '^.{81}' "$work/stdout"
  awk '/^Examples?:/ { example = 1 }
       example && /^   / && previous !~ /\\$/ { print }
       { previous = $0 }' "$work/stdout" >"$work/unjoined"
  expect_empty "fimbit $command --help: examples continue with a backslash" "$work/unjoined"
done

# Usage errors: exit 2, stdout empty, "fimbit: ..." then "Try 'fimbit CMD --help'.".
check_usage_error() {
  local name="$1" try="$2"
  shift 2
  run "$@"
  expect_rc "$name" 2
  expect_empty "$name: stdout" "$work/stdout"
  expect_lines "$name: two lines on stderr" 2 "$work/stderr"
  expect_grep "$name: first line" '^fimbit: ' "$work/stderr"
  expect_grep "$name: hint" "^Try '$try --help'\.$" "$work/stderr"
}
check_usage_error "no command" "fimbit"
check_usage_error "unknown command" "fimbit" frobnicate
check_usage_error "help for an unknown command" "fimbit" help frobnicate
check_usage_error "option before the command" "fimbit" -s 2 itemsets
check_usage_error "unknown option" "fimbit itemsets" itemsets --frobnicate
check_usage_error "missing option value" "fimbit itemsets" itemsets -s
check_usage_error "option of another command" "fimbit rules" rules -t closed
check_usage_error "value for a flag" "fimbit itemsets" itemsets --sort=yes
check_usage_error "max below min" "fimbit itemsets" itemsets -m 3 -n 2
check_usage_error "bad target" "fimbit itemsets" itemsets -t open
check_usage_error "bad algorithm" "fimbit rules" rules -a apriori
check_usage_error "bad format" "fimbit info" info -f xml
check_usage_error "bad threads" "fimbit info" info -T -1
check_usage_error "bad input format" "fimbit info" info --input-format xml
check_usage_error "bad separator" "fimbit info" info --separator ab
check_usage_error "bad columns" "fimbit info" info --columns onlyone
check_usage_error "bad confidence" "fimbit rules" rules -c 1.5
check_usage_error "bad lift" "fimbit rules" rules --min-lift -1
check_usage_error "bad top" "fimbit rules" rules --top 0
check_usage_error "top with sort" "fimbit rules" rules --top 3 --sort

run itemsets -s 0
expect_grep "the message names the option and value" "min-support '0'" "$work/stderr"

# `--` ends the options: a file called "-s".
write_small_fimi "$work/-s"
( cd "$work" && "$FIMBIT_BINARY" itemsets -s 2 --sort -- -s >"$work/dash.out" 2>"$work/dash.err" ) \
  && pass || fail "-- before a file named -s"
expect_text "-- before a file named -s: result" "$small_itemsets_sorted" "$work/dash.out"

# A reader that stops early: quiet, exit 0.
awk 'BEGIN { srand(7); for (b = 0; b < 3000; b++) { line = ""; for (i = 1; i <= 12; i++) line = line " " int(rand() * 30); print line } }' >"$work/wide.dat"
set +e
"$FIMBIT_BINARY" itemsets -s 2 -n 3 "$work/wide.dat" 2>"$work/pipe.err" | head -1 >/dev/null
status=("${PIPESTATUS[@]}")
set -e
if [ "${status[0]}" -eq 0 ]; then pass; else fail "fimbit | head -1 exited ${status[0]}, expected 0"; fi
expect_empty "fimbit | head -1 prints nothing on stderr" "$work/pipe.err"

# A closed standard output is an error, not a reader that went away.
set +e
"$FIMBIT_BINARY" itemsets -s 2 "$work/-s" >&- 2>"$work/closed.err"
rc=$?
set -e
expect_rc "closed standard output" 1
expect_grep "closed standard output: message" '^fimbit: .*standard output' "$work/closed.err"

finish
