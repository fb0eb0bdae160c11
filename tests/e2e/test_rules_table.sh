#!/usr/bin/env bash
# rules -f table: a header and one row per rule, in the rules' order, cells
# equal to the text form's lists and numbers (confidence to 3 decimals, lift
# to 2, support to 4), every line the same width in characters (UTF-8 names
# included), with --top, -o and --sort; the measures of --measures as more
# columns, equal to the CSV's; no other command takes it. The text form
# warns that it does not show them.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

groceries="$FIMBIT_SOURCE_DIR/datasets/groceries.csv"

# The text form's rules as "{a, b}|=>|{c}|count|support|confidence|lift".
text_rows() {
  sed -E 's/^(\{.*\}) => (\{.*\}) \(([0-9]+), ([^,]+), ([^,]+), ([^)]+)\)$/\1|=>|\2|\3|\4|\5|\6/' "$1"
}
# The table's rows with its cells (separated by two or more spaces) joined by '|'.
table_rows() { tail -n +2 "$1" | sed -E 's/ {2,}/|/g; s/^\|//'; }
# expect_table_matches NAME TEXT TABLE: row for row, the same lists and count,
# and the text form's numbers rounded as the table rounds them (within the
# rounding of both: the text form has six digits).
expect_table_matches() {
  text_rows "$2" >"$work/text_rows"
  table_rows "$3" >"$work/table_rows"
  if paste -d '\n' "$work/text_rows" "$work/table_rows" | awk -F'|' '
       function off(shown, exact, unit) { d = shown - exact; if (d < 0) d = -d; return d > unit / 2 + 1e-6 }
       NR % 2 == 1 { split($0, t, "|"); next }
       {
         if (NF != 7 || $1 != t[1] || $2 != "=>" || $3 != t[3] || $7 != t[4] ||
             off($4, t[6], 0.001) || off($5, t[7], 0.01) || off($6, t[5], 0.0001)) {
           print "row " NR / 2 ": " $0; bad = 1
         }
       }
       END { exit bad }' >"$work/mismatch" &&
     [ "$(wc -l <"$work/text_rows")" -eq "$(wc -l <"$work/table_rows")" ]; then
    pass
  else
    fail "$1"; cat "$work/mismatch" >&2
  fi
}
same_width() {
  local widths
  widths=$(while IFS= read -r line; do printf '%s' "$line" | LC_ALL=C.UTF-8 wc -m; done <"$1" |
           sort -u | wc -l)
  [ "$widths" -eq 1 ]
}

run rules -s 0.5% -c 0.5 --top 15 -f table "$groceries"
expect_ok "-f table --top 15"
cp "$work/stdout" "$work/table"
expect_lines "a header and 15 rows" 16 "$work/table"
expect_grep "the header" '^if a basket holds +it also holds +confidence +lift +support +count$' "$work/table"
expect_grep "the strongest rule first" \
  '^\{root vegetables, tropical fruit, yogurt\} +=> +\{whole milk\} +0\.700 +2\.74 +0\.0057 +56$' \
  "$work/table"
if same_width "$work/table"; then pass; else fail "-f table: lines of different widths"; cat "$work/table" >&2; fi
run rules -s 0.5% -c 0.5 --top 15 "$groceries"
expect_table_matches "-f table: the text form's rules, cell by cell" "$work/stdout" "$work/table"

# --measures: a column each, headed by its name, in fimbit's order whatever
# the order asked; the values are the CSV's, rounded (p-values to three
# significant digits, supports to 4 decimals, the others to 3).
measures=p_value,antecedent_support,jaccard,improvement
run rules -s 0.5% -c 0.5 --top 15 --measures "$measures" -f table "$groceries"
expect_ok "-f table --measures"
cp "$work/stdout" "$work/measures.table"
expect_grep "the measures' headers" \
  '^if a basket holds +it also holds +confidence +lift +support +count +antecedent_support +jaccard +improvement +p_value$' \
  "$work/measures.table"
