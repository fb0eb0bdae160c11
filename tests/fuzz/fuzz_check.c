#include "fuzz_check.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "read/dataset.h"
#include "oracle.h"

void fuzz_fail(const char *file, int line, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    fprintf(stderr, "%s:%d: fuzz check failed: ", file, line);
    vfprintf(stderr, format, args);
    fputc('\n', stderr);
    va_end(args);
    abort();
}

int fuzz_memory_file(const uint8_t *data, size_t size, char *path, size_t path_size)
{
    int fd = memfd_create("fimbit-fuzz", 0);
    FUZZ_REQUIRE(fd >= 0, "memfd_create failed");
    size_t done = 0;
    while (done < size) {
        ssize_t written = write(fd, data + done, size - done);
        FUZZ_REQUIRE(written > 0, "writing the memory file failed");
        done += (size_t)written;
    }
    snprintf(path, path_size, "/proc/self/fd/%d", fd);
    return fd;
}

static int status_is_documented(fimbit_status status)
{
    /* What a reader may answer to bad bytes; EINTERNAL never. */
    return status == FIMBIT_OK || status == FIMBIT_EINVAL || status == FIMBIT_EPARSE ||
           status == FIMBIT_EIO || status == FIMBIT_ENOMEM || status == FIMBIT_ELIMIT;
}

/* The dataset's own invariants: ids in range and unique inside a basket,
 * supports and stats that agree with the baskets. */
static void check_dataset(const fimbit_dataset *d)
{
    uint64_t *support = calloc(d->item_count + 1, sizeof *support);
    uint64_t *last_seen = calloc(d->item_count + 1, sizeof *last_seen);
    FUZZ_REQUIRE(support && last_seen, "out of memory in the checker");
    FUZZ_REQUIRE(d->basket_offsets[0] == 0, "first offset %llu",
                 (unsigned long long)d->basket_offsets[0]);
    uint64_t empty = 0, longest = 0;
    for (uint64_t b = 0; b < d->basket_count; b++) {
        uint64_t begin = d->basket_offsets[b], end = d->basket_offsets[b + 1];
        FUZZ_REQUIRE(begin <= end, "basket %llu has negative length", (unsigned long long)b);
        empty += begin == end;
        if (end - begin > longest)
            longest = end - begin;
        for (uint64_t k = begin; k < end; k++) {
            uint32_t item = dataset_item(d, k);
            FUZZ_REQUIRE(item < d->item_count, "item id %u out of range", item);
            FUZZ_REQUIRE(last_seen[item] != b + 1, "item %u twice in basket %llu", item,
                         (unsigned long long)b);
            last_seen[item] = b + 1;
            support[item]++;
        }
    }
    for (uint32_t item = 0; item < d->item_count; item++)
        FUZZ_REQUIRE(support[item] == d->item_support[item] &&
                         support[item] == fimbit_dataset_item_support(d, item),
                     "item %u: support %llu, counted %llu", item,
                     (unsigned long long)d->item_support[item], (unsigned long long)support[item]);
    fimbit_dataset_stats stats;
    fimbit_dataset_get_stats(d, &stats);
    FUZZ_REQUIRE(stats.baskets == d->basket_count && stats.items == d->item_count &&
                     stats.empty_baskets == empty && stats.max_basket_size == longest &&
                     stats.total_items == d->basket_offsets[d->basket_count],
                 "stats disagree with the baskets");
    free(support);
    free(last_seen);
}

fimbit_status fuzz_read(const uint8_t *data, size_t size, const fimbit_read_options *options,
                        fimbit_dataset **out)
{
    char path[64];
    int fd = fuzz_memory_file(data, size, path, sizeof path);
    const char *paths[] = {path};
    fimbit_error error;
    memset(&error, 0, sizeof error);
    *out = NULL;
    fimbit_status status = fimbit_dataset_read(paths, 1, options, out, &error);
    close(fd);
    FUZZ_REQUIRE(status_is_documented(status), "fimbit_dataset_read: %s (%s)",
                 fimbit_status_name(status), error.message);
    if (status != FIMBIT_OK) {
        FUZZ_REQUIRE(*out == NULL, "a failed read handed out a dataset");
        FUZZ_REQUIRE(error.code == status && error.message[0] != '\0',
                     "a failed read (%s) left no message", fimbit_status_name(status));
        return status;
    }
    check_dataset(*out);
    return status;
}

