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

groceries="$FIMBIT_SOURCE_DIR/datasets/groceries.csv"
run info "$groceries"
expect_ok "groceries info"
expect_grep "groceries baskets" '^baskets +9835$' "$work/stdout"
expect_grep "groceries items" '^distinct items +169$' "$work/stdout"
expect_grep "groceries top item" '^  whole milk +2513 ' "$work/stdout"
run info --input-format basket --separator , "$groceries"
expect_grep "groceries, explicit format" '^baskets +9835$' "$work/stdout"

finish
