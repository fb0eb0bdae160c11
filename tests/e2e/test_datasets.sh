#!/usr/bin/env bash
# The shared benchmark datasets through the CLI: info agrees with MANIFEST.tsv,
# and both algorithms, thread counts and input paths (file, gzip on standard
# input) give the same itemsets and rules. Absent data is skipped by name.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

manifest="$FIMBIT_DATASETS/MANIFEST.tsv"
if [ ! -r "$manifest" ]; then
  echo "SKIP: no $manifest (set FIMBIT_DATASETS)"
fi

# dataset and a support that gives a few thousand itemsets in well under a second
for spec in "retail.dat 0.5%" "chess.dat 80%" "mushroom.dat 15%" "T10I4D100K.dat 0.5%" \
            "BMS1.dat 0.1%"; do
  read -r name support <<<"$spec"
  file="$FIMBIT_DATASETS/$name"
  if [ ! -r "$file" ] || [ ! -r "$manifest" ]; then
    echo "SKIP: dataset $name not found at $file"
    continue
  fi
  read -r baskets items < <(awk -F'\t' -v n="$name" '$1 == n { print $4, $5 }' "$manifest")

  run info -f csv "$file"
  expect_ok "$name: info"
  expect_grep "$name: $baskets baskets as in MANIFEST.tsv" "^stats,baskets,$baskets,$" "$work/stdout"
  expect_grep "$name: $items items as in MANIFEST.tsv" "^stats,distinct_items,$items,$" "$work/stdout"

  run itemsets -s "$support" --sort -a fpgrowth -T 1 "$file"
  expect_ok "$name: fpgrowth, 1 thread"
  cp "$work/stdout" "$work/reference"
  if [ "$(wc -l <"$work/reference")" -lt 10 ]; then
    fail "$name: fewer than 10 itemsets at $support"
  fi
  run itemsets -s "$support" --sort -a eclat -T 2 "$file"
  expect_ok "$name: eclat, 2 threads"
  expect_same "$name: eclat on 2 threads = fpgrowth on 1" "$work/reference" "$work/stdout"
  if command -v gzip >/dev/null; then
    gzip -1 -c "$file" >"$work/data.gz"
    run_stdin "$work/data.gz" itemsets -s "$support" --sort -T 2
    expect_ok "$name: gzip on standard input, 2 threads"
    expect_same "$name: gzip on standard input" "$work/reference" "$work/stdout"
  fi

  for target in closed maximal; do
    run itemsets -s "$support" --sort -t "$target" -a fpgrowth "$file"
    expect_ok "$name: -t $target, fpgrowth"
    cp "$work/stdout" "$work/target.fpgrowth"
    run itemsets -s "$support" --sort -t "$target" -a eclat "$file"
    expect_ok "$name: -t $target, eclat"
    expect_same "$name: -t $target agrees across algorithms" "$work/target.fpgrowth" "$work/stdout"
    if [ "$(wc -l <"$work/stdout")" -gt "$(wc -l <"$work/reference")" ]; then
      fail "$name: more $target itemsets than frequent ones"
    fi
  done

  run rules -s "$support" -c 0.6 --sort -a fpgrowth -T 1 "$file"
  expect_ok "$name: rules"
  cp "$work/stdout" "$work/rules.reference"
  run rules -s "$support" -c 0.6 --sort -a eclat -T 2 "$file"
  expect_ok "$name: rules, eclat on 2 threads"
  expect_same "$name: rules agree across algorithms and threads" "$work/rules.reference" "$work/stdout"
done

finish
