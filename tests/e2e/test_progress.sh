#!/usr/bin/env bash
# Progress lines: on standard error only, never changing standard output;
# --progress forces them, -q silences them (also with --progress); on a
# terminal they appear by themselves for a run longer than a second.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

stage_line='^fimbit: (read|count|shard|mine|rules|write) '

# expect_only_stage_lines NAME FILE: every line of FILE is a progress line.
expect_only_stage_lines() {
  if ! grep -Evq -- "$stage_line" "$2"; then pass; else
    fail "$1: a line of $(basename "$2") is no progress line"
    grep -Ev -- "$stage_line" "$2" | head -5 >&2
  fi
}

# same_stdout_with_progress NAME ARGS...: the output with --progress is the
# output without it, byte for byte, and stderr holds the stage summaries.
same_stdout_with_progress() {
  local name="$1"
  shift
  run "$@"
  expect_ok "$name: without --progress"
  cp "$work/stdout" "$work/plain.out"
  run "$@" --progress
  expect_rc "$name: with --progress" 0
  expect_same "$name: stdout is the same with --progress" "$work/plain.out" "$work/stdout"
  expect_only_stage_lines "$name: stderr" "$work/stderr"
  for stage in read count mine write; do
    expect_grep "$name: the $stage summary" "^fimbit: $stage +[0-9.]+[kMG]? .* in [0-9.]+ s" \
      "$work/stderr"
  done
}

write_small_fimi "$work/small.dat"
same_stdout_with_progress "small itemsets" itemsets -T1 -s 2 -o - "$work/small.dat"
same_stdout_with_progress "small rules" rules -s 2 -c 0.5 -a eclat --sort "$work/small.dat"
expect_grep "small rules: the shard summary" '^fimbit: shard ' "$work/stderr"
expect_grep "small rules: the rules summary" '^fimbit: rules ' "$work/stderr"
expect_grep "small rules: the read summary counts the file's bytes" \
  "^fimbit: read +$(wc -c <"$work/small.dat") B in " "$work/stderr"

if [ -f "$FIMBIT_DATASETS/mushroom.dat" ]; then
  same_stdout_with_progress "mushroom itemsets" itemsets -s 406 --sort "$FIMBIT_DATASETS/mushroom.dat"
  same_stdout_with_progress "mushroom streamed" itemsets -T1 -s 406 -f csv "$FIMBIT_DATASETS/mushroom.dat"
else
  echo "SKIP: mushroom.dat not found in $FIMBIT_DATASETS"
fi

# Standard input: no size known, so no percentage, but a summary.
run_stdin "$work/small.dat" itemsets -s 2 --progress
expect_rc "stdin with --progress" 0
expect_grep "stdin: the read summary" "^fimbit: read +$(wc -c <"$work/small.dat") B in " \
  "$work/stderr"

# info reads only.
run info --progress "$work/small.dat"
expect_rc "info --progress" 0
expect_lines "info --progress: one read line" 1 "$work/stderr"
expect_grep "info --progress: read" '^fimbit: read ' "$work/stderr"

# -q wins over --progress, in either order.
run itemsets -T1 -s 2 -o - "$work/small.dat"
cp "$work/stdout" "$work/plain.out"
for args in "-q --progress" "--progress -q"; do
  # shellcheck disable=SC2086
  run itemsets -T1 -s 2 $args -o - "$work/small.dat"
  expect_ok "itemsets $args: silent stderr"
  expect_same "itemsets $args: stdout unchanged" "$work/plain.out" "$work/stdout"
done

# Not a terminal and no --progress: silent.
run itemsets -s 2 "$work/small.dat"
expect_ok "no terminal, no --progress: silent stderr"

# A failing run: the stages that completed, then the error line.
printf '1 2\nx 3\n' >"$work/bad.dat"
run itemsets --input-format fimi --progress "$work/bad.dat"
expect_rc "--progress on bad data" 1
expect_grep "--progress on bad data: the error" '^fimbit: .*bad\.dat:2:1: ' "$work/stderr"
expect_no_grep "--progress on bad data: no read summary" '^fimbit: read ' "$work/stderr"

# The help lists the option; commands that read nothing do not take it.
run itemsets --help
expect_grep "itemsets --help lists --progress" '--progress' "$work/stdout"
run gen --progress --baskets 1
expect_rc "gen does not take --progress" 2

# A terminal on standard error (script(1) runs the command on a
# pseudo-terminal and copies what it prints; -o keeps the data off it).
if command -v script >/dev/null 2>&1; then
  terminal_run() {
    script -qec "$(printf '%q ' "$FIMBIT_BINARY" "$@")" /dev/null >"$work/tty.out" 2>&1 </dev/null
  }
  # A short run prints nothing: no flicker.
  terminal_run itemsets -s 2 -o "$work/tty_small.out" "$work/small.dat"
  expect_empty "terminal, short run: nothing shown" "$work/tty.out"

  # A long run shows its stages, rewritten in place.
  awk 'BEGIN { srand(11); for (b = 0; b < 150000; b++) { line = ""; n = 8 + int(rand() * 12);
         for (i = 0; i < n; i++) line = line " " int(rand() * rand() * 120); print line } }' \
    >"$work/long.dat"
  start=$(date +%s%N)
  terminal_run itemsets -T1 -s 150 -o "$work/tty_long.out" "$work/long.dat"
  seconds=$(awk -v ns=$(($(date +%s%N) - start)) 'BEGIN { printf "%.1f", ns / 1e9 }')
  if awk -v s="$seconds" 'BEGIN { exit !(s >= 1.5) }'; then
    expect_grep "terminal, long run ($seconds s): a mine line" 'fimbit: mine ' "$work/tty.out"
    expect_grep "terminal, long run: the summary of read" 'fimbit: read .* in ' "$work/tty.out"
    if grep -q $'\r' "$work/tty.out"; then pass; else fail "terminal, long run: no carriage return"; fi
  else
    echo "SKIP: the long terminal run took only $seconds s (needs 1.5 s to show progress)"
  fi
  terminal_run itemsets -T1 -s 150 -q -o "$work/tty_long.out" "$work/long.dat"
  expect_empty "terminal, -q: nothing shown" "$work/tty.out"
else
  echo "SKIP: script(1) not found; the terminal checks did not run"
fi

finish
