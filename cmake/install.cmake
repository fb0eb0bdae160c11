# `cmake --install`: the shared and static libraries, the header, a pkg-config
# file, a CMake package (find_package(fimbit) gives fimbit::fimbit, the shared
# library), the fimbit binary and its man page; with MPI, fimbit-mpi beside
# fimbit (where fimbit looks for it), libfimbit_mpi (fimbit::fimbit_mpi) and
# fimbit_mpi.h.
include(CMakePackageConfigHelpers)

install(TARGETS fimbit_shared EXPORT fimbitTargets
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(TARGETS fimbit_core ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(TARGETS fimbit_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES ${PROJECT_SOURCE_DIR}/include/fimbit.h
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
if(FIMBIT_WITH_MPI)
  install(TARGETS fimbit_mpi_shared EXPORT fimbitTargets
          LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
  install(TARGETS fimbit_mpi_core ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
  install(TARGETS fimbit_mpi_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
  install(FILES ${PROJECT_SOURCE_DIR}/include/fimbit_mpi.h
          DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
endif()
install(FILES ${PROJECT_BINARY_DIR}/fimbit.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)

# The prefix is found relative to the .pc file itself, so the file stays right
# whatever `cmake --install --prefix` says at install time.
file(RELATIVE_PATH FIMBIT_PC_PREFIX /root/${CMAKE_INSTALL_LIBDIR}/pkgconfig /root)
configure_file(${PROJECT_SOURCE_DIR}/cmake/fimbit.pc.in ${PROJECT_BINARY_DIR}/fimbit.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/fimbit.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

set(FIMBIT_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/fimbit)
install(EXPORT fimbitTargets NAMESPACE fimbit:: DESTINATION ${FIMBIT_CMAKE_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/fimbitConfigVersion.cmake
                                 COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_SOURCE_DIR}/cmake/fimbitConfig.cmake
        ${PROJECT_BINARY_DIR}/fimbitConfigVersion.cmake DESTINATION ${FIMBIT_CMAKE_DIR})
