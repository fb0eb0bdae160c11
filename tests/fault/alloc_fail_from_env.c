/*
 * Linked into a test-only copy of the fimbit command (fimbit_alloc_fail, see
 * tests/CMakeLists.txt): before main() runs, FIMBIT_ALLOC_FAIL_AFTER=N makes
 * the library's N-th allocation and every later one fail, so that the
 * end-to-end tests can step a whole command through running out of memory.
 */
#include <stdlib.h>

#include "base/internal.h"

__attribute__((constructor)) static void alloc_fail_from_environment(void)
{
    const char *value = getenv("FIMBIT_ALLOC_FAIL_AFTER");
    if (value != NULL && *value != '\0')
        fimbit__alloc_fail_after(strtoull(value, NULL, 10));
}
