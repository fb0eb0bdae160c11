#!/usr/bin/env bash
# Limits and odd values, each with its documented behaviour
# (docs/reliability.md): huge and negative item ids, many distinct items, a
# huge basket, a long line, awkward names, empty input, blank lines, and
# support thresholds at the edges.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

# --- item ids ------------------------------------------------------------------
# FIMI ids are names: any decimal integer up to 2^64 - 1 is an item, whatever
# its size; ordered numerically by --sort.
printf '%s\n' '1 2147483648 4294967296' '2147483648 18446744073709551615' >"$work/big_ids.dat"
run itemsets -s 2 --sort --input-format fimi "$work/big_ids.dat"
expect_ok "ids beyond 2^31 and 2^32"
expect_text "ids beyond 2^31 and 2^32" "2147483648 (2)" "$work/stdout"
run itemsets -s 1 -n 1 --sort "$work/big_ids.dat"
expect_text "ids sorted numerically" "$(printf '%s\n' '1 (1)' '2147483648 (2)' \
  '4294967296 (1)' '18446744073709551615 (1)')" "$work/stdout"

printf '%s\n' '1 2' '3 18446744073709551616' >"$work/over.dat"
for format in auto fimi; do
  run itemsets -s 1 --input-format "$format" "$work/over.dat"
  expect_rc "id 2^64 ($format)" 1
  expect_grep "id 2^64 ($format): file:line:column" \
    '^fimbit: .*over\.dat:2:3: .*18446744073709551616' "$work/stderr"
done

printf '%s\n' '1 2' '3 -4' >"$work/negative.dat"
run itemsets -s 1 --input-format fimi "$work/negative.dat"
expect_rc "negative id, --input-format fimi" 1
expect_grep "negative id: file:line:column" "^fimbit: .*negative\.dat:2:3: .*'-4'" "$work/stderr"
# Without a format, a non-integer token makes the file named baskets.
run itemsets -s 1 -n 1 --sort "$work/negative.dat"
expect_ok "negative id, automatic format: a name"
expect_grep "negative id, automatic format: a name" '^\{-4\} \(1\)$' "$work/stdout"

# --- size ----------------------------------------------------------------------
# 1,000,000 distinct items (the documented 10 million runs the same code, ten
# times longer: see docs/reliability.md).
seq 1 1000000 >"$work/distinct.dat"
run info -T 2 "$work/distinct.dat"
expect_ok "a million distinct items"
expect_grep "a million distinct items" '^distinct items +1000000$' "$work/stdout"
run itemsets -s 2 -q -T 2 "$work/distinct.dat"
expect_ok "a million distinct items, none frequent"
expect_empty "a million distinct items, none frequent" "$work/stdout"

# One basket of a million items: every item is frequent at -s 1 (capped at
# one item per itemset: the basket has 2^1000000 subsets).
seq 1 1000000 | tr '\n' ' ' >"$work/one_basket.dat"
echo >>"$work/one_basket.dat"
run itemsets -s 1 -n 1 -T 2 "$work/one_basket.dat"
expect_ok "one basket of a million items"
expect_lines "one basket of a million items" 1000000 "$work/stdout"

# A 36 MB line (longer than the 32 MiB block streamed input is parsed in),
# through gzip on standard input.
awk 'BEGIN { for (i = 0; i < 3000000; i++) printf "item%07d ", i; print ""; print "item0000001 item0000002" }' |
  gzip -1 >"$work/long_line.gz"
run_stdin "$work/long_line.gz" itemsets -s 2 --sort -T 2
expect_ok "a 36 MB line"
expect_text "a 36 MB line" "$(printf '%s\n' '{item0000001} (2)' '{item0000002} (2)' \
  '{item0000001, item0000002} (2)')" "$work/stdout"

