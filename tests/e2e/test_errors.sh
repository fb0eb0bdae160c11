#!/usr/bin/env bash
# Bad input and bad options: the exit code, one "fimbit: " line naming the
# place, nothing on stdout, and no output file left behind (an existing one
# survives).
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

write_small_fimi "$work/small.dat"

# check_data_error NAME PATTERN ARGS...: exit 1, one stderr line matching
# PATTERN, no output file created, an existing output file kept.
check_data_error() {
  local name="$1" pattern="$2"
  shift 2
  rm -f "$work/out.txt"
  run "$@" -o "$work/out.txt"
  expect_rc "$name" 1
  expect_lines "$name: one line on stderr" 1 "$work/stderr"
  expect_grep "$name: message" "^fimbit: .*$pattern" "$work/stderr"
  expect_empty "$name: stdout" "$work/stdout"
  expect_absent "$name: no output file" "$work/out.txt"
  echo "precious" >"$work/out.txt"
  run "$@" -o "$work/out.txt"
  expect_rc "$name (existing output)" 1
  expect_text "$name: an existing output file survives" "precious" "$work/out.txt"
  rm -f "$work/out.txt"
  # And the same to standard output: nothing printed.
  run "$@"
  expect_empty "$name: stdout without -o" "$work/stdout"
}

printf '1 2 3\n4 5\n6 x7 8\n' >"$work/bad.dat"
for command in itemsets rules info; do
  check_data_error "$command: non-integer FIMI token" 'bad\.dat:3:3' \
    "$command" --input-format fimi "$work/bad.dat"
done

printf 'basket,item\n1,a\n2,"b\n3,c\n' >"$work/unterminated.csv"
check_data_error "unterminated CSV quote" 'unterminated\.csv:[0-9]+' \
  itemsets --input-format csv --header "$work/unterminated.csv"

printf 'order,product\n1,a\n1,b\n' >"$work/columns.csv"
check_data_error "missing CSV column" 'columns\.csv.*(nothere|column)' \
  itemsets --columns order,nothere "$work/columns.csv"
check_data_error "CSV column index out of range" 'columns\.csv' \
  itemsets --columns 1,5 --header "$work/columns.csv"

printf '\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x03\x00\x3e\x00\n\x00\x00\x01' \
  >"$work/binary.bin"
check_data_error "binary file" 'binary\.bin' itemsets "$work/binary.bin"

check_data_error "missing file" 'no-such-file\.dat' itemsets "$work/no-such-file.dat"
check_data_error "missing second file" 'no-such-file\.dat' \
  rules "$work/small.dat" "$work/no-such-file.dat"
check_data_error "a directory as input" "$(basename "$work")" itemsets "$work"

# A corrupt compressed file.
if command -v gzip >/dev/null; then
  gzip -c "$work/small.dat" | head -c 20 >"$work/truncated.gz"
  check_data_error "truncated gzip" 'truncated\.gz' itemsets "$work/truncated.gz"
fi

# An output directory that does not exist.
run itemsets -s 2 -o "$work/no/such/dir/out.txt" "$work/small.dat"
expect_rc "unwritable output" 1
expect_grep "unwritable output names the file" '^fimbit: .*out\.txt' "$work/stderr"

# Usage errors: exit 2 and no output file either.
check_usage_error() {
  local name="$1"
  shift
  rm -f "$work/out.txt"
  run "$@" -o "$work/out.txt" "$work/small.dat"
  expect_rc "$name" 2
  expect_grep "$name: message" '^fimbit: ' "$work/stderr"
  expect_grep "$name: hint" "^Try 'fimbit [a-z]+ --help'\.$" "$work/stderr"
  expect_empty "$name: stdout" "$work/stdout"
  expect_absent "$name: no output file" "$work/out.txt"
}
for support in 0 -1 1.5 abc 0% 101% '' 2.0 -0.5; do
  check_usage_error "itemsets -s '$support'" itemsets -s "$support"
  check_usage_error "rules --min-support '$support'" rules --min-support "$support"
done
for confidence in 1.5 -0.1 101% x; do
  check_usage_error "rules -c '$confidence'" rules -c "$confidence"
done
check_usage_error "rules --min-lift -1" rules --min-lift -1
check_usage_error "itemsets -m 0" itemsets -m 0
check_usage_error "itemsets -n x" itemsets -n x
check_usage_error "rules --max-consequent -1" rules --max-consequent -1
check_usage_error "itemsets -T many" itemsets -T many
check_usage_error "itemsets --separator ''" itemsets --separator ''
# Columns the reader would refuse are refused with the command line.
for columns in a,0 01,2 a,a 2,2 1,99999999999; do
  check_usage_error "itemsets --columns $columns" itemsets --columns "$columns"
done
check_usage_error "named columns with --no-header" itemsets --columns a,b --no-header

# Out of memory (exit code 1) is provoked in test_resources.sh.

finish
