/*
 * The brute-force oracle and the large-data counter (see oracle.h). Written
 * for obviousness, not speed: every answer comes from a definition.
 */
#include "oracle.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Test code: running out of memory ends the test run loudly. */
static void *oracle_alloc(size_t count, size_t size)
{
    void *pointer = calloc(count ? count : 1, size ? size : 1);
    if (pointer == NULL) {
        fprintf(stderr, "oracle: out of memory (%zu x %zu bytes)\n", count, size);
        abort();
    }
    return pointer;
}

static void *oracle_grow(void *pointer, size_t *capacity, size_t needed, size_t size)
{
    if (needed <= *capacity)
        return pointer;
    size_t grown = *capacity ? *capacity : 64;
    while (grown < needed)
        grown *= 2;
    void *bigger = realloc(pointer, grown * size);
    if (bigger == NULL) {
        fprintf(stderr, "oracle: out of memory (%zu x %zu bytes)\n", grown, size);
        abort();
    }
    *capacity = grown;
    return bigger;
}

void oracle_baskets_free(oracle_baskets *baskets)
{
    if (baskets == NULL)
        return;
    free(baskets->offsets);
    free(baskets->items);
    memset(baskets, 0, sizeof *baskets);
}

/* ------------------------------------------------------------ random data */

void oracle_rng_seed(oracle_rng *rng, uint64_t seed)
{
    rng->state = seed * 0x9E3779B97F4A7C15ull + 0x632BE59BD9B4E019ull;
}

