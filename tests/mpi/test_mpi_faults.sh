#!/usr/bin/env bash
# Failures under MPI end the whole job: a malformed line that only one rank
# reads makes every rank exit 1 with that line's file:line:column (printed
# once, by rank 0), quickly, and leaves no output file; so do a missing input
# and an output that cannot be written. Usage errors exit 2 on every rank.
# `info` (rank 0 alone) and a plain run without mpiexec work as usual.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

: "${FIMBIT_ORACLE_DATASET:?set FIMBIT_ORACLE_DATASET to the dataset writer}"
MPI_TIMEOUT=60

# 40,000 good lines, then a bad one at line 30,001: in the range of the third
# of four ranks, the second of two or three.
"$FIMBIT_ORACLE_DATASET" 3 fimi 10 40000 >"$work/good.fimi"
{ head -n 30000 "$work/good.fimi"; echo "1 4 x7 10"; tail -n +30001 "$work/good.fimi"; } \
  >"$work/bad.fimi"

for np in 1 2 3 4; do
  out="$work/out.$np.txt"
  mpi_run "$np" itemsets -s 2 --input-format fimi -o "$out" "$work/bad.fimi"
  expect_rc "malformed line on $np ranks: exit 1 (124 would be a hang)" 1
  expect_grep "malformed line on $np ranks: the place is named" \
    "^fimbit: .*bad\.fimi:30001:5: expected an item id, found 'x7'" "$work/stderr"
  if [ "$(grep -c '^fimbit: ' "$work/stderr")" -eq 1 ]; then pass; else
    fail "malformed line on $np ranks: the error should be printed once"
    show_run
  fi
  expect_absent "malformed line on $np ranks: no output file" "$out"
done

mpi_run 3 rules -s 2 -o "$work/missing.out" "$work/no-such-file.dat"
expect_rc "missing input on 3 ranks" 1
expect_grep "missing input: named" "no-such-file\.dat" "$work/stderr"
expect_absent "missing input: no output file" "$work/missing.out"

mkdir "$work/locked"
chmod 500 "$work/locked"
if [ ! -w "$work/locked" ]; then # root writes anywhere
  mpi_run 2 itemsets -s 2 -o "$work/locked/out.txt" "$work/good.fimi"
  expect_rc "unwritable output on 2 ranks" 1
fi

mpi_run 3 itemsets --min-support=nonsense "$work/good.fimi"
expect_rc "usage error on 3 ranks" 2
if [ "$(grep -c "^fimbit: " "$work/stderr")" -eq 1 ]; then pass; else
  fail "usage error: printed once"
  show_run
fi

expect_mpi_matches "info under MPI" "2" info "$work/good.fimi"
run itemsets -s 2 --sort "$work/good.fimi"
expect_ok "a plain run of the MPI build"

finish
