#!/usr/bin/env bash
# fimbit recommend: one basket and a file of baskets, ranking by confidence and
# by lift, against recommendations worked out by hand; usage and data errors.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

# Baskets where, at min support 2 and min confidence 0.5:
#   milk => bread 3/4 (lift (3/4)/(4/6) = 1.125), bread => milk 3/4,
#   milk => eggs 2/4 (lift (2/4)/(2/6) = 1.5), eggs => milk 2/2, ...
printf '%s\n' 'milk,bread,eggs' 'milk,bread' 'milk,eggs' 'milk,bread,butter' 'bread' 'butter,jam' \
  >"$work/baskets.csv"
run rules -s 2 -c 0.5 -f jsonl -o "$work/rules.jsonl" "$work/baskets.csv"
expect_ok "rules for the recommender"

run recommend --rules "$work/rules.jsonl" --basket "milk"
expect_ok "one basket"
expect_text "milk: bread, then eggs" \
  '{"recommendations":[{"item":"bread","confidence":0.75,"lift":1.125},{"item":"eggs","confidence":0.5,"lift":1.5}]}' \
  "$work/stdout"
run recommend --rules "$work/rules.jsonl" --basket " milk , caviar" --by lift -k 1
expect_ok "--by lift -k 1"
expect_text "milk by lift: eggs" \
  '{"recommendations":[{"item":"eggs","confidence":0.5,"lift":1.5}]}' "$work/stdout"

# A file of baskets: a line each, in order, keyed by its number; an empty
# line has none.
printf '%s\n' 'milk' '' 'bread,milk' 'jam' 'eggs' >"$work/queries.txt"
run recommend --rules "$work/rules.jsonl" --baskets "$work/queries.txt" -o "$work/out.jsonl"
expect_ok "--baskets"
expect_lines "a line per basket" 5 "$work/out.jsonl"
expect_grep "line 2 empty" '^\{"basket":"2","recommendations":\[\]\}$' <(sed -n 2p "$work/out.jsonl")
expect_grep "bread and milk: eggs" '^\{"basket":"3","recommendations":\[\{"item":"eggs"' \
  <(sed -n 3p "$work/out.jsonl")
expect_grep "never what the basket holds" \
  '^\{"basket":"3","recommendations":\[\{"item":"eggs"[^]]*\]\}$' <(sed -n 3p "$work/out.jsonl")
expect_grep "eggs: milk" '^\{"basket":"5","recommendations":\[\{"item":"milk","confidence":1,' \
  <(sed -n 5p "$work/out.jsonl")
# From standard input, with another separator.
printf 'milk;eggs\n' >"$work/semicolon.txt"
run_stdin "$work/semicolon.txt" recommend --rules "$work/rules.jsonl" --baskets - --separator ';'
expect_ok "--baskets - with --separator"
expect_text "milk;eggs: bread" \
  '{"basket":"1","recommendations":[{"item":"bread","confidence":0.75,"lift":1.125}]}' "$work/stdout"

# Long CSV: a basket per key, of all its rows' items, keyed by it; items
# named by no rule are ignored. A FIMI file is read as FIMI.
printf '%s\n' 'customer,item' 'ann,milk' 'bob,eggs' 'ann,caviar' '"x, y",bread' >"$work/long.csv"
run recommend --rules "$work/rules.jsonl" --baskets "$work/long.csv" --columns customer,item -k 1
expect_ok "--baskets long CSV"
expect_text "a line per customer" "$(printf '%s\n' \
  '{"basket":"ann","recommendations":[{"item":"bread","confidence":0.75,"lift":1.125}]}' \
  '{"basket":"bob","recommendations":[{"item":"milk","confidence":1,"lift":1.5}]}' \
  '{"basket":"x, y","recommendations":[{"item":"milk","confidence":0.75,"lift":1.125}]}')" \
  "$work/stdout"
printf '1 2\n' >"$work/numbers.dat"
printf '{"antecedent":["1","2"],"consequent":["3"],"confidence":0.5,"lift":1}\n' \
  >"$work/numbers.jsonl"
run recommend --rules "$work/numbers.jsonl" --baskets "$work/numbers.dat" --input-format fimi
expect_text "--input-format fimi" '{"basket":"1","recommendations":[{"item":"3","confidence":0.5,"lift":1}]}' \
  "$work/stdout"

