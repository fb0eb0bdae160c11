#!/usr/bin/env bash
# The ThreadSanitizer slice (scripts/tsan): every multi-thread path of the
# command line once, on inputs small enough for TSan's slowdown, with 4
# threads, each compared with the same run on 1 thread (sorted: the results
# are deterministic). TSan halts the run at its first report (TSAN_OPTIONS
# from scripts/tsan), which fails the comparison's run.
source "$(dirname "${BASH_SOURCE[0]}")/../e2e/common.sh"

chess="$FIMBIT_DATASETS/chess.dat"
mushroom="$FIMBIT_DATASETS/mushroom.dat"
retail="$FIMBIT_DATASETS/retail.dat"

# present FILE: true when the dataset FILE is there, else says which case
# family is skipped and why (the shared datasets may be absent).
skipped=0
present() {
  [ -r "$1" ] && return 0
  echo "skipped: dataset $(basename "$1") not found at $1"
  skipped=$((skipped + 1))
  return 1
}

# same_on_threads NAME ARGS...: ARGS with -T 4 and -T 1 succeed alike.
same_on_threads() {
  local name="$1"
  shift
  run "$@" -T 1
  expect_ok "$name, 1 thread"
  cp "$work/stdout" "$work/one"
  run "$@" -T 4
  expect_ok "$name, 4 threads (TSan clean)"
  expect_same "$name: 4 threads as 1" "$work/one" "$work/stdout"
}

if present "$chess"; then
  same_on_threads "FP-growth, all" itemsets -s 70% -a fpgrowth --sort "$chess"
  same_on_threads "Eclat, all" itemsets -s 70% -a eclat --sort "$chess"
  same_on_threads "rules, parallel writer" rules -s 75% -c 0.9 --sort "$chess"
  # Streamed into a file: blocks of several threads at reserved offsets, in
  # any order.
  run itemsets -s 70% -T 4 -o "$work/streamed.txt" "$chess"
  expect_ok "streamed, 4 threads (TSan clean)"
  run itemsets -s 70% -T 1 "$chess"
  sort "$work/stdout" >"$work/one"
  sort "$work/streamed.txt" >"$work/four"
  expect_same "streamed: 4 threads as 1" "$work/one" "$work/four"
fi
if present "$mushroom"; then
  same_on_threads "closed" itemsets -t closed -s 20% --sort "$mushroom"
  same_on_threads "maximal" itemsets -t maximal -s 20% --sort "$mushroom"
fi
if present "$retail"; then
  same_on_threads "sparse closed" itemsets -t closed -s 200 --sort "$retail"
  same_on_threads "parallel reader" info "$retail"
  # 88 k baskets: scored and formatted in blocks by the threads, written in
  # order.
  run rules -s 1% -c 0.2 -f jsonl -T 1 -o "$work/retail_rules.jsonl" "$retail"
  expect_ok "rules to recommend from"
  same_on_threads "recommend, parallel writer" recommend --rules "$work/retail_rules.jsonl" \
    --baskets "$retail" -k 3
fi

# rfm: generated order lines of 2.8 MB, cut into slices of 1 MiB or more
# (two at -T 4), totalled side by side and merged.
run gen --format orders --baskets 5k --seed 3 -o "$work/orders.csv"
expect_ok "gen orders"
same_on_threads "rfm, parallel read and merge" rfm --customer CustomerID --order InvoiceNo \
  --date InvoiceDate --amount Quantity*UnitPrice -f csv -q "$work/orders.csv"

# ctest's SKIP_RETURN_CODE: none of the datasets was there.
[ "$skipped" -lt 3 ] || exit 77
finish
