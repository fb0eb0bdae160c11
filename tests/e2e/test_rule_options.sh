#!/usr/bin/env bash
# Every rules option changes the result the documented way: support,
# confidence (fraction and percent), lift, sizes, max-consequent, --top,
# --sort, formats, output file, algorithm and threads, verbose.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

write_small_fimi "$work/small.dat"
data="$work/small.dat"

# The rules of the small dataset at min support 2, by head, in canonical order;
# confidences: 4 => 1 is 1, the triple's rules 2/3, the other pairs' 3/5 and
# 1 => 4 2/5. Lift: 1.6 for 1 => 4 and 4 => 1, about 1.07 or below otherwise.
heads() { sed 's/ (.*//' "$work/stdout"; }

run rules -s 2 --sort "$data"
expect_ok "default confidence 0.8"
heads >"$work/heads"
expect_text "default confidence 0.8: one rule" "4 => 1" "$work/heads"
expect_grep "text rule format" '^4 => 1 \(2, ' "$work/stdout"

run rules -s 2 -c 0 --sort "$data"
expect_ok "-c 0"
heads >"$work/heads"
expect_text "-c 0: every one-consequent rule, canonical order" "1 => 2
1 => 3
1 => 4
2 => 1
2 => 3
3 => 1
3 => 2
4 => 1
1 2 => 3
1 3 => 2
2 3 => 1" "$work/heads"
cp "$work/stdout" "$work/all_rules"

for support in 0.25 25% 2; do
  run rules -s "$support" -c 0 --sort "$data"
  expect_same "rules -s $support" "$work/all_rules" "$work/stdout"
done

run rules -s 2 -c 0.59 "$data"
expect_lines "-c 0.59" 10 "$work/stdout"
run rules -s 2 --min-confidence 0.65 "$data"
expect_lines "--min-confidence 0.65" 4 "$work/stdout"
run rules -s 2 -c 65% --sort "$data"
cp "$work/stdout" "$work/c65"
run rules -s 2 -c 0.65 --sort "$data"
expect_same "-c 65% is -c 0.65" "$work/c65" "$work/stdout"
run rules -s 2 -c 1 "$data"
expect_lines "-c 1: only certain rules" 1 "$work/stdout"

run rules -s 2 -c 0 --min-lift 1.5 --sort "$data"
heads >"$work/heads"
expect_text "--min-lift 1.5" "1 => 4
4 => 1" "$work/heads"
run rules -s 2 -c 0 --min-lift 0 "$data"
expect_lines "--min-lift 0 filters nothing" 11 "$work/stdout"

run rules -s 2 -c 0 -m 3 --sort "$data"
heads >"$work/heads"
expect_text "-m 3: rules of the triple" "1 2 => 3
1 3 => 2
2 3 => 1" "$work/heads"
run rules -s 2 -c 0 --max-size 2 "$data"
expect_lines "-n 2: rules of the pairs" 8 "$work/stdout"

run rules -s 2 -c 0 --max-consequent 2 --sort "$data"
expect_lines "--max-consequent 2" 14 "$work/stdout"
expect_grep "--max-consequent 2 gives two-item consequents" '^1 => 2 3 \(' "$work/stdout"
run rules -s 2 -c 0 --max-consequent 0 --sort "$data"
expect_lines "--max-consequent 0 is no limit" 14 "$work/stdout"
run rules -s 2 -c 0 --max-consequent 1 "$data"
expect_lines "--max-consequent 1" 11 "$work/stdout"

# --top: the strongest first (confidence, lift, count; ties canonical).
run rules -s 2 -c 0 --top 3 "$data"
expect_ok "--top 3"
heads >"$work/heads"
expect_text "--top 3" "4 => 1
1 2 => 3
1 3 => 2" "$work/heads"
run rules -s 2 -c 0 --top 100 "$data"
expect_lines "--top beyond the rule count keeps every rule" 11 "$work/stdout"
expect_grep "--top 100 puts the strongest first" '^4 => 1 ' <(head -1 "$work/stdout")
run rules -s 2 -c 0 --top 2 -f csv "$data"
expect_lines "--top 2 -f csv: header and two rows" 3 "$work/stdout"
run rules -s 2 -c 0 --top 2 -f jsonl -o "$work/top.jsonl" "$data"
expect_ok "--top 2 -o FILE"
expect_lines "--top 2 -f jsonl -o FILE" 2 "$work/top.jsonl"
expect_empty "--top -o FILE: stdout empty" "$work/stdout"

