/* The maximal sets found, as a prefix tree; see found_sets.h. */
#include <stdatomic.h>
#include <string.h>

#include "base/internal.h"
#include "found_sets.h"

/* The child table holds node ids only (4 bytes a slot) and compares the
 * key against the node itself: a u64_map (read/dict.h) would keep the key
 * in each 16-byte slot: 4 MB or more at retail-long 70's hundred thousand nodes.
 * Slots of the table at start: a power of two. */
#define FOUND_FIRST_SLOTS 1024u

static _Atomic uint32_t first_slots = FOUND_FIRST_SLOTS;

void found_sets__set_first_slots(uint32_t slots)
{
    atomic_store(&first_slots, slots >= 4u ? slots : FOUND_FIRST_SLOTS);
}

/* The nodes and the child table are mapped arrays (base/internal.h), grown
 * in place: a new block for each doubling left the old ones resident in the
 * allocator, as the walk's late branches find most of the sets
 * (retail-long 70 maximal: 1.4 MB more peak RSS). */

bool found_sets_init(found_sets *sets, uint32_t item_count)
{
    memset(sets, 0, sizeof *sets);
    size_t n = item_count ? item_count : 1;
    sets->item_count = item_count;
    sets->keep_below = sets->compacted_below = item_count;
    uint32_t slots = atomic_load(&first_slots);
    sets->head = fimbit__calloc(n, sizeof *sets->head);
    sets->tail = fimbit__calloc(n, sizeof *sets->tail);
    sets->last = fimbit__malloc_array(n, sizeof *sets->last);
    if (!sets->head || !sets->tail || !sets->last ||
        !fimbit__grow_mapped_array((void **)&sets->slot, &sets->slot_room, slots,
                                   sizeof *sets->slot) ||
        !fimbit__grow_mapped_array((void **)&sets->node, &sets->node_room, 1, sizeof *sets->node)) {
        found_sets_release(sets);
        return false;
    }
    memset(sets->slot, 0, slots * sizeof *sets->slot);
    sets->slot_mask = slots - 1u;
    sets->node[0] = (found_node){UINT32_MAX, 0, 0};
    sets->node_count = 1;
    return true;
}

void found_sets_release(found_sets *sets)
{
    fimbit__free_mapped_array(sets->node, sets->node_room, sizeof *sets->node);
    fimbit__free(sets->head);
    fimbit__free(sets->tail);
    fimbit__free_mapped_array(sets->slot, sets->slot_room, sizeof *sets->slot);
    fimbit__free(sets->last);
    memset(sets, 0, sizeof *sets);
}

static uint32_t child_slot(uint32_t parent, uint32_t item, uint32_t mask)
{
    uint64_t key = ((uint64_t)parent << 32 | item) * 0x9e3779b97f4a7c15u;
    return (uint32_t)(key >> 32) & mask;
}

/* Enters every node in an empty child table of slot_mask + 1 slots. */
static void fill_slots(found_sets *sets)
{
    uint32_t *slot = sets->slot, mask = sets->slot_mask;
    memset(slot, 0, ((size_t)mask + 1u) * sizeof *slot);
    for (uint32_t n = 1; n < sets->node_count; n++) {
        uint32_t s = child_slot(sets->node[n].parent, sets->node[n].item, mask);
        while (slot[s])
            s = (s + 1u) & mask;
        slot[s] = n;
    }
}

/* Doubles the child table, keeping it at most half full: every node is
 * entered again from the nodes themselves, which hold the keys, so the
 * table grows in place. @return false without memory. */
static bool grow_slots(found_sets *sets)
{
    uint32_t mask = sets->slot_mask * 2u + 1u;
    if (!fimbit__grow_mapped_array((void **)&sets->slot, &sets->slot_room, (size_t)mask + 1u,
                                   sizeof *sets->slot))
        return false;
    sets->slot_mask = mask;
    fill_slots(sets);
    return true;
}

