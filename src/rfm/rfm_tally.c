/* What order lines add up to, and the merge of slices' tallies (rfm_tally.h). */
#include <omp.h>
#include <string.h>

#include "rfm_tally.h"

void rfm_tally_init(rfm_tally *t)
{
    memset(t, 0, sizeof *t);
    dict_init(&t->customers);
    u64_map_init(&t->customer_numbers);
    rfm_orders_init(&t->orders);
}

void rfm_tally_release(rfm_tally *t)
{
    dict_release(&t->customers);
    u64_map_release(&t->customer_numbers);
    fimbit__free(t->records);
    rfm_orders_release(&t->orders);
    fimbit__free(t->run_customers);
    rfm_tally_init(t);
}

void rfm_tally_clear(rfm_tally *t)
{
    dict_clear(&t->customers);
    u64_map_clear(&t->customer_numbers);
    rfm_orders_clear(&t->orders);
    t->rows = 0;
    t->rows_without_customer = 0;
    t->any_date = false;
    t->latest_day = 0;
    t->magnitude = (decimal){0};
    t->magnitude_out_of_range = false;
}

/* Adds a customer not known yet (`number` its id when `numeric`). */
static fimbit_status add_customer(rfm_tally *t, const char *text, size_t length, bool numeric,
                                  uint64_t number, uint32_t *customer)
{
    bool added;
    fimbit_status status = dict_intern(&t->customers, text, length, customer, &added);
    if (status != FIMBIT_OK || !added)
        return status;
    if ((numeric && u64_map_put(&t->customer_numbers, number, *customer) != FIMBIT_OK) ||
        !fimbit__grow_array((void **)&t->records, &t->record_capacity, (size_t)*customer + 1,
                            sizeof *t->records))
        return FIMBIT_ENOMEM;
    t->records[*customer] = (rfm_record){.latest_day = INT32_MIN};
    return FIMBIT_OK;
}

/* Customer ids that are canonical integers (the usual case) are found
 * through an integer map, whose slot holds the key: one cache miss, where
 * the name table's probe also reads the stored name. */
fimbit_status rfm_tally_customer(rfm_tally *t, const char *text, size_t length, uint32_t *customer)
{
    uint64_t number;
    bool numeric = decimal_parse_canonical(text, length, &number);
    if (numeric) {
        *customer = u64_map_get(&t->customer_numbers, number);
        if (*customer != DICT_EMPTY)
            return FIMBIT_OK;
    }
    return add_customer(t, text, length, numeric, number, customer);
}

void rfm_tally_add_magnitude(rfm_tally *t, decimal amount)
{
    if (amount.units < 0)
        amount.units = -amount.units;
    if (!t->magnitude_out_of_range && !decimal_add(&t->magnitude, amount))
        t->magnitude_out_of_range = true;
}

void rfm_merge_bound_start(rfm_merge_bound *bound, const rfm_tally *run)
{
    *bound = (rfm_merge_bound){.customers = run->customers.count,
                               .orders = run->orders.count,
                               .magnitude = run->magnitude,
                               .in_range = !run->magnitude_out_of_range};
}

bool rfm_merge_bound_take(rfm_merge_bound *bound, const rfm_tally *slice)
{
    bound->customers += slice->customers.count;
    bound->orders += slice->orders.count;
    bound->in_range = bound->in_range && !slice->magnitude_out_of_range &&
                      decimal_add(&bound->magnitude, slice->magnitude);
    /* A single pass refuses a new customer once DICT_MAX_ITEMS are known. */
    return bound->in_range && bound->customers < DICT_MAX_ITEMS &&
           bound->orders <= rfm_orders_limit;
}

/* The run's id of each of a slice's customers, DICT_EMPTY for those the run
 * does not know yet. The run's tables are only read, so a thread goes on to
 * the next slice without waiting. */
static void find_run_customers(const rfm_tally *run, rfm_tally *slice)
{
    const dict *names = &slice->customers;
#pragma omp for schedule(static) nowait
    for (uint32_t c = 0; c < names->count; c++) {
        const char *text = names->bytes + names->offsets[c];
        size_t length = strlen(text);
        uint64_t number;
        slice->run_customers[c] = decimal_parse_canonical(text, length, &number)
                                      ? u64_map_get(&run->customer_numbers, number)
                                      : dict_find(&run->customers, text, length);
    }
}

