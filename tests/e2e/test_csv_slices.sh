#!/usr/bin/env bash
# Long CSV big enough to be read in several slices (one per thread, 1 MiB at
# least): itemsets, rules and info, with and without --group, write the same
# bytes with 1, 2 and 4 threads, on rows whose quoted fields hold separators,
# line breaks and doubled quotes (so cuts fall inside them); gzip input too;
# and a bad row far into the file is reported at the same place by every
# thread count.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

# About 5 MB of order lines (2.2 MB, two slices at most, in the sanitizer
# build, which checks a few commands only): invoice, a quoted description (a
# comma, a line break, a doubled quote), the item, the region; an item code
# with a bare quote now and then (a quote inside an unquoted field is text).
invoices=22000 least=4500000
if is_sanitizer_build; then invoices=10000 least=2200000; fi
awk -v invoices="$invoices" 'BEGIN {
  srand(15); print "InvoiceNo,Description,StockCode,Region";
  for (invoice = 1; invoice <= invoices; invoice++) {
    region = "r" (invoice % 37); lines = 1 + int(rand() * 9);
    for (l = 0; l < lines; l++) {
      item = int(rand() * rand() * 60);
      code = (item % 11 == 0) ? "S" item "\"in" : "S" item;
      printf "%d,\"Line %d, part\nof \"\"item\"\" %d\",%s,\"%s\"\n", invoice, l, item, code, region;
    }
  }
}' >"$work/orders.csv"
size=$(wc -c <"$work/orders.csv")
if [ "$size" -lt "$least" ]; then fail "the input is only $size bytes"; fi
gzip -c "$work/orders.csv" >"$work/orders.csv.gz"
columns=(--columns InvoiceNo,StockCode)

# same NAME ARGS...: the output of ARGS with -T 1, 2 and 4 is one and the
# same, and not empty.
same() {
  local name="$1"
  shift
  local t
  for t in 1 2 4; do
    run "$@" -T "$t" -o "$work/out$t"
    if [ "$rc" -ne 0 ]; then
      fail "$name -T $t: exit $rc"
      show_run
      return
    fi
  done
  if [ -s "$work/out1" ] && cmp -s "$work/out1" "$work/out2" && cmp -s "$work/out1" "$work/out4"
  then pass; else fail "$name: the outputs of -T 1, 2 and 4 differ (or are empty)"; fi
}

same "rules" rules "${columns[@]}" -s 0.5% -c 0.3 --sort "$work/orders.csv"
same "group rules" rules "${columns[@]}" --group Region -s 2% -c 0.3 --sort -f csv \
  "$work/orders.csv"
if ! is_sanitizer_build; then
  same "itemsets" itemsets "${columns[@]}" -s 0.5% --sort -f csv "$work/orders.csv"
  same "gzip rules" rules "${columns[@]}" -s 0.5% -c 0.3 --sort "$work/orders.csv.gz"
  same "group itemsets" itemsets "${columns[@]}" --group Region -s 2% --sort -f jsonl \
    "$work/orders.csv"
  same "info" info "${columns[@]}" --group Region "$work/orders.csv"
  same "description as the item" itemsets --columns InvoiceNo,Description -s 1% --sort \
    "$work/orders.csv"
fi

# A row without its item, past the middle of the file: it starts on line
# 60000 (every record above it takes two lines) and ends on the next.
awk 'NR == 60000 { print "9,\"a\nb\"" } { print }' "$work/orders.csv" >"$work/bad.csv"
threads="1 2 4"
if is_sanitizer_build; then threads="1 2"; fi
for t in $threads; do
  run itemsets "${columns[@]}" -s 1% -T "$t" -o "$work/bad.out" "$work/bad.csv"
  expect_rc "bad row -T $t" 1
  expect_grep "bad row -T $t, its place" \
    "bad.csv:60001:3: missing item column 'StockCode' \(column 3\): the row has 2 fields" \
    "$work/stderr"
  expect_absent "bad row -T $t, no output" "$work/bad.out"
done

finish
