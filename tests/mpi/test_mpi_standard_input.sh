#!/usr/bin/env bash
# Standard input under MPI, which the launcher hands to rank 0 alone, and
# a FIFO: read as '-' or by another name (/dev/stdin), from a redirected file
# or a pipe, the ranks give one process's bytes. /dev/stdin on a file was
# split by byte ranges like a named file, and the other ranks read their
# parts from their own standard input, /dev/null; a pipe or FIFO lost the
# bytes rank 0 read to see whether it could be split. Both exited 0 with
# itemsets missing. A process substitution <(...), /dev/fd/63, that the
# launcher did not pass on (Open MPI closes the caller's descriptors) is a
# usage error on every rank: it failed with "cannot open" and exit 1.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

awk 'BEGIN { for (i = 0; i < 20000; i++) print i % 97, (i * 7) % 113, (i * 13) % 131 }' \
  >"$work/baskets.dat"
run itemsets -s 150 --sort -T 1 "$work/baskets.dat"
expect_ok "one process"
cp "$work/stdout" "$work/single"
for name in - /dev/stdin; do
  mpi_run_stdin "$work/baskets.dat" 2 itemsets -s 150 --sort -T 1 "$name"
  expect_rc "$name on a file, 2 ranks" 0
  expect_same "$name on a file: 2 ranks = one process" "$work/single" "$work/stdout"
  mpi_run_stdin <(cat "$work/baskets.dat") 2 itemsets -s 150 --sort -T 1 "$name"
  expect_rc "$name on a pipe, 2 ranks" 0
  expect_same "$name on a pipe: 2 ranks = one process" "$work/single" "$work/stdout"
done
mkfifo "$work/fifo"
# The writer's open waits for a reader: timeout(1) ends it if none comes.
timeout "$MPI_TIMEOUT" sh -c 'cat "$1" >"$2"' writer "$work/baskets.dat" "$work/fifo" &
mpi_run 2 itemsets -s 150 --sort -T 1 "$work/fifo"
wait || true
expect_rc "a FIFO, 2 ranks" 0
expect_same "a FIFO: 2 ranks = one process" "$work/single" "$work/stdout"

for name in <(cat "$work/baskets.dat") /dev/fd/99; do
  mpi_run 2 itemsets -s 150 --sort -T 1 -o "$work/never.txt" "$work/baskets.dat" "$name"
  expect_rc "$name, 2 ranks: a usage error" 2
  expect_grep "$name: says why" "^fimbit: $name: a descriptor of the process that started" \
    "$work/stderr"
  expect_grep "$name: says what to do" "pipe the data in and name the input '-'" "$work/stderr"
  expect_absent "$name: no output file" "$work/never.txt"
done

finish
