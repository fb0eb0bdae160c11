#!/usr/bin/env bash
# fimbit rfm: hand-computed RFM tables (ties, returns, rows without a
# customer, several date forms, --as-of, --bins), the three output formats,
# compressed and split inputs, errors with file:line:column, usage errors,
# and generated order lines against an independent computation.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

rfm_columns=(--customer Customer --order Invoice --date Date --amount 'Qty*Price')
gen_columns=(--customer CustomerID --order InvoiceNo --date InvoiceDate --amount Quantity*UnitPrice)

# Five customers and one row without a customer. alice returns a product
# (order 104: -2 x 0.5), bob's orders are 19 days apart, dates come as dates,
# date-times with and without seconds, fractions and zones, 't' and quoted.
# Latest date 2011-03-07, so as-of is 2011-03-08; n = 5 and 5 bins, so a
# score is 1 + b, b = customers strictly worse.
cat >"$work/orders.csv" <<'CSV'
Invoice,Item,Qty,Date,Price,Customer
100,a,2,2011-03-01,1.25,alice
100,b,1,2011-03-01,0.5,alice
101,a,1,2011-03-05T10:00:00Z,1.25,bob
102,c,3,2011-03-05 18:30,2,carol
103,a,4,2011-03-02 09:15:30.25+02:00,1.25,
104,b,-2,2011-03-07,0.5,alice
105,d,1,2011-03-07t23:59,4,dave
106,c,1,2011-02-20,2,bob
107,a,2,"2011-03-03 12:00:00",1,eve
CSV
# recency: alice 1, bob 3, carol 3, dave 1, eve 5 (ties alice/dave, bob/carol)
# frequency: alice 2, bob 2, carol 1, dave 1, eve 1
# monetary: alice 2.5 + 0.5 - 1 = 2, bob 1.25 + 2 = 3.25, carol 6, dave 4, eve 2
cat >"$work/expected.csv" <<'CSV'
customer,recency,frequency,monetary,r,f,m,segment
alice,1,2,2,4,4,1,loyal_customers
bob,3,2,3.25,2,4,3,at_risk
carol,3,1,6,2,1,5,hibernating
dave,1,1,4,4,1,4,promising
eve,5,1,2,1,1,1,hibernating
CSV
run rfm "${rfm_columns[@]}" -f csv "$work/orders.csv"
expect_rc "rfm csv" 0
expect_same "hand-computed table" "$work/expected.csv" "$work/stdout"
expect_text "one warning for the row without a customer" \
  "fimbit: warning: skipped 1 of 9 rows without a customer" "$work/stderr"
run rfm "${rfm_columns[@]}" -f csv -q "$work/orders.csv"
expect_ok "-q silences the warning"

# --as-of moves every recency; the ranks, and so the scores, stay.
sed 's/^\([a-z]*\),\([0-9]\),/\1,X\2,/' "$work/expected.csv" |
  awk -F, 'NR == 1 { print; next } { sub("X", "", $2); $2 += 2; print }' OFS=, \
    >"$work/expected_as_of.csv"
run rfm "${rfm_columns[@]}" -f csv -q --as-of 2011-03-10 "$work/orders.csv"
expect_same "--as-of 2011-03-10" "$work/expected_as_of.csv" "$work/stdout"
run rfm "${rfm_columns[@]}" -f csv -q --as-of 03/10/2011 --date-format '%m/%d/%Y' \
  "$work/orders.csv"
expect_rc "--as-of in --date-format, dates in ISO 8601 do not match it" 1
expect_grep "the first date names its place" \
  "orders.csv:2:11: invalid date '2011-03-01'" "$work/stderr"

# Three bins: 1 + floor(3b/5), and no segment names.
cat >"$work/expected_bins3.csv" <<'CSV'
customer,recency,frequency,monetary,r,f,m,segment
alice,1,2,2,2,2,1,
bob,3,2,3.25,1,2,2,
carol,3,1,6,1,1,3,
dave,1,1,4,2,1,2,
eve,5,1,2,1,1,1,
CSV
run rfm "${rfm_columns[@]}" -f csv -q --bins 3 "$work/orders.csv"
expect_same "--bins 3" "$work/expected_bins3.csv" "$work/stdout"

