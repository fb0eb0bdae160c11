#!/usr/bin/env bash
# More threads than work (-T 128 on 0, 1 and 2 baskets) gives what one thread
# gives, and idle threads hold little memory.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

: >"$work/none.dat"
printf '%s\n' '1 2 3' >"$work/one.dat"
printf '%s\n' '1 2 3' '2 3' >"$work/two.dat"
# same_at_128 NAME ARGS...: the run at -T 128 writes -T 1's bytes.
same_at_128() {
  local name="$1"
  shift
  run "$@" -T 1 -o "$work/one_thread.txt"
  expect_rc "$name at -T 1" 0
  run "$@" -T 128 -o "$work/many_threads.txt"
  expect_rc "$name at -T 128" 0
  expect_same "$name: -T 128 as -T 1" "$work/one_thread.txt" "$work/many_threads.txt"
}
for input in none one two; do
  for algorithm in auto fpgrowth eclat; do
    for target in all closed maximal; do
      same_at_128 "$input $algorithm $target" itemsets -q -s 1 -a $algorithm -t $target --sort \
        "$work/$input.dat"
    done
  done
  same_at_128 "$input rules" rules -q -s 1 -c 0 --measures all -f csv --sort "$work/$input.dat"
  same_at_128 "$input info" info "$work/$input.dat"
done

# FPmax's one walk runs at any thread count (test_fpgrowth checks it is the
# walk taken; its cost is bench's to measure): the same sets at -T 2.
chess="$FIMBIT_DATASETS/chess.dat"
if [ -f "$chess" ]; then
  run itemsets -s 1000 -a fpgrowth -t maximal --sort -T 1 "$chess" -o "$work/fpmax_one.txt"
  expect_ok "chess fpmax at -T 1"
  run itemsets -s 1000 -a fpgrowth -t maximal --sort -T 2 "$chess" -o "$work/fpmax_two.txt"
  expect_ok "chess fpmax at -T 2"
  expect_same "chess fpmax: -T 2 as -T 1" "$work/fpmax_one.txt" "$work/fpmax_two.txt"
  # FP-growth's subset tables (768 KiB a thread) were zeroed by every thread
  # of the team before any work: chess at 2000, 75 branches, peaked at 75 MiB
  # at -T 128 (4.9 MiB at -T 1). Now only the entries a thread's bases reach
  # become resident: 11 MiB. AddressSanitizer's shadow memory adds its own.
  if ! is_sanitizer_build; then
    run itemsets -s 2000 -T 128 -v "$chess" -o "$work/chess_many.txt"
    expect_rc "chess 2000 at -T 128" 0
    peak=$(sed -n 's/.*peak RSS \([0-9]*\)[.0-9]* MiB.*/\1/p' "$work/stderr")
    if [ -n "$peak" ] && [ "$peak" -lt 30 ]; then pass; else
      fail "chess 2000 at -T 128 peaked at ${peak:-?} MiB, 30 or more"
    fi
  fi
else
  echo "SKIP: dataset chess.dat not found at $chess"
fi

finish