# The rules are read as basket inputs are: gzip, zstd, standard input (a
# compressed one too); data cut short is an error naming the file.
run recommend --rules "$work/rules.jsonl" --baskets "$work/queries.txt"
mv "$work/stdout" "$work/from-plain"
run_stdin "$work/rules.jsonl" recommend --rules - --baskets "$work/queries.txt"
expect_ok "--rules -"
expect_same "--rules - = the file" "$work/from-plain" "$work/stdout"
for codec in gzip zstd; do
  command -v "$codec" >/dev/null || continue
  "$codec" -q -c "$work/rules.jsonl" >"$work/rules.$codec"
  run recommend --rules "$work/rules.$codec" --baskets "$work/queries.txt"
  expect_ok "--rules $codec"
  expect_same "--rules $codec = plain" "$work/from-plain" "$work/stdout"
  run_stdin "$work/rules.$codec" recommend --rules - --baskets "$work/queries.txt"
  expect_same "--rules - $codec = plain" "$work/from-plain" "$work/stdout"
  head -c 40 "$work/rules.$codec" >"$work/cut.$codec"
  run recommend --rules "$work/cut.$codec" --basket milk -o "$work/never.jsonl"
  expect_rc "--rules cut-short $codec" 1
  expect_grep "--rules cut-short $codec: names the file" \
    "^fimbit: .*cut\.$codec: (truncated|corrupt) $codec data" "$work/stderr"
  expect_absent "--rules cut-short $codec: no output" "$work/never.jsonl"
done

# Usage errors (2) and data errors (1).
run recommend --basket milk
expect_rc "no --rules" 2
expect_grep "says --rules" 'rules FILE is required' "$work/stderr"
run recommend --rules "$work/rules.jsonl"
expect_rc "no basket" 2
run recommend --rules "$work/rules.jsonl" --basket milk --baskets "$work/queries.txt"
expect_rc "both basket sources" 2
run recommend --rules "$work/rules.jsonl" --basket milk -k 0
expect_rc "-k 0" 2
run recommend --rules "$work/rules.jsonl" --basket milk --by support
expect_rc "--by support" 2
run recommend --rules "$work/rules.jsonl" --basket milk "$work/baskets.csv"
expect_rc "a positional input" 2
run recommend --rules "$work/missing.jsonl" --basket milk
expect_rc "missing rules file" 1
expect_grep "names the file" 'missing\.jsonl' "$work/stderr"
run recommend --rules "$work" --basket milk
expect_rc "a directory for rules" 1
expect_grep "a directory: says so" 'Is a directory' "$work/stderr"
if [ -r /proc/self/mem ]; then # a read that fails with EIO
  run recommend --rules /proc/self/mem --basket milk
  expect_rc "a failing read of rules" 1
  expect_grep "a failing read: says so" '/proc/self/mem: cannot read: Input/output error' \
    "$work/stderr"
fi
run_stdin "$work/rules.jsonl" recommend --rules - --baskets -
expect_rc "--rules - and --baskets -" 2
expect_grep "standard input once" '--baskets - and --rules - both read standard input' \
  "$work/stderr"
# Other names of a piped standard input are the same stream; a redirected
# file is opened again from its start, so each name reads it whole.
run_piped "$work/rules.jsonl" recommend --rules /dev/stdin --baskets -
expect_rc "--rules /dev/stdin and --baskets - on a pipe" 2
expect_grep "/dev/stdin is standard input" \
  '--baskets - and --rules /dev/stdin both read standard input' "$work/stderr"
run_piped "$work/rules.jsonl" recommend --rules /dev/fd/0 --baskets /dev/stdin
expect_rc "two names of the piped standard input" 2
run_stdin "$work/rules.jsonl" recommend --rules /dev/stdin --baskets /dev/stdin
expect_ok "/dev/stdin twice when it is a file"
printf '{"antecedent":["a"],"consequent":["b"],"confidence":0.5,"lift":1}\n{"antecedent":\n' \
  >"$work/broken.jsonl"
run recommend --rules "$work/broken.jsonl" --basket a -o "$work/never.jsonl"
expect_rc "malformed rules" 1
expect_grep "file:line:column" 'broken\.jsonl:2:16: expected an array' "$work/stderr"
expect_absent "no output after a failure" "$work/never.jsonl"
run recommend --rules "$work/rules.jsonl" --baskets "$work/missing.txt"
expect_rc "missing baskets file" 1

# Many customers: their baskets are scored and formatted in blocks by several
# threads and written in basket order, the same bytes at every thread count,
# with all the rules and with a group map's (a tenth of the customers have no
# group). A customer's line equals what --basket gives for its items.
awk 'BEGIN { print "customer,item"
  for (c = 1; c <= 40000; c++)
    for (k = 0; k <= c % 4; k++) printf "c%d,i%d\n", c, (c * (k + 3) + 7 * k) % 23 }' \
  >"$work/many.csv"
