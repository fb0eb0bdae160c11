/* Order lines (orders.h). */
#include <string.h>

#include "orders.h"
#include "read/date.h"
#include "write/format.h"

/* The first order number, as in the well-known UCI "Online Retail" export. */
#define ORDERS_FIRST_ID 536365u
#define ORDERS_FIRST_CUSTOMER 12346u
/* Orders per customer on average. */
#define ORDERS_PER_CUSTOMER 10u
#define ORDERS_RETURN_SHARE 0.02
#define ORDERS_ANONYMOUS_SHARE 0.10
/* Days from 2010-12-01 to 2011-12-09, both included. */
#define ORDERS_DAYS 374u

/* Countries and their cumulative shares of customers, in thousandths. */
static const struct {
    const char *name;
    unsigned upto;
} countries[] = {{"United Kingdom", 820}, {"Germany", 850}, {"France", 880},
                 {"EIRE", 900},           {"Spain", 915},   {"Netherlands", 930},
                 {"Belgium", 945},        {"Switzerland", 960}, {"Portugal", 970},
                 {"Australia", 980},      {"Norway", 990},  {"Italy", 1000}};

/* Quantities as ordered: singles most often, then the usual pack sizes. */
static const unsigned quantities[] = {1, 1, 1, 2, 2, 3, 4, 6, 6, 12, 12, 24};

static char *put_text(char *p, const char *text)
{
    size_t length = strlen(text);
    memcpy(p, text, length);
    return p + length;
}

static char *put_two_digits(char *p, unsigned value)
{
    *p++ = (char)('0' + value / 10);
    *p++ = (char)('0' + value % 10);
    return p;
}

/* A product's unit price in cents, fixed by its id: 19 to 1999, cheap ones
 * more common. */
static unsigned unit_price_cents(uint32_t item)
{
    double u = (double)(fimbit__mix64(item ^ 0x5851f42d4c957f2dull) >> 11) * 0x1.0p-53;
    return 19 + (unsigned)(1980.0 * u * u);
}

static const char *country_of(uint64_t customer)
{
    unsigned draw = (unsigned)(fimbit__mix64(customer ^ 0x2545f4914f6cdd1dull) % 1000);
    size_t k = 0;
    while (draw >= countries[k].upto)
        k++;
    return countries[k].name;
}

char *orders_format(char *p, const uint32_t *items, uint32_t size, uint64_t basket,
                    uint64_t basket_count, bool named_items, gen_random *r)
{
    bool is_return = random_uniform(r) < ORDERS_RETURN_SHARE;
    bool anonymous = random_uniform(r) < ORDERS_ANONYMOUS_SHARE;
    uint64_t customers = basket_count / ORDERS_PER_CUSTOMER > 0
                             ? basket_count / ORDERS_PER_CUSTOMER : 1;
    double u = random_uniform(r);
    uint64_t customer = (uint64_t)((double)customers * u * u); /* low numbers more often */
    unsigned minute = 8 * 60 + random_below(r, 12 * 60);

    /* The fields every line of the order shares. */
    char order[24], *o = order;
    if (is_return)
        *o++ = 'C';
    o = output_format_u64(o, ORDERS_FIRST_ID + basket);
    *o = '\0';
    char date[24];
    date_format_iso(date_from_civil(2010, 12, 1) + (int32_t)(basket * ORDERS_DAYS / basket_count),
                    date);
    char *d = date + strlen(date);
    *d++ = ' ';
    d = put_two_digits(d, minute / 60);
    *d++ = ':';
    d = put_two_digits(d, minute % 60);
    *d = '\0';
    char tail[48], *t = tail; /* ,customer,country */
    *t++ = ',';
    if (!anonymous)
        t = output_format_u64(t, ORDERS_FIRST_CUSTOMER + customer);
    *t++ = ',';
    t = put_text(t, anonymous ? countries[0].name : country_of(customer));
    *t = '\0';

    for (uint32_t i = 0; i < size; i++) {
        p = put_text(p, order);
        *p++ = ',';
        if (named_items)
            p = put_text(p, "item");
        p = output_format_u64(p, items[i]);
        *p++ = ',';
        if (is_return)
            *p++ = '-';
        uint32_t pick = random_below(r, sizeof quantities / sizeof *quantities);
        p = output_format_u64(p, quantities[pick]);
        *p++ = ',';
        p = put_text(p, date);
        *p++ = ',';
        unsigned cents = unit_price_cents(items[i]);
        p = output_format_u64(p, cents / 100);
        *p++ = '.';
        p = put_two_digits(p, cents % 100);
        p = put_text(p, tail);
        *p++ = '\n';
    }
    return p;
}