# Formats and output file.
run rules -s 2 -c 0 --sort -f csv "$data"
expect_ok "rules -f csv"
expect_lines "rules -f csv: header and 11 rows" 12 "$work/stdout"
cp "$work/stdout" "$work/rules.csv"
run rules -s 2 -c 0 --sort -f csv -o "$work/out.csv" "$data"
expect_same "rules -o FILE" "$work/rules.csv" "$work/out.csv"
run rules -s 2 -c 0 --sort -f jsonl "$data"
expect_lines "rules -f jsonl" 11 "$work/stdout"
if grep -vqE '^\{.*\}$' "$work/stdout"; then fail "rules -f jsonl: a line is not an object"; else pass; fi

# Algorithms and threads agree.
for algorithm in fpgrowth eclat auto; do
  for threads in 1 2; do
    run rules -s 2 -c 0 --max-consequent 0 --sort -a "$algorithm" -T "$threads" "$data"
    heads >"$work/heads.$algorithm.$threads"
    expect_lines "rules -a $algorithm -T $threads" 14 "$work/heads.$algorithm.$threads"
    expect_same "rules -a $algorithm -T $threads" "$work/heads.fpgrowth.1" \
      "$work/heads.$algorithm.$threads"
  done
done
groceries="$FIMBIT_SOURCE_DIR/datasets/groceries.csv"
run rules -s 0.5% -c 0.3 --sort -a fpgrowth -T 1 "$groceries"
cp "$work/stdout" "$work/groceries.rules"
expect_ok "groceries rules"
expect_grep "groceries has rules into whole milk" ' => \{whole milk\} \(' "$work/groceries.rules"
run rules -s 0.5% -c 0.3 --sort -a eclat -T 2 "$groceries"
expect_same "groceries rules, eclat on 2 threads" "$work/groceries.rules" "$work/stdout"

run rules -s 2 -c 0 --sort -v "$data"
expect_same "rules -v leaves stdout alone" "$work/all_rules" "$work/stdout"
expect_grep "rules -v times reading" '^fimbit: read' "$work/stderr"
expect_grep "rules -v times mining and rules" '^fimbit: mine\+rules' "$work/stderr"
expect_grep "rules -v times writing" '^fimbit: write' "$work/stderr"
expect_grep "rules -v reports peak memory" '^fimbit: peak RSS' "$work/stderr"

run rules -s 8 "$data"
expect_grep "no rules warns" '^fimbit: warning: no strong rules' "$work/stderr"
expect_no_grep "no rules, no filter named" 'filtered by' "$work/stderr"
# Rules there are, but the filters keep none: the warning names them, lest a
# user lower the thresholds in vain.
run rules -s 2 -c 0 --max-p 0 --min-lift 1 "$data"
expect_grep "no rules warns of the filters" \
  '^fimbit: warning: no strong rules: .*; filtered by --min-lift, --max-p$' "$work/stderr"
run report -s 2 -c 0 --non-redundant --max-p 0 -o "$work/filtered.html" "$data"
expect_grep "report: no rules warns of the filters" \
  'filtered by --non-redundant, --max-p$' "$work/stderr"

# --p-adjust corrects the p-values that --max-p filters and p_value writes:
# with neither it changes nothing, which the user is told.
run rules -s 2 -c 0 -f csv "$data"
cp "$work/stdout" "$work/unadjusted.csv"
run rules -s 2 -c 0 --p-adjust holm -f csv "$data"
expect_same "--p-adjust alone: the same rules" "$work/unadjusted.csv" "$work/stdout"
expect_grep "--p-adjust alone warns" '^fimbit: warning: --p-adjust changes nothing' "$work/stderr"
for given in "--max-p 0.5" "--measures p_value" "--by p_value"; do
  # shellcheck disable=SC2086
  run rules -s 2 -c 0 --p-adjust holm $given -f csv "$data"
  expect_no_grep "--p-adjust with $given: no warning" 'p-adjust' "$work/stderr"
done
run report -s 2 -c 0 --p-adjust bonferroni -o "$work/adjusted.html" "$data"
expect_grep "report --p-adjust alone warns" '^fimbit: warning: --p-adjust changes nothing' \
  "$work/stderr"
run rules -s 8 --quiet "$data"
expect_ok "--quiet silences the warning"

finish
