#!/usr/bin/env bash
# The output path without O_TMPFILE (src/write/target.c): where /proc is not
# mounted, the new file cannot be named later through /proc/self/fd, so it is
# created under a temporary name beside the target from the start. That path
# must keep the same promises: the same bytes, an existing file's mode and
# symbolic link kept; after a full disk or a stop, the earlier file
# untouched and no temporary left behind.
#
# Each run goes into a private mount namespace with an empty /proc (root and
# unshare(1) needed; skipped otherwise).
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

# without_proc COMMAND...: runs COMMAND where /proc is an empty tmpfs.
without_proc() {
  unshare --mount sh -c 'mount -t tmpfs tmpfs /proc && exec "$@"' sh "$@"
}

if is_sanitizer_build; then
  echo "skipped: AddressSanitizer and LeakSanitizer need /proc"
  exit 77
fi
if ! without_proc test ! -e /proc/self/fd 2>/dev/null; then
  echo "skipped: cannot hide /proc in a private mount namespace (needs root and unshare)"
  exit 77
fi

groceries="$FIMBIT_SOURCE_DIR/datasets/groceries.csv"
"$FIMBIT_BINARY" rules -s 1% -c 0.2 -f csv -o "$work/expected.csv" "$groceries"

# write_rules_without_proc PATH: the rules above into PATH, /proc hidden; $rc
# and $work/stdout, $work/stderr as run() leaves them.
write_rules_without_proc() {
  set +e
  without_proc "$FIMBIT_BINARY" rules -s 1% -c 0.2 -f csv -o "$1" "$groceries" \
    </dev/null >"$work/stdout" 2>"$work/stderr"
  rc=$?
  set -e
}

# A new file: the same bytes as through O_TMPFILE, nothing else left.
mkdir "$work/new"
write_rules_without_proc "$work/new/rules.csv"
expect_ok "new file"
expect_same "new file: the same bytes" "$work/expected.csv" "$work/new/rules.csv"
if [ "$(ls -A "$work/new")" = "rules.csv" ]; then pass; else
  fail "new file: the directory holds $(ls -A "$work/new" | tr '\n' ' ')"
fi

# Over an existing file: replaced, its permission bits kept.
echo "earlier" >"$work/new/rules.csv"
chmod 0640 "$work/new/rules.csv"
write_rules_without_proc "$work/new/rules.csv"
expect_ok "existing file"
expect_same "existing file: replaced" "$work/expected.csv" "$work/new/rules.csv"
stat -c %a "$work/new/rules.csv" >"$work/mode"
expect_text "existing file: mode kept" "640" "$work/mode"
ls -A "$work/new" >"$work/listing"
expect_text "existing file: no temporary left" "rules.csv" "$work/listing"

# Through a symbolic link: the link stays, its target is replaced.
echo "earlier" >"$work/new/target.csv"
ln -s target.csv "$work/new/link.csv"
write_rules_without_proc "$work/new/link.csv"
expect_ok "symbolic link"
if [ -L "$work/new/link.csv" ]; then pass; else fail "symbolic link: the link was replaced"; fi
expect_same "symbolic link: target replaced" "$work/expected.csv" "$work/new/target.csv"

# A full disk half way: one message naming the file, exit 1, the earlier file
# untouched, no temporary left. The small file system exists only inside the
# namespace, so the checks run there too.
cat >"$work/full_disk.sh" <<'EOF'
set -u
mount -t tmpfs -o size=256k tmpfs "$1"
echo "earlier" >"$1/rules.csv"
"$2" rules -s 0.1% -c 0 -f csv -o "$1/rules.csv" "$3" </dev/null >/dev/null 2>"$4/stderr"
echo "$?" >"$4/rc"
cat "$1/rules.csv" >"$4/after"
ls -A "$1" >"$4/listing"
EOF
mkdir "$work/small"
without_proc bash "$work/full_disk.sh" "$work/small" "$FIMBIT_BINARY" "$groceries" "$work"
rc=$(cat "$work/rc")
expect_rc "full disk" 1
expect_lines "full disk: one message" 1 "$work/stderr"
expect_grep "full disk: the message names the file and the cause" \
  "rules\.csv.*(No space left on device)" "$work/stderr"
expect_text "full disk: the earlier file survives" "earlier" "$work/after"
expect_text "full disk: no temporary left" "rules.csv" "$work/listing"

# A stop while writing (SIGTERM once mining has ended, during the write of
# about 0.6 s): exit 143, the earlier file untouched, no temporary left. A
# stalled machine may let the write end before the signal lands; the stop is
# then tried again, and three misses in a row fail the test.
seq 1 20000 | awk '{ printf "%d %d %d %d %d %d\n", $1%17, $1%11+20, $1%7+40, $1%5+50, $1%3+60, $1%2+70 }' \
  >"$work/dense.dat"
mkdir "$work/stop"

# stop_while_writing: one attempt; $rc as fimbit left it, and $work/stderr.
stop_while_writing() {
  echo "earlier" >"$work/stop/out.txt"
  # unshare and the namespace's sh exec: $pid becomes fimbit itself.
  unshare --mount sh -c 'mount -t tmpfs tmpfs /proc && exec "$@"' sh \
    "$FIMBIT_BINARY" rules -s 1 -c 0 --max-consequent 0 -T 1 --verbose \
    -o "$work/stop/out.txt" "$work/dense.dat" </dev/null >/dev/null 2>"$work/stderr" &
  local pid=$!
  for _ in $(seq 1 1200); do
    grep -q '^fimbit: mine+rules' "$work/stderr" && break
    sleep 0.02
  done
  kill -TERM "$pid" 2>/dev/null || true
  set +e
  wait "$pid"
  rc=$?
  set -e
}

for attempt in 1 2 3; do
  stop_while_writing
  grep -q '^fimbit: write' "$work/stderr" || break
  echo "note: attempt $attempt: the write ended before the stop landed"
done
if grep -q '^fimbit: write' "$work/stderr"; then
  fail "stop while writing: the write ended before the stop in three attempts"
else
  expect_rc "stop while writing" 143
  expect_text "stop while writing: the earlier file survives" "earlier" "$work/stop/out.txt"
  if [ "$(ls -A "$work/stop")" = "out.txt" ]; then pass; else
    fail "stop while writing: the directory holds $(ls -A "$work/stop" | tr '\n' ' ')"
  fi
fi

finish
