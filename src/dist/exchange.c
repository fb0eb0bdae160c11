/*
 * The basket exchange: the projection of parallel FP-growth (Li et al.,
 * RecSys 2008). For every basket t (global ranks, ascending) and every rank d
 * that owns an item of t, d receives t cut after the last item it owns (or
 * all of t for closed and maximal itemsets). A basket is sent at most once to
 * each rank, so a rank's share is the union of its items' conditional pattern
 * bases, with shared prefixes sent once.
 *
 * Messages are words: [length][items...]. The exchange runs in rounds of at
 * most round_words words sent per rank (one MPI_Alltoall of counts, one
 * MPI_Alltoallv of words), so the send buffers stay bounded however large the
 * input; every rank takes part in every round, with nothing to send once its
 * baskets are done, until none has anything left.
 */
#include <string.h>

#include "dist.h"

typedef struct exchange_state {
    const dist_job *job;
    const flist *baskets;
    const int *owner;
    bool whole;
    int64_t *last;     /* per rank: the last position in the basket it owns, -1 none */
    int *touched;      /* ranks with last >= 0, in order of discovery */
    int touched_count;
    int *send_counts, *send_displacements, *recv_counts, *recv_displacements;
    uint32_t *send;    /* capacity round_words (+ the one basket that may overflow it) */
    size_t send_capacity;
    uint32_t *received;
    size_t received_words, received_capacity;
} exchange_state;

/* Finds the ranks basket t goes to, and how long each piece is. */
static void route_basket(exchange_state *x, uint64_t t)
{
    for (int k = 0; k < x->touched_count; k++)
        x->last[x->touched[k]] = -1;
    x->touched_count = 0;
    const flist *f = x->baskets;
    uint64_t begin = f->tx_offsets[t], end = f->tx_offsets[t + 1];
    for (uint64_t i = begin; i < end; i++) {
        int d = x->owner[f->tx_items[i]];
        if (x->last[d] < 0)
            x->touched[x->touched_count++] = d;
        x->last[d] = (int64_t)(i - begin);
    }
}

static uint64_t piece_length(const exchange_state *x, uint64_t t, int d)
{
    return x->whole ? x->baskets->tx_offsets[t + 1] - x->baskets->tx_offsets[t]
                    : (uint64_t)x->last[d] + 1;
}

/* Fills the send buffer with the baskets from *cursor on, up to round_words
 * words (at least one basket), and advances *cursor. */
static bool fill_round(exchange_state *x, uint64_t *cursor, size_t round_words)
{
    int P = x->job->size;
    const flist *f = x->baskets;
    memset(x->send_counts, 0, (size_t)P * sizeof *x->send_counts);
    uint64_t stop = *cursor, total = 0;
    for (; stop < f->tx_count; stop++) {
        route_basket(x, stop);
        uint64_t words = 0;
        for (int k = 0; k < x->touched_count; k++)
            words += 1 + piece_length(x, stop, x->touched[k]);
        if (total + words > round_words && stop > *cursor)
            break;
        total += words;
        for (int k = 0; k < x->touched_count; k++)
            x->send_counts[x->touched[k]] += (int)(1 + piece_length(x, stop, x->touched[k]));
    }
    if (total > x->send_capacity) {
        fimbit__free(x->send);
        x->send = fimbit__malloc_array(total, sizeof *x->send);
        x->send_capacity = x->send ? total : 0;
        if (x->send == NULL) {
            memset(x->send_counts, 0, (size_t)P * sizeof *x->send_counts);
            return false;
        }
    }
    int position = 0;
    for (int d = 0; d < P; d++) {
        x->send_displacements[d] = position;
        position += x->send_counts[d];
    }
    for (uint64_t t = *cursor; t < stop; t++) {
        route_basket(x, t);
        const uint32_t *items = f->tx_items + f->tx_offsets[t];
        for (int k = 0; k < x->touched_count; k++) {
            int d = x->touched[k];
            uint32_t length = (uint32_t)piece_length(x, t, d);
            uint32_t *out = x->send + x->send_displacements[d];
            out[0] = length;
            memcpy(out + 1, items, length * sizeof *items);
            x->send_displacements[d] += (int)length + 1;
        }
    }
    for (int d = 0; d < P; d++)
        x->send_displacements[d] -= x->send_counts[d];
    for (int d = 0; d < P; d++)
        if (d != x->job->rank)
            x->job->stats->exchange_bytes_sent += (uint64_t)x->send_counts[d] * sizeof(uint32_t);
    *cursor = stop;
    return true;
}

