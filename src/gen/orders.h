/*
 * Order lines from generated baskets (FIMBIT_GENERATE_ORDERS in fimbit.h):
 * each basket becomes an order of a customer on a day, one row per item.
 */
#ifndef FIMBIT_GEN_ORDERS_H
#define FIMBIT_GEN_ORDERS_H

#include <stdbool.h>
#include <stdint.h>

#include "random.h"

#define ORDERS_HEADER "InvoiceNo,StockCode,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n"

/* The most bytes one order line takes: a 21-byte order id, a 14-byte
 * product, a 3-byte quantity, a 16-byte date, a 5-byte price, a 20-byte
 * customer, a country of at most 14 bytes and the separators. */
#define ORDERS_LINE_ROOM 112

/* Writes basket `basket` (0-based, of `basket_count`), items[0 .. size), as
 * order lines at p, drawing the order's kind, customer, time and quantities
 * from r. @return the end of what was written. */
char *orders_format(char *p, const uint32_t *items, uint32_t size, uint64_t basket,
                    uint64_t basket_count, bool named_items, gen_random *r);

#endif /* FIMBIT_GEN_ORDERS_H */
