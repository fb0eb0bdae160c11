/* Progress meters and the per-thread registration of fimbit_set_progress(). */
#include "progress.h"

#include <time.h>

int64_t progress_interval_ns = 100000000;

atomic_bool progress_stop_flag = false;

void fimbit_request_stop(void)
{
    atomic_store_explicit(&progress_stop_flag, true, memory_order_relaxed);
}

void fimbit_clear_stop(void)
{
    atomic_store_explicit(&progress_stop_flag, false, memory_order_relaxed);
}

int fimbit_stop_requested(void) { return progress_stop_requested(); }

static _Thread_local progress_registration registered;

void fimbit_set_progress(fimbit_progress_fn fn, void *user)
{
    registered.fn = fn;
    registered.user = fn != NULL ? user : NULL;
}

const char *fimbit_stage_name(fimbit_stage stage)
{
    switch (stage) {
    case FIMBIT_STAGE_READ:
        return "read";
    case FIMBIT_STAGE_COUNT:
        return "count";
    case FIMBIT_STAGE_SHARD:
        return "shard";
    case FIMBIT_STAGE_MINE:
        return "mine";
    case FIMBIT_STAGE_RULES:
        return "rules";
    case FIMBIT_STAGE_WRITE:
        return "write";
    }
    return "unknown";
}

progress_registration progress_mute(void)
{
    progress_registration saved = registered;
    registered = (progress_registration){NULL, NULL};
    return saved;
}

void progress_restore(progress_registration saved) { registered = saved; }

static int64_t now_ns(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (int64_t)now.tv_sec * 1000000000 + now.tv_nsec;
}

/* Calls the callback with the meter's state; the caller holds `reporting`. */
static void report(progress_meter *meter, fimbit_progress_event event, uint64_t done,
                   int64_t at_ns)
{
    fimbit_progress progress = {
        .stage = meter->stage,
        .event = event,
        .done = done,
        .total = meter->total,
        .unit = meter->unit,
        .elapsed = (double)(at_ns - meter->start_ns) * 1e-9,
    };
    if (meter->fn(meter->user, &progress) != 0)
        atomic_store_explicit(&meter->canceled, true, memory_order_relaxed);
}

/* BEGIN and END run on the calling thread between parallel regions, but a
 * straggling UPDATE may still hold the flag for the length of its call. */
static void lock_reporting(progress_meter *meter)
{
    while (atomic_flag_test_and_set_explicit(&meter->reporting, memory_order_acquire))
        ;
}

static void unlock_reporting(progress_meter *meter)
{
    atomic_flag_clear_explicit(&meter->reporting, memory_order_release);
}

int progress_begin(progress_meter *meter, fimbit_stage stage, const char *unit, uint64_t total)
{
    meter->fn = registered.fn;
    meter->user = registered.user;
    meter->stage = stage;
    meter->unit = unit;
    meter->total = total;
    atomic_init(&meter->done, 0);
    atomic_init(&meter->canceled, false);
    atomic_flag_clear(&meter->reporting);
    if (meter->fn == NULL)
        return progress_stop_requested();
    meter->start_ns = now_ns();
    atomic_init(&meter->next_update_ns, meter->start_ns + progress_interval_ns);
    lock_reporting(meter);
    report(meter, FIMBIT_PROGRESS_BEGIN, 0, meter->start_ns);
    unlock_reporting(meter);
    return progress_canceled(meter);
}

int progress_advance_reporting(progress_meter *meter, uint64_t units)
{
    atomic_fetch_add_explicit(&meter->done, units, memory_order_relaxed);
    int64_t now = now_ns();
    if (now < atomic_load_explicit(&meter->next_update_ns, memory_order_relaxed))
        return progress_canceled(meter);
    /* Whoever holds the flag is reporting already: the others go on. */
    if (atomic_flag_test_and_set_explicit(&meter->reporting, memory_order_acquire))
        return progress_canceled(meter);
    if (now >= atomic_load_explicit(&meter->next_update_ns, memory_order_relaxed)) {
        uint64_t done = atomic_load_explicit(&meter->done, memory_order_relaxed);
        /* A file that grew while read must not show more than all of it. */
        if (meter->total != 0 && done > meter->total)
            done = meter->total;
        report(meter, FIMBIT_PROGRESS_UPDATE, done, now);
        atomic_store_explicit(&meter->next_update_ns, now + progress_interval_ns,
                              memory_order_relaxed);
    }
    unlock_reporting(meter);
    return progress_canceled(meter);
}

int progress_end(progress_meter *meter)
{
    if (meter->fn == NULL)
        return progress_stop_requested();
    uint64_t done = atomic_load_explicit(&meter->done, memory_order_relaxed);
    if (done > meter->total)
        meter->total = done;
    lock_reporting(meter);
    report(meter, FIMBIT_PROGRESS_END, meter->total, now_ns());
    unlock_reporting(meter);
    return progress_canceled(meter);
}

bool progress_canceled(const progress_meter *meter)
{
    return atomic_load_explicit(&meter->canceled, memory_order_relaxed) ||
           progress_stop_requested();
}

fimbit_status progress_cancel_error(const progress_meter *meter, fimbit_error *error)
{
    bool by_callback = atomic_load_explicit(&meter->canceled, memory_order_relaxed);
    return fimbit__fail(error, FIMBIT_ECANCELED, "%s stopped by %s",
                        fimbit_stage_name(meter->stage),
                        by_callback ? "the progress callback" : "a request to stop");
}
