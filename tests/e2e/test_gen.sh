#!/usr/bin/env bash
# fimbit gen: options, formats, determinism across thread counts, usage errors.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

run gen --baskets 20k --seed 7 -T 1 -o "$work/t1.dat"
expect_ok "gen -T 1"
run gen --baskets 20k --seed 7 -T 2 -o "$work/t2.dat"
expect_ok "gen -T 2"
expect_same "same seed, same bytes at 1 and 2 threads" "$work/t1.dat" "$work/t2.dat"
expect_lines "20k is 20000 baskets" 20000 "$work/t1.dat"

# Standard output by default; the same bytes as the file.
run gen --baskets 20k --seed 7
expect_same "gen to standard output" "$work/t1.dat" "$work/stdout"

run gen --baskets 5 --names
expect_grep "--names: named baskets, comma separated" '^item[0-9]+(,item[0-9]+)*$' "$work/stdout"
run gen --baskets 2 --format csv-long --avg-size 3
expect_grep "csv-long: a header" '^basket_id,item$' "$work/stdout"
expect_grep "csv-long: rows" '^2,[0-9]+$' "$work/stdout"

# The model's knobs reach the baskets: fimbit info sees them.
run gen --baskets 5000 --avg-size 20 --items 100 --patterns 50 --pattern-size 6 \
  --correlation 0.25 --corruption 0.1 -o "$work/knobs.dat"
expect_ok "every model option"
run info -f csv "$work/knobs.dat"
expect_grep "at most N items" '^stats,distinct_items,(100|[1-9][0-9]?),' "$work/stdout"
expect_grep "mean near T" '^stats,avg_basket_size,(1[89]|2[0-2])\.' "$work/stdout"

run gen --names --format fimi
expect_rc "--names with fimi" 2
run gen --baskets 10X
expect_rc "a bad count" 2
run gen --corruption 2
expect_rc "corruption above 1" 2
run gen --items 0
expect_rc "no items" 2
run gen --min-support 3
expect_rc "a mining option" 2
run gen --baskets 10 -o /nonexistent/dir/out.dat
expect_rc "an unwritable output" 1

finish
