/* Counts the frequent itemsets of a basket file by size, without keeping them:
 * count_by_size FILE [MIN_SUPPORT]. Shows the streaming call and how its
 * callback stops a run early (after a million itemsets: FIMBIT_ECANCELED). */
#include <stdio.h>
#include <stdlib.h>

#include <fimbit.h>

enum { MAX_SIZE = 64, STOP_AFTER = 1000000 };

typedef struct tally {
    uint64_t by_size[MAX_SIZE + 1]; /* the last entry counts every larger size */
    uint64_t total;
} tally;

/* Calls come one at a time, so the tally needs no lock. */
static int count_itemset(void *user, const uint32_t *items, uint32_t size, uint64_t count)
{
    (void)items;
    (void)count;
    tally *t = user;
    t->by_size[size < MAX_SIZE ? size : MAX_SIZE]++;
    return ++t->total >= STOP_AFTER; /* non-zero stops the run */
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s FILE [MIN_SUPPORT]\n", argv[0]);
        return 2;
    }
    fimbit_error error;
    fimbit_dataset *dataset = NULL;
    if (fimbit_dataset_read((const char *const *)&argv[1], 1, NULL, &dataset, &error)) {
        fprintf(stderr, "%s\n", error.message); /* "FILE:LINE:COLUMN: ..." */
        return 1;
    }
    fimbit_mine_options options;
    fimbit_mine_options_init(&options);
    if (argc > 2)
        options.min_support = atof(argv[2]);
    tally t = {{0}, 0};
    fimbit_status status =
        fimbit_mine_itemsets_stream(dataset, &options, count_itemset, &t, &error);
    if (status != FIMBIT_OK && status != FIMBIT_ECANCELED) {
        fprintf(stderr, "%s (%s)\n", error.message, fimbit_status_name(status));
        fimbit_dataset_free(dataset);
        return 1;
    }
    for (int size = 1; size <= MAX_SIZE; size++)
        if (t.by_size[size] > 0)
            printf("%s%d\t%llu\n", size == MAX_SIZE ? ">=" : "", size,
                   (unsigned long long)t.by_size[size]);
    if (status == FIMBIT_ECANCELED)
        printf("stopped after %d itemsets\n", STOP_AFTER);
    fimbit_dataset_free(dataset);
    return 0;
}
