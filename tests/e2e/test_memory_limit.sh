#!/usr/bin/env bash
# --max-memory: a limit above what the encoded baskets and the mining need
# (but below the text's size) gives exactly the unlimited result; a limit
# below need stops with exit 1, one message and no output file; a streamed
# `itemsets` run stays small whatever the number of itemsets.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

# 200k named baskets with long names: about 44 MB of text, 8 MB of item ids.
"$FIMBIT_BINARY" gen --baskets 200k --names --seed 3 | sed 's/item/catalogue-product-/g' \
  >"$work/named.txt"
text_bytes=$(stat -c %s "$work/named.txt")

run itemsets -a eclat -s 1% --sort "$work/named.txt" -o "$work/unlimited.txt"
expect_ok "unlimited run"
run itemsets -a eclat -s 1% --sort --max-memory 36M "$work/named.txt" -o "$work/limited.txt"
expect_ok "36 MiB limit on a $text_bytes-byte file"
if [ "$text_bytes" -gt $((36 << 20)) ]; then pass; else fail "the text should exceed the limit"; fi
expect_same "the limit changes nothing in the result" "$work/unlimited.txt" "$work/limited.txt"

run itemsets -s 1% --max-memory 4M "$work/named.txt" -o "$work/none.txt"
expect_rc "below need: exit 1" 1
expect_lines "below need: one line on stderr" 1 "$work/stderr"
expect_grep "below need: says which limit" '^fimbit: memory limit of 4194304 bytes reached' \
  "$work/stderr"
expect_absent "below need: no output file" "$work/none.txt"

run rules -s 1% -c 0.5 --max-memory 1M "$work/named.txt" -o "$work/none.txt"
expect_rc "rules below need: exit 1" 1
expect_absent "rules below need: no output file" "$work/none.txt"

# The default path (auto: pairs and projection on sparse data) on 2 M named
# baskets: 160 MB of text, about 56 MB encoded. Under a 120 MiB limit the
# text cannot be held, yet itemsets and rules come out exactly as without one.
"$FIMBIT_BINARY" gen --baskets 2M --names --seed 5 -o "$work/big.txt"
big_bytes=$(stat -c %s "$work/big.txt")
if [ "$big_bytes" -gt $((120 << 20)) ]; then pass; else fail "the text should exceed 120 MiB"; fi
run itemsets -s 0.5% "$work/big.txt" -o "$work/big_unlimited.txt"
expect_ok "big file, no limit"
run itemsets -s 0.5% --max-memory 120M "$work/big.txt" -o "$work/big_limited.txt"
expect_ok "big file under 120 MiB"
sort "$work/big_unlimited.txt" >"$work/big_unlimited.sorted"
sort "$work/big_limited.txt" >"$work/big_limited.sorted"
expect_same "big file: the limit changes nothing" "$work/big_unlimited.sorted" \
  "$work/big_limited.sorted"
run rules -s 0.5% -c 0.5 "$work/big.txt" -o "$work/big_rules_unlimited.txt"
expect_ok "big file rules, no limit"
run rules -s 0.5% -c 0.5 --max-memory 120M "$work/big.txt" -o "$work/big_rules_limited.txt"
expect_ok "big file rules under 120 MiB"
sort "$work/big_rules_unlimited.txt" >"$work/big_rules_unlimited.sorted"
sort "$work/big_rules_limited.txt" >"$work/big_rules_limited.sorted"
expect_same "big file rules: the limit changes nothing" "$work/big_rules_unlimited.sorted" \
  "$work/big_rules_limited.sorted"
rm -f "$work/big.txt"

