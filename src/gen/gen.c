/*
 * The synthetic basket generator: the IBM Quest model of Agrawal and Srikant
 * ("Fast Algorithms for Mining Association Rules", VLDB 1994), described in
 * include/fimbit.h.
 *
 * Determinism whatever the thread count: the pattern table is drawn once, in
 * order, from the seed; the baskets are made in fixed blocks of
 * GEN_BLOCK_BASKETS, each with its own random stream derived from (seed, block
 * index) by a counter-based mix. A pattern carried over to "the next basket"
 * never crosses a block boundary. Threads format whole blocks into their own
 * buffers and write them in block order.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <omp.h>

#include "base/internal.h"
#include "write/format.h"
#include "write/output.h"
#include "base/sort_u32.h"
#include "orders.h"
#include "random.h"

/* Baskets per block: the unit of parallel work and of the random streams.
 * Changing it changes the bytes a seed gives. */
#define GEN_BLOCK_BASKETS 8192u
/* The most threads that get a formatting buffer. */
#define GEN_MAX_THREADS 256
/* Standard deviation of the per-pattern corruption level (the paper's 0.1). */
#define GEN_CORRUPTION_SD 0.1
/* Picks that add nothing (a pattern corrupted to nothing) before a basket is
 * closed as it is: only reachable with corruption levels near 1. */
#define GEN_MAX_FUTILE_PICKS 64

/* ---------------------------------------------------------- pattern table */

typedef struct pattern_table {
    uint32_t count;
    uint32_t largest;        /* the most items of one pattern */
    uint64_t *offsets;       /* count + 1 entries into items */
    uint32_t *items;         /* distinct inside a pattern */
    /* Walker's alias method picks a pattern by weight in O(1): draw a slot
     * uniformly, keep it with probability keep[slot], else take alias[slot]. */
    double *keep;
    uint32_t *alias;
    double *corruption;      /* per pattern, in [0, 1] */
} pattern_table;

static void pattern_table_free(pattern_table *t)
{
    fimbit__free(t->offsets);
    fimbit__free(t->items);
    fimbit__free(t->keep);
    fimbit__free(t->alias);
    fimbit__free(t->corruption);
    memset(t, 0, sizeof *t);
}

static bool pattern_has(const uint32_t *items, uint32_t size, uint32_t item)
{
    for (uint32_t i = 0; i < size; i++)
        if (items[i] == item)
            return true;
    return false;
}

/* Vose's construction of the alias table from the weights in t->keep (which
 * become the keep probabilities): slots under the mean weight are topped up
 * by one slot over it. Sequential and deterministic. */
static bool alias_table_build(pattern_table *t, double weight_sum)
{
    uint32_t n = t->count;
    uint32_t *small = fimbit__malloc_array(n, sizeof *small);
    uint32_t *large = fimbit__malloc_array(n, sizeof *large);
    if (!small || !large) {
        fimbit__free(small);
        fimbit__free(large);
        return false;
    }
    uint32_t small_count = 0, large_count = 0;
    for (uint32_t p = 0; p < n; p++) {
        t->keep[p] *= (double)n / weight_sum;
        t->alias[p] = p;
        if (t->keep[p] < 1.0)
            small[small_count++] = p;
        else
            large[large_count++] = p;
    }
    while (small_count > 0 && large_count > 0) {
        uint32_t under = small[--small_count], over = large[large_count - 1];
        t->alias[under] = over;
        t->keep[over] -= 1.0 - t->keep[under];
        if (t->keep[over] < 1.0) {
            large_count--;
            small[small_count++] = over;
        }
    }
    /* What is left is 1 up to rounding. */
    while (large_count > 0)
        t->keep[large[--large_count]] = 1.0;
    while (small_count > 0)
        t->keep[small[--small_count]] = 1.0;
    fimbit__free(small);
    fimbit__free(large);
    return true;
}

