/*
 * Line formats: FIMI (integer ids) and named baskets, one basket a line.
 *
 * A block of text is cut into chunks at line boundaries, one per thread; each
 * thread parses its chunk into chunk-local ids (in order of first appearance
 * in the chunk) with its own tables, so the hot loop shares nothing. The
 * chunks are then merged in input order: each chunk's new items are given
 * global ids in chunk order, which is exactly the order of first appearance
 * in the whole input, so the dataset does not depend on the thread count.
 */
#include <omp.h>
#include <string.h>

#include "reader.h"

/* Below this many bytes a chunk is not worth a thread. */
#define LINE_CHUNK_MIN ((size_t)64 << 10)
/* FIMI ids below this are looked up in a flat table (8 MiB at most per
 * chunk); larger ones in a hash map. Real FIMI files use small ids. */
#define DIRECT_LIMIT ((uint64_t)1 << 20)
/* UINT64_MAX / 10 and UINT64_MAX % 10: the overflow test of the digit loop. */
#define U64_MAX_DIV10 1844674407370955161ull
#define U64_MAX_MOD10 5u

enum chunk_error {
    CHUNK_OK = 0,
    CHUNK_NOT_ID,   /* FIMI: a token that is not a non-negative integer */
    CHUNK_OVERFLOW, /* FIMI: an id above 2^64 - 1 */
    CHUNK_BINARY,   /* a NUL byte */
    CHUNK_NOMEM,
    CHUNK_LIMIT     /* more distinct items than ids */
};

typedef struct name_slice {
    const char *bytes;
    size_t length;
    uint64_t hash;
    uint64_t head;               /* the first eight bytes, zero-padded */
} name_slice;

/* One thread's share of a block. The arrays outlive the block: the reader
 * keeps its chunks from block to block (line_reader_release frees them), so
 * a file read in many windows faults their pages in once, not per window. */
struct line_chunk {
    const char *begin;
    const char *end;
    bool close_tail;             /* text after the last '\n' is a basket */
    bool numeric;                /* FIMI: items are values, not names */

    enum chunk_error error;
    const char *error_at;
    const char *error_line_start;
    uint64_t newlines;           /* '\n' consumed (before the error, if any) */

    uint64_t basket_count;
    uint64_t basket_capacity;    /* entries of basket_ends, the leading 0 included */
    uint64_t *basket_ends;       /* 0, then per basket its end index into items
                                  * (the chunk's CSR offsets) */
    uint64_t item_count;
    uint64_t item_capacity;
    uint32_t *items;             /* chunk-local ids */

    uint32_t local_count;
    uint32_t local_capacity;
    uint32_t *seen;              /* per local id: the mark of the last basket */
    uint64_t *support;           /* per local id: baskets of the chunk holding it */
    uint32_t *global;            /* merge: local id -> dataset id */
    uint64_t *values;            /* FIMI: per local id, the id as read */
    name_slice *names;           /* BASKET: per local id, the name in the text */

    /* FIMI: for value < direct_size, the local id (low half, DICT_EMPTY when
     * unseen) and the mark of the last basket holding it (high half): one
     * load answers both "which item" and "already in this basket". */
    uint64_t *direct;
    uint64_t direct_size;
    u64_map large;               /* FIMI: the other values */
    uint32_t *slots;             /* BASKET: name table of local ids */
    uint64_t slot_count;

    uint64_t basket_base; /* merge: where the chunk's baskets and items go; */
    uint64_t item_base;   /* a flushing chunk: the builder's counts before it */

    /* A lone chunk (one thread) hands its closed baskets to the builder
     * whenever its arrays fill (chunk_flush), so they stay a few dozen KiB
     * whatever the block's size, and the block's ids are not held twice (4
     * bytes an item here, 2 in the builder). NULL: the merge takes all. */
    line_reader *flush_to;
    uint64_t baskets_flushed;   /* closed baskets handed over so far */
    uint32_t locals_assigned;   /* local ids given their dataset ids so far */
    fimbit_status flush_status; /* why a flush failed (error is CHUNK_NOMEM) */
};

size_t line_flush_items = LINE_FLUSH_ITEMS;

/* The read's scratch arrays give their pages back as they go: the
 * allocator would keep them resident for later blocks, which the recoding
 * and the kernels' arenas do not fit in (retail-long 70 maximal: 0.2-0.3 MB
 * of peak RSS). */
static void chunk_release(line_chunk *c)
{
    fimbit__free_discarding(c->basket_ends);
    fimbit__free_discarding(c->items);
    fimbit__free_discarding(c->seen);
    fimbit__free_discarding(c->support);
    fimbit__free_discarding(c->global);
    fimbit__free_discarding(c->values);
    fimbit__free_discarding(c->names);
    fimbit__free_discarding(c->direct);
    u64_map_release(&c->large);
    fimbit__free_discarding(c->slots);
    memset(c, 0, sizeof *c);
}

/* Forgets the local ids of the previous text (the tables keep their size). */
static void chunk_forget_items(line_chunk *c)
{
    if (c->values != NULL)
        for (uint32_t id = 0; id < c->local_count; id++)
            if (c->values[id] < c->direct_size)
                c->direct[c->values[id]] = DICT_EMPTY;
    if (c->large.count > 0)
        u64_map_release(&c->large);
    if (c->slot_count > 0)
        memset(c->slots, 0xff, c->slot_count * sizeof *c->slots);
    if (c->flush_to != NULL) {
        /* Parsing the block again: the baskets handed over go. */
        c->flush_to->builder->basket_count = c->basket_base;
        c->flush_to->builder->item_total = c->item_base;
    }
    c->local_count = 0;
    c->locals_assigned = 0;
    c->item_count = 0;
    c->basket_count = 0;
    c->baskets_flushed = 0;
    c->newlines = 0;
    c->error = CHUNK_OK;
    c->flush_status = FIMBIT_OK;
}

