/*
 * The itemset store: the fimbit_itemsets result. Sinks flush records into it
 * from worker threads (one list of chunks per thread, no lock); once mining is
 * done, store_finish() builds the index that fimbit_itemsets_get() and the
 * rule generator's subset-support look-ups use.
 *
 * Layout. Records keep the sink format ([size][count lo][count hi][items...])
 * with ranks translated to item ids and the items sorted in natural item order
 * (dataset->natural_rank), so every itemset has one canonical spelling. They
 * live in per-thread chunks that never move once written, so the index is a
 * plain array of record pointers (8 bytes an itemset). The hash table that
 * answers look-ups is built only when asked for (store_prepare_lookup, which
 * the rule generator calls): an open-addressing array of uint32_t positions
 * into the index (4 to 8 bytes an itemset), filled in parallel. Sorting
 * permutes the index (and refills the table when there is one); records are
 * never copied.
 */
#ifndef FIMBIT_STORE_H
#define FIMBIT_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/internal.h"

/* A block of records written by one thread; never reallocated. */
typedef struct store_chunk {
    struct store_chunk *next;
    size_t used;     /* words in use */
    size_t capacity; /* words available */
    uint32_t words[];
} store_chunk;

/* One thread's chunk list, padded to its own cache line. */
typedef struct store_thread {
    store_chunk *head;
    store_chunk *tail;
    size_t records;
    size_t next_capacity; /* words of the next chunk: grows geometrically */
    bool failed;          /* an allocation failed in store_flush */
    char padding[64 - 2 * sizeof(void *) - 2 * sizeof(size_t) - sizeof(bool)];
} store_thread;

struct fimbit_itemsets {
    const fimbit_dataset *dataset;
    const uint32_t *rank_to_item; /* only while filling */
    uint32_t *natural_to_item;    /* inverse of dataset->natural_rank; only while filling */
    int threads;
    store_thread *per_thread;

    /* Built by store_finish(). */
    const uint32_t **index; /* count record pointers, in the current order */
    size_t count;
    uint32_t *table;        /* table_mask + 1 slots: index positions, UINT32_MAX = empty */
    uint64_t table_mask;
    bool finished;
};

/* An empty store for `threads` workers. Records arrive with item ranks, which
 * rank_to_item (valid until store_finish returns) turns into item ids.
 * @return NULL when memory is exhausted. */
fimbit_itemsets *store_create(const fimbit_dataset *dataset, const uint32_t *rank_to_item,
                              int threads);

/* A sink_flush_fn: appends the records of thread `thread`. `context` is the
 * store. @return non-zero when memory is exhausted. */
int store_flush(void *context, int thread, const uint32_t *records, size_t words);

/* Ends the filling: indexes every itemset. @return FIMBIT_OK or FIMBIT_ENOMEM
 * (also when a flush ran out of memory); FIMBIT_ELIMIT beyond 2^32 - 2 itemsets. */
fimbit_status store_finish(fimbit_itemsets *itemsets, fimbit_error *error);

/* Builds the hash table for store_lookup() once (later calls do nothing).
 * Not thread-safe: call it before sharing the store among threads.
 * @return FIMBIT_OK or FIMBIT_ENOMEM. */
fimbit_status store_prepare_lookup(const fimbit_itemsets *itemsets, fimbit_error *error);

/* The count of the itemset items[0 .. size) (item ids, any order), or 0 when
 * the store does not hold it (or store_prepare_lookup was not called). For the
 * rule generator; safe from many threads at once. */
uint64_t store_lookup(const fimbit_itemsets *itemsets, const uint32_t *items, uint32_t size);

/* As store_lookup(), for items already in natural item order (ascending
 * natural_rank): skips the sort. */
uint64_t store_lookup_canonical(const fimbit_itemsets *itemsets, const uint32_t *items,
                                uint32_t size);

/* Record accessors for the rule generator and the writers. */
static inline uint32_t store_record_size(const uint32_t *record) { return record[0]; }
static inline uint64_t store_record_count(const uint32_t *record)
{
    return (uint64_t)record[1] | ((uint64_t)record[2] << 32);
}
static inline const uint32_t *store_record_items(const uint32_t *record) { return record + 3; }

/* Sorts items[0 .. size) (distinct ids) into natural item order. */
void store_sort_natural(const fimbit_dataset *dataset, uint32_t *items, uint32_t size);

#endif /* FIMBIT_STORE_H */
