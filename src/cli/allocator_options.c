/*
 * jemalloc's options for the command line, read by jemalloc at its start
 * (its build-time `malloc_conf` symbol; MALLOC_CONF in the environment still
 * overrides them). Builds without jemalloc (sanitizers) ignore the symbol.
 *
 * Freed pages go back to the system at once instead of after ten seconds:
 * the runs are short, so with the default decay every array that grew by
 * doubling kept its earlier copies resident to the end (1.5 MB on retail 5
 * maximal and retail-long 70, 0.6 MB on chess 959 maximal). The kernels do
 * not allocate in their loops, so the purges cost no measurable time.
 * Thread caches keep blocks of at most 4 KiB: larger freed blocks (a chain
 * or buffer that grew) are left to the arena, which reuses them for any size.
 */
const char *malloc_conf = "dirty_decay_ms:0,muzzy_decay_ms:0,tcache_max:4096";
