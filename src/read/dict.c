/* Item dictionaries: name -> dense id, and the integer -> id map of FIMI. */
#include <string.h>

#include "dict.h"

uint64_t dict_hash(const void *bytes, size_t length)
{
    /* Item names are short, so the loop is short too. */
    const unsigned char *p = bytes;
    uint64_t h = dict_hash_start(length);
    while (length >= 8) {
        uint64_t word;
        memcpy(&word, p, 8);
        h = dict_hash_rotate(dict_hash_step(h, word));
        p += 8;
        length -= 8;
    }
    if (length > 0) {
        uint64_t word = 0;
        memcpy(&word, p, length);
        h = dict_hash_step(h, word);
    }
    return fimbit__mix64(h);
}

void dict_init(dict *d) { memset(d, 0, sizeof *d); }

void dict_release(dict *d)
{
    fimbit__free(d->bytes);
    fimbit__free(d->offsets);
    /* The tables a dataset does not take over: scratch of the read. */
    fimbit__free_discarding(d->hashes);
    fimbit__free_discarding(d->slots);
    dict_init(d);
}

static bool dict_name_equals(const char *name_bytes, const uint64_t *name_offsets, uint32_t id,
                             const char *name, size_t length)
{
    const char *stored = name_bytes + name_offsets[id];
    return memcmp(stored, name, length) == 0 && stored[length] == '\0';
}

fimbit_status dict_index_build(const char *name_bytes, const uint64_t *name_offsets,
                               uint32_t count, size_t bytes_used, uint32_t **slots,
                               uint64_t *slot_count)
{
    uint64_t size = 16;
    while (size < (uint64_t)count * 2)
        size *= 2;
    uint32_t *table = fimbit__malloc_array(size, sizeof *table);
    if (table == NULL)
        return FIMBIT_ENOMEM;
    memset(table, 0xff, size * sizeof *table);
    for (uint32_t id = 0; id < count; id++) {
        size_t end = id + 1 < count ? name_offsets[id + 1] : bytes_used;
        size_t length = end - name_offsets[id] - 1;
        uint64_t slot = dict_hash(name_bytes + name_offsets[id], length) & (size - 1);
        while (table[slot] != DICT_EMPTY)
            slot = (slot + 1) & (size - 1);
        table[slot] = id;
    }
    *slots = table;
    *slot_count = size;
    return FIMBIT_OK;
}

uint32_t dict_probe(const uint32_t *slots, uint64_t slot_count, const char *name_bytes,
                    const uint64_t *name_offsets, const char *name, size_t length)
{
    if (slot_count == 0)
        return DICT_EMPTY;
    uint64_t mask = slot_count - 1;
    for (uint64_t slot = dict_hash(name, length) & mask;; slot = (slot + 1) & mask) {
        uint32_t id = slots[slot];
        if (id == DICT_EMPTY)
            return DICT_EMPTY;
        if (dict_name_equals(name_bytes, name_offsets, id, name, length))
            return id;
    }
}

#define SLOT_FREE ((uint64_t)DICT_EMPTY)

void dict_clear(dict *d)
{
    for (uint64_t i = 0; i < d->slot_count; i++)
        d->slots[i] = SLOT_FREE;
    d->count = 0;
    d->bytes_used = 0;
}

static inline uint64_t slot_entry(uint64_t hash, uint32_t id)
{
    return (hash & 0xffffffff00000000ull) | id;
}

/* @return the id of the name with `hash`, or DICT_EMPTY; *slot_out is where
 * the probe stopped (the free slot for an insert). */
static uint32_t dict_lookup(const dict *d, const char *name, size_t length, uint64_t hash,
                            uint64_t *slot_out)
{
    uint64_t mask = d->slot_count - 1;
    uint64_t slot = hash & mask;
    for (;; slot = (slot + 1) & mask) {
        uint64_t entry = d->slots[slot];
        if (entry == SLOT_FREE)
            break;
        uint32_t id = (uint32_t)entry;
        if ((entry ^ hash) >> 32 == 0 && dict_name_equals(d->bytes, d->offsets, id, name, length)) {
            *slot_out = slot;
            return id;
        }
    }
    *slot_out = slot;
    return DICT_EMPTY;
}

uint32_t dict_find(const dict *d, const char *name, size_t length)
{
    if (d->slot_count == 0)
        return DICT_EMPTY;
    uint64_t slot;
    return dict_lookup(d, name, length, dict_hash(name, length), &slot);
}