/* Adds the slices' records to the run's: this thread those of the run's
 * customers with the number of the thread modulo the team's size, so that
 * threads share no record and need not wait for one another. */
static void add_records(rfm_tally *run, const rfm_tally *slices, int count)
{
    uint32_t threads = (uint32_t)omp_get_num_threads(), me = (uint32_t)omp_get_thread_num();
    for (int k = 0; k < count; k++) {
        const rfm_tally *slice = &slices[k];
        for (uint32_t c = 0; c < slice->customers.count; c++) {
            uint32_t customer = slice->run_customers[c];
            if (customer % threads != me)
                continue;
            const rfm_record *from = &slice->records[c];
            rfm_record *to = &run->records[customer];
            to->frequency += from->frequency;
            if (from->latest_day > to->latest_day)
                to->latest_day = from->latest_day;
            /* In range: the merge bound holds the magnitude of every amount. */
            decimal_add(&to->monetary, from->monetary);
        }
    }
}

/* Gives the slice's customers that the run did not know their ids in the
 * run, one after the other in input order (an earlier slice of the block
 * may have added one since). */
static fimbit_status add_new_customers(rfm_tally *run, rfm_tally *slice)
{
    const dict *names = &slice->customers;
    uint32_t added = 0;
    for (uint32_t c = 0; c < names->count; c++)
        added += slice->run_customers[c] == DICT_EMPTY;
    if (added == 0)
        return FIMBIT_OK;
    /* Sized once: the tables do not grow again and again on the way. */
    fimbit_status status = dict_reserve(&run->customers, added);
    if (status == FIMBIT_OK)
        status = u64_map_reserve(&run->customer_numbers, added);
    if (status == FIMBIT_OK &&
        !fimbit__grow_array((void **)&run->records, &run->record_capacity,
                            (size_t)run->customers.count + added, sizeof *run->records))
        status = FIMBIT_ENOMEM;
    for (uint32_t c = 0; c < names->count && status == FIMBIT_OK; c++) {
        if (slice->run_customers[c] != DICT_EMPTY)
            continue;
        const char *text = names->bytes + names->offsets[c];
        size_t length = strlen(text);
        uint64_t number;
        bool numeric = decimal_parse_canonical(text, length, &number);
        status = add_customer(run, text, length, numeric, number, &slice->run_customers[c]);
    }
    return status;
}

/* A pair of the slice's customer that the run had counted already. */
static void counted_before(void *context, uint32_t customer)
{
    rfm_tally *slice = context;
    slice->records[customer].frequency--;
}

fimbit_status rfm_tally_merge(rfm_tally *into, rfm_tally *slices, int count, int threads)
{
    if (count == 0)
        return FIMBIT_OK;
    for (int k = 0; k < count; k++) {
        rfm_tally *slice = &slices[k];
        if (!fimbit__grow_array((void **)&slice->run_customers, &slice->run_customer_capacity,
                                slice->customers.count ? slice->customers.count : 1,
                                sizeof *slice->run_customers))
            return FIMBIT_ENOMEM;
    }
#pragma omp parallel num_threads(threads)
    for (int k = 0; k < count; k++)
        find_run_customers(into, &slices[k]);
    fimbit_status status = FIMBIT_OK;
    for (int k = 0; k < count && status == FIMBIT_OK; k++) {
        status = add_new_customers(into, &slices[k]);
        if (status == FIMBIT_OK)
            status = rfm_orders_merge(&into->orders, &slices[k].orders, slices[k].run_customers,
                                      counted_before, &slices[k]);
    }
    if (status != FIMBIT_OK)
        return status;
#pragma omp parallel num_threads(threads)
    add_records(into, slices, count);
    for (int k = 0; k < count; k++) {
        const rfm_tally *slice = &slices[k];
        into->rows += slice->rows;
        into->rows_without_customer += slice->rows_without_customer;
        if (slice->any_date && (!into->any_date || slice->latest_day > into->latest_day))
            into->latest_day = slice->latest_day;
        into->any_date = into->any_date || slice->any_date;
        decimal_add(&into->magnitude, slice->magnitude);
    }
    return FIMBIT_OK;
}
