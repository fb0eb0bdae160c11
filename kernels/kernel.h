/*
 * The one interface between the driver and the mining algorithms.
 *
 * A kernel sees frequent items only, recoded by frequency: rank 0 is the most
 * frequent item, rank item_count - 1 the least. It reads the baskets in
 * horizontal form (CSR, ranks ascending) and, when the driver built it, in
 * vertical form (one container per shard and item). It reports itemsets
 * through per-thread sinks and never parses, prints or calls malloc in its hot
 * loops: working memory comes from per-thread arenas.
 *
 * Every kernel must report exactly the same itemsets and counts for the same
 * input, whatever its thread count:
 *  - FIMBIT_TARGET_ALL: every itemset with count >= min_count;
 *  - FIMBIT_TARGET_CLOSED: those with no proper superset of the same count;
 *  - FIMBIT_TARGET_MAXIMAL: those with no frequent proper superset;
 * closedness and maximality are judged in the whole lattice, and only itemsets
 * of at most max_size items (0 = no limit) are reported. The sink applies the
 * minimum size, so kernels need not.
 */
#ifndef FIMBIT_KERNEL_H
#define FIMBIT_KERNEL_H

#include <stdbool.h>
#include <stdint.h>

#include "fimbit.h"
#include "containers.h"

/* Baskets per shard: a shard's basket index fits in a uint16_t. */
#define SHARD_BASKETS 65536u

/* Items up to which a projection keeps its ranks in bytes (tx_ranks8). */
#define KERNEL_RANKS8_ITEMS 256u

typedef struct kernel_data {
    uint32_t item_count;         /* frequent items: ranks 0 .. item_count - 1 */
    const uint64_t *item_support; /* by rank, non-increasing */

    /* Horizontal form: the baskets holding at least one frequent item. */
    uint64_t tx_count;
    const uint64_t *tx_offsets; /* tx_count + 1 entries */
    const uint32_t *tx_items;   /* ranks, strictly ascending inside a basket */
    /* Instead of tx_items (then NULL), for a projection of some baskets over
     * at most KERNEL_RANKS8_ITEMS items (subset_data.h): the same ranks in a
     * byte each. Only the readers of projections read it; the others see no
     * tx_items. */
    const uint8_t *tx_ranks8;

    /* Vertical form, or NULL when not built: basket tx is bit (tx % SHARD_BASKETS)
     * of shard tx / SHARD_BASKETS; the container of item r in shard s is
     * vertical[(size_t)r * shard_count + s], so an item's shards are adjacent. */
    uint32_t shard_count;
    const container *vertical;

    /* Optional (NULL when the data's owner keeps the horizontal form to the
     * end): a kernel that has read tx_offsets and tx_items for the last time
     * may call release_horizontal(horizontal_owner) once, giving their memory
     * back to the system before its own working memory grows; it reads
     * neither array after. The driver sets it for the recoding it makes. */
    void (*release_horizontal)(void *horizontal_owner);
    void *horizontal_owner;
} kernel_data;

/* Where kernels report itemsets: one sink per worker thread (see sink.h). */
typedef struct kernel_sink kernel_sink;
typedef struct kernel_output kernel_output;

/* The sink of worker thread `thread` (0 .. threads - 1). */
kernel_sink *kernel_output_sink(kernel_output *output, int thread);

/* Reports the itemset items[0 .. size) (ranks, any order, no duplicates) with
 * its basket count. @return 0 to go on, non-zero when mining must stop (the
 * consumer failed or asked to stop): the kernel then unwinds and returns. */
int sink_emit(kernel_sink *sink, const uint32_t *items, uint32_t size, uint64_t count);

/* Reports prefix ∪ S with `count` for every subset S of extensions[0 ..
 * extension_count) (S = ∅ included), within the size bounds: the way to report
 * an itemset together with its perfect extensions (items that occur in every
 * basket holding the prefix). @return as sink_emit(). */
int sink_emit_with_extensions(kernel_sink *sink, const uint32_t *prefix, uint32_t prefix_size,
                              const uint32_t *extensions, uint32_t extension_count,
                              uint64_t count);

/* True once any sink has asked to stop; kernels check it between branches. */
bool kernel_output_stopped(const kernel_output *output);

