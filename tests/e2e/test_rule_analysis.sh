#!/usr/bin/env bash
# The analyst's options of `rules` and `report` end to end on the bundled
# groceries: item constraints equal filtering the full result, the measure
# fields and their order, --top/--by, the warnings, the usage errors (exit 2,
# no output file), and that `recommend` reads rules that carry measures.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

data="$FIMBIT_SOURCE_DIR/datasets/groceries.csv"
mine=(-s 0.005 -c 0.2 -T 2)

# "What leads to whole milk?": the consequent list gives exactly the rules of
# the unconstrained run whose consequent is whole milk.
run rules "${mine[@]}" --sort -f jsonl "$data"
expect_ok "unconstrained"
grep -F '"consequent":["whole milk"]' "$work/stdout" >"$work/to_milk" || true
run rules "${mine[@]}" --sort -f jsonl --consequent-items "whole milk" "$data"
expect_ok "--consequent-items"
expect_same "--consequent-items = filtering the full result" "$work/to_milk" "$work/stdout"
expect_grep "some rules lead to whole milk" 'whole milk' "$work/stdout"

# An antecedent list: every antecedent item on it.
run rules "${mine[@]}" --sort -f jsonl "$data"
grep -E '"antecedent":\[("(butter|yogurt|whole milk)",?)+\]' "$work/stdout" >"$work/from_list" || true
run rules "${mine[@]}" --sort -f jsonl --antecedent-items "butter,yogurt,whole milk" "$data"
expect_same "--antecedent-items = filtering the full result" "$work/from_list" "$work/stdout"

# The same list from a file, one name a line.
printf 'butter\r\nyogurt\n\nwhole milk\n' >"$work/items.txt"
run rules "${mine[@]}" --sort -f jsonl --antecedent-items "@$work/items.txt" "$data"
expect_same "@FILE = the inline list" "$work/from_list" "$work/stdout"
# ... read as basket inputs are: gzip, zstd, standard input ("@-"); corrupt
# data is a usage error naming option and file.
for codec in gzip zstd; do
  command -v "$codec" >/dev/null || continue
  "$codec" -q -c "$work/items.txt" >"$work/items.$codec"
  run rules "${mine[@]}" --sort -f jsonl --antecedent-items "@$work/items.$codec" "$data"
  expect_ok "@FILE $codec"
  expect_same "@FILE $codec = the inline list" "$work/from_list" "$work/stdout"
  head -c 20 "$work/items.$codec" >"$work/cut.$codec"
  run rules "${mine[@]}" --antecedent-items "@$work/cut.$codec" -o "$work/out.csv" "$data"
  expect_rc "@FILE cut-short $codec" 2
  expect_grep "@FILE cut-short $codec: option and file" \
    "^fimbit: --antecedent-items: .*cut\.$codec: (truncated|corrupt) $codec data" "$work/stderr"
  expect_absent "@FILE cut-short $codec leaves no file" "$work/out.csv"
done
# A directory, and a read that fails with EIO.
for bad in "$work" /proc/self/mem; do
  [ -r "$bad" ] || continue
  run rules "${mine[@]}" --antecedent-items "@$bad" -o "$work/out.csv" "$data"
  expect_rc "@$bad" 2
  expect_grep "@$bad: option, file and reason" \
    "^fimbit: --antecedent-items: $bad: cannot read: (Is a directory|Input/output error)" \
    "$work/stderr"
done
run_stdin "$work/items.txt" rules "${mine[@]}" --sort -f jsonl --antecedent-items @- "$data"
expect_ok "@- (standard input)"
expect_same "@- = the inline list" "$work/from_list" "$work/stdout"
run_stdin "$work/items.txt" rules "${mine[@]}" --antecedent-items @- -o "$work/out.csv"
expect_rc "@- with the baskets on standard input" 2
expect_grep "@- with the baskets on standard input: says why" \
  'the input and --antecedent-items @- both read standard input' "$work/stderr"
run_piped "$work/items.txt" rules "${mine[@]}" --antecedent-items @/dev/stdin \
  --consequent-items @- "$data"
expect_rc "@/dev/stdin and @- on a pipe" 2
expect_grep "@/dev/stdin and @- on a pipe: says why" \
  '--antecedent-items @/dev/stdin and --consequent-items @- both read standard input' \
  "$work/stderr"
run_piped "$data" rules "${mine[@]}" --antecedent-items @/dev/stdin
expect_rc "@/dev/stdin with the baskets on a pipe" 2

