/*
 * Building the support table and finding rows by their items. Rows are
 * hashed by their set of items (base/item_set_hash.h, order-independent) and
 * compared on their sorted copies.
 */
#include <string.h>

#include "base/item_set_hash.h"
#include "base/sort_u32.h"
#include "support_table.h"

static uint64_t row_size(const fimbit_support_table *table, size_t row)
{
    return table->offsets[row + 1] - table->offsets[row];
}

static bool row_equals(const fimbit_support_table *table, size_t row, const uint32_t *sorted,
                       uint32_t size)
{
    return row_size(table, row) == size &&
           memcmp(table->sorted + table->offsets[row], sorted, size * sizeof *sorted) == 0;
}

uint64_t support_table_find(const fimbit_support_table *table, const uint32_t *sorted,
                            uint32_t size)
{
    uint64_t slot = item_set_hash(sorted, size) & table->slot_mask;
    for (uint64_t entry; (entry = table->slots[slot]) != 0; slot = (slot + 1) & table->slot_mask)
        if (row_equals(table, entry - 1, sorted, size))
            return entry - 1;
    return FIMBIT_NO_ROW;
}

/* Sorts every row's copy and enters it in the hash table.
 * @return FIMBIT_OK, or FIMBIT_EINVAL for a repeated item or row. */
static fimbit_status table_index_rows(fimbit_support_table *table, fimbit_error *error)
{
    for (size_t row = 0; row < table->row_count; row++) {
        uint32_t *sorted = table->sorted + table->offsets[row];
        uint32_t size = (uint32_t)row_size(table, row);
        sort_u32(sorted, size);
        for (uint32_t i = 1; i < size; i++)
            if (sorted[i] == sorted[i - 1])
                return fimbit__fail(error, FIMBIT_EINVAL, "row %zu holds item %u twice", row,
                                    sorted[i]);
        uint64_t slot = item_set_hash(sorted, size) & table->slot_mask;
        for (uint64_t entry; (entry = table->slots[slot]) != 0;
             slot = (slot + 1) & table->slot_mask)
            if (row_equals(table, entry - 1, sorted, size))
                return fimbit__fail(error, FIMBIT_EINVAL, "row %zu repeats the itemset of row %zu",
                                    row, (size_t)(entry - 1));
        table->slots[slot] = row + 1;
    }
    return FIMBIT_OK;
}

static fimbit_status table_check_counts(const uint64_t *counts, size_t row_count,
                                        uint64_t basket_count, fimbit_error *error)
{
    if (basket_count == 0)
        return fimbit__fail(error, FIMBIT_EINVAL, "counts given without a basket count");
    for (size_t row = 0; row < row_count; row++)
        if (counts[row] > basket_count)
            return fimbit__fail(error, FIMBIT_EINVAL,
                                "row %zu has a count of %llu, above the %llu baskets", row,
                                (unsigned long long)counts[row],
                                (unsigned long long)basket_count);
    return FIMBIT_OK;
}

/* A support is a fraction of the baskets: NaN, an infinity or a value
 * outside [0, 1] is a caller's mistake that would otherwise come back as
 * rules with NaN or impossible measures. */
static fimbit_status table_check_supports(const double *supports, size_t row_count,
                                          fimbit_error *error)
{
    for (size_t row = 0; row < row_count; row++)
        if (!(supports[row] >= 0.0 && supports[row] <= 1.0))
            return fimbit__fail(error, FIMBIT_EINVAL,
                                "row %zu has a support of %g, not a fraction in [0, 1]", row,
                                supports[row]);
    return FIMBIT_OK;
}

fimbit_status fimbit_support_table_create(const uint32_t *items, const uint64_t *offsets,
                                          size_t row_count, const double *supports,
                                          const uint64_t *counts, uint64_t basket_count,
                                          fimbit_support_table **out, fimbit_error *error)
{
    if (out != NULL)
        *out = NULL;
    if (out == NULL || offsets == NULL || (supports == NULL && counts == NULL))
        return fimbit__fail(error, FIMBIT_EINVAL,
                            "a support table needs offsets and supports or counts");
    for (size_t row = 0; row < row_count; row++)
        if (offsets[row + 1] < offsets[row])
            return fimbit__fail(error, FIMBIT_EINVAL, "row %zu ends before it starts", row);
    if (items == NULL && offsets[row_count] > offsets[0])
        return fimbit__fail(error, FIMBIT_EINVAL, "rows hold items but items is NULL");
    fimbit_status checked = FIMBIT_OK;
    if (supports != NULL)
        checked = table_check_supports(supports, row_count, error);
    if (checked == FIMBIT_OK && counts != NULL)
        checked = table_check_counts(counts, row_count, basket_count, error);
    if (checked != FIMBIT_OK)
        return checked;

    uint64_t item_total = offsets[row_count] - offsets[0];
    /* A power of two at least 1.5 times the rows: at most 2/3 full. */
    uint64_t slots = 16;
    while (slots < (uint64_t)row_count + row_count / 2)
        slots *= 2;
    fimbit_support_table *table = fimbit__calloc(1, sizeof *table);
    if (table != NULL) {
        table->offsets = fimbit__malloc_array(row_count + 1, sizeof *table->offsets);
        table->items = fimbit__malloc_array(item_total ? item_total : 1, sizeof *table->items);
        table->sorted = fimbit__malloc_array(item_total ? item_total : 1, sizeof *table->sorted);
        table->supports = fimbit__malloc_array(row_count ? row_count : 1, sizeof(double));
        table->slots = fimbit__calloc((size_t)slots, sizeof *table->slots);
        if (counts != NULL)
            table->counts = fimbit__malloc_array(row_count ? row_count : 1, sizeof(uint64_t));
    }
    if (table == NULL || table->offsets == NULL || table->items == NULL ||
        table->sorted == NULL || table->supports == NULL || table->slots == NULL ||
        (counts != NULL && table->counts == NULL)) {
        fimbit_support_table_free(table);
        return fimbit__fail(error, FIMBIT_ENOMEM, "out of memory for a table of %zu itemsets",
                            row_count);
    }
    table->row_count = row_count;
    table->basket_count = basket_count;
    table->slot_mask = slots - 1;
    for (size_t row = 0; row <= row_count; row++)
        table->offsets[row] = offsets[row] - offsets[0];
    if (item_total > 0) {
        memcpy(table->items, items + offsets[0], item_total * sizeof *items);
        memcpy(table->sorted, items + offsets[0], item_total * sizeof *items);
    }
    for (size_t row = 0; row < row_count; row++)
        table->supports[row] =
            counts ? (double)counts[row] / (double)basket_count : supports[row];
    if (counts != NULL && row_count > 0)
        memcpy(table->counts, counts, row_count * sizeof *counts);

    fimbit_status status = table_index_rows(table, error);
    if (status != FIMBIT_OK) {
        fimbit_support_table_free(table);
        return status;
    }
    *out = table;
    return FIMBIT_OK;
}

void fimbit_support_table_free(fimbit_support_table *table)
{
    if (table == NULL)
        return;
    fimbit__free(table->offsets);
    fimbit__free(table->items);
    fimbit__free(table->sorted);
    fimbit__free(table->supports);
    fimbit__free(table->counts);
    fimbit__free(table->slots);
    fimbit__free(table);
}
