/*
 * Fuzz target: the item-list parser of --antecedent-items, --consequent-items
 * and --exclude-items (src/cli/item_lists.c). The first byte picks the form:
 * an inline comma-separated list, or an @FILE's content (one name a line).
 * The parser must answer, never crash; a refusal comes with a one-line
 * message; an accepted list holds non-empty names without the separator, a
 * NUL or blanks at either end, and no more bytes than the input.
 */
#include <string.h>

#include "fuzz_check.h"
#include "item_lists.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    char separator = data[0] & 1 ? '\n' : ',';
    const char *text = (const char *)data + 1;
    size_t length = size - 1;
    cli_item_list list;
    char message[512];
    message[0] = '\0';
    if (!cli_item_list_split(text, length, separator, "fuzz", &list, message, sizeof message)) {
        FUZZ_REQUIRE(message[0] != '\0' && strchr(message, '\n') == NULL,
                     "a refusal without a one-line message: '%s'", message);
        return 0;
    }
    FUZZ_REQUIRE(list.count > 0, "an accepted list without names");
    size_t bytes = 0;
    for (size_t i = 0; i < list.count; i++) {
        const char *name = list.names[i];
        size_t name_length = strlen(name);
        FUZZ_REQUIRE(name_length > 0, "an empty name");
        FUZZ_REQUIRE(strchr(name, separator) == NULL, "a name holds the separator");
        FUZZ_REQUIRE(name[0] != ' ' && name[0] != '\t' && name[name_length - 1] != ' ' &&
                         name[name_length - 1] != '\t' && name[name_length - 1] != '\r',
                     "a name with blanks around it");
        /* Every name is a piece of the input. */
        FUZZ_REQUIRE(memmem(text, length, name, name_length) != NULL,
                     "a name that is not in the input");
        bytes += name_length;
    }
    FUZZ_REQUIRE(bytes <= length, "more name bytes than input bytes");
    cli_item_list_free(&list);
    return 0;
}
