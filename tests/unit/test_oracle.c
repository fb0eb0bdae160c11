/*
 * The library against the brute-force oracle (tests/support/oracle.c) on
 * hundreds of small random datasets: frequent, closed and maximal itemsets for
 * every kernel and thread count, the streaming API, cancellation, and strong
 * rules with their metrics. Everything goes through the public API.
 *
 * Environment knobs for debugging a failure:
 *   FIMBIT_ORACLE_SEEDS=n   run seeds 1..n instead of the default
 *   FIMBIT_ORACLE_SEED=s    run only seed s (printed by a failure)
 *   FIMBIT_ORACLE_FILE_ROUNDS=n  small datasets per shape in the file tests
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "kernels/closed_reduced.h"
#include "kernels/found_sets.h"
#include "kernels/kernel.h"
#include "read/dataset.h"
#include "fimbit.h"
#include "encode/flist.h"
#include "oracle.h"
#include "kernels/projection.h"
#include "kernels/subset_data.h"
#include "store/sink.h"
#include "test_data.h"
#include "test_rounds.h"

enum { DEFAULT_SEEDS = 300, MAX_REPORTED_FAILURES = 5 };

static const fimbit_algorithm algorithms[] = {FIMBIT_ALGORITHM_FPGROWTH, FIMBIT_ALGORITHM_ECLAT,
                                              FIMBIT_ALGORITHM_AUTO};
enum { ALGORITHMS = 3 };
static const char *const algorithm_names[] = {"auto", "fpgrowth", "eclat"};
static const fimbit_target targets[] = {FIMBIT_TARGET_ALL, FIMBIT_TARGET_CLOSED,
                                        FIMBIT_TARGET_MAXIMAL};
static const char *const target_names[] = {"all", "closed", "maximal"};
static const int thread_counts[] = {1, 2, 4};

/* The seeds to run: [first, last]. */
static void seed_range(uint64_t *first, uint64_t *last)
{
    const char *one = getenv("FIMBIT_ORACLE_SEED");
    if (one != NULL && *one != '\0') {
        *first = *last = strtoull(one, NULL, 10);
        return;
    }
    const char *count = getenv("FIMBIT_ORACLE_SEEDS");
    *first = 1;
    *last = (count != NULL && *count != '\0') ? strtoull(count, NULL, 10) : DEFAULT_SEEDS;
}

/* One random dataset, in the oracle's form and the library's. */
typedef struct case_data {
    uint64_t seed;
    oracle_baskets baskets;
    fimbit_dataset *dataset;
    int item_of_id[ORACLE_MAX_ITEMS]; /* library item id -> oracle item */
    uint32_t id_count;
} case_data;

/* Prints the dataset of a failing case: whole when small, else how to make it. */
static void print_dataset(FILE *stream, const case_data *data)
{
    if (data->baskets.basket_count <= 400)
        oracle_print_baskets(stream, &data->baskets);
    else
        fprintf(stream, "dataset: oracle_generate_sized(%llu, %u, %llu)\n",
                (unsigned long long)data->seed, data->baskets.item_count,
                (unsigned long long)data->baskets.basket_count);
}

/* An item's oracle number from its name: "i3" (in-memory and named-basket
 * datasets) or "3" (FIMI files). @return -1 for anything else. */
static int item_from_name(const char *name)
{
    if (name != NULL && name[0] >= '0' && name[0] <= '9') {
        char *end = NULL;
        long value = strtol(name, &end, 10);
        return (*end == '\0' && value < ORACLE_MAX_ITEMS) ? (int)value : -1;
    }
    return oracle_item_from_name(name);
}

/* Maps the library's item ids of data->dataset to oracle items. */
static void case_map_items(case_data *data)
{
    data->id_count = fimbit_dataset_item_count(data->dataset);
    assert_true(data->id_count <= data->baskets.item_count);
    for (uint32_t id = 0; id < data->id_count; id++) {
        int item = item_from_name(fimbit_dataset_item_name(data->dataset, id));
        if (item < 0) {
            fprintf(stderr, "seed %llu: item %u has an unexpected name '%s'\n",
                    (unsigned long long)data->seed, id,
                    fimbit_dataset_item_name(data->dataset, id));
            fail();
        }
        data->item_of_id[id] = item;
    }
}

/* Opens a case over `baskets`, which it takes over. */
static void case_open_baskets(case_data *data, uint64_t seed, const oracle_baskets *baskets)
{
    memset(data, 0, sizeof *data);
    data->seed = seed;
    data->baskets = *baskets;
    const char **names = NULL;
    uint64_t *offsets = NULL;
    oracle_to_named(&data->baskets, &names, &offsets);
    fimbit_error error;
    fimbit_status status = fimbit_dataset_from_baskets(names, offsets, data->baskets.basket_count,
                                                       &data->dataset, &error);
    free(names);
    free(offsets);
    if (status != FIMBIT_OK) {
        fprintf(stderr, "seed %llu: fimbit_dataset_from_baskets: %s (%s)\n",
                (unsigned long long)seed, fimbit_status_name(status), error.message);
        print_dataset(stderr, data);
        fail();
    }
    assert_int_equal(fimbit_dataset_basket_count(data->dataset), data->baskets.basket_count);
    case_map_items(data);
}

/* Opens the case of `seed`: a small drawn dataset when item_count and
 * basket_count are 0, else one of that shape. */
static void case_open(case_data *data, uint64_t seed, uint32_t item_count, uint64_t basket_count)
{
    oracle_baskets baskets;
    if (item_count == 0 && basket_count == 0)
        oracle_generate(seed, &baskets);
    else
        oracle_generate_sized(seed, item_count, basket_count, &baskets);
    case_open_baskets(data, seed, &baskets);
}

static void case_close(case_data *data)
{
    fimbit_dataset_free(data->dataset);
    oracle_baskets_free(&data->baskets);
}

/* Library item ids to an oracle mask; -1 when an id is out of range or
 * repeated (both are bugs). */
static int64_t ids_to_mask(const case_data *data, const uint32_t *items, uint32_t size)
{
    uint32_t mask = 0;
    for (uint32_t i = 0; i < size; i++) {
        if (items[i] >= data->id_count)
            return -1;
        uint32_t bit = 1u << data->item_of_id[items[i]];
        if (mask & bit)
            return -1;
        mask |= bit;
    }
    return mask;
}

/* The mining parameters of one comparison. */
typedef struct mine_params {
    uint64_t min_count;
    uint32_t min_size, max_size;
    fimbit_target target;
    fimbit_algorithm algorithm;
    int threads;
} mine_params;

static void print_params(FILE *stream, const case_data *data, const mine_params *params)
{
    fprintf(stream,
            "seed %llu: min_count %llu, target %s, algorithm %s, threads %d, sizes %u..%u\n",
            (unsigned long long)data->seed, (unsigned long long)params->min_count,
            target_names[params->target], algorithm_names[params->algorithm], params->threads,
            params->min_size, params->max_size);
}

static void to_options(const mine_params *params, fimbit_mine_options *options)
{
    fimbit_mine_options_init(options);
    options->min_count = params->min_count;
    options->target = params->target;
    options->algorithm = params->algorithm;
    options->min_size = params->min_size;
    options->max_size = params->max_size;
    options->threads = params->threads;
}

/* A collected, sortable list of itemsets. */
typedef struct itemset_list {
    oracle_itemset *sets;
    size_t count, capacity;
    bool malformed; /* an itemset with a repeated or unknown item */
} itemset_list;

static void list_add(itemset_list *list, int64_t mask, uint64_t count)
{
    if (mask < 0) {
        list->malformed = true;
        return;
    }
    if (list->count == list->capacity) {
        list->capacity = list->capacity ? list->capacity * 2 : 64;
        list->sets = realloc(list->sets, list->capacity * sizeof *list->sets);
        assert_non_null(list->sets);
    }
    list->sets[list->count].mask = (uint32_t)mask;
    list->sets[list->count].count = count;
    list->count++;
}

/* Compares a library result with the oracle's (both sorted). On a difference
 * prints the case and the first differing itemset. @return true when equal. */
static bool compare_itemsets(const case_data *data, const mine_params *params, const char *what,
                             const itemset_list *got, const oracle_itemsets *expected,
                             int *reported)
{
    size_t i = 0, j = 0;
    const char *problem = NULL;
    const oracle_itemset *culprit = NULL, *wrong_count = NULL;
    if (got->malformed)
        problem = "an itemset with a repeated or out-of-range item id";
    while (problem == NULL && (i < got->count || j < expected->count)) {
        if (i < got->count && j < expected->count &&
            got->sets[i].mask == expected->sets[j].mask) {
            if (got->sets[i].count != expected->sets[j].count) {
                problem = "the library's count differs from the oracle's";
                culprit = &expected->sets[j];
                wrong_count = &got->sets[i];
            }
            i++;
            j++;
        } else if (j >= expected->count ||
                   (i < got->count &&
                    oracle_mask_compare(got->sets[i].mask, expected->sets[j].mask) < 0)) {
            problem = i + 1 < got->count && got->sets[i + 1].mask == got->sets[i].mask
                          ? "reported twice by the library"
                          : "extra in the library's result";
            culprit = &got->sets[i];
        } else {
            problem = "missing from the library's result";
            culprit = &expected->sets[j];
        }
    }
    if (problem == NULL)
        return true;
    if ((*reported)++ < MAX_REPORTED_FAILURES) {
        fprintf(stderr, "MISMATCH (%s): ", what);
        print_params(stderr, data, params);
        fprintf(stderr, "  library %zu itemsets, oracle %zu; first difference: %s ", got->count,
                expected->count, problem);
        if (culprit != NULL)
            oracle_print_itemset(stderr, culprit->mask, culprit->count);
        if (wrong_count != NULL)
            fprintf(stderr, ", library (%llu)", (unsigned long long)wrong_count->count);
        fputc('\n', stderr);
        print_dataset(stderr, data);
    }
    return false;
}

