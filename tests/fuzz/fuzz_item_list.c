/*
 * Fuzz target: the item-list parser of --antecedent-items, --consequent-items
 * and --exclude-items (src/cli/item_lists.c). The first byte picks the form:
 * an inline comma-separated list, or an @FILE's content (one name a line).
 * The parser must answer, never crash; a refusal comes with a one-line
 * message; an accepted list holds non-empty names without the separator, a
 * NUL or blanks at either end, and no more bytes than the input. An @FILE's
 * content is also read as a file: plain text gives the names (or the
 * refusal) its split gives; gzip, zstd and byte-order marks are undone by the
 * input layer first, so of them only a clean answer is asked.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "fuzz_check.h"
#include "item_lists.h"
#include "read/byte_order_mark.h"

static void check_names(const char *text, size_t length, char separator, const cli_item_list *list)
{
    FUZZ_REQUIRE(list->count > 0, "an accepted list without names");
    size_t bytes = 0;
    for (size_t i = 0; i < list->count; i++) {
        const char *name = list->names[i];
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
}

/* @return whether the input layer reads `text` as it is: no compression
 * magic, no byte-order mark. */
static bool plain_text(const char *text, size_t length)
{
    const unsigned char *bytes = (const unsigned char *)text;
    bool gzip = length >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b;
    bool zstd = length >= 4 && memcmp(bytes, "\x28\xb5\x2f\xfd", 4) == 0;
    return !gzip && !zstd && byte_order_mark_find(text, length) == BYTE_ORDER_MARK_NONE;
}

/* Reads `text` as "@FILE" and compares with the split's answer. */
static void check_item_file(const char *text, size_t length, const cli_item_list *split)
{
    char path[64], argument[80], message[512];
    int fd = fuzz_memory_file((const uint8_t *)text, length, path, sizeof path);
    snprintf(argument, sizeof argument, "@%s", path);
    cli_item_list list;
    message[0] = '\0';
    bool parsed = cli_item_list_parse(argument, "--fuzz", &list, message, sizeof message);
    close(fd);
    bool plain = plain_text(text, length);
    if (!parsed) {
        FUZZ_REQUIRE(strncmp(message, "--fuzz: ", 8) == 0 && strchr(message, '\n') == NULL,
                     "an @FILE refusal without its option on one line: '%s'", message);
        FUZZ_REQUIRE(!plain || split == NULL, "@FILE refused what the split accepts: '%s'",
                     message);
        return;
    }
    if (plain) {
        FUZZ_REQUIRE(split != NULL, "@FILE accepted what the split refuses");
        FUZZ_REQUIRE(list.count == split->count, "@FILE gives %zu names, the split %zu", list.count,
                     split->count);
        for (size_t i = 0; i < list.count; i++)
            FUZZ_REQUIRE(strcmp(list.names[i], split->names[i]) == 0,
                         "@FILE name %zu differs from the split's", i);
    }
    cli_item_list_free(&list);
}

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
    bool split =
        cli_item_list_split(text, length, separator, "fuzz", &list, message, sizeof message);
    if (split)
        check_names(text, length, separator, &list);
    else
        FUZZ_REQUIRE(message[0] != '\0' && strchr(message, '\n') == NULL,
                     "a refusal without a one-line message: '%s'", message);
    if (separator == '\n')
        check_item_file(text, length, split ? &list : NULL);
    if (split)
        cli_item_list_free(&list);
    return 0;
}
