#!/usr/bin/env bash
# The same input and options give byte-identical --sort'ed output whatever
# the thread count (1, 2, 3, 4, 8) and algorithm, run after run: every output
# is compared with the first, over several rounds.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

groceries="$FIMBIT_SOURCE_DIR/datasets/groceries.csv"
# A FIMI dataset with more baskets than one 65,536-basket shard.
awk 'BEGIN { srand(7); for (b = 0; b < 70000; b++) { n = 1 + int(rand() * 8);
       line = ""; for (k = 0; k < n; k++) line = line " " int(rand() * rand() * 40); print line } }' \
  >"$work/shards.dat"

# Repetition is the Release build's job; the sanitizer build checks every
# algorithm and thread count once, at a fraction of its speed.
rounds=3
if [ "${FIMBIT_SANITIZE:-OFF}" = ON ]; then rounds=1; fi
# check NAME ARGS...: every round, algorithm and thread count writes the same
# bytes as the first run.
check() {
  local name="$1"
  shift
  local reference="" differing=0 runs=0
  for round in $(seq 1 "$rounds"); do
    for algorithm in fpgrowth eclat; do
      for threads in 1 2 3 4 8; do
        run "$@" -a "$algorithm" -T "$threads" --sort -q -o "$work/out"
        runs=$((runs + 1))
        if [ "$rc" -ne 0 ]; then
          fail "$name: -a $algorithm -T $threads, round $round: exit $rc"
          show_run
          return
        fi
        if [ -z "$reference" ]; then
          reference="$work/reference"
          mv "$work/out" "$reference"
        elif ! cmp -s "$reference" "$work/out"; then
          differing=$((differing + 1))
          echo "  $name: -a $algorithm -T $threads, round $round differs" >&2
          diff "$reference" "$work/out" | head -5 >&2 || true
        fi
      done
    done
  done
  if [ "$differing" -eq 0 ] && [ -s "$reference" ]; then pass; else
    fail "$name: $differing of $runs runs differ (or the output is empty)"
  fi
  rm -f "$reference"
}

check "itemsets" itemsets -s 0.5% "$groceries"
check "closed, csv" itemsets -s 0.3% -t closed -f csv "$groceries"
check "maximal, jsonl" itemsets -s 0.2% -t maximal -f jsonl "$groceries"
check "rules" rules -s 0.3% -c 0.2 --max-consequent 2 "$groceries"
check "rules, jsonl" rules -s 0.5% -c 0.1 -f jsonl "$groceries"
check "two shards" itemsets -s 200 "$work/shards.dat"
check "two shards, rules" rules -s 300 -c 0.1 -f csv "$work/shards.dat"

finish