/* Gives the chunk's local ids not yet assigned their dataset ids, in local
 * order. */
static fimbit_status chunk_assign_ids(const line_reader *r, line_chunk *c)
{
    bool numeric = c->numeric;
    dataset_builder *b = r->builder;
    if (b->names.count == 0) {
        /* Every local id is new: size the table once. */
        fimbit_status status = dict_reserve(&b->names, c->local_count);
        if (status != FIMBIT_OK)
            return status;
    }
    for (uint32_t id = c->locals_assigned; id < c->local_count; id++) {
        fimbit_status status =
            numeric ? dataset_builder_intern_number(b, c->values[id], &c->global[id])
                    : dataset_builder_intern_name(b, c->names[id].bytes, c->names[id].length,
                                                  &c->global[id]);
        if (status != FIMBIT_OK)
            return status;
    }
    c->locals_assigned = c->local_count;
    return FIMBIT_OK;
}

/* Makes the builder's arrays hold `baskets` and `items` more, which end the
 * text up to byte `parsed` of the input. When they must grow and the input's
 * size is known, they grow to the whole input's projection at the density so
 * far (plus 3%): one growth is then usually the last, where doubling would
 * copy the items again and again and hold up to twice them. */
static fimbit_status reserve_for_text(const line_reader *r, uint64_t baskets, uint64_t items,
                                      uint64_t parsed)
{
    dataset_builder *b = r->builder;
    uint64_t basket_total = b->basket_count + baskets, item_total = b->item_total + items;
    bool full = item_total > b->items_capacity || basket_total >= b->offsets_capacity;
    if (full && parsed > 0 && r->input_size > parsed) {
        /* Only this input's share grows with the projection. */
        double scale = (double)r->input_size / (double)parsed * 1.03;
        uint64_t input_baskets = basket_total - r->baskets_before;
        uint64_t input_items = item_total - r->items_before;
        fimbit_status status = dataset_builder_expect(
            b, r->baskets_before + (uint64_t)((double)input_baskets * scale) + 1024,
            r->items_before + (uint64_t)((double)input_items * scale) + 4096);
        if (status != FIMBIT_OK)
            return status;
    }
    return dataset_builder_reserve(b, baskets, items);
}

/* Writes the chunk's first `baskets` closed baskets, their ids translated,
 * into the builder from basket `basket_base` and item `item_base` on. The
 * builder has room, in its final width. */
static void chunk_store_baskets(const line_chunk *c, dataset_builder *b, uint64_t basket_base,
                                uint64_t item_base, uint64_t baskets)
{
    uint64_t *offsets = b->offsets + basket_base + 1;
    for (uint64_t k = 0; k < baskets; k++)
        offsets[k] = item_base + c->basket_ends[k + 1];
    /* One loop per width. An input without items has no item array at all
     * (NULL + 0). */
    uint64_t count = c->basket_ends[baskets];
    if (count == 0)
        return;
    if (b->items.narrow) {
        uint16_t *items = b->items.narrow + item_base;
        for (uint64_t k = 0; k < count; k++)
            items[k] = (uint16_t)c->global[c->items[k]];
    } else {
        uint32_t *items = b->items.wide + item_base;
        for (uint64_t k = 0; k < count; k++)
            items[k] = c->global[c->items[k]];
    }
}

/* Hands a lone chunk's closed baskets to the builder, keeping the open
 * basket's ids at the front. `at` is where the parse stands in the text.
 * @return false on failure (flush_status says which). */
static bool chunk_flush(line_chunk *c, const char *at)
{
    line_reader *r = c->flush_to;
    dataset_builder *b = r->builder;
    uint64_t baskets = c->basket_count, items = c->basket_ends[baskets];
    fimbit_status status = chunk_assign_ids(r, c);
    if (status == FIMBIT_OK)
        status = reserve_for_text(r, baskets, items, r->bytes_done + (uint64_t)(at - c->begin));
    if (status != FIMBIT_OK) {
        c->flush_status = status;
        return false;
    }
    chunk_store_baskets(c, b, b->basket_count, b->item_total, baskets);
    b->basket_count += baskets;
    b->item_total += items;
    memmove(c->items, c->items + items, (size_t)(c->item_count - items) * sizeof *c->items);
    c->item_count -= items;
    c->basket_count = 0;
    c->baskets_flushed += baskets;
    /* Names point into the text they were first read from (chunk_find_name
     * compares with it): its pages would come back at once. */
    if (r->text_passed != NULL && c->numeric)
        r->text_passed(r->text_context, at);
    return true;
}

/* The capacity for `count` entries filled by the text before `at`, when
 * `capacity` is full: what the rest of the chunk will need at the density so
 * far (plus 10%), at least a quarter more. One growth is then usually the
 * last, without reserving for the densest text up front. */
static uint64_t chunk_projected_capacity(const line_chunk *c, const char *at, uint64_t count,
                                         uint64_t capacity)
{
    double done = (double)(at - c->begin) + 1.0;
    double projected = (double)count * ((double)(c->end - c->begin) + 1.0) / done * 1.1;
    uint64_t grown = capacity + capacity / 4 + 1024;
    return projected > (double)grown ? (uint64_t)projected : grown;
}

/* Makes room for one more id: a lone chunk flushes its closed baskets, and
 * grows only for a basket longer than its array. */
static bool chunk_grow_items(line_chunk *c, const char *at)
{
    if (c->flush_to != NULL && c->basket_count > 0) {
        if (!chunk_flush(c, at))
            return false;
        if (c->item_count < c->item_capacity)
            return true;
    }
    uint64_t capacity = c->flush_to != NULL
                            ? c->item_capacity * 2 + 16
                            : chunk_projected_capacity(c, at, c->item_count, c->item_capacity);
    uint32_t *items = fimbit__realloc_array(c->items, capacity, sizeof *items);
    if (items == NULL)
        return false;
    c->items = items;
    c->item_capacity = capacity;
    return true;
}

