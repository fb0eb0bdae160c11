/*
 * How fast is writing? The 189,400 frequent itemsets of retail.dat at 10
 * baskets, written as text, CSV and JSON Lines to standard output while it
 * points at /dev/null, so only formatting and the write calls are measured.
 * (Standard output is used rather than the path "/dev/null" because a file
 * output is written under a temporary name beside the target and renamed.)
 * bytes/s: output bytes (measured once into a temporary file); items/s:
 * itemsets written per second.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "bench_data.h"
#include "shim.h"

static const char *const format_names[] = {"text", "csv", "jsonl"};

static fimbit_itemsets *output_itemsets(void)
{
    static fimbit_itemsets *itemsets;
    if (itemsets == NULL) {
        const fimbit_dataset *dataset = bench_dataset("retail.dat");
        if (dataset == NULL)
            return NULL;
        fimbit_mine_options options;
        fimbit_mine_options_init(&options);
        options.min_count = 10;
        fimbit_error error;
        if (fimbit_mine_itemsets(dataset, &options, &itemsets, &error) != FIMBIT_OK)
            return NULL;
        fimbit_itemsets_sort(itemsets);
    }
    return itemsets;
}

static const fimbit_format formats[] = {FIMBIT_FORMAT_TEXT, FIMBIT_FORMAT_CSV,
                                        FIMBIT_FORMAT_JSONL};

static void bench_write(bench_state *state, void *user)
{
    fimbit_format format = *(const fimbit_format *)user;
    fimbit_itemsets *itemsets = output_itemsets();
    if (itemsets == NULL) {
        bench_skip_with_error(state, "retail.dat could not be read or mined");
        return;
    }
    fimbit_error error;
    char temp[4096];
    const char *folder = getenv("TMPDIR");
    snprintf(temp, sizeof temp, "%s/fimbit-bench-output-%ld.%s", folder ? folder : "/tmp",
             (long)getpid(), format_names[format]);
    if (fimbit_itemsets_write(itemsets, format, temp, &error) != FIMBIT_OK) {
        bench_skip_with_error(state, error.message);
        return;
    }
    int64_t bytes = bench_file_size(temp);
    unlink(temp);

    fflush(stdout);
    int saved_stdout = dup(STDOUT_FILENO);
    int null_fd = open("/dev/null", O_WRONLY);
    if (saved_stdout < 0 || null_fd < 0 || dup2(null_fd, STDOUT_FILENO) < 0) {
        bench_skip_with_error(state, "cannot point standard output at /dev/null");
        return;
    }
    close(null_fd);
    fimbit_status status = FIMBIT_OK;
    while (bench_keep_running(state)) {
        status = fimbit_itemsets_write(itemsets, format, "-", &error);
        if (status != FIMBIT_OK)
            break;
    }
    fflush(stdout);
    dup2(saved_stdout, STDOUT_FILENO);
    close(saved_stdout);
    if (status != FIMBIT_OK) {
        bench_skip_with_error(state, error.message);
        return;
    }
    bench_set_bytes_processed(state, bench_iterations(state) * bytes);
    bench_set_items_processed(state, bench_iterations(state) *
                                         (int64_t)fimbit_itemsets_count(itemsets));
}

BENCH_REGISTER(register_output_benchmarks)
{
    char path[4096];
    if (!bench_dataset_path("retail.dat", path, sizeof path))
        return;
    for (size_t f = 0; f < sizeof formats / sizeof *formats; f++) {
        char name[128];
        snprintf(name, sizeof name, "output/itemsets/%s/retail:10", format_names[formats[f]]);
        bench_handle *handle = bench_register(name, bench_write, (void *)&formats[f]);
        bench_unit_ms(handle);
        bench_use_real_time(handle);
    }
}
