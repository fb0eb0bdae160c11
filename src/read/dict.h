/*
 * Item dictionaries: the name -> dense id table the readers fill, and a small
 * integer -> id map used by the FIMI fast path (an item id read as a number
 * is looked up without formatting it back to text).
 *
 * A dict keeps every name NUL-terminated, back to back, with one offset per
 * id: exactly the layout of fimbit_dataset's name_bytes / name_offsets, so the
 * dataset takes the arrays over instead of copying them. The dataset's
 * name_index is a plainer table over the same hash (dict_index_build).
 */
#ifndef FIMBIT_DICT_H
#define FIMBIT_DICT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "base/internal.h"
#include "base/mix64.h"

/* The largest number of distinct items: ids are uint32_t and UINT32_MAX marks
 * an empty slot. */
#define DICT_MAX_ITEMS (UINT32_MAX - 1u)
#define DICT_EMPTY UINT32_MAX

typedef struct dict {
    char *bytes;          /* names, NUL-terminated, back to back */
    size_t bytes_used;
    size_t bytes_capacity;
    uint64_t *offsets;    /* count entries into bytes */
    uint32_t *hashes;     /* low 32 bits of each name's hash, for rehashing */
    uint32_t count;
    uint32_t capacity;    /* of offsets and hashes */
    /* slot_count entries: the high half of the name's hash above its id
     * (DICT_EMPTY when free), so a probe rejects other names without
     * touching them: one cache miss a look-up instead of three. */
    uint64_t *slots;
    uint64_t slot_count;  /* a power of two, 0 before the first insert */
} dict;

/* The hash of a name; a dataset's name_index is probed with it. */
uint64_t dict_hash(const void *bytes, size_t length);

/* dict_hash's steps, shared with dict_hash_in_text: eight bytes a step, each
 * word folded in with a multiply and a rotate, a partial last word padded
 * with zero bytes, then a finaliser (fimbit__mix64). */
static inline uint64_t dict_hash_start(size_t length)
{
    return 0x9e3779b97f4a7c15ull ^ (length * 0xff51afd7ed558ccdull);
}

static inline uint64_t dict_hash_step(uint64_t h, uint64_t word)
{
    return (h ^ (word * 0xc2b2ae3d27d4eb4full)) * 0x165667b19e3779f9ull;
}

static inline uint64_t dict_hash_rotate(uint64_t h) { return (h << 29) | (h >> 35); }

void dict_init(dict *d);
void dict_release(dict *d);
/* Forgets every name but keeps the tables' memory, for a dict refilled again
 * and again (a long-CSV slice's, once per block): freed and grown back, its
 * tables would fault their pages in anew at every block. */
void dict_clear(dict *d);

/* Looks `name` (`length` bytes, no NUL inside) up and adds it when absent.
 * *id receives its id, *added whether it was new (added may be NULL).
 * @return FIMBIT_OK, FIMBIT_ENOMEM, or FIMBIT_ELIMIT past DICT_MAX_ITEMS. */
fimbit_status dict_intern(dict *d, const char *name, size_t length, uint32_t *id, bool *added);

/* Makes room for `more` names beyond those present, so that many inserts do
 * not rehash again and again. @return FIMBIT_OK or FIMBIT_ENOMEM. */
fimbit_status dict_reserve(dict *d, uint64_t more);

/* @return the id of `name`, or DICT_EMPTY when absent. */
uint32_t dict_find(const dict *d, const char *name, size_t length);

/* Builds a plain index over `count` names (name_bytes / name_offsets, the
 * last name ending at bytes_used): *slots gets *slot_count ids or DICT_EMPTY,
 * probed linearly from dict_hash(name) & (slot_count - 1). */
fimbit_status dict_index_build(const char *name_bytes, const uint64_t *name_offsets,
                               uint32_t count, size_t bytes_used, uint32_t **slots,
                               uint64_t *slot_count);

/* Finds `name` in an index built by dict_index_build (the dataset's). */
uint32_t dict_probe(const uint32_t *slots, uint64_t slot_count, const char *name_bytes,
                    const uint64_t *name_offsets, const char *name, size_t length);

/* A map from 64-bit integers to ids, open addressing; key and value share a
 * slot so a look-up touches one cache line. */
typedef struct u64_slot {
    uint64_t key;
    uint32_t value;       /* DICT_EMPTY = free slot */
} u64_slot;

typedef struct u64_map {
    u64_slot *slots;
    uint64_t slot_count;  /* a power of two or 0 */
    uint64_t count;
} u64_map;

void u64_map_init(u64_map *m);
void u64_map_release(u64_map *m);
/* Forgets every key but keeps the slots (as dict_clear). */
void u64_map_clear(u64_map *m);
/* @return the value of `key`, or DICT_EMPTY. */
uint32_t u64_map_get(const u64_map *m, uint64_t key);
/* Makes room for `more` keys beyond those present. */
fimbit_status u64_map_reserve(u64_map *m, uint64_t more);
/* Sets key -> value (key must be absent). @return FIMBIT_OK or FIMBIT_ENOMEM. */
fimbit_status u64_map_put(u64_map *m, uint64_t key, uint32_t value);

/* dict_hash of a name inside a text readable up to `limit`: a partial last
 * word is loaded whole and masked instead of copied byte by byte, when the
 * eight bytes are there. The same value as dict_hash on a little-endian
 * machine; elsewhere still a hash of the name, to be compared only with
 * itself. */
static inline uint64_t dict_hash_in_text(const char *bytes, size_t length, const char *limit)
{
    uint64_t h = dict_hash_start(length);
    const char *p = bytes;
    size_t left = length;
    for (; left >= 8; p += 8, left -= 8) {
        uint64_t word;
        memcpy(&word, p, 8);
        h = dict_hash_rotate(dict_hash_step(h, word));
    }
    if (left > 0) {
        uint64_t word = 0;
        if (limit - p >= 8) {
            memcpy(&word, p, 8);
            word &= ~0ull >> (64 - 8 * left);
        } else {
            memcpy(&word, p, left);
        }
        h = dict_hash_step(h, word);
    }
    return fimbit__mix64(h);
}

/* Writes the canonical decimal text of `value` (no leading zeros) into `out`,
 * which has room for 21 bytes, NUL-terminated. @return its length. */
size_t u64_to_decimal(uint64_t value, char *out);

/* @return true when `text` is a canonical non-negative decimal integer that
 * fits in 64 bits ("0", "17"; not "", "007", "+1", "1.0"), and its value. */
bool decimal_parse_canonical(const char *text, size_t length, uint64_t *value);

#endif /* FIMBIT_DICT_H */