static bool mine_and_collect(const case_data *data, const mine_params *params, itemset_list *list,
                             int *reported)
{
    fimbit_mine_options options;
    to_options(params, &options);
    fimbit_itemsets *result = NULL;
    fimbit_error error;
    fimbit_status status = fimbit_mine_itemsets(data->dataset, &options, &result, &error);
    if (status != FIMBIT_OK) {
        if ((*reported)++ < MAX_REPORTED_FAILURES) {
            fprintf(stderr, "FAILED CALL fimbit_mine_itemsets: %s (%s); ",
                    fimbit_status_name(status), error.message);
            print_params(stderr, data, params);
        }
        return false;
    }
    size_t count = fimbit_itemsets_count(result);
    for (size_t k = 0; k < count; k++) {
        const uint32_t *items = NULL;
        uint32_t size = 0;
        uint64_t basket_count = 0;
        assert_int_equal(fimbit_itemsets_get(result, k, &items, &size, &basket_count), FIMBIT_OK);
        list_add(list, ids_to_mask(data, items, size), basket_count);
    }
    const uint32_t *items = NULL;
    uint32_t size = 0;
    uint64_t basket_count = 0;
    assert_int_equal(fimbit_itemsets_get(result, count, &items, &size, &basket_count),
                     FIMBIT_EINVAL);
    fimbit_itemsets_free(result);
    if (list->count > 1)
        qsort(list->sets, list->count, sizeof *list->sets, oracle_itemset_compare);
    return true;
}

/* Random thresholds for a dataset of `n` baskets: min_count in 1 .. n + 1,
 * and a third of the time a size window. */
static void draw_thresholds(oracle_rng *rng, uint64_t n, mine_params *params)
{
    params->min_count = 1 + oracle_rng_below(rng, n + 1);
    /* Low thresholds are the interesting ones: draw again half the time. */
    if (oracle_rng_below(rng, 2) == 0)
        params->min_count = 1 + oracle_rng_below(rng, params->min_count);
    params->min_size = 1;
    params->max_size = 0;
    if (oracle_rng_below(rng, 3) == 0) {
        params->min_size = 1 + (uint32_t)oracle_rng_below(rng, 3);
        params->max_size = oracle_rng_below(rng, 2) ? 0 : params->min_size + (uint32_t)oracle_rng_below(rng, 3);
    }
}

/* draw_thresholds(), then a random target, kernel and thread count. */
static void draw_mining(oracle_rng *rng, uint64_t n, mine_params *params)
{
    draw_thresholds(rng, n, params);
    params->target = targets[oracle_rng_below(rng, 3)];
    params->algorithm = algorithms[oracle_rng_below(rng, ALGORITHMS)];
    params->threads = thread_counts[oracle_rng_below(rng, 3)];
}

/* What the oracle finds in the case's baskets for `params` (its target and
 * thresholds). */
static void expect_from_oracle(const case_data *data, const mine_params *params,
                               oracle_itemsets *expected)
{
    assert_int_equal(oracle_mine(&data->baskets, params->min_count, (oracle_target)params->target,
                                 params->min_size, params->max_size, expected),
                     0);
}

static void test_itemsets_match_oracle(void **state)
{
    (void)state;
    uint64_t first, last;
    seed_range(&first, &last);
    int reported = 0, failures = 0, runs = 0;
    for (uint64_t seed = first; seed <= last; seed += test_round_stride()) {
        case_data data;
        case_open(&data, seed, 0, 0);
        oracle_rng rng;
        oracle_rng_seed(&rng, seed ^ 0xABCDEF);
        /* Small data's repositories are far below the size at which Eclat
         * cuts them: cut after every branch, or after some. */
        eclat__set_cut_min_mask_bytes(seed % 2 ? 0 : 8 * (seed / 2 % 8));
        for (size_t t = 0; t < 3; t++) {
            mine_params params;
            draw_thresholds(&rng, data.baskets.basket_count, &params);
            params.target = targets[t];
            oracle_itemsets expected;
            expect_from_oracle(&data, &params, &expected);
            for (size_t a = 0; a < ALGORITHMS; a++) {
                for (size_t h = 0; h < 3; h++) {
                    params.algorithm = algorithms[a];
                    params.threads = thread_counts[h];
                    itemset_list got = {0};
                    runs++;
                    if (!mine_and_collect(&data, &params, &got, &reported) ||
                        !compare_itemsets(&data, &params, "fimbit_mine_itemsets", &got, &expected,
                                          &reported))
                        failures++;
                    free(got.sets);
                }
            }
            oracle_itemsets_free(&expected);
        }
        case_close(&data);
    }
    eclat__set_cut_min_mask_bytes(ECLAT_CUT_MIN_MASK_BYTES);
    fprintf(stderr, "itemsets: %d runs over seeds %llu..%llu, %d mismatches\n", runs,
            (unsigned long long)first, (unsigned long long)last, failures);
    assert_int_equal(failures, 0);
}

/* Sparse baskets over ORACLE_MAX_ITEMS items with skewed item frequencies:
 * mostly single items, some pairs and triples, a few longer baskets, so that
 * the auto algorithm mines them by projection (projection.h). */
static void generate_sparse(uint64_t seed, oracle_baskets *out)
{
    oracle_rng rng;
    oracle_rng_seed(&rng, seed ^ 0x5EA15E);
    uint64_t n = 60 + oracle_rng_below(&rng, 400);
    out->item_count = ORACLE_MAX_ITEMS;
    out->basket_count = n;
    out->offsets = calloc(n + 1, sizeof *out->offsets);
    out->items = calloc(n * 6 + 1, sizeof *out->items);
    assert_non_null(out->offsets);
    assert_non_null(out->items);
    uint64_t used = 0;
    for (uint64_t b = 0; b < n; b++) {
        uint64_t draw = oracle_rng_below(&rng, 100);
        uint32_t length = draw < 78 ? 1 : draw < 88 ? 2 : draw < 97 ? 3 : 6;
        for (uint32_t k = 0; k < length; k++) {
            /* Item i with weight ~ 1 / (i + 1): the low ids pair up often. */
            uint32_t item = (uint32_t)oracle_rng_below(&rng, ORACLE_MAX_ITEMS);
            item = (uint32_t)oracle_rng_below(&rng, item + 1);
            out->items[used++] = item;
        }
        out->offsets[b + 1] = used;
    }
}

/* A sparse case of seed `seed`: its dataset, and parameters for every
 * itemset with auto drawn with `salt` (low thresholds, size windows, one to
 * four threads). */
static void open_sparse_case(uint64_t seed, uint64_t salt, case_data *data, mine_params *params)
{
    oracle_baskets baskets;
    generate_sparse(seed, &baskets);
    case_open_baskets(data, seed, &baskets);
    oracle_rng rng;
    oracle_rng_seed(&rng, seed ^ salt);
    *params = (mine_params){.target = FIMBIT_TARGET_ALL, .algorithm = FIMBIT_ALGORITHM_AUTO};
    params->min_count = 1 + oracle_rng_below(&rng, 4);
    params->min_size = 1 + (uint32_t)oracle_rng_below(&rng, 2);
    params->max_size = oracle_rng_below(&rng, 3) ? 0 : 1 + (uint32_t)oracle_rng_below(&rng, 3);
    if (params->max_size && params->min_size > params->max_size)
        params->min_size = params->max_size;
    params->threads = thread_counts[oracle_rng_below(&rng, 3)];
}

/* The projection path (auto, every itemset, sparse data) against the oracle:
 * low thresholds, size windows, one to four threads. Asserts that the path
 * was taken for most cases, so that this test keeps covering it. */
static void test_projection_matches_oracle(void **state)
{
    (void)state;
    uint64_t first, last;
    seed_range(&first, &last);
    int reported = 0, failures = 0, runs = 0, projected = 0;
    for (uint64_t seed = first; seed <= last; seed += test_round_stride()) {
        case_data data;
        mine_params params;
        open_sparse_case(seed, 0x9A125, &data, &params);
        flist ranks;
        assert_int_equal(flist_rank_items(data.dataset, params.min_count, NULL, &ranks, NULL), FIMBIT_OK);
        projected += projection_suits(data.dataset, &ranks, FIMBIT_TARGET_ALL, params.threads);
        flist_free(&ranks);
        oracle_itemsets expected;
        assert_int_equal(oracle_mine(&data.baskets, params.min_count, ORACLE_ALL, params.min_size,
                                     params.max_size, &expected),
                         0);
        itemset_list got = {0};
        runs++;
        if (!mine_and_collect(&data, &params, &got, &reported) ||
            !compare_itemsets(&data, &params, "projection", &got, &expected, &reported))
            failures++;
        free(got.sets);
        oracle_itemsets_free(&expected);
        case_close(&data);
    }
    fprintf(stderr, "projection: %d runs, %d by projection, %d mismatches\n", runs, projected,
            failures);
    assert_int_equal(failures, 0);
    assert_true(projected * 2 > runs);
}

/* A dataset mined once (fimbit_dataset_mine_once) against the oracle: dense
 * cases free their baskets after the recoding, sparse ones (every itemset
 * by projection) when the call returns. Either way the result is the
 * oracle's, the names stay, and a second mining call is refused. */
