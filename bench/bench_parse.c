/*
 * How fast is reading? retail.dat (FIMI, 4 MB, sparse) and T10I4D100K.dat
 * into a dataset, with 1 and 2 threads; bytes/s of input and baskets/s.
 * The file is in the page cache after the first iteration, so this measures
 * parsing and building the dictionary, not the disk.
 */
#include <stdio.h>

#include "bench_data.h"
#include "shim.h"

static void bench_read(bench_state *state, void *user)
{
    const char *file = user;
    char path[4096];
    if (!bench_dataset_path(file, path, sizeof path)) {
        bench_skip_with_error(state, "dataset missing");
        return;
    }
    int64_t size = bench_file_size(path);
    fimbit_read_options options;
    fimbit_read_options_init(&options);
    options.format = FIMBIT_INPUT_FIMI;
    options.threads = (int)bench_range(state, 0);
    const char *paths[] = {path};
    uint64_t baskets = 0;
    while (bench_keep_running(state)) {
        fimbit_dataset *dataset = NULL;
        fimbit_error error;
        if (fimbit_dataset_read(paths, 1, &options, &dataset, &error) != FIMBIT_OK) {
            bench_skip_with_error(state, error.message);
            break;
        }
        baskets = fimbit_dataset_basket_count(dataset);
        bench_do_not_optimize(dataset);
        fimbit_dataset_free(dataset);
    }
    bench_set_bytes_processed(state, bench_iterations(state) * size);
    bench_set_items_processed(state, bench_iterations(state) * (int64_t)baskets);
}

BENCH_REGISTER(register_parse_benchmarks)
{
    static const char *const files[] = {"retail.dat", "T10I4D100K.dat"};
    for (size_t f = 0; f < sizeof files / sizeof *files; f++) {
        char path[4096];
        if (!bench_dataset_path(files[f], path, sizeof path))
            continue;
        char name[128];
        snprintf(name, sizeof name, "parse/fimi/%s", files[f]);
        bench_handle *handle = bench_register(name, bench_read, (void *)files[f]);
        bench_arg_name(handle, "threads");
        bench_arg(handle, 1);
        bench_arg(handle, 2);
        bench_unit_ms(handle);
        bench_use_real_time(handle);
    }
}
