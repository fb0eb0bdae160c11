#include "test_rounds.h"

#include <stdlib.h>

unsigned test_round_stride(void)
{
    const char *text = getenv("FIMBIT_TEST_ROUND_STRIDE");
    long stride = text != NULL ? strtol(text, NULL, 10) : 1;
    return stride >= 1 && stride <= 1000 ? (unsigned)stride : 1;
}
