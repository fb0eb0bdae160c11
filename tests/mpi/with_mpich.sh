#!/usr/bin/env bash
# The MPI tests once more against MPICH: builds fimbit with
# -DMPI_C_COMPILER=mpicc.mpich in $FIMBIT_BUILD_DIR/mpich (the command, the
# dataset writer and the fault-injecting copy only) and runs the 1-4 rank
# byte-identity test on every FIMI dataset and the fault test with
# mpiexec.mpich. Skipped by name when MPICH is not installed (Debian:
# libmpich-dev mpich, which scripts/setup installs beside Open MPI).
# Not named test_*.sh: tests/CMakeLists.txt registers it once, as mpi_mpich.
set -euo pipefail
: "${FIMBIT_SOURCE_DIR:?}" "${FIMBIT_BUILD_DIR:?}"

if ! command -v mpicc.mpich >/dev/null || ! command -v mpiexec.mpich >/dev/null; then
  echo "SKIP: MPICH not installed (no mpicc.mpich or mpiexec.mpich)"
  exit 77
fi

build="$FIMBIT_BUILD_DIR/mpich"
cmake -S "$FIMBIT_SOURCE_DIR" -B "$build" -DCMAKE_BUILD_TYPE=Release \
  -DMPI_C_COMPILER=mpicc.mpich -DFIMBIT_TESTS=ON -DFIMBIT_BENCH=OFF >"$build.configure.log" 2>&1 ||
  { cat "$build.configure.log"; exit 1; }
cmake --build "$build" -j2 --target fimbit_cli oracle_dataset fimbit_alloc_fail >/dev/null
# Not `ldd | grep -q`: grep stops at the first match, ldd may then die of
# SIGPIPE, and pipefail turns the answer into a coin toss.
# fimbit itself links no MPI and hands a launched run over to fimbit-mpi.
libraries=$(ldd "$build/fimbit-mpi")
if [[ $libraries != *libmpich* ]]; then
  echo "FAIL: $build/fimbit-mpi is not linked against MPICH" >&2
  ldd "$build/fimbit-mpi" >&2
  exit 1
fi

export FIMBIT_BINARY="$build/fimbit"
export FIMBIT_ALLOC_FAIL_BINARY="$build/tests/fimbit_alloc_fail"
export FIMBIT_ORACLE_DATASET="$build/tests/oracle_dataset"
export FIMBIT_MPIEXEC=mpiexec.mpich FIMBIT_MPIEXEC_NUMPROC_FLAG=-n
here="$(dirname "${BASH_SOURCE[0]}")"
status=0
for script in test_mpi_datasets.sh test_mpi_faults.sh; do
  echo "== $script with MPICH"
  bash "$here/$script" || status=1
done
exit $status
