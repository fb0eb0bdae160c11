/* Tidsets: one container per shard; see tidset.h. */
#include "tidset.h"

static uint32_t min_u32(uint32_t a, uint32_t b) { return a < b ? a : b; }

bool tidset_of_item(const kernel_data *data, uint32_t rank, arena *scratch, tidset *out)
{
    uint32_t shards = data->shard_count;
    container *parts = arena_alloc_array(scratch, shards ? shards : 1, sizeof *parts);
    if (!parts)
        return false;
    const container *column = data->vertical + (size_t)rank * shards;
    uint64_t count = 0;
    for (uint32_t s = 0; s < shards; s++) {
        parts[s] = column[s];
        count += column[s].cardinality;
    }
    out->count = count;
    out->parts = parts;
    return true;
}

/* The most a ∩ b can hold in shards [from, shard_count). */
static uint64_t bound_from(const kernel_data *data, const tidset *a, const tidset *b,
                           uint32_t from)
{
    uint64_t bound = 0;
    for (uint32_t s = from; s < data->shard_count; s++)
        bound += min_u32(a->parts[s].cardinality, b->parts[s].cardinality);
    return bound;
}

int tidset_intersect_min(const kernel_data *data, const tidset *a, const tidset *b,
                         uint64_t min_count, arena *scratch, tidset *out)
{
    uint32_t shards = data->shard_count;
    if (a->count < min_count || b->count < min_count)
        return 0;
    uint64_t rest = shards > 1 ? bound_from(data, a, b, 0) : 0;
    if (shards > 1 && rest < min_count)
        return 0;
    arena_mark mark = arena_save(scratch);
    container *parts = arena_alloc_array(scratch, shards ? shards : 1, sizeof *parts);
    if (!parts)
        return -1;
    uint64_t total = 0;
    for (uint32_t s = 0; s < shards; s++) {
        const container *x = &a->parts[s], *y = &b->parts[s];
        uint32_t bound = min_u32(x->cardinality, y->cardinality);
        rest -= shards > 1 ? bound : 0;
        /* What this shard must contribute for the total to reach min_count. */
        uint64_t needed = min_count > total + rest ? min_count - total - rest : 0;
        if (needed > bound) {
            arena_restore(scratch, mark);
            return 0;
        }
        int rc = container_intersect_min(x, y, (uint32_t)needed, scratch, &parts[s]);
        if (rc <= 0) {
            arena_restore(scratch, mark);
            return rc;
        }
        total += parts[s].cardinality;
    }
    if (total < min_count) {
        arena_restore(scratch, mark);
        return 0;
    }
    out->count = total;
    out->parts = parts;
    return 1;
}

bool tidset_intersect(const kernel_data *data, const tidset *a, const tidset *b, arena *scratch,
                      tidset *out)
{
    return tidset_intersect_min(data, a, b, 0, scratch, out) > 0;
}

uint64_t tidset_intersect_count_min(const kernel_data *data, const tidset *a, const tidset *b,
                                    uint64_t min_count)
{
    uint32_t shards = data->shard_count;
    if (a->count < min_count || b->count < min_count)
        return 0;
    uint64_t rest = shards > 1 ? bound_from(data, a, b, 0) : 0;
    if (shards > 1 && rest < min_count)
        return 0;
    uint64_t total = 0;
    for (uint32_t s = 0; s < shards; s++) {
        const container *x = &a->parts[s], *y = &b->parts[s];
        uint32_t bound = min_u32(x->cardinality, y->cardinality);
        rest -= shards > 1 ? bound : 0;
        uint64_t needed = min_count > total + rest ? min_count - total - rest : 0;
        if (needed > bound)
            return 0;
        uint32_t count = container_intersect_count_min(x, y, (uint32_t)needed);
        if (count < needed)
            return 0;
        total += count;
    }
    return total;
}

uint64_t tidset_intersect_count(const kernel_data *data, const tidset *a, const tidset *b)
{
    return tidset_intersect_count_min(data, a, b, 0);
}

bool tidset_is_subset(const kernel_data *data, const tidset *a, const tidset *b)
{
    if (a->count > b->count)
        return false;
    for (uint32_t s = 0; s < data->shard_count; s++)
        if (!container_is_subset(&a->parts[s], &b->parts[s]))
            return false;
    return true;
}

void tidset_list(const kernel_data *data, const tidset *set, uint64_t *out)
{
    size_t n = 0;
    for (uint32_t s = 0; s < data->shard_count; s++) {
        const container *c = &set->parts[s];
        uint64_t base = (uint64_t)s * SHARD_BASKETS;
        if (c->kind == CONTAINER_ARRAY) {
            for (uint32_t i = 0; i < c->cardinality; i++)
                out[n++] = base + c->u.array[i];
            continue;
        }
        for (uint32_t w = 0; w < c->words; w++)
            for (uint64_t bits = c->u.bits[w]; bits; bits &= bits - 1)
                out[n++] = base + (uint64_t)w * 64u + (uint32_t)__builtin_ctzll(bits);
    }
}
