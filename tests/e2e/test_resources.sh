#!/usr/bin/env bash
# Running out of memory: exit code 1, one message, no output file.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

# AddressSanitizer reserves terabytes of address space: a limit breaks it.
if is_sanitizer_build; then
  echo "SKIP: sanitizer build; an address-space limit does not apply"
  finish
  exit $?
fi

groceries="$FIMBIT_SOURCE_DIR/datasets/groceries.csv"
# Every itemset of every basket (one basket has 32 items), kept for --sort:
# far beyond 400 MB.
set +e
(
  ulimit -v 400000
  exec timeout 120 "$FIMBIT_BINARY" itemsets -s 1 -T 2 --sort -o "$work/huge.txt" "$groceries"
) >"$work/stdout" 2>"$work/stderr"
rc=$?
set -e
expect_rc "out of memory" 1
expect_lines "out of memory: one line on stderr" 1 "$work/stderr"
expect_grep "out of memory: message" '^fimbit: .*memory' "$work/stderr"
expect_absent "out of memory: no output file" "$work/huge.txt"

finish