/* Draws the table: the paper's section 2.4.2. */
static fimbit_status pattern_table_build(const fimbit_generate_options *o, pattern_table *t)
{
    memset(t, 0, sizeof *t);
    gen_random r = random_stream(o->seed, UINT64_MAX);
    uint32_t n = o->patterns;
    t->count = n;
    t->offsets = fimbit__malloc_array((size_t)n + 1, sizeof *t->offsets);
    t->keep = fimbit__malloc_array(n, sizeof *t->keep);
    t->alias = fimbit__malloc_array(n, sizeof *t->alias);
    t->corruption = fimbit__malloc_array(n, sizeof *t->corruption);
    uint32_t *sizes = fimbit__malloc_array(n, sizeof *sizes);
    if (!t->offsets || !t->keep || !t->alias || !t->corruption || !sizes) {
        fimbit__free(sizes);
        return FIMBIT_ENOMEM;
    }
    double exp_minus_size = exp(-o->pattern_size);
    uint64_t total = 0;
    for (uint32_t p = 0; p < n; p++) {
        uint32_t size = random_poisson(&r, o->pattern_size, exp_minus_size);
        size = size < 1 ? 1 : size > o->items ? o->items : size;
        sizes[p] = size;
        total += size;
        if (size > t->largest)
            t->largest = size;
    }
    t->items = fimbit__malloc_array(total, sizeof *t->items);
    if (!t->items) {
        fimbit__free(sizes);
        return FIMBIT_ENOMEM;
    }

    double weight_sum = 0.0;
    t->offsets[0] = 0;
    for (uint32_t p = 0; p < n; p++) {
        uint32_t *items = t->items + t->offsets[p];
        uint32_t size = sizes[p], filled = 0;
        if (p > 0) {
            /* Correlation: a fraction of the items comes from the previous
             * pattern, picked without repetition (a partial shuffle of a copy
             * would do the same; picking by rejection keeps it simple). */
            const uint32_t *previous = t->items + t->offsets[p - 1];
            uint32_t previous_size = sizes[p - 1];
            double fraction = random_exponential(&r, o->correlation);
            uint32_t take = (uint32_t)fmin(floor(fraction * size + 0.5), (double)size);
            if (take > previous_size)
                take = previous_size;
            while (filled < take) {
                uint32_t item = previous[random_below(&r, previous_size)];
                if (!pattern_has(items, filled, item))
                    items[filled++] = item;
            }
        }
        while (filled < size) {
            uint32_t item = random_below(&r, o->items);
            if (!pattern_has(items, filled, item))
                items[filled++] = item;
        }
        t->offsets[p + 1] = t->offsets[p] + size;
        t->keep[p] = random_exponential(&r, 1.0); /* the weight, for now */
        weight_sum += t->keep[p];
        double level = random_normal(&r, o->corruption, GEN_CORRUPTION_SD);
        t->corruption[p] = level < 0.0 ? 0.0 : level > 1.0 ? 1.0 : level;
    }
    fimbit__free(sizes);
    return alias_table_build(t, weight_sum) ? FIMBIT_OK : FIMBIT_ENOMEM;
}

/* A pattern picked by weight. */
static inline uint32_t pattern_pick(const pattern_table *t, gen_random *r)
{
    uint32_t slot = random_below(r, t->count);
    return random_uniform(r) < t->keep[slot] ? slot : t->alias[slot];
}

/* ----------------------------------------------------------------- baskets */

/* One thread's working memory. */
typedef struct gen_worker {
    output_buffer text;
    uint32_t *basket;
    size_t basket_capacity;
    uint32_t *picked;       /* the pattern being added, after corruption */
    uint32_t *pending;      /* a pattern carried over to the next basket */
    uint32_t pending_size;
} gen_worker;

static void gen_worker_free(gen_worker *w)
{
    output_buffer_free(&w->text);
    fimbit__free(w->basket);
    fimbit__free(w->picked);
    fimbit__free(w->pending);
    memset(w, 0, sizeof *w);
}

