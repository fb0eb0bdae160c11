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

typedef struct maximal_repository {
    uint32_t item_count;
    uint32_t mask_words; /* 1 .. MAXIMAL_MASK_WORDS */
    bool exact;          /* item_count <= 64 * mask_words */
    uint32_t count, capacity;
    uint64_t *masks;  /* mask_words a stored entry */
    size_t mask_room; /* words allocated in masks */
    size_t *starts;   /* entry e's items are items[starts[e] .. starts[e + 1]) */
    size_t used, room;
    uint32_t *items;  /* each entry's items, ascending */
    uint32_t *owner;  /* per stored item: its entry */
    uint32_t *next;   /* per stored item: the previous position of the same item */
    uint32_t *head;   /* per item: its newest position, UINT32_MAX when none */
    uint32_t *length; /* per item: how many entries hold it */
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
