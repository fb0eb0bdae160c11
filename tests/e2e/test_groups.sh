#!/usr/bin/env bash
# --group and --group-map: every group mined as a dataset of its own equals a
# separate run on that group's rows (itemsets, rules, info; several thread
# counts; relative and absolute support); the map's column by name and by
# default, unmapped rows skipped with one warning; per-customer
# recommendations equal --basket with the customer's segment's rules; usage
# and data errors.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

# Order lines: 900 rows over 150 invoices, 30 customers, three countries (one
# with a space); items come in correlated pairs so that rules exist. A row
# may repeat an item of its invoice.
awk 'BEGIN {
  srand(15); print "InvoiceNo,StockCode,Quantity,CustomerID,Country";
  split("France,Germany,United Kingdom", countries, ",");
  for (invoice = 1; invoice <= 150; invoice++) {
    customer = 100 + int(rand() * 30); country = countries[1 + customer % 3];
    lines = 1 + int(rand() * 6);
    for (l = 0; l < lines; l++) {
      item = int(rand() * 12);
      printf "%d,S%02d,%d,%d,%s\n", invoice, item, 1 + int(rand() * 5), customer, country;
      if (item % 2 == 0 && rand() < 0.6)
        printf "%d,S%02d,1,%d,%s\n", invoice, item + 1, customer, country;
    }
  }
}' >"$work/orders.csv"
columns=(--columns InvoiceNo,StockCode)

# filter_rows FIELD VALUE OUT: the header and the rows whose FIELD is VALUE.
filter_rows() {
  awk -F, -v field="$1" -v value="$2" 'NR == 1 || $field == value' "$work/orders.csv" >"$3"
}

# prefix_records FORMAT GROUP IN: IN's records as --group writes them for GROUP.
prefix_records() {
  case "$1" in
    csv) tail -n +2 "$3" | sed "s/^/$2,/" ;;
    jsonl) sed "s/^{/{\"group\":\"$2\",/" "$3" ;;
    text) sed "s/^/$2: /" "$3" ;;
  esac
}

# expected_by_group FIELD "GROUPS" FORMAT HEADER ARGS...: the separate runs on
# each group's rows, prefixed and concatenated in group order.
expected_by_group() {
  local field="$1" groups="$2" format="$3" header="$4"
  shift 4
  : >"$work/expected"
  [ -n "$header" ] && printf '%s\n' "$header" >"$work/expected"
  while IFS= read -r group; do
    filter_rows "$field" "$group" "$work/rows.csv"
    "$FIMBIT_BINARY" "$@" -f "$format" -o "$work/one" "$work/rows.csv"
    prefix_records "$format" "$group" "$work/one" >>"$work/expected"
  done <<<"$groups"
}

countries=$(printf '%s\n' France Germany 'United Kingdom')
itemset_header="group,items,size,count,support"
rule_header="group,antecedent,consequent,count,support,confidence,lift,leverage,conviction"

for format in csv jsonl text; do
  header=""
  [ "$format" = csv ] && header="$itemset_header"
  expected_by_group 5 "$countries" "$format" "$header" itemsets "${columns[@]}" -s 3 --sort
  for threads in 1 2 3; do
    run itemsets "${columns[@]}" --group Country -s 3 --sort -f "$format" -T "$threads" \
      "$work/orders.csv"
    expect_ok "itemsets --group -f $format -T $threads"
    expect_same "itemsets --group -f $format -T $threads = separate runs" "$work/expected" \
      "$work/stdout"
  done
done

# A fraction is relative to each group's baskets; closed itemsets and a size
# bound apply per group too.
expected_by_group 5 "$countries" csv "$itemset_header" itemsets "${columns[@]}" -s 0.08 -t closed -n 3 --sort
run itemsets "${columns[@]}" --group 5 -s 0.08 -t closed -n 3 --sort -f csv -T 2 "$work/orders.csv"
expect_ok "closed, relative support, group by index"
expect_same "closed per group = separate runs" "$work/expected" "$work/stdout"