# Text and JSON Lines hold the same records.
cat >"$work/expected.txt" <<'TXT'
customer  recency  frequency  monetary  r  f  m  segment
alice           1          2         2  4  4  1  loyal_customers
bob             3          2      3.25  2  4  3  at_risk
carol           3          1         6  2  1  5  hibernating
dave            1          1         4  4  1  4  promising
eve             5          1         2  1  1  1  hibernating
TXT
run rfm "${rfm_columns[@]}" -q "$work/orders.csv"
expect_same "text table" "$work/expected.txt" "$work/stdout"
run rfm "${rfm_columns[@]}" -q -f jsonl "$work/orders.csv"
expect_grep "JSON Lines keys and numbers" \
  '^\{"customer":"bob","recency":3,"frequency":2,"monetary":3.25,"r":2,"f":4,"m":3,"segment":"at_risk"\}$' \
  "$work/stdout"
expect_lines "one JSON line per customer" 5 "$work/stdout"

# -v: a summary per segment on standard error, best segment first.
run rfm "${rfm_columns[@]}" -q -v -o "$work/out.csv" -f csv "$work/orders.csv"
expect_same "-o writes the table" "$work/expected.csv" "$work/out.csv"
expect_grep "-v: loyal_customers row" \
  '^fimbit: loyal_customers +1 +20\.00% +1\.0 +2\.00 +2\.00$' "$work/stderr"
expect_grep "-v: hibernating, two customers" \
  '^fimbit: hibernating +2 +40\.00% +4\.0 +1\.00 +4\.00$' "$work/stderr"

# Columns by index, gzip input, standard input, two inputs as one table.
run rfm --customer 6 --order 1 --date 4 --amount '3 * 5' -f csv -q "$work/orders.csv"
expect_same "columns by index" "$work/expected.csv" "$work/stdout"
gzip -c "$work/orders.csv" >"$work/orders.csv.gz"
run rfm "${rfm_columns[@]}" -f csv -q "$work/orders.csv.gz"
expect_same "gzip input" "$work/expected.csv" "$work/stdout"
run_stdin "$work/orders.csv" rfm "${rfm_columns[@]}" -f csv -q
expect_same "standard input" "$work/expected.csv" "$work/stdout"
head -5 "$work/orders.csv" >"$work/part1.csv"
{ head -1 "$work/orders.csv"; tail -n +6 "$work/orders.csv"; } >"$work/part2.csv"
run rfm "${rfm_columns[@]}" -f csv -q "$work/part1.csv" "$work/part2.csv"
expect_same "two inputs, each with its header, are one table" "$work/expected.csv" "$work/stdout"

# Another layout (the UCI Online Retail export's): --date-format, a
# cancelled order with a negative quantity, an exponent. Latest 2011-12-09,
# as-of 2011-12-10; n = 3, so a score is 1 + floor(5b/3).
cat >"$work/retail.csv" <<'CSV'
InvoiceNo,StockCode,Quantity,InvoiceDate,UnitPrice,CustomerID
536365,A,6,12/1/2010 8:26,2.55,17850
536366,B,6,12/1/2010 8:28,1.85,17850
C536379,D,-1,12/1/2010 9:41,27.5,14527
536380,E,24,12/2/2010 9:41,0.55,14527
536381,F,3,12/09/2011 12:50,1e1,12680
CSV
cat >"$work/expected_retail.csv" <<'CSV'
customer,recency,frequency,monetary,r,f,m,segment
17850,374,2,26.4,1,2,2,hibernating
14527,373,2,-14.3,2,2,1,hibernating
12680,1,1,30,4,1,4,promising
CSV
run rfm --customer CustomerID --order InvoiceNo --date InvoiceDate --amount Quantity*UnitPrice \
  --date-format '%m/%d/%Y %H:%M' -f csv "$work/retail.csv"
expect_ok "--date-format"
expect_same "Online Retail layout" "$work/expected_retail.csv" "$work/stdout"
run rfm --customer CustomerID --order InvoiceNo --date InvoiceDate --amount Quantity*UnitPrice \
  --date-format '%m/%d/%Y %H:%M' --as-of 2011-12-09 -f csv "$work/retail.csv"
