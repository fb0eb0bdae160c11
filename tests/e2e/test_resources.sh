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

# An address space too small at every stage in turn, with a second thread:
# its allocator arena and its stack must not fail where nothing reports it
# (jemalloc died of SIGSEGV, libgomp exited with a message of its own). Each
# run succeeds, or exits 1 with one line about memory and no output file.
# Below about 16 MiB the process cannot start at all (the dynamic loader or
# jemalloc's start-up fail before main): not tested.
# address_space_ladder NAME FROM TO STEP ARGS...: limits FROM..TO MiB.
address_space_ladder() {
  local name="$1" from="$2" to="$3" step="$4" limit
  shift 4
  for limit in $(seq "$from" "$step" "$to"); do
    set +e
    prlimit --as=$((limit << 20)) "$FIMBIT_BINARY" "$@" -o "$work/limited.txt" \
      </dev/null >"$work/stdout" 2>"$work/stderr"
    rc=$?
    set -e
    if [ "$rc" -eq 0 ] && [ ! -s "$work/stderr" ]; then
      pass
    elif [ "$rc" -eq 1 ] && [ "$(wc -l <"$work/stderr")" -eq 1 ] &&
      grep -q '^fimbit: .*memory' "$work/stderr" && [ ! -e "$work/limited.txt" ]; then
      pass
    else
      fail "$name under $limit MiB of address space"
      show_run
    fi
    rm -f "$work/limited.txt"
  done
}
address_space_ladder "itemsets -T 2" 16 40 2 itemsets -s 0.1% --sort -T 2 "$groceries"
address_space_ladder "rules table -T 2" 16 40 2 rules -s 0.2% -c 0.1 -f table -T 2 "$groceries"
# With the default thread count, a small run under a limit that leaves no
# room for a second thread's stack runs on the threads there is room for.
printf '%s\n' '1 2 3' '1 2' '2 3' >"$work/tiny.dat"
set +e
prlimit --as=$((24 << 20)) "$FIMBIT_BINARY" info "$work/tiny.dat" </dev/null \
  >"$work/stdout" 2>"$work/stderr"
rc=$?
set -e
expect_ok "default threads under 24 MiB of address space"
# Sixteen threads from 136 to 200 MiB: more than the five whose stacks glibc
# keeps by default, each making jemalloc's thread cache where memory may be
# out. Before the restart that keeps every stack and makes no thread caches,
# runs here died of SIGSEGV in jemalloc or exited with libgomp's "Thread
# creation failed" (3 to 5 of these 18 runs).
address_space_ladder "rules -T 16" 136 200 8 rules -s 0.2% -c 0.1 --measures all -f csv -T 16 \
  "$groceries"
retail="$FIMBIT_DATASETS/retail.dat"
if [ -f "$retail" ]; then
  address_space_ladder "retail rules -T 2" 26 36 1 rules -s 0.3% -c 0.1 -T 2 "$retail"
  address_space_ladder "retail itemsets -T 16" 136 200 8 itemsets -s 0.1% -T 16 "$retail"
else
  echo "SKIP: dataset retail.dat not found at $retail"
fi

finish