typedef struct gen_job {
    const fimbit_generate_options *options;
    const pattern_table *patterns;
    double exp_minus_avg_size;
    uint64_t block_count;
} gen_job;

/* Adds items[0 .. size) to the worker's basket, skipping those already in it.
 * @return false when memory is exhausted. */
static bool basket_add(gen_worker *w, uint32_t *basket_size, const uint32_t *items,
                       uint32_t size)
{
    if (*basket_size + (size_t)size > w->basket_capacity) {
        size_t capacity = w->basket_capacity ? w->basket_capacity : 64;
        while (capacity < *basket_size + (size_t)size)
            capacity *= 2;
        uint32_t *bigger = fimbit__realloc_array(w->basket, capacity, sizeof *bigger);
        if (!bigger)
            return false;
        w->basket = bigger;
        w->basket_capacity = capacity;
    }
    for (uint32_t i = 0; i < size; i++)
        if (!pattern_has(w->basket, *basket_size, items[i]))
            w->basket[(*basket_size)++] = items[i];
    return true;
}

/* Copies a pattern to w->picked and corrupts it: an item goes while a uniform
 * draw stays below the pattern's corruption level. @return the size left. */
static uint32_t pattern_corrupt(const pattern_table *t, uint32_t p, gen_random *r,
                                gen_worker *w)
{
    uint32_t size = (uint32_t)(t->offsets[p + 1] - t->offsets[p]);
    memcpy(w->picked, t->items + t->offsets[p], size * sizeof *w->picked);
    double level = t->corruption[p];
    while (size > 0 && random_uniform(r) < level) {
        uint32_t drop = random_below(r, size);
        w->picked[drop] = w->picked[--size];
    }
    return size;
}

/* Fills the worker's basket: the paper's section 2.4.1. @return its size, or
 * UINT32_MAX when memory is exhausted. */
static uint32_t basket_fill(const gen_job *job, gen_random *r, gen_worker *w)
{
    const pattern_table *t = job->patterns;
    uint32_t target = random_poisson(r, job->options->avg_size, job->exp_minus_avg_size);
    if (target < 1)
        target = 1;
    uint32_t size = 0;
    if (w->pending_size > 0) {
        if (!basket_add(w, &size, w->pending, w->pending_size))
            return UINT32_MAX;
        w->pending_size = 0;
    }
    for (int futile = 0; size < target && futile < GEN_MAX_FUTILE_PICKS;) {
        uint32_t picked = pattern_corrupt(t, pattern_pick(t, r), r, w);
        if (picked == 0) {
            futile++;
            continue;
        }
        /* Too big for what is left: in the basket anyway half of the time,
         * else kept for the next basket, which closes this one. */
        if (size > 0 && size + picked > target && random_uniform(r) < 0.5) {
            memcpy(w->pending, w->picked, picked * sizeof *w->pending);
            w->pending_size = picked;
            break;
        }
        if (!basket_add(w, &size, w->picked, picked))
            return UINT32_MAX;
    }
    return size;
}

