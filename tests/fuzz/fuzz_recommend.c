/*
 * Fuzz target: the recommender's JSON Lines rules reader
 * (fimbit_recommender_read_rules), which reads files users write by hand or
 * with other tools. The bytes are the file. Checked on every execution: the
 * status is a documented one; a malformed line is named by file, line and
 * column, and the rules of the lines before it stay added (one rule per
 * non-blank line); a file read whole gives one rule per non-blank line (of
 * plain text: gzip and zstd are decompressed first); a refused text (UTF-16,
 * corrupt compressed data) is named by its file alone; every item name is
 * found again by name; recommendations for a basket drawn from the items are
 * valid ids outside the basket, with finite measures, best first.
 */
#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <unistd.h>

#include "fuzz_check.h"

/* Non-blank lines (anything besides space, tab, CR) among the first `lines`
 * lines, counted independently of the reader. A UTF-8 byte-order mark at the
 * start is no data. */
static uint64_t rule_lines(const uint8_t *data, size_t size, uint64_t lines)
{
    uint64_t line = 1, count = 0;
    bool blank = true;
    size_t start = size >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    for (size_t i = start; i < size && line <= lines; i++) {
        if (data[i] == '\n') {
            count += !blank;
            blank = true;
            line++;
        } else if (data[i] != ' ' && data[i] != '\t' && data[i] != '\r') {
            blank = false;
        }
    }
    if (line <= lines)
        count += !blank;
    return count;
}

/* gzip and zstd data, by their magic bytes: the reader decompresses it, so
 * its lines are not those of the bytes. */
static bool compressed(const uint8_t *data, size_t size)
{
    return (size >= 2 && data[0] == 0x1f && data[1] == 0x8b) ||
           (size >= 4 && memcmp(data, "\x28\xb5\x2f\xfd", 4) == 0);
}

static bool better(const fimbit_recommendation *a, const fimbit_recommendation *b)
{
    if (a->confidence != b->confidence)
        return a->confidence > b->confidence;
    if (a->lift != b->lift)
        return a->lift > b->lift;
    return a->item < b->item;
}

static void check_recommendations(const fimbit_recommender *recommender, const uint8_t *data,
                                  size_t size)
{
    uint32_t items = fimbit_recommender_item_count(recommender);
    if (items == 0)
        return;
    uint32_t basket[4];
    size_t basket_size = size < 4 ? size : 4;
    for (size_t i = 0; i < basket_size; i++)
        basket[i] = data[i] % (items + 1); /* items + 1 stands for an unknown item */
    fimbit_recommendation out[8];
    size_t found = 0;
    fimbit_error error;
    fimbit_status status = fimbit_recommend(recommender, basket, basket_size,
                                            FIMBIT_RECOMMEND_BY_CONFIDENCE, 8, out, &found, &error);
    FUZZ_REQUIRE(status == FIMBIT_OK || status == FIMBIT_ENOMEM, "recommend: status %s",
                 fimbit_status_name(status));
    if (status != FIMBIT_OK)
        return;
    FUZZ_REQUIRE(found <= 8, "%zu recommendations for k = 8", found);
    for (size_t r = 0; r < found; r++) {
        FUZZ_REQUIRE(out[r].item < items, "recommended item %u of %u", out[r].item, items);
        FUZZ_REQUIRE(isfinite(out[r].confidence) && out[r].confidence >= 0 &&
                         isfinite(out[r].lift) && out[r].lift >= 0,
                     "measures %g %g", out[r].confidence, out[r].lift);
        for (size_t i = 0; i < basket_size; i++)
            FUZZ_REQUIRE(out[r].item != basket[i], "item %u is in the basket", out[r].item);
        FUZZ_REQUIRE(r == 0 || better(&out[r - 1], &out[r]), "recommendations out of order");
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[64];
    int fd = fuzz_memory_file(data, size, path, sizeof path);
    fimbit_recommender *recommender = NULL;
    fimbit_error error;
    FUZZ_REQUIRE(fimbit_recommender_create(&recommender, &error) == FIMBIT_OK,
                 "cannot create a recommender");
    fimbit_status status = fimbit_recommender_read_rules(recommender, path, &error);
    size_t rules = fimbit_recommender_rule_count(recommender);
    bool lines_known = !compressed(data, size);
    switch (status) {
    case FIMBIT_OK:
        FUZZ_REQUIRE(!lines_known || rules == rule_lines(data, size, UINT64_MAX),
                     "%zu rules from %llu lines", rules,
                     (unsigned long long)rule_lines(data, size, UINT64_MAX));
        break;
    case FIMBIT_EPARSE: {
        FUZZ_REQUIRE(strcmp(error.file, path) == 0, "a parse error without its file: %s",
                     error.message);
        size_t prefix = strlen(path);
        FUZZ_REQUIRE(strncmp(error.message, path, prefix) == 0 && error.message[prefix] == ':',
                     "the message does not start with the file: %s", error.message);
        FUZZ_REQUIRE(memchr(error.message, '\n', strlen(error.message)) == NULL,
                     "a message of several lines: %s", error.message);
        if (error.line == 0) {
            /* The input's own refusal (a UTF-16 mark, corrupt compressed
             * data): no place in a line, and no rule from plain text. */
            FUZZ_REQUIRE(!lines_known || rules == 0, "%zu rules before a refused text", rules);
            break;
        }
        FUZZ_REQUIRE(error.column >= 1, "a parse error without its column: %s", error.message);
        FUZZ_REQUIRE(!lines_known || rules == rule_lines(data, size, error.line - 1),
                     "%zu rules before line %llu", rules, (unsigned long long)error.line);
        break;
    }
    case FIMBIT_ENOMEM:
    case FIMBIT_ELIMIT:
        break;
    default:
        fuzz_fail(__FILE__, __LINE__, "undocumented status %s: %s", fimbit_status_name(status),
                  error.message);
    }
    for (uint32_t item = 0; item < fimbit_recommender_item_count(recommender); item++) {
        const char *name = fimbit_recommender_item_name(recommender, item);
        uint32_t again = UINT32_MAX;
        FUZZ_REQUIRE(name != NULL &&
                         fimbit_recommender_find_item(recommender, name, &again) == FIMBIT_OK &&
                         again == item,
                     "item %u is not found by its name", item);
    }
    check_recommendations(recommender, data, size);
    fimbit_recommender_free(recommender);
    close(fd);
    return 0;
}
