/*
 * How fast are recommendations? The rules of retail.dat (support 20 baskets,
 * confidence 0.1) in a recommender, queried with 100,000 baskets of 1 to 10
 * items drawn from the recommender's items by a fixed generator, 5 items
 * each. items/s: baskets answered per second, on one thread.
 */
#include <stdio.h>
#include <stdlib.h>

#include "bench_data.h"
#include "shim.h"

#define QUERY_BASKETS 100000
#define QUERY_MAX_SIZE 10

typedef struct recommend_fixture {
    fimbit_recommender *recommender;
    uint32_t *items;     /* QUERY_BASKETS baskets back to back */
    uint32_t *sizes;
    const char *failure; /* why the fixture could not be built */
} recommend_fixture;

static const recommend_fixture *fixture(void)
{
    static recommend_fixture made;
    if (made.recommender != NULL || made.failure != NULL)
        return &made;
    const fimbit_dataset *dataset = bench_dataset("retail.dat");
    fimbit_rule_options options;
    fimbit_rule_options_init(&options);
    options.mine.min_count = 20;
    options.min_confidence = 0.1;
    fimbit_rules *rules = NULL;
    fimbit_error error;
    if (dataset == NULL || fimbit_mine_rules(dataset, &options, &rules, &error) != FIMBIT_OK ||
        fimbit_recommender_create(&made.recommender, &error) != FIMBIT_OK ||
        fimbit_recommender_add_rules(made.recommender, rules, &error) != FIMBIT_OK) {
        made.failure = "retail.dat could not be read or mined";
        fimbit_rules_free(rules);
        return &made;
    }
    fimbit_rules_free(rules);

    uint32_t item_count = fimbit_recommender_item_count(made.recommender);
    made.items = malloc(sizeof *made.items * QUERY_BASKETS * QUERY_MAX_SIZE);
    made.sizes = malloc(sizeof *made.sizes * QUERY_BASKETS);
    if (made.items == NULL || made.sizes == NULL || item_count == 0) {
        made.failure = "no memory or no rules for the queries";
        return &made;
    }
    uint64_t seed = 42;
    for (size_t b = 0; b < QUERY_BASKETS; b++) {
        seed = seed * 6364136223846793005ull + 1442695040888963407ull;
        made.sizes[b] = 1 + (uint32_t)((seed >> 33) % QUERY_MAX_SIZE);
        for (uint32_t i = 0; i < made.sizes[b]; i++) {
            seed = seed * 6364136223846793005ull + 1442695040888963407ull;
            made.items[b * QUERY_MAX_SIZE + i] = (uint32_t)((seed >> 33) % item_count);
        }
    }
    return &made;
}

static void bench_recommend(bench_state *state, void *user)
{
    (void)user;
    const recommend_fixture *f = fixture();
    if (f->failure != NULL) {
        bench_skip_with_error(state, f->failure);
        return;
    }
    fimbit_recommendation out[5];
    size_t found = 0;
    uint64_t total = 0;
    while (bench_keep_running(state)) {
        for (size_t b = 0; b < QUERY_BASKETS; b++) {
            fimbit_recommend(f->recommender, &f->items[b * QUERY_MAX_SIZE], f->sizes[b],
                             FIMBIT_RECOMMEND_BY_CONFIDENCE, 5, out, &found, NULL);
            total += found;
        }
    }
    bench_do_not_optimize_u64(total);
    bench_set_items_processed(state, bench_iterations(state) * QUERY_BASKETS);
}

BENCH_REGISTER(register_recommend_benchmarks)
{
    char path[4096];
    if (!bench_dataset_path("retail.dat", path, sizeof path))
        return;
    bench_unit_ms(bench_register("recommend/retail:20:0.1/100k-baskets", bench_recommend, NULL));
}
