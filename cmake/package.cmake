# `cpack -G DEB` in the build tree: one Debian package, fimbit_<version>_<arch>.deb,
# holding what `cmake --install` installs (install.cmake) under /usr, the MPI
# program and library included when they are built. Its Depends line is
# computed by dpkg-shlibdeps (Debian: dpkg-dev) from the shared libraries the
# packed programs and libraries need, plus hwloc's.
set(CPACK_PACKAGE_NAME fimbit)
set(CPACK_PACKAGE_VENDOR "fimbit")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "parallel frequent-itemset and association-rule miner")
set(CPACK_PACKAGE_DESCRIPTION
    "fimbit finds the itemsets contained in at least a given number of baskets
(FP-growth and Eclat, with OpenMP threads) and the strong association rules
they give. The package holds the fimbit command, its man page, and the C
library libfimbit with its header, pkg-config file and CMake package.")
set(FIMBIT_PACKAGE_CONTACT "fimbit developers" CACHE STRING
    "The Maintainer field of the Debian package")
set(CPACK_PACKAGE_CONTACT "${FIMBIT_PACKAGE_CONTACT}")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)

set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# hwloc is opened at run time (src/base/topology.c), which dpkg-shlibdeps
# cannot see: its package is named from its soname (libhwloc.so.15 →
# libhwloc15), as Debian names library packages.
string(REGEX REPLACE "^(lib[A-Za-z]+)\\.so\\.([0-9]+)$" "\\1\\2" FIMBIT_HWLOC_PACKAGE
       "${FIMBIT_HWLOC_SONAME}")
set(CPACK_DEBIAN_PACKAGE_DEPENDS ${FIMBIT_HWLOC_PACKAGE})

include(CPack)
