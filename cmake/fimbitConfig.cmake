# find_package(fimbit) → the imported target fimbit::fimbit (the shared
# library with its header). Its dependencies are the shared library's own.
include(${CMAKE_CURRENT_LIST_DIR}/fimbitTargets.cmake)
