/*
 * Scores and segments (include/fimbit.h): a score counts the customers
 * strictly worse than this one, so ties share a score. Each measure is
 * sorted once as 64-bit keys with customer numbers attached (base/order.h);
 * the first customer of a run of equal values has exactly b customers before
 * it.
 */
#include <stdlib.h>
#include <string.h>

#include "base/order.h"
#include "read/date.h"
#include "rfm.h"

const char *const rfm_segment_names[RFM_SEGMENT_COUNT + 1] = {
    "champions",      "loyal_customers", "potential_loyalists", "new_customers",
    "promising",      "need_attention",  "about_to_sleep",      "at_risk",
    "cant_lose",      "hibernating",     ""};

enum {
    CHAMPIONS, LOYAL_CUSTOMERS, POTENTIAL_LOYALISTS, NEW_CUSTOMERS, PROMISING,
    NEED_ATTENTION, ABOUT_TO_SLEEP, AT_RISK, CANT_LOSE, HIBERNATING
};

uint32_t rfm_segment_of(uint32_t r, uint32_t f)
{
    if (r <= 2)
        return f <= 2 ? HIBERNATING : f <= 4 ? AT_RISK : CANT_LOSE;
    if (r == 3)
        return f <= 2 ? ABOUT_TO_SLEEP : f == 3 ? NEED_ATTENTION : LOYAL_CUSTOMERS;
    if (f == 1)
        return r == 4 ? PROMISING : NEW_CUSTOMERS;
    if (f <= 3)
        return POTENTIAL_LOYALISTS;
    return r == 4 ? LOYAL_CUSTOMERS : CHAMPIONS;
}

typedef enum rfm_measure { MEASURE_R, MEASURE_F, MEASURE_M } rfm_measure;

static uint32_t *score_of(rfm_record *record, rfm_measure measure)
{
    return measure == MEASURE_R ? &record->r : measure == MEASURE_F ? &record->f : &record->m;
}

/* A 64-bit key in the order of a measure, better larger: a signed count
 * with its sign bit flipped; a double's bits, negatives' inverted. */
static uint64_t key_of_signed(int64_t value) { return (uint64_t)value ^ (1ull << 63); }

static uint64_t key_of_double(double value)
{
    uint64_t bits;
    memcpy(&bits, &value, sizeof bits);
    return bits >> 63 ? ~bits : bits | (1ull << 63);
}

/* The keys of recency and frequency are the values themselves. */
static int no_tie(uint64_t a, uint64_t b, const void *context)
{
    (void)a, (void)b, (void)context;
    return 0;
}

/* Monetary's key is the nearest double, which keeps the order of the exact
 * values (strtod rounds correctly) but may tie distinct ones: the exact sums
 * decide. */
static int monetary_tie(uint64_t a, uint64_t b, const void *context)
{
    const rfm_record *records = context;
    return decimal_compare(records[a].monetary, records[b].monetary);
}

/* Scores every customer for one measure: work[c] holds customer c's key.
 * A customer's score counts the customers strictly worse, the place of the
 * first of its run of equal values once sorted. */
static void score_measure(fimbit_rfm *rfm, order_entry *work, uint32_t n, rfm_measure measure,
                          int threads)
{
    order_tie_fn tie = measure == MEASURE_M ? monetary_tie : no_tie;
    order_sort(work, n, tie, rfm->records, threads);
    uint64_t worse = 0;
    for (uint32_t i = 0; i < n; i++) {
        if (i > 0 && (work[i - 1].key != work[i].key ||
                      tie(work[i - 1].value, work[i].value, rfm->records) != 0))
            worse = i;
        *score_of(&rfm->records[work[i].value], measure) = 1 + (uint32_t)(rfm->bins * worse / n);
    }
}

static fimbit_status format_monetary(fimbit_rfm *rfm, uint32_t n, fimbit_error *error)
{
    rfm->monetary_offsets = fimbit__malloc_array((size_t)n + 1, sizeof *rfm->monetary_offsets);
    rfm->monetary_value = fimbit__malloc_array(n ? n : 1, sizeof *rfm->monetary_value);
    rfm->monetary_text = fimbit__malloc_array(n ? n : 1, DECIMAL_TEXT_SIZE);
    if (!rfm->monetary_offsets || !rfm->monetary_value || !rfm->monetary_text)
        return fimbit__fail(error, FIMBIT_ENOMEM, "out of memory computing RFM");
    uint64_t used = 0;
    for (uint32_t c = 0; c < n; c++) {
        rfm->monetary_offsets[c] = used;
        used += decimal_format(rfm->records[c].monetary, rfm->monetary_text + used) + 1;
        rfm->monetary_value[c] = strtod(rfm->monetary_text + rfm->monetary_offsets[c], NULL);
    }
    rfm->monetary_offsets[n] = used;
    return FIMBIT_OK;
}

