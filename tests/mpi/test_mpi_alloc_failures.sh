#!/usr/bin/env bash
# Memory exhaustion on any one rank, at every allocation of an itemsets, a
# closed-itemsets and a rules run, ends every rank's call with the same
# status and no hang (tests/mpi/alloc_failures.c).
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
: "${FIMBIT_MPI_ALLOC_FAILURES:?set FIMBIT_MPI_ALLOC_FAILURES to the test program}"

set +e
timeout -k 5 300 "$FIMBIT_MPIEXEC" "$FIMBIT_MPIEXEC_NUMPROC_FLAG" 3 "$FIMBIT_MPI_ALLOC_FAILURES" \
  >"$work/stdout" 2>"$work/stderr"
rc=$?
set -e
expect_rc "allocation failures on 3 ranks (124 would be a hang)" 0
expect_grep "every allocation was made to fail" "^[0-9]{3,} runs with a failing allocation, 0 failures$" \
  "$work/stdout"
finish