static uint32_t mask_of(const uint32_t *items, uint32_t size)
{
    uint32_t mask = 0;
    for (uint32_t k = 0; k < size; k++) {
        FUZZ_REQUIRE(items[k] < FUZZ_MAX_ITEMS, "item %u out of range", items[k]);
        FUZZ_REQUIRE(!(mask & (1u << items[k])), "item %u twice in an itemset", items[k]);
        mask |= 1u << items[k];
    }
    return mask;
}

static void check_itemsets(const fimbit_dataset *dataset, const oracle_baskets *baskets,
                           uint64_t min_count, fimbit_target target, fimbit_algorithm algorithm,
                           int threads)
{
    fimbit_mine_options options;
    fimbit_mine_options_init(&options);
    options.min_count = min_count;
    options.target = target;
    options.algorithm = algorithm;
    options.threads = threads;
    fimbit_itemsets *result = NULL;
    fimbit_error error;
    fimbit_status status = fimbit_mine_itemsets(dataset, &options, &result, &error);
    FUZZ_REQUIRE(status == FIMBIT_OK, "fimbit_mine_itemsets: %s (%s)", fimbit_status_name(status),
                 error.message);

    oracle_itemsets expected;
    FUZZ_REQUIRE(oracle_mine(baskets, min_count, (oracle_target)target, 1, 0, &expected) == 0,
                 "oracle_mine refused the dataset");
    size_t count = fimbit_itemsets_count(result);
    oracle_itemset *got = calloc(count + 1, sizeof *got);
    FUZZ_REQUIRE(got != NULL, "out of memory in the checker");
    for (size_t k = 0; k < count; k++) {
        const uint32_t *items;
        uint32_t size;
        FUZZ_REQUIRE(fimbit_itemsets_get(result, k, &items, &size, &got[k].count) == FIMBIT_OK,
                     "fimbit_itemsets_get(%zu) failed", k);
        got[k].mask = mask_of(items, size);
    }
    qsort(got, count, sizeof *got, oracle_itemset_compare);
    FUZZ_REQUIRE(count == expected.count,
                 "target %d, algorithm %d, %d threads, min count %llu: %zu itemsets, oracle %zu",
                 (int)target, (int)algorithm, threads, (unsigned long long)min_count, count,
                 expected.count);
    for (size_t k = 0; k < count; k++)
        FUZZ_REQUIRE(got[k].mask == expected.sets[k].mask &&
                         got[k].count == expected.sets[k].count,
                     "target %d, algorithm %d: itemset %zu is mask %#x (%llu), oracle %#x (%llu)",
                     (int)target, (int)algorithm, k, got[k].mask,
                     (unsigned long long)got[k].count, expected.sets[k].mask,
                     (unsigned long long)expected.sets[k].count);
    free(got);
    oracle_itemsets_free(&expected);
    fimbit_itemsets_free(result);
}

static int rule_compare(const void *left, const void *right)
{
    return oracle_rule_compare(left, right);
}

static int close_enough(double got, double expected)
{
    if (isinf(expected) || isinf(got))
        return got == expected;
    return fabs(got - expected) <= 1e-9 * fmax(1.0, fabs(expected));
}

