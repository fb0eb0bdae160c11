# Shared by the MPI end-to-end tests (tests/mpi/test_*.sh); sourced, not run.
# Builds on tests/e2e/common.sh. Environment (set by ctest):
#   FIMBIT_MPIEXEC, FIMBIT_MPIEXEC_NUMPROC_FLAG  the launcher and its -n flag
#   FIMBIT_ORACLE_DATASET                        the random dataset writer
source "$(dirname "${BASH_SOURCE[0]}")/../e2e/common.sh"

: "${FIMBIT_MPIEXEC:?set FIMBIT_MPIEXEC to mpiexec}"
FIMBIT_MPIEXEC_NUMPROC_FLAG="${FIMBIT_MPIEXEC_NUMPROC_FLAG:--n}"
# Each rank runs one OpenMP thread unless a test says otherwise: four ranks
# already oversubscribe this machine.
MPI_TIMEOUT="${MPI_TIMEOUT:-120}"
# Open MPI makes its session directory under $TMPDIR; two launchers starting
# at once in a shared /tmp race to create it ("File exists"), so each test
# script gets its own.
mkdir -p "$work/mpi-tmp"
export TMPDIR="$work/mpi-tmp"

# mpi_run NP ARGS...: fimbit on NP ranks; $rc, $work/stdout, $work/stderr as
# run(). timeout(1) guards against a launcher that hangs (PLATFORM.md).
mpi_run() { mpi_run_stdin /dev/null "$@"; }

# mpi_run_stdin FILE NP ARGS...: as mpi_run, with FILE on the launcher's
# standard input (which it hands to rank 0 alone).
mpi_run_stdin() {
  local input="$1" np="$2"
  shift 2
  set +e
  timeout -k 5 "$MPI_TIMEOUT" "$FIMBIT_MPIEXEC" "$FIMBIT_MPIEXEC_NUMPROC_FLAG" "$np" \
    "$FIMBIT_BINARY" "$@" <"$input" >"$work/stdout" 2>"$work/stderr"
  rc=$?
  set -e
}

# mpi_run_failing NP VICTIM N ARGS...: as mpi_run, but rank VICTIM runs the
# fault-injecting copy of fimbit (FIMBIT_ALLOC_FAIL_BINARY), whose N-th
# allocation and every later one fail; the other ranks run fimbit.
mpi_run_failing() {
  local np="$1" victim="$2" n="$3" r
  shift 3
  local contexts=()
  for ((r = 0; r < np; r++)); do
    if [ "$r" -gt 0 ]; then contexts+=(:); fi
    contexts+=("$FIMBIT_MPIEXEC_NUMPROC_FLAG" 1)
    if [ "$r" -eq "$victim" ]; then
      contexts+=(env "FIMBIT_ALLOC_FAIL_AFTER=$n" "$FIMBIT_ALLOC_FAIL_BINARY" "$@")
    else
      contexts+=("$FIMBIT_BINARY" "$@")
    fi
  done
  set +e
  timeout -k 5 "$MPI_TIMEOUT" "$FIMBIT_MPIEXEC" "${contexts[@]}" \
    </dev/null >"$work/stdout" 2>"$work/stderr"
  rc=$?
  set -e
}

# expect_mpi_matches NAME NPS ARGS...: fimbit alone and on each rank count of
# NPS ("1 2 3 4") give the same exit code and the same bytes on stdout.
expect_mpi_matches() {
  local name="$1" nps="$2"
  shift 2
  run "$@"
  local single_rc=$rc
  cp "$work/stdout" "$work/single"
  for np in $nps; do
    mpi_run "$np" "$@"
    if [ "$rc" -ne "$single_rc" ]; then
      fail "$name: $np ranks exit $rc, alone $single_rc"
      show_run
    else
      expect_same "$name: $np ranks = one process" "$work/single" "$work/stdout"
    fi
  done
}