uint64_t oracle_rng_next(oracle_rng *rng)
{
    uint64_t z = (rng->state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

uint64_t oracle_rng_below(oracle_rng *rng, uint64_t bound)
{
    return bound ? oracle_rng_next(rng) % bound : 0;
}

double oracle_rng_unit(oracle_rng *rng)
{
    return (double)(oracle_rng_next(rng) >> 11) * 0x1.0p-53;
}

/* A growing basket list for the generator. */
typedef struct basket_builder {
    oracle_baskets *out;
    size_t item_capacity;
} basket_builder;

static void builder_push(basket_builder *builder, uint32_t item)
{
    oracle_baskets *out = builder->out;
    uint64_t used = out->offsets[out->basket_count];
    out->items = oracle_grow(out->items, &builder->item_capacity, used + 1, sizeof *out->items);
    out->items[used] = item;
    out->offsets[out->basket_count] = used + 1;
}

static void builder_end_basket(basket_builder *builder, oracle_rng *rng)
{
    oracle_baskets *out = builder->out;
    uint64_t begin = out->basket_count ? out->offsets[out->basket_count - 1] : 0;
    uint64_t end = out->offsets[out->basket_count];
    /* Shuffle the basket: item order inside a basket must not matter. */
    for (uint64_t i = end - begin; i > 1; i--) {
        uint64_t j = oracle_rng_below(rng, i);
        uint32_t swap = out->items[begin + i - 1];
        out->items[begin + i - 1] = out->items[begin + j];
        out->items[begin + j] = swap;
    }
    out->basket_count++;
    out->offsets[out->basket_count] = end;
}

/* Draws a dataset; item_count and basket_count are drawn too when 0. */
static void oracle_generate_shaped(uint64_t seed, uint32_t item_count, uint64_t basket_count,
                                   oracle_baskets *out)
{
    oracle_rng rng;
    oracle_rng_seed(&rng, seed);
    memset(out, 0, sizeof *out);

    uint32_t drawn_items = 1 + (uint32_t)oracle_rng_below(&rng, 12);
    if (item_count == 0)
        item_count = drawn_items;
    uint64_t size_draw = oracle_rng_below(&rng, 100);
    uint64_t drawn_baskets = size_draw < 70   ? 1 + oracle_rng_below(&rng, 40)
                             : size_draw < 95 ? 1 + oracle_rng_below(&rng, 120)
                                              : 1 + oracle_rng_below(&rng, 300);
    if (basket_count == 0)
        basket_count = drawn_baskets;
    static const double densities[] = {0.05, 0.15, 0.3, 0.5, 0.7, 0.85, 0.97};
    double density = oracle_rng_below(&rng, 4) == 0
                         ? oracle_rng_unit(&rng)
                         : densities[oracle_rng_below(&rng, sizeof densities / sizeof *densities)];
    double empty_rate = oracle_rng_below(&rng, 5) == 0 ? 0.25 * oracle_rng_unit(&rng) : 0.0;
    double repeat_rate = oracle_rng_below(&rng, 3) == 0 ? 0.3 * oracle_rng_unit(&rng) : 0.0;
    int mode = (int)oracle_rng_below(&rng, 3);

    /* Pattern mode: baskets are mostly one of a few fixed itemsets, with noise. */
    uint32_t patterns[3];
    uint32_t full = (1u << item_count) - 1;
    for (int p = 0; p < 3; p++)
        patterns[p] = (uint32_t)oracle_rng_next(&rng) & full;

    out->item_count = item_count;
    out->offsets = oracle_alloc(basket_count + 1, sizeof *out->offsets);
    basket_builder builder = {out, 0};

    for (uint64_t b = 0; b < basket_count; b++) {
        if (oracle_rng_unit(&rng) < empty_rate) {
            builder_end_basket(&builder, &rng);
            continue;
        }
        if (mode == 0) {
            /* A coin per item. */
            for (uint32_t i = 0; i < item_count; i++) {
                if (oracle_rng_unit(&rng) < density) {
                    builder_push(&builder, i);
                    while (oracle_rng_unit(&rng) < repeat_rate)
                        builder_push(&builder, i);
                }
            }
        } else if (mode == 1) {
            /* A drawn length, items drawn with replacement: repeats happen. */
            uint64_t length = oracle_rng_below(&rng, (uint64_t)(density * 2 * item_count) + 2);
            for (uint64_t n = 0; n < length; n++)
                builder_push(&builder, (uint32_t)oracle_rng_below(&rng, item_count));
        } else {
            uint32_t basket = patterns[oracle_rng_below(&rng, 3)];
            for (uint32_t i = 0; i < item_count; i++) {
                double flip = oracle_rng_unit(&rng);
                if (flip < 0.15 * density)
                    basket ^= 1u << i;
            }
            for (uint32_t i = 0; i < item_count; i++) {
                if (basket & (1u << i)) {
                    builder_push(&builder, i);
                    if (oracle_rng_unit(&rng) < repeat_rate)
                        builder_push(&builder, i);
                }
            }
        }
        builder_end_basket(&builder, &rng);
    }
}

void oracle_generate(uint64_t seed, oracle_baskets *out)
{
    oracle_generate_shaped(seed, 0, 0, out);
}

void oracle_generate_sized(uint64_t seed, uint32_t item_count, uint64_t basket_count,
                           oracle_baskets *out)
{
    if (item_count > ORACLE_MAX_ITEMS)
        item_count = ORACLE_MAX_ITEMS;
    oracle_generate_shaped(seed, item_count, basket_count, out);
}

static const char *const oracle_names[ORACLE_MAX_ITEMS] = {
    "i0", "i1", "i2",  "i3",  "i4",  "i5",  "i6",  "i7",
    "i8", "i9", "i10", "i11", "i12", "i13", "i14", "i15",
};

const char *oracle_item_name(uint32_t item)
{
    return item < ORACLE_MAX_ITEMS ? oracle_names[item] : "?";
}

int oracle_item_from_name(const char *name)
{
    if (name == NULL || name[0] != 'i' || !isdigit((unsigned char)name[1]))
        return -1;
    char *end = NULL;
    errno = 0;
    long value = strtol(name + 1, &end, 10);
    if (errno != 0 || *end != '\0' || value < 0 || value >= ORACLE_MAX_ITEMS)
        return -1;
    return (int)value;
}

void oracle_to_named(const oracle_baskets *baskets, const char ***names, uint64_t **offsets)
{
    uint64_t total = baskets->offsets[baskets->basket_count];
    const char **name_array = oracle_alloc(total, sizeof *name_array);
    uint64_t *offset_array = oracle_alloc(baskets->basket_count + 1, sizeof *offset_array);
    for (uint64_t i = 0; i < total; i++)
        name_array[i] = oracle_item_name(baskets->items[i]);
    memcpy(offset_array, baskets->offsets, (baskets->basket_count + 1) * sizeof *offset_array);
    *names = name_array;
    *offsets = offset_array;
}

void oracle_print_baskets(FILE *stream, const oracle_baskets *baskets)
{
    fprintf(stream, "dataset: %u items, %llu baskets\n", baskets->item_count,
            (unsigned long long)baskets->basket_count);
    for (uint64_t b = 0; b < baskets->basket_count; b++) {
        fprintf(stream, "  %3llu:", (unsigned long long)b);
        for (uint64_t i = baskets->offsets[b]; i < baskets->offsets[b + 1]; i++)
            fprintf(stream, " %s", oracle_item_name(baskets->items[i]));
        fputc('\n', stream);
    }
}

/* ------------------------------------------------------------ itemsets */

int oracle_mask_compare(uint32_t left, uint32_t right)
{
    int left_size = __builtin_popcount(left), right_size = __builtin_popcount(right);
    if (left_size != right_size)
        return left_size < right_size ? -1 : 1;
    /* Same size: the first differing item in ascending order decides. The
     * lowest bit set in exactly one of them belongs to the smaller itemset. */
    uint32_t differ = left ^ right;
    if (differ == 0)
        return 0;
    uint32_t lowest = differ & (~differ + 1);
    return (left & lowest) ? -1 : 1;
}

int oracle_itemset_compare(const void *left, const void *right)
{
    const oracle_itemset *a = left, *b = right;
    int by_mask = oracle_mask_compare(a->mask, b->mask);
    if (by_mask != 0)
        return by_mask;
    return (a->count > b->count) - (a->count < b->count);
}

/* The count of every itemset over `item_count` items: counts[m] = baskets that
 * contain every item of m. First the number of baskets equal to each mask,
 * then a sum over supersets, one item at a time. */
static uint64_t *oracle_lattice_counts(const oracle_baskets *baskets)
{
    uint32_t k = baskets->item_count;
    size_t size = (size_t)1 << k;
    uint64_t *counts = oracle_alloc(size, sizeof *counts);
    for (uint64_t b = 0; b < baskets->basket_count; b++) {
        uint32_t mask = 0;
        for (uint64_t i = baskets->offsets[b]; i < baskets->offsets[b + 1]; i++)
            mask |= 1u << baskets->items[i];
        counts[mask]++;
    }
    for (uint32_t bit = 0; bit < k; bit++)
        for (size_t m = 0; m < size; m++)
            if (!(m & ((size_t)1 << bit)))
                counts[m] += counts[m | ((size_t)1 << bit)];
    return counts;
}

static bool oracle_size_ok(uint32_t mask, uint32_t min_size, uint32_t max_size)
{
    uint32_t size = (uint32_t)__builtin_popcount(mask);
    if (min_size == 0)
        min_size = 1;
    return size >= min_size && (max_size == 0 || size <= max_size);
}

int oracle_mine(const oracle_baskets *baskets, uint64_t min_count, oracle_target target,
                uint32_t min_size, uint32_t max_size, oracle_itemsets *out)
{
    memset(out, 0, sizeof *out);
    uint32_t k = baskets->item_count;
    if (k > ORACLE_MAX_ITEMS)
        return -1;
    if (min_count == 0)
        min_count = 1;
    uint64_t *counts = oracle_lattice_counts(baskets);
    size_t size = (size_t)1 << k;
    out->sets = oracle_alloc(size, sizeof *out->sets);
    for (size_t m = 1; m < size; m++) {
        if (counts[m] < min_count)
            continue;
        bool keep = true;
        for (uint32_t bit = 0; bit < k && keep; bit++) {
            size_t superset = m | ((size_t)1 << bit);
            if (superset == m)
                continue;
            /* Counts only fall going up the lattice, so looking one item up
             * decides for every superset. */
            if (target == ORACLE_CLOSED && counts[superset] == counts[m])
                keep = false;
            if (target == ORACLE_MAXIMAL && counts[superset] >= min_count)
                keep = false;
        }
        if (keep && oracle_size_ok((uint32_t)m, min_size, max_size)) {
            out->sets[out->count].mask = (uint32_t)m;
            out->sets[out->count].count = counts[m];
            out->count++;
        }
    }
    free(counts);
    qsort(out->sets, out->count, sizeof *out->sets, oracle_itemset_compare);
    return 0;
}

void oracle_itemsets_free(oracle_itemsets *itemsets)
{
    if (itemsets == NULL)
        return;
    free(itemsets->sets);
    memset(itemsets, 0, sizeof *itemsets);
}

static void oracle_print_mask(FILE *stream, uint32_t mask)
{
    fputc('{', stream);
    bool first = true;
    for (uint32_t i = 0; i < 32; i++) {
        if (mask & (1u << i)) {
            fprintf(stream, "%s%s", first ? "" : " ", oracle_item_name(i));
            first = false;
        }
    }
    fputc('}', stream);
}

void oracle_print_itemset(FILE *stream, uint32_t mask, uint64_t count)
{
    oracle_print_mask(stream, mask);
    fprintf(stream, " (%llu)", (unsigned long long)count);
}

/* --------------------------------------------------------------- rules */

int oracle_rule_compare(const void *left, const void *right)
{
    const oracle_rule *a = left, *b = right;
    int by_antecedent = oracle_mask_compare(a->antecedent, b->antecedent);
    if (by_antecedent != 0)
        return by_antecedent;
    return oracle_mask_compare(a->consequent, b->consequent);
}

/* value >= threshold, where values equal in exact arithmetic pass despite
 * rounding in either. */
static bool oracle_at_least(double value, double threshold)
{
    return value >= threshold - 1e-9 * fabs(threshold);
}

int oracle_mine_rules(const oracle_baskets *baskets, const oracle_rule_params *params,
                      oracle_rules *out)
{
    memset(out, 0, sizeof *out);
    uint32_t k = baskets->item_count;
    if (k > ORACLE_MAX_ITEMS)
        return -1;
    uint64_t min_count = params->min_count ? params->min_count : 1;
    uint64_t *counts = oracle_lattice_counts(baskets);
    size_t size = (size_t)1 << k;
    double n = (double)baskets->basket_count;
    size_t capacity = 0;

    for (size_t z = 1; z < size; z++) {
        uint32_t zmask = (uint32_t)z;
        if (counts[z] < min_count || __builtin_popcount(zmask) < 2 ||
            !oracle_size_ok(zmask, params->min_size, params->max_size))
            continue;
        /* Every non-empty proper subset Y of Z as the consequent. */
        for (uint32_t y = (zmask - 1) & zmask; y != 0; y = (y - 1) & zmask) {
            if (params->max_consequent != 0 &&
                (uint32_t)__builtin_popcount(y) > params->max_consequent)
                continue;
            uint32_t x = zmask ^ y;
            oracle_rule rule;
            rule.antecedent = x;
            rule.consequent = y;
            rule.count = counts[z];
            double count_z = (double)counts[z], count_x = (double)counts[x],
                   count_y = (double)counts[y];
            rule.support = count_z / n;
            rule.confidence = count_z / count_x;
            rule.lift = rule.confidence / (count_y / n);
            rule.leverage = count_z / n - (count_x / n) * (count_y / n);
            rule.conviction = counts[z] == counts[x]
                                  ? INFINITY
                                  : (1.0 - count_y / n) / (1.0 - rule.confidence);
            if (!oracle_at_least(rule.confidence, params->min_confidence))
                continue;
            if (params->min_lift > 0 && !oracle_at_least(rule.lift, params->min_lift))
                continue;
            out->rules = oracle_grow(out->rules, &capacity, out->count + 1, sizeof *out->rules);
            out->rules[out->count++] = rule;
        }
    }
    free(counts);
    if (out->count > 1)
        qsort(out->rules, out->count, sizeof *out->rules, oracle_rule_compare);
    return 0;
}

void oracle_rules_free(oracle_rules *rules)
{
    if (rules == NULL)
        return;
    free(rules->rules);
    memset(rules, 0, sizeof *rules);
}

void oracle_print_rule(FILE *stream, const oracle_rule *rule)
{
    oracle_print_mask(stream, rule->antecedent);
    fputs(" => ", stream);
    oracle_print_mask(stream, rule->consequent);
    fprintf(stream, " (%llu, supp %.12g, conf %.12g, lift %.12g, lev %.12g, conv %.12g)",
            (unsigned long long)rule->count, rule->support, rule->confidence, rule->lift,
            rule->leverage, rule->conviction);
}

/* ------------------------------------------------- the large-data counter */

int oracle_read_fimi(const char *path, oracle_baskets *out)
{
    memset(out, 0, sizeof *out);
    FILE *file = fopen(path, "rb");
    if (file == NULL)
        return -1;
    size_t offset_capacity = 1024, item_capacity = 0;
    out->offsets = oracle_alloc(offset_capacity, sizeof *out->offsets);
    uint64_t value = 0;
    /* A final line without '\n' is a basket when it holds any byte, even
     * only blanks, as a terminated blank line is (an empty basket). */
    bool in_number = false, line_has_content = false, bad = false;
    uint64_t used = 0;
    uint32_t max_item = 0;
    int c;
    for (;;) {
        c = getc(file);
        if (c != EOF && isdigit(c)) {
            value = value * 10 + (uint64_t)(c - '0');
            if (value > UINT32_MAX - 1) {
                bad = true;
                break;
            }
            in_number = true;
            continue;
        }
        if (in_number) {
            out->items = oracle_grow(out->items, &item_capacity, used + 1, sizeof *out->items);
            out->items[used++] = (uint32_t)value;
            if ((uint32_t)value > max_item)
                max_item = (uint32_t)value;
            value = 0;
            in_number = false;
            line_has_content = true;
        }
        if (c == '\n' || (c == EOF && line_has_content)) {
            out->offsets = oracle_grow(out->offsets, &offset_capacity, out->basket_count + 2,
                                       sizeof *out->offsets);
            out->basket_count++;
            out->offsets[out->basket_count] = used;
            line_has_content = false;
        }
        if (c == EOF)
            break;
        if (c != '\n')
            line_has_content = true;
        if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
            bad = true;
            break;
        }
    }
    fclose(file);
    if (bad) {
        oracle_baskets_free(out);
        return -1;
    }
    out->item_count = used ? max_item + 1 : 0;
    return 0;
}

/* Every frequent itemset found, as ascending lists of item ranks. */
typedef struct itemset_store {
    uint32_t *items;
    size_t item_capacity, item_used;
    uint64_t *starts; /* itemset i is items[starts[i] .. starts[i + 1]) */
    uint64_t *counts;
    size_t starts_capacity, counts_capacity, count;
} itemset_store;

static void store_add(itemset_store *store, const uint32_t *items, uint32_t size, uint64_t count)
{
    store->items = oracle_grow(store->items, &store->item_capacity, store->item_used + size,
                               sizeof *store->items);
    memcpy(store->items + store->item_used, items, size * sizeof *items);
    store->starts = oracle_grow(store->starts, &store->starts_capacity, store->count + 2,
                                sizeof *store->starts);
    store->counts = oracle_grow(store->counts, &store->counts_capacity, store->count + 2,
                                sizeof *store->counts);
    store->starts[store->count] = store->item_used;
    store->counts[store->count] = count;
    store->item_used += size;
    store->count++;
    store->starts[store->count] = store->item_used;
}

typedef struct large_walk {
    uint64_t min_count;
    uint32_t prefix[4096];
    itemset_store store;
    size_t words; /* bitset mode: 64-bit words per tidset */
} large_walk;

/* Bitset mode: extension j of the prefix has tidset bits[j * words ..]. */
static void walk_bitsets(large_walk *walk, uint32_t depth, const uint64_t *bits,
                         const uint32_t *items, const uint64_t *counts, size_t extensions)
{
    size_t words = walk->words;
    for (size_t j = 0; j < extensions; j++) {
        walk->prefix[depth] = items[j];
        store_add(&walk->store, walk->prefix, depth + 1, counts[j]);
        size_t later = extensions - j - 1;
        if (later == 0)
            continue;
        uint64_t *child_bits = oracle_alloc(later * words, sizeof *child_bits);
        uint32_t *child_items = oracle_alloc(later, sizeof *child_items);
        uint64_t *child_counts = oracle_alloc(later, sizeof *child_counts);
        size_t kept = 0;
        const uint64_t *mine = bits + j * words;
        for (size_t k = j + 1; k < extensions; k++) {
            const uint64_t *other = bits + k * words;
            uint64_t *target = child_bits + kept * words;
            uint64_t count = 0;
            for (size_t w = 0; w < words; w++) {
                target[w] = mine[w] & other[w];
                count += (uint64_t)__builtin_popcountll(target[w]);
            }
            if (count >= walk->min_count) {
                child_items[kept] = items[k];
                child_counts[kept] = count;
                kept++;
            }
        }
        if (kept > 0)
            walk_bitsets(walk, depth + 1, child_bits, child_items, child_counts, kept);
        free(child_bits);
        free(child_items);
        free(child_counts);
    }
}

/* List mode: extension j of the prefix has the ascending basket list lists[j]. */
static void walk_lists(large_walk *walk, uint32_t depth, uint32_t *const *lists,
                       const uint32_t *items, const uint64_t *counts, size_t extensions)
{
    for (size_t j = 0; j < extensions; j++) {
        walk->prefix[depth] = items[j];
        store_add(&walk->store, walk->prefix, depth + 1, counts[j]);
        size_t later = extensions - j - 1;
        if (later == 0)
            continue;
        uint32_t **child_lists = oracle_alloc(later, sizeof *child_lists);
        uint32_t *child_items = oracle_alloc(later, sizeof *child_items);
        uint64_t *child_counts = oracle_alloc(later, sizeof *child_counts);
        uint32_t *scratch = oracle_alloc(counts[j], sizeof *scratch);
        size_t kept = 0;
        for (size_t k = j + 1; k < extensions; k++) {
            const uint32_t *a = lists[j], *b = lists[k];
            uint64_t ai = 0, bi = 0, count = 0;
            while (ai < counts[j] && bi < counts[k]) {
                if (a[ai] < b[bi])
                    ai++;
                else if (a[ai] > b[bi])
                    bi++;
                else {
                    scratch[count++] = a[ai];
                    ai++;
                    bi++;
                }
            }
            if (count >= walk->min_count) {
                child_lists[kept] = oracle_alloc(count, sizeof **child_lists);
                memcpy(child_lists[kept], scratch, count * sizeof *scratch);
                child_items[kept] = items[k];
                child_counts[kept] = count;
                kept++;
            }
        }
        free(scratch);
        if (kept > 0)
            walk_lists(walk, depth + 1, child_lists, child_items, child_counts, kept);
        for (size_t k = 0; k < kept; k++)
            free(child_lists[k]);
        free(child_lists);
        free(child_items);
        free(child_counts);
    }
}

static uint64_t hash_items(const uint32_t *items, uint32_t size)
{
    uint64_t hash = 0xCBF29CE484222325ull;
    for (uint32_t i = 0; i < size; i++) {
        hash ^= items[i];
        hash *= 0x100000001B3ull;
        hash ^= hash >> 29;
    }
    return hash ^ (hash >> 32);
}

typedef struct item_order {
    uint32_t item;
    uint64_t support;
} item_order;

static int item_order_compare(const void *left, const void *right)
{
    const item_order *a = left, *b = right;
    if (a->support != b->support)
        return a->support < b->support ? -1 : 1;
    return (a->item > b->item) - (a->item < b->item);
}

int oracle_count_large(const oracle_baskets *baskets, uint64_t min_count,
                       oracle_summary *out)
{
    memset(out, 0, sizeof *out);
    if (min_count == 0)
        min_count = 1;
    uint32_t k = baskets->item_count;
    uint64_t n = baskets->basket_count;

    /* Item supports, each item once per basket. */
    uint64_t *support = oracle_alloc(k, sizeof *support);
    uint64_t *last_seen = oracle_alloc(k, sizeof *last_seen);
    for (uint64_t b = 0; b < n; b++)
        for (uint64_t i = baskets->offsets[b]; i < baskets->offsets[b + 1]; i++) {
            uint32_t item = baskets->items[i];
            if (last_seen[item] != b + 1) {
                last_seen[item] = b + 1;
                support[item]++;
            }
        }

    /* Frequent items by ascending support: small tidsets near the root. */
    item_order *order = oracle_alloc(k, sizeof *order);
    size_t frequent = 0;
    uint64_t support_sum = 0;
    for (uint32_t i = 0; i < k; i++)
        if (support[i] >= min_count) {
            order[frequent].item = i;
            order[frequent].support = support[i];
            support_sum += support[i];
            frequent++;
        }
    qsort(order, frequent, sizeof *order, item_order_compare);
    uint32_t *rank_of = oracle_alloc(k, sizeof *rank_of);
    for (uint32_t i = 0; i < k; i++)
        rank_of[i] = UINT32_MAX;
    for (size_t r = 0; r < frequent; r++)
        rank_of[order[r].item] = (uint32_t)r;

    large_walk *walk = oracle_alloc(1, sizeof *walk);
    walk->min_count = min_count;
    walk->words = (size_t)((n + 63) / 64);
    uint32_t *ranks = oracle_alloc(frequent, sizeof *ranks);
    uint64_t *rank_counts = oracle_alloc(frequent, sizeof *rank_counts);
    for (size_t r = 0; r < frequent; r++) {
        ranks[r] = (uint32_t)r;
        rank_counts[r] = order[r].support;
    }
    memset(last_seen, 0, k * sizeof *last_seen);

    /* Bitsets when a bitset is no bigger than half an average basket list. */
    bool use_bitsets = frequent > 0 && walk->words * 2 <= support_sum / frequent;
    if (use_bitsets) {
        uint64_t *bits = oracle_alloc(frequent * walk->words, sizeof *bits);
        for (uint64_t b = 0; b < n; b++)
            for (uint64_t i = baskets->offsets[b]; i < baskets->offsets[b + 1]; i++) {
                uint32_t rank = rank_of[baskets->items[i]];
                if (rank != UINT32_MAX)
                    bits[rank * walk->words + b / 64] |= 1ull << (b % 64);
            }
        walk_bitsets(walk, 0, bits, ranks, rank_counts, frequent);
        free(bits);
    } else {
        uint32_t **lists = oracle_alloc(frequent, sizeof *lists);
        uint64_t *fill = oracle_alloc(frequent, sizeof *fill);
        for (size_t r = 0; r < frequent; r++)
            lists[r] = oracle_alloc(rank_counts[r], sizeof **lists);
        for (uint64_t b = 0; b < n; b++)
            for (uint64_t i = baskets->offsets[b]; i < baskets->offsets[b + 1]; i++) {
                uint32_t item = baskets->items[i];
                uint32_t rank = rank_of[item];
                if (rank != UINT32_MAX && last_seen[item] != b + 1) {
                    last_seen[item] = b + 1;
                    lists[rank][fill[rank]++] = (uint32_t)b;
                }
            }
        walk_lists(walk, 0, lists, ranks, rank_counts, frequent);
        for (size_t r = 0; r < frequent; r++)
            free(lists[r]);
        free(lists);
        free(fill);
    }

    /* Closed and maximal from immediate subsets: every frequent itemset Y
     * marks each Y minus one item as having a frequent superset, and as not
     * closed when the counts are equal. */
    itemset_store *store = &walk->store;
    size_t slots = 16;
    while (slots < store->count * 2)
        slots *= 2;
    uint32_t *table = oracle_alloc(slots, sizeof *table); /* index + 1, 0 = empty */
    for (size_t s = 0; s < store->count; s++) {
        const uint32_t *items = store->items + store->starts[s];
        uint32_t size = (uint32_t)(store->starts[s + 1] - store->starts[s]);
        size_t slot = hash_items(items, size) & (slots - 1);
        while (table[slot] != 0)
            slot = (slot + 1) & (slots - 1);
        table[slot] = (uint32_t)s + 1;
    }
    enum { HAS_FREQUENT_SUPERSET = 1, NOT_CLOSED = 2 };
    uint8_t *flags = oracle_alloc(store->count ? store->count : 1, sizeof *flags);
    uint32_t subset[4096];
    int status = 0;
    for (size_t s = 0; s < store->count && status == 0; s++) {
        const uint32_t *items = store->items + store->starts[s];
        uint32_t size = (uint32_t)(store->starts[s + 1] - store->starts[s]);
        if (size < 2)
            continue;
        for (uint32_t drop = 0; drop < size; drop++) {
            uint32_t used = 0;
            for (uint32_t i = 0; i < size; i++)
                if (i != drop)
                    subset[used++] = items[i];
            size_t slot = hash_items(subset, used) & (slots - 1);
            size_t found = SIZE_MAX;
            while (table[slot] != 0) {
                size_t candidate = table[slot] - 1;
                uint32_t candidate_size =
                    (uint32_t)(store->starts[candidate + 1] - store->starts[candidate]);
                if (candidate_size == used &&
                    memcmp(store->items + store->starts[candidate], subset,
                           used * sizeof *subset) == 0) {
                    found = candidate;
                    break;
                }
                slot = (slot + 1) & (slots - 1);
            }
            if (found == SIZE_MAX) {
                /* A subset of a frequent itemset is frequent: the walk is broken. */
                fprintf(stderr, "oracle_count_large: a subset is missing\n");
                status = -1;
                break;
            }
            flags[found] |= HAS_FREQUENT_SUPERSET;
            if (store->counts[found] == store->counts[s])
                flags[found] |= NOT_CLOSED;
        }
    }
    for (size_t s = 0; s < store->count; s++) {
        uint64_t count = store->counts[s];
        out->itemsets[ORACLE_ALL]++;
        out->count_sum[ORACLE_ALL] += count;
        if (!(flags[s] & NOT_CLOSED)) {
            out->itemsets[ORACLE_CLOSED]++;
            out->count_sum[ORACLE_CLOSED] += count;
        }
        if (!(flags[s] & HAS_FREQUENT_SUPERSET)) {
            out->itemsets[ORACLE_MAXIMAL]++;
            out->count_sum[ORACLE_MAXIMAL] += count;
        }
    }

    free(flags);
    free(table);
    free(store->items);
    free(store->starts);
    free(store->counts);
    free(walk);
    free(ranks);
    free(rank_counts);
    free(rank_of);
    free(order);
    free(last_seen);
    free(support);
    return status;
}