expected_by_group 5 "$countries" csv "$rule_header" rules "${columns[@]}" -s 0.05 -c 0.4 --sort
for threads in 1 2; do
  run rules "${columns[@]}" --group Country -s 0.05 -c 0.4 --sort -f csv -T "$threads" \
    "$work/orders.csv"
  expect_ok "rules --group -T $threads"
  expect_same "rules --group -T $threads = separate runs" "$work/expected" "$work/stdout"
done
expect_grep "some rules" '^France,' "$work/stdout"

# --top N keeps each group's N strongest.
run rules "${columns[@]}" --group Country -s 0.05 -c 0.4 --top 2 -f csv "$work/orders.csv"
expect_ok "rules --group --top 2"
expect_lines "two rules a group plus the header" 7 "$work/stdout"

# Every rule option applies per group as it does to a separate run: the extra
# measures (in the header too), --by with --top, the item constraints,
# improvement and p-value filters (Holm adjusts over each group's rules).
analysis=(--measures all --by lift --top 3 --consequent-items S01,S03,S05,S07
  --min-improvement 0 --max-p 0.9 --p-adjust holm)
measure_header="$rule_header,antecedent_support,consequent_support,jaccard,kulczynski"
measure_header="$measure_header,certainty,zhangs_metric,cosine,improvement,p_value"
for format in csv jsonl; do
  header=""
  [ "$format" = csv ] && header="$measure_header"
  expected_by_group 5 "$countries" "$format" "$header" rules "${columns[@]}" -s 0.03 -c 0.3 \
    "${analysis[@]}"
  run rules "${columns[@]}" --group Country -s 0.03 -c 0.3 "${analysis[@]}" -f "$format" -T 2 \
    "$work/orders.csv"
  expect_ok "rules --group with every analysis option -f $format"
  expect_same "rules --group with every analysis option -f $format = separate runs" \
    "$work/expected" "$work/stdout"
done
expect_grep "some analysed rule" '"p_value":' "$work/stdout"
expected_by_group 5 "$countries" csv "$rule_header,p_value" rules "${columns[@]}" -s 0.03 -c 0.3 \
  --by p_value --non-redundant --antecedent-items S00,S02,S04,S06,S08,S10
run rules "${columns[@]}" --group Country -s 0.03 -c 0.3 --by p_value --non-redundant \
  --antecedent-items S00,S02,S04,S06,S08,S10 -f csv "$work/orders.csv"
expect_same "rules --group --by p_value, antecedent list = separate runs" "$work/expected" \
  "$work/stdout"
run rules "${columns[@]}" --group Country -s 0.05 --consequent-items S01,nosuch "$work/orders.csv"
expect_rc "an item no group has" 0
expect_grep "is warned about once" "^fimbit: warning: --consequent-items: item 'nosuch' does not" \
  "$work/stderr"
expect_lines "once" 1 "$work/stderr"
run rules "${columns[@]}" --group Country -s 0.05 -f table "$work/orders.csv"
expect_rc "-f table with --group" 2
expect_grep "says why" "f table shows one rule set" "$work/stderr"

# --group-min-count: a floor under each group's threshold.
expected_by_group 5 "$countries" csv "$itemset_header" itemsets "${columns[@]}" -s 10 --sort
run itemsets "${columns[@]}" --group Country -s 0.01 --group-min-count 10 --sort -f csv \
  "$work/orders.csv"
expect_same "--group-min-count 10 = -s 10 when 1% is less" "$work/expected" "$work/stdout"

# info --group: every group's statistics.
: >"$work/expected"
printf 'group,section,key,value,share\n' >"$work/expected"
while IFS= read -r group; do
  filter_rows 5 "$group" "$work/rows.csv"
  "$FIMBIT_BINARY" info "${columns[@]}" -f csv -o "$work/one" "$work/rows.csv"
  prefix_records csv "$group" "$work/one" >>"$work/expected"
done <<<"$countries"
run info "${columns[@]}" --group Country -f csv "$work/orders.csv"
expect_ok "info --group"
expect_same "info --group = separate runs" "$work/expected" "$work/stdout"