expect_grep "--as-of ISO 8601 with --date-format" '^12680,0,1,30,' "$work/stdout"

# Data errors: exit 1, file:line:column, no output file.
bad() { # bad NAME LINE EXPECTED-MESSAGE-REGEX: the data row replaces line 3
  { head -2 "$work/orders.csv"; printf '%s\n' "$2"; tail -n +4 "$work/orders.csv"; } \
    >"$work/bad.csv"
  run rfm "${rfm_columns[@]}" -f csv -o "$work/bad_out.csv" "$work/bad.csv"
  expect_rc "$1: exit 1" 1
  expect_grep "$1: message" "$3" "$work/stderr"
  expect_absent "$1: no output file" "$work/bad_out.csv"
}
bad "month 13" "101,a,1,2011-13-01,1.25,bob" \
  "^fimbit: .*bad\.csv:3:9: invalid date '2011-13-01': month out of range"
bad "30 February" "101,a,1,2011-02-30,1.25,bob" "bad\.csv:3:9: invalid date .*day out of range"
bad "US date without --date-format" "101,a,1,3/5/2011,1.25,bob" \
  "bad\.csv:3:10: invalid date '3/5/2011': expected an ISO 8601 date"
bad "time without minutes" "101,a,1,2011-03-05 10,1.25,bob" "bad\.csv:3:22: invalid date .*expected a time"
bad "text after the zone" "101,a,1,2011-03-05T10:00Z!,1.25,bob" \
  "bad\.csv:3:26: invalid date .*unexpected text"
bad "a word for a quantity" "101,a,x2,2011-03-05,1.25,bob" \
  "bad\.csv:3:7: invalid number 'x2': expected a number"
bad "two decimal points" "101,a,1,2011-03-05,1.2.5,bob" "bad\.csv:3:23: invalid number '1\.2\.5'"
bad "an empty price" "101,a,1,2011-03-05,,bob" "bad\.csv:3:20: invalid number ''"
bad "an exponent without digits" "101,a,1,2011-03-05,1e,bob" "bad\.csv:3:22: invalid number '1e'"
bad "19 significant digits" "101,a,1,2011-03-05,1234567890123456789,bob" \
  "bad\.csv:3:38: .*more than 18 significant digits"
bad "a missing column" "101,a,1,2011-03-05" "bad\.csv:3:19: missing column 'Price' \(column 5\)"
printf 'Invoice,Item,Qty,When,Price,Customer\n' >"$work/header.csv"
run rfm "${rfm_columns[@]}" "$work/header.csv"
expect_rc "a column not in the header" 1
expect_grep "names the column" "header\.csv:1:1: no column named 'Date' in the header" \
  "$work/stderr"
run rfm "${rfm_columns[@]}" "$work/nonexistent.csv"
expect_rc "a missing file" 1

# Usage errors: exit 2 before reading anything.
usage() { # usage NAME ARGS...
  local name="$1"
  shift
  run rfm "$@" "$work/orders.csv"
  expect_rc "$name" 2
}
usage "no --customer" --order Invoice --date Date --amount Qty
usage "no --amount" --customer Customer --order Invoice --date Date
usage "three factors" "${rfm_columns[@]:0:6}" --amount 'Qty*Price*Qty'
usage "an empty factor" "${rfm_columns[@]:0:6}" --amount 'Qty*'
usage "an unknown date field" "${rfm_columns[@]}" --date-format '%Y-%m-%d %Q'
usage "a format without a day" "${rfm_columns[@]}" --date-format '%Y-%m'
usage "a bad --as-of" "${rfm_columns[@]}" --as-of 2011-02-30
usage "--bins 1" "${rfm_columns[@]}" --bins 1
usage "a mining option" "${rfm_columns[@]}" -s 2
usage "-f of gen" "${rfm_columns[@]}" -f fimi
run rfm --help
expect_grep "--help names the options" '^      --amount EXPR' "$work/stdout"

