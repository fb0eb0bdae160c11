/* The orders RFM has seen (rfm_orders.h). */
#include <string.h>

#include "rfm_orders.h"

/* The window may take this many slots per order seen, after a first 64 Ki:
 * at 4 bytes a slot, no more than a hash table's 32 bytes an order. */
#define WINDOW_SLOTS_PER_ORDER 8u
#define WINDOW_FIRST ((uint64_t)1 << 16)

void rfm_orders_init(rfm_orders *orders)
{
    memset(orders, 0, sizeof *orders);
    u64_map_init(&orders->numbers);
    dict_init(&orders->names);
    u64_map_init(&orders->shared);
}

void rfm_orders_release(rfm_orders *orders)
{
    fimbit__free_discarding(orders->window);
    u64_map_release(&orders->numbers);
    dict_release(&orders->names);
    fimbit__free(orders->name_orders);
    fimbit__free_discarding(orders->owner);
    u64_map_release(&orders->shared);
    rfm_orders_init(orders);
}

/* A new dense number, owned by `customer`. */
static fimbit_status next_order(rfm_orders *o, uint32_t customer, uint32_t *order)
{
    if (o->count >= DICT_MAX_ITEMS)
        return FIMBIT_ELIMIT;
    if (!fimbit__grow_array((void **)&o->owner, &o->owner_capacity, (size_t)o->count + 1,
                            sizeof *o->owner))
        return FIMBIT_ENOMEM;
    o->owner[o->count] = customer;
    *order = o->count++;
    return FIMBIT_OK;
}

/* Grows the window to reach `number` (at least base) if it stays within its
 * budget, and copies in the numbers of the hash table it now covers.
 * *reached tells whether it reaches the number (if not, the hash table
 * serves it). @return FIMBIT_OK or FIMBIT_ENOMEM. */
static fimbit_status window_reach(rfm_orders *o, uint64_t number, bool *reached)
{
    uint64_t budget = WINDOW_FIRST + (uint64_t)WINDOW_SLOTS_PER_ORDER * o->count;
    *reached = number - o->base < budget;
    if (!*reached)
        return FIMBIT_OK;
    uint64_t size = o->window_size ? o->window_size : WINDOW_FIRST;
    while (size <= number - o->base)
        size *= 2;
    if (size > budget)
        size = budget;
    uint32_t *window = fimbit__grow_array_discarding(o->window, (size_t)size, sizeof *window);
    if (window == NULL)
        return FIMBIT_ENOMEM;
    uint64_t old = o->window_size;
    memset(window + old, 0xff, (size_t)(size - old) * sizeof *window);
    for (uint64_t s = 0; s < o->numbers.slot_count; s++) {
        const u64_slot *slot = &o->numbers.slots[s];
        if (slot->value != DICT_EMPTY && slot->key >= o->base && slot->key - o->base >= old &&
            slot->key - o->base < size)
            window[slot->key - o->base] = slot->value;
    }
    o->window = window;
    o->window_size = (size_t)size;
    return FIMBIT_OK;
}

/* The dense number of a canonical integer id; *added when it is new. */
static fimbit_status number_order(rfm_orders *o, uint64_t number, uint32_t customer,
                                  uint32_t *order, bool *added)
{
    if (o->window_size == 0)
        o->base = number; /* nothing is in the window yet: it may start anywhere */
    bool in_window = number >= o->base && number - o->base < o->window_size;
    fimbit_status status = FIMBIT_OK;
    if (!in_window && number >= o->base)
        status = window_reach(o, number, &in_window);
    if (status == FIMBIT_OK && in_window) {
        uint32_t *slot = &o->window[number - o->base];
        if (*slot != DICT_EMPTY) {
            *order = *slot;
            return FIMBIT_OK;
        }
        status = next_order(o, customer, order);
        if (status == FIMBIT_OK)
            *slot = *order;
        *added = status == FIMBIT_OK;
        return status;
    }
    if (status != FIMBIT_OK)
        return status;
    *order = u64_map_get(&o->numbers, number);
    if (*order != DICT_EMPTY)
        return FIMBIT_OK;
    status = next_order(o, customer, order);
    if (status == FIMBIT_OK)
        status = u64_map_put(&o->numbers, number, *order);
    *added = status == FIMBIT_OK;
    return status;
}

/* The dense number of any other id; *added when it is new. */
static fimbit_status name_order(rfm_orders *o, const char *id, size_t length, uint32_t customer,
                                uint32_t *order, bool *added)
{
    uint32_t name;
    bool new_name;
    fimbit_status status = dict_intern(&o->names, id, length, &name, &new_name);
    if (status != FIMBIT_OK)
        return status;
    if (!new_name) {
        *order = o->name_orders[name];
        return FIMBIT_OK;
    }
    if (!fimbit__grow_array((void **)&o->name_orders, &o->name_order_capacity, (size_t)name + 1,
                            sizeof *o->name_orders))
        return FIMBIT_ENOMEM;
    status = next_order(o, customer, order);
    if (status == FIMBIT_OK)
        o->name_orders[name] = *order;
    *added = status == FIMBIT_OK;
    return status;
}

fimbit_status rfm_orders_note(rfm_orders *orders, const char *id, size_t length, uint32_t customer,
                              bool *first)
{
    uint64_t number;
    uint32_t order;
    bool added = false;
    fimbit_status status = decimal_parse_canonical(id, length, &number)
                               ? number_order(orders, number, customer, &order, &added)
                               : name_order(orders, id, length, customer, &order, &added);
    *first = added;
    if (status != FIMBIT_OK || added || orders->owner[order] == customer)
        return status;
    uint64_t pair = (uint64_t)customer << 32 | order;
    if (u64_map_get(&orders->shared, pair) != DICT_EMPTY)
        return FIMBIT_OK;
    status = u64_map_put(&orders->shared, pair, 0);
    *first = status == FIMBIT_OK;
    return status;
}
