/* The CLI's clock, for --verbose stage timings and the progress display. */
#ifndef FIMBIT_CLI_CLOCK_H
#define FIMBIT_CLI_CLOCK_H

#include <time.h>

/* @return a monotonic clock in seconds. */
static inline double cli_now(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)now.tv_sec + (double)now.tv_nsec * 1e-9;
}

#endif /* FIMBIT_CLI_CLOCK_H */
