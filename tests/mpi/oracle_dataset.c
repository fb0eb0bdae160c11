/*
 * Writes a random dataset of the oracle's generator (tests/support/oracle.h)
 * for the MPI end-to-end tests, in one of the CLI's input formats:
 *
 *   oracle_dataset SEED fimi|basket|csv [ITEMS BASKETS]
 *
 * fimi: item k as the integer 3k + 1 (ids need not be dense); basket: names
 * "i<k>" separated by commas; csv: long form "basket,item" rows with a header,
 * a basket's rows spread over the file. Blank lines (empty baskets) stay in
 * the line formats; repeated items are written as generated.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oracle.h"

static void write_fimi(const oracle_baskets *d)
{
    for (uint64_t b = 0; b < d->basket_count; b++) {
        for (uint64_t i = d->offsets[b]; i < d->offsets[b + 1]; i++)
            printf(i > d->offsets[b] ? " %u" : "%u", 3 * d->items[i] + 1);
        putchar('\n');
    }
}

static void write_basket(const oracle_baskets *d)
{
    for (uint64_t b = 0; b < d->basket_count; b++) {
        for (uint64_t i = d->offsets[b]; i < d->offsets[b + 1]; i++)
            printf(i > d->offsets[b] ? ",%s" : "%s", oracle_item_name(d->items[i]));
        putchar('\n');
    }
}

/* Rows in rounds: the first item of every basket, then the second, ... so a
 * basket's rows are far apart. Empty baskets cannot be written in long form. */
static void write_csv(const oracle_baskets *d)
{
    puts("order,product");
    for (uint64_t round = 0;; round++) {
        int written = 0;
        for (uint64_t b = 0; b < d->basket_count; b++)
            if (d->offsets[b] + round < d->offsets[b + 1]) {
                printf("o%llu,%s\n", (unsigned long long)b,
                       oracle_item_name(d->items[d->offsets[b] + round]));
                written = 1;
            }
        if (!written)
            break;
    }
}

int main(int argc, char **argv)
{
    if (argc != 3 && argc != 5) {
        fprintf(stderr, "usage: oracle_dataset SEED fimi|basket|csv [ITEMS BASKETS]\n");
        return 2;
    }
    oracle_baskets d;
    uint64_t seed = strtoull(argv[1], NULL, 10);
    if (argc == 5)
        oracle_generate_sized(seed, (uint32_t)strtoul(argv[3], NULL, 10),
                              strtoull(argv[4], NULL, 10), &d);
    else
        oracle_generate(seed, &d);
    if (strcmp(argv[2], "fimi") == 0)
        write_fimi(&d);
    else if (strcmp(argv[2], "basket") == 0)
        write_basket(&d);
    else
        write_csv(&d);
    oracle_baskets_free(&d);
    return 0;
}
