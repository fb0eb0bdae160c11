#!/usr/bin/env bash
# Random datasets of the oracle's generator under MPI, in every input format
# and input path — split plain files (FIMI, named baskets), long CSV, gzip,
# standard input — with every target and the rule options: the same bytes as
# one process writes. Small datasets leave some ranks with nothing to read or
# to mine; a larger one spans several shards and, with a tiny round size,
# several exchange rounds. Closed and maximal itemsets, which each rank mines
# from whole baskets restricted to its own items' branches, run on 1-4 ranks.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

: "${FIMBIT_ORACLE_DATASET:?set FIMBIT_ORACLE_DATASET to the dataset writer}"

rank_counts=(2 3 4)
case_number=0
target_turn=0
next_np() {
  np=${rank_counts[$((case_number % 3))]}
  case_number=$((case_number + 1))
}

for seed in 11 23 37 41 59 73; do
  for format in fimi basket csv; do
    data="$work/oracle.$seed.$format"
    "$FIMBIT_ORACLE_DATASET" "$seed" "$format" >"$data"
    input_format=(--input-format "$format")
    next_np
    expect_mpi_matches "seed $seed $format itemsets" "$np" \
      itemsets -s 2 --sort -T 1 "${input_format[@]}" "$data"
    next_np
    expect_mpi_matches "seed $seed $format sizes 2..3" "$np" \
      itemsets -s 1 --sort -m 2 -n 3 -T 2 "${input_format[@]}" "$data"
    # Closed and maximal take turns; on the FIMI files, on 1-4 ranks.
    next_np
    targets=(closed maximal)
    target=${targets[$((target_turn % 2))]}
    target_turn=$((target_turn + 1))
    nps=$([ "$format" = fimi ] && echo "1 2 3 4" || echo "$np")
    expect_mpi_matches "seed $seed $format -t $target" "$nps" \
      itemsets -s 0.1 --sort -t "$target" -m 2 -f csv "${input_format[@]}" "$data"
    next_np
    expect_mpi_matches "seed $seed $format rules" "$np" \
      rules -s 2 -c 0.5 --max-consequent 2 --sort -f jsonl "${input_format[@]}" "$data"
  done
done

# Compressed input and standard input: rank 0 reads, the exchange scatters.
"$FIMBIT_ORACLE_DATASET" 97 basket 12 3000 >"$work/large.basket"
gzip -1 -c "$work/large.basket" >"$work/large.basket.gz"
expect_mpi_matches "gzip, closed" "3" itemsets -s 1% --sort -t closed -T 2 "$work/large.basket.gz"
run rules -s 1% -c 0.7 --sort "$work/large.basket"
cp "$work/stdout" "$work/single"
set +e
timeout -k 5 "$MPI_TIMEOUT" "$FIMBIT_MPIEXEC" "$FIMBIT_MPIEXEC_NUMPROC_FLAG" 2 \
  "$FIMBIT_BINARY" rules -s 1% -c 0.7 --sort - <"$work/large.basket" >"$work/stdout" 2>"$work/stderr"
rc=$?
set -e
expect_rc "standard input on 2 ranks" 0
expect_same "standard input on 2 ranks = one process" "$work/single" "$work/stdout"

# Several inputs at once, and a large FIMI file in rounds of 1,000 words.
"$FIMBIT_ORACLE_DATASET" 5 fimi 16 70000 >"$work/large.fimi"
head -n 100 "$work/large.fimi" >"$work/first.fimi"
expect_mpi_matches "two inputs" "2" itemsets -s 5% --sort -t maximal \
  "$work/first.fimi" "$work/large.fimi"
expect_mpi_matches "several shards, closed" "1 2 3 4" itemsets -s 5% --sort -t closed -T 2 \
  "$work/large.fimi"
export FIMBIT_MPI_ROUND_WORDS=1000
expect_mpi_matches "many exchange rounds" "4" itemsets -s 5% --sort -T 1 "$work/large.fimi"
expect_mpi_matches "many exchange rounds, maximal" "3" itemsets -s 5% --sort -t maximal -T 1 \
  "$work/large.fimi"
mpi_run 3 itemsets -s 5% -T 1 -v -o "$work/rounds.txt" "$work/large.fimi"
expect_grep "the exchange ran in rounds" "rank 0: .*\(([0-9]{3,}) rounds\)" "$work/stderr"
unset FIMBIT_MPI_ROUND_WORDS

finish