# Excluding items leaves the counts of every other itemset and the basket
# count alone: the result is the full one without the rules that name them,
# whichever algorithm mines.
for algorithm in auto fpgrowth eclat; do
  run rules "${mine[@]}" -a "$algorithm" --sort -f csv "$data"
  grep -Ev 'whole milk|other vegetables' "$work/stdout" >"$work/without" || true
  run rules "${mine[@]}" -a "$algorithm" --sort -f csv \
    --exclude-items "whole milk,other vegetables" "$data"
  expect_ok "--exclude-items -a $algorithm"
  expect_same "--exclude-items -a $algorithm = the rules without them" "$work/without" \
    "$work/stdout"
done

# Measures: the fields, in the documented order, in CSV and JSON Lines.
run rules "${mine[@]}" -f csv --measures all "$data"
head -1 "$work/stdout" >"$work/header"
expect_text "CSV header with every measure" \
  "antecedent,consequent,count,support,confidence,lift,leverage,conviction,antecedent_support,consequent_support,jaccard,kulczynski,certainty,zhangs_metric,cosine,improvement,p_value" \
  "$work/header"
run rules "${mine[@]}" -f jsonl --measures p_value,cosine --consequent-items "whole milk" "$data"
expect_grep "JSON fields in measure order" '"conviction":[^,]*,"cosine":[0-9.e-]+,"p_value":[0-9.e-]+}$' "$work/stdout"
run rules "${mine[@]}" --measures all "$data"
expect_no_grep "text keeps its fields" 'p_value|e-[0-9]+\)$' "$work/stdout"

# --top N --by MEASURE: N rules, best first.
run rules "${mine[@]}" -f csv --top 5 --by lift "$data"
expect_lines "--top 5 --by lift" 6 "$work/stdout"
tail -n +2 "$work/stdout" | awk -F, '{print $6}' >"$work/lifts"
if sort -g -r -c "$work/lifts" 2>/dev/null; then pass; else fail "--by lift: lifts not descending"; fi
run rules "${mine[@]}" -f csv --top 5 --by p_value "$data"
head -1 "$work/stdout" >"$work/header"
expect_grep "--by p_value writes the p-value" ',p_value$' "$work/header"
tail -n +2 "$work/stdout" | awk -F, '{print $NF}' >"$work/p"
if sort -g -c "$work/p" 2>/dev/null; then pass; else fail "--by p_value: not ascending"; fi

# Redundancy and significance filters shrink the result.
run rules "${mine[@]}" "$data"
all=$(wc -l <"$work/stdout")
run rules "${mine[@]}" --non-redundant --max-p 0.01 --p-adjust holm "$data"
expect_ok "--non-redundant --max-p --p-adjust"
kept=$(wc -l <"$work/stdout")
if [ "$kept" -gt 0 ] && [ "$kept" -lt "$all" ]; then pass; else
  fail "filters kept $kept of $all rules"
fi

# A name that does not occur is a warning, not an error.
run rules "${mine[@]}" --consequent-items "whole milk,unicorn" "$data"
expect_rc "unknown item" 0
expect_grep "unknown item warned" "warning: --consequent-items: item 'unicorn' does not occur" \
  "$work/stderr"

# Usage errors: exit 2, a message, and no output file.
for bad in "--max-p 2" "--by nosuch" "--measures lift" "--p-adjust fdr" \
  "--min-improvement 3" "--consequent-items @$work/missing.txt" "--antecedent-items ,"; do
  # shellcheck disable=SC2086
  run rules "${mine[@]}" $bad -o "$work/out.csv" "$data"
  expect_rc "$bad" 2
  expect_absent "$bad leaves no file" "$work/out.csv"
done

# recommend reads rule files that carry measures.
run rules "${mine[@]}" -f jsonl --measures all -o "$work/rules.jsonl" "$data"
run recommend --rules "$work/rules.jsonl" --basket "butter,yogurt"
expect_ok "recommend over measured rules"
expect_grep "a recommendation" '"item":"whole milk"' "$work/stdout"

# report: the chosen measures get columns.
run report "${mine[@]}" --measures jaccard,p_value --by p_value --top 20 -o "$work/r.html" "$data"
expect_ok "report with measures"
expect_grep "report jaccard column" 'data-key="jaccard"' "$work/r.html"
expect_grep "report p_value column" 'data-key="p_value"' "$work/r.html"
expect_grep "report ranks by p_value" 'best of [0-9]+ rules by p_value' "$work/r.html"

finish