/* Formats basket `basket` (0-based); order lines draw their details from r. */
static bool basket_format(const gen_job *job, gen_worker *w, uint32_t size, uint64_t basket,
                          gen_random *r)
{
    const fimbit_generate_options *o = job->options;
    bool orders = o->format == FIMBIT_GENERATE_ORDERS;
    /* Bounds: 20 digits of a basket id, "item" and 10 digits, two separators. */
    size_t room = (size_t)size * (orders ? ORDERS_LINE_ROOM : 40) + 2;
    output_buffer *text = &w->text;
    if (text->length + room > text->capacity) {
        size_t capacity = text->capacity ? text->capacity : (size_t)1 << 16;
        while (capacity < text->length + room)
            capacity *= 2;
        char *bigger = fimbit__realloc_array(text->data, capacity, 1);
        if (!bigger)
            return false;
        text->data = bigger;
        text->capacity = capacity;
    }
    char *p = text->data + text->length;
    if (orders) {
        p = orders_format(p, w->basket, size, basket, o->baskets, o->named_items, r);
        text->length = (size_t)(p - text->data);
        return true;
    }
    uint64_t basket_id = basket + 1;
    for (uint32_t i = 0; i < size; i++) {
        if (o->format == FIMBIT_GENERATE_CSV_LONG) {
            p = output_format_u64(p, basket_id);
            *p++ = ',';
        } else if (i > 0) {
            *p++ = o->format == FIMBIT_GENERATE_FIMI ? ' ' : ',';
        }
        if (o->named_items) {
            memcpy(p, "item", 4);
            p += 4;
        }
        p = output_format_u64(p, w->basket[i]);
        if (o->format == FIMBIT_GENERATE_CSV_LONG)
            *p++ = '\n';
    }
    if (o->format != FIMBIT_GENERATE_CSV_LONG)
        *p++ = '\n';
    text->length = (size_t)(p - text->data);
    return true;
}

/* Makes and formats block `block` into w->text. */
static bool block_generate(const gen_job *job, uint64_t block, gen_worker *w)
{
    const fimbit_generate_options *o = job->options;
    gen_random r = random_stream(o->seed, block);
    uint64_t first = block * GEN_BLOCK_BASKETS;
    uint64_t last = first + GEN_BLOCK_BASKETS < o->baskets ? first + GEN_BLOCK_BASKETS
                                                           : o->baskets;
    w->text.length = 0;
    w->pending_size = 0;
    for (uint64_t b = first; b < last; b++) {
        uint32_t size = basket_fill(job, &r, w);
        if (size == UINT32_MAX)
            return false;
        sort_u32(w->basket, size);
        if (!basket_format(job, w, size, b, &r))
            return false;
    }
    return true;
}

/* Generates every block, in parallel, writing them in order (as the output
 * stage's writer does: one region, an ordered section per block). */
static fimbit_status generate_blocks(const gen_job *job, int threads, gen_worker *workers,
                                     output_target *target, fimbit_error *error)
{
    fimbit_status status = FIMBIT_OK;
    _Atomic int stop = 0;
    ptrdiff_t blocks = (ptrdiff_t)job->block_count;
#pragma omp parallel num_threads(threads) if (threads > 1)
    {
        gen_worker *own = &workers[omp_get_thread_num()];
#pragma omp for ordered schedule(static, 1)
        for (ptrdiff_t block = 0; block < blocks; block++) {
            bool made = !stop && block_generate(job, (uint64_t)block, own);
#pragma omp ordered
            {
                if (!stop) {
                    status = made ? output_write(target, own->text.data, own->text.length, error)
                                  : fimbit__fail(error, FIMBIT_ENOMEM,
                                                 "out of memory while generating baskets");
                    if (status != FIMBIT_OK)
                        stop = 1;
                }
            }
        }
    }
    return status;
}

void fimbit_generate_options_init(fimbit_generate_options *options)
{
    if (!options)
        return;
    memset(options, 0, sizeof *options);
    options->baskets = 100000;
    options->avg_size = 10.0;
    options->pattern_size = 4.0;
    options->patterns = 2000;
    options->items = 1000;
    options->correlation = 0.5;
    options->corruption = 0.5;
    options->seed = 1;
    options->format = FIMBIT_GENERATE_FIMI;
}