static bool chunk_grow_baskets(line_chunk *c, const char *at)
{
    if (c->flush_to != NULL)
        return chunk_flush(c, at);
    uint64_t capacity = chunk_projected_capacity(c, at, c->basket_count, c->basket_capacity);
    uint64_t *ends = fimbit__realloc_array(c->basket_ends, capacity, sizeof *ends);
    if (ends == NULL)
        return false;
    c->basket_ends = ends;
    c->basket_capacity = capacity;
    return true;
}

/* Makes room for one more local id. */
static enum chunk_error chunk_grow_locals(line_chunk *c, bool numeric)
{
    if (c->local_count < c->local_capacity)
        return CHUNK_OK;
    if (c->local_count >= DICT_MAX_ITEMS)
        return CHUNK_LIMIT;
    uint32_t capacity = c->local_capacity ? c->local_capacity : 256;
    capacity = capacity > DICT_MAX_ITEMS / 2 ? DICT_MAX_ITEMS : capacity * 2;
    /* Each per-local-id array in turn; one that cannot grow keeps its size,
     * and local_capacity stays the smallest. */
#define GROW_LOCALS(array)                                                                         \
    do {                                                                                           \
        void *bigger = fimbit__grow_array_discarding((array), capacity, sizeof *(array));          \
        if (bigger == NULL)                                                                        \
            return CHUNK_NOMEM;                                                                    \
        (array) = bigger;                                                                          \
    } while (0)
    GROW_LOCALS(c->seen);
    GROW_LOCALS(c->support);
    GROW_LOCALS(c->global);
    if (numeric)
        GROW_LOCALS(c->values);
    else
        GROW_LOCALS(c->names);
#undef GROW_LOCALS
    c->local_capacity = capacity;
    return CHUNK_OK;
}

/* Gives the next local id to a new item. */
static uint32_t chunk_new_local(line_chunk *c)
{
    uint32_t id = c->local_count++;
    c->seen[id] = 0;
    c->support[id] = 0;
    return id;
}

/* Appends a local id, read at `at`, to the open basket. */
static inline bool chunk_append(line_chunk *c, uint32_t local, const char *at)
{
    if (c->item_count == c->item_capacity && !chunk_grow_items(c, at))
        return false;
    c->items[c->item_count++] = local;
    c->support[local]++;
    return true;
}

/* Makes the flat table cover `value` (< DIRECT_LIMIT). */
static bool chunk_grow_direct(line_chunk *c, uint64_t value)
{
    uint64_t size = c->direct_size ? c->direct_size : 1024;
    while (size <= value)
        size *= 2;
    uint64_t *direct = fimbit__grow_array_discarding(c->direct, size, sizeof *direct);
    if (direct == NULL)
        return false;
    for (uint64_t v = c->direct_size; v < size; v++)
        direct[v] = DICT_EMPTY;
    c->direct = direct;
    c->direct_size = size;
    return true;
}

/* Adds the FIMI item `value` to the open basket (`mark`) unless it is already
 * there, giving it a local id when new. Every path handles every value; the
 * fast scanner inlines only the common one (a known value of the flat table). */
static enum chunk_error chunk_add_value(line_chunk *c, uint64_t value, uint32_t mark,
                                        const char *at)
{
    if (value < DIRECT_LIMIT) {
        if (value >= c->direct_size && !chunk_grow_direct(c, value))
            return CHUNK_NOMEM;
        uint64_t entry = c->direct[value];
        uint32_t local = (uint32_t)entry;
        if (local == DICT_EMPTY) {
            enum chunk_error status = chunk_grow_locals(c, true);
            if (status != CHUNK_OK)
                return status;
            local = chunk_new_local(c);
            c->values[local] = value;
        } else if ((uint32_t)(entry >> 32) == mark) {
            return CHUNK_OK; /* repeated in this basket */
        }
        c->direct[value] = local | (uint64_t)mark << 32;
        return chunk_append(c, local, at) ? CHUNK_OK : CHUNK_NOMEM;
    }
    uint32_t local = u64_map_get(&c->large, value);
    if (local == DICT_EMPTY) {
        enum chunk_error status = chunk_grow_locals(c, true);
        if (status != CHUNK_OK)
            return status;
        if (u64_map_put(&c->large, value, c->local_count) != FIMBIT_OK)
            return CHUNK_NOMEM;
        local = chunk_new_local(c);
        c->values[local] = value;
    } else if (c->seen[local] == mark) {
        return CHUNK_OK;
    }
    c->seen[local] = mark;
    return chunk_append(c, local, at) ? CHUNK_OK : CHUNK_NOMEM;
}

static bool chunk_rehash_names(line_chunk *c)
{
    uint64_t count = c->slot_count ? c->slot_count * 2 : 1024;
    uint32_t *slots = fimbit__malloc_array(count, sizeof *slots);
    if (slots == NULL)
        return false;
    memset(slots, 0xff, count * sizeof *slots);
    for (uint32_t id = 0; id < c->local_count; id++) {
        uint64_t slot = c->names[id].hash & (count - 1);
        while (slots[slot] != DICT_EMPTY)
            slot = (slot + 1) & (count - 1);
        slots[slot] = id;
    }
    fimbit__free(c->slots);
    c->slots = slots;
    c->slot_count = count;
    return true;
}

/* The first eight bytes of a name (fewer, zero-padded, when it is shorter)
 * inside a text readable up to `limit`. */
static inline uint64_t name_head(const char *name, size_t length, const char *limit)
{
    uint64_t head = 0;
    if (limit - name >= 8) {
        memcpy(&head, name, 8);
        if (length < 8)
            head &= ~0ull >> (64 - 8 * length);
    } else {
        memcpy(&head, name, length < 8 ? length : 8);
    }
    return head;
}

