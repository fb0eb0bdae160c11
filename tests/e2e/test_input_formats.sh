#!/usr/bin/env bash
# Every input form of the same baskets gives the same sorted itemsets: FIMI
# plain, gzip, zstd, standard input, several files, named baskets (any
# separator), long CSV with scattered rows (by column name or index, with or
# without a header). A UTF-8 byte-order mark at the start of any text fimbit
# reads changes nothing; UTF-16 text is refused by name.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

write_small_fimi "$work/small.dat"
printf '%s\n' "$small_itemsets_sorted" >"$work/expected"

mine() { run itemsets -s 2 --sort "$@"; }

mine "$work/small.dat"
expect_ok "FIMI file"
expect_same "FIMI file" "$work/expected" "$work/stdout"

mine --input-format fimi "$work/small.dat"
expect_ok "FIMI file, --input-format fimi"
expect_same "FIMI file, --input-format fimi" "$work/expected" "$work/stdout"

if command -v gzip >/dev/null; then
  gzip -c "$work/small.dat" >"$work/small.dat.gz"
  mine "$work/small.dat.gz"
  expect_ok "gzip file"
  expect_same "gzip file" "$work/expected" "$work/stdout"
  # Recognised by content, not by name.
  cp "$work/small.dat.gz" "$work/gzip-named-plain.dat"
  mine "$work/gzip-named-plain.dat"
  expect_same "gzip content under a plain name" "$work/expected" "$work/stdout"
else
  echo "SKIP: gzip not installed"
fi
if command -v zstd >/dev/null; then
  zstd -q -c "$work/small.dat" >"$work/small.dat.zst"
  mine "$work/small.dat.zst"
  expect_ok "zstd file"
  expect_same "zstd file" "$work/expected" "$work/stdout"
  run_stdin "$work/small.dat.zst" itemsets -s 2 --sort
  expect_same "zstd on standard input" "$work/expected" "$work/stdout"
else
  echo "SKIP: zstd not installed"
fi

run_stdin "$work/small.dat" itemsets -s 2 --sort
expect_ok "standard input, no INPUT"
expect_same "standard input, no INPUT" "$work/expected" "$work/stdout"
run_stdin "$work/small.dat" itemsets -s 2 --sort -
expect_same "standard input as -" "$work/expected" "$work/stdout"

# Several inputs are one dataset.
head -3 "$work/small.dat" >"$work/part1.dat"
tail -n +4 "$work/small.dat" >"$work/part2.dat"
mine "$work/part1.dat" "$work/part2.dat"
expect_ok "two files"
expect_same "two files are one dataset" "$work/expected" "$work/stdout"
run_stdin "$work/part2.dat" itemsets -s 2 --sort "$work/part1.dat" -
expect_same "a file and standard input are one dataset" "$work/expected" "$work/stdout"
# Standard input named twice among the inputs: a redirected file was read
# twice, a pipe once (the second found it empty).
run_stdin "$work/small.dat" itemsets -s 2 - -
expect_rc "'- -' with a file on standard input" 2
expect_grep "'- -': both named" 'the input - and the input - both read standard input' \
  "$work/stderr"
run_piped "$work/small.dat" itemsets -s 2 /dev/stdin -
expect_rc "/dev/stdin and - on a pipe" 2

# Named baskets: item k is called "i<k>"; names are compared after mapping back
# (and from the braced text form, "{i1, i2} (3)", to the plain one, "1 2 (3)").
unname() { sed 's/i\([0-9]\)/\1/g; s/[{}]//g; s/, / /g' "$1"; }
sed 's/\([0-9]\)/i\1/g; s/ /,/g' "$work/small.dat" >"$work/named.csv"
mine "$work/named.csv"
expect_ok "named baskets, auto"
unname "$work/stdout" >"$work/unnamed"
expect_same "named baskets, auto" "$work/expected" "$work/unnamed"
mine --input-format basket "$work/named.csv"
unname "$work/stdout" >"$work/unnamed"
expect_same "named baskets, --input-format basket" "$work/expected" "$work/unnamed"

sed 's/,/;/g' "$work/named.csv" >"$work/named.semicolon"
mine --input-format basket --separator ';' "$work/named.semicolon"
expect_ok "named baskets, --separator ';'"
unname "$work/stdout" >"$work/unnamed"
expect_same "named baskets, --separator ';'" "$work/expected" "$work/unnamed"

tr ',' '\t' <"$work/named.csv" >"$work/named.tsv"
for separator in '\t' tab; do
  mine --input-format basket --separator "$separator" "$work/named.tsv"
  expect_ok "named baskets, --separator $separator"
  unname "$work/stdout" >"$work/unnamed"
  expect_same "named baskets, --separator $separator" "$work/expected" "$work/unnamed"
done

# Names with spaces stay whole with a comma separator.
sed 's/i\([0-9]\)/item \1/g' "$work/named.csv" >"$work/spaced.csv"
run itemsets -s 2 --input-format basket --separator , -f jsonl "$work/spaced.csv"
expect_ok "names with spaces"
expect_grep "names with spaces stay whole" '"item 1"' "$work/stdout"

