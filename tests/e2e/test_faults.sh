#!/usr/bin/env bash
# Faults from outside: memory running out at every allocation in turn, a full
# disk, a read-only directory, an input that shrinks while being read, a
# standard output that closes, a run killed half way. Each ends with the
# documented exit code and at most one message, and never with a finished-
# looking output file or a destroyed existing one (docs/reliability.md).
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

write_small_fimi "$work/small.dat"
printf '%s\n' 'order,product' 1,milk 1,bread 2,milk 2,butter 3,milk 3,bread 3,butter \
  4,bread 4,butter 5,milk 5,bread >"$work/orders.csv"

# --- memory: step the whole command through every allocation failing ---------
# step_alloc_failures NAME ARGS...: runs the command with allocation n failing
# for n = 1, 2, ... until it succeeds. Every failing run exits 1 with one line
# about memory and leaves the existing output file as it was.
step_alloc_failures() {
  local name="$1"
  shift
  local n=1 bad=0
  while :; do
    echo "precious" >"$work/out.txt"
    set +e
    FIMBIT_ALLOC_FAIL_AFTER=$n "$FIMBIT_ALLOC_FAIL_BINARY" "$@" -o "$work/out.txt" \
      </dev/null >"$work/stdout" 2>"$work/stderr"
    rc=$?
    set -e
    [ "$rc" -eq 0 ] && break
    if [ "$rc" -ne 1 ] || [ "$(wc -l <"$work/stderr")" -ne 1 ] ||
       ! grep -q '^fimbit: .*memory' "$work/stderr" ||
       [ "$(cat "$work/out.txt")" != precious ] ||
       [ -n "$(find "$work" -name '.out.txt.*')" ]; then
      fail "$name: allocation $n"
      show_run
      bad=1
      break
    fi
    n=$((n + 1))
    if [ "$n" -gt 5000 ]; then fail "$name: never succeeded"; bad=1; break; fi
  done
  if [ "$bad" -eq 0 ]; then
    pass
    echo "$name: $((n - 1)) allocation failures injected, each exit 1 with one line"
    "$FIMBIT_BINARY" "$@" -o "$work/expected.txt" </dev/null
    expect_same "$name: the run that got through" "$work/expected.txt" "$work/out.txt"
  fi
}
step_alloc_failures "itemsets" itemsets -s 2 --sort -T 1 "$work/small.dat"
step_alloc_failures "rules csv" rules --columns order,product -s 2 -c 0.5 --sort -f csv -T 1 \
  "$work/orders.csv"
step_alloc_failures "closed eclat jsonl" itemsets --columns 1,2 -s 1 -t closed -a eclat --sort -f jsonl \
  -T 1 "$work/orders.csv"
step_alloc_failures "rules --top" rules -s 1 -c 0 --top 5 -T 1 "$work/small.dat"
step_alloc_failures "info" info -T 1 "$work/orders.csv"
"$FIMBIT_BINARY" rules --columns order,product -s 2 -c 0.5 -f jsonl -o "$work/orders_rules.jsonl" \
  "$work/orders.csv"
step_alloc_failures "recommend" recommend --rules "$work/orders_rules.jsonl" \
  --baskets "$work/orders.csv" --columns order,product -T 2

# --- a full disk -------------------------------------------------------------
if [ -w /dev/full ]; then
  run itemsets -s 2 -o /dev/full "$work/small.dat"
  expect_rc "-o /dev/full" 1
  expect_lines "-o /dev/full: one line" 1 "$work/stderr"
  expect_grep "-o /dev/full: says why" '^fimbit: /dev/full: .*(No space|space)' "$work/stderr"
  set +e
  "$FIMBIT_BINARY" rules -s 2 -c 0.5 "$work/small.dat" </dev/null >/dev/full 2>"$work/stderr"
  rc=$?
  set -e
  expect_rc "stdout on /dev/full" 1
  expect_lines "stdout on /dev/full: one line" 1 "$work/stderr"
  expect_grep "stdout on /dev/full: says why" '^fimbit: standard output: .*space' \
    "$work/stderr"
  set +e
  "$FIMBIT_BINARY" itemsets --help </dev/null >/dev/full 2>"$work/stderr"
  rc=$?
  set -e
  expect_rc "--help on /dev/full" 1
  expect_text "--help on /dev/full: says why" \
    "fimbit: standard output: No space left on device" "$work/stderr"
  # The outputs the command formats itself through stdio (tables, pages,
  # recommendations), each longer than stdio's buffer: the message keeps
  # the cause, not stdio's bare "Input/output error".
  seq 1 3000 | awk '{ printf "%d %d %d\n", $1 % 13, $1 % 7 + 20, $1 % 5 + 40 }' \
    >"$work/full_disk.dat"
  "$FIMBIT_BINARY" rules -s 1 -c 0 -f jsonl -o "$work/full_disk.jsonl" "$work/full_disk.dat"
  for command in "rules -s 1 -c 0 -f table" "report -s 1 -c 0" \
    "recommend --rules $work/full_disk.jsonl --baskets"; do
    run $command "$work/full_disk.dat" -o /dev/full
    expect_rc "$command -o /dev/full" 1
    expect_lines "$command -o /dev/full: one line" 1 "$work/stderr"
    expect_grep "$command -o /dev/full: says why" '^fimbit: /dev/full: No space left on device$' \
      "$work/stderr"
  done
else
  echo "SKIP: /dev/full is not writable here"
fi