static fimbit_status check_options(const fimbit_generate_options *o, fimbit_error *error)
{
    if ((unsigned)o->format > FIMBIT_GENERATE_ORDERS)
        return fimbit__fail(error, FIMBIT_EINVAL, "unknown generator format %d", (int)o->format);
    if (o->named_items && o->format == FIMBIT_GENERATE_FIMI)
        return fimbit__fail(error, FIMBIT_EINVAL,
                            "named items need the basket or long CSV format, not FIMI");
    if (!(o->avg_size >= 0.0 && o->avg_size <= 1e6))
        return fimbit__fail(error, FIMBIT_EINVAL, "average basket size %g is not in [0, 1e6]",
                            o->avg_size);
    if (!(o->pattern_size > 0.0 && o->pattern_size <= 1e6))
        return fimbit__fail(error, FIMBIT_EINVAL, "average pattern size %g is not in (0, 1e6]",
                            o->pattern_size);
    if (o->patterns == 0 || o->items == 0)
        return fimbit__fail(error, FIMBIT_EINVAL, "the number of %s must be at least 1",
                            o->patterns == 0 ? "patterns" : "items");
    if (!(o->correlation >= 0.0 && o->correlation <= 1e6))
        return fimbit__fail(error, FIMBIT_EINVAL, "correlation %g is not in [0, 1e6]",
                            o->correlation);
    if (!(o->corruption >= 0.0 && o->corruption <= 1.0))
        return fimbit__fail(error, FIMBIT_EINVAL, "corruption %g is not in [0, 1]",
                            o->corruption);
    if (o->threads < 0)
        return fimbit__fail(error, FIMBIT_EINVAL, "thread count %d is negative", o->threads);
    return FIMBIT_OK;
}

fimbit_status fimbit_generate(const fimbit_generate_options *options, const char *path,
                              fimbit_error *error)
{
    fimbit_generate_options defaults;
    if (!options) {
        fimbit_generate_options_init(&defaults);
        options = &defaults;
    }
    fimbit_status status = check_options(options, error);
    if (status != FIMBIT_OK)
        return status;

    gen_job job = {.options = options, .exp_minus_avg_size = exp(-options->avg_size),
                   .block_count = (options->baskets + GEN_BLOCK_BASKETS - 1) / GEN_BLOCK_BASKETS};
    pattern_table patterns;
    if (pattern_table_build(options, &patterns) != FIMBIT_OK) {
        pattern_table_free(&patterns);
        return fimbit__fail(error, FIMBIT_ENOMEM, "out of memory drawing the patterns");
    }
    job.patterns = &patterns;

    int threads = fimbit__thread_count(options->threads);
    if (threads > GEN_MAX_THREADS)
        threads = GEN_MAX_THREADS;
    if ((uint64_t)threads > job.block_count)
        threads = job.block_count > 0 ? (int)job.block_count : 1;
    gen_worker *workers = fimbit__calloc((size_t)threads, sizeof *workers);
    bool ready = workers != NULL;
    for (int t = 0; ready && t < threads; t++) {
        workers[t].picked = fimbit__malloc_array(patterns.largest, sizeof *workers[t].picked);
        workers[t].pending = fimbit__malloc_array(patterns.largest, sizeof *workers[t].pending);
        ready = workers[t].picked && workers[t].pending;
    }

    output_target target;
    if (!ready)
        status = fimbit__fail(error, FIMBIT_ENOMEM, "out of memory starting the generator");
    else
        status = output_open(&target, path, error);
    if (status == FIMBIT_OK) {
        if (options->format == FIMBIT_GENERATE_CSV_LONG)
            status = output_write(&target, "basket_id,item\n", 15, error);
        else if (options->format == FIMBIT_GENERATE_ORDERS)
            status = output_write(&target, ORDERS_HEADER, strlen(ORDERS_HEADER), error);
        if (status == FIMBIT_OK)
            status = generate_blocks(&job, threads, workers, &target, error);
        if (status == FIMBIT_OK)
            status = output_commit(&target, error);
        else
            output_abort(&target);
    }
    for (int t = 0; workers && t < threads; t++)
        gen_worker_free(&workers[t]);
    fimbit__free(workers);
    pattern_table_free(&patterns);
    return status;
}
