#!/usr/bin/env bash
# hwloc is opened at run time (src/base/topology.c): a run at one thread never
# loads it, nor the libudev it needs; a team of two opens it, and with
# FIMBIT_BIND=1 binds its threads through it (`--verbose` says so). The
# dynamic loader reports every library it loads under LD_DEBUG=files. Two
# threads write their blocks in either order, hence --sort.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

write_small_fimi "$work/small.dat"

LD_DEBUG=files run itemsets -q --sort -T 1 -s 2 -o "$work/one.txt" "$work/small.dat"
expect_rc "one thread" 0
expect_no_grep "one thread: hwloc not loaded" 'file=libhwloc' "$work/stderr"
expect_no_grep "one thread: libudev not loaded" 'file=libudev' "$work/stderr"

LD_DEBUG=files run itemsets -q --sort -T 2 -s 2 -o "$work/two.txt" "$work/small.dat"
expect_rc "two threads" 0
expect_grep "two threads: hwloc opened at run time" 'file=libhwloc.*dynamically loaded' \
  "$work/stderr"
expect_same "two threads: the same itemsets" "$work/one.txt" "$work/two.txt"

FIMBIT_BIND=1 run itemsets -v -T 2 -s 2 -o "$work/bound.txt" "$work/small.dat"
expect_rc "bound" 0
expect_grep "bound: the topology is read and binding on" \
  '^fimbit: machine +[1-9][0-9]* cores, [1-9][0-9]* NUMA nodes, .*binding on' "$work/stderr"

finish
