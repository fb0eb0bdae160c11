/*
 * Memory for a run's threads, taken before the run needs its memory.
 */
#ifndef FIMBIT_CLI_THREAD_MEMORY_H
#define FIMBIT_CLI_THREAD_MEMORY_H

#include "fimbit.h"

/* Where mapping memory can fail (see below), starts this program again,
 * once, with the same arguments and with glibc and jemalloc set up for
 * threads that start where memory may have run out (see thread_memory.c).
 * Call first thing in main. Returns when nothing is to be done, or the new
 * start failed. */
void cli_thread_memory_restart(char **argv);

/* Where mapping memory can fail (a limit on the address space or the data,
 * strict overcommit), takes now what `threads` threads (0 = every core) will
 * need and cannot fail cleanly later: their allocator arenas and their
 * stacks (see thread_memory.c). With 0, fewer threads than cores may be all
 * that can start: the default becomes that many. @return FIMBIT_OK, or
 * FIMBIT_ENOMEM with a message when `threads` threads cannot start. */
fimbit_status cli_thread_memory_prepare(int threads, fimbit_error *error);

#endif /* FIMBIT_CLI_THREAD_MEMORY_H */
