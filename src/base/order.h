/*
 * Sorting many records cheaply: each record gets a 64-bit key that packs the
 * leading fields of its canonical comparison (sizes and natural item ranks),
 * and (key, value) pairs are sorted in place with a parallel quicksort. Only
 * pairs whose keys tie call the full comparison, which dereferences the
 * records. A key is a prefix of the comparison, so sorting by (key, full
 * comparison) is the full order.
 */
#ifndef FIMBIT_ORDER_H
#define FIMBIT_ORDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct order_entry {
    uint64_t key;
    uint64_t value; /* a pointer or an index: whatever the tie function reads */
} order_entry;

/* Compares the records behind two values whose keys are equal: <0, 0, >0. */
typedef int (*order_tie_fn)(uint64_t a, uint64_t b, const void *context);

/* Sorts entries[0 .. count) by key, then by `tie`, with up to `threads`
 * OpenMP threads. Allocates nothing. */
void order_sort(order_entry *entries, size_t count, order_tie_fn tie, const void *context,
                int threads);

/* Builds a key field by field, most significant first. Once a field does not
 * fit, or a size field saturates, the key stops growing: what follows is left
 * to the tie function. */
typedef struct order_key {
    uint64_t key;
    unsigned free_bits;
    bool closed;
} order_key;

static inline order_key order_key_start(void) { return (order_key){0, 64, false}; }

static inline void order_key_push(order_key *key, uint64_t value, unsigned bits)
{
    if (key->closed || bits > key->free_bits) {
        key->closed = true;
        return;
    }
    key->free_bits -= bits;
    key->key |= value << key->free_bits;
}

/* A size field of 5 bits; sizes of 31 and more saturate and close the key
 * (itemsets and rule sides that long are rare; the tie function orders them).
 * Narrow size fields leave room for more ranks. */
#define ORDER_SIZE_BITS 5u
#define ORDER_SIZE_LIMIT ((1u << ORDER_SIZE_BITS) - 1)

static inline void order_key_push_size(order_key *key, uint32_t size)
{
    order_key_push(key, size < ORDER_SIZE_LIMIT ? size : ORDER_SIZE_LIMIT, ORDER_SIZE_BITS);
    if (size >= ORDER_SIZE_LIMIT)
        key->closed = true;
}

/* Bits needed for values 0 .. count - 1 (at least 1). */
static inline unsigned order_bits_for(uint32_t count)
{
    unsigned bits = 1;
    while (bits < 32 && ((uint64_t)1 << bits) < count)
        bits++;
    return bits;
}

#endif /* FIMBIT_ORDER_H */