/* The local id of a name, added when new. A probe compares the hash, the
 * length and the first eight bytes, so most names (eight bytes or fewer) are
 * matched without a memcmp. */
static enum chunk_error chunk_find_name(line_chunk *c, const char *name, size_t length,
                                        uint32_t *local)
{
    uint64_t hash = dict_hash_in_text(name, length, c->end);
    uint64_t head = name_head(name, length, c->end);
    if (c->slot_count > 0) {
        uint64_t mask = c->slot_count - 1;
        for (uint64_t slot = hash & mask;; slot = (slot + 1) & mask) {
            uint32_t id = c->slots[slot];
            if (id == DICT_EMPTY)
                break;
            const name_slice *s = &c->names[id];
            if (s->hash == hash && s->head == head && s->length == length &&
                (length <= 8 || memcmp(s->bytes + 8, name + 8, length - 8) == 0)) {
                *local = id;
                return CHUNK_OK;
            }
        }
    }
    if (((uint64_t)c->local_count + 1) * 2 > c->slot_count && !chunk_rehash_names(c))
        return CHUNK_NOMEM;
    enum chunk_error status = chunk_grow_locals(c, false);
    if (status != CHUNK_OK)
        return status;
    uint32_t id = chunk_new_local(c);
    c->names[id] = (name_slice){name, length, hash, head};
    uint64_t mask = c->slot_count - 1;
    uint64_t slot = hash & mask;
    while (c->slots[slot] != DICT_EMPTY)
        slot = (slot + 1) & mask;
    c->slots[slot] = id;
    *local = id;
    return CHUNK_OK;
}

/* Adds a local id to the open basket unless it is already there. `mark`
 * identifies the open basket in `seen`. */
static inline bool chunk_add_item(line_chunk *c, uint32_t local, uint32_t mark, const char *at)
{
    if (c->seen[local] == mark)
        return true;
    c->seen[local] = mark;
    return chunk_append(c, local, at);
}

/* Closes the open basket at `at`. @return the next basket's mark, 0 on
 * failure. */
static uint32_t chunk_close_basket(line_chunk *c, uint32_t mark, const char *at)
{
    if (c->basket_count + 1 == c->basket_capacity && !chunk_grow_baskets(c, at))
        return 0;
    c->basket_ends[++c->basket_count] = c->item_count;
    if (++mark == 0) {
        /* The marks wrapped (4 billion baskets in one chunk): start over. */
        memset(c->seen, 0, (size_t)c->local_count * sizeof *c->seen);
        for (uint64_t v = 0; v < c->direct_size; v++)
            c->direct[v] = (uint32_t)c->direct[v];
        mark = 1;
    }
    return mark;
}

/* Memory ran out: reported without a position, so none is kept. */
static void chunk_out_of_memory(line_chunk *c)
{
    c->error = CHUNK_NOMEM;
    c->error_at = c->error_line_start = c->begin;
    c->newlines = 0;
}

/* Projects the chunk's items and baskets from its first 64 KiB: the bytes
 * that can end a token (blanks, commas, '\n') and the '\n's, scaled to the
 * chunk's length, plus 10%. Text of one kind throughout (the usual case)
 * then fills its arrays without growing them, and sparse text (long names)
 * holds no more than it needs, which a memory limit sees. */
static void chunk_project_sizes(const line_chunk *c, uint64_t *items, uint64_t *baskets)
{
    size_t length = (size_t)(c->end - c->begin);
    size_t sample = length < ((size_t)64 << 10) ? length : (size_t)64 << 10;
    uint64_t ends = 0, newlines = 0;
    for (size_t i = 0; i < sample; i++) {
        unsigned char byte = (unsigned char)c->begin[i];
        ends += byte == ' ' || byte == '\t' || byte == ',' || byte == '\n';
        newlines += byte == '\n';
    }
    double scale = (double)length / (double)(sample + 1) * 1.1;
    *items = (uint64_t)((double)(ends + 1) * scale) + 16;
    *baskets = (uint64_t)((double)(newlines + 1) * scale) + 16;
    if (*items > length / 2 + 16) /* an item takes two bytes at least */
        *items = length / 2 + 16;
}

/* Sizes the output arrays for the chunk (chunk_project_sizes), unless
 * earlier blocks left them big enough. */
static bool chunk_prepare(line_chunk *c)
{
    chunk_forget_items(c);
    uint64_t items, baskets;
    chunk_project_sizes(c, &items, &baskets);
    if (c->flush_to != NULL) {
        items = items < line_flush_items ? items : line_flush_items;
        baskets = baskets < items / 4 + 2 ? baskets : items / 4 + 2;
    }
    if (c->item_capacity < items) {
        fimbit__free(c->items);
        c->items = fimbit__malloc_array(items, sizeof *c->items);
        c->item_capacity = c->items ? items : 0;
    }
    if (c->basket_capacity < baskets) {
        fimbit__free(c->basket_ends);
        c->basket_ends = fimbit__malloc_array(baskets, sizeof *c->basket_ends);
        c->basket_capacity = c->basket_ends ? baskets : 0;
    }
    if (c->items == NULL || c->basket_ends == NULL) {
        chunk_out_of_memory(c);
        return false;
    }
    c->basket_ends[0] = 0;
    return true;
}

static void chunk_fail(line_chunk *c, enum chunk_error error, const char *at,
                       const char *line_start, uint64_t newlines)
{
    c->error = error;
    c->error_at = at;
    c->error_line_start = line_start;
    c->newlines = newlines;
}

static inline bool is_blank(unsigned char c) { return c == ' ' || c == '\t' || c == '\r'; }

/* Where a FIMI scan stands: the next byte, the start of its line, the lines
 * before it in the chunk and the mark of the open basket. */
typedef struct fimi_cursor {
    const unsigned char *p;
    const unsigned char *line_start;
    uint64_t newlines;
    uint32_t mark;
} fimi_cursor;

