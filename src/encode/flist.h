/*
 * The F-list stage: items below the support threshold are dropped for good and
 * the rest recoded by frequency rank (0 = most frequent), so that kernels see
 * small dense ids and short, canonically ordered baskets.
 */
#ifndef FIMBIT_FLIST_H
#define FIMBIT_FLIST_H

#include "base/internal.h"
#include "kernels/kernel.h"

typedef struct flist {
    uint32_t frequent_count;
    uint32_t *rank_to_item;   /* frequent_count entries: dataset item id by rank */
    uint64_t *rank_support;   /* frequent_count entries, non-increasing */
    uint64_t tx_count;        /* baskets holding a frequent item */
    /* Mapped arrays (fimbit__grow_mapped_array), so that releasing them
     * gives their pages back at once rather than to the allocator's cache. */
    uint64_t *tx_offsets;     /* tx_count + 1 */
    uint32_t *tx_items;       /* ranks, ascending inside a basket */
    size_t tx_offsets_room, tx_items_room;
} flist;

/* item_to_rank's mark for an item below the threshold. */
#define FLIST_NOT_FREQUENT UINT32_MAX

/* Ranks the frequent items of `dataset` at `min_count` (rank_to_item,
 * rank_support, frequent_count) without recoding the baskets (tx_* stay
 * empty). Items with a non-zero byte in `dropped` (NULL = none) count as
 * absent from every basket. Ties in support are broken by item id.
 * @return FIMBIT_OK or FIMBIT_ENOMEM. */
fimbit_status flist_rank_items(const fimbit_dataset *dataset, uint64_t min_count,
                               const uint8_t *dropped, flist *out, fimbit_error *error);

/* @return a new array (fimbit__free) mapping every item id of `dataset` to its
 * rank in `f`, FLIST_NOT_FREQUENT when not frequent; NULL when out of memory. */
uint32_t *flist_item_to_rank(const fimbit_dataset *dataset, const flist *f);

/* Builds the F-list and the recoded baskets of `dataset` at `min_count` with
 * `threads` threads, `dropped` as flist_rank_items(). Ties in support are broken by item id, so the recoding is
 * the same whatever the thread count. @return FIMBIT_OK or FIMBIT_ENOMEM. */
fimbit_status flist_build(const fimbit_dataset *dataset, uint64_t min_count,
                          const uint8_t *dropped, int threads, flist *out, fimbit_error *error);

/* Basket items flist_build recodes between two give-backs of a mined-once
 * dataset's pages: 64 KiB of narrow ids, small beside a dataset worth
 * giving back; more in a dataset so large that it would take more than
 * FLIST_RECODE_MAX_BLOCKS blocks. */
#define FLIST_RECODE_BLOCK_ITEMS ((uint64_t)32 << 10)
#define FLIST_RECODE_MAX_BLOCKS 32u

/* @return the basket items flist_build recodes of `dataset` between two
 * give-backs of its pages: more than all of them (one block) unless it is
 * mined once. */
uint64_t flist_recode_block_items(const fimbit_dataset *dataset);

/* For tests: the basket items flist_build recodes between two give-backs of
 * a dataset's pages, whatever the dataset (0: as flist_recode_block_items
 * says), so that small datasets take many. */
void flist__set_recode_block_items(uint64_t items);

void flist_free(flist *f);

/* Frees the recoded baskets (tx_*) of `f`, keeping its F-list. */
void flist_release_baskets(flist *f);

/* Points a kernel_data at the recoded baskets (the vertical form is left
 * out), letting the kernel release them early (kernel_data.release_horizontal). */
void flist_kernel_data(flist *f, kernel_data *data);

#endif /* FIMBIT_FLIST_H */