fimbit_status rfm_score(fimbit_rfm *rfm, fimbit_error *error)
{
    uint32_t n = rfm->customers.count;
    fimbit_status status = format_monetary(rfm, n, error);
    if (status != FIMBIT_OK)
        return status;
    order_entry *work = fimbit__malloc_array(n ? n : 1, sizeof *work);
    if (work == NULL)
        return fimbit__fail(error, FIMBIT_ENOMEM, "out of memory computing RFM");
    int threads = fimbit__thread_count_for_work(rfm->threads, n);
    for (uint32_t c = 0; c < n; c++)
        rfm->records[c].recency = (int64_t)rfm->as_of_day - rfm->records[c].latest_day;
    /* Recency: fewer days is better, so the key is of the negated count. */
    for (uint32_t c = 0; c < n; c++)
        work[c] = (order_entry){key_of_signed(-rfm->records[c].recency), c};
    score_measure(rfm, work, n, MEASURE_R, threads);
    for (uint32_t c = 0; c < n; c++)
        work[c] = (order_entry){rfm->records[c].frequency, c};
    score_measure(rfm, work, n, MEASURE_F, threads);
    for (uint32_t c = 0; c < n; c++)
        work[c] = (order_entry){key_of_double(rfm->monetary_value[c]), c};
    score_measure(rfm, work, n, MEASURE_M, threads);
    fimbit__free(work);
    for (uint32_t c = 0; c < n; c++) {
        rfm_record *record = &rfm->records[c];
        record->segment = rfm->bins == 5 ? rfm_segment_of(record->r, record->f) : RFM_NO_SEGMENT;
    }
    return FIMBIT_OK;
}

size_t fimbit_rfm_customer_count(const fimbit_rfm *rfm)
{
    return rfm ? rfm->customers.count : 0;
}

fimbit_status fimbit_rfm_get(const fimbit_rfm *rfm, size_t index, fimbit_rfm_customer *customer)
{
    if (rfm == NULL || customer == NULL || index >= rfm->customers.count)
        return FIMBIT_EINVAL;
    const rfm_record *record = &rfm->records[index];
    *customer = (fimbit_rfm_customer){
        .customer = rfm->customers.bytes + rfm->customers.offsets[index],
        .recency = record->recency,
        .frequency = record->frequency,
        .monetary_text = rfm->monetary_text + rfm->monetary_offsets[index],
        .monetary = rfm->monetary_value[index],
        .r = record->r,
        .f = record->f,
        .m = record->m,
        .segment = rfm_segment_names[record->segment]};
    return FIMBIT_OK;
}

void fimbit_rfm_get_stats(const fimbit_rfm *rfm, fimbit_rfm_stats *stats)
{
    if (stats == NULL)
        return;
    memset(stats, 0, sizeof *stats);
    if (rfm == NULL)
        return;
    stats->rows = rfm->rows;
    stats->rows_without_customer = rfm->rows_without_customer;
    stats->customers = rfm->customers.count;
    stats->bins = rfm->bins;
    if (rfm->any_date)
        date_format_iso(rfm->latest_day, stats->latest);
    date_format_iso(rfm->as_of_day, stats->as_of);
}

void fimbit_rfm_summarize(const fimbit_rfm *rfm, fimbit_rfm_segment_summary *out, size_t *count)
{
    if (count != NULL)
        *count = 0;
    if (rfm == NULL || out == NULL || count == NULL)
        return;
    fimbit_rfm_segment_summary all[RFM_SEGMENT_COUNT + 1] = {{0}};
    uint32_t n = rfm->customers.count;
    for (uint32_t c = 0; c < n; c++) {
        const rfm_record *record = &rfm->records[c];
        fimbit_rfm_segment_summary *s = &all[record->segment];
        s->customers++;
        s->mean_recency += (double)record->recency;
        s->mean_frequency += (double)record->frequency;
        s->mean_monetary += rfm->monetary_value[c];
    }
    for (size_t k = 0; k <= RFM_SEGMENT_COUNT; k++) {
        fimbit_rfm_segment_summary *s = &all[k];
        if (s->customers == 0)
            continue;
        double customers = (double)s->customers;
        s->segment = rfm_segment_names[k];
        s->share = customers / n;
        s->mean_recency /= customers;
        s->mean_frequency /= customers;
        s->mean_monetary /= customers;
        out[(*count)++] = *s;
    }
}
