/* Building the occurrence index: count, place, fill, in parallel over basket ranges. */
#include <stdbool.h>
#include <string.h>

#include <omp.h>

#include "read/dataset.h"
#include "occurrences.h"

/* Baskets lo .. hi of part `part` out of `parts`. */
static void part_range(uint64_t baskets, int parts, int part, uint64_t *lo, uint64_t *hi)
{
    *lo = baskets * (uint64_t)part / (uint64_t)parts;
    *hi = baskets * (uint64_t)(part + 1) / (uint64_t)parts;
}

/* Counts each rank's occurrences in baskets lo .. hi into tally[rank];
 * @return their sum. Ordered baskets are read only up to their last frequent
 * item. */
static uint64_t count_part(const fimbit_dataset *d, const uint32_t *item_to_rank, uint32_t n,
                           uint64_t lo, uint64_t hi, uint64_t *tally)
{
    uint64_t total = 0;
    for (uint64_t b = lo; b < hi; b++) {
        uint64_t end = d->basket_offsets[b + 1];
        for (uint64_t k = d->basket_offsets[b]; k < end; k++) {
            uint32_t rank = item_to_rank[dataset_item(d, k)];
            if (rank < n) {
                tally[rank]++;
                total++;
            } else if (d->baskets_ordered) {
                break;
            }
        }
    }
    return total;
}

/* Writes the ranks of baskets lo .. hi from ranks[at] on, and each
 * occurrence to places[next[rank]++]. `buffer` holds the longest basket. */
static void fill_part(const fimbit_dataset *d, const uint32_t *item_to_rank, uint32_t n,
                      uint64_t lo, uint64_t hi, uint32_t *buffer, uint64_t at,
                      occurrence_index *index, uint64_t *next)
{
    for (uint64_t b = lo; b < hi; b++) {
        uint32_t count = dataset_basket_ranks(d, item_to_rank, n, b, buffer);
        uint32_t begin = (uint32_t)at;
        for (uint32_t x = 0; x < count; x++) {
            index->ranks[at] = (uint16_t)buffer[x];
            index->places[next[buffer[x]]++] = (occurrence){begin, (uint32_t)at};
            at++;
        }
    }
}

fimbit_status occurrence_index_build(const fimbit_dataset *d, const uint32_t *item_to_rank,
                                     uint32_t n, int threads, occurrence_index *out)
{
    memset(out, 0, sizeof *out);
    int parts = threads > 0 ? threads : 1;
    /* next[p * n + r]: where part p places its next occurrence of rank r. */
    uint64_t *next = fimbit__calloc((size_t)parts * n, sizeof *next);
    uint64_t *part_start = fimbit__calloc((size_t)parts + 1, sizeof *part_start);
    out->start = fimbit__malloc_array((size_t)n + 1, sizeof *out->start);
    if (!next || !part_start || !out->start)
        goto fail;
    uint64_t baskets = d->basket_count;
    #pragma omp parallel for schedule(static, 1) num_threads(parts)
    for (int p = 0; p < parts; p++) {
        uint64_t lo, hi;
        part_range(baskets, parts, p, &lo, &hi);
        part_start[p + 1] = count_part(d, item_to_rank, n, lo, hi, next + (size_t)p * n);
    }
    for (int p = 0; p < parts; p++)
        part_start[p + 1] += part_start[p];
    /* Rank by rank, the parts in basket order: every list comes out in basket order. */
    uint64_t total = 0;
    for (uint32_t r = 0; r < n; r++) {
        out->start[r] = total;
        for (int p = 0; p < parts; p++) {
            uint64_t count = next[(size_t)p * n + r];
            next[(size_t)p * n + r] = total;
            total += count;
        }
    }
    out->start[n] = total;
    out->ranks = fimbit__malloc_array(total ? total : 1, sizeof *out->ranks);
    out->places = fimbit__malloc_array(total ? total : 1, sizeof *out->places);
    if (!out->ranks || !out->places)
        goto fail;
    bool failed = false;
    #pragma omp parallel for schedule(static, 1) num_threads(parts)
    for (int p = 0; p < parts; p++) {
        uint64_t lo, hi;
        part_range(baskets, parts, p, &lo, &hi);
        uint32_t *buffer = fimbit__malloc_array(d->stats.max_basket_size + 1, sizeof *buffer);
        if (buffer) {
            fill_part(d, item_to_rank, n, lo, hi, buffer, part_start[p], out,
                      next + (size_t)p * n);
        } else {
            #pragma omp atomic write
            failed = true;
        }
        fimbit__free(buffer);
    }
    if (failed)
        goto fail;
    fimbit__free(next);
    fimbit__free(part_start);
    out->item_count = n;
    return FIMBIT_OK;
fail:
    fimbit__free(next);
    fimbit__free(part_start);
    occurrence_index_free(out);
    return FIMBIT_ENOMEM;
}

void occurrence_index_free(occurrence_index *index)
{
    fimbit__free(index->ranks);
    fimbit__free(index->start);
    fimbit__free(index->places);
    memset(index, 0, sizeof *index);
}
