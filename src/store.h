/*
 * The itemset store: the fimbit_itemsets result. Sinks flush records into it
 * from worker threads (one list of chunks per thread, no lock); once mining is
 * done, store_finish() builds the index that fimbit_itemsets_get() and the
 * rule generator's subset-support look-ups use.
 *
 * OWNED BY THE STORE/RULES/OUTPUT WORK; the driver (mine.c) uses these calls.
 */
#ifndef FIMBIT_STORE_H
#define FIMBIT_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "internal.h"

/* An empty store for `threads` workers. Records arrive with item ranks, which
 * rank_to_item (valid until store_finish returns) turns into item ids.
 * @return NULL when memory is exhausted. */
fimbit_itemsets *store_create(const fimbit_dataset *dataset, const uint32_t *rank_to_item,
                              int threads);

/* A sink_flush_fn: appends the records of thread `thread`. `context` is the
 * store. @return non-zero when memory is exhausted. */
int store_flush(void *context, int thread, const uint32_t *records, size_t words);

/* Ends the filling: indexes every itemset. @return FIMBIT_OK or FIMBIT_ENOMEM
 * (also when a flush ran out of memory). */
fimbit_status store_finish(fimbit_itemsets *itemsets, fimbit_error *error);

/* The count of the itemset items[0 .. size) (item ids, any order), or 0 when
 * the store does not hold it. For the rule generator. */
uint64_t store_lookup(const fimbit_itemsets *itemsets, const uint32_t *items, uint32_t size);

#endif /* FIMBIT_STORE_H */