/* The reference FIMI scanner, a byte at a time. It reads the chunk's last
 * bytes, which the fast scanner leaves, and the whole chunk again when
 * anything was wrong, to place the first error exactly. @return false on an
 * error (set in the chunk). */
static bool fimi_scan_bytes(line_chunk *c, fimi_cursor *at)
{
    const unsigned char *p = at->p;
    const unsigned char *end = (const unsigned char *)c->end;
    const unsigned char *line_start = at->line_start;
    uint64_t newlines = at->newlines;
    uint32_t mark = at->mark;
    enum chunk_error status = CHUNK_OK;
    const unsigned char *failed_at = p;

    while (p < end && status == CHUNK_OK) {
        unsigned byte = *p;
        if ((unsigned)(byte - '0') <= 9) {
            const unsigned char *token = p;
            uint64_t value = 0;
            for (; p < end && (unsigned)(*p - '0') <= 9; p++) {
                unsigned digit = (unsigned)*p - '0';
                if (value >= U64_MAX_DIV10 && (value > U64_MAX_DIV10 || digit > U64_MAX_MOD10))
                    break;
                value = value * 10 + digit;
            }
            failed_at = token;
            if (p < end && (unsigned)(*p - '0') <= 9)
                status = CHUNK_OVERFLOW;
            else if (p < end && !is_blank(*p) && *p != '\n')
                status = CHUNK_NOT_ID;
            else
                status = chunk_add_value(c, value, mark, (const char *)p);
        } else if (byte == '\n') {
            mark = chunk_close_basket(c, mark, (const char *)p);
            failed_at = p;
            status = mark == 0 ? CHUNK_NOMEM : CHUNK_OK;
            newlines += mark != 0;
            line_start = ++p;
        } else if (is_blank((unsigned char)byte)) {
            p++;
        } else {
            failed_at = p;
            status = byte == 0 ? CHUNK_BINARY : CHUNK_NOT_ID;
        }
    }
    at->p = p;
    at->line_start = line_start;
    at->newlines = newlines;
    at->mark = mark;
    if (status != CHUNK_OK)
        chunk_fail(c, status, (const char *)failed_at, (const char *)line_start, newlines);
    return status == CHUNK_OK;
}

#define SWAR_ONES 0x0101010101010101ull

/* The value of the first `length` (1 to 8) decimal digits of a word whose
 * bytes are digit values (text ^ '0'): the digits are shifted to the top so
 * the missing ones read as leading zeros, then pairs, quads and halves are
 * combined with one multiply each. */
static inline uint64_t swar_decimal(uint64_t digits, unsigned length)
{
    uint64_t v = digits << (64 - 8 * length);
    v = (v * 10 + (v >> 8)) & 0x00ff00ff00ff00ffull;
    v = (v * 100 + (v >> 16)) & 0x0000ffff0000ffffull;
    return (v * 10000 + (v >> 32)) & 0xffffffffull;
}

/* The FIMI hot loop, eight bytes at a time: one load classifies every byte
 * as digit or not, the first non-digit gives the token's length, and the
 * token's value comes from swar_decimal without a loop over its digits. The
 * item is looked up in the flat table by value: one load answers "which local
 * id" and "already in this basket". Everything else (new or large values,
 * ids of eight digits or more, full arrays) goes through the general
 * helpers; anything invalid stops the scan, and the caller rescans the chunk
 * byte by byte to report it. State lives in locals: the stores into the
 * tables could alias the chunk's fields, so the compiler would reload them.
 * Stops eight bytes before the end, leaving the rest to fimi_scan_bytes.
 * @return false on invalid text or a failed allocation (c->error). */
static bool fimi_scan_words(line_chunk *c, fimi_cursor *at)
{
    const unsigned char *p = at->p;
    const unsigned char *end = (const unsigned char *)c->end;
    const unsigned char *line_start = at->line_start;
    uint32_t mark = at->mark;
    uint32_t *items = c->items;
    uint64_t count = c->item_count, capacity = c->item_capacity;
    uint64_t *direct = c->direct, direct_size = c->direct_size;
    uint64_t *support = c->support;

    while (end - p >= 8) {
        uint64_t word;
        memcpy(&word, p, sizeof word);
        uint64_t digits = word ^ (SWAR_ONES * '0');
        /* The high bit of each byte that is not a digit (and perhaps of
         * bytes after such a byte, through a carry: only the first counts). */
        uint64_t stops = ((digits + SWAR_ONES * 0x76) | digits) & (SWAR_ONES * 0x80);
        if (stops & 0x80) {
            unsigned byte = (unsigned char)word;
            if (byte == ' ' || byte == '\t' || byte == '\r') {
                p++;
                continue;
            }
            if (byte != '\n')
                goto invalid;
            c->item_count = count;
            mark = chunk_close_basket(c, mark, (const char *)p);
            if (mark == 0)
                goto out_of_memory;
            count = c->item_count; /* a flush moved the ids */
            line_start = ++p;
            continue;
        }
        uint64_t value;
        unsigned next;
        if (stops != 0) {
            unsigned length = (unsigned)__builtin_ctzll(stops) >> 3;
            value = swar_decimal(digits, length);
            next = (unsigned char)(word >> (8 * length));
            p += length;
        } else {
            /* Eight digits or more: rare in FIMI files, the rest by bytes. */
            value = swar_decimal(digits, 8);
            for (p += 8; p < end && (unsigned)(*p - '0') <= 9; p++) {
                unsigned digit = (unsigned)*p - '0';
                if (value >= U64_MAX_DIV10 && (value > U64_MAX_DIV10 || digit > U64_MAX_MOD10))
                    goto invalid;
                value = value * 10 + digit;
            }
            next = p < end ? *p : '\n'; /* the chunk's end ends the token */
        }
        if (next != ' ' && next != '\n' && next != '\t' && next != '\r')
            goto invalid;

        uint64_t entry = value < direct_size ? direct[value] : DICT_EMPTY;
        if ((uint32_t)entry != DICT_EMPTY) {
            if ((uint32_t)(entry >> 32) != mark) {
                uint32_t local = (uint32_t)entry;
                direct[value] = local | (uint64_t)mark << 32;
                if (count == capacity) {
                    c->item_count = count;
                    if (!chunk_grow_items(c, (const char *)p))
                        goto out_of_memory;
                    items = c->items;
                    count = c->item_count;
                    capacity = c->item_capacity;
                }
                items[count++] = local;
                support[local]++;
            }
        } else {
            c->item_count = count;
            enum chunk_error status = chunk_add_value(c, value, mark, (const char *)p);
            if (status == CHUNK_NOMEM)
                goto out_of_memory;
            if (status != CHUNK_OK)
                goto invalid; /* CHUNK_LIMIT: the rescan places it */
            items = c->items;
            count = c->item_count;
            capacity = c->item_capacity;
            direct = c->direct;
            direct_size = c->direct_size;
            support = c->support;
        }
        p += next == ' '; /* the usual separator; others go round the loop */
    }
    c->item_count = count;
    at->p = p;
    at->line_start = line_start;
    at->newlines = c->baskets_flushed + c->basket_count; /* each '\n' closed one */
    at->mark = mark;
    return true;

invalid:
    c->error = CHUNK_NOT_ID; /* the rescan tells which error, and where */
    return false;
out_of_memory:
    chunk_out_of_memory(c);
    return false;
}

