#!/usr/bin/env bash
# Signals under MPI. A rank killed with SIGKILL at a random moment ends the
# whole job within 30 s, with an error exit and no output file; SIGTERM to the
# launcher at a random moment ends the job like a single process: within 30 s,
# an existing output untouched, nothing else left in its directory. A signal
# that arrives once the complete output is in place may still make the job's
# exit code an error; the file must then be the complete one. Each at
# three moments: early (reading, planning), mid-mining, late (gathering and
# writing).
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

chess="$FIMBIT_DATASETS/chess.dat"
if [ ! -r "$chess" ]; then
  echo "skipped: dataset chess.dat not found at $chess"
  exit 77
fi
mkdir -p "$work/out"

# The pids of the ranks writing to $1 (each rank's command line names it).
rank_pids() {
  pgrep -f -- "-o $1 " || true
}

# launch OUT: starts 3 ranks mining chess into OUT; $launcher is the pid.
launch() {
  timeout -k 5 120 "$FIMBIT_MPIEXEC" "$FIMBIT_MPIEXEC_NUMPROC_FLAG" 3 \
    "$FIMBIT_BINARY" itemsets -s 50% --sort -T 1 -o "$1" "$chess" \
    </dev/null >"$work/stdout" 2>"$work/stderr" &
  launcher=$!
}

# wait_ranks OUT: waits until the 3 ranks run. @return 1 after 30 s.
wait_ranks() {
  for _ in $(seq 300); do
    [ "$(rank_pids "$1" | wc -l)" -ge 3 ] && return 0
    sleep 0.1
  done
  return 1
}

# wait_job NAME: waits for the launcher; fails NAME when it takes over 30 s
# from $sent. Sets $rc.
wait_job() {
  set +e
  wait "$launcher"
  rc=$?
  set -e
  local took=$(($(date +%s) - sent))
  echo "$1: the job ended with exit $rc within $took s"
  if [ "$took" -le 30 ]; then pass; else fail "$1: the job took $took s to end"; fi
}

# The complete result, as one process writes it: a signal that comes after
# rank 0 renamed its file into place ends the job with an error exit although
# the output is complete, which is the same as a finished run.
"$FIMBIT_BINARY" itemsets -s 50% --sort -T 1 -o "$work/complete.txt" "$chess" </dev/null

# expect_old_or_complete NAME OLD: out.txt is OLD ("" for no file) or the
# complete result.
expect_old_or_complete() {
  local out="$work/out/out.txt"
  if cmp -s "$out" "$work/complete.txt"; then pass; return; fi
  if [ -z "$2" ]; then
    expect_absent "$1: no output file" "$out"
  else
    expect_text "$1: the earlier output survives" "$2" "$out"
  fi
}

# only_output NAME: the output directory holds out.txt at most.
only_output() {
  local left
  left="$(ls -A "$work/out" | grep -vx 'out.txt' || true)"
  if [ -z "$left" ]; then pass; else fail "$1: left behind: $left"; fi
}

for delay in 0.2 1.5 4; do
  # --- one rank killed --------------------------------------------------------
  rm -f "$work/out/out.txt"
  launch "$work/out/out.txt"
  if ! wait_ranks "$work/out/out.txt"; then
    fail "SIGKILL at $delay s: the ranks did not start"
    show_run
  fi
  sleep "$delay"
  victim="$(rank_pids "$work/out/out.txt" | tail -n 1)"
  sent=$(date +%s)
  [ -n "$victim" ] && kill -KILL "$victim" 2>/dev/null || true
  wait_job "SIGKILL to a rank at $delay s"
  if [ "$rc" -ne 0 ]; then pass; else
    # Possible only when the run was over before the signal.
    if [ -n "$victim" ]; then fail "SIGKILL to a rank at $delay s: exit 0"; show_run; else pass; fi
  fi
  if [ "$rc" -ne 0 ]; then
    expect_old_or_complete "SIGKILL to a rank at $delay s" ""
  fi
  only_output "SIGKILL to a rank at $delay s"
  rm -f "$work/out/out.txt"

  # --- SIGTERM to the launcher -----------------------------------------------
  echo "precious" >"$work/out/out.txt"
  launch "$work/out/out.txt"
  wait_ranks "$work/out/out.txt" || fail "SIGTERM at $delay s: the ranks did not start"
  sleep "$delay"
  sent=$(date +%s)
  kill -TERM "$launcher" 2>/dev/null || true
  wait_job "SIGTERM to the launcher at $delay s"
  if [ "$rc" -ne 0 ]; then
    expect_old_or_complete "SIGTERM to the launcher at $delay s" "precious"
  fi
  only_output "SIGTERM to the launcher at $delay s"
  # The launcher may return while its ranks are still on their way out.
  for _ in $(seq 50); do
    [ -z "$(rank_pids "$work/out/out.txt")" ] && break
    sleep 0.1
  done
  if [ -z "$(rank_pids "$work/out/out.txt")" ]; then pass; else
    fail "SIGTERM to the launcher at $delay s: ranks still running 5 s after it ended"
  fi
done

finish