# Several inputs are one dataset: a later input's reservation projects its
# own baskets to its size, not the earlier inputs' too (a small file before a
# large one made the large one's first projection hundreds of times too big).
"$FIMBIT_BINARY" gen --baskets 20k --seed 3 -o "$work/small.dat"
"$FIMBIT_BINARY" gen --baskets 400k --seed 4 -o "$work/large.dat"
cat "$work/small.dat" "$work/large.dat" >"$work/joined.dat"
for limit in 1:24M 2:48M; do
  threads=${limit%%:*} limit=${limit#*:}
  run info -T$threads --max-memory $limit "$work/joined.dat" -o "$work/joined_info.txt"
  expect_ok "-T$threads: the inputs joined under $limit"
  run info -T$threads --max-memory $limit "$work/small.dat" "$work/large.dat" \
    -o "$work/two_info.txt"
  expect_ok "-T$threads: a small input then a large one under $limit"
  expect_same "-T$threads: two inputs read as one" "$work/joined_info.txt" "$work/two_info.txt"
done
rm -f "$work/small.dat" "$work/large.dat" "$work/joined.dat"

run itemsets --max-memory 12X "$work/named.txt"
expect_rc "a bad size" 2

# Streaming: millions of itemsets are written, never held. Mushroom at 406
# baskets has 3.76 million; 64 MiB is far below what holding them takes.
mushroom="$FIMBIT_DATASETS/mushroom.dat"
if [ -f "$mushroom" ]; then
  run itemsets -s 406 --max-memory 64M "$mushroom" -o "$work/mushroom.txt"
  expect_ok "mushroom streamed under 64 MiB"
  expect_lines "mushroom: every itemset" 3755705 "$work/mushroom.txt"
  run itemsets -s 406 --sort --max-memory 64M "$mushroom" -o "$work/mushroom_sorted.txt"
  expect_rc "mushroom kept for --sort needs more" 1
else
  echo "SKIP: dataset mushroom.dat not found at $mushroom"
fi

# A sink buffer that may not double is flushed instead: BMS1 at 40 baskets
# (48,543 itemsets through the projection's per-item sinks, one thread)
# needed 2792 KiB when a refused doubling stopped the run, and now needs
# 2675 KiB (jemalloc's size classes; the sanitizer build's allocator counts
# other sizes). 4 KiB is too little for anything.
bms1="$FIMBIT_DATASETS/BMS1.dat"
if [ -f "$bms1" ] && ! is_sanitizer_build; then
  run itemsets -s 40 -T 1 "$bms1" -o "$work/bms1_unlimited.txt"
  expect_ok "BMS1 at 40, no limit"
  run itemsets -s 40 -T 1 --max-memory 2730K "$bms1" -o "$work/bms1_limited.txt"
  expect_ok "BMS1 at 40: a sink that cannot grow flushes"
  expect_same "BMS1 at 40: the limit changes nothing" "$work/bms1_unlimited.txt" \
    "$work/bms1_limited.txt"
  run itemsets -s 40 -T 1 --max-memory 4K "$bms1" -o "$work/bms1_none.txt"
  expect_rc "BMS1 at 40 under 4 KiB: exit 1" 1
  expect_lines "BMS1 at 40 under 4 KiB: one line on stderr" 1 "$work/stderr"
  expect_absent "BMS1 at 40 under 4 KiB: no output file" "$work/bms1_none.txt"
else
  echo "SKIP: BMS1.dat not found at $bms1, or a sanitizer build"
fi

# 128 threads on a small result (groceries at 0.5%: 1,000 itemsets) under
# 8 MiB, by the default path (projection) and for rules: a thread's sink
# buffers and first store chunk start at 16 KiB (5.5 MiB of heap in all).
# At 256 and 320 KiB they took 70 MiB before the first itemset.
groceries="$FIMBIT_SOURCE_DIR/datasets/groceries.csv"
run itemsets -s 0.5% --sort -T 1 "$groceries" -o "$work/groceries_one.txt"
expect_ok "groceries at one thread"
run itemsets -s 0.5% --sort -T 128 --max-memory 8M "$groceries" -o "$work/groceries_many.txt"
expect_ok "128 threads under 8 MiB"
expect_same "128 threads, the same itemsets" "$work/groceries_one.txt" "$work/groceries_many.txt"
run rules -s 0.5% -c 0.1 -T 128 --max-memory 8M "$groceries" -o "$work/groceries_rules.txt"
expect_ok "rules: 128 threads under 8 MiB"

finish