static void test_mine_once_matches_oracle(void **state)
{
    (void)state;
    uint64_t first, last;
    seed_range(&first, &last);
    int reported = 0, failures = 0, runs = 0;
    /* Many blocks of recoding, each giving its pages back (flist_build). */
    flist__set_recode_block_items(16);
    for (uint64_t seed = first; seed <= last; seed += test_round_stride()) {
        oracle_rng rng;
        oracle_rng_seed(&rng, seed ^ 0x0CE);
        for (int sparse = 0; sparse < 2; sparse++) {
            case_data data;
            mine_params params;
            if (sparse) {
                open_sparse_case(seed, 0x0CE5, &data, &params);
            } else {
                case_open(&data, seed, 0, 0);
                draw_mining(&rng, data.baskets.basket_count, &params);
            }
            oracle_itemsets expected;
            expect_from_oracle(&data, &params, &expected);
            fimbit_dataset_mine_once(data.dataset);
            itemset_list got = {0};
            runs++;
            if (!mine_and_collect(&data, &params, &got, &reported) ||
                !compare_itemsets(&data, &params, "mine once", &got, &expected, &reported))
                failures++;
            free(got.sets);
            oracle_itemsets_free(&expected);
            /* The baskets are gone; the names and counts are not. */
            assert_true(data.dataset->without_baskets);
            assert_null(data.dataset->basket_items.narrow);
            assert_null(data.dataset->basket_items.wide);
            assert_int_equal(fimbit_dataset_basket_count(data.dataset), data.baskets.basket_count);
            if (data.id_count > 0)
                assert_non_null(fimbit_dataset_item_name(data.dataset, 0));
            fimbit_mine_options options;
            to_options(&params, &options);
            fimbit_itemsets *again = NULL;
            fimbit_error error;
            assert_int_equal(fimbit_mine_itemsets(data.dataset, &options, &again, &error),
                             FIMBIT_EINVAL);
            assert_non_null(strstr(error.message, "mined once"));
            assert_null(again);
            uint64_t histogram[2];
            assert_int_equal(fimbit_dataset_length_histogram(data.dataset, histogram, 2),
                             FIMBIT_EINVAL);
            case_close(&data);
        }
    }
    flist__set_recode_block_items(0);
    fprintf(stderr, "mine once: %d runs, %d mismatches\n", runs, failures);
    assert_int_equal(failures, 0);
}

/* What projection_mine reports, as oracle masks: its sinks flush ranks. */
typedef struct rank_collector {
    const case_data *data;
    const flist *ranks;
    itemset_list list;
    atomic_flag busy; /* the sinks of several threads flush at once */
} rank_collector;

static int collect_ranks(void *context, int thread, const uint32_t *records, size_t words)
{
    (void)thread;
    rank_collector *c = context;
    while (atomic_flag_test_and_set(&c->busy))
        ;
    for (const uint32_t *r = records; r < records + words; r = sink_record_next(r)) {
        uint32_t size = sink_record_size(r), ids[ORACLE_MAX_ITEMS];
        int64_t mask = size <= ORACLE_MAX_ITEMS ? 0 : -1;
        for (uint32_t k = 0; k < size && mask >= 0; k++)
            ids[k] = c->ranks->rank_to_item[sink_record_items(r)[k]];
        if (mask >= 0)
            mask = ids_to_mask(c->data, ids, size);
        list_add(&c->list, mask, sink_record_count(r));
    }
    atomic_flag_clear(&c->busy);
    return 0;
}

/* Both ways of finding the conditional baskets, the occurrence index and the
 * pair triangles with their batches (several per thread even on small data),
 * called directly whatever auto would choose, against the oracle. */
static void test_projection_layouts_match_oracle(void **state)
{
    (void)state;
    uint64_t first, last;
    seed_range(&first, &last);
    static const projection_layout layouts[] = {PROJECTION_LAYOUT_INDEX, PROJECTION_LAYOUT_PAIRS};
    static const char *const layout_names[] = {"projection by index", "projection by pairs"};
    int reported = 0, failures = 0, runs = 0;
    for (uint64_t seed = first; seed <= last; seed += test_round_stride()) {
        case_data data;
        mine_params params;
        open_sparse_case(seed, 0x1A7047, &data, &params);
        flist ranks;
        assert_int_equal(flist_rank_items(data.dataset, params.min_count, NULL, &ranks, NULL), FIMBIT_OK);
        oracle_itemsets expected;
        assert_int_equal(oracle_mine(&data.baskets, params.min_count, ORACLE_ALL, params.min_size,
                                     params.max_size, &expected),
                         0);
        for (int l = 0; l < 2 && ranks.frequent_count > 0; l++) {
            rank_collector c = {.data = &data, .ranks = &ranks, .busy = ATOMIC_FLAG_INIT};
            kernel_output *output =
                kernel_output_create(params.threads, params.min_size, params.max_size,
                                     collect_ranks, &c);
            assert_non_null(output);
            projection_params projection = {
                .dataset = data.dataset, .frequent = &ranks, .min_count = params.min_count,
                .max_size = params.max_size, .algorithm = FIMBIT_ALGORITHM_AUTO,
                .threads = params.threads, .output = output, .layout = layouts[l]};
            assert_int_equal(projection_mine(&projection), FIMBIT_OK);
            assert_int_equal(kernel_output_finish(output), 0);
            kernel_output_free(output);
            if (c.list.count > 1)
                qsort(c.list.sets, c.list.count, sizeof *c.list.sets, oracle_itemset_compare);
            runs++;
            if (!compare_itemsets(&data, &params, layout_names[l], &c.list, &expected,
                                  &reported))
                failures++;
            free(c.list.sets);
        }
        flist_free(&ranks);
        oracle_itemsets_free(&expected);
        case_close(&data);
    }
    fprintf(stderr, "projection layouts: %d runs, %d mismatches\n", runs, failures);
    assert_int_equal(failures, 0);
}

/* Sets the kernel switches and the algorithm of one closed/maximal case
 * from its random stream. */
typedef void closed_case_setup(oracle_rng *rng, mine_params *params);

/* Closed or maximal itemsets (drawn) against the oracle on every seed of the
 * range, each on the oracle's random dataset and on a sparse one, with
 * random thresholds, size windows and one to four threads; `setup` draws
 * the rest. @return the number of mismatching runs; *runs counts them all. */
static int closed_cases_against_oracle(const char *label, uint64_t salt, closed_case_setup *setup,
                                       int *runs)
{
    uint64_t first, last;
    seed_range(&first, &last);
    int reported = 0, failures = 0;
    for (uint64_t seed = first; seed <= last; seed += test_round_stride()) {
        for (int sparse = 0; sparse <= 1; sparse++) {
            case_data data;
            if (sparse) {
                oracle_baskets baskets;
                generate_sparse(seed, &baskets);
                case_open_baskets(&data, seed, &baskets);
            } else {
                case_open(&data, seed, 0, 0);
            }
            oracle_rng rng;
            oracle_rng_seed(&rng, seed ^ salt);
            mine_params params;
            draw_thresholds(&rng, data.baskets.basket_count, &params);
            bool maximal = oracle_rng_below(&rng, 2);
            params.target = maximal ? FIMBIT_TARGET_MAXIMAL : FIMBIT_TARGET_CLOSED;
            setup(&rng, &params);
            params.threads = thread_counts[oracle_rng_below(&rng, 3)];
            oracle_itemsets expected;
            assert_int_equal(oracle_mine(&data.baskets, params.min_count,
                                         maximal ? ORACLE_MAXIMAL : ORACLE_CLOSED, params.min_size,
                                         params.max_size, &expected),
                             0);
            itemset_list got = {0};
            (*runs)++;
            if (!mine_and_collect(&data, &params, &got, &reported) ||
                !compare_itemsets(&data, &params, label, &got, &expected, &reported))
                failures++;
            free(got.sets);
            oracle_itemsets_free(&expected);
            case_close(&data);
        }
    }
    return failures;
}

/* Eclat or auto, the reduced path forced on for every branch, every other
 * run with every node rebuilding its database (and every root's items
 * sorted, not scanned), every other run with the roots' counts from a pair
 * table; maximal nodes deliver by intersection always, never, or as their
 * candidates decide, a third of the runs each. */
static void closed_reduced_setup(oracle_rng *rng, mine_params *params)
{
    params->algorithm = oracle_rng_below(rng, 2) ? FIMBIT_ALGORITHM_ECLAT : FIMBIT_ALGORITHM_AUTO;
    closed_reduced__force(oracle_rng_below(rng, 2) ? CLOSED_REDUCED_FORCE_REBUILD
                                                   : CLOSED_REDUCED_FORCE_ON);
    closed_reduced__force_pairs((int)oracle_rng_below(rng, 2));
    closed_reduced__force_intersection((int)oracle_rng_below(rng, 3) - 1);
}

/* Eclat's closed and maximal mining over reduced conditional databases
 * (closed_reduced.h) against the oracle, every switch of closed_reduced_setup()
 * drawn per run. */
static void test_closed_reduced_matches_oracle(void **state)
{
    (void)state;
    int runs = 0;
    int failures =
        closed_cases_against_oracle("closed_reduced", 0xC105ED, closed_reduced_setup, &runs);
    closed_reduced__force(-1);
    closed_reduced__force_pairs(-1);
    closed_reduced__force_intersection(-1);
    fprintf(stderr, "closed_reduced: %d runs, %d mismatches\n", runs, failures);
    assert_int_equal(failures, 0);
}

static void eclat_setup(oracle_rng *rng, mine_params *params)
{
    (void)rng;
    params->algorithm = FIMBIT_ALGORITHM_ECLAT;
}

/* Eclat's closed and maximal walk over the vertical form (the reduced path
 * forced off) with every node that has candidates mining its subtree over a
 * projection of its baskets (subset_data.h), nested down the walk (tasks
 * spawned below a projection); the projections' ranks in bytes, as over few
 * items, and in tx_items, as over many. */