static void chunk_parse_fimi(line_chunk *c)
{
    if (!chunk_prepare(c))
        return;
    const unsigned char *begin = (const unsigned char *)c->begin;
    fimi_cursor at = {begin, begin, 0, 1};
    bool parsed = fimi_scan_words(c, &at) && fimi_scan_bytes(c, &at);
    if (!parsed && c->error != CHUNK_NOMEM) {
        /* Invalid text somewhere: scan again from the start, byte by byte,
         * to stop at the first error with its line and column. */
        chunk_forget_items(c);
        at = (fimi_cursor){begin, begin, 0, 1};
        parsed = fimi_scan_bytes(c, &at);
    }
    if (!parsed)
        return;
    const unsigned char *end = (const unsigned char *)c->end;
    if (c->close_tail && at.line_start < end && chunk_close_basket(c, at.mark, c->end) == 0) {
        chunk_fail(c, CHUNK_NOMEM, c->end, (const char *)at.line_start, at.newlines);
        return;
    }
    c->newlines = at.newlines;
}

/* The high bit of each byte of `word` equal to `byte`: exact up to the first
 * such byte (a borrow may mark bytes after it), which is all the callers use. */
static inline uint64_t swar_bytes_equal(uint64_t word, unsigned char byte)
{
    uint64_t x = word ^ (SWAR_ONES * byte);
    return (x - SWAR_ONES) & ~x & (SWAR_ONES * 0x80);
}

/* The end of the field at `q`: the first '\n', NUL or `separator` (0: the
 * first blank), eight bytes a step while eight remain. The lowest marked byte
 * of the or-ed masks is exact, since each mask is exact up to its first. */
static inline const char *field_end(const char *q, const char *end, char separator)
{
    for (; end - q >= 8; q += 8) {
        uint64_t word;
        memcpy(&word, q, sizeof word);
        uint64_t stops = swar_bytes_equal(word, '\n') | swar_bytes_equal(word, 0);
        if (separator != 0)
            stops |= swar_bytes_equal(word, (unsigned char)separator);
        else
            stops |= swar_bytes_equal(word, ' ') | swar_bytes_equal(word, '\t') |
                     swar_bytes_equal(word, '\r');
        if (stops != 0)
            return q + (__builtin_ctzll(stops) >> 3);
    }
    if (separator != 0)
        while (q < end && *q != separator && *q != '\n' && *q != '\0')
            q++;
    else
        while (q < end && !is_blank((unsigned char)*q) && *q != '\n' && *q != '\0')
            q++;
    return q;
}

/* Named baskets: `separator` 0 splits at runs of blanks; another character
 * splits at each occurrence, and the names are trimmed of blanks. Empty names
 * are skipped. */
static void chunk_parse_names(line_chunk *c, char separator)
{
    if (!chunk_prepare(c))
        return;
    const char *p = c->begin;
    const char *end = c->end;
    const char *line_start = p;
    uint64_t newlines = 0;
    uint32_t mark = 1;

    while (p < end) {
        /* One field: from p to the separator, the line's end or the text's. */
        const char *field = p;
        if (separator == 0)
            while (field < end && is_blank((unsigned char)*field))
                field++;
        const char *q = field_end(field, end, separator);
        if (q < end && *q == '\0') {
            chunk_fail(c, CHUNK_BINARY, q, line_start, newlines);
            return;
        }
        const char *name_end = q;
        while (field < name_end && is_blank((unsigned char)*field))
            field++;
        while (name_end > field && is_blank((unsigned char)name_end[-1]))
            name_end--;
        if (name_end > field) {
            uint32_t local;
            enum chunk_error status = chunk_find_name(c, field, (size_t)(name_end - field),
                                                      &local);
            if (status == CHUNK_OK && !chunk_add_item(c, local, mark, q))
                status = CHUNK_NOMEM;
            if (status != CHUNK_OK) {
                chunk_fail(c, status, field, line_start, newlines);
                return;
            }
        }
        if (q == end) {
            p = q;
        } else if (*q == '\n') {
            mark = chunk_close_basket(c, mark, q);
            if (mark == 0) {
                chunk_fail(c, CHUNK_NOMEM, q, line_start, newlines);
                return;
            }
            newlines++;
            p = q + 1;
            line_start = p;
        } else {
            p = q + (separator != 0); /* past the separator; blanks are skipped above */
        }
    }
    if (c->close_tail && line_start < end && chunk_close_basket(c, mark, end) == 0) {
        chunk_fail(c, CHUNK_NOMEM, end, line_start, newlines);
        return;
    }
    c->newlines = newlines;
}

