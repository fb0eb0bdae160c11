/*
 * The itemsets go to rank 0, which files them into one store as a kernel's
 * sinks would (store_flush). Each rank sends its records in pieces of at most
 * GATHER_PIECE words (or one record of the longest itemset possible, when
 * that is longer) cut at record boundaries, and rank 0 takes them rank by
 * rank, so its memory beyond the store stays one piece. Rank 0 keeps
 * receiving even after its store ran out of memory, so that no sender is left
 * blocked; the agreement afterwards ends the run everywhere.
 */
#include <string.h>

#include <omp.h>

#include "dist.h"
#include "store/sink.h"
#include "store/store.h"

#define GATHER_PIECE ((size_t)1 << 20)
#define GATHER_TAG 4242

static bool records_reserve(dist_records *records, size_t words)
{
    return fimbit__grow_array((void **)&records->words, &records->capacity, records->used + words,
                              sizeof *records->words);
}

bool dist_records_append_words(dist_records *records, const uint32_t *words, size_t count)
{
    if (count == 0 || !records_reserve(records, count))
        return count == 0;
    memcpy(records->words + records->used, words, count * sizeof *words);
    records->used += count;
    return true;
}

bool dist_records_append(dist_records *records, const uint32_t *items, uint32_t size,
                         uint32_t extra, uint64_t count)
{
    uint32_t total = size + (extra != UINT32_MAX);
    size_t need = records->used + SINK_RECORD_HEADER_WORDS + total;
    if (!records_reserve(records, SINK_RECORD_HEADER_WORDS + total))
        return false;
    uint32_t *record = records->words + records->used;
    record[0] = total;
    record[1] = (uint32_t)count;
    record[2] = (uint32_t)(count >> 32);
    memcpy(record + SINK_RECORD_HEADER_WORDS, items, size * sizeof *items);
    if (extra != UINT32_MAX)
        record[SINK_RECORD_HEADER_WORDS + size] = extra;
    records->used = need;
    return true;
}

/* Words a piece may hold: GATHER_PIECE, or one record of every frequent item. */
static size_t piece_capacity(const dist_plan *plan)
{
    size_t longest = SINK_RECORD_HEADER_WORDS + (size_t)plan->frequent.frequent_count;
    return longest > GATHER_PIECE ? longest : GATHER_PIECE;
}

/* The longest run of whole records from `records` within `capacity` words. */
static size_t piece_words(const uint32_t *records, size_t words, size_t capacity)
{
    size_t used = 0;
    while (used < words) {
        size_t next = used + SINK_RECORD_HEADER_WORDS + records[used];
        if (next > capacity)
            break;
        used = next;
    }
    return used;
}

static void send_records(const dist_job *job, const uint32_t *records, size_t words,
                         size_t capacity)
{
    for (size_t done = 0; done < words;) {
        size_t n = piece_words(records + done, words - done, capacity);
        MPI_Send(records + done, (int)n, MPI_UINT32_T, 0, GATHER_TAG, job->comm);
        job->stats->bytes_sent += n * sizeof(uint32_t);
        done += n;
    }
}

/* Rank 0: files `expected` words from rank `from` into the store. After a
 * failed flush the store drops what comes (store_finish reports it). */
static void receive_records(const dist_job *job, int from, uint64_t expected, uint32_t *buffer,
                            size_t capacity, fimbit_itemsets *store)
{
    for (uint64_t got = 0; got < expected;) {
        MPI_Status status;
        MPI_Recv(buffer, (int)capacity, MPI_UINT32_T, from, GATHER_TAG, job->comm, &status);
        int count = 0;
        MPI_Get_count(&status, MPI_UINT32_T, &count);
        store_flush(store, 0, buffer, (size_t)count);
        job->stats->bytes_received += (uint64_t)count * sizeof(uint32_t);
        got += (uint64_t)count;
    }
}

fimbit_status dist_gather(const dist_job *job, const dist_plan *plan,
                          const fimbit_dataset *header, dist_records *own,
                          fimbit_itemsets **out, fimbit_error *error)
{
    uint32_t *records = own->words;
    size_t words = own->used;
    own->words = NULL;
    own->used = own->capacity = 0;
    job->stats->itemsets_kept = 0;
    for (size_t w = 0; w < words; w += SINK_RECORD_HEADER_WORDS + records[w])
        job->stats->itemsets_kept++;
    double start = omp_get_wtime();
    *out = NULL;
    uint64_t mine = words;
    uint64_t *expected = NULL;
    fimbit_itemsets *store = NULL;
    uint32_t *buffer = NULL;
    size_t capacity = piece_capacity(plan);
    fimbit_status status = FIMBIT_OK;
    if (job->rank == 0) {
        expected = fimbit__calloc((size_t)job->size, sizeof *expected);
        store = store_create(header, plan->frequent.rank_to_item, job->threads);
        buffer = fimbit__malloc_array(capacity, sizeof *buffer);
        if (!expected || !store || !buffer)
            status = fimbit__fail(error, FIMBIT_ENOMEM, "out of memory gathering the itemsets");
    }
    status = dist_agree(job, status, error);
    if (status == FIMBIT_OK) {
        MPI_Gather(&mine, 1, MPI_UINT64_T, expected, 1, MPI_UINT64_T, 0, job->comm);
        if (job->rank == 0) {
            store_flush(store, 0, records, words);
            for (int from = 1; from < job->size; from++)
                receive_records(job, from, expected[from], buffer, capacity, store);
            /* store_finish reports a failed flush as out of memory. */
            status = store_finish(store, error);
        } else {
            send_records(job, records, words, capacity);
        }
    }
    fimbit__free(records);
    fimbit__free(expected);
    fimbit__free(buffer);
    status = dist_agree(job, status, error);
    if (status != FIMBIT_OK)
        fimbit_itemsets_free(store);
    else
        *out = store;
    job->stats->gather_seconds = omp_get_wtime() - start;
    return status;
}