# Order lines from the generator against an independent computation (Python
# with exact decimals): returns, customers without a row, many ties.
if [ -x /usr/bin/python3 ]; then
  run gen --format orders --baskets 1500 --items 200 --seed 11 -o "$work/gen.csv"
  expect_ok "gen --format orders"
  expect_grep "gen orders: returns" '^C[0-9]+,[0-9]+,-[0-9]+,' "$work/gen.csv"
  expect_grep "gen orders: rows without a customer" ',,United Kingdom$' "$work/gen.csv"
  for bins in 5 4; do
    /usr/bin/python3 "$FIMBIT_SOURCE_DIR/tests/e2e/rfm_oracle.py" "$work/gen.csv" "$bins" \
      >"$work/oracle.csv"
    run rfm "${gen_columns[@]}" --bins "$bins" -q -f csv "$work/gen.csv"
    expect_same "generated orders, $bins bins, against the oracle" "$work/oracle.csv" \
      "$work/stdout"
  done
  /usr/bin/python3 "$FIMBIT_SOURCE_DIR/tests/e2e/rfm_oracle.py" "$work/gen.csv" 5 2012-01-31 \
    >"$work/oracle.csv"
  run rfm "${gen_columns[@]}" --as-of 2012-01-31T00:00 -q -f csv "$work/gen.csv"
  expect_same "generated orders, --as-of, against the oracle" "$work/oracle.csv" "$work/stdout"
fi

# -T: 4.4 MB of order lines are cut into 4 slices of 1 MiB or more at
# -T 2..4 (two a thread, at most one a MiB), totalled side by side and merged; the records are those of one
# thread, from a file and from standard input alike. Two bad rows in
# different slices: the first is named at every thread count.
run gen --format orders --baskets 8k --seed 5 -o "$work/orders8k.csv"
run rfm "${gen_columns[@]}" -q -f csv -T 1 -o "$work/one.csv" "$work/orders8k.csv"
expect_ok "-T 1"
for threads in 2 3 4 0; do
  run rfm "${gen_columns[@]}" -q -f csv -T "$threads" "$work/orders8k.csv"
  expect_same "-T $threads: the records of one thread" "$work/one.csv" "$work/stdout"
done
run_stdin "$work/orders8k.csv" rfm "${gen_columns[@]}" -q -f csv -T 3
expect_same "-T 3 from standard input" "$work/one.csv" "$work/stdout"
awk -F, 'NR == 30001 { $4 = "2011-13-01 10:00" } NR == 70001 { $3 = "x" } { print }' OFS=, \
  "$work/orders8k.csv" >"$work/bad8k.csv"
for threads in 1 2 3 4; do
  run rfm "${gen_columns[@]}" -f csv -T "$threads" -o "$work/bad8k_out.csv" "$work/bad8k.csv"
  expect_rc "-T $threads, two bad rows: exit 1" 1
  expect_grep "-T $threads: the first bad row" \
    "bad8k\.csv:30001:[0-9]+: invalid date '2011-13-01 10:00'" "$work/stderr"
  expect_absent "-T $threads, two bad rows: no output file" "$work/bad8k_out.csv"
done
run rfm "${gen_columns[@]}" -T -1 "$work/orders8k.csv"
expect_rc "-T -1 is a usage error" 2

# gen --format orders: the same bytes at every thread count.
run gen --format orders --baskets 20k --seed 3 -T 1 -o "$work/o1.csv"
run gen --format orders --baskets 20k --seed 3 -T 2 -o "$work/o2.csv"
expect_same "gen orders: same seed, same bytes at 1 and 2 threads" "$work/o1.csv" "$work/o2.csv"
expect_grep "gen orders: header" \
  '^InvoiceNo,StockCode,Quantity,InvoiceDate,UnitPrice,CustomerID,Country$' "$work/o1.csv"
run gen --format orders --baskets 3 --names --seed 3
expect_grep "gen orders --names" '^536365,item[0-9]+,[0-9]+,2010-12-01 [0-9]{2}:[0-9]{2},[0-9]+\.[0-9]{2},[0-9]*,[A-Za-z ]+$' \
  "$work/stdout"

finish
