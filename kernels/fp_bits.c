/* Bit tables for FP-growth's small conditional databases: see fp_bits.h. */
#include "fp_bits.h"

#include <string.h>

#include "base/internal.h"

bool fp_bits_space_init(fp_bits_space *space, uint32_t max_items)
{
    size_t entries = (size_t)2 << max_items;
    /* Zeroed by calloc, which takes a new mapping's zero pages without
     * writing them: only the entries a thread's bases reach become resident,
     * not 512 KiB of weights per thread of the team before any work. */
    space->weight = fimbit__calloc(entries, sizeof *space->weight);
    space->list = fimbit__malloc_array(entries, sizeof *space->list);
    space->max_items = max_items;
    return space->weight != NULL && space->list != NULL;
}

void fp_bits_space_release(fp_bits_space *space)
{
    fimbit__free(space->weight);
    fimbit__free(space->list);
    space->weight = NULL;
    space->list = NULL;
}

/* A table over `items` bits at `base` in the space: the space after it, up
 * to 2^items entries on, is free for the tables below it. */
static void bits_table_at(fp_bits_space *space, size_t base, uint32_t items, fp_bits_table *table)
{
    table->weight = space->weight + base;
    table->list = space->list + base;
    table->items = items;
    memset(table->length, 0, sizeof table->length);
}

void fp_bits_start(fp_bits_space *space, uint32_t items, fp_bits_table *table)
{
    bits_table_at(space, 0, items, table);
}

/* Zeroes what is left in the table (after an early stop). */
static void bits_clear(fp_bits_table *table)
{
    for (uint32_t i = 0; i < table->items; i++) {
        const uint16_t *masks = table->list + (1u << i);
        for (uint32_t k = 0; k < table->length[i]; k++)
            table->weight[masks[k]] = 0;
        table->length[i] = 0;
    }
}

/* fp_bits_mine() on the table at `base`. */
static int bits_mine(fp_bits_space *space, size_t base, fp_bits_table *table,
                     const uint64_t *support, fp_bits_itemset *itemset);

/* Reports P ∪ {i} (P = the itemset so far) and what grows from it: the
 * masks listed under item i are its conditional base. */
static int bits_grow(fp_bits_space *space, size_t base, const fp_bits_table *table, uint32_t i,
                     uint64_t count, fp_bits_itemset *itemset)
{
    uint32_t size = itemset->prefix_size + 1;
    uint32_t max_size = itemset->max_size;
    itemset->prefix[size - 1] = itemset->rank[i];
    if (max_size && size == max_size) /* nothing larger is reported */
        return sink_emit_with_extensions(itemset->sink, itemset->prefix, size,
                                         itemset->extensions, itemset->extension_count, count);

    const uint16_t *masks = table->list + (1u << i);
    uint32_t length = table->length[i];
    uint32_t lower = (1u << i) - 1u;
    uint32_t extension_count = itemset->extension_count;
    if (length == 1) { /* one path: every item on it is a perfect extension */
        for (uint32_t x = masks[0] & lower; x; x &= x - 1u)
            itemset->extensions[extension_count++] = itemset->rank[__builtin_ctz(x)];
        return sink_emit_with_extensions(itemset->sink, itemset->prefix, size,
                                         itemset->extensions, extension_count, count);
    }
    /* Each item's count in the base, by bit. */
    uint64_t below[FP_BITS_MAX_ITEMS];
    memset(below, 0, (size_t)i * sizeof *below);
    /* Bounded by the list's length times i: at most 2^i * i. */
    for (uint32_t k = 0; k < length; k++) {
        uint32_t weight = table->weight[masks[k]];
        for (uint32_t x = masks[k] & lower; x; x &= x - 1u)
            below[__builtin_ctz(x)] += weight;
    }
    uint32_t keep = 0;
    for (uint32_t b = 0; b < i; b++) {
        if (below[b] == count)
            itemset->extensions[extension_count++] = itemset->rank[b];
        else if (below[b] >= itemset->min_count)
            keep |= 1u << b;
    }
    if (sink_emit_with_extensions(itemset->sink, itemset->prefix, size, itemset->extensions,
                                  extension_count, count))
        return 1;
    if (keep == 0)
        return 0;
    if ((keep & (keep - 1u)) == 0) { /* one item: its only itemset, directly */
        uint32_t b = (uint32_t)__builtin_ctz(keep);
        itemset->prefix[size] = itemset->rank[b];
        return sink_emit_with_extensions(itemset->sink, itemset->prefix, size + 1,
                                         itemset->extensions, extension_count, below[b]);
    }
    if (__builtin_popcount(keep) == 2) { /* two items: their three itemsets, directly */
        uint32_t low = (uint32_t)__builtin_ctz(keep), high = 31u - (uint32_t)__builtin_clz(keep);
        uint64_t both = 0;
        for (uint32_t k = 0; k < length; k++)
            if ((masks[k] & keep) == keep)
                both += table->weight[masks[k]];
        itemset->prefix[size] = itemset->rank[high];
        if (sink_emit_with_extensions(itemset->sink, itemset->prefix, size + 1,
                                      itemset->extensions, extension_count, below[high]))
            return 1;
        itemset->prefix[size + 1] = itemset->rank[low];
        if (both >= itemset->min_count && (!max_size || size + 2 <= max_size) &&
            sink_emit_with_extensions(itemset->sink, itemset->prefix, size + 2,
                                      itemset->extensions, extension_count, both))
            return 1;
        itemset->prefix[size] = itemset->rank[low];
        return sink_emit_with_extensions(itemset->sink, itemset->prefix, size + 1,
                                         itemset->extensions, extension_count, below[low]);
    }
    fp_bits_table child;
    size_t child_base = base + ((size_t)1 << table->items);
    bits_table_at(space, child_base, 32u - (uint32_t)__builtin_clz(keep), &child);
    for (uint32_t k = 0; k < length; k++)
        fp_bits_add(&child, masks[k] & keep, table->weight[masks[k]]);
    uint32_t saved_size = itemset->prefix_size, saved_extensions = itemset->extension_count;
    itemset->prefix_size = size;
    itemset->extension_count = extension_count;
    int stop = bits_mine(space, child_base, &child, below, itemset);
    itemset->prefix_size = saved_size;
    itemset->extension_count = saved_extensions;
    return stop;
}

static int bits_mine(fp_bits_space *space, size_t base, fp_bits_table *table,
                     const uint64_t *support, fp_bits_itemset *itemset)
{
    for (uint32_t i = table->items; i-- > 0;) {
        uint32_t length = table->length[i];
        if (length == 0)
            continue;
        if (bits_grow(space, base, table, i, support[i], itemset)) {
            bits_clear(table);
            return 1;
        }
        /* Item i is done: its baskets move down to their next item. */
        const uint16_t *masks = table->list + (1u << i);
        uint32_t rest = ~(1u << i);
        for (uint32_t k = 0; k < length; k++) {
            uint32_t mask = masks[k];
            uint32_t weight = table->weight[mask];
            table->weight[mask] = 0;
            fp_bits_add(table, mask & rest, weight);
        }
        table->length[i] = 0;
    }
    return 0;
}

int fp_bits_mine(fp_bits_space *space, fp_bits_table *table, const uint64_t *support,
                 fp_bits_itemset *itemset)
{
    return bits_mine(space, 0, table, support, itemset);
}