static void test_eclat_projection_matches_oracle(void **state)
{
    (void)state;
    closed_reduced__force(CLOSED_REDUCED_FORCE_OFF);
    eclat__force_projection(1);
    int runs = 0;
    int failures = closed_cases_against_oracle("eclat projection", 0x5B5E7, eclat_setup, &runs);
    subset_data__force_wide(true);
    failures += closed_cases_against_oracle("eclat wide projection", 0x5B5E8, eclat_setup, &runs);
    subset_data__force_wide(false);
    eclat__force_projection(-1);
    closed_reduced__force(-1);
    fprintf(stderr, "eclat projection: %d runs, %d mismatches\n", runs, failures);
    assert_int_equal(failures, 0);
}

/* FP-growth, every other run walking each top-level branch of the maximal
 * target on its own with witnesses (fpgrowth__force_maximal_branches), as
 * MPI ranks' top-level masks do: FPmax's one walk over every branch runs on
 * one thread otherwise, whatever the thread count; small bases on subset
 * tables never, up to 2 items or up to 8 (the default), a third of the runs
 * each; every other run with the one walk's found sets in a child table of 4
 * slots at first, which the walk grows and cuts to the items still to come
 * many times. */
static void fpmax_setup(oracle_rng *rng, mine_params *params)
{
    static const uint32_t bit_items[] = {0, 2, 8};
    params->algorithm = FIMBIT_ALGORITHM_FPGROWTH;
    fpgrowth__force_maximal_branches(oracle_rng_below(rng, 2));
    fpgrowth__set_maximal_bit_items(bit_items[oracle_rng_below(rng, 3)]);
    fpgrowth__record_paths(oracle_rng_below(rng, 2));
    found_sets__set_first_slots(oracle_rng_below(rng, 2) ? 4 : 0);
}

/* FP-growth's closed and maximal walks (FPmax for maximal) against the
 * oracle, both maximal walks, the table size and whether paths are
 * recorded drawn per run. */
static void test_fpmax_matches_oracle(void **state)
{
    (void)state;
    int runs = 0;
    int failures = closed_cases_against_oracle("fpmax", 0xF9A4, fpmax_setup, &runs);
    fpgrowth__force_maximal_branches(false);
    fpgrowth__set_maximal_bit_items(8);
    fpgrowth__record_paths(true);
    found_sets__set_first_slots(0);
    fprintf(stderr, "fpmax: %d runs, %d mismatches\n", runs, failures);
    assert_int_equal(failures, 0);
}

/* Streaming: collects what the callback gets. */
typedef struct stream_state {
    const case_data *data;
    itemset_list list;
    uint64_t calls;
    uint64_t stop_after; /* 0 = never stop */
    atomic_int inside;   /* callbacks running now: never more than one */
    atomic_bool overlapped;
} stream_state;

static int collect_itemset(void *user, const uint32_t *items, uint32_t size, uint64_t count)
{
    stream_state *state = user;
    if (atomic_fetch_add(&state->inside, 1) != 0)
        atomic_store(&state->overlapped, true);
    state->calls++;
    list_add(&state->list, ids_to_mask(state->data, items, size), count);
    int stop = state->stop_after != 0 && state->calls >= state->stop_after;
    atomic_fetch_sub(&state->inside, 1);
    return stop;
}

static void test_stream_matches_result(void **state)
{
    (void)state;
    uint64_t first, last;
    seed_range(&first, &last);
    int reported = 0, failures = 0, cancel_checks = 0, late_calls_reported = 0;
    for (uint64_t seed = first; seed <= last; seed += test_round_stride()) {
        case_data data;
        case_open(&data, seed, 0, 0);
        oracle_rng rng;
        oracle_rng_seed(&rng, seed ^ 0x5EED);
        mine_params params;
        draw_thresholds(&rng, data.baskets.basket_count, &params);
        params.target = targets[oracle_rng_below(&rng, 3)];
        params.algorithm = algorithms[oracle_rng_below(&rng, ALGORITHMS)];
        /* Here also 0 (every core) and more threads than cores. */
        static const int stream_threads[] = {1, 2, 4, 0, 7};
        params.threads = stream_threads[oracle_rng_below(&rng, 5)];

        itemset_list whole = {0};
        if (!mine_and_collect(&data, &params, &whole, &reported)) {
            failures++;
            case_close(&data);
            continue;
        }
        oracle_itemsets as_oracle = {whole.sets, whole.count};

        fimbit_mine_options options;
        to_options(&params, &options);
        stream_state stream = {.data = &data};
        fimbit_error error;
        fimbit_status status =
            fimbit_mine_itemsets_stream(data.dataset, &options, collect_itemset, &stream, &error);
        if (status != FIMBIT_OK) {
            failures++;
            if (reported++ < MAX_REPORTED_FAILURES) {
                fprintf(stderr, "FAILED CALL fimbit_mine_itemsets_stream: %s (%s); ",
                        fimbit_status_name(status), error.message);
                print_params(stderr, &data, &params);
            }
        } else {
            if (atomic_load(&stream.overlapped)) {
                failures++;
                if (reported++ < MAX_REPORTED_FAILURES) {
                    fprintf(stderr, "OVERLAP: two stream callbacks ran at once; ");
                    print_params(stderr, &data, &params);
                }
            }
            if (stream.list.count > 1)
                qsort(stream.list.sets, stream.list.count, sizeof *stream.list.sets,
                      oracle_itemset_compare);
            if (!compare_itemsets(&data, &params, "stream vs fimbit_mine_itemsets", &stream.list,
                                  &as_oracle, &reported))
                failures++;
        }
        free(stream.list.sets);

        /* Stopping: a callback that returns non-zero ends the run. */
        if (whole.count > 0) {
            stream_state stopper = {.data = &data,
                                    .stop_after = 1 + oracle_rng_below(&rng, whole.count)};
            status = fimbit_mine_itemsets_stream(data.dataset, &options, collect_itemset, &stopper,
                                                 &error);
            cancel_checks++;
            if (status != FIMBIT_ECANCELED) {
                failures++;
                if (reported++ < MAX_REPORTED_FAILURES) {
                    fprintf(stderr,
                            "CANCEL: callback stopped at call %llu of %zu; status %s "
                            "(expected ECANCELED); ",
                            (unsigned long long)stopper.stop_after, whole.count,
                            fimbit_status_name(status));
                    print_params(stderr, &data, &params);
                }
            } else if (stopper.calls != stopper.stop_after && late_calls_reported++ == 0) {
                /* The header does not promise that no call follows a stop. */
                fprintf(stderr, "NOTE: %llu calls after the callback asked to stop; ",
                        (unsigned long long)(stopper.calls - stopper.stop_after));
                print_params(stderr, &data, &params);
            }
            free(stopper.list.sets);
        }
        free(whole.sets);
        case_close(&data);
    }
    fprintf(stderr, "stream: seeds %llu..%llu, %d cancellation checks, %d mismatches\n",
            (unsigned long long)first, (unsigned long long)last, cancel_checks, failures);
    assert_int_equal(failures, 0);
}

static bool metric_close(double got, double expected)
{
    if (isinf(expected) || isinf(got))
        return isinf(expected) && isinf(got) && (expected > 0) == (got > 0);
    double scale = fmax(1.0, fmax(fabs(got), fabs(expected)));
    return fabs(got - expected) <= 1e-9 * scale;
}

/* Mines the rules of one case and compares them with the oracle's.
 * @return true when they agree. */
static bool run_rules_case(const case_data *data, const mine_params *params,
                           const oracle_rule_params *rule_params, int *reported,
                           size_t *total_rules)
{
    oracle_rules expected;
    assert_int_equal(oracle_mine_rules(&data->baskets, rule_params, &expected), 0);

    fimbit_rule_options options;
    fimbit_rule_options_init(&options);
    to_options(params, &options.mine);
    options.min_confidence = rule_params->min_confidence;
    options.min_lift = rule_params->min_lift;
    options.max_consequent = rule_params->max_consequent;
    fimbit_rules *rules = NULL;
    fimbit_error error;
    fimbit_status status = fimbit_mine_rules(data->dataset, &options, &rules, &error);
    const char *problem = NULL;
    oracle_rule culprit_got, culprit_expected;
    bool have_got = false, have_expected = false;
    oracle_rule *got = NULL;
    size_t got_count = 0;
    bool malformed = false;
    if (status != FIMBIT_OK) {
        problem = "the call failed";
        if (*reported < MAX_REPORTED_FAILURES)
            fprintf(stderr, "  %s: %s\n", fimbit_status_name(status), error.message);
    } else {
        got_count = fimbit_rules_count(rules);
        got = calloc(got_count ? got_count : 1, sizeof *got);
        assert_non_null(got);
        for (size_t k = 0; k < got_count; k++) {
            fimbit_rule rule;
            assert_int_equal(fimbit_rules_get(rules, k, &rule), FIMBIT_OK);
            int64_t x = ids_to_mask(data, rule.antecedent, rule.antecedent_size);
            int64_t y = ids_to_mask(data, rule.consequent, rule.consequent_size);
            if (x < 0 || y < 0 || (x & y) != 0)
                malformed = true;
            got[k] = (oracle_rule){(uint32_t)x,      (uint32_t)y,     rule.count,
                                   rule.support,     rule.confidence, rule.lift,
                                   rule.leverage,    rule.conviction};
        }
        fimbit_rules_free(rules);
        qsort(got, got_count, sizeof *got, oracle_rule_compare);
        *total_rules += got_count;
    }
    size_t i = 0, j = 0;
    if (malformed && problem == NULL)
        problem = "a rule with a repeated, unknown or shared item";
    while (problem == NULL && (i < got_count || j < expected.count)) {
        int order = i >= got_count        ? 1
                    : j >= expected.count ? -1
                                          : oracle_rule_compare(&got[i], &expected.rules[j]);
        if (order < 0) {
            problem = "extra rule in the library's result";
            culprit_got = got[i];
            have_got = true;
        } else if (order > 0) {
            problem = "rule missing from the library's result";
            culprit_expected = expected.rules[j];
            have_expected = true;
        } else {
            const oracle_rule *a = &got[i], *b = &expected.rules[j];
            if (a->count != b->count || !metric_close(a->support, b->support) ||
                !metric_close(a->confidence, b->confidence) ||
                !metric_close(a->lift, b->lift) ||
                !metric_close(a->leverage, b->leverage) ||
                !metric_close(a->conviction, b->conviction)) {
                problem = "count or metric differs";
                culprit_got = *a;
                culprit_expected = *b;
                have_got = have_expected = true;
            }
            i++;
            j++;
        }
    }
    if (problem != NULL) {
        if ((*reported)++ < MAX_REPORTED_FAILURES) {
            fprintf(stderr, "MISMATCH (fimbit_mine_rules): ");
            print_params(stderr, data, params);
            fprintf(stderr,
                    "  min_confidence %.17g, min_lift %.17g, max_consequent %u; library "
                    "%zu rules, oracle %zu; first difference: %s\n",
                    rule_params->min_confidence, rule_params->min_lift,
                    rule_params->max_consequent, got_count, expected.count, problem);
            if (have_got) {
                fprintf(stderr, "  library: ");
                oracle_print_rule(stderr, &culprit_got);
                fputc('\n', stderr);
            }
            if (have_expected) {
                fprintf(stderr, "  oracle:  ");
                oracle_print_rule(stderr, &culprit_expected);
                fputc('\n', stderr);
            }
            print_dataset(stderr, data);
        }
    }
    free(got);
    oracle_rules_free(&expected);
    return problem == NULL;
}

