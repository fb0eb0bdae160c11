/*
 * The orders RFM has seen, to count each (customer, order) pair once for the
 * frequency. Every order gets a dense number, in order of first appearance,
 * and is owned by its first customer; only an order that another customer
 * also has looks its pair up in a table.
 *
 * Order ids are nearly always canonical integers that rise with the rows
 * (invoice numbers): those go through a number_map (read/number_map.h), its
 * window indexed by the number itself; every other id through a dictionary.
 */
#ifndef FIMBIT_RFM_ORDERS_H
#define FIMBIT_RFM_ORDERS_H

#include <stdbool.h>
#include <stdint.h>

#include "base/internal.h"
#include "read/dict.h"
#include "read/number_map.h"

typedef struct rfm_orders {
    number_map numbers;    /* canonical integer ids -> dense number */
    dict names;            /* other ids -> name number */
    uint32_t *name_orders; /* name number -> dense number */
    size_t name_order_capacity;
    uint32_t *owner; /* dense number -> its first customer */
    size_t owner_capacity;
    uint32_t count; /* dense numbers given */
    u64_map shared; /* customer << 32 | dense number, not the owner's */
} rfm_orders;

/* The most orders a run may count: DICT_MAX_ITEMS; tests lower it to
 * reach the limit. */
extern uint32_t rfm_orders_limit;

void rfm_orders_init(rfm_orders *orders);
void rfm_orders_release(rfm_orders *orders);
/* Forgets every order but keeps the tables' memory (a slice's orders, once
 * per block). */
void rfm_orders_clear(rfm_orders *orders);

/* Notes that `customer` has the order `id` (`length` bytes). *first is true
 * when that pair had not been noted before. @return FIMBIT_OK, FIMBIT_ENOMEM,
 * or FIMBIT_ELIMIT past rfm_orders_limit orders. */
fimbit_status rfm_orders_note(rfm_orders *orders, const char *id, size_t length, uint32_t customer,
                              bool *first);

/* Notes every pair of `from` in `into`, its customer c as customers[c]:
 * `counted(context, c)` is called for each pair `into` had noted already,
 * which `from`'s customer must then not count again. The caller makes sure
 * `into` stays within rfm_orders_limit. @return FIMBIT_OK or FIMBIT_ENOMEM. */
fimbit_status rfm_orders_merge(rfm_orders *into, const rfm_orders *from, const uint32_t *customers,
                               void (*counted)(void *context, uint32_t customer), void *context);

#endif /* FIMBIT_RFM_ORDERS_H */