awk 'BEGIN { print "customer,segment"
  for (c = 1; c <= 40000; c++) if (c % 10) printf "c%d,s%d\n", c, c % 3 }' >"$work/segments.csv"
run rules --columns customer,item -s 1% -c 0.1 -f jsonl -o "$work/many_rules.jsonl" "$work/many.csv"
expect_ok "rules of many customers"
run rules --columns customer,item --group customer --group-map "$work/segments.csv:segment" \
  -s 1% -c 0.1 -f jsonl -q -o "$work/segment_rules.jsonl" "$work/many.csv"
expect_ok "rules of their segments"
many=(--baskets "$work/many.csv" --columns customer,item -k 4)
for threads in 1 4; do
  run recommend --rules "$work/many_rules.jsonl" "${many[@]}" -T $threads \
    -o "$work/many_T$threads.jsonl"
  expect_ok "many customers -T $threads"
  run recommend --rules "$work/segment_rules.jsonl" "${many[@]}" -T $threads \
    --group-map "$work/segments.csv:segment" -o "$work/segments_T$threads.jsonl"
  expect_rc "many customers by segment -T $threads" 0
  expect_grep "many customers by segment -T $threads: the unmapped counted" \
    '^fimbit: warning: 4000 baskets without a group' "$work/stderr"
done
expect_lines "a line per customer" 40000 "$work/many_T4.jsonl"
expect_same "many customers: -T 4 = -T 1" "$work/many_T1.jsonl" "$work/many_T4.jsonl"
expect_same "many customers by segment: -T 4 = -T 1" "$work/segments_T1.jsonl" \
  "$work/segments_T4.jsonl"
expect_grep "many customers: something recommended" '"item":"i' "$work/many_T4.jsonl"
expect_grep "an unmapped customer: nothing" '^\{"basket":"c39990","recommendations":\[\]\}$' \
  "$work/segments_T4.jsonl"
run recommend --rules "$work/many_rules.jsonl" --basket "$(awk -F, '$1 == "c39999" { print $2 }' \
  "$work/many.csv" | paste -sd, -)" -k 4
sed 's/^{/{"basket":"c39999",/' "$work/stdout" >"$work/one_customer"
grep '^{"basket":"c39999",' "$work/many_T4.jsonl" >"$work/customer_line"
expect_same "customer c39999 = --basket" "$work/one_customer" "$work/customer_line"
# Failures while the threads write: one message, exit 1, no file.
if [ -w /dev/full ]; then
  run recommend --rules "$work/many_rules.jsonl" "${many[@]}" -T 4 -o /dev/full
  expect_rc "many customers -T 4 -o /dev/full" 1
  expect_text "-o /dev/full: one message" "fimbit: /dev/full: No space left on device" \
    "$work/stderr"
fi
run recommend --rules "$work/many_rules.jsonl" "${many[@]}" -T 4 --max-memory 1M \
  -o "$work/never.jsonl"
expect_rc "many customers --max-memory 1M" 1
expect_lines "--max-memory: one message" 1 "$work/stderr"
expect_absent "--max-memory: no output" "$work/never.jsonl"

# Keys and names are written as valid UTF-8, as every JSON Lines output: a
# byte that is not UTF-8 becomes U+FFFD.
printf 'customer,item\n\xffann,milk\n' >"$work/latin1.csv"
run recommend --rules "$work/rules.jsonl" --baskets "$work/latin1.csv" --columns customer,item -k 1
expect_ok "a key that is not UTF-8"
expect_text "a key that is not UTF-8: U+FFFD" \
  "$(printf '{"basket":"\xef\xbf\xbdann","recommendations":[{"item":"bread","confidence":0.75,"lift":1.125}]}')" \
  "$work/stdout"

# The groceries rules recommend for a basket from the README.
groceries="$FIMBIT_SOURCE_DIR/datasets/groceries.csv"
run rules -s 0.5% -c 0.2 -f jsonl -o "$work/groceries.jsonl" "$groceries"
run recommend --rules "$work/groceries.jsonl" --basket "whole milk,rolls/buns" -k 5
expect_ok "groceries"
expect_grep "groceries: other vegetables first" '^\{"recommendations":\[\{"item":"other vegetables"' \
  "$work/stdout"
expect_no_grep "groceries: not what the basket holds" '"item":"(whole milk|rolls/buns)"' "$work/stdout"

finish