# Long CSV: one row per (basket, item), rows of a basket scattered, extra columns.
awk '{ for (i = 1; i <= NF; i++) print "order" NR ",7,i" $i }' "$work/small.dat" |
  awk 'BEGIN { srand(3) } { print rand() "\t" $0 }' | sort -n | cut -f2- >"$work/rows"
{ echo "order_id,quantity,product"; cat "$work/rows"; } >"$work/long.csv"
cp "$work/rows" "$work/long-noheader.csv"

mine --columns order_id,product "$work/long.csv"
expect_ok "long CSV, columns by name"
unname "$work/stdout" >"$work/unnamed"
expect_same "long CSV, columns by name" "$work/expected" "$work/unnamed"

mine --columns 1,3 --header "$work/long.csv"
expect_ok "long CSV, columns by index, --header"
unname "$work/stdout" >"$work/unnamed"
expect_same "long CSV, columns by index, --header" "$work/expected" "$work/unnamed"

mine --input-format csv --columns 1,3 --no-header "$work/long-noheader.csv"
expect_ok "long CSV, --no-header"
unname "$work/stdout" >"$work/unnamed"
expect_same "long CSV, --no-header" "$work/expected" "$work/unnamed"

# --no-header on a file with a header makes the header row a basket of its own.
mine -s 1 --input-format csv --columns 1,3 --no-header "$work/long.csv"
expect_grep "--no-header reads the header row as data" '^\{product\} \(1\)$' "$work/stdout"

# Two-column long CSV with the default columns, semicolon-separated.
cut -d, -f1,3 "$work/rows" | tr ',' ';' >"$work/long.semicolon"
mine --input-format csv --separator ';' "$work/long.semicolon"
expect_ok "long CSV, --separator ';'"
unname "$work/stdout" >"$work/unnamed"
expect_same "long CSV, --separator ';', default columns" "$work/expected" "$work/unnamed"

# A quoted CSV field keeps its separator.
printf 'basket,item\n1,"a,b"\n1,c\n2,"a,b"\n2,c\n' >"$work/quoted.csv"
run itemsets -s 2 --sort --input-format csv --header -f jsonl "$work/quoted.csv"
expect_ok "quoted CSV field"
expect_grep "quoted CSV field is one item" '"a,b"' "$work/stdout"

# The format is decided by content: forcing FIMI on named baskets is an error.
run itemsets -s 2 --input-format fimi "$work/named.csv"
expect_rc "named baskets read as FIMI fail" 1

# A UTF-8 byte-order mark (EF BB BF, as Excel's "CSV UTF-8" and many Windows
# tools write) at the start of a file is no data: every reader gives exactly
# what it gives without it. A pipe on standard input is streamed where a
# redirected file is mapped.
bom=$'\xEF\xBB\xBF'
with_bom() { printf '%s' "$bom" | cat - "$1" >"$2"; }

with_bom "$work/small.dat" "$work/bom.dat"
mine "$work/bom.dat"
expect_ok "byte-order mark: FIMI, auto format"
expect_same "byte-order mark: FIMI, auto format" "$work/expected" "$work/stdout"
mine -T 2 --input-format fimi "$work/bom.dat"
expect_same "byte-order mark: FIMI, two threads" "$work/expected" "$work/stdout"
run_stdin "$work/bom.dat" itemsets -s 2 --sort
expect_same "byte-order mark: standard input from a file" "$work/expected" "$work/stdout"
run_piped "$work/bom.dat" itemsets -s 2 --sort
expect_same "byte-order mark: standard input from a pipe" "$work/expected" "$work/stdout"
if command -v gzip >/dev/null; then
  gzip -c "$work/bom.dat" >"$work/bom.dat.gz"
  mine "$work/bom.dat.gz"
  expect_same "byte-order mark: gzip" "$work/expected" "$work/stdout"
fi
if command -v zstd >/dev/null; then
  zstd -q -c "$work/bom.dat" >"$work/bom.dat.zst"
  mine "$work/bom.dat.zst"
  expect_same "byte-order mark: zstd" "$work/expected" "$work/stdout"
  run_piped "$work/bom.dat.zst" itemsets -s 2 --sort
  expect_same "byte-order mark: zstd from a pipe" "$work/expected" "$work/stdout"
fi

with_bom "$work/named.csv" "$work/bom-named.csv"
mine "$work/bom-named.csv"
unname "$work/stdout" >"$work/unnamed"
expect_same "byte-order mark: named baskets" "$work/expected" "$work/unnamed"
with_bom "$work/long.csv" "$work/bom-long.csv"
mine --columns order_id,product "$work/bom-long.csv"
expect_ok "byte-order mark: long CSV, columns by name"
unname "$work/stdout" >"$work/unnamed"
expect_same "byte-order mark: long CSV, columns by name" "$work/expected" "$work/unnamed"
run_piped "$work/bom-long.csv" itemsets -s 2 --sort --columns order_id,product
unname "$work/stdout" >"$work/unnamed"
expect_same "byte-order mark: long CSV from a pipe" "$work/expected" "$work/unnamed"

