#!/usr/bin/env bash
# Failures under MPI end the whole job: a malformed line that only one rank
# reads makes every rank exit 1 with that line's file:line:column (printed
# once, by rank 0), quickly, and leaves no output file; so do a rank running
# out of memory while it mines closed itemsets, a missing input and an output
# that cannot be written. Usage errors exit 2 on every rank.
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

# One rank of three runs out of memory while it mines closed itemsets. The
# first of its allocations that belongs to mining is found by bisection on
# the stage its failure names (stages run in order, so the stage named grows
# with N); then every rank must exit 1, rank 0 printing that rank's message
# once, and no output file may be left.
mining='while mining|building the shards|starting the kernel|keeping the itemsets'
closed_out="$work/closed.txt"
reaches_mining() { # N: does a failure from allocation N on come in mining or later?
  mpi_run_failing 3 1 "$1" itemsets -s 2 -t closed -T 1 -o "$closed_out" "$work/good.fimi"
  [ "$rc" -eq 0 ] || grep -Eq "$mining|gathering" "$work/stderr"
}
high=1
while ! reaches_mining "$high" && [ "$high" -lt 100000 ]; do high=$((high * 2)); done
low=$((high / 2))
while [ $((high - low)) -gt 1 ]; do
  middle=$(((low + high) / 2))
  if reaches_mining "$middle"; then high=$middle; else low=$middle; fi
done
rm -f "$closed_out"
mpi_run_failing 3 1 "$high" itemsets -s 2 -t closed -T 1 -o "$closed_out" "$work/good.fimi"
expect_rc "rank 1 out of memory at allocation $high, in closed mining: exit 1" 1
expect_grep "out of memory in closed mining: the stage is named" "^fimbit: .*($mining)" \
  "$work/stderr"
if [ "$(grep -c '^fimbit: ' "$work/stderr")" -eq 1 ]; then pass; else
  fail "out of memory in closed mining: the error should be printed once"
  show_run
fi
expect_absent "out of memory in closed mining: no output file" "$closed_out"

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

# An item list read from standard input parses on rank 0 only (the other
# ranks' standard input is empty): every rank stops with exit 2, where rank 0
# mined on while the others had left, and the job hung (124).
printf '1\n' >"$work/list.txt"
mpi_run_stdin "$work/list.txt" 2 rules --antecedent-items @- -s 2 "$work/good.fimi"
expect_rc "@- item list on 2 ranks: exit 2 (124 would be a hang)" 2
expect_grep "@- item list: says why" "only rank 0 reads standard input" "$work/stderr"
mpi_run 2 rules --antecedent-items "@$work/list.txt" -s 2 -o "$work/list_rules.txt" \
  "$work/good.fimi"
expect_rc "@FILE item list on 2 ranks" 0

expect_mpi_matches "info under MPI" "2" info "$work/good.fimi"
run itemsets -s 2 --sort "$work/good.fimi"
expect_ok "a plain run of the MPI build"

finish
