/*
 * Items ordered by the work they are estimated to cost, largest first: big
 * tasks start early and small ones fill the gaps at the end (longest
 * processing time first). Ties go to the lower item, so every run and every
 * rank sees the same order.
 */
#ifndef FIMBIT_WORK_ORDER_H
#define FIMBIT_WORK_ORDER_H

#include <stdint.h>

typedef struct work_item {
    uint64_t work;
    uint32_t item;
} work_item;

/* A qsort comparator of work_item: work descending, then item ascending. */
static inline int work_item_descending(const void *a, const void *b)
{
    const work_item *x = a, *y = b;
    if (x->work != y->work)
        return x->work > y->work ? -1 : 1;
    return (x->item > y->item) - (x->item < y->item);
}

#endif