static void check_rules(const fimbit_dataset *dataset, const oracle_baskets *baskets,
                        uint64_t min_count, double min_confidence, int threads)
{
    fimbit_rule_options options;
    fimbit_rule_options_init(&options);
    options.mine.min_count = min_count;
    options.mine.threads = threads;
    options.min_confidence = min_confidence;
    options.max_consequent = 0;
    fimbit_rules *rules = NULL;
    fimbit_error error;
    fimbit_status status = fimbit_mine_rules(dataset, &options, &rules, &error);
    FUZZ_REQUIRE(status == FIMBIT_OK, "fimbit_mine_rules: %s (%s)", fimbit_status_name(status),
                 error.message);

    oracle_rule_params params = {.min_count = min_count, .min_size = 1, .max_size = 0,
                                 .min_confidence = min_confidence, .min_lift = 0,
                                 .max_consequent = 0};
    oracle_rules expected;
    FUZZ_REQUIRE(oracle_mine_rules(baskets, &params, &expected) == 0,
                 "oracle_mine_rules refused the dataset");
    size_t count = fimbit_rules_count(rules);
    oracle_rule *got = calloc(count + 1, sizeof *got);
    FUZZ_REQUIRE(got != NULL, "out of memory in the checker");
    for (size_t k = 0; k < count; k++) {
        fimbit_rule rule;
        FUZZ_REQUIRE(fimbit_rules_get(rules, k, &rule) == FIMBIT_OK, "fimbit_rules_get failed");
        got[k] = (oracle_rule){.antecedent = mask_of(rule.antecedent, rule.antecedent_size),
                               .consequent = mask_of(rule.consequent, rule.consequent_size),
                               .count = rule.count, .support = rule.support,
                               .confidence = rule.confidence, .lift = rule.lift,
                               .leverage = rule.leverage, .conviction = rule.conviction};
        FUZZ_REQUIRE(!(got[k].antecedent & got[k].consequent), "a rule's sides overlap");
    }
    qsort(got, count, sizeof *got, rule_compare);
    FUZZ_REQUIRE(count == expected.count, "min count %llu, confidence %g: %zu rules, oracle %zu",
                 (unsigned long long)min_count, min_confidence, count, expected.count);
    for (size_t k = 0; k < count; k++) {
        const oracle_rule *want = &expected.rules[k], *have = &got[k];
        FUZZ_REQUIRE(have->antecedent == want->antecedent &&
                         have->consequent == want->consequent && have->count == want->count &&
                         close_enough(have->confidence, want->confidence) &&
                         close_enough(have->lift, want->lift) &&
                         close_enough(have->support, want->support) &&
                         close_enough(have->leverage, want->leverage) &&
                         close_enough(have->conviction, want->conviction),
                     "rule %zu is %#x => %#x (%llu), oracle %#x => %#x (%llu)", k,
                     have->antecedent, have->consequent, (unsigned long long)have->count,
                     want->antecedent, want->consequent, (unsigned long long)want->count);
    }
    free(got);
    oracle_rules_free(&expected);
    fimbit_rules_free(rules);
}

void fuzz_check_mining(const fimbit_dataset *dataset, uint8_t seed)
{
    if (dataset->item_count > FUZZ_MAX_ITEMS || dataset->basket_count > FUZZ_MAX_BASKETS)
        return;
    /* The oracle sees the baskets the reader produced, by the same ids. */
    uint64_t total = dataset->basket_offsets[dataset->basket_count];
    uint32_t *items = malloc((total + 1) * sizeof *items);
    FUZZ_REQUIRE(items != NULL, "out of memory for %llu items", (unsigned long long)total);
    for (uint64_t k = 0; k < total; k++)
        items[k] = dataset_item(dataset, k);
    oracle_baskets baskets = {.item_count = dataset->item_count,
                              .basket_count = dataset->basket_count,
                              .offsets = dataset->basket_offsets,
                              .items = items};
    uint64_t min_count = 1 + seed % 3;
    int threads = 1 + (seed >> 2) % 2;
    static const fimbit_target targets[] = {FIMBIT_TARGET_ALL, FIMBIT_TARGET_CLOSED,
                                            FIMBIT_TARGET_MAXIMAL};
    static const fimbit_algorithm algorithms[] = {FIMBIT_ALGORITHM_FPGROWTH,
                                                  FIMBIT_ALGORITHM_ECLAT};
    for (size_t t = 0; t < 3; t++)
        for (size_t a = 0; a < 2; a++)
            check_itemsets(dataset, &baskets, min_count, targets[t], algorithms[a], threads);
    static const double confidences[] = {0.0, 0.5, 1.0};
    check_rules(dataset, &baskets, min_count, confidences[(seed >> 3) % 3], threads);
    free(items);
}
