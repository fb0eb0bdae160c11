/*
 * Progress reports: one meter per stage, fed by the stage's workers, which
 * calls the callback that the calling thread registered with
 * fimbit_set_progress(). The meter throttles: BEGIN and END always reach the
 * callback, UPDATEs at most once per progress_interval_ns. Workers feed it a
 * batch of work at a time (a parse window, a top-level branch, a block of
 * records), never an itemset at a time.
 */
#ifndef FIMBIT_PROGRESS_H
#define FIMBIT_PROGRESS_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "internal.h"

/* Nanoseconds between two UPDATEs of a stage: 0.1 s, ten a second at most.
 * Tests set it to 0 to see every update. */
extern int64_t progress_interval_ns;

/* Set by fimbit_request_stop(), possibly from a signal handler: a lock-free
 * atomic, which a handler may store to. Every meter's checks read it. */
extern atomic_bool progress_stop_flag;

/* True once fimbit_request_stop() was called (and not reset since). */
static inline bool progress_stop_requested(void)
{
    return atomic_load_explicit(&progress_stop_flag, memory_order_relaxed);
}

typedef struct progress_meter {
    fimbit_progress_fn fn; /* NULL: nobody listens, every call returns at once */
    void *user;
    fimbit_stage stage;
    const char *unit;
    uint64_t total;        /* 0 = not known */
    int64_t start_ns;
    atomic_uint_fast64_t done;
    atomic_int_fast64_t next_update_ns;
    atomic_flag reporting; /* held while the callback runs: one call at a time */
    atomic_bool canceled;
} progress_meter;

/* Starts `stage` on `meter` with the calling thread's callback and sends
 * BEGIN. `unit` is a static string; `total` 0 means not known.
 * @return 0, or non-zero when the callback or fimbit_request_stop() asked to
 * stop (so do progress_advance, progress_end and progress_canceled). */
int progress_begin(progress_meter *meter, fimbit_stage stage, const char *unit,
                   uint64_t total);

int progress_advance_reporting(progress_meter *meter, uint64_t units);

/* Counts `units` more units done and sends an UPDATE when the last one is
 * old enough. Safe from any thread. @return 0, or non-zero once the callback
 * asked to stop. */
static inline int progress_advance(progress_meter *meter, uint64_t units)
{
    if (meter == NULL || meter->fn == NULL)
        return progress_stop_requested();
    return progress_advance_reporting(meter, units);
}

/* Ends the stage: done becomes total (or total done when it was not known)
 * and END is sent. Call it only when the stage succeeded.
 * @return 0, or non-zero when the callback asked to stop. */
int progress_end(progress_meter *meter);

/* True once the callback or fimbit_request_stop() asked to stop. */
bool progress_canceled(const progress_meter *meter);

/* Fills `error` with FIMBIT_ECANCELED naming the stage and who asked to
 * stop. @return FIMBIT_ECANCELED. */
fimbit_status progress_cancel_error(const progress_meter *meter, fimbit_error *error);

/* The calling thread's registration, set aside and put back: library code
 * that calls other entry points many times (the MPI driver mines each item
 * group through fimbit_mine_itemsets_stream) mutes the reports around them. */
typedef struct progress_registration {
    fimbit_progress_fn fn;
    void *user;
} progress_registration;

progress_registration progress_mute(void);
void progress_restore(progress_registration saved);

#endif /* FIMBIT_PROGRESS_H */