/* Random rule parameters over the thresholds already in `params`. */
static oracle_rule_params draw_rule_params(oracle_rng *rng, const mine_params *params)
{
    static const double confidences[] = {0.0, 0.1, 0.3, 0.5, 2.0 / 3.0, 0.75, 0.8, 0.9, 1.0};
    static const double lifts[] = {0.5, 1.0, 1.2, 1.5, 2.0};
    static const uint32_t consequents[] = {1, 2, 0};
    oracle_rule_params rule_params = {
        .min_count = params->min_count,
        .min_size = params->min_size,
        .max_size = params->max_size,
        .min_confidence = oracle_rng_below(rng, 4) == 0 ? oracle_rng_unit(rng)
                                                        : confidences[oracle_rng_below(rng, 9)],
        .min_lift = oracle_rng_below(rng, 3) == 0 ? lifts[oracle_rng_below(rng, 5)] : 0,
        .max_consequent = consequents[oracle_rng_below(rng, 3)],
    };
    return rule_params;
}

static void test_rules_match_oracle(void **state)
{
    (void)state;
    uint64_t first, last;
    seed_range(&first, &last);
    int reported = 0, failures = 0, runs = 0;
    size_t total_rules = 0;
    for (uint64_t seed = first; seed <= last; seed += test_round_stride()) {
        case_data data;
        case_open(&data, seed, 0, 0);
        oracle_rng rng;
        oracle_rng_seed(&rng, seed ^ 0x7E1E5);
        for (int repeat = 0; repeat < 2; repeat++) {
            mine_params params;
            draw_mining(&rng, data.baskets.basket_count, &params); /* the target must be ignored */
            oracle_rule_params rule_params = draw_rule_params(&rng, &params);
            runs++;
            if (!run_rules_case(&data, &params, &rule_params, &reported, &total_rules))
                failures++;
        }
        case_close(&data);
    }
    fprintf(stderr, "rules: %d runs over seeds %llu..%llu, %zu rules compared, %d mismatches\n",
            runs, (unsigned long long)first, (unsigned long long)last, total_rules, failures);
    assert_int_equal(failures, 0);
}

/* Baskets from a spec: items as numbers, baskets separated by '|', a basket
 * repeated `repeat` times ("0 1|1 2" x 2 = {0 1} {1 2} {0 1} {1 2}). */
static void baskets_from_spec(const char *spec, int repeat, oracle_baskets *out)
{
    size_t length = strlen(spec);
    uint64_t baskets = 1;
    for (size_t i = 0; i < length; i++)
        baskets += spec[i] == '|';
    memset(out, 0, sizeof *out);
    out->basket_count = baskets * (uint64_t)repeat;
    out->offsets = calloc(out->basket_count + 1, sizeof *out->offsets);
    out->items = calloc(length * (size_t)repeat + 1, sizeof *out->items);
    assert_non_null(out->offsets);
    assert_non_null(out->items);
    uint64_t basket = 0, used = 0;
    for (int r = 0; r < repeat; r++) {
        const char *p = spec;
        for (;;) {
            while (*p == ' ')
                p++;
            if (*p >= '0' && *p <= '9') {
                uint32_t item = (uint32_t)strtoul(p, (char **)&p, 10);
                assert_true(item < ORACLE_MAX_ITEMS);
                out->items[used++] = item;
                if (item + 1 > out->item_count)
                    out->item_count = item + 1;
                continue;
            }
            out->offsets[++basket] = used;
            if (*p == '\0')
                break;
            p++; /* the '|' */
        }
    }
}

/* Hand-made corner cases: nothing but empty baskets, one full basket of
 * ORACLE_MAX_ITEMS items, identical baskets, singletons, repeats, a chain. */
static void test_corner_datasets_match_oracle(void **state)
{
    (void)state;
    static const struct {
        const char *spec;
        int repeat;
    } corners[] = {
        {"", 1},
        {"|||", 1},
        {"0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15", 1},
        {"0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15|0 1 2 3 4 5 6 7 8 9 10 11 12 13 14", 3},
        {"0 1 2", 50},
        {"0|1|2|3|4|5|6|7|8|9|10|11", 2},
        {"3 3 3|3 3|3|", 4},
        {"0|0 1|0 1 2|0 1 2 3|0 1 2 3 4|0 1 2 3 4 5|0 1 2 3 4 5 6", 1},
        {"5 4 3 2 1 0|0 1 2 3 4 5||5", 7},
    };
    int reported = 0, failures = 0, runs = 0;
    size_t total_rules = 0;
    for (size_t c = 0; c < sizeof corners / sizeof *corners; c++) {
        oracle_baskets baskets;
        baskets_from_spec(corners[c].spec, corners[c].repeat, &baskets);
        case_data data;
        case_open_baskets(&data, 4000000 + c, &baskets);
        uint64_t n = data.baskets.basket_count;
        const uint64_t min_counts[] = {1, 2, n, n + 1};
        for (size_t m = 0; m < 4; m++) {
            for (size_t t = 0; t < 3; t++) {
                mine_params params = {.min_count = min_counts[m], .min_size = 1,
                                      .target = targets[t]};
                oracle_itemsets expected;
                assert_int_equal(oracle_mine(&data.baskets, params.min_count,
                                             (oracle_target)params.target, 1, 0, &expected),
                                 0);
                for (size_t a = 0; a < ALGORITHMS; a++) {
                    for (size_t h = 0; h < 2; h++) {
                        params.algorithm = algorithms[a];
                        params.threads = thread_counts[h];
                        itemset_list got = {0};
                        runs++;
                        if (!mine_and_collect(&data, &params, &got, &reported) ||
                            !compare_itemsets(&data, &params, "corner dataset", &got, &expected,
                                              &reported))
                            failures++;
                        free(got.sets);
                    }
                }
                oracle_itemsets_free(&expected);
            }
            static const double confidences[] = {0.0, 0.5, 1.0};
            for (size_t k = 0; k < 3; k++) {
                /* 16 items in one basket make half a million rules: once is enough. */
                if (data.baskets.item_count > 12 && (m != 0 || k != 0))
                    continue;
                mine_params params = {.min_count = min_counts[m], .min_size = 1,
                                      .target = FIMBIT_TARGET_ALL,
                                      .algorithm = algorithms[k % ALGORITHMS],
                                      .threads = thread_counts[k % 3]};
                oracle_rule_params rule_params = {.min_count = params.min_count,
                                                  .min_size = 1,
                                                  .min_confidence = confidences[k],
                                                  .max_consequent = 1};
                runs++;
                if (!run_rules_case(&data, &params, &rule_params, &reported, &total_rules))
                    failures++;
            }
        }
        case_close(&data);
    }
    fprintf(stderr, "corners: %d runs, %zu rules compared, %d mismatches\n", runs, total_rules,
            failures);
    assert_int_equal(failures, 0);
}

/* The reduced path's databases at their bound: a branch over k extensions
 * keeps at most 2^k - 1 merged baskets when closed merges on extensions
 * alone, and is sized for no more (closed_reduced_db.c). Here every non-empty
 * set of the k most frequent items occurs, repeated, with the branch's item
 * and every witness above it (the branch's item alone too, so that the
 * witnesses are not in its closure), so the branch keeps exactly 2^k - 1
 * baskets, the last of them every local id; closed and maximal, every node
 * rebuilding or none. */
