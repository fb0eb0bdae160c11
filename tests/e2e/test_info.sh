#!/usr/bin/env bash
# fimbit info: the statistics, histogram and top items, in text, CSV and JSONL.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

write_small_fimi "$work/small.dat"
printf '\n' >>"$work/small.dat" # an empty basket

run info "$work/small.dat"
expect_ok "info"
expect_grep "baskets" '^baskets +9$' "$work/stdout"
expect_grep "empty baskets" '^empty baskets +1$' "$work/stdout"
expect_grep "distinct items" '^distinct items +5$' "$work/stdout"
expect_grep "total items" '^total items +18$' "$work/stdout"
expect_grep "average length" '^average length +2\.0000$' "$work/stdout"
expect_grep "max length" '^max length +4$' "$work/stdout"
expect_grep "density" '^density +0\.400000$' "$work/stdout"
expect_grep "histogram: 5 baskets of length 2" '^ +2 +5 +55\.56%$' "$work/stdout"
expect_grep "histogram: 1 empty basket" '^ +0 +1 +11\.11%$' "$work/stdout"
expect_grep "top item" '^  1 +5 +55\.56%$' "$work/stdout"
expect_grep "least frequent item is listed" '^  5 +1 +11\.11%$' "$work/stdout"

run info -f csv "$work/small.dat"
expect_ok "info -f csv"
expect_grep "csv header" '^section,key,value,share$' "$work/stdout"
expect_grep "csv baskets" '^stats,baskets,9,$' "$work/stdout"
expect_grep "csv histogram" '^length,2,5,0\.5555' "$work/stdout"
expect_grep "csv top item" '^top_item,1,5,0\.5555' "$work/stdout"

run info --format jsonl "$work/small.dat"
expect_ok "info -f jsonl"
expect_lines "info -f jsonl is one object" 1 "$work/stdout"
expect_grep "jsonl fields" '^\{"baskets":9,"empty_baskets":1,"distinct_items":5,"total_items":18,' "$work/stdout"
expect_grep "jsonl top items" '"top_items":\[\{"item":"1","count":5,' "$work/stdout"

run info -o "$work/info.txt" "$work/small.dat"
expect_ok "info -o FILE"
expect_empty "info -o FILE: stdout empty" "$work/stdout"
expect_grep "info -o FILE" '^baskets +9$' "$work/info.txt"

run info -v -T 1 "$work/small.dat"
expect_grep "info -v" '^fimbit: read' "$work/stderr"

# The histogram: one line per length up to 10, log-spaced ranges past it
# (11-20, 21-50, 51-100, 101-200, ...), empty bins left out. Baskets of 1 to
# 30 items and one of 150: the bins are counted here by hand.
for length in $(seq 1 30) 150; do seq -s ' ' 1 "$length"; done >"$work/lengths.dat"
run info "$work/lengths.dat"
expect_ok "info, long baskets"
sed -n '/^basket length/,/^$/p' "$work/stdout" | awk 'NF == 3 {print $1, $2}' >"$work/bins"
{ for length in $(seq 1 10); do echo "$length 1"; done
  echo "11-20 10"; echo "21-50 10"; echo "101-200 1"; } >"$work/expected_bins"
expect_same "histogram bins" "$work/expected_bins" "$work/bins"
run info -f csv "$work/lengths.dat"
expect_grep "csv range bin" '^length,21-50,10,0\.32258' "$work/stdout"
expect_grep "csv last range" '^length,101-200,1,' "$work/stdout"
expect_no_grep "csv: no empty bin" '^length,51-100,' "$work/stdout"
run info -f jsonl "$work/lengths.dat"
expect_grep "jsonl exact bin" '"length_histogram":\[\{"length":1,"baskets":1\},' "$work/stdout"
expect_grep "jsonl range bins" '\{"length":21,"max_length":50,"baskets":10\},\{"length":101,"max_length":200,"baskets":1\}\]' "$work/stdout"
# (The baskets nest: only item 1, in every basket, is frequent at -s 31.)
run report -q -s 31 "$work/lengths.dat"
expect_ok "report, long baskets"
expect_grep "report: a bar per range" '<title>11-20 items: 10 baskets' "$work/stdout"
expect_grep "report: the empty range is drawn" '<title>51-100 items: 0 baskets' "$work/stdout"

groceries="$FIMBIT_SOURCE_DIR/datasets/groceries.csv"
run info "$groceries"
expect_ok "groceries info"
expect_grep "groceries baskets" '^baskets +9835$' "$work/stdout"
expect_grep "groceries items" '^distinct items +169$' "$work/stdout"
expect_grep "groceries top item" '^  whole milk +2513 ' "$work/stdout"
run info --input-format basket --separator , "$groceries"
expect_grep "groceries, explicit format" '^baskets +9835$' "$work/stdout"

finish
