#!/usr/bin/env bash
# A UTF-8 byte-order mark before a FIMI file that every rank maps and splits
# by byte ranges: the ranks find the same text (after the mark) as one
# process, so results and line 1's error columns are the same.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

bom=$'\xEF\xBB\xBF'
awk 'BEGIN { for (i = 0; i < 20000; i++) print i % 97, (i * 7) % 113, (i * 13) % 131 }' \
  >"$work/plain.dat"
printf '%s' "$bom" | cat - "$work/plain.dat" >"$work/bom.dat"

run itemsets -s 150 --sort -T 1 "$work/plain.dat"
cp "$work/stdout" "$work/plain-itemsets"
expect_mpi_matches "byte-order mark" "2 3" itemsets -s 150 --sort -T 1 "$work/bom.dat"
expect_same "byte-order mark: one process = without the mark" "$work/plain-itemsets" \
  "$work/single"

printf '%s1 2 x\n3\n' "$bom" >"$work/bad.dat"
mpi_run 2 itemsets -s 1 --input-format fimi "$work/bad.dat"
expect_rc "byte-order mark: an error on line 1" 1
expect_grep "byte-order mark: line 1's column after the mark" 'bad\.dat:1:5: ' "$work/stderr"

finish
