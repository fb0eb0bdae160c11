#!/usr/bin/env bash
# The plain fimbit links no MPI library (a run loads none), and a process an
# MPI launcher started hands itself over to fimbit-mpi from its own directory:
# with fimbit-mpi there it runs as a one-rank job, without it it says so and
# exits 1. The launcher is faked by its environment variables (mpi_launcher.h);
# tests/mpi runs the real mpirun.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

ldd "$FIMBIT_BINARY" >"$work/ldd"
expect_no_grep "fimbit links no MPI library" 'libmpi|libmpich|libopen-rte|libopen-pal|libpmi' \
  "$work/ldd"

write_small_fimi "$work/small.dat"
run itemsets -s 2 --sort "$work/small.dat"
expect_ok "a plain run"
cp "$work/stdout" "$work/plain.txt"

# A copy of fimbit alone in a directory: nothing to hand over to.
mkdir "$work/alone"
cp "$FIMBIT_BINARY" "$work/alone/fimbit"
for variable in OMPI_COMM_WORLD_SIZE PMI_SIZE PMIX_RANK; do
  set +e
  env "$variable=1" "$work/alone/fimbit" itemsets -s 2 "$work/small.dat" -o "$work/out.txt" \
    </dev/null >"$work/stdout" 2>"$work/stderr"
  rc=$?
  set -e
  expect_rc "$variable without fimbit-mpi" 1
  expect_grep "$variable without fimbit-mpi: the message" \
    '^fimbit: started by an MPI launcher, but .*/alone/fimbit-mpi cannot be run' "$work/stderr"
  if [ -e "$work/out.txt" ]; then fail "$variable without fimbit-mpi: an output file"; else pass; fi
done

mpi_program="$(dirname "$FIMBIT_BINARY")/fimbit-mpi"
if [ -x "$mpi_program" ]; then
  ldd "$mpi_program" >"$work/ldd-mpi"
  expect_grep "fimbit-mpi links MPI" 'libmpi' "$work/ldd-mpi"
else
  echo "SKIP: fimbit-mpi (this build has no MPI driver)"
fi

finish
