/*
 * How fast is formatting itemsets, alone? The itemsets a kernel reports for
 * chess.dat at 1918 baskets (60%) and retail.dat at 10 baskets are recorded
 * once, in the order the kernel reported them, then formatted on one thread
 * into a buffer emptied every 256 KiB (no write calls):
 *  - plain: output_format_itemset(), every item of every itemset looked up
 *    and copied (what the stored-result writer does);
 *  - prefix: itemset_line_format(), the streamed writer's prefix-reusing
 *    formatter, which formats only what differs from the previous itemset.
 * bytes/s: output bytes per second on one core; items/s: itemsets.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_data.h"
#include "read/dataset.h"
#include "write/itemset_text.h"
#include "mine/mine.h"
#include "shim.h"

#define FORMAT_FLUSH_BYTES ((size_t)256 << 10)

/* A kernel's itemsets in reporting order: records [size][count][items...]
 * (count as two words), ranks as the kernel gave them. */
typedef struct recording {
    uint32_t *words;
    size_t used, capacity;
    size_t itemsets;
    uint32_t *rank_to_item; /* copied from the run */
    uint32_t rank_count;
} recording;

static int record_itemset(void *context, const uint32_t *items, uint32_t size,
                          uint32_t unchanged, uint64_t count)
{
    (void)unchanged;
    recording *r = context;
    size_t needed = 3 + (size_t)size;
    if (r->capacity - r->used < needed) {
        size_t capacity = r->capacity ? r->capacity * 2 : 1 << 20;
        while (capacity - r->used < needed)
            capacity *= 2;
        uint32_t *grown = realloc(r->words, capacity * sizeof *grown);
        if (grown == NULL)
            return 1;
        r->words = grown;
        r->capacity = capacity;
    }
    uint32_t *out = r->words + r->used;
    out[0] = size;
    out[1] = (uint32_t)count;
    out[2] = (uint32_t)(count >> 32);
    memcpy(out + 3, items, size * sizeof *items);
    r->used += needed;
    r->itemsets++;
    return 0;
}

static fimbit_status start_recording(void *user, const uint32_t *rank_to_item,
                                     uint32_t rank_count, int threads, sink_direct *direct,
                                     fimbit_error *error)
{
    (void)threads;
    (void)error;
    static void *contexts[1];
    recording *r = user;
    r->rank_to_item = malloc((rank_count ? rank_count : 1) * sizeof *r->rank_to_item);
    if (r->rank_to_item == NULL)
        return FIMBIT_ENOMEM;
    memcpy(r->rank_to_item, rank_to_item, rank_count * sizeof *rank_to_item);
    r->rank_count = rank_count;
    contexts[0] = r;
    *direct = (sink_direct){.emit = record_itemset, .thread_contexts = contexts};
    return FIMBIT_OK;
}

typedef struct format_case {
    const char *dataset;
    uint64_t min_count;
    fimbit_format format;
    bool prefix;
    recording recorded; /* made on first use */
    bool tried;
} format_case;

static const recording *case_recording(format_case *c)
{
    if (!c->tried) {
        c->tried = true;
        const fimbit_dataset *dataset = bench_dataset(c->dataset);
        if (dataset == NULL)
            return NULL;
        fimbit_mine_options options;
        fimbit_mine_options_init(&options);
        options.min_count = c->min_count;
        options.threads = 1;
        fimbit_error error;
        if (mine_itemsets_direct(dataset, &options, start_recording, &c->recorded, &error) !=
            FIMBIT_OK)
            return NULL;
    }
    return c->recorded.itemsets ? &c->recorded : NULL;
}

static void bench_format(bench_state *state, void *user)
{
    format_case *c = user;
    const recording *r = case_recording(c);
    const fimbit_dataset *dataset = bench_dataset(c->dataset);
    if (r == NULL || dataset == NULL) {
        bench_skip_with_error(state, "the dataset could not be read or mined");
        return;
    }
    output_names names;
    itemset_text text;
    itemset_line line;
    fimbit_error error;
    if (output_names_build(&names, dataset, c->format, &error) != FIMBIT_OK ||
        itemset_text_build(&text, &names, r->rank_to_item, r->rank_count,
                           dataset->basket_count, &error) != FIMBIT_OK ||
        itemset_line_init(&line, &text, &error) != FIMBIT_OK) {
        bench_skip_with_error(state, "out of memory");
        return;
    }
    uint32_t *ids = malloc((r->rank_count + 1) * sizeof *ids);
    output_buffer out = {0};
    int64_t bytes = 0;
    bool ok = ids != NULL;
    while (ok && bench_keep_running(state)) {
        for (size_t at = 0; at < r->used && ok;) {
            const uint32_t *record = r->words + at;
            uint32_t size = record[0];
            uint64_t count = (uint64_t)record[1] | ((uint64_t)record[2] << 32);
            const uint32_t *items = record + 3;
            if (c->prefix) {
                ok = itemset_line_format(&line, &out, items, size, 0, count);
            } else {
                for (uint32_t i = 0; i < size; i++)
                    ids[i] = r->rank_to_item[items[i]];
                ok = output_format_itemset(&out, &names, ids, size, count,
                                           dataset->basket_count);
            }
            if (out.length >= FORMAT_FLUSH_BYTES) {
                bytes += (int64_t)out.length;
                bench_do_not_optimize(out.data);
                out.length = 0;
            }
            at += 3 + (size_t)size;
        }
    }
    bytes += (int64_t)out.length;
    if (!ok)
        bench_skip_with_error(state, "out of memory while formatting");
    bench_set_bytes_processed(state, bytes);
    bench_set_items_processed(state, bench_iterations(state) * (int64_t)r->itemsets);
    free(ids);
    output_buffer_free(&out);
    itemset_line_free(&line);
    itemset_text_free(&text);
    output_names_free(&names);
}

BENCH_REGISTER(register_format_benchmarks)
{
    static const char *const format_names[] = {"text", "csv", "jsonl"};
    static const struct {
        const char *file, *label;
        uint64_t min_count;
    } workloads[] = {{"chess.dat", "chess:1918", 1918}, {"retail.dat", "retail:10", 10}};
    /* Each case keeps its own recording; mining happens on first use. */
    static format_case cases[2][3][2];
    for (size_t w = 0; w < 2; w++) {
        char path[4096];
        if (!bench_dataset_path(workloads[w].file, path, sizeof path))
            continue;
        for (int f = 0; f < 3; f++)
            for (int prefix = 0; prefix < 2; prefix++) {
                format_case *c = &cases[w][f][prefix];
                c->dataset = workloads[w].file;
                c->min_count = workloads[w].min_count;
                c->format = (fimbit_format)f;
                c->prefix = prefix;
                char name[128];
                snprintf(name, sizeof name, "format/%s/%s/%s", prefix ? "prefix" : "plain",
                         format_names[f], workloads[w].label);
                bench_unit_ms(bench_register(name, bench_format, c));
            }
    }
}