void reader_quote_token(const char *token, const char *end, char *out, size_t out_size)
{
    size_t n = 0;
    const char *p = token;
    while (p < end && n + 4 < out_size && n < 40 && *p != ' ' && *p != '\t' && *p != '\r' &&
           *p != '\n') {
        unsigned char byte = (unsigned char)*p++;
        out[n++] = (byte < 0x20 || byte == 0x7f) ? '?' : (char)byte;
    }
    if (p < end && *p != ' ' && *p != '\t' && *p != '\r' && *p != '\n' && n + 3 < out_size) {
        memcpy(out + n, "...", 3);
        n += 3;
    }
    out[n] = '\0';
}

void line_reader_init(line_reader *r, dataset_builder *builder, const char *name, int threads,
                      fimbit_input_format format, char separator)
{
    memset(r, 0, sizeof *r);
    r->builder = builder;
    r->baskets_before = builder->basket_count;
    r->items_before = builder->item_total;
    r->name = name;
    r->threads = threads > 0 ? threads : 1;
    r->format = format;
    r->separator = separator;
    r->separator_known = separator != 0;
}

/* The number of non-blank lines AUTO looks at. */
#define DETECT_LINES 100

/* AUTO: FIMI when every token of the first DETECT_LINES non-blank lines (all
 * of them when the input has fewer) is an integer, else named baskets.
 * @return BASKET at the first other token; FIMI once DETECT_LINES lines are
 * seen; else AUTO, with *has_token telling whether any token was seen. */
static fimbit_input_format detect_format(const char *text, size_t length, bool *has_token)
{
    const char *p = text, *end = text + length;
    int lines_seen = 0;
    bool line_has_token = false;
    *has_token = false;
    while (p < end && lines_seen < DETECT_LINES) {
        char byte = *p;
        if (byte == '\n') {
            lines_seen += line_has_token;
            line_has_token = false;
            p++;
        } else if (is_blank((unsigned char)byte)) {
            p++;
        } else {
            line_has_token = true;
            *has_token = true;
            while (p < end && !is_blank((unsigned char)*p) && *p != '\n') {
                if ((unsigned)(*p - '0') > 9)
                    return FIMBIT_INPUT_BASKET;
                p++;
            }
        }
    }
    return lines_seen >= DETECT_LINES ? FIMBIT_INPUT_FIMI : FIMBIT_INPUT_AUTO;
}

bool line_reader_ready(const line_reader *r, const char *text, size_t length)
{
    if (r->format != FIMBIT_INPUT_AUTO)
        return true;
    bool has_token;
    return detect_format(text, length, &has_token) != FIMBIT_INPUT_AUTO || !has_token;
}

/* BASKET with an automatic separator: a comma when the first non-blank line
 * has one, else blanks. @return false while the text has no such line. */
static bool detect_separator(const char *text, size_t length, char *separator)
{
    const char *p = text, *end = text + length;
    while (p < end) {
        const char *line_end = memchr(p, '\n', (size_t)(end - p));
        if (line_end == NULL)
            line_end = end;
        bool blank = true, comma = false;
        for (const char *q = p; q < line_end; q++) {
            blank = blank && is_blank((unsigned char)*q);
            comma = comma || *q == ',';
        }
        if (!blank) {
            *separator = comma ? ',' : 0;
            return true;
        }
        p = line_end + 1;
    }
    return false;
}

static fimbit_status chunk_report(const line_reader *r, const line_chunk *c, uint64_t line_base,
                                  fimbit_error *error)
{
    uint64_t line = line_base + c->newlines + 1;
    uint64_t column = (uint64_t)(c->error_at - c->error_line_start) + 1;
    char token[64];
    switch (c->error) {
    case CHUNK_NOT_ID: {
        /* A NUL inside the token makes it binary data, not a bad id. */
        const char *p = c->error_at;
        while (p < c->end && !is_blank((unsigned char)*p) && *p != '\n' && *p != '\0')
            p++;
        if (p < c->end && *p == '\0')
            return fimbit__error_set(error, FIMBIT_EPARSE, r->name, line,
                                     (uint64_t)(p - c->error_line_start) + 1,
                                     "binary data (a NUL byte), not text");
        reader_quote_token(c->error_at, c->end, token, sizeof token);
        return fimbit__error_set(error, FIMBIT_EPARSE, r->name, line, column,
                                 "expected an item id, found '%s'", token);
    }
    case CHUNK_OVERFLOW:
        reader_quote_token(c->error_at, c->end, token, sizeof token);
        return fimbit__error_set(error, FIMBIT_EPARSE, r->name, line, column,
                                 "item id '%s' is larger than 18446744073709551615", token);
    case CHUNK_BINARY:
        return fimbit__error_set(error, FIMBIT_EPARSE, r->name, line, column,
                                 "binary data (a NUL byte), not text");
    case CHUNK_LIMIT:
        return fimbit__error_set(error, FIMBIT_ELIMIT, r->name, line, column,
                                 "more than %lu distinct items", (unsigned long)DICT_MAX_ITEMS);
    case CHUNK_NOMEM:
    case CHUNK_OK:
        break;
    }
    return fimbit__fail(error, FIMBIT_ENOMEM, "out of memory reading %s", r->name);
}

void line_reader_detect(line_reader *r, const char *text, size_t length)
{
    if (r->format == FIMBIT_INPUT_AUTO) {
        /* Callers hand over enough text to decide (line_reader_ready), or
         * all there is; FIMI stays FIMI: a later name is an error. */
        bool has_token;
        fimbit_input_format found = detect_format(text, length, &has_token);
        if (found == FIMBIT_INPUT_AUTO && has_token)
            found = FIMBIT_INPUT_FIMI;
        r->format = found;
    }
    if (r->format == FIMBIT_INPUT_BASKET && !r->separator_known)
        r->separator_known = detect_separator(text, length, &r->separator);
}

