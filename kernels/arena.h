/*
 * A per-thread bump allocator for the kernels' working memory: allocation is a
 * pointer increment, and a whole branch of the search is freed at once by
 * restoring a mark taken before it. Chunks come from the library allocator,
 * never in hot loops: a chunk is reused across marks once allocated.
 */
#ifndef FIMBIT_ARENA_H
#define FIMBIT_ARENA_H

#include <stdbool.h>
#include <stddef.h>

typedef struct arena_chunk arena_chunk;

#define ARENA_FIRST_CHUNK ((size_t)16 << 10)

typedef struct arena {
    arena_chunk *current; /* the chunk being filled */
    size_t used;          /* bytes used in `current` */
    size_t chunk_size;    /* the largest ordinary chunk */
    size_t next_size;     /* the next new chunk's size: doubles up to chunk_size */
    bool doubling;        /* false: every chunk after the first is chunk_size */
} arena;

/* A position to come back to: everything allocated after it is freed. */
typedef struct arena_mark {
    arena_chunk *chunk;
    size_t used;
} arena_mark;

/* Chunks start at ARENA_FIRST_CHUNK bytes and double up to `chunk_size` (0: 1 MiB), so a
 * walk that needs little touches little. */
void arena_init(arena *a, size_t chunk_size);
/* As arena_init, but the chunk after the first is `chunk_size` at once: a
 * walk that outgrows the first chunk works in one contiguous chunk, whose
 * pages become resident only as far as the walk ever reaches. A doubling
 * chain keeps resident every chunk's furthest fill, reached at different
 * moments, and the tails left when a request did not fit: on a deep dense
 * walk (chess at 959, closed) twice what the walk holds at once. */
void arena_init_flat(arena *a, size_t chunk_size);
/* Frees every chunk. The arena can be used again after arena_init(). */
void arena_release(arena *a);

/* @return `size` bytes aligned to 64 (a cache line, and enough for SIMD), or
 *         NULL when memory is exhausted. */
void *arena_alloc(arena *a, size_t size);
/* As arena_alloc, for `count` elements of `size` bytes; NULL on overflow too. */
void *arena_alloc_array(arena *a, size_t count, size_t size);

arena_mark arena_save(const arena *a);
void arena_restore(arena *a, arena_mark mark);

#endif /* FIMBIT_ARENA_H */
