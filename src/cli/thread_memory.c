/*
 * Three things a thread needs fail badly when memory has run out, because
 * they belong to libraries that do not report it:
 * - jemalloc gives a new thread an arena of its own and makes it at the
 *   thread's first allocation; when making it fails, jemalloc goes on with
 *   no arena and the process dies of SIGSEGV (jemalloc issue 2289);
 * - jemalloc's thread cache, made at the same moment, fails the same way
 *   (SIGSEGV in tcache_bin_flush_stashed, seen at -T 16 and -T 64);
 * - libgomp, unable to start a thread (its stack, 8 MiB by default, cannot be
 *   mapped), prints "libgomp: Thread creation failed" and exits.
 * All happen only where mapping memory can fail before the machine is out
 * of it: under a limit (ulimit -v, prlimit --as) or strict overcommit.
 * There the program first starts itself again with glibc keeping every
 * ended thread's stack for the next thread (by default it keeps 40 MiB of
 * them, five threads' worth) and jemalloc without thread caches. Then the
 * threads' arenas are made, and as many threads as the run will start are
 * started and ended once: their stacks are kept for OpenMP's threads, also
 * for the threads a smaller team ended and a larger one starts again. A run
 * that later runs out of memory gets an allocation that fails, which the
 * library reports. When not all the threads can start, a run with the
 * default count gets as many as did; one that asked for more (-T) stops
 * here, with a message of its own.
 */
#include "thread_memory.h"

#include <errno.h>
#include <fcntl.h>
#include <omp.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "base/internal.h"
#include "output_file.h"

/* jemalloc's control call, present when jemalloc is linked in (not in the
 * sanitizer builds, whose allocator is the sanitizer's). */
extern int mallctl(const char *name, void *old, size_t *old_size, void *new, size_t new_size)
    __attribute__((weak));

/* Larger than any address-space limit: glibc keeps every ended thread's
 * stack (their pages are given back; only the address space stays). */
#define KEEP_EVERY_STACK "glibc.pthread.stack_cache_size=1099511627776"

static bool limited(int resource)
{
    struct rlimit limit;
    return getrlimit(resource, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY;
}

/* Otherwise the kernel's OOM killer ends a run that runs out, and taking the
 * memory early would only cost time (about 120,000 instructions an arena,
 * and a thread started and ended for each). */
static bool mappings_can_fail(void)
{
    if (limited(RLIMIT_AS) || limited(RLIMIT_DATA))
        return true;
    char mode = '0';
    int fd = open("/proc/sys/vm/overcommit_memory", O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        if (read(fd, &mode, 1) != 1)
            mode = '0';
        close(fd);
    }
    return mode == '2';
}

/* Moving this thread to an arena makes it; a new thread takes an idle one
 * before it makes another. */
static void make_arenas(unsigned wanted)
{
    unsigned automatic, home;
    size_t size = sizeof automatic;
    if (mallctl == NULL || mallctl("opt.narenas", &automatic, &size, NULL, 0) != 0)
        return;
    size = sizeof home;
    if (mallctl("thread.arena", &home, &size, NULL, 0) != 0)
        return;
    for (unsigned arena = 0; arena < wanted && arena < automatic; arena++)
        if (arena != home && mallctl("thread.arena", NULL, NULL, &arena, sizeof arena) != 0)
            break;
    mallctl("thread.arena", NULL, NULL, &home, sizeof home);
}

/* Adds `setting` to the environment variable `name`, a list joined by
 * `separator`, unless the list sets `key` already (the user's choice stays).
 * @return true when it was added. */
static bool add_setting(const char *name, const char *key, const char *setting, char separator)
{
    const char *list = getenv(name);
    if (list == NULL || list[0] == '\0')
        return setenv(name, setting, 1) == 0;
    if (strstr(list, key) != NULL)
        return false;
    size_t size = strlen(list) + strlen(setting) + 2;
    char *joined = malloc(size);
    if (joined == NULL)
        return false;
    snprintf(joined, size, "%s%c%s", list, separator, setting);
    bool added = setenv(name, joined, 1) == 0;
    free(joined);
    return added;
}

void cli_thread_memory_restart(char **argv)
{
    if (!mappings_can_fail())
        return;
    /* Both are read once, when the program starts. */
    bool stacks =
        add_setting("GLIBC_TUNABLES", "glibc.pthread.stack_cache_size=", KEEP_EVERY_STACK, ':');
    bool caches = add_setting("MALLOC_CONF", "tcache:", "tcache:false", ',');
    if (stacks || caches)
        execv("/proc/self/exe", argv); /* when it fails, the run goes on as it is */
}

static void *do_nothing(void *argument) { return argument; }

/* Starts up to `count` threads at once and ends them. @return how many
 * started; *code is the error number of the first that could not, else 0. */
static unsigned start_threads(unsigned count, int *code)
{
    pthread_t *threads = calloc(count, sizeof *threads);
    if (threads == NULL) {
        *code = ENOMEM;
        return 0;
    }
    unsigned started = 0;
    *code = 0;
    while (started < count) {
        *code = pthread_create(&threads[started], NULL, do_nothing, NULL);
        if (*code != 0)
            break;
        started++;
    }
    for (unsigned i = started; i > 0; i--)
        pthread_join(threads[i - 1], NULL);
    free(threads);
    return started;
}

fimbit_status cli_thread_memory_prepare(int threads, fimbit_error *error)
{
    unsigned wanted = (unsigned)fimbit__thread_count(threads);
    if (wanted < 2 || !mappings_can_fail())
        return FIMBIT_OK;
    make_arenas(wanted);
    int code;
    unsigned started = start_threads(wanted - 1, &code);
    if (code == 0)
        return FIMBIT_OK;
    /* Every core by default means every core there is memory for; a number
     * asked for is kept, so the run cannot go on. */
    if (threads <= 0) {
        omp_set_num_threads((int)started + 1);
        return FIMBIT_OK;
    }
    return cli_error_set(error, FIMBIT_ENOMEM,
                         "out of memory: cannot start %u threads (%s); fewer (-T) need less",
                         wanted, strerror(code));
}
