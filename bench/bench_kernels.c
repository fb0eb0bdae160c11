/*
 * Which kernel is faster, for which target, on which data? Every kernel x
 * target on chess (dense, min 1918 = 60%), mushroom (min 406 = 5%) and retail
 * (sparse, min 10), with 1 and 2 threads. The dataset is read once, before
 * any timing; each iteration mines and frees a full result.
 * Counter "itemsets": the result's size; items/s: itemsets found per second.
 */
#include <stdio.h>

#include "bench_data.h"
#include "shim.h"

typedef struct kernel_case {
    const char *file;
    const char *short_name;
    uint64_t min_count;
    fimbit_algorithm algorithm;
    fimbit_target target;
} kernel_case;

enum { KERNEL_CASES = 3 * 2 * 3 };
static kernel_case kernel_cases[KERNEL_CASES];

static void bench_mine(bench_state *state, void *user)
{
    const kernel_case *kernel = user;
    const fimbit_dataset *dataset = bench_dataset(kernel->file);
    if (dataset == NULL) {
        bench_skip_with_error(state, "dataset could not be read");
        return;
    }
    fimbit_mine_options options;
    fimbit_mine_options_init(&options);
    options.min_count = kernel->min_count;
    options.algorithm = kernel->algorithm;
    options.target = kernel->target;
    options.threads = (int)bench_range(state, 0);
    size_t itemsets = 0;
    while (bench_keep_running(state)) {
        fimbit_itemsets *result = NULL;
        fimbit_error error;
        if (fimbit_mine_itemsets(dataset, &options, &result, &error) != FIMBIT_OK) {
            bench_skip_with_error(state, error.message);
            break;
        }
        itemsets = fimbit_itemsets_count(result);
        bench_do_not_optimize(result);
        fimbit_itemsets_free(result);
    }
    bench_set_counter(state, "itemsets", (double)itemsets);
    bench_set_items_processed(state, bench_iterations(state) * (int64_t)itemsets);
}

BENCH_REGISTER(register_kernel_benchmarks)
{
    static const struct {
        const char *file, *short_name;
        uint64_t min_count;
    } datasets[] = {{"chess.dat", "chess", 1918}, {"mushroom.dat", "mushroom", 406},
                    {"retail.dat", "retail", 10}};
    static const struct {
        fimbit_algorithm algorithm;
        const char *name;
    } algorithms[] = {{FIMBIT_ALGORITHM_FPGROWTH, "fpgrowth"}, {FIMBIT_ALGORITHM_ECLAT, "eclat"}};
    static const struct {
        fimbit_target target;
        const char *name;
    } targets[] = {{FIMBIT_TARGET_ALL, "all"},
                   {FIMBIT_TARGET_CLOSED, "closed"},
                   {FIMBIT_TARGET_MAXIMAL, "maximal"}};
    size_t used = 0;
    for (size_t d = 0; d < 3; d++) {
        char path[4096];
        /* A missing file registers nothing: its benchmarks are simply absent. */
        if (!bench_dataset_path(datasets[d].file, path, sizeof path))
            continue;
        for (size_t a = 0; a < 2; a++)
            for (size_t t = 0; t < 3; t++) {
                kernel_case *kernel = &kernel_cases[used++];
                *kernel = (kernel_case){datasets[d].file, datasets[d].short_name,
                                        datasets[d].min_count, algorithms[a].algorithm,
                                        targets[t].target};
                char name[128];
                snprintf(name, sizeof name, "kernel/%s/%s/%s/min:%llu", algorithms[a].name,
                         datasets[d].short_name, targets[t].name,
                         (unsigned long long)datasets[d].min_count);
                bench_handle *handle = bench_register(name, bench_mine, kernel);
                bench_arg_name(handle, "threads");
                bench_arg(handle, 1);
                bench_arg(handle, 2);
                bench_unit_ms(handle);
                bench_use_real_time(handle);
            }
    }
}