/* Counts one finished top-level branch for the progress reports: a relaxed
 * atomic add and a clock read, so once per top-level branch, never per
 * itemset. A progress callback that asks to stop stops the output as a sink
 * would. */
void kernel_output_branch_done(kernel_output *output);

typedef struct kernel_params {
    const kernel_data *data;
    uint64_t min_count; /* >= 1 */
    fimbit_target target;
    uint32_t max_size;  /* 0 = no limit */
    int threads;        /* >= 1: the OpenMP team size to use */
    kernel_output *output;
    /* NULL: mine everything. Else one byte per rank: the kernel mines only
     * the top-level branches of the ranks whose byte is non-zero, that is
     * exactly the itemsets whose greatest rank is such an item (every
     * itemset has one greatest rank, so disjoint masks split the result).
     * The data may then be part of a larger whole (an MPI rank's share): it
     * must hold every basket of the whole that holds a masked item, with all
     * its items, and item_support stays the whole's. For a masked item both
     * agree; for the others item_support is only an upper bound of the count
     * in these baskets, which kernels may use to prune, never as a count. */
    const uint8_t *top_level;
} kernel_params;

/* Each kernel returns FIMBIT_OK, FIMBIT_ENOMEM when an arena could not grow,
 * or FIMBIT_ECANCELED when a sink asked to stop. */
typedef fimbit_status (*kernel_fn)(const kernel_params *params);

fimbit_status fpgrowth_mine(const kernel_params *params);
fimbit_status eclat_mine(const kernel_params *params);

/* For tests: FP-growth mines the ALL target's conditional bases of at most
 * `items` items on bit tables (fp_bits.h) instead of conditional trees; 0
 * never, values above 16 mean 16, the default. Applies to the mining calls
 * started after it, in the whole process. */
void fpgrowth_set_bit_table_items(uint32_t items);

/* For tests: true makes FP-growth's maximal target walk every top-level
 * branch on its own, with witnesses (what it does on several threads or a
 * top-level mask), on one thread too; false (the default) lets the thread
 * count decide. Applies to the mining calls started after it. */
void fpgrowth__force_maximal_branches(bool on);

/* For tests: FP-growth's maximal walk takes the subtrees of nodes whose
 * bases keep at most `items` items (none above a branch's item) on tables
 * of subset supports instead of trees; 0 never, values above 8 mean 8, the
 * default. Applies to the mining calls started after it. */
void fpgrowth__set_maximal_bit_items(uint32_t items);

/* For tests: false makes FP-growth's maximal walk read each base's paths
 * from its tree again, as it does when they are too many to record while
 * counting the base; true, the default, records them. Applies to the
 * mining calls started after it. */
void fpgrowth__record_paths(bool on);

/* For tests: 1 makes Eclat's closed and maximal nodes with candidates mine
 * their subtrees over a projection of their baskets wherever they can (at
 * most SHARD_BASKETS of them), 0 never, -1 (the default) by the cost rule.
 * Not thread-safe: set it between runs. */
void eclat__force_projection(int mode);

/* Eclat's one-thread maximal walk cuts its repository to the items below
 * after a top-level branch once the entries' masks take this many bytes:
 * small repositories pay for a cut in instructions and save little memory.
 * Instructions against no cut, with it after every branch / from 64 KiB /
 * from 16 KiB: chess 1918 maximal +6.6 / +1.0 / +4.3%, mushroom 82 maximal
 * -9.2 / -5.0 / -10.1%, mushroom 406 maximal +1.9 / +0.4 / -0.4%. */
#define ECLAT_CUT_MIN_MASK_BYTES ((size_t)16 << 10)

/* For tests: the cut waits for `bytes` of masks instead (0: a cut after
 * every branch; skipped cuts make the next one drop several items at once).
 * Not thread-safe: set it between runs. */
void eclat__set_cut_min_mask_bytes(size_t bytes);

/* True when the kernel needs the vertical form (kernel_data.vertical). */
bool eclat_needs_vertical(const kernel_params *params);
bool fpgrowth_needs_vertical(const kernel_params *params);

#endif /* FIMBIT_KERNEL_H */