static void test_closed_reduced_full_merges_match_oracle(void **state)
{
    (void)state;
    static const struct {
        const char *spec;
        int repeat;
    } cases[] = {
        {"0 2 3 4 5|1 2 3 4 5|0 1 2 3 4 5|2|0 1|0 1", 4},
        {"0 3 4 5 6|1 3 4 5 6|2 3 4 5 6|0 1 3 4 5 6|0 2 3 4 5 6|1 2 3 4 5 6|0 1 2 3 4 5 6|3|"
         "0 1 2|0 1 2|0 1 2|0 1 2|0 1 2",
         3},
    };
    static const fimbit_target closed_targets[] = {FIMBIT_TARGET_CLOSED, FIMBIT_TARGET_MAXIMAL};
    int reported = 0, failures = 0, runs = 0;
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        oracle_baskets baskets;
        baskets_from_spec(cases[c].spec, cases[c].repeat, &baskets);
        case_data data;
        case_open_baskets(&data, 5000000 + c, &baskets);
        for (uint64_t min_count = 1; min_count <= 3; min_count++) {
            for (size_t t = 0; t < 2; t++) {
                mine_params params = {.min_count = min_count,
                                      .min_size = 1,
                                      .target = closed_targets[t],
                                      .algorithm = FIMBIT_ALGORITHM_ECLAT};
                oracle_itemsets expected;
                assert_int_equal(oracle_mine(&data.baskets, min_count, (oracle_target)params.target,
                                             1, 0, &expected),
                                 0);
                for (int mode = CLOSED_REDUCED_FORCE_ON; mode <= CLOSED_REDUCED_FORCE_REBUILD;
                     mode++) {
                    closed_reduced__force(mode);
                    for (size_t h = 0; h < 2; h++) {
                        params.threads = thread_counts[h];
                        itemset_list got = {0};
                        runs++;
                        if (!mine_and_collect(&data, &params, &got, &reported) ||
                            !compare_itemsets(&data, &params, "closed_reduced full merges", &got,
                                              &expected, &reported))
                            failures++;
                        free(got.sets);
                    }
                }
                closed_reduced__force(-1);
                oracle_itemsets_free(&expected);
            }
        }
        case_close(&data);
    }
    fprintf(stderr, "closed_reduced full merges: %d runs, %d mismatches\n", runs, failures);
    assert_int_equal(failures, 0);
}

/* Datasets that span several 65,536-basket shards, so that per-shard
 * containers and the merging of shard results are exercised. */
static void test_large_datasets_match_oracle(void **state)
{
    (void)state;
    static const struct {
        uint32_t items;
        uint64_t baskets;
    } shapes[] = {{12, 65536}, {10, 65537}, {16, 140000}, {6, 200000}, {14, 131077}, {3, 70000}};
    int reported = 0, failures = 0, runs = 0;
    size_t total_rules = 0;
    for (size_t shape = 0; shape < sizeof shapes / sizeof *shapes; shape++) {
        uint64_t seed = 1000000 + shape;
        case_data data;
        case_open(&data, seed, shapes[shape].items, shapes[shape].baskets);
        uint64_t n = data.baskets.basket_count;
        oracle_rng rng;
        oracle_rng_seed(&rng, seed);
        for (size_t t = 0; t < 3; t++) {
            static const uint64_t divisors[] = {100000, 1000, 100, 20, 5, 2};
            mine_params params = {.min_size = 1, .max_size = 0, .target = targets[t]};
            params.min_count = 1 + n / divisors[oracle_rng_below(&rng, 6)] +
                               oracle_rng_below(&rng, 3);
            oracle_itemsets expected;
            assert_int_equal(oracle_mine(&data.baskets, params.min_count,
                                         (oracle_target)params.target, 1, 0, &expected),
                             0);
            /* Both kernels, one and two threads in turn: these runs are slow. */
            for (size_t a = 0; a < 2; a++) {
                params.algorithm = algorithms[a];
                params.threads = thread_counts[(a + t + shape) % 2];
                itemset_list got = {0};
                runs++;
                if (!mine_and_collect(&data, &params, &got, &reported) ||
                    !compare_itemsets(&data, &params, "fimbit_mine_itemsets, large", &got,
                                      &expected, &reported))
                    failures++;
                free(got.sets);
            }
            oracle_itemsets_free(&expected);
        }
        /* Rules: 3^items candidates at most, fine up to 12 items. */
        if (data.baskets.item_count <= 12) {
            for (int repeat = 0; repeat < 2; repeat++) {
                mine_params params = {.min_size = 1, .target = FIMBIT_TARGET_ALL};
                params.min_count = 1 + n / (repeat ? 50 : 1000);
                params.algorithm = algorithms[oracle_rng_below(&rng, ALGORITHMS)];
                params.threads = thread_counts[oracle_rng_below(&rng, 3)];
                oracle_rule_params rule_params = draw_rule_params(&rng, &params);
                runs++;
                if (!run_rules_case(&data, &params, &rule_params, &reported, &total_rules))
                    failures++;
            }
        }
        case_close(&data);
    }
    fprintf(stderr, "large: %d runs over %zu datasets, %zu rules compared, %d mismatches\n",
            runs, sizeof shapes / sizeof *shapes, total_rules, failures);
    assert_int_equal(failures, 0);
}

/* The support threshold as a fraction: min_count 0 and min_support s mean
 * "at least s * N baskets", rounded up. A fraction that is a whole number of
 * baskets in exact arithmetic (0.7 of 100 baskets, 3 / 7 of 7 baskets) must
 * give exactly that number despite rounding in s * N. */
static void test_support_fraction(void **state)
{
    (void)state;
    static const double decimals[] = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.05, 0.15,
                                      0.35, 0.55, 0.95, 0.01, 0.07, 0.29, 0.57, 0.58, 1.0};
    int reported = 0, failures = 0, checks = 0;
    for (uint64_t seed = 1; seed <= 200; seed += test_round_stride()) {
        oracle_rng rng;
        oracle_rng_seed(&rng, seed ^ 0xF4AC);
        /* N a multiple of 100, so that every decimal above is whole. */
        uint64_t n = 100 * (1 + oracle_rng_below(&rng, 5));
        case_data data;
        case_open(&data, 2000000 + seed, 0, n);
        for (int draw = 0; draw < 4; draw++) {
            double fraction;
            uint64_t expected_count;
            if (draw < 2) {
                fraction = decimals[oracle_rng_below(&rng, sizeof decimals / sizeof *decimals)];
                expected_count = (uint64_t)llround(fraction * (double)n);
            } else {
                expected_count = 1 + oracle_rng_below(&rng, n);
                fraction = (double)expected_count / (double)n;
            }
            fimbit_mine_options options;
            fimbit_mine_options_init(&options);
            options.min_count = 0;
            options.min_support = fraction;
            options.threads = 1;
            uint64_t resolved = 0;
            fimbit_error error;
            fimbit_status status = fimbit_min_count(data.dataset, &options, &resolved, &error);
            checks++;
            if (status != FIMBIT_OK || resolved != expected_count) {
                failures++;
                if (reported++ < MAX_REPORTED_FAILURES)
                    fprintf(stderr,
                            "MISMATCH fimbit_min_count: min_support %.17g of %llu baskets gave "
                            "%s %llu, expected %llu\n",
                            fraction, (unsigned long long)n, fimbit_status_name(status),
                            (unsigned long long)resolved, (unsigned long long)expected_count);
                continue;
            }
            /* Mining by fraction gives what mining by the count gives. */
            mine_params params = {.min_count = 0, .min_size = 1, .target = FIMBIT_TARGET_ALL,
                                  .algorithm = algorithms[draw % ALGORITHMS], .threads = 2};
            oracle_itemsets expected;
            assert_int_equal(oracle_mine(&data.baskets, expected_count, ORACLE_ALL, 1, 0,
                                         &expected),
                             0);
            fimbit_itemsets *result = NULL;
            options.algorithm = params.algorithm;
            options.threads = params.threads;
            status = fimbit_mine_itemsets(data.dataset, &options, &result, &error);
            assert_int_equal(status, FIMBIT_OK);
            itemset_list got = {0};
            for (size_t k = 0; k < fimbit_itemsets_count(result); k++) {
                const uint32_t *items;
                uint32_t size;
                uint64_t count;
                assert_int_equal(fimbit_itemsets_get(result, k, &items, &size, &count),
                                 FIMBIT_OK);
                list_add(&got, ids_to_mask(&data, items, size), count);
            }
            fimbit_itemsets_free(result);
            if (got.count > 1)
                qsort(got.sets, got.count, sizeof *got.sets, oracle_itemset_compare);
            params.min_count = expected_count;
            if (!compare_itemsets(&data, &params, "mining by min_support", &got, &expected,
                                  &reported))
                failures++;
            free(got.sets);
            oracle_itemsets_free(&expected);
        }
        case_close(&data);
    }

    /* Neither threshold valid: an error, not a guess. */
    case_data data;
    case_open(&data, 7, 0, 0);
    static const double invalid[] = {0.0, -0.5, 1.5};
    for (size_t i = 0; i < sizeof invalid / sizeof *invalid; i++) {
        fimbit_mine_options options;
        fimbit_mine_options_init(&options);
        options.min_count = 0;
        options.min_support = invalid[i];
        uint64_t resolved = 0;
        fimbit_error error;
        fimbit_status status = fimbit_min_count(data.dataset, &options, &resolved, &error);
        if (status != FIMBIT_EINVAL) {
            failures++;
            fprintf(stderr, "fimbit_min_count with min_support %g: %s, expected EINVAL\n",
                    invalid[i], fimbit_status_name(status));
        }
        fimbit_itemsets *result = NULL;
        status = fimbit_mine_itemsets(data.dataset, &options, &result, &error);
        fimbit_itemsets_free(result);
        if (status != FIMBIT_EINVAL) {
            failures++;
            fprintf(stderr, "fimbit_mine_itemsets with min_support %g: %s, expected EINVAL\n",
                    invalid[i], fimbit_status_name(status));
        }
    }
    case_close(&data);
    fprintf(stderr, "support fractions: %d checks, %d mismatches\n", checks, failures);
    assert_int_equal(failures, 0);
}

