#!/usr/bin/env bash
# Every input form of the same baskets gives the same sorted itemsets: FIMI
# plain, gzip, zstd, standard input, several files, named baskets (any
# separator), long CSV with scattered rows (by column name or index, with or
# without a header).
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

finish