/* Makes room for this round's incoming words; lays out their displacements. */
static bool reserve_incoming(exchange_state *x)
{
    int P = x->job->size;
    uint64_t incoming = 0;
    for (int d = 0; d < P; d++) {
        x->recv_displacements[d] = (int)incoming;
        incoming += (uint64_t)x->recv_counts[d];
        if (d != x->job->rank)
            x->job->stats->exchange_bytes_received +=
                (uint64_t)x->recv_counts[d] * sizeof(uint32_t);
    }
    if (incoming > INT32_MAX)
        return false;
    return fimbit__grow_array((void **)&x->received, &x->received_capacity,
                              x->received_words + incoming, sizeof *x->received);
}

/* Turns the received words into CSR, compacting the items in place. */
static fimbit_status unpack(exchange_state *x, dist_baskets *out)
{
    uint64_t count = 0;
    for (size_t w = 0; w < x->received_words; w += 1 + x->received[w])
        count++;
    out->offsets = fimbit__malloc_array(count + 1, sizeof *out->offsets);
    if (out->offsets == NULL)
        return FIMBIT_ENOMEM;
    uint64_t b = 0, position = 0;
    out->offsets[0] = 0;
    for (size_t w = 0; w < x->received_words;) {
        uint32_t length = x->received[w];
        memmove(x->received + position, x->received + w + 1, length * sizeof(uint32_t));
        position += length;
        out->offsets[++b] = position;
        w += 1 + length;
    }
    out->count = count;
    out->items = x->received;
    x->received = NULL;
    if (position > 0) {
        uint32_t *trimmed = fimbit__realloc_array(out->items, position, sizeof *trimmed);
        if (trimmed)
            out->items = trimmed;
    }
    return FIMBIT_OK;
}

fimbit_status dist_exchange(const dist_job *job, const dist_plan *plan, bool whole,
                            size_t round_words, dist_baskets *received, fimbit_error *error)
{
    memset(received, 0, sizeof *received);
    int P = job->size;
    exchange_state x = {.job = job, .baskets = &plan->frequent, .owner = plan->owner,
                        .whole = whole};
    x.last = fimbit__malloc_array((size_t)P, sizeof *x.last);
    x.touched = fimbit__malloc_array((size_t)P, sizeof *x.touched);
    int *counts = fimbit__calloc(4 * (size_t)P, sizeof *counts);
    bool own_failure = !x.last || !x.touched || !counts;
    if (counts) {
        x.send_counts = counts;
        x.send_displacements = counts + P;
        x.recv_counts = counts + 2 * P;
        x.recv_displacements = counts + 3 * P;
    }
    for (int d = 0; x.last && d < P; d++)
        x.last[d] = -1;
    int flags[2] = {own_failure, 1}; /* anyone failed, anyone has baskets left */
    MPI_Allreduce(MPI_IN_PLACE, flags, 1, MPI_INT, MPI_MAX, job->comm);

    uint64_t cursor = 0;
    while (!flags[0] && flags[1]) {
        own_failure = !fill_round(&x, &cursor, round_words);
        MPI_Alltoall(x.send_counts, 1, MPI_INT, x.recv_counts, 1, MPI_INT, job->comm);
        own_failure = !reserve_incoming(&x) || own_failure;
        flags[0] = own_failure;
        flags[1] = cursor < plan->frequent.tx_count;
        MPI_Allreduce(MPI_IN_PLACE, flags, 2, MPI_INT, MPI_MAX, job->comm);
        if (flags[0])
            break;
        MPI_Alltoallv(x.send, x.send_counts, x.send_displacements, MPI_UINT32_T,
                      x.received + x.received_words, x.recv_counts, x.recv_displacements,
                      MPI_UINT32_T, job->comm);
        for (int d = 0; d < P; d++)
            x.received_words += (size_t)x.recv_counts[d];
        job->stats->exchange_rounds++;
    }
    /* A rank that did not fail itself passes OK: the agreement below gives
     * every rank the failing one's status. */
    fimbit_status status = FIMBIT_OK;
    if (own_failure || (!flags[0] && unpack(&x, received) != FIMBIT_OK))
        status = fimbit__fail(error, FIMBIT_ENOMEM,
                              "out of memory exchanging the baskets on rank %d", job->rank);
    fimbit__free(x.last);
    fimbit__free(x.touched);
    fimbit__free(counts);
    fimbit__free(x.send);
    fimbit__free(x.received);
    job->stats->bytes_sent += job->stats->exchange_bytes_sent;
    job->stats->bytes_received += job->stats->exchange_bytes_received;
    if (status == FIMBIT_OK && !flags[0]) {
        job->stats->projected_baskets = received->count;
        job->stats->projected_items = received->offsets[received->count];
    } else {
        dist_baskets_free(received);
    }
    return dist_agree(job, status, error);
}

void dist_baskets_free(dist_baskets *baskets)
{
    fimbit__free(baskets->offsets);
    fimbit__free(baskets->items);
    memset(baskets, 0, sizeof *baskets);
}
