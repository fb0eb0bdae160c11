/*
 * Global item ids. Each rank numbered its items in order of first appearance
 * in its own part; rank 0 gathers every rank's names (in local id order),
 * interns them rank by rank — so a global id is the order of first appearance
 * in the whole input, as for one process reading the parts in turn — and
 * sends each rank its local -> global map. FIMI items go by their canonical
 * decimal names, so they merge like any name. The names cross the network
 * once, to rank 0 only; only rank 0 needs them (to write the result).
 */
#include <string.h>

#include "dist.h"

/* Bytes of the local names, NUL-terminated, back to back. */
static size_t local_name_bytes(const fimbit_dataset *local)
{
    if (local->item_count == 0)
        return 0;
    uint32_t last = local->item_count - 1;
    return local->name_offsets[last] + strlen(dataset_item_name(local, last)) + 1;
}

/* Rank 0: interns every rank's names; map[k] receives the global id of the
 * k-th name received. */
static fimbit_status intern_all(const char *bytes, size_t length, dataset_builder *names,
                                uint32_t *map, fimbit_error *error)
{
    size_t k = 0;
    for (const char *p = bytes, *end = bytes + length; p < end; k++) {
        size_t n = strlen(p);
        fimbit_status status = dataset_builder_intern_name(names, p, n, &map[k]);
        if (status == FIMBIT_ELIMIT)
            return fimbit__fail(error, status, "more than %lu distinct items",
                                (unsigned long)DICT_MAX_ITEMS);
        if (status != FIMBIT_OK)
            return fimbit__fail(error, status, "out of memory merging the item names");
        p += n + 1;
    }
    return FIMBIT_OK;
}

/* Counts and displacements of a Gatherv/Scatterv, checked against int. */
static bool layout(const dist_job *job, const uint64_t *sizes, int *counts, int *displacements,
                   uint64_t *total)
{
    uint64_t sum = 0;
    for (int r = 0; r < job->size; r++) {
        if (sizes[r] > INT32_MAX || sum > INT32_MAX)
            return false;
        counts[r] = (int)sizes[r];
        displacements[r] = (int)sum;
        sum += sizes[r];
    }
    *total = sum;
    return sum <= INT32_MAX;
}

fimbit_status dist_merge_dictionaries(const dist_job *job, const fimbit_dataset *local,
                                      uint32_t **local_to_global, uint32_t *global_count,
                                      dataset_builder *names, fimbit_error *error)
{
    int P = job->size;
    uint64_t mine[2] = {local_name_bytes(local), local->item_count};
    uint64_t *sizes = fimbit__calloc(2 * (size_t)P, sizeof *sizes);
    int *counts = fimbit__calloc(4 * (size_t)P, sizeof *counts);
    *local_to_global = fimbit__malloc_array(local->item_count + 1, sizeof **local_to_global);
    bool names_ready = job->rank != 0 || dataset_builder_init(names) == FIMBIT_OK;
    fimbit_status status = FIMBIT_OK;
    if (!sizes || !counts || !*local_to_global || !names_ready)
        status = fimbit__fail(error, FIMBIT_ENOMEM, "out of memory merging the item names");
    status = dist_agree(job, status, error);
    if (status != FIMBIT_OK)
        goto done;

    MPI_Gather(mine, 2, MPI_UINT64_T, sizes, 2, MPI_UINT64_T, 0, job->comm);
    int *byte_counts = counts, *byte_displacements = counts + P;
    int *id_counts = counts + 2 * P, *id_displacements = counts + 3 * P;
    char *all_bytes = NULL;
    uint32_t *all_ids = NULL;
    uint64_t byte_total = 0, id_total = 0;
    if (job->rank == 0) {
        uint64_t *byte_sizes = fimbit__malloc_array((size_t)P, sizeof *byte_sizes);
        uint64_t *id_sizes = fimbit__malloc_array((size_t)P, sizeof *id_sizes);
        if (byte_sizes && id_sizes) {
            for (int r = 0; r < P; r++) {
                byte_sizes[r] = sizes[2 * r];
                id_sizes[r] = sizes[2 * r + 1];
            }
            if (!layout(job, byte_sizes, byte_counts, byte_displacements, &byte_total) ||
                !layout(job, id_sizes, id_counts, id_displacements, &id_total))
                status = fimbit__fail(error, FIMBIT_ELIMIT,
                                      "the item names exceed 2 GiB: too many for one rank");
        } else {
            status = fimbit__fail(error, FIMBIT_ENOMEM, "out of memory merging the item names");
        }
        fimbit__free(byte_sizes);
        fimbit__free(id_sizes);
        if (status == FIMBIT_OK) {
            all_bytes = fimbit__malloc(byte_total + 1);
            all_ids = fimbit__malloc_array(id_total + 1, sizeof *all_ids);
            if (!all_bytes || !all_ids)
                status = fimbit__fail(error, FIMBIT_ENOMEM, "out of memory merging the item names");
        }
    }
    status = dist_agree(job, status, error);
    if (status == FIMBIT_OK) {
        MPI_Gatherv(local->name_bytes, (int)mine[0], MPI_CHAR, all_bytes, byte_counts,
                    byte_displacements, MPI_CHAR, 0, job->comm);
        job->stats->bytes_sent += mine[0];
        if (job->rank == 0) {
            job->stats->bytes_received += byte_total;
            status = intern_all(all_bytes, byte_total, names, all_ids, error);
        }
        status = dist_agree(job, status, error);
    }
    if (status == FIMBIT_OK) {
        MPI_Scatterv(all_ids, id_counts, id_displacements, MPI_UINT32_T, *local_to_global,
                     (int)mine[1], MPI_UINT32_T, 0, job->comm);
        job->stats->bytes_received += mine[1] * sizeof(uint32_t);
        if (job->rank == 0)
            job->stats->bytes_sent += id_total * sizeof(uint32_t);
        *global_count = job->rank == 0 ? names->names.count : 0;
        MPI_Bcast(global_count, 1, MPI_UINT32_T, 0, job->comm);
    }
    fimbit__free(all_bytes);
    fimbit__free(all_ids);
done:
    fimbit__free(sizes);
    fimbit__free(counts);
    if (status != FIMBIT_OK) {
        fimbit__free(*local_to_global);
        *local_to_global = NULL;
        if (job->rank == 0)
            dataset_builder_release(names);
    }
    return status;
}
