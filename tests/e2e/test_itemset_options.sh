#!/usr/bin/env bash
# Every itemsets option changes the result the documented way: support as a
# count, fraction or percent, sizes, target, algorithm, threads, formats,
# output file, sort, quiet and verbose.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

write_small_fimi "$work/small.dat"
printf '%s\n' "$small_itemsets_sorted" >"$work/expected"
data="$work/small.dat"

# Support: 8 baskets, so 2 baskets = 0.25 = 25%; 0.2 rounds up to 2 baskets.
for support in 2 0.25 25% 0.2 20% 2.5e-1; do
  run itemsets -s "$support" --sort "$data"
  expect_ok "-s $support"
  expect_same "-s $support means 2 baskets" "$work/expected" "$work/stdout"
done
run itemsets --min-support 3 --sort "$data"
expect_text "-s 3" "1 (5)
2 (5)
3 (5)
1 2 (3)
1 3 (3)
2 3 (3)" "$work/stdout"
# "1" is one basket; "1.0" is every basket.
run itemsets -s 1 "$data"
expect_lines "-s 1 is a count of one basket" 17 "$work/stdout"
run itemsets -s 1.0 "$data"
expect_rc "-s 1.0" 0
expect_empty "-s 1.0 is 100% of baskets: nothing" "$work/stdout"
expect_grep "an empty result warns" '^fimbit: warning: ' "$work/stderr"
run itemsets -s 100% -q "$data"
expect_ok "-q silences the warning"
expect_empty "-s 100% is every basket" "$work/stdout"
# The default is 1%: every itemset of a basket present once in 8 baskets.
run itemsets "$data"
expect_lines "default support 1% of 8 baskets is 1 basket" 17 "$work/stdout"

# Sizes.
run itemsets -s 2 --sort -m 2 "$data"
expect_text "-m 2" "1 2 (3)
1 3 (3)
1 4 (2)
2 3 (3)
1 2 3 (2)" "$work/stdout"
run itemsets -s 2 --sort --max-size 1 "$data"
expect_text "--max-size 1" "1 (5)
2 (5)
3 (5)
4 (2)" "$work/stdout"
run itemsets -s 2 --sort --min-size 2 -n 2 "$data"
expect_lines "-m 2 -n 2: the four pairs" 4 "$work/stdout"
run itemsets -s 2 --sort -n 0 "$data"
expect_same "-n 0 is no limit" "$work/expected" "$work/stdout"

# Targets.
run itemsets -s 2 --sort -t all "$data"
expect_same "-t all" "$work/expected" "$work/stdout"
run itemsets -s 2 --sort -t closed "$data"
expect_text "-t closed" "1 (5)
2 (5)
3 (5)
1 2 (3)
1 3 (3)
1 4 (2)
2 3 (3)
1 2 3 (2)" "$work/stdout"
run itemsets -s 2 --sort --target maximal "$data"
expect_text "--target maximal" "1 4 (2)
1 2 3 (2)" "$work/stdout"

# Algorithms and thread counts give the same itemsets.
for algorithm in auto fpgrowth eclat; do
  for threads in 0 1 2 3; do
    run itemsets -s 2 --sort -a "$algorithm" -T "$threads" "$data"
    expect_ok "-a $algorithm -T $threads"
    expect_same "-a $algorithm -T $threads" "$work/expected" "$work/stdout"
  done
done
groceries="$FIMBIT_SOURCE_DIR/datasets/groceries.csv"
run itemsets -s 0.5% --sort -a fpgrowth -T 1 "$groceries"
cp "$work/stdout" "$work/groceries.fpgrowth"
expect_ok "groceries, fpgrowth"
expect_grep "groceries has frequent pairs" '^\{whole milk, yogurt\} \([0-9]+\)$|^\{yogurt, whole milk\} \([0-9]+\)$' "$work/groceries.fpgrowth"
for run_args in "-a eclat -T 2" "-a auto -T 0" "--algorithm eclat --threads 1"; do
  # shellcheck disable=SC2086
  run itemsets -s 0.5% --sort $run_args "$groceries"
  expect_same "groceries, $run_args" "$work/groceries.fpgrowth" "$work/stdout"
done

# Sort: unsorted output is the same set of itemsets (without --sort, the items
# of a line come in the order the miner found them: compared numerically sorted).
run itemsets -s 2 -a eclat -T 2 "$data"
sort_items='{ n = NF - 1; for (i = 1; i <= n; i++) a[i] = $i + 0
  for (i = 2; i <= n; i++) { v = a[i]; for (j = i - 1; j > 0 && a[j] > v; j--) a[j + 1] = a[j]; a[j + 1] = v }
  line = ""; for (i = 1; i <= n; i++) line = line a[i] " "; print line $NF }'
awk "$sort_items" "$work/stdout" | sort >"$work/a"
sort "$work/expected" >"$work/b"
expect_same "unsorted output holds the same itemsets" "$work/b" "$work/a"

# Formats.
run itemsets -s 2 --sort -f text "$data"
expect_same "-f text" "$work/expected" "$work/stdout"
run itemsets -s 2 --sort -f csv "$data"
expect_ok "-f csv"
expect_lines "-f csv: a header and 9 rows" 10 "$work/stdout"
expect_no_grep "-f csv: no text-format counts" '\(' "$work/stdout"
expect_grep "-f csv: the pair 1 2 with count 3" '^"?1 2"?,(2,)?3(,|$)' "$work/stdout"
run itemsets -s 2 --sort --format jsonl "$data"
expect_ok "-f jsonl"
expect_lines "-f jsonl: 9 objects" 9 "$work/stdout"
if grep -vqE '^\{.*\}$' "$work/stdout"; then fail "-f jsonl: a line is not an object"; else pass; fi
expect_grep "-f jsonl: the triple" '\["?1"?, ?"?2"?, ?"?3"?\]' "$work/stdout"

# Output file.
run itemsets -s 2 --sort -o "$work/out.txt" "$data"
expect_ok "-o FILE"
expect_empty "-o FILE: nothing on stdout" "$work/stdout"
expect_same "-o FILE: the result" "$work/expected" "$work/out.txt"
echo stale >"$work/out.txt"
run itemsets -s 2 --sort --output "$work/out.txt" "$data"
expect_same "-o replaces an existing file" "$work/expected" "$work/out.txt"
run itemsets -s 2 --sort -o - "$data"
expect_same "-o - is standard output" "$work/expected" "$work/stdout"
run itemsets -s 2 --sort -f csv -o "$work/out.csv" "$data"
run itemsets -s 2 --sort -f csv "$data"
expect_same "-o with -f csv" "$work/stdout" "$work/out.csv"
run itemsets -s 2 -o /dev/null "$data"
expect_ok "-o /dev/null"

# Verbose: the machine, stage timings and peak memory on stderr, the same data on stdout.
run itemsets -s 2 --sort -v "$data"
expect_rc "-v" 0
expect_same "-v leaves stdout alone" "$work/expected" "$work/stdout"
for stage in machine read mine write 'peak RSS'; do
  expect_grep "-v reports $stage" "^fimbit: $stage" "$work/stderr"
done
expect_grep "-v reports the binding" "^fimbit: machine .* binding o[nf]" "$work/stderr"
run itemsets -s 2 --sort --verbose --quiet "$data"
expect_ok "--quiet after --verbose wins"

finish
