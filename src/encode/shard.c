/*
 * Builds the vertical form: per shard of SHARD_BASKETS baskets and per item, a
 * bitmap when the item is dense in the shard and a sorted uint16_t array
 * otherwise (see kernels/containers.h).
 *
 * Each shard is built by one thread, in two passes over its baskets: the first
 * counts every item's occurrences (which fixes each container's kind and
 * size), the second fills them. A shard's containers live in one block that
 * the building thread allocates and first-touches, so on a NUMA machine the
 * pages land on that thread's node.
 */
#include <string.h>

#include <omp.h>

#include "base/internal.h"
#include "shard.h"
#include "base/topology.h"

/* Bitmaps start on a cache line, so that a bitmap AND streams whole lines. */
#define SHARD_ALIGN 64u

struct shard_vertical {
    uint32_t shard_count;
    container *vertical;     /* item_count * shard_count containers */
    void **blocks;           /* per shard: the block its containers point into */
    uint32_t *counters;      /* per thread: 2 * item_count counters */
};

void shard_vertical_free(shard_vertical *owner)
{
    if (!owner)
        return;
    if (owner->blocks)
        for (uint32_t s = 0; s < owner->shard_count; s++)
            fimbit__free(owner->blocks[s]);
    fimbit__free(owner->blocks);
    fimbit__free(owner->vertical);
    fimbit__free(owner->counters);
    fimbit__free(owner);
}

static size_t align_up(size_t size, size_t alignment)
{
    return (size + alignment - 1) & ~(alignment - 1);
}

/* Builds shard `s`: counts, lays out and fills its containers. `counts` and
 * `cursor` are this thread's item_count counters. @return false when memory is
 * exhausted. */
static bool shard_build_one(const kernel_data *data, shard_vertical *owner, uint32_t s,
                            uint32_t *counts, uint32_t *cursor)
{
    uint32_t items = data->item_count, shards = owner->shard_count;
    uint64_t first = (uint64_t)s * SHARD_BASKETS;
    uint64_t end = first + SHARD_BASKETS < data->tx_count ? first + SHARD_BASKETS : data->tx_count;
    uint32_t baskets = (uint32_t)(end - first);
    uint16_t words = container_words_for(baskets);
    const uint64_t *offsets = data->tx_offsets;
    const uint32_t *tx_items = data->tx_items;

    memset(counts, 0, (size_t)items * sizeof *counts);
    for (uint64_t k = offsets[first]; k < offsets[end]; k++)
        counts[tx_items[k]]++;

    /* Layout: every bitmap first (each a whole number of cache lines), then
     * the arrays back to back. */
    size_t bitmap_bytes = (size_t)words * sizeof(uint64_t);
    size_t bitmap_stride = align_up(bitmap_bytes, SHARD_ALIGN);
    size_t bitmaps = 0, array_entries = 0;
    for (uint32_t r = 0; r < items; r++) {
        if (counts[r] == 0)
            continue;
        if (container_prefers_array(counts[r], words))
            array_entries += counts[r];
        else
            bitmaps++;
    }
    size_t total = bitmaps * bitmap_stride + array_entries * sizeof(uint16_t);
    unsigned char *block = fimbit__malloc(total + SHARD_ALIGN);
    if (!block)
        return false;
    owner->blocks[s] = block;
    unsigned char *base = (unsigned char *)align_up((size_t)(uintptr_t)block, SHARD_ALIGN);
    /* First touch by this thread: bitmaps must start zeroed anyway. */
    memset(base, 0, bitmaps * bitmap_stride);
    uint64_t *next_bitmap = (uint64_t *)base;
    uint16_t *next_array = (uint16_t *)(base + bitmaps * bitmap_stride);

    for (uint32_t r = 0; r < items; r++) {
        container *c = (container *)&owner->vertical[(size_t)r * shards + s];
        c->cardinality = counts[r];
        c->words = words;
        cursor[r] = 0;
        if (counts[r] == 0) {
            c->kind = CONTAINER_ARRAY;
            c->u.array = NULL;
        } else if (container_prefers_array(counts[r], words)) {
            c->kind = CONTAINER_ARRAY;
            c->u.array = next_array;
            next_array += counts[r];
        } else {
            c->kind = CONTAINER_BITMAP;
            c->u.bits = next_bitmap;
            next_bitmap += bitmap_stride / sizeof(uint64_t);
        }
    }

    /* Fill: baskets in order, so every array comes out sorted. */
    for (uint64_t t = first; t < end; t++) {
        uint32_t index = (uint32_t)(t - first);
        for (uint64_t k = offsets[t]; k < offsets[t + 1]; k++) {
            uint32_t r = tx_items[k];
            container *c = &owner->vertical[(size_t)r * shards + s];
            if (c->kind == CONTAINER_BITMAP)
                ((uint64_t *)c->u.bits)[index >> 6] |= (uint64_t)1 << (index & 63u);
            else
                ((uint16_t *)c->u.array)[cursor[r]++] = (uint16_t)index;
        }
    }
    return true;
}

fimbit_status shard_build_vertical(kernel_data *data, int threads, shard_vertical **owner_out)
{
    *owner_out = NULL;
    shard_vertical *owner = fimbit__calloc(1, sizeof *owner);
    if (!owner)
        return FIMBIT_ENOMEM;
    uint64_t shard_count = (data->tx_count + SHARD_BASKETS - 1) / SHARD_BASKETS;
    if (shard_count > UINT32_MAX) {
        fimbit__free(owner);
        return FIMBIT_ENOMEM;
    }
    owner->shard_count = (uint32_t)shard_count;
    if (threads < 1)
        threads = 1;
    if ((uint64_t)threads > shard_count)
        threads = shard_count ? (int)shard_count : 1;

    size_t containers = (size_t)data->item_count * owner->shard_count;
    owner->vertical = fimbit__malloc_array(containers ? containers : 1, sizeof(container));
    owner->blocks = fimbit__calloc(owner->shard_count ? owner->shard_count : 1, sizeof(void *));
    owner->counters = fimbit__malloc_array((size_t)threads * 2u,
                                           (size_t)(data->item_count ? data->item_count : 1) *
                                               sizeof(uint32_t));
    if (!owner->vertical || !owner->blocks || !owner->counters) {
        shard_vertical_free(owner);
        return FIMBIT_ENOMEM;
    }

    int failed = 0;
    uint32_t shards = owner->shard_count;
    /* Each thread binds itself first (topology.h), so that the shards it
     * builds are first-touched, hence placed, on its NUMA node. The mining
     * tasks that read a shard run on any thread, so no node reads one shard
     * most: spreading the shards over the nodes, as the threads are spread,
     * is the placement that serves them all. One shard per iteration, handed
     * out dynamically: the last shard may be short and baskets vary in
     * length. */
#pragma omp parallel num_threads(threads) reduction(| : failed)
    {
        topology_bind_thread();
        uint32_t *counts = owner->counters + (size_t)omp_get_thread_num() * 2u * data->item_count;
#pragma omp for schedule(dynamic, 1)
        for (uint32_t s = 0; s < shards; s++)
            if (!shard_build_one(data, owner, s, counts, counts + data->item_count))
                failed = 1;
    }
    /* The counters were only needed while building. */
    fimbit__free(owner->counters);
    owner->counters = NULL;
    if (failed) {
        shard_vertical_free(owner);
        return FIMBIT_ENOMEM;
    }
    data->shard_count = owner->shard_count;
    data->vertical = owner->vertical;
    *owner_out = owner;
    return FIMBIT_OK;
}
