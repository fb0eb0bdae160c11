/*
 * Fuzz target: the --measures list parser (src/cli/item_lists.c). Whatever the
 * input, the parser answers; an accepted list names extra measures only, and
 * writing the chosen measures back by name parses to the same set.
 */
#include <stdio.h>
#include <string.h>

#include "fimbit.h"
#include "fuzz_check.h"
#include "item_lists.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char text[1024];
    size_t length = size < sizeof text - 1 ? size : sizeof text - 1;
    memcpy(text, data, length);
    text[length] = '\0';
    uint32_t mask = 0xdeadbeef;
    if (!cli_parse_measures(text, &mask)) {
        FUZZ_REQUIRE(mask == 0xdeadbeef, "a refused list changed the mask");
        return 0;
    }
    FUZZ_REQUIRE(mask != 0 && (mask & ~(uint32_t)FIMBIT_MEASURES_ALL) == 0,
                 "accepted '%s' as mask %#x", text, mask);
    char again[512];
    size_t used = 0;
    for (unsigned m = 0; m <= FIMBIT_MEASURE_P_VALUE; m++)
        if (mask & FIMBIT_MEASURE_BIT(m)) {
            const char *name = fimbit_measure_name((fimbit_measure)m);
            used += (size_t)snprintf(again + used, sizeof again - used, "%s%s",
                                     used ? "," : "", name);
        }
    uint32_t round_trip = 0;
    FUZZ_REQUIRE(cli_parse_measures(again, &round_trip) && round_trip == mask,
                 "'%s' does not parse back to %#x", again, mask);
    return 0;
}