# --- a read-only directory ---------------------------------------------------
# root writes anywhere: drop to nobody for this check when we are root.
as_user=()
if [ "$(id -u)" -eq 0 ]; then as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups); fi
mkdir "$work/readonly"
echo "precious" >"$work/readonly/out.txt"
chmod 755 "$work"
chmod 644 "$work/small.dat" "$work/readonly/out.txt"
chmod 555 "$work/readonly"
set +e
"${as_user[@]}" "$FIMBIT_BINARY" itemsets -s 2 -o "$work/readonly/out.txt" "$work/small.dat" \
  </dev/null >"$work/stdout" 2>"$work/stderr"
rc=$?
set -e
expect_rc "read-only directory" 1
expect_lines "read-only directory: one line" 1 "$work/stderr"
expect_grep "read-only directory: names the file" '^fimbit: .*readonly/out\.txt.*denied' \
  "$work/stderr"
expect_text "read-only directory: the existing file survives" "precious" "$work/readonly/out.txt"
chmod 755 "$work/readonly"

# --- standard output closing early ------------------------------------------
seq 1 3000 | awk '{ printf "%d %d %d\n", $1 % 13, $1 % 7 + 20, $1 % 5 + 40 }' >"$work/many.dat"
set +e
"$FIMBIT_BINARY" itemsets -s 1 "$work/many.dat" </dev/null 2>"$work/stderr" | head -1 \
  >"$work/stdout"
rc=${PIPESTATUS[0]}
set -e
expect_rc "| head -1" 0
expect_empty "| head -1: no message" "$work/stderr"
expect_lines "| head -1: one line through" 1 "$work/stdout"

# A reader killed while fimbit writes: the same quiet stop.
set +e
"$FIMBIT_BINARY" rules -s 1 -c 0 -T 2 "$work/many.dat" </dev/null 2>"$work/stderr" |
  (head -c 100 >/dev/null; kill -9 $BASHPID)
rc=${PIPESTATUS[0]}
set -e
expect_rc "reader killed" 0
expect_empty "reader killed: no message" "$work/stderr"

# A closed standard output is a mistake, not a reader gone: exit 1.
set +e
"$FIMBIT_BINARY" itemsets -s 2 "$work/small.dat" </dev/null >&- 2>"$work/stderr"
rc=$?
set -e
expect_rc ">&-" 1
expect_lines ">&-: one line" 1 "$work/stderr"

# A closed standard input: one line, exit 1.
set +e
"$FIMBIT_BINARY" itemsets -s 2 <&- >"$work/stdout" 2>"$work/stderr"
rc=$?
set -e
expect_rc "<&-" 1
expect_lines "<&-: one line" 1 "$work/stderr"

# --- fimbit killed half way through writing -----------------------------------
# A long write to -o, killed: the existing file is untouched and nothing else
# is left (the new file had no name yet). More moments and signals:
# test_signals.sh.
seq 1 20000 | awk '{ printf "%d %d %d %d %d %d\n", $1%17, $1%11+20, $1%7+40, $1%5+50, $1%3+60, $1%2+70 }' \
  >"$work/dense.dat"
echo "precious" >"$work/out.txt"
"$FIMBIT_BINARY" rules -s 1 -c 0 --max-consequent 0 -T 1 -o "$work/out.txt" "$work/dense.dat" \
  </dev/null 2>/dev/null &
pid=$!
sleep 0.3
kill -9 "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
expect_text "killed run: the existing file survives" "precious" "$work/out.txt"
if ls -A "$work" | grep -q '^\.\?out\.txt.'; then
  fail "killed run: a temporary file is left: $(ls -A "$work" | grep '^\.\?out\.txt.')"
else pass; fi

# --- an input that shrinks or goes away while being read ---------------------
# Racy by nature: the read may finish before the truncation lands. Either way
# the run ends with a result or one line and exit 1, never a crash.
seq 1 1500000 | awk '{ printf "%d %d %d\n", $1 % 97, $1 % 89 + 100, $1 % 83 + 200 }' \
  >"$work/big.dat"
for delay in 0.02 0.05 0.1; do
  cp "$work/big.dat" "$work/shrinking.dat"
  "$FIMBIT_BINARY" info -T 2 "$work/shrinking.dat" </dev/null >"$work/stdout" 2>"$work/stderr" &
  pid=$!
  sleep "$delay"
  truncate -s 100 "$work/shrinking.dat"
  set +e
  wait "$pid"
  rc=$?
  set -e
  if [ "$rc" -eq 0 ] || { [ "$rc" -eq 1 ] && [ "$(wc -l <"$work/stderr")" -eq 1 ]; }; then
    pass
  else
    fail "input truncated after ${delay}s: exit $rc"
    show_run
  fi
  cp "$work/big.dat" "$work/vanishing.dat"
  "$FIMBIT_BINARY" info -T 2 "$work/vanishing.dat" </dev/null >"$work/stdout" 2>"$work/stderr" &
  pid=$!
  sleep "$delay"
  rm -f "$work/vanishing.dat"
  set +e
  wait "$pid"
  rc=$?
  set -e
  # An open file outlives its name: the read completes; deleted before it
  # was opened, the file is missing.
  if [ "$rc" -eq 0 ] || { [ "$rc" -eq 1 ] && grep -q '^fimbit: .*vanishing\.dat.*No such' \
    "$work/stderr"; }; then
    pass
  else
    fail "input deleted after ${delay}s: exit $rc"
    show_run
  fi
done

finish