/* Compares two item lists by size, then item by item by name bytes (the
 * natural order of names that are not all integers, as here). */
static int compare_named(const fimbit_dataset *dataset, const uint32_t *left, uint32_t left_size,
                         const uint32_t *right, uint32_t right_size)
{
    if (left_size != right_size)
        return left_size < right_size ? -1 : 1;
    for (uint32_t i = 0; i < left_size; i++) {
        int order = strcmp(fimbit_dataset_item_name(dataset, left[i]),
                           fimbit_dataset_item_name(dataset, right[i]));
        if (order != 0)
            return order;
    }
    return 0;
}

static bool names_ascending(const fimbit_dataset *dataset, const uint32_t *items, uint32_t size)
{
    for (uint32_t i = 1; i < size; i++)
        if (strcmp(fimbit_dataset_item_name(dataset, items[i - 1]),
                   fimbit_dataset_item_name(dataset, items[i])) >= 0)
            return false;
    return true;
}

/* fimbit_itemsets_sort(), fimbit_rules_sort() and
 * fimbit_rules_sort_by_strength() give the orders fimbit.h promises. */
static void test_sort_orders(void **state)
{
    (void)state;
    int failures = 0;
    for (uint64_t seed = 1; seed <= 150; seed += test_round_stride()) {
        case_data data;
        case_open(&data, seed, 0, 0);
        oracle_rng rng;
        oracle_rng_seed(&rng, seed ^ 0x5027);
        fimbit_rule_options options;
        fimbit_rule_options_init(&options);
        options.mine.min_count = 1 + oracle_rng_below(&rng, 1 + data.baskets.basket_count / 4);
        options.mine.target = targets[oracle_rng_below(&rng, 3)];
        options.mine.algorithm = algorithms[oracle_rng_below(&rng, ALGORITHMS)];
        options.mine.threads = thread_counts[oracle_rng_below(&rng, 3)];
        options.min_confidence = 0.3;
        options.max_consequent = 0;
        fimbit_error error;

        fimbit_itemsets *itemsets = NULL;
        assert_int_equal(fimbit_mine_itemsets(data.dataset, &options.mine, &itemsets, &error),
                         FIMBIT_OK);
        fimbit_itemsets_sort(itemsets);
        const uint32_t *previous = NULL;
        uint32_t previous_size = 0;
        for (size_t k = 0; k < fimbit_itemsets_count(itemsets); k++) {
            const uint32_t *items;
            uint32_t size;
            uint64_t count;
            assert_int_equal(fimbit_itemsets_get(itemsets, k, &items, &size, &count), FIMBIT_OK);
            bool inside = names_ascending(data.dataset, items, size);
            bool between = previous == NULL ||
                           compare_named(data.dataset, previous, previous_size, items, size) < 0;
            if (!inside || !between) {
                if (failures++ < MAX_REPORTED_FAILURES)
                    fprintf(stderr, "SORT: seed %llu, itemset %zu is out of canonical order "
                            "(%s)\n", (unsigned long long)seed, k,
                            inside ? "after the previous one" : "inside the itemset");
                break;
            }
            previous = items;
            previous_size = size;
        }
        fimbit_itemsets_free(itemsets);

        fimbit_rules *rules = NULL;
        assert_int_equal(fimbit_mine_rules(data.dataset, &options, &rules, &error), FIMBIT_OK);
        size_t rule_count = fimbit_rules_count(rules);
        fimbit_rules_sort(rules);
        fimbit_rule last = {0};
        for (size_t k = 0; k < rule_count; k++) {
            fimbit_rule rule;
            assert_int_equal(fimbit_rules_get(rules, k, &rule), FIMBIT_OK);
            bool inside = names_ascending(data.dataset, rule.antecedent, rule.antecedent_size) &&
                          names_ascending(data.dataset, rule.consequent, rule.consequent_size);
            int order = 0;
            if (k > 0) {
                order = compare_named(data.dataset, last.antecedent, last.antecedent_size,
                                      rule.antecedent, rule.antecedent_size);
                if (order == 0)
                    order = compare_named(data.dataset, last.consequent, last.consequent_size,
                                          rule.consequent, rule.consequent_size);
            }
            if (!inside || (k > 0 && order >= 0)) {
                if (failures++ < MAX_REPORTED_FAILURES)
                    fprintf(stderr, "SORT: seed %llu, rule %zu is out of canonical order (%s)\n",
                            (unsigned long long)seed, k,
                            inside ? "after the previous one" : "inside a side");
                break;
            }
            last = rule;
        }
        fimbit_rules_sort_by_strength(rules);
        for (size_t k = 1; k < rule_count; k++) {
            fimbit_rule a, b;
            assert_int_equal(fimbit_rules_get(rules, k - 1, &a), FIMBIT_OK);
            assert_int_equal(fimbit_rules_get(rules, k, &b), FIMBIT_OK);
            int order = a.confidence != b.confidence ? (a.confidence > b.confidence ? -1 : 1)
                        : a.lift != b.lift           ? (a.lift > b.lift ? -1 : 1)
                        : a.count != b.count         ? (a.count > b.count ? -1 : 1)
                                                     : 0;
            if (order == 0) {
                order = compare_named(data.dataset, a.antecedent, a.antecedent_size,
                                      b.antecedent, b.antecedent_size);
                if (order == 0)
                    order = compare_named(data.dataset, a.consequent, a.consequent_size,
                                          b.consequent, b.consequent_size);
            }
            if (order >= 0) {
                if (failures++ < MAX_REPORTED_FAILURES)
                    fprintf(stderr, "SORT: seed %llu, rule %zu is out of strength order\n",
                            (unsigned long long)seed, k);
                break;
            }
        }
        fimbit_rules_free(rules);
        case_close(&data);
    }
    assert_int_equal(failures, 0);
}

/* A growing text buffer for writing dataset files. */
typedef struct text_buffer {
    char *text;
    size_t size, capacity;
} text_buffer;

static void text_append(text_buffer *buffer, const char *format, ...)
    __attribute__((format(printf, 2, 3)));

static void text_append(text_buffer *buffer, const char *format, ...)
{
    for (;;) {
        va_list args;
        va_start(args, format);
        size_t room = buffer->capacity - buffer->size;
        int written = vsnprintf(buffer->text ? buffer->text + buffer->size : NULL, room, format,
                                args);
        va_end(args);
        assert_true(written >= 0);
        if ((size_t)written < room) {
            buffer->size += (size_t)written;
            return;
        }
        buffer->capacity = buffer->capacity ? buffer->capacity * 2 : 4096;
        while (buffer->capacity - buffer->size <= (size_t)written)
            buffer->capacity *= 2;
        buffer->text = realloc(buffer->text, buffer->capacity);
        assert_non_null(buffer->text);
    }
}

enum file_kind { FILE_FIMI, FILE_BASKET_SPACES, FILE_BASKET_COMMAS, FILE_CSV_LONG, FILE_KINDS };
static const char *const file_kind_names[] = {"fimi", "basket-spaces", "basket-commas",
                                              "csv-long"};

/* Writes the dataset of `data` as a file of `kind`. Long CSV cannot hold an
 * empty basket, so *baskets_out gets the number of baskets the file holds. */
static void write_dataset_file(const oracle_baskets *baskets, enum file_kind kind, char *path,
                               size_t path_size, uint64_t *baskets_out)
{
    text_buffer buffer = {0};
    uint64_t held = 0;
    if (kind == FILE_CSV_LONG)
        text_append(&buffer, "order_id,product\r\n");
    for (uint64_t b = 0; b < baskets->basket_count; b++) {
        uint64_t begin = baskets->offsets[b], end = baskets->offsets[b + 1];
        held += kind != FILE_CSV_LONG || begin < end;
        for (uint64_t i = begin; i < end; i++) {
            uint32_t item = baskets->items[i];
            switch (kind) {
            case FILE_FIMI:
                text_append(&buffer, i > begin ? " %u" : "%u", item);
                break;
            case FILE_BASKET_SPACES:
                text_append(&buffer, i > begin ? " %s" : "%s", oracle_item_name(item));
                break;
            case FILE_BASKET_COMMAS:
                text_append(&buffer, i > begin ? ",%s" : "%s", oracle_item_name(item));
                break;
            default:
                text_append(&buffer, "%llu,%s\r\n", (unsigned long long)(b + 1000),
                            oracle_item_name(item));
                break;
            }
        }
        if (kind != FILE_CSV_LONG)
            text_append(&buffer, "\n");
    }
    test_write_temp_file(buffer.text ? buffer.text : "", buffer.size, ".txt", path, path_size);
    free(buffer.text);
    *baskets_out = held;
}

/* The readers end to end: the dataset written as FIMI, named baskets (space
 * and comma separated) and long CSV, read back with 1 or 2 threads, mined,
 * compared with the oracle. Large files are cut into chunks for the threads. */