# Only at the start: the same bytes inside a line, or leading a later line,
# are part of a name.
printf 'a,%sb\n%sc\n' "$bom" "$bom" >"$work/inner-bom.csv"
run itemsets -s 1 --sort -f jsonl "$work/inner-bom.csv"
expect_grep "byte-order mark inside a line is data" "^\\{\"items\":\\[\"${bom}b\"\\]" "$work/stdout"
expect_grep "byte-order mark leading line 2 is data" "^\\{\"items\":\\[\"${bom}c\"\\]" "$work/stdout"

# A file holding only the mark is an empty file.
printf '%s' "$bom" >"$work/bom-only"
: >"$work/empty"
run info "$work/empty"
mv "$work/stdout" "$work/info-empty"
run info "$work/bom-only"
expect_ok "byte-order mark alone"
expect_same "byte-order mark alone = an empty file" "$work/info-empty" "$work/stdout"
run_piped "$work/bom-only" info
expect_same "byte-order mark alone from a pipe = an empty file" "$work/info-empty" "$work/stdout"

# Columns of line 1 count from the byte after the mark, as an editor shows.
printf '1 2 x\n' >"$work/bad.dat"
with_bom "$work/bad.dat" "$work/bom-bad.dat"
run info --input-format fimi "$work/bom-bad.dat"
expect_grep "byte-order mark: FIMI error column" 'bom-bad\.dat:1:5: ' "$work/stderr"
printf 'basket,"item"x\n1,a\n' >"$work/bad.csv"
with_bom "$work/bad.csv" "$work/bom-bad.csv"
run info --input-format csv --header "$work/bom-bad.csv"
expect_grep "byte-order mark: CSV error column" 'bom-bad\.csv:1:14: ' "$work/stderr"

# rfm's order lines, with the columns by header name.
printf '%s\n' 'Invoice,Customer,Date,Amount' '1,ann,2011-03-01,2.5' '2,bob,2011-03-02,4' \
  '3,ann,2011-03-05,1' >"$work/orders.csv"
with_bom "$work/orders.csv" "$work/bom-orders.csv"
rfm=(rfm --customer Customer --order Invoice --date Date --amount Amount -f csv)
run "${rfm[@]}" "$work/orders.csv"
mv "$work/stdout" "$work/rfm-plain"
run "${rfm[@]}" "$work/bom-orders.csv"
expect_ok "byte-order mark: rfm"
expect_same "byte-order mark: rfm" "$work/rfm-plain" "$work/stdout"

# recommend's rules (JSON Lines) and baskets.
run rules -s 2 -c 0.5 -f jsonl -o "$work/rules.jsonl" "$work/named.csv"
with_bom "$work/rules.jsonl" "$work/bom-rules.jsonl"
printf '%s\n' 'i1' 'i2,i3' >"$work/queries.txt"
with_bom "$work/queries.txt" "$work/bom-queries.txt"
run recommend --rules "$work/rules.jsonl" --baskets "$work/queries.txt"
mv "$work/stdout" "$work/recommend-plain"
run recommend --rules "$work/bom-rules.jsonl" --baskets "$work/queries.txt"
expect_ok "byte-order mark: recommend --rules"
expect_same "byte-order mark: recommend --rules" "$work/recommend-plain" "$work/stdout"
run recommend --rules "$work/rules.jsonl" --baskets "$work/bom-queries.txt"
expect_same "byte-order mark: recommend --baskets" "$work/recommend-plain" "$work/stdout"

# --group-map and @FILE item lists.
printf '%s\n' 'order,segment' order1 order3 order5 order7 | sed '2,$s/$/,odd/' >"$work/map.csv"
printf '%s\n' order2 order4 order6 order8 | sed 's/$/,even/' >>"$work/map.csv"
with_bom "$work/map.csv" "$work/bom-map.csv"
grouped=(itemsets -s 1 --sort --columns order_id,product --group order_id)
run "${grouped[@]}" --group-map "$work/map.csv:segment" "$work/long.csv"
mv "$work/stdout" "$work/grouped-plain"
run "${grouped[@]}" --group-map "$work/bom-map.csv:segment" "$work/long.csv"
expect_ok "byte-order mark: --group-map"
expect_same "byte-order mark: --group-map" "$work/grouped-plain" "$work/stdout"
printf '%s\n' i1 i2 >"$work/items.txt"
with_bom "$work/items.txt" "$work/bom-items.txt"
run rules -s 2 -c 0.1 --sort --antecedent-items i1,i2 "$work/named.csv"
mv "$work/stdout" "$work/constrained"
run rules -s 2 -c 0.1 --sort --antecedent-items "@$work/bom-items.txt" "$work/named.csv"
expect_ok "byte-order mark: @FILE"
expect_same "byte-order mark: @FILE = the inline list" "$work/constrained" "$work/stdout"

# UTF-16 text is refused by name rather than read as bytes.
printf '\xFF\xFE1\x00 \x002\x00\n\x00' >"$work/utf16.dat"
run info "$work/utf16.dat"
expect_rc "UTF-16 text fails" 1
expect_grep "UTF-16 text named" 'utf16\.dat: UTF-16 text; convert it to UTF-8' "$work/stderr"

finish