# A group map: customer -> tier (the second column) and segment (by name).
# Customers 100..126 are mapped, 127..129 are not.
awk 'BEGIN { print "CustomerID,tier,segment";
  for (c = 100; c < 127; c++) printf "%d,%d,%s\n", c, c % 2, c % 3 == 0 ? "champions" : "at_risk" }' \
  >"$work/customers.csv"
awk -F, 'NR == FNR { if (FNR > 1) segment[$1] = $3; next }
  FNR == 1 { print $0 ",Segment"; next }
  ($4 in segment) { print $0 "," segment[$4] }' "$work/customers.csv" "$work/orders.csv" \
  >"$work/segmented.csv"
skipped=$(awk -F, 'NR > 1 && $4 >= 127' "$work/orders.csv" | wc -l)
cp "$work/orders.csv" "$work/orders_plain.csv"
cp "$work/segmented.csv" "$work/orders.csv" # filter_rows reads orders.csv
expected_by_group 6 "$(printf '%s\n' at_risk champions)" jsonl "" rules "${columns[@]}" -s 2 -c 0.3 --sort
run rules "${columns[@]}" --group CustomerID --group-map "$work/customers.csv:segment" -s 2 -c 0.3 \
  --sort -f jsonl -o "$work/segment_rules.jsonl" "$work/orders_plain.csv"
expect_rc "rules per segment" 0
expect_same "rules per segment = separate runs on the segments' rows" "$work/expected" \
  "$work/segment_rules.jsonl"
expect_grep "one warning with the count" "^fimbit: warning: $skipped rows skipped: their keys are not in" \
  "$work/stderr"
expect_lines "one warning" 1 "$work/stderr"
cp "$work/orders_plain.csv" "$work/orders.csv"

# The map's default column is the second (tier: 0 and 1).
run itemsets "${columns[@]}" --group CustomerID --group-map "$work/customers.csv" -s 5 --sort -q \
  "$work/orders.csv"
expect_rc "default map column" 0
expect_grep "tier 0" '^0: ' "$work/stdout"
expect_grep "tier 1" '^1: ' "$work/stdout"
expect_no_grep "no segment names" 'champions|at_risk' "$work/stdout"

# Group names that need quoting in CSV and escaping in JSON.
printf 'order,item,region\n1,a,"North, East"\n1,b,"North, East"\n2,a,"Say ""hi"""\n' \
  >"$work/quoted.csv"
