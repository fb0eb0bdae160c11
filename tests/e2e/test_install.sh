#!/usr/bin/env bash
# cmake --install into a temporary prefix: every installed file, the shared
# library's exports and SONAME, the man page against --help, and the example
# built against the installed library with pkg-config and with CMake.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

: "${FIMBIT_BUILD_DIR:?set FIMBIT_BUILD_DIR to the build tree}"
if [ "${FIMBIT_SANITIZE:-OFF}" = ON ]; then
  # A program linked against an ASan-built library must load ASan first.
  echo "SKIPPED: test_install in a sanitizer build"
  exit 77
fi
groceries="$FIMBIT_SOURCE_DIR/datasets/groceries.csv"
prefix="$work/prefix"

cmake --install "$FIMBIT_BUILD_DIR" --prefix "$prefix" >"$work/install.log" 2>&1 ||
  { fail "cmake --install"; cat "$work/install.log" >&2; finish; }
libdir=$(dirname "$(find "$prefix" -name libfimbit.so | head -1)")

for path in "$libdir/libfimbit.so" "$libdir/libfimbit.so.0" "$libdir/libfimbit.a" \
            "$libdir/pkgconfig/fimbit.pc" "$libdir/cmake/fimbit/fimbitConfig.cmake" \
            "$prefix/include/fimbit.h" "$prefix/bin/fimbit" "$prefix/share/man/man1/fimbit.1"; do
  if [ -e "$path" ]; then pass; else fail "installed: ${path#"$prefix"/}"; fi
done

# With the MPI driver built: its program beside fimbit, its libraries and header.
if [ -x "$FIMBIT_BUILD_DIR/fimbit-mpi" ]; then
  for path in "$prefix/bin/fimbit-mpi" "$libdir/libfimbit_mpi.so.0" "$libdir/libfimbit_mpi.a" \
              "$prefix/include/fimbit_mpi.h"; do
    if [ -e "$path" ]; then pass; else fail "installed: ${path#"$prefix"/}"; fi
  done
  ldd "$prefix/bin/fimbit" >"$work/ldd"
  expect_no_grep "the installed fimbit links no MPI" 'libmpi' "$work/ldd"
fi

objdump -p "$libdir/libfimbit.so" >"$work/headers"
expect_grep "SONAME" 'SONAME +libfimbit\.so\.0$' "$work/headers"
nm -D --defined-only "$libdir/libfimbit.so" | awk '{print $3}' >"$work/exports"
expect_grep "exports the API" '^fimbit_mine_rules$' "$work/exports"
expect_no_grep "exports nothing but fimbit_*" '^(fimbit__|[^f]|f[^i])' "$work/exports"

# Every command's help, as the man page shows it once the troff escapes are undone.
for command in "" itemsets rules info recommend report gen; do
  if [ -z "$command" ]; then section='^\.SH SYNOPSIS$'; else section="^\\.SH \"fimbit $command\"\$"; fi
  "$prefix/bin/fimbit" help $command >"$work/help"
  awk -v section="$section" '$0 ~ section { on = 1; next } on && /^\.nf$/ { next }
                             on && /^\.fi$/ { exit } on' "$prefix/share/man/man1/fimbit.1" |
    sed -e 's/^\\&//' -e 's/\\-/-/g' -e 's/\\e/\\/g' >"$work/man"
  expect_same "man page section '${command:-overview}'" "$work/help" "$work/man"
done

# The example, built with pkg-config.
export PKG_CONFIG_PATH="$libdir/pkgconfig"
if cc -o "$work/top_rules_pc" "$FIMBIT_SOURCE_DIR/examples/top_rules.c" \
     $(pkg-config --cflags --libs fimbit) -Wl,-rpath,"$libdir" 2>"$work/cc.log"; then pass; else
  fail "example with pkg-config"; cat "$work/cc.log" >&2
fi
# The example, built with CMake's find_package(fimbit).
if cmake -S "$FIMBIT_SOURCE_DIR/examples" -B "$work/examples" -DCMAKE_PREFIX_PATH="$prefix" \
     >"$work/cmake.log" 2>&1 && cmake --build "$work/examples" >>"$work/cmake.log" 2>&1; then
  pass
else
  fail "example with CMake"; tail -20 "$work/cmake.log" >&2
fi

# The CLI's 10 strongest rules at the example's thresholds: the text form's
# lists are laid out as the example prints them (no grocery name is quoted).
"$prefix/bin/fimbit" rules -s 0.5% -c 0.5 --top 10 "$groceries" | sed 's/ (.*//' >"$work/cli_top"
for example in "$work/top_rules_pc" "$work/examples/top_rules"; do
  [ -x "$example" ] || continue
  set +e
  "$example" "$groceries" >"$work/stdout" 2>"$work/stderr"
  rc=$?
  set -e
  expect_ok "$(basename "$example") runs"
  sed 's/  confidence.*//' "$work/stdout" >"$work/example_rules"
  expect_same "$(basename "$example") prints the CLI's 10 strongest rules" \
    "$work/cli_top" "$work/example_rules"
done
"$work/top_rules_pc" "$work/missing.csv" >"$work/stdout" 2>"$work/stderr" && rc=0 || rc=$?
expect_rc "example reports a missing file" 1
expect_grep "example prints the library's message" 'missing\.csv' "$work/stderr"

# The streaming example counts the CLI's itemsets by size.
"$prefix/bin/fimbit" itemsets -s 1% -f jsonl "$groceries" | grep -o '"size":[0-9]*' |
  sed 's/"size"://' | sort -n | uniq -c | awk '{print $2 "\t" $1}' >"$work/cli_sizes"
if [ -x "$work/examples/count_by_size" ]; then
  "$work/examples/count_by_size" "$groceries" 0.01 >"$work/stdout" 2>"$work/stderr" && rc=0 || rc=$?
  expect_ok "count_by_size runs"
  expect_same "count_by_size counts the CLI's itemsets by size" "$work/cli_sizes" "$work/stdout"
fi

finish