if same_width "$work/measures.table"; then pass; else fail "-f table --measures: lines of different widths"; fi
run rules -s 0.5% -c 0.5 --top 15 --measures "$measures" -f csv "$groceries"
cp "$work/stdout" "$work/measures.csv"
if /usr/bin/python3 - "$work/measures.table" "$work/measures.csv" <<'PYTHON'
import csv, re, sys
table = [re.split(r" {2,}", line.rstrip("\n")) for line in open(sys.argv[1])][1:]
rows = list(csv.DictReader(open(sys.argv[2])))
assert len(table) == len(rows) == 15, (len(table), len(rows))
for cells, row in zip(table, rows):
    count, a, jaccard, improvement, p = cells[6:]
    assert int(count) == int(row["count"]), (count, row)
    assert abs(float(a) - float(row["antecedent_support"])) <= 0.00005 + 1e-9, (a, row)
    assert abs(float(jaccard) - float(row["jaccard"])) <= 0.0005 + 1e-9, (jaccard, row)
    assert abs(float(improvement) - float(row["improvement"])) <= 0.0005 + 1e-9, (improvement, row)
    assert re.fullmatch(r"\d\.\d\de-\d+", p), p
    assert abs(float(p) / float(row["p_value"]) - 1) <= 0.005, (p, row)
PYTHON
then pass; else fail "-f table --measures: the CSV's values"; cat "$work/measures.table" >&2; fi

run rules -s 0.5% -c 0.5 --top 3 --measures jaccard "$groceries"
expect_rc "text --measures" 0
cp "$work/stdout" "$work/text_measures"
expect_grep "text --measures: the warning" \
  "warning: --measures adds fields to -f csv, jsonl and table only" "$work/stderr"
run rules -s 0.5% -c 0.5 --top 3 "$groceries"
expect_same "text --measures: the same rules as without" "$work/stdout" "$work/text_measures"
run rules -s 0.5% -c 0.5 --top 3 --by p_value "$groceries"
expect_ok "text --by p_value: no warning about a --measures not given"

# Every rule, canonical order, to a file.
run rules -s 1% -c 0.3 --sort -f table -o "$work/all.table" "$groceries"
expect_ok "-f table --sort -o FILE"
expect_empty "-f table -o FILE: stdout empty" "$work/stdout"
run rules -s 1% -c 0.3 --sort "$groceries"
expect_table_matches "-f table --sort: every rule, canonical order" "$work/stdout" "$work/all.table"

# Widths count characters, not bytes: names with two-byte characters align.
printf '%s\n' 'café,crème brûlée' 'café,crème brûlée' 'tea,crème brûlée,scone' \
  'tea,scone' 'tea,scone' >"$work/utf8.csv"
run rules -s 2 -c 0.5 -f table --input-format basket "$work/utf8.csv"
expect_ok "-f table, UTF-8 names"
expect_grep "a UTF-8 name" '\{café\}' "$work/stdout"
if same_width "$work/stdout"; then pass; else fail "UTF-8 names misalign"; cat "$work/stdout" >&2; fi

# Names the text form quotes are quoted in the table too.
printf '%s\n' 'basket,item' '1,"a, b"' '1,c' '2,"a, b"' '2,c' >"$work/comma.csv"
run rules -s 2 -c 0.5 -f table --input-format csv "$work/comma.csv"
expect_grep "a quoted name" '^\{"a, b"\} +=> +\{c\} ' "$work/stdout"

run itemsets -f table "$groceries"
expect_rc "itemsets -f table is a usage error" 2
expect_grep "itemsets -f table: the message" "invalid -f/--format 'table': expected text, csv or jsonl" "$work/stderr"
run rules -f tables "$groceries"
expect_rc "rules -f tables" 2
expect_grep "rules: table is offered" "expected text, csv, jsonl or table" "$work/stderr"

finish
