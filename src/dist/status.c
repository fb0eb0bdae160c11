/* Agreement between ranks: on a stage's outcome, and on sums of counters. */
#include <stdio.h>
#include <string.h>

#include "dist.h"

fimbit_status dist_agree(const dist_job *job, fimbit_status status, fimbit_error *error)
{
    /* The lowest failing rank speaks for all: for a split file it read the
     * earliest part, so its message is the one a single process would give. */
    int candidate = status == FIMBIT_OK ? job->size : job->rank;
    int first = job->size;
    MPI_Allreduce(&candidate, &first, 1, MPI_INT, MPI_MIN, job->comm);
    if (first == job->size)
        return FIMBIT_OK;
    fimbit_error shared;
    memset(&shared, 0, sizeof shared);
    if (job->rank == first) {
        if (error != NULL)
            shared = *error;
        shared.code = status;
        if (shared.message[0] == '\0')
            snprintf(shared.message, sizeof shared.message, "%s", fimbit_status_str(status));
    }
    MPI_Bcast(&shared, (int)sizeof shared, MPI_BYTE, first, job->comm);
    if (error != NULL)
        *error = shared;
    return shared.code;
}

void dist_sum_u64(const dist_job *job, uint64_t *values, size_t count)
{
    for (size_t done = 0; done < count; done += DIST_MAX_PIECE) {
        size_t piece = count - done < DIST_MAX_PIECE ? count - done : DIST_MAX_PIECE;
        MPI_Allreduce(MPI_IN_PLACE, values + done, (int)piece, MPI_UINT64_T, MPI_SUM, job->comm);
    }
}
