/*
 * The maximal itemsets one walk has reported so far, for the maximal target's
 * subset tests (FPmax's MFI-tree and MAFIA's progressive focusing, as a list
 * with bit masks): a candidate, or a whole branch (its itemset with every
 * item it may still add), that lies inside a set found before is not maximal,
 * and that is decided without reading the data.
 *
 * Progressive focusing: a node of the walk keeps the entries that hold its
 * itemset (a maximal_focus); its children test only those, and the entries
 * added while the node's own subtree is walked, which hold its itemset by
 * construction. Near the top, where a focus would be everything, an item's
 * chain (every entry holding it) serves instead when it is shorter.
 *
 * Not thread-safe: one walker (task) owns a repository.
 */
#ifndef FIMBIT_MAXIMAL_REPOSITORY_H
#define FIMBIT_MAXIMAL_REPOSITORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"

/* Mask words per entry: an item r sets bit r mod (64 * words), so the masks
 * are the sets themselves on data with at most 512 items (chess, mushroom,
 * BMS1); a query tests only its non-zero words. */
#define MAXIMAL_MASK_WORDS 8u

/* The entries holding one item, newest first, as the differences between
 * successive entry ids + 1 in little-endian base-128 numbers (a byte with its
 * top bit clear ends a number), read from the end backwards. Most gaps fit a
 * byte: about a byte an item occurrence, where entry ids with links cost
 * eight (chess 959 maximal: 1.6 MB of chains for 1.6 million occurrences).
 * Kept where the masks are exact too: on sparse branches (retail) a chain
 * is far shorter than the focus, and scanning the focus instead costs 17%
 * more instructions. An item in an eighth of the entries or more (once
 * there are a few hundred) loses its chain: it would take as many bytes as
 * a bit per entry, and the focus is then short enough to scan. */
typedef struct maximal_chain {
    uint8_t *bytes;
    uint32_t used;
    size_t room;
    uint32_t length; /* entries holding the item; UINT32_MAX: chain dropped */
    uint32_t newest; /* the newest entry's id + 1, 0 when none */
} maximal_chain;

typedef struct maximal_repository {
    uint32_t item_count;
    uint32_t mask_words; /* 1 .. MAXIMAL_MASK_WORDS */
    bool exact;          /* item_count <= 64 * mask_words: the masks are the sets */
    uint32_t count;
    uint64_t *masks;  /* mask_words a stored entry */
    size_t mask_room; /* words allocated in masks */
    /* Only where the masks are folded (not exact), to confirm a mask's hit:
     * entry e's items are items[starts[e] .. starts[e + 1]), ascending. */
    size_t *starts;
    size_t starts_room; /* entries starts[] has room for */
    size_t used, room;
    uint32_t *items;
    maximal_chain *chains; /* per item below init's item_count */
    uint32_t chain_count;  /* init's item_count */
    uint32_t *touched;     /* the items with a non-empty chain, for clear */
    uint32_t touched_count;
    uint32_t settled; /* entries [0, settled) are those the last cut kept */
} maximal_repository;

/* The entries holding a node's itemset: ids[0 .. size) and every entry from
 * `since` on. The root's focus {NULL, 0, 0} is every entry. */
typedef struct maximal_focus {
    const uint32_t *ids;
    uint32_t size;
    uint32_t since;
} maximal_focus;

/* @return false when memory is exhausted (the repository is then released). */
bool maximal_repository_init(maximal_repository *r, uint32_t item_count);
void maximal_repository_release(maximal_repository *r);
/* Forgets every entry; costs the items stored, not item_count. */
void maximal_repository_clear(maximal_repository *r);

/* Forgets every entry and takes items below item_count (at most init's) from
 * now on: a walk over few local ids gets exact masks from a repository sized
 * for every item. */
void maximal_repository_clear_for(maximal_repository *r, uint32_t item_count);

/* Keeps of every entry its items below item_count only, drops the entries
 * that another one then holds, and takes items below item_count from now on:
 * for a walk whose later queries ask only about those items (Eclat's after a
 * top-level branch), a repository of what they can still find. Every query
 * over items below item_count keeps its answer; entry ids change, so no
 * focus survives. A repository of folded masks is left as it is. `scratch`
 * holds the cut's columns for its length (restored before return).
 * @return false when memory is exhausted. */
bool maximal_repository_cut(maximal_repository *r, uint32_t item_count, arena *scratch);

/* Stores items[0 .. size) (distinct ranks, any order).
 * @return false when memory is exhausted. */
bool maximal_repository_add(maximal_repository *r, const uint32_t *items, uint32_t size);

/* A node's itemset is inherited[] (its parent's, which every entry of
 * `parent` holds) plus fresh[] (distinct from it).
 * @return true when an entry of the repository holds the whole itemset. */
bool maximal_repository_covers(const maximal_repository *r, const maximal_focus *parent,
                               const uint32_t *inherited, uint32_t inherited_count,
                               const uint32_t *fresh, uint32_t fresh_count);

/* Sets *out to the node's focus (as above), its ids in `scratch`.
 * @return false when the arena is exhausted. */
bool maximal_repository_narrow(const maximal_repository *r, const maximal_focus *parent,
                               const uint32_t *inherited, uint32_t inherited_count,
                               const uint32_t *fresh, uint32_t fresh_count, arena *scratch,
                               maximal_focus *out);

#endif /* FIMBIT_MAXIMAL_REPOSITORY_H */