void found_sets_keep_below(found_sets *sets, uint32_t item)
{
    if (item < sets->keep_below)
        sets->keep_below = item;
}

/* Keeps only the nodes of items below keep_below, in their order, so that
 * every chain keeps its order; a node's parent, of a smaller item, stays
 * with it. The child table, at most half full, first maps each node's old
 * id to its new one, then is filled again. The pages past the nodes kept go
 * back to the system. */
static void cut_nodes(found_sets *sets)
{
    uint32_t below = sets->keep_below, *new_id = sets->slot, kept = 1;
    for (uint32_t r = 0; r < sets->item_count; r++)
        sets->head[r] = 0;
    for (uint32_t n = 1; n < sets->node_count; n++) {
        found_node at = sets->node[n];
        if (at.item >= below)
            continue;
        new_id[n] = kept;
        sets->node[kept] = (found_node){at.item, at.parent ? new_id[at.parent] : 0, 0};
        if (sets->head[at.item])
            sets->node[sets->tail[at.item]].next = kept;
        else
            sets->head[at.item] = kept;
        sets->tail[at.item] = kept;
        kept++;
    }
    sets->node_count = kept;
    sets->compacted_below = below;
    sets->last_size = 0;
    fill_slots(sets);
    fimbit__release_mapped_array_after(sets->node, kept, sets->node_room, sizeof *sets->node);
}

/* @return the child of `parent` for `item`, made when missing, or 0
 * without memory. */
static uint32_t child(found_sets *sets, uint32_t parent, uint32_t item)
{
    uint32_t s = child_slot(parent, item, sets->slot_mask);
    /* Bounded by the run of taken slots: the table is at most half full. */
    for (uint32_t n; (n = sets->slot[s]) != 0; s = (s + 1u) & sets->slot_mask)
        if (sets->node[n].parent == parent && sets->node[n].item == item)
            return n;
    uint32_t n = sets->node_count;
    if (n == UINT32_MAX || !fimbit__grow_mapped_array((void **)&sets->node, &sets->node_room,
                                                      (size_t)n + 1u, sizeof *sets->node))
        return 0;
    sets->node[n] = (found_node){item, parent, 0};
    if (sets->head[item])
        sets->node[sets->tail[item]].next = n;
    else
        sets->head[item] = n;
    sets->tail[item] = n;
    sets->node_count = n + 1u;
    sets->slot[s] = n;
    if ((uint64_t)sets->node_count * 2u > sets->slot_mask && !grow_slots(sets))
        return 0;
    return n;
}

bool found_sets_add(found_sets *sets, const uint32_t *items, uint32_t size)
{
    /* The table would grow: the nodes no longer needed go first. A cut that
     * frees less than an eighth grows the table too, so that the cuts
     * between two growths pay for themselves in nodes added. */
    if (((uint64_t)sets->node_count + size) * 2u > sets->slot_mask &&
        sets->keep_below < sets->compacted_below) {
        uint32_t before = sets->node_count;
        cut_nodes(sets);
        if (sets->node_count > before - before / 8u && !grow_slots(sets))
            return false;
    }
    uint32_t shared = 0;
    while (shared < size && shared < sets->last_size &&
           sets->node[sets->last[shared]].item == items[shared])
        shared++;
    uint32_t at = shared ? sets->last[shared - 1] : 0;
    sets->last_size = 0; /* until the new path is whole */
    for (uint32_t i = shared; i < size; i++) {
        if ((at = child(sets, at, items[i])) == 0)
            return false;
        sets->last[i] = at;
    }
    sets->last_size = size;
    return true;
}

uint32_t found_sets_project(const found_sets *sets, uint32_t node, const uint32_t *key,
                            uint32_t *keys)
{
    uint32_t n = 0;
    /* Bounded by the node's depth: the set's items below the node's. */
    for (uint32_t a = sets->node[node].parent; a; a = sets->node[a].parent)
        if (key[sets->node[a].item] != UINT32_MAX)
            keys[n++] = key[sets->node[a].item];
    return n;
}