static void test_files_match_oracle(void **state)
{
    (void)state;
    static const struct {
        uint32_t items;
        uint64_t baskets;
    } shapes[] = {{0, 0}, {0, 0}, {0, 0}, {0, 0}, {0, 0}, {0, 0}, {0, 0}, {0, 0},
                  {9, 3000}, {12, 70000}, {5, 150000}};
    const char *rounds_text = getenv("FIMBIT_ORACLE_FILE_ROUNDS");
    int small_rounds = rounds_text != NULL && *rounds_text ? atoi(rounds_text) : 8;
    int reported = 0, failures = 0, runs = 0;
    for (size_t shape = 0; shape < sizeof shapes / sizeof *shapes; shape++) {
        for (int round = 0; round < (shapes[shape].baskets ? 1 : small_rounds); round++) {
            uint64_t seed = 3000000 + shape * 100 + (uint64_t)round;
            case_data data;
            case_open(&data, seed, shapes[shape].items, shapes[shape].baskets);
            oracle_rng rng;
            oracle_rng_seed(&rng, seed);
            for (int kind = 0; kind < FILE_KINDS; kind++) {
                char path[256];
                uint64_t held = 0;
                write_dataset_file(&data.baskets, (enum file_kind)kind, path, sizeof path, &held);
                fimbit_read_options read_options;
                fimbit_read_options_init(&read_options);
                /* Sometimes let the reader recognise the format itself. Not for
                 * comma baskets (a one-item first line names no separator) nor
                 * long CSV (AUTO takes it for comma baskets unless a column is
                 * named, whatever fimbit.h says of "long CSV header"). */
                bool automatic = oracle_rng_below(&rng, 3) == 0 &&
                                 (kind == FILE_FIMI || kind == FILE_BASKET_SPACES);
                read_options.format = automatic              ? FIMBIT_INPUT_AUTO
                                      : kind == FILE_FIMI     ? FIMBIT_INPUT_FIMI
                                      : kind == FILE_CSV_LONG ? FIMBIT_INPUT_CSV
                                                              : FIMBIT_INPUT_BASKET;
                if (kind == FILE_BASKET_COMMAS && !automatic)
                    read_options.separator = ',';
                if (kind == FILE_CSV_LONG && !automatic) {
                    read_options.basket_column = "order_id";
                    read_options.item_column = "product";
                }
                read_options.threads = 1 + (int)oracle_rng_below(&rng, 2);
                const char *paths[] = {path};
                fimbit_dataset *dataset = NULL;
                fimbit_error error;
                fimbit_status status = fimbit_dataset_read(paths, 1, &read_options, &dataset,
                                                           &error);
                const char *problem = NULL;
                if (status != FIMBIT_OK)
                    problem = "reading failed";
                else if (fimbit_dataset_basket_count(dataset) != held)
                    problem = "wrong number of baskets";
                if (problem != NULL) {
                    failures++;
                    if (reported++ < MAX_REPORTED_FAILURES) {
                        fprintf(stderr,
                                "READ: seed %llu, %s file %s (format %d, %d threads): %s: %s "
                                "(%s); %llu baskets, expected %llu\n",
                                (unsigned long long)seed, file_kind_names[kind], path,
                                (int)read_options.format, read_options.threads, problem,
                                fimbit_status_name(status), status ? error.message : "",
                                (unsigned long long)(dataset ? fimbit_dataset_basket_count(dataset)
                                                             : 0),
                                (unsigned long long)held);
                        print_dataset(stderr, &data);
                    }
                    fimbit_dataset_free(dataset);
                    unlink(path);
                    continue;
                }
                unlink(path);
                /* Swap the file's dataset in, to mine it like the in-memory one. */
                fimbit_dataset *in_memory = data.dataset;
                data.dataset = dataset;
                case_map_items(&data);
                mine_params params;
                draw_mining(&rng, data.baskets.basket_count, &params);
                if (shapes[shape].baskets)
                    params.min_count =
                        1 + data.baskets.basket_count / (2 + oracle_rng_below(&rng, 200));
                oracle_itemsets expected;
                expect_from_oracle(&data, &params, &expected);
                itemset_list got = {0};
                runs++;
                char what[64];
                snprintf(what, sizeof what, "read from a %s file", file_kind_names[kind]);
                if (!mine_and_collect(&data, &params, &got, &reported) ||
                    !compare_itemsets(&data, &params, what, &got, &expected, &reported))
                    failures++;
                free(got.sets);
                oracle_itemsets_free(&expected);
                fimbit_dataset_free(dataset);
                data.dataset = in_memory;
                case_map_items(&data);
            }
            case_close(&data);
        }
    }
    fprintf(stderr, "files: %d runs, %d mismatches\n", runs, failures);
    assert_int_equal(failures, 0);
}

/* The oracle itself, on a dataset small enough to check by hand. */
static void test_oracle_by_hand(void **state)
{
    (void)state;
    /* Baskets: {0 1 2} {0 1} {0 1 1} {2} {} */
    uint32_t items[] = {0, 1, 2, 0, 1, 0, 1, 1, 2};
    uint64_t offsets[] = {0, 3, 5, 8, 9, 9};
    oracle_baskets baskets = {3, 5, offsets, items};
    oracle_itemsets all, closed, maximal;
    assert_int_equal(oracle_mine(&baskets, 2, ORACLE_ALL, 1, 0, &all), 0);
    /* {0}:3 {1}:3 {2}:2 {0 1}:3 */
    assert_int_equal(all.count, 4);
    assert_int_equal(all.sets[0].mask, 1u);
    assert_int_equal(all.sets[0].count, 3);
    assert_int_equal(all.sets[2].mask, 4u);
    assert_int_equal(all.sets[2].count, 2);
    assert_int_equal(all.sets[3].mask, 3u);
    assert_int_equal(oracle_mine(&baskets, 2, ORACLE_CLOSED, 1, 0, &closed), 0);
    /* {2}:2 and {0 1}:3 */
    assert_int_equal(closed.count, 2);
    assert_int_equal(closed.sets[0].mask, 4u);
    assert_int_equal(closed.sets[1].mask, 3u);
    assert_int_equal(oracle_mine(&baskets, 2, ORACLE_MAXIMAL, 1, 1, &maximal), 0);
    /* Maximal in the whole lattice is {2} and {0 1}; max_size 1 keeps {2}. */
    assert_int_equal(maximal.count, 1);
    assert_int_equal(maximal.sets[0].mask, 4u);
    oracle_itemsets_free(&all);
    oracle_itemsets_free(&closed);
    oracle_itemsets_free(&maximal);

    oracle_rules rules;
    oracle_rule_params params = {.min_count = 1, .min_confidence = 0.5, .max_consequent = 1};
    assert_int_equal(oracle_mine_rules(&baskets, &params, &rules), 0);
    /* Among them {0} => {1}: conf 1, lift 1 / (3/5), conviction inf. */
    bool found = false;
    for (size_t r = 0; r < rules.count; r++) {
        if (rules.rules[r].antecedent == 1u && rules.rules[r].consequent == 2u) {
            found = true;
            assert_int_equal(rules.rules[r].count, 3);
            assert_true(fabs(rules.rules[r].confidence - 1.0) < 1e-12);
            assert_true(fabs(rules.rules[r].lift - 5.0 / 3.0) < 1e-12);
            assert_true(fabs(rules.rules[r].leverage - (0.6 - 0.36)) < 1e-12);
            assert_true(isinf(rules.rules[r].conviction));
        }
        /* {1 2} => {0} has confidence 1; {2} => {0} 0.5 passes at exactly 0.5. */
    }
    assert_true(found);
    oracle_rules_free(&rules);
}

/* The oracle's two halves agree: the lattice table and the depth-first
 * counter of oracle_count_large() find the same numbers and count sums. */
static void test_oracle_self_consistent(void **state)
{
    (void)state;
    uint64_t first, last;
    seed_range(&first, &last);
    for (uint64_t seed = first; seed <= last; seed += test_round_stride()) {
        oracle_baskets baskets;
        oracle_generate(seed, &baskets);
        oracle_rng rng;
        oracle_rng_seed(&rng, seed ^ 0xC0FFEE);
        uint64_t min_count = 1 + oracle_rng_below(&rng, baskets.basket_count + 1);
        oracle_summary summary;
        assert_int_equal(oracle_count_large(&baskets, min_count, &summary), 0);
        for (int t = 0; t < 3; t++) {
            oracle_itemsets sets;
            assert_int_equal(oracle_mine(&baskets, min_count, (oracle_target)t, 1, 0, &sets), 0);
            uint64_t sum = 0;
            for (size_t i = 0; i < sets.count; i++)
                sum += sets.sets[i].count;
            if (sets.count != summary.itemsets[t] || sum != summary.count_sum[t]) {
                fprintf(stderr, "seed %llu, min_count %llu, target %s: table %zu (%llu), "
                        "counter %llu (%llu)\n", (unsigned long long)seed,
                        (unsigned long long)min_count, target_names[t], sets.count,
                        (unsigned long long)sum, (unsigned long long)summary.itemsets[t],
                        (unsigned long long)summary.count_sum[t]);
                oracle_print_baskets(stderr, &baskets);
                fail();
            }
            oracle_itemsets_free(&sets);
        }
        oracle_baskets_free(&baskets);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_oracle_by_hand),
        cmocka_unit_test(test_oracle_self_consistent),
        cmocka_unit_test(test_itemsets_match_oracle),
        cmocka_unit_test(test_projection_matches_oracle),
        cmocka_unit_test(test_mine_once_matches_oracle),
        cmocka_unit_test(test_closed_reduced_matches_oracle),
        cmocka_unit_test(test_eclat_projection_matches_oracle),
        cmocka_unit_test(test_fpmax_matches_oracle),
        cmocka_unit_test(test_projection_layouts_match_oracle),
        cmocka_unit_test(test_stream_matches_result),
        cmocka_unit_test(test_rules_match_oracle),
        cmocka_unit_test(test_corner_datasets_match_oracle),
        cmocka_unit_test(test_closed_reduced_full_merges_match_oracle),
        cmocka_unit_test(test_large_datasets_match_oracle),
        cmocka_unit_test(test_support_fraction),
        cmocka_unit_test(test_sort_orders),
        cmocka_unit_test(test_files_match_oracle),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
