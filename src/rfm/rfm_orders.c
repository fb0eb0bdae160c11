/* The orders RFM has seen (rfm_orders.h). */
#include <string.h>

#include "rfm_orders.h"

uint32_t rfm_orders_limit = DICT_MAX_ITEMS;

void rfm_orders_init(rfm_orders *orders)
{
    memset(orders, 0, sizeof *orders);
    number_map_init(&orders->numbers);
    dict_init(&orders->names);
    u64_map_init(&orders->shared);
}

void rfm_orders_release(rfm_orders *orders)
{
    number_map_release(&orders->numbers);
    dict_release(&orders->names);
    fimbit__free(orders->name_orders);
    fimbit__free_discarding(orders->owner);
    u64_map_release(&orders->shared);
    rfm_orders_init(orders);
}

void rfm_orders_clear(rfm_orders *orders)
{
    number_map_clear(&orders->numbers);
    dict_clear(&orders->names);
    u64_map_clear(&orders->shared);
    orders->count = 0;
}

/* A new dense number, owned by `customer`. */
static fimbit_status next_order(rfm_orders *o, uint32_t customer, uint32_t *order)
{
    if (o->count >= rfm_orders_limit)
        return FIMBIT_ELIMIT;
    if (!fimbit__grow_array((void **)&o->owner, &o->owner_capacity, (size_t)o->count + 1,
                            sizeof *o->owner))
        return FIMBIT_ENOMEM;
    o->owner[o->count] = customer;
    *order = o->count++;
    return FIMBIT_OK;
}

/* The dense number of a canonical integer id; *added when it is new. */
static fimbit_status number_order(rfm_orders *o, uint64_t number, uint32_t customer,
                                  uint32_t *order, bool *added)
{
    *order = number_map_get(&o->numbers, number);
    if (*order != DICT_EMPTY)
        return FIMBIT_OK;
    fimbit_status status = next_order(o, customer, order);
    if (status == FIMBIT_OK)
        status = number_map_put(&o->numbers, number, *order);
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

/* Notes `customer`'s pair with an order seen before: *first when new. */
static fimbit_status note_pair(rfm_orders *o, uint32_t order, uint32_t customer, bool *first)
{
    *first = false;
    if (o->owner[order] == customer)
        return FIMBIT_OK;
    uint64_t pair = (uint64_t)customer << 32 | order;
    if (u64_map_get(&o->shared, pair) != DICT_EMPTY)
        return FIMBIT_OK;
    fimbit_status status = u64_map_put(&o->shared, pair, 0);
    *first = status == FIMBIT_OK;
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
    if (status != FIMBIT_OK || added)
        return status;
    return note_pair(orders, order, customer, first);
}

/* A merge under way: `from`'s dense numbers become `into`'s in `orders`. */
typedef struct orders_merge {
    rfm_orders *into;
    const rfm_orders *from;
    const uint32_t *customers;
    uint32_t *orders;
    void (*counted)(void *context, uint32_t customer);
    void *context;
} orders_merge;

/* Notes the owner's pair of `from`'s order `d`, found in `into` as `order`
 * (`added` when new there). */
static fimbit_status merge_owner(const orders_merge *m, uint32_t d, uint32_t order, bool added)
{
    m->orders[d] = order;
    if (added)
        return FIMBIT_OK;
    uint32_t owner = m->from->owner[d];
    bool first;
    fimbit_status status = note_pair(m->into, order, m->customers[owner], &first);
    if (status == FIMBIT_OK && !first)
        m->counted(m->context, owner);
    return status;
}

/* number_map_visit()'s visitor: `from`'s order `d` of id `number`. */
static fimbit_status merge_number(void *context, uint64_t number, uint32_t d)
{
    const orders_merge *m = context;
    uint32_t order;
    bool added = false;
    fimbit_status status =
        number_order(m->into, number, m->customers[m->from->owner[d]], &order, &added);
    return status == FIMBIT_OK ? merge_owner(m, d, order, added) : status;
}

fimbit_status rfm_orders_merge(rfm_orders *into, const rfm_orders *from, const uint32_t *customers,
                               void (*counted)(void *context, uint32_t customer), void *context)
{
    orders_merge m = {into, from, customers, NULL, counted, context};
    m.orders = fimbit__malloc_array(from->count ? from->count : 1, sizeof *m.orders);
    if (m.orders == NULL)
        return FIMBIT_ENOMEM;
    /* Every order once: the numbers, then the names. */
    fimbit_status status = number_map_visit(&from->numbers, merge_number, &m);
    for (uint32_t n = 0; n < from->names.count && status == FIMBIT_OK; n++) {
        const char *name = from->names.bytes + from->names.offsets[n];
        uint32_t d = from->name_orders[n], order;
        bool added = false;
        status = name_order(into, name, strlen(name), customers[from->owner[d]], &order, &added);
        if (status == FIMBIT_OK)
            status = merge_owner(&m, d, order, added);
    }
    /* Then the pairs of customers beside an order's owner. */
    for (uint64_t s = 0; s < from->shared.slot_count && status == FIMBIT_OK; s++) {
        const u64_slot *slot = &from->shared.slots[s];
        if (slot->value == DICT_EMPTY)
            continue;
        uint32_t customer = (uint32_t)(slot->key >> 32);
        bool first;
        status = note_pair(into, m.orders[slot->key & UINT32_MAX], customers[customer], &first);
        if (status == FIMBIT_OK && !first)
            counted(context, customer);
    }
    fimbit__free(m.orders);
    return status;
}
