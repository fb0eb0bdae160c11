#!/usr/bin/env bash
# Every FIMI dataset of ../shared/datasets under MPI on 1, 2, 3 and 4 ranks
# (oversubscribed here): the frequent, closed and maximal itemsets and the
# rules are the same bytes as one process writes. Supports keep each run well
# under a second. Absent data is skipped by name.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

for spec in "retail.dat 1%" "chess.dat 85%" "mushroom.dat 20%" "T10I4D100K.dat 1%" \
            "BMS1.dat 0.2%"; do
  read -r name support <<<"$spec"
  file="$FIMBIT_DATASETS/$name"
  if [ ! -r "$file" ]; then
    echo "SKIP: dataset $name not found at $file"
    continue
  fi
  expect_mpi_matches "$name itemsets" "1 2 3 4" itemsets -s "$support" --sort -T 1 "$file"
  if [ "$(wc -l <"$work/single")" -lt 10 ]; then
    fail "$name: fewer than 10 itemsets at $support"
  fi
  expect_mpi_matches "$name closed" "1 2 3 4" itemsets -s "$support" --sort -t closed -T 1 \
    "$file"
  expect_mpi_matches "$name maximal" "1 2 3 4" itemsets -s "$support" --sort -t maximal -T 2 \
    "$file"
  expect_mpi_matches "$name rules" "1 2 3 4" rules -s "$support" -c 0.6 --sort -T 2 "$file"
done

finish
