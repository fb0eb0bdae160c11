/*
 * A map from 64-bit integers to ids for numbers that mostly rise with the
 * rows, as invoice numbers do. Numbers from the first one on are found in a
 * window indexed by the number itself, so consecutive numbers touch
 * consecutive slots (4 bytes each), where a hash table of ten million
 * numbers costs a cache miss a look-up and 32 bytes a number. A number the
 * window cannot reach without growing past a few slots per number held, or
 * one below the first, goes through a hash table.
 */
#ifndef FIMBIT_READ_NUMBER_MAP_H
#define FIMBIT_READ_NUMBER_MAP_H

#include <stddef.h>
#include <stdint.h>

#include "dict.h"

typedef struct number_map {
    /* Numbers in [base, base + window_size): window[number - base] is the
     * number's id, DICT_EMPTY when absent. */
    uint64_t base;
    uint32_t *window;
    size_t window_size;
    u64_map others;      /* numbers outside the window */
    uint64_t others_low; /* the least of them at or above base, UINT64_MAX for none */
    uint64_t count;      /* numbers held */
} number_map;

void number_map_init(number_map *m);
void number_map_release(number_map *m);
/* Forgets every number but keeps the window's memory, for a map refilled
 * block after block; the next number put starts the window anew. */
void number_map_clear(number_map *m);

/* Places the window over [low, high] for a map about to be filled with
 * `expected` numbers in that range, in any order, when it stays within the
 * window's budget (else the numbers go as put() places them). Call it on an
 * empty map. @return FIMBIT_OK or FIMBIT_ENOMEM. */
fimbit_status number_map_expect(number_map *m, uint64_t low, uint64_t high, uint64_t expected);

/* @return the id of `number`, or DICT_EMPTY. */
static inline uint32_t number_map_get(const number_map *m, uint64_t number)
{
    /* number >= base: a window that starts near 2^64 would otherwise wrap
     * round to small numbers, which put() keeps in the hash table. */
    if (number >= m->base && number - m->base < m->window_size)
        return m->window[number - m->base];
    return u64_map_get(&m->others, number);
}

/* Sets number -> id (number must be absent). @return FIMBIT_OK or
 * FIMBIT_ENOMEM. */
fimbit_status number_map_put(number_map *m, uint64_t number, uint32_t id);

/* Calls visit(context, number, id) for every number held, once each, in no
 * particular order, until a call returns other than FIMBIT_OK.
 * @return FIMBIT_OK, or that call's status. */
fimbit_status number_map_visit(const number_map *m,
                               fimbit_status (*visit)(void *context, uint64_t number, uint32_t id),
                               void *context);

#endif /* FIMBIT_READ_NUMBER_MAP_H */
