#!/usr/bin/env bash
# A bounded slice of the benchmarks, so that they cannot rot between the runs
# made on request: scripts/bench's table on chess at 60% (itemset counts
# checked against the known ones, a timeout shown as such), and every
# Google Benchmark micro-benchmark of a small family once, briefly, without
# error. Speed is not asserted here. Absent data is skipped by name.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

chess="$FIMBIT_DATASETS/chess.dat"
if [ ! -r "$chess" ]; then
  echo "SKIP: dataset chess.dat not found at $chess"
else
  # Peers are never part of the tests: they are built by hand, outside.
  table="$work/table.md"
  FIMBIT_PEERS= "$FIMBIT_SOURCE_DIR/scripts/bench" --runs 1 --targets "all closed maximal" \
    chess.dat:1918 >"$table" 2>"$work/stderr" && rc=0 || rc=$?
  expect_rc "scripts/bench runs" 0
  # chess.dat at 1918 baskets: 254,944 frequent, 98,392 closed, 3,323 maximal.
  for row in "all 254944" "closed 98392" "maximal 3323"; do
    read -r target count <<<"$row"
    expect_grep "bench: $target row counts $count itemsets" \
      "^\| chess\.dat 1918 \| $target \| $count \| [0-9.]+ \| [0-9.]+ \| [0-9.]+ \| [0-9]+ \|$" "$table"
  done
  expect_grep "bench: a Markdown header" "^\| workload \| target \| itemsets \|" "$table"

  # A stand-in peer (called as `lcm TARGET DATA SUPPORT OUT`) that holds
  # its input in memory, so that its peak on chess exceeds its fixed part:
  # the RSS columns and the fixed parts they subtract.
  mkdir "$work/peers"
  printf '#!/bin/sh\nexec awk -v out="$4" '"'"'{ kept[NR] = $0 } END { printf "" > out }'"'"' "$2"\n' \
    >"$work/peers/lcm"
  chmod +x "$work/peers/lcm"
  FIMBIT_PEERS="$work/peers" "$FIMBIT_SOURCE_DIR/scripts/bench" --runs 1 --targets closed \
    chess.dat:1918 >"$table" 2>"$work/stderr" && rc=0 || rc=$?
  expect_rc "scripts/bench with a peer" 0
  expect_grep "bench: the fixed parts" '^Fixed part .*: fimbit [0-9.]+; lcm [0-9.]+$' "$table"
  expect_grep "bench: the RSS columns" \
    '\| leanest peer RSS \(MB\) \| RSS / leanest \| RSS above fixed / leanest \|$' "$table"
  expect_grep "bench: the ratios of a row" \
    '^\| chess\.dat 1918 \| closed \| 98392 \|.* \| [0-9]+ \| [0-9.]+ \| [0-9.]+ \|$' "$table"

  FIMBIT_PEERS= "$FIMBIT_SOURCE_DIR/scripts/bench" --runs 2 --timeout 0.001 chess.dat:1918 \
    >"$table" 2>"$work/stderr" && rc=0 || rc=$?
  expect_rc "scripts/bench with a run over its timeout" 0
  expect_grep "bench: a timed-out run shows as >0.001" "^\| chess\.dat 1918 \| all \| - \| >0\.001 \| >0\.001 \| - \|" "$table"
fi

if [ -z "${FIMBIT_BENCH_BINARY:-}" ]; then
  echo "SKIP: no fimbit_bench in this build (FIMBIT_BENCH=OFF)"
else
  # Container kernels (no data needed) and the chess families, each once.
  filter='^(containers/|format/prefix/text/chess|kernel/(fpgrowth|eclat)/chess/.*/threads:1/)'
  set +e
  "$FIMBIT_BENCH_BINARY" --benchmark_filter="$filter" --benchmark_min_time=0.001 \
    --benchmark_format=json >"$work/bench.json" 2>"$work/stderr"
  rc=$?
  set -e
  expect_rc "fimbit_bench slice" 0
  expect_no_grep "fimbit_bench: no benchmark reports an error" '"error_occurred": true' "$work/bench.json"
  rows=$(grep -c '"name": "containers/' "$work/bench.json" || true)
  if [ "$rows" -eq 24 ]; then pass; else fail "fimbit_bench: $rows container rows, expected 24"; fi
  if [ -r "$chess" ]; then
    rows=$(grep -c '"name": "kernel/.*/chess/' "$work/bench.json" || true)
    if [ "$rows" -eq 6 ]; then pass; else fail "fimbit_bench: $rows chess kernel rows, expected 6"; fi
  fi
fi

finish