# --- names -------------------------------------------------------------------
# Commas, quotes, tabs and invalid UTF-8 are bytes of a name: kept as read,
# quoted in text and CSV, escaped in JSON Lines (invalid UTF-8 becomes U+FFFD
# there).
printf 'a,b;say "hi";tab\there\n\377\376;a,b\n' >"$work/names.txt"
names=(--input-format basket --separator ';' -s 2 --sort)
run itemsets "${names[@]}" "$work/names.txt"
expect_text "awkward names, text" '{"a,b"} (2)' "$work/stdout"
run itemsets "${names[@]}" -s 1 -n 1 "$work/names.txt"
expect_grep "quotes in text" '^\{"say ""hi"""\} \(1\)$' "$work/stdout"
expect_grep "tab in text" $'^\\{tab\there\\} \\(1\\)$' "$work/stdout"
run itemsets "${names[@]}" -s 1 -n 1 -f csv "$work/names.txt"
expect_grep "comma in a CSV field" '^"a,b",1,2,1$' "$work/stdout"
expect_grep "quotes in a CSV field" '^"say ""hi""",1,1,0.5$' "$work/stdout"
run itemsets "${names[@]}" -s 1 -n 1 -f jsonl "$work/names.txt"
expect_grep "quotes in JSON" '"say \\"hi\\""' "$work/stdout"
expect_grep "tab in JSON" '"tab\\u0009here"' "$work/stdout"
expect_grep "invalid UTF-8 in JSON" $'"\xef\xbf\xbd\xef\xbf\xbd"' "$work/stdout"
printf 'basket,item\n1,"a,b"\n1,"say ""hi"""\n2,"a,b"\n2,"x\ty"\n' >"$work/names.csv"
run itemsets --input-format csv -s 2 --sort "$work/names.csv"
expect_text "quoted long-CSV names" '{"a,b"} (2)' "$work/stdout"
# A NUL byte is binary data, not a name: an error at its place.
printf 'a;b\nnul\000byte;a\n' >"$work/nul.txt"
run itemsets --input-format basket --separator ';' -s 1 "$work/nul.txt"
expect_rc "NUL byte" 1
expect_grep "NUL byte: file:line:column" '^fimbit: .*nul\.txt:2:4: .*NUL' "$work/stderr"

# --- empty input ---------------------------------------------------------------
: >"$work/empty.dat"
run itemsets -s 1 "$work/empty.dat"
expect_rc "empty file" 0
expect_empty "empty file: no itemsets" "$work/stdout"
expect_grep "empty file: a warning" '^fimbit: warning: no frequent itemsets.* of 0 baskets' \
  "$work/stderr"
run info -f jsonl "$work/empty.dat"
expect_grep "empty file: info" '"baskets":0' "$work/stdout"
printf '\n\n\n' >"$work/blank.dat"
run info -f jsonl "$work/blank.dat"
expect_grep "blank lines are empty baskets" '"baskets":3,"empty_baskets":3' "$work/stdout"
run itemsets -s 1 -q "$work/blank.dat"
expect_ok "blank lines: no itemsets"
expect_empty "blank lines: no itemsets" "$work/stdout"

# --- support at the edges ------------------------------------------------------
# The small dataset has N = 8 baskets; item 2 is in 5, no item in all 8.
write_small_fimi "$work/small.dat"
printf '%s\n' '1 2 3' '1 2 3' '1 2 3' >"$work/same.dat"
run itemsets -s 0 "$work/small.dat"
expect_rc "-s 0: a usage error" 2
run itemsets -s 1 --sort "$work/small.dat"
expect_ok "-s 1"
expect_lines "-s 1: every itemset of some basket" 17 "$work/stdout"
run itemsets -s 3 --sort "$work/same.dat"
expect_lines "-s N: the itemsets of every basket" 7 "$work/stdout"
run itemsets -s 1.0 --sort "$work/same.dat"
expect_lines "-s 1.0 = N" 7 "$work/stdout"
run itemsets -s 100% --sort "$work/same.dat"
expect_lines "-s 100% = N" 7 "$work/stdout"
run itemsets -s 4 "$work/same.dat"
expect_rc "-s N+1" 0
expect_empty "-s N+1: nothing" "$work/stdout"
expect_grep "-s N+1: a warning" 'no frequent itemsets: min support is 4 of 3 baskets' \
  "$work/stderr"
run rules -s 4 -c 0 "$work/same.dat"
expect_rc "rules -s N+1" 0
expect_empty "rules -s N+1: nothing" "$work/stdout"

finish