/* Rebuilds the slot table with `slot_count` slots. The stored hash is the low
 * half of dict_hash, enough to place names in tables up to 2^32 slots; the
 * high half is recomputed (names are short, and rehashing is rare). */
static fimbit_status dict_rehash(dict *d, uint64_t slot_count)
{
    uint64_t *slots = fimbit__malloc_array(slot_count, sizeof *slots);
    if (slots == NULL)
        return FIMBIT_ENOMEM;
    for (uint64_t i = 0; i < slot_count; i++)
        slots[i] = SLOT_FREE;
    uint64_t mask = slot_count - 1;
    for (uint64_t i = 0; i < d->slot_count; i++) {
        uint64_t entry = d->slots[i];
        if (entry == SLOT_FREE)
            continue;
        uint32_t id = (uint32_t)entry;
        uint64_t hash = (entry & 0xffffffff00000000ull) | d->hashes[id];
        if (slot_count > (1ull << 32)) {
            const char *name = d->bytes + d->offsets[id];
            hash = dict_hash(name, strlen(name));
        }
        uint64_t slot = hash & mask;
        while (slots[slot] != SLOT_FREE)
            slot = (slot + 1) & mask;
        slots[slot] = entry;
    }
    fimbit__free_discarding(d->slots);
    d->slots = slots;
    d->slot_count = slot_count;
    return FIMBIT_OK;
}

fimbit_status dict_reserve(dict *d, uint64_t more)
{
    uint64_t wanted = (uint64_t)d->count + more;
    if (wanted > DICT_MAX_ITEMS)
        wanted = DICT_MAX_ITEMS;
    uint64_t slot_count = d->slot_count ? d->slot_count : 64;
    while (wanted * 2 > slot_count)
        slot_count *= 2;
    if (slot_count > d->slot_count) {
        fimbit_status status = dict_rehash(d, slot_count);
        if (status != FIMBIT_OK)
            return status;
    }
    if (wanted > d->capacity) {
        uint64_t *offsets = fimbit__grow_array_discarding(d->offsets, wanted, sizeof *offsets);
        if (offsets == NULL)
            return FIMBIT_ENOMEM;
        d->offsets = offsets;
        uint32_t *hashes = fimbit__grow_array_discarding(d->hashes, wanted, sizeof *hashes);
        if (hashes == NULL)
            return FIMBIT_ENOMEM;
        d->hashes = hashes;
        d->capacity = (uint32_t)wanted;
    }
    return FIMBIT_OK;
}

fimbit_status dict_intern(dict *d, const char *name, size_t length, uint32_t *id, bool *added)
{
    uint64_t hash = dict_hash(name, length);
    if (added)
        *added = false;
    uint64_t slot = 0;
    if (d->slot_count > 0) {
        uint32_t found = dict_lookup(d, name, length, hash, &slot);
        if (found != DICT_EMPTY) {
            *id = found;
            return FIMBIT_OK;
        }
    }
    if (d->count >= DICT_MAX_ITEMS)
        return FIMBIT_ELIMIT;

    /* Keep the load factor at most one half. */
    if ((uint64_t)(d->count + 1) * 2 > d->slot_count) {
        fimbit_status status = dict_rehash(d, d->slot_count ? d->slot_count * 2 : 64);
        if (status != FIMBIT_OK)
            return status;
        slot = hash & (d->slot_count - 1);
        while (d->slots[slot] != SLOT_FREE)
            slot = (slot + 1) & (d->slot_count - 1);
    }
    if (d->count == d->capacity) {
        uint32_t capacity = d->capacity ? d->capacity : 64;
        capacity = capacity > DICT_MAX_ITEMS / 2 ? DICT_MAX_ITEMS : capacity * 2;
        uint64_t *offsets = fimbit__grow_array_discarding(d->offsets, capacity, sizeof *offsets);
        if (offsets == NULL)
            return FIMBIT_ENOMEM;
        d->offsets = offsets;
        uint32_t *hashes = fimbit__grow_array_discarding(d->hashes, capacity, sizeof *hashes);
        if (hashes == NULL)
            return FIMBIT_ENOMEM;
        d->hashes = hashes;
        d->capacity = capacity;
    }
    if (length + 1 > d->bytes_capacity - d->bytes_used) {
        size_t capacity = d->bytes_capacity ? d->bytes_capacity : 1024;
        while (length + 1 > capacity - d->bytes_used) {
            if (capacity > SIZE_MAX / 2)
                return FIMBIT_ENOMEM;
            capacity *= 2;
        }
        char *bytes = fimbit__grow_array_discarding(d->bytes, capacity, 1);
        if (bytes == NULL)
            return FIMBIT_ENOMEM;
        d->bytes = bytes;
        d->bytes_capacity = capacity;
    }
    uint32_t new_id = d->count;
    d->offsets[new_id] = d->bytes_used;
    d->hashes[new_id] = (uint32_t)hash;
    memcpy(d->bytes + d->bytes_used, name, length);
    d->bytes[d->bytes_used + length] = '\0';
    d->bytes_used += length + 1;
    d->count++;
    d->slots[slot] = slot_entry(hash, new_id);
    *id = new_id;
    if (added)
        *added = true;
    return FIMBIT_OK;
}

