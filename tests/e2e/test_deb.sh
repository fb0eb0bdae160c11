#!/usr/bin/env bash
# cpack -G DEB from the build tree: the package is named
# fimbit_<version>_<arch>.deb, holds the binary, the shared library, the
# header, fimbit.pc, the CMake package and the man page under /usr (and
# fimbit-mpi with its library when the MPI driver is built), has a
# Depends line computed by dpkg-shlibdeps, and its binary runs from a scratch
# root it is extracted into (dpkg-deb -x) with no build tree around.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

: "${FIMBIT_BUILD_DIR:?set FIMBIT_BUILD_DIR to the build tree}"
if [ "${FIMBIT_SANITIZE:-OFF}" = ON ]; then
  echo "SKIPPED: test_deb in a sanitizer build (its binaries need the sanitizer runtimes)"
  exit 77
fi
for tool in cpack dpkg-deb dpkg-shlibdeps; do
  if ! command -v "$tool" >/dev/null; then
    fail "$tool is missing (scripts/setup installs dpkg-dev)"
    finish
  fi
done

# The package is built into the scratch directory, not the build tree, so that
# tests running side by side do not share CPack's staging area.
if ! (cd "$FIMBIT_BUILD_DIR" && cpack -G DEB -B "$work/package") >"$work/cpack.log" 2>&1; then
  fail "cpack -G DEB"
  tail -20 "$work/cpack.log" >&2
  finish
fi
version=$("$FIMBIT_BINARY" --version | awk '{print $2}')
arch=$(dpkg --print-architecture)
deb="$work/package/fimbit_${version}_${arch}.deb"
if [ -f "$deb" ]; then pass; else
  fail "no $(basename "$deb"): $(ls "$work/package")"
  finish
fi

dpkg-deb -f "$deb" Package Version Architecture Depends >"$work/control"
expect_grep "Package" '^Package: fimbit$' "$work/control"
expect_grep "Version" "^Version: ${version//./\\.}\$" "$work/control"

root="$work/root"
dpkg-deb -x "$deb" "$root"

# Depends is computed: every shared library an ELF file of the package needs
# (but its own) comes from a Debian package of this architecture named there
# with a version.
find "$root" -type f \( -perm -u+x -o -name '*.so.*' \) -exec objdump -p {} \; 2>/dev/null |
  awk '$1 == "NEEDED" && $2 !~ /^libfimbit/ {print $2}' | sort -u >"$work/needed"
expect_grep "the package's programs need libgomp" '^libgomp\.so' "$work/needed"
while read -r library; do
  owner=$(dpkg -S "*/$library" 2>/dev/null |
          awk -F: -v arch="$arch" '!found && $2 == arch { print $1; found = 1 }' || true)
  if [ -z "$owner" ]; then fail "no Debian package holds $library"; continue; fi
  expect_grep "Depends on $owner (for $library)" "^Depends: (.*, )?${owner} \\(>= [^)]+\\)" \
    "$work/control"
done <"$work/needed"
# hwloc is opened at run time, not linked: named by hand.
expect_grep "Depends on hwloc's library" '^Depends: (.*, )?libhwloc[0-9]+' "$work/control"
libdir=$(dirname "$(find "$root/usr" -name 'libfimbit.so.0' | head -1)")
for path in "$root/usr/bin/fimbit" "$libdir/libfimbit.so.0" "$root/usr/include/fimbit.h" \
            "$libdir/pkgconfig/fimbit.pc" "$libdir/cmake/fimbit/fimbitConfig.cmake" \
            "$libdir/cmake/fimbit/fimbitTargets.cmake" "$root/usr/share/man/man1/fimbit.1"; do
  if [ -e "$path" ]; then pass; else fail "in the package: ${path#"$root"}"; fi
done
# With the MPI driver built, its program and library are packed too, and
# Depends names the MPI library they link.
if [ -e "$FIMBIT_BUILD_DIR/fimbit-mpi" ]; then
  for path in "$root/usr/bin/fimbit-mpi" "$root/usr/include/fimbit_mpi.h"; do
    if [ -e "$path" ]; then pass; else fail "in the package: ${path#"$root"}"; fi
  done
  if compgen -G "$libdir/libfimbit_mpi.so.*" >/dev/null; then pass; else
    fail "in the package: libfimbit_mpi.so"
  fi
  expect_grep "Depends on an MPI library" '^Depends: .*\b(libopenmpi3|libmpich12) ' "$work/control"
fi
objdump -p "$libdir/libfimbit.so.0" >"$work/headers"
expect_grep "the library's SONAME" 'SONAME +libfimbit\.so\.0$' "$work/headers"
expect_no_grep "no path into the build tree" "RPATH|RUNPATH" "$work/headers"

# The extracted binary, away from the build tree, gives what the built one gives.
groceries="$FIMBIT_SOURCE_DIR/datasets/groceries.csv"
(cd "$work" && "$root/usr/bin/fimbit" rules -s 1% -c 0.3 --sort "$groceries") \
  >"$work/packaged_rules" 2>"$work/stderr" && rc=0 || rc=$?
expect_rc "the packaged binary runs" 0
"$FIMBIT_BINARY" rules -s 1% -c 0.3 --sort "$groceries" >"$work/built_rules"
expect_same "the packaged binary's rules" "$work/built_rules" "$work/packaged_rules"
ldd "$root/usr/bin/fimbit" >"$work/ldd" 2>&1 || true
expect_no_grep "every library of the binary is found" 'not found' "$work/ldd"
LD_LIBRARY_PATH="$libdir" ldd "$libdir/libfimbit.so.0" >"$work/ldd_library" 2>&1 || true
expect_no_grep "every library of libfimbit is found" 'not found' "$work/ldd_library"

# A C program builds against the packaged header, pkg-config file and library.
if PKG_CONFIG_PATH="$libdir/pkgconfig" cc -o "$work/top_rules" \
     "$FIMBIT_SOURCE_DIR/examples/top_rules.c" \
     $(PKG_CONFIG_PATH="$libdir/pkgconfig" pkg-config --cflags --libs fimbit) \
     -Wl,-rpath,"$libdir" 2>"$work/cc.log"; then
  pass
  "$work/top_rules" "$groceries" >"$work/example" 2>"$work/stderr" && rc=0 || rc=$?
  expect_rc "the example runs on the packaged library" 0
  expect_grep "the example prints rules" '=>' "$work/example"
else
  fail "the example with the packaged pkg-config file"
  cat "$work/cc.log" >&2
fi

finish
