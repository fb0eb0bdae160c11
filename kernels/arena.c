/* Bump allocation in a chain of chunks; see arena.h. */
#include <stdint.h>

#include "base/internal.h"
#include "arena.h"

#define ARENA_ALIGN 64u

struct arena_chunk {
    arena_chunk *previous; /* towards the first chunk */
    arena_chunk *next;     /* kept after a restore, for reuse */
    size_t capacity;       /* usable bytes after the header */
};

/* The header is padded so that the first block is aligned too. */
#define CHUNK_HEADER ((sizeof(arena_chunk) + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1))

static unsigned char *chunk_data(arena_chunk *chunk) { return (unsigned char *)chunk + CHUNK_HEADER; }

void arena_init(arena *a, size_t chunk_size)
{
    a->current = NULL;
    a->used = 0;
    a->chunk_size = chunk_size ? chunk_size : (size_t)1 << 20;
    a->next_size = a->chunk_size < ARENA_FIRST_CHUNK ? a->chunk_size : ARENA_FIRST_CHUNK;
    a->doubling = true;
}

void arena_init_flat(arena *a, size_t chunk_size)
{
    arena_init(a, chunk_size);
    a->doubling = false;
}

void arena_release(arena *a)
{
    arena_chunk *chunk = a->current;
    if (chunk) {
        while (chunk->next)
            chunk = chunk->next;
        while (chunk) {
            arena_chunk *previous = chunk->previous;
            fimbit__free(chunk);
            chunk = previous;
        }
    }
    a->current = NULL;
    a->used = 0;
}

/* Moves to a chunk that can hold `size` bytes: the next kept one if it is big
 * enough, else a new one linked in its place. */
static int arena_grow(arena *a, size_t size)
{
    arena_chunk *next = a->current ? a->current->next : NULL;
    if (next && next->capacity >= size) {
        a->current = next;
        a->used = 0;
        return 1;
    }
    size_t capacity = size > a->next_size ? size : a->next_size;
    if (capacity > SIZE_MAX - CHUNK_HEADER)
        return 0;
    arena_chunk *chunk = fimbit__aligned_malloc(ARENA_ALIGN, CHUNK_HEADER + capacity);
    if (!chunk)
        return 0;
    chunk->capacity = capacity;
    if (!a->doubling || a->next_size > a->chunk_size / 2)
        a->next_size = a->chunk_size;
    else
        a->next_size *= 2;
    chunk->previous = a->current;
    /* A kept chunk too small for this request is dropped from the chain. */
    chunk->next = NULL;
    if (next) {
        arena_chunk *rest = next;
        while (rest) {
            arena_chunk *after = rest->next;
            fimbit__free(rest);
            rest = after;
        }
    }
    if (a->current)
        a->current->next = chunk;
    a->current = chunk;
    a->used = 0;
    return 1;
}

void *arena_alloc(arena *a, size_t size)
{
    size_t rounded = (size + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
    if (rounded < size)
        return NULL;
    if (!a->current || a->current->capacity - a->used < rounded) {
        if (!arena_grow(a, rounded))
            return NULL;
    }
    void *block = chunk_data(a->current) + a->used;
    a->used += rounded;
    return block;
}

void *arena_alloc_array(arena *a, size_t count, size_t size)
{
    if (size != 0 && count > SIZE_MAX / size)
        return NULL;
    return arena_alloc(a, count * size);
}

arena_mark arena_save(const arena *a)
{
    arena_mark mark = {a->current, a->used};
    return mark;
}

void arena_restore(arena *a, arena_mark mark)
{
    if (mark.chunk == NULL) {
        /* Back to the start: rewind to the first chunk, keeping the chain. */
        arena_chunk *chunk = a->current;
        while (chunk && chunk->previous)
            chunk = chunk->previous;
        a->current = chunk;
        a->used = 0;
        return;
    }
    a->current = mark.chunk;
    a->used = mark.used;
}