run itemsets --columns order,item --group region -s 1 --sort -f csv "$work/quoted.csv"
expect_text "CSV quoting of groups" "$(printf '%s\n' 'group,items,size,count,support' \
  '"North, East",a,1,1,1' '"North, East",b,1,1,1' '"North, East",a b,2,1,1' \
  '"Say ""hi""",a,1,1,1')" "$work/stdout"
run itemsets --columns order,item --group region -s 1 --sort -f jsonl -n 1 "$work/quoted.csv"
expect_grep "JSON escaping of groups" '^\{"group":"Say \\"hi\\"","items":\["a"\]' "$work/stdout"

# Per-customer recommendations: each customer's basket is everything they
# bought; a mapped customer gets what --basket gives with their segment's
# rules alone, an unmapped one nothing.
run recommend --rules "$work/segment_rules.jsonl" --baskets "$work/orders.csv" \
  --columns CustomerID,StockCode --group-map "$work/customers.csv:segment" -k 3 \
  -o "$work/per_customer.jsonl"
expect_rc "recommend per customer" 0
unmapped=$(awk -F, 'NR > 1 && $4 >= 127 { print $4 }' "$work/orders.csv" | sort -u | wc -l)
expect_grep "unmapped customers warned about" "^fimbit: warning: $unmapped baskets without a group" \
  "$work/stderr"
for segment in at_risk champions; do
  grep "\"group\":\"$segment\"" "$work/segment_rules.jsonl" |
    sed "s/\"group\":\"$segment\",//" >"$work/rules_$segment.jsonl"
done
: >"$work/expected"
awk -F, 'NR > 1 && !seen[$4]++ { print $4 }' "$work/orders.csv" >"$work/customers_in_order"
while read -r customer; do
  items=$(awk -F, -v c="$customer" 'NR > 1 && $4 == c { print $2 }' "$work/orders.csv" |
    sort -u | paste -sd, -)
  segment=$(awk -F, -v c="$customer" '$1 == c { print $3 }' "$work/customers.csv")
  if [ -z "$segment" ]; then
    printf '{"basket":"%s","recommendations":[]}\n' "$customer" >>"$work/expected"
    continue
  fi
  "$FIMBIT_BINARY" recommend --rules "$work/rules_$segment.jsonl" --basket "$items" -k 3 \
    >"$work/one"
  sed "s/^{/{\"basket\":\"$customer\",/" "$work/one" >>"$work/expected"
done <"$work/customers_in_order"
expect_same "per customer = --basket with the segment's rules" "$work/expected" \
  "$work/per_customer.jsonl"
expect_grep "some recommendation" '"item":"S' "$work/per_customer.jsonl"

# Usage errors (2) and data errors (1), and no output file after a failure.
run itemsets "${columns[@]}" --group Region -s 2 -o "$work/never.txt" "$work/orders.csv"
expect_rc "a missing group column" 1
expect_grep "names the column and the file" "orders\.csv:1:1: no column named 'Region'" "$work/stderr"
expect_absent "no output after a missing group column" "$work/never.txt"
run rules "${columns[@]}" --group CustomerID --group-map "$work/nowhere.csv" -o "$work/never.txt" \
  "$work/orders.csv"
expect_rc "an unreadable map" 1
expect_grep "names the map" 'nowhere\.csv' "$work/stderr"
expect_absent "no output after an unreadable map" "$work/never.txt"
run rules "${columns[@]}" --group CustomerID --group-map "$work/customers.csv:Segmentation" \
  "$work/orders.csv"
expect_rc "a missing map column" 1
expect_grep "names the map's column" "customers\.csv:1:1: no column named 'Segmentation'" \
  "$work/stderr"
printf 'key,group\n1,a\n1,b\n' >"$work/twice.csv"
run itemsets "${columns[@]}" --group CustomerID --group-map "$work/twice.csv" "$work/orders.csv"
expect_rc "a key with two groups" 1
expect_grep "says which key" "key '1' has two groups" "$work/stderr"
printf 'InvoiceNo,StockCode,Country\n1,a\n' >"$work/short.csv"
run itemsets "${columns[@]}" --group Country "$work/short.csv"
expect_rc "a row without its group field" 1
expect_grep "file:line:column" 'short\.csv:2:4: missing group column' "$work/stderr"
run itemsets --input-format fimi --group 2 "$work/orders.csv"
expect_rc "--group on FIMI" 2
run itemsets "${columns[@]}" --group-map "$work/customers.csv" "$work/orders.csv"
expect_rc "--group-map without --group" 2
run itemsets "${columns[@]}" --group-min-count 3 "$work/orders.csv"
expect_rc "--group-min-count without --group" 2
run itemsets "${columns[@]}" --group Country --group-map "$work/customers.csv:" "$work/orders.csv"
expect_rc "an empty map column" 2
run recommend --rules "$work/segment_rules.jsonl" --basket S01 --group-map "$work/customers.csv"
expect_rc "--group-map with --basket" 2
run recommend --rules - --baskets "$work/orders.csv" --group-map "$work/customers.csv"
expect_rc "--group-map with rules from standard input" 2
# Piped, /dev/stdin is standard input too: the second group's read found
# the pipe empty and recommended nothing (exit 0).
run_piped "$work/segment_rules.jsonl" recommend --rules /dev/stdin --baskets "$work/orders.csv" \
  --columns CustomerID,StockCode --group-map "$work/customers.csv:segment"
expect_rc "--group-map with rules from a piped /dev/stdin" 2
expect_grep "says why" 'not standard input' "$work/stderr"
# So is a pipe of its own, such as a shell's process substitution.
run recommend --rules <(cat "$work/segment_rules.jsonl") --baskets "$work/orders.csv" \
  --columns CustomerID,StockCode --group-map "$work/customers.csv:segment"
expect_rc "--group-map with rules from a pipe" 2
expect_grep "says why" 'not standard input or a pipe' "$work/stderr"

finish
