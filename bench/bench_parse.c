/*
 * How fast is reading? FIMI (retail.dat: 4 MB, sparse; T10I4D100K.dat; a
 * generated T10I4D1M, 39 MB) and named baskets (groceries.csv; the same 1 M
 * baskets with named items, 80 MB) into a dataset, with 1 and 2 threads;
 * bytes/s of input and baskets/s. The file is in the page cache after the
 * first iteration, so this measures parsing and building the dictionary, not
 * the disk. With one thread all the work is on the benchmark's thread, so
 * the CPU column is the time a core spends, whatever else the machine runs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench_data.h"
#include "shim.h"

typedef struct parse_input {
    const char *name;              /* a shared dataset, or the generated file's label */
    fimbit_input_format format;
    int generated_named;           /* -1: a shared dataset; else fimbit_generate's named_items */
    char path[4096];               /* resolved on first use */
} parse_input;

static parse_input inputs[] = {
    {"retail.dat", FIMBIT_INPUT_FIMI, -1, ""},
    {"T10I4D100K.dat", FIMBIT_INPUT_FIMI, -1, ""},
    {"T10I4D1M.dat", FIMBIT_INPUT_FIMI, 0, ""},
    {"groceries.csv", FIMBIT_INPUT_BASKET, -1, ""},
    {"T10I4D1M-named.txt", FIMBIT_INPUT_BASKET, 1, ""},
};

static void remove_generated(void)
{
    for (size_t i = 0; i < sizeof inputs / sizeof *inputs; i++)
        if (inputs[i].generated_named >= 0 && inputs[i].path[0] != '\0')
            unlink(inputs[i].path);
}

/* Writes the generated T10I4D1M input once, into the temporary folder. */
static bool generate_input(parse_input *in)
{
    const char *folder = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    snprintf(in->path, sizeof in->path, "%s/fimbit-bench-%ld-%s", folder, (long)getpid(),
             in->name);
    fimbit_generate_options options;
    fimbit_generate_options_init(&options);
    options.baskets = 1000000;
    options.seed = 7;
    options.named_items = in->generated_named;
    options.format = in->generated_named ? FIMBIT_GENERATE_BASKET : FIMBIT_GENERATE_FIMI;
    fimbit_error error;
    if (fimbit_generate(&options, in->path, &error) != FIMBIT_OK) {
        fprintf(stderr, "SKIP: cannot generate %s: %s\n", in->path, error.message);
        in->path[0] = '\0';
        return false;
    }
    static bool registered;
    if (!registered)
        atexit(remove_generated);
    registered = true;
    return true;
}

static void bench_read(bench_state *state, void *user)
{
    parse_input *in = user;
    if (in->path[0] == '\0' && in->generated_named >= 0 && !generate_input(in)) {
        bench_skip_with_error(state, "cannot generate the input");
        return;
    }
    int64_t size = bench_file_size(in->path);
    fimbit_read_options options;
    fimbit_read_options_init(&options);
    options.format = in->format;
    options.threads = (int)bench_range(state, 0);
    const char *paths[] = {in->path};
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
    for (size_t i = 0; i < sizeof inputs / sizeof *inputs; i++) {
        parse_input *in = &inputs[i];
        if (in->generated_named < 0 && !bench_dataset_path(in->name, in->path, sizeof in->path))
            continue;
        char name[160];
        snprintf(name, sizeof name, "parse/%s/%s",
                 in->format == FIMBIT_INPUT_FIMI ? "fimi" : "basket", in->name);
        bench_handle *handle = bench_register(name, bench_read, in);
        bench_arg_name(handle, "threads");
        bench_arg(handle, 1);
        bench_arg(handle, 2);
        bench_unit_ms(handle);
        bench_use_real_time(handle);
    }
}
