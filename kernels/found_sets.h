/*
 * The maximal sets a walk has found, in ranks: what FP-growth's maximal walk
 * projects into a branch's repository (maximal_repository.h) when it starts
 * the branch of an item, since only the sets holding the item can hold an
 * itemset of the branch, and of those only the items of smaller rank can
 * be keys there.
 *
 * The sets are kept as a prefix tree over their items in ascending rank
 * order, with a chain through each item's nodes. A node of item r stands
 * for every set whose items of rank up to r are its path, and its ancestors
 * are the items those sets hold below r: what the branch of r needs of
 * them, once however many sets share it. Found sets share these paths a
 * lot, the more so as FP-growth's walk stores them without the item of
 * their branch, which no branch to come asks for (retail-long 70: 3.8
 * million item occurrences, a hundred thousand nodes).
 *
 * Not thread-safe: one walker owns it.
 */
#ifndef FIMBIT_FOUND_SETS_H
#define FIMBIT_FOUND_SETS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A node of the prefix tree; node 0 is the root. */
typedef struct found_node {
    uint32_t item;   /* rank */
    uint32_t parent; /* 0 is the root */
    uint32_t next;   /* the item's next node, in creation order; 0 = end */
} found_node;

typedef struct found_sets {
    found_node *node;
    uint32_t node_count; /* root included */
    size_t node_room;
    uint32_t *head; /* by rank: the item's first node, 0 = none */
    uint32_t *tail; /* by rank: the item's last node */
    /* Open addressing over (parent, item): a node's id, 0 = empty slot. */
    uint32_t *slot;
    uint32_t slot_mask; /* slots - 1, a power of two */
    size_t slot_room;
    /* The nodes of the set added last, by depth: a set found next to it in
     * the walk often shares its first items (40% of them on retail-long). */
    uint32_t *last;
    uint32_t last_size;
    uint32_t item_count;
    uint32_t keep_below;      /* found_sets_keep_below's bound, item_count at first */
    uint32_t compacted_below; /* the bound the nodes were last cut to */
} found_sets;

/* @return false when memory is exhausted (nothing is then held). */
bool found_sets_init(found_sets *sets, uint32_t item_count);
void found_sets_release(found_sets *sets);

/* Adds items[0 .. size) (distinct ranks below item_count, ascending).
 * @return false when memory is exhausted. */
bool found_sets_add(found_sets *sets, const uint32_t *items, uint32_t size);

/* No item from `item` on will be asked for again (found_sets_first) nor
 * added: their nodes, and with them every node below, can go. They go when
 * the child table would have to grow for the sets added next, so that it
 * holds the nodes still needed rather than all (retail-long 70 maximal: at
 * most 55 k of 105 k nodes). Node ids then change: a node from
 * found_sets_first or found_sets_next is valid until the next add. */
void found_sets_keep_below(found_sets *sets, uint32_t item);

/* For tests: found_sets_init starts the child table at `slots` slots (a
 * power of two from 4 on; 0: the default), so that small walks grow and cut
 * it. Applies to the sets made after it. */
void found_sets__set_first_slots(uint32_t slots);

/* The first node of `item`'s chain (0 when no set holds it), and the node
 * after `node` in its chain (0 at the end). */
static inline uint32_t found_sets_first(const found_sets *sets, uint32_t item)
{
    return sets->head[item];
}

static inline uint32_t found_sets_next(const found_sets *sets, uint32_t node)
{
    return sets->node[node].next;
}

/* Writes key[x] for every item x above `node` on its path whose key is not
 * UINT32_MAX to keys[]: a set's items of smaller rank than the node's,
 * translated. @return how many. */
uint32_t found_sets_project(const found_sets *sets, uint32_t node, const uint32_t *key,
                            uint32_t *keys);

#endif /* FIMBIT_FOUND_SETS_H */