/* Cuts the block into one chunk per thread, after a '\n'. The reader keeps
 * its chunks from block to block. @return the number of chunks, 0 when out of
 * memory. */
static size_t line_reader_cut(line_reader *r, const char *text, size_t length, bool final)
{
    size_t chunk_count = 1;
    if (r->threads > 1 && length >= 2 * LINE_CHUNK_MIN) {
        chunk_count = length / LINE_CHUNK_MIN;
        if (chunk_count > (size_t)r->threads)
            chunk_count = (size_t)r->threads;
    }
    if (chunk_count > r->chunk_slots) {
        line_chunk *chunks = fimbit__realloc_array(r->chunks, chunk_count, sizeof *chunks);
        if (chunks == NULL)
            return 0;
        memset(chunks + r->chunk_slots, 0, (chunk_count - r->chunk_slots) * sizeof *chunks);
        r->chunks = chunks;
        r->chunk_slots = chunk_count;
    }
    const char *end = text + length;
    const char *start = text;
    for (size_t i = 0; i < chunk_count; i++) {
        const char *stop = end;
        if (i + 1 < chunk_count) {
            const char *target = text + (length / chunk_count) * (i + 1);
            if (target < start)
                target = start;
            const char *newline = memchr(target, '\n', (size_t)(end - target));
            stop = newline ? newline + 1 : end;
        }
        r->chunks[i].begin = start;
        r->chunks[i].end = stop;
        r->chunks[i].close_tail = final && stop == end;
        r->chunks[i].numeric = r->format != FIMBIT_INPUT_BASKET;
        /* A lone chunk flushes into the builder, from its counts now on. */
        r->chunks[i].flush_to = chunk_count == 1 ? r : NULL;
        r->chunks[i].basket_base = r->builder->basket_count;
        r->chunks[i].item_base = r->builder->item_total;
        start = stop;
    }
    return chunk_count;
}

fimbit_status line_reader_parse(line_reader *r, const char *text, size_t length, bool final,
                                fimbit_error *error)
{
    line_reader_detect(r, text, length);
    /* Until a token decides, the text is blank lines, which every format
     * reads alike. */
    bool numeric = r->format != FIMBIT_INPUT_BASKET;

    size_t chunk_count = line_reader_cut(r, text, length, final);
    if (chunk_count == 0)
        return fimbit__fail(error, FIMBIT_ENOMEM, "out of memory reading %s", r->name);
    line_chunk *chunks = r->chunks;

    char separator = r->separator;
#pragma omp parallel for num_threads((int)chunk_count) schedule(static, 1) if (chunk_count > 1)
    for (size_t i = 0; i < chunk_count; i++) {
        if (numeric)
            chunk_parse_fimi(&chunks[i]);
        else
            chunk_parse_names(&chunks[i], separator);
    }

    /* Merge in input order: ids first (sequential, over distinct items only),
     * then the baskets (parallel, each chunk into its own range). A lone
     * chunk has handed over all but its last baskets already. */
    fimbit_status status = FIMBIT_OK;
    bool reported = false; /* a chunk's error, already placed at file:line:column */
    uint64_t line_base = r->lines_done;
    uint64_t basket_total = 0, item_total = 0;
    dataset_builder *b = r->builder;
    for (size_t i = 0; i < chunk_count && status == FIMBIT_OK; i++) {
        line_chunk *c = &chunks[i];
        if (c->error != CHUNK_OK && c->flush_status != FIMBIT_OK) {
            status = c->flush_status;
            break;
        }
        if (c->error != CHUNK_OK) {
            status = chunk_report(r, c, line_base, error);
            reported = true;
            break;
        }
        status = chunk_assign_ids(r, c);
        if (status == FIMBIT_OK)
            status = dataset_builder_fit_supports(b);
        if (status == FIMBIT_OK)
            for (uint32_t id = 0; id < c->local_count; id++)
                b->supports[c->global[id]] += c->support[id];
        line_base += c->newlines;
        basket_total += c->basket_count;
        item_total += c->item_count;
    }
    if (status == FIMBIT_OK)
        status = reserve_for_text(r, basket_total, item_total, r->bytes_done + length);
    if (status == FIMBIT_OK) {
        uint64_t basket_base = b->basket_count, item_base = b->item_total;
        for (size_t i = 0; i < chunk_count; i++) {
            chunks[i].basket_base = basket_base;
            chunks[i].item_base = item_base;
            basket_base += chunks[i].basket_count;
            item_base += chunks[i].item_count;
        }
#pragma omp parallel for num_threads((int)chunk_count) schedule(static, 1) if (chunk_count > 1)
        for (size_t i = 0; i < chunk_count; i++)
            chunk_store_baskets(&chunks[i], b, chunks[i].basket_base, chunks[i].item_base,
                                chunks[i].basket_count);
        b->basket_count = basket_base;
        b->item_total = item_base;
    }
    if (status == FIMBIT_OK) {
        r->lines_done = line_base;
        r->bytes_done += length;
    } else if (reported) {
        /* the message is in place */
    } else if (status == FIMBIT_ENOMEM) {
        status = fimbit__fail(error, FIMBIT_ENOMEM, "out of memory reading %s", r->name);
    } else if (status == FIMBIT_ELIMIT) {
        status = fimbit__fail(error, FIMBIT_ELIMIT, "%s: more than %lu distinct items", r->name,
                              (unsigned long)DICT_MAX_ITEMS);
    }
    return status;
}

void line_reader_release(line_reader *r)
{
    for (size_t i = 0; i < r->chunk_slots; i++)
        chunk_release(&r->chunks[i]);
    fimbit__free(r->chunks);
    r->chunks = NULL;
    r->chunk_slots = 0;
}
