/* Integers to ids, through a window over rising numbers (number_map.h). */
#include <string.h>

#include "number_map.h"

/* The window may take this many slots per number held, after a first 64 Ki:
 * at 4 bytes a slot, no more than a hash table's 32 bytes a number. */
#define WINDOW_SLOTS_PER_NUMBER 8u
#define WINDOW_FIRST ((uint64_t)1 << 16)

void number_map_init(number_map *m)
{
    memset(m, 0, sizeof *m);
    u64_map_init(&m->others);
    m->others_low = UINT64_MAX;
}

void number_map_release(number_map *m)
{
    fimbit__free_discarding(m->window);
    u64_map_release(&m->others);
    number_map_init(m);
}

void number_map_clear(number_map *m)
{
    if (m->window_size > 0)
        memset(m->window, 0xff, m->window_size * sizeof *m->window);
    u64_map_clear(&m->others);
    m->others_low = UINT64_MAX;
    m->count = 0;
}

/* Grows the window to `size` slots and copies in the numbers of the hash
 * table it now covers. @return FIMBIT_OK or FIMBIT_ENOMEM. */
static fimbit_status window_resize(number_map *m, uint64_t size)
{
    uint32_t *window = fimbit__grow_array_discarding(m->window, (size_t)size, sizeof *window);
    if (window == NULL)
        return FIMBIT_ENOMEM;
    /* A look-up is a cache miss anyway; huge pages spare it a TLB miss. */
    fimbit__advise_huge_pages(window, (size_t)size * sizeof *window);
    uint64_t old = m->window_size;
    memset(window + old, 0xff, (size_t)(size - old) * sizeof *window);
    /* Numbers put out of reach may be within it now (a table's scan, done
     * only then); those that are also stay in the table, unread. */
    uint64_t low = m->others_low;
    if (low - m->base < size)
        m->others_low = UINT64_MAX;
    for (uint64_t s = 0; low - m->base < size && s < m->others.slot_count; s++) {
        const u64_slot *slot = &m->others.slots[s];
        if (slot->value == DICT_EMPTY || slot->key < m->base)
            continue;
        if (slot->key - m->base < size)
            window[slot->key - m->base] = slot->value;
        else if (slot->key < m->others_low)
            m->others_low = slot->key;
    }
    m->window = window;
    m->window_size = (size_t)size;
    return FIMBIT_OK;
}

/* The window may take this many slots for `count` numbers. */
static uint64_t window_budget(uint64_t count)
{
    return WINDOW_FIRST + (uint64_t)WINDOW_SLOTS_PER_NUMBER * count;
}

/* Doubles the window until it reaches `number` (at least base), if that
 * stays within the budget: numbers in any order then grow it a few times,
 * not at nearly every number. @return FIMBIT_OK (the hash table serves a
 * number still out of reach) or FIMBIT_ENOMEM. */
static fimbit_status window_reach(number_map *m, uint64_t number)
{
    uint64_t budget = window_budget(m->count);
    uint64_t size = m->window_size ? m->window_size : WINDOW_FIRST;
    while (size <= number - m->base && size <= budget)
        size *= 2;
    return size <= budget ? window_resize(m, size) : FIMBIT_OK;
}

fimbit_status number_map_expect(number_map *m, uint64_t low, uint64_t high, uint64_t expected)
{
    if (m->count > 0 || high < low || high - low >= window_budget(expected) ||
        high - low < m->window_size)
        return FIMBIT_OK;
    m->base = low;
    return window_resize(m, high - low + 1);
}

fimbit_status number_map_put(number_map *m, uint64_t number, uint32_t id)
{
    /* An empty window may start anywhere: at the number, or at 0 for a
     * small one (item codes), which then covers the smaller ones too. */
    if (m->count == 0 && number - m->base >= m->window_size)
        m->base = number < WINDOW_FIRST ? 0 : number;
    fimbit_status status = FIMBIT_OK;
    if (number >= m->base && number - m->base >= m->window_size)
        status = window_reach(m, number);
    if (status != FIMBIT_OK)
        return status;
    if (number >= m->base && number - m->base < m->window_size) {
        m->window[number - m->base] = id;
    } else {
        status = u64_map_put(&m->others, number, id);
        if (number >= m->base && number < m->others_low)
            m->others_low = number;
    }
    m->count += status == FIMBIT_OK;
    return status;
}

fimbit_status number_map_visit(const number_map *m,
                               fimbit_status (*visit)(void *context, uint64_t number, uint32_t id),
                               void *context)
{
    fimbit_status status = FIMBIT_OK;
    for (size_t s = 0; s < m->window_size && status == FIMBIT_OK; s++)
        if (m->window[s] != DICT_EMPTY)
            status = visit(context, m->base + s, m->window[s]);
    /* The table keeps the numbers the window took over: skip those. */
    for (uint64_t s = 0; s < m->others.slot_count && status == FIMBIT_OK; s++) {
        const u64_slot *slot = &m->others.slots[s];
        bool in_window = slot->key >= m->base && slot->key - m->base < m->window_size;
        if (slot->value != DICT_EMPTY && !in_window)
            status = visit(context, slot->key, slot->value);
    }
    return status;
}
