#!/usr/bin/env bash
# A selection of end-to-end runs under valgrind memcheck: no invalid access,
# no use of uninitialised memory, no definite leak — on success and on the
# failure paths (bad data, usage errors, memory running out). Skipped in the
# sanitizer build, whose runtime cannot run under valgrind.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

if is_sanitizer_build; then
  echo "SKIP: sanitizer build; valgrind runs in the plain build"
  finish
  exit $?
fi
if ! command -v valgrind >/dev/null; then
  echo "FAIL: valgrind is not installed (scripts/setup installs it)" >&2
  exit 1
fi

write_small_fimi "$work/small.dat"
gzip -c "$FIMBIT_SOURCE_DIR/datasets/groceries.csv" >"$work/groceries.csv.gz"
printf '1 2 3\n4 x 5\n' >"$work/bad.dat"

# memcheck NAME CODE [ENV=VALUE] -- ARGS...: the run exits CODE and valgrind
# finds nothing (its own exit code 99 would say otherwise). jemalloc's
# allocator is named so that memcheck tracks its blocks too.
memcheck() {
  local name="$1" code="$2"
  shift 2
  local environment=()
  while [ "$1" != "--" ]; do environment+=("$1"); shift; done
  shift
  set +e
  env "${environment[@]}" valgrind -q --error-exitcode=99 --leak-check=full \
    --errors-for-leak-kinds=definite --show-leak-kinds=definite \
    --soname-synonyms='somalloc=*jemalloc*' "$@" </dev/null >"$work/stdout" 2>"$work/stderr"
  rc=$?
  set -e
  if [ "$rc" -eq "$code" ] && ! grep -q '^==[0-9]*==' "$work/stderr"; then pass; else
    fail "$name: exit $rc (expected $code) or valgrind findings"
    head -40 "$work/stderr" >&2
  fi
}

memcheck "itemsets fpgrowth" 0 -- "$FIMBIT_BINARY" itemsets -s 2 -a fpgrowth --sort -T 2 \
  "$work/small.dat"
memcheck "closed eclat, gzip csv" 0 -- "$FIMBIT_BINARY" itemsets -s 1% -t closed -a eclat \
  -f jsonl -T 2 -o "$work/out.jsonl" "$work/groceries.csv.gz"
memcheck "maximal fpgrowth" 0 -- "$FIMBIT_BINARY" itemsets -s 0.5% -t maximal -a fpgrowth \
  -T 2 "$FIMBIT_SOURCE_DIR/datasets/groceries.csv"
memcheck "rules --top" 0 -- "$FIMBIT_BINARY" rules -s 0.5% -c 0.3 --top 20 -f csv -T 2 \
  "$FIMBIT_SOURCE_DIR/datasets/groceries.csv"
memcheck "info" 0 -- "$FIMBIT_BINARY" info -f jsonl "$work/groceries.csv.gz"
memcheck "malformed input" 1 -- "$FIMBIT_BINARY" itemsets --input-format fimi "$work/bad.dat"
memcheck "usage error" 2 -- "$FIMBIT_BINARY" rules -c 2 "$work/small.dat"
for n in 5 20 40; do
  memcheck "allocation $n fails" 1 FIMBIT_ALLOC_FAIL_AFTER=$n -- "$FIMBIT_ALLOC_FAIL_BINARY" \
    rules -s 2 -c 0.5 --sort -T 2 -o "$work/out.txt" "$work/small.dat"
done

finish