void u64_map_init(u64_map *m) { memset(m, 0, sizeof *m); }

void u64_map_release(u64_map *m)
{
    fimbit__free_discarding(m->slots);
    u64_map_init(m);
}

void u64_map_clear(u64_map *m)
{
    for (uint64_t i = 0; i < m->slot_count; i++)
        m->slots[i].value = DICT_EMPTY;
    m->count = 0;
}

uint32_t u64_map_get(const u64_map *m, uint64_t key)
{
    if (m->slot_count == 0)
        return DICT_EMPTY;
    uint64_t mask = m->slot_count - 1;
    for (uint64_t slot = fimbit__mix64(key) & mask;; slot = (slot + 1) & mask) {
        const u64_slot *s = &m->slots[slot];
        if (s->value == DICT_EMPTY || s->key == key)
            return s->value;
    }
}

static void u64_map_place(u64_slot *slots, uint64_t mask, uint64_t key, uint32_t value)
{
    uint64_t slot = fimbit__mix64(key) & mask;
    while (slots[slot].value != DICT_EMPTY)
        slot = (slot + 1) & mask;
    slots[slot].key = key;
    slots[slot].value = value;
}

static fimbit_status u64_map_resize(u64_map *m, uint64_t slot_count)
{
    u64_slot *slots = fimbit__malloc_array(slot_count, sizeof *slots);
    if (slots == NULL)
        return FIMBIT_ENOMEM;
    for (uint64_t i = 0; i < slot_count; i++)
        slots[i] = (u64_slot){0, DICT_EMPTY};
    for (uint64_t i = 0; i < m->slot_count; i++)
        if (m->slots[i].value != DICT_EMPTY)
            u64_map_place(slots, slot_count - 1, m->slots[i].key, m->slots[i].value);
    fimbit__free_discarding(m->slots);
    m->slots = slots;
    m->slot_count = slot_count;
    return FIMBIT_OK;
}

fimbit_status u64_map_reserve(u64_map *m, uint64_t more)
{
    uint64_t slot_count = m->slot_count ? m->slot_count : 256;
    while ((m->count + more) * 2 > slot_count)
        slot_count *= 2;
    return slot_count > m->slot_count ? u64_map_resize(m, slot_count) : FIMBIT_OK;
}

fimbit_status u64_map_put(u64_map *m, uint64_t key, uint32_t value)
{
    if ((m->count + 1) * 2 > m->slot_count) {
        fimbit_status status = u64_map_resize(m, m->slot_count ? m->slot_count * 2 : 256);
        if (status != FIMBIT_OK)
            return status;
    }
    u64_map_place(m->slots, m->slot_count - 1, key, value);
    m->count++;
    return FIMBIT_OK;
}

size_t u64_to_decimal(uint64_t value, char *out)
{
    char reversed[20];
    size_t length = 0;
    do {
        reversed[length++] = (char)('0' + value % 10);
        value /= 10;
    } while (value != 0);
    for (size_t i = 0; i < length; i++)
        out[i] = reversed[length - 1 - i];
    out[length] = '\0';
    return length;
}

bool decimal_parse_canonical(const char *text, size_t length, uint64_t *value)
{
    if (length == 0 || length > 20 || (length > 1 && text[0] == '0'))
        return false;
    uint64_t v = 0;
    for (size_t i = 0; i < length; i++) {
        unsigned digit = (unsigned char)text[i] - (unsigned)'0';
        if (digit > 9)
            return false;
        if (v > (UINT64_MAX - digit) / 10)
            return false;
        v = v * 10 + digit;
    }
    *value = v;
    return true;
}
