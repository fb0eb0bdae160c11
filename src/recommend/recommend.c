/*
 * Recommendations from rules: a rule store indexed by one antecedent item per
 * rule, and the query that scores a basket's candidate items.
 *
 * Each rule is filed under exactly one of its antecedent items (the one with
 * the fewest rules filed so far, which keeps the lists even), so a basket
 * visits a rule at most once, and only when it holds that item. The rest of
 * the antecedent is then checked against the sorted basket.
 */
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "read/dataset.h"
#include "read/dict.h"
#include "base/internal.h"
#include "rules/rules.h"

/* A rule's items sit at items[offset ..]: antecedent, then consequent. */
typedef struct recommender_rule {
    uint64_t offset;
    uint32_t antecedent_size;
    uint32_t consequent_size;
    double confidence;
    double lift;
} recommender_rule;

/* The rules filed under one item. */
typedef struct rule_list {
    uint32_t *rules;
    uint32_t count;
    uint32_t capacity;
} rule_list;

struct fimbit_recommender {
    dict names;
    /* One list per item, empty past the last rule's items; names interned
     * by a failed add may lie past index_capacity, naming no rule. */
    rule_list *index;
    uint32_t index_capacity;
    recommender_rule *rules;
    uint32_t rule_count;
    uint32_t rule_capacity;
    uint32_t *items;
    uint64_t item_used;
    uint64_t item_capacity;
};

/* A candidate item and the rule that proposed it. */
typedef struct candidate {
    uint32_t item;
    double confidence;
    double lift;
} candidate;

fimbit_status fimbit_recommender_create(fimbit_recommender **out, fimbit_error *error)
{
    if (out == NULL)
        return fimbit__fail(error, FIMBIT_EINVAL, "recommender: no place for the result");
    *out = NULL;
    fimbit_recommender *recommender = fimbit__calloc(1, sizeof *recommender);
    if (recommender == NULL)
        return fimbit__fail(error, FIMBIT_ENOMEM, "out of memory creating a recommender");
    dict_init(&recommender->names);
    *out = recommender;
    return FIMBIT_OK;
}

void fimbit_recommender_free(fimbit_recommender *recommender)
{
    if (recommender == NULL)
        return;
    for (uint32_t i = 0; i < recommender->index_capacity; i++)
        fimbit__free(recommender->index[i].rules);
    fimbit__free(recommender->index);
    fimbit__free(recommender->rules);
    fimbit__free(recommender->items);
    dict_release(&recommender->names);
    fimbit__free(recommender);
}

/* Grows an array's capacity (doubling) until it holds `needed` elements. */
static bool grow(void **array, uint64_t *capacity, uint64_t needed, size_t element_size)
{
    if (needed <= *capacity)
        return true;
    uint64_t size = *capacity < 16 ? 16 : *capacity;
    while (size < needed)
        size *= 2;
    void *bigger = fimbit__realloc_array(*array, size, element_size);
    if (bigger == NULL)
        return false;
    *array = bigger;
    *capacity = size;
    return true;
}

/* Makes one (empty) rule list per interned item. */
static bool index_cover_items(fimbit_recommender *recommender)
{
    uint32_t needed = recommender->names.count;
    if (needed <= recommender->index_capacity)
        return true;
    uint64_t size = recommender->index_capacity < 16 ? 16 : recommender->index_capacity;
    while (size < needed)
        size *= 2;
    rule_list *bigger = fimbit__realloc_array(recommender->index, size, sizeof *bigger);
    if (bigger == NULL)
        return false;
    memset(bigger + recommender->index_capacity, 0,
           (size - recommender->index_capacity) * sizeof *bigger);
    recommender->index = bigger;
    recommender->index_capacity = (uint32_t)size;
    return true;
}

/* Interns `count` names into items[at ..]. */
static fimbit_status intern_names(fimbit_recommender *recommender, const char *const *names,
                                  uint32_t count, uint64_t at, fimbit_error *error)
{
    for (uint32_t i = 0; i < count; i++) {
        if (names[i] == NULL)
            return fimbit__fail(error, FIMBIT_EINVAL, "recommender: a rule item is NULL");
        fimbit_status status = dict_intern(&recommender->names, names[i], strlen(names[i]),
                                           &recommender->items[at + i], NULL);
        if (status == FIMBIT_ELIMIT)
            return fimbit__fail(error, status, "recommender: too many distinct items");
        if (status != FIMBIT_OK)
            return fimbit__fail(error, status, "out of memory adding a rule");
    }
    return FIMBIT_OK;
}

static bool contains(const uint32_t *items, uint32_t count, uint32_t item)
{
    for (uint32_t i = 0; i < count; i++)
        if (items[i] == item)
            return true;
    return false;
}

fimbit_status fimbit_recommender_add_rule(fimbit_recommender *recommender,
                                          const char *const *antecedent,
                                          uint32_t antecedent_size,
                                          const char *const *consequent,
                                          uint32_t consequent_size, double confidence,
                                          double lift, fimbit_error *error)
{
    if (antecedent_size == 0 || consequent_size == 0)
        return fimbit__fail(error, FIMBIT_EINVAL, "recommender: a rule needs items on both sides");
    if (recommender == NULL || antecedent == NULL || consequent == NULL)
        return fimbit__fail(error, FIMBIT_EINVAL, "recommender: a NULL argument");
    if (!(isfinite(confidence) && confidence >= 0) || !(isfinite(lift) && lift >= 0))
        return fimbit__fail(error, FIMBIT_EINVAL,
                            "recommender: confidence and lift must be finite numbers >= 0");
    if (recommender->rule_count >= UINT32_MAX - 1)
        return fimbit__fail(error, FIMBIT_ELIMIT, "recommender: too many rules");

    uint64_t size = (uint64_t)antecedent_size + consequent_size;
    uint64_t rule_capacity = recommender->rule_capacity;
    if (!grow((void **)&recommender->items, &recommender->item_capacity,
              recommender->item_used + size, sizeof *recommender->items) ||
        !grow((void **)&recommender->rules, &rule_capacity, (uint64_t)recommender->rule_count + 1,
              sizeof *recommender->rules))
        return fimbit__fail(error, FIMBIT_ENOMEM, "out of memory adding a rule");
    recommender->rule_capacity = (uint32_t)(rule_capacity < UINT32_MAX ? rule_capacity : UINT32_MAX);

    uint64_t at = recommender->item_used;
    fimbit_status status = intern_names(recommender, antecedent, antecedent_size, at, error);
    if (status == FIMBIT_OK)
        status = intern_names(recommender, consequent, consequent_size, at + antecedent_size,
                              error);
    if (status != FIMBIT_OK)
        return status;
    if (!index_cover_items(recommender))
        return fimbit__fail(error, FIMBIT_ENOMEM, "out of memory adding a rule");

    const uint32_t *items = recommender->items + at;
    for (uint32_t i = 0; i < consequent_size; i++)
        if (contains(items, antecedent_size, items[antecedent_size + i]))
            return fimbit__fail(error, FIMBIT_EINVAL,
                                "recommender: '%s' is on both sides of a rule", consequent[i]);

    /* File the rule under its antecedent item with the shortest list. */
    uint32_t key = items[0];
    for (uint32_t i = 1; i < antecedent_size; i++)
        if (recommender->index[items[i]].count < recommender->index[key].count)
            key = items[i];
    rule_list *list = &recommender->index[key];
    uint64_t list_capacity = list->capacity;
    if (!grow((void **)&list->rules, &list_capacity, (uint64_t)list->count + 1,
              sizeof *list->rules))
        return fimbit__fail(error, FIMBIT_ENOMEM, "out of memory adding a rule");
    list->capacity = (uint32_t)(list_capacity < UINT32_MAX ? list_capacity : UINT32_MAX);

    uint32_t rule = recommender->rule_count++;
    list->rules[list->count++] = rule;
    recommender->rules[rule] = (recommender_rule){.offset = at,
                                                  .antecedent_size = antecedent_size,
                                                  .consequent_size = consequent_size,
                                                  .confidence = confidence,
                                                  .lift = lift};
    recommender->item_used += size;
    return FIMBIT_OK;
}

fimbit_status fimbit_recommender_add_rules(fimbit_recommender *recommender,
                                           const fimbit_rules *rules, fimbit_error *error)
{
    if (recommender == NULL || rules == NULL)
        return fimbit__fail(error, FIMBIT_EINVAL, "recommender: a NULL argument");
    const char **names = NULL;
    uint32_t name_capacity = 0;
    fimbit_status status = FIMBIT_OK;
    size_t count = fimbit_rules_count(rules);
    const fimbit_dataset *dataset = rules->dataset;

    for (size_t r = 0; r < count && status == FIMBIT_OK; r++) {
        fimbit_rule rule;
        fimbit_rules_get(rules, r, &rule);
        uint32_t size = rule.antecedent_size + rule.consequent_size;
        if (size > name_capacity) {
            fimbit__free(names);
            name_capacity = size * 2;
            names = fimbit__malloc_array(name_capacity, sizeof *names);
            if (names == NULL)
                return fimbit__fail(error, FIMBIT_ENOMEM, "out of memory adding rules");
        }
        for (uint32_t i = 0; i < rule.antecedent_size; i++)
            names[i] = fimbit_dataset_item_name(dataset, rule.antecedent[i]);
        for (uint32_t i = 0; i < rule.consequent_size; i++)
            names[rule.antecedent_size + i] = fimbit_dataset_item_name(dataset, rule.consequent[i]);
        /* At confidence 1 conviction is infinite, but lift stays finite. */
        status = fimbit_recommender_add_rule(recommender, names, rule.antecedent_size,
                                             names + rule.antecedent_size, rule.consequent_size,
                                             rule.confidence, rule.lift, error);
    }
    fimbit__free(names);
    return status;
}

size_t fimbit_recommender_rule_count(const fimbit_recommender *recommender)
{
    return recommender != NULL ? recommender->rule_count : 0;
}

uint32_t fimbit_recommender_item_count(const fimbit_recommender *recommender)
{
    return recommender != NULL ? recommender->names.count : 0;
}

const char *fimbit_recommender_item_name(const fimbit_recommender *recommender, uint32_t item)
{
    if (recommender == NULL || item >= recommender->names.count)
        return NULL;
    return recommender->names.bytes + recommender->names.offsets[item];
}

fimbit_status fimbit_recommender_find_item(const fimbit_recommender *recommender,
                                           const char *name, uint32_t *item)
{
    if (recommender == NULL || name == NULL || item == NULL)
        return FIMBIT_EINVAL;
    uint32_t id = dict_find(&recommender->names, name, strlen(name));
    if (id == DICT_EMPTY)
        return FIMBIT_EINVAL;
    *item = id;
    return FIMBIT_OK;
}

/* ------------------------------------------------------------------ queries */

/* Up to this many items, a query's bitmaps and positions live on the stack;
 * up to this many candidates, its offers do. */
#define QUERY_STACK_ITEMS 2048
#define QUERY_STACK_CANDIDATES 256

/* A query's working memory, one bit or slot per recommender item: which
 * items the basket holds, whose rule list has been walked, which have been
 * proposed, and where each proposed item's best offer sits in `best`. Only the
 * bitmaps need zeroing; a position is read only when its item's proposed bit
 * is set. */
typedef struct query {
    uint64_t *in_basket;
    uint64_t *walked;
    uint64_t *proposed;
    uint32_t *position;
    candidate *best;
    size_t count;
    size_t capacity;
    bool best_on_heap;
    fimbit_recommend_by by;
} query;

static inline bool bit_test(const uint64_t *bits, uint32_t item)
{
    return (bits[item >> 6] >> (item & 63)) & 1u;
}

static inline void bit_set(uint64_t *bits, uint32_t item)
{
    bits[item >> 6] |= (uint64_t)1 << (item & 63);
}

/* @return > 0 when a is the better recommendation under `by`. */
static int better(const candidate *a, const candidate *b, fimbit_recommend_by by)
{
    double a_first = by == FIMBIT_RECOMMEND_BY_LIFT ? a->lift : a->confidence;
    double b_first = by == FIMBIT_RECOMMEND_BY_LIFT ? b->lift : b->confidence;
    double a_second = by == FIMBIT_RECOMMEND_BY_LIFT ? a->confidence : a->lift;
    double b_second = by == FIMBIT_RECOMMEND_BY_LIFT ? b->confidence : b->lift;
    if (a_first != b_first)
        return a_first > b_first ? 1 : -1;
    if (a_second != b_second)
        return a_second > b_second ? 1 : -1;
    return (a->item < b->item) - (a->item > b->item);
}

/* Keeps the better of `item`'s current best offer and `rule`'s.
 * @return false when out of memory. */
static bool propose(query *q, uint32_t item, const recommender_rule *rule)
{
    candidate offer = {item, rule->confidence, rule->lift};
    if (bit_test(q->proposed, item)) {
        if (better(&offer, &q->best[q->position[item]], q->by) > 0)
            q->best[q->position[item]] = offer;
        return true;
    }
    if (q->count == q->capacity) {
        size_t bigger = q->capacity * 2;
        candidate *moved = q->best_on_heap ? fimbit__realloc_array(q->best, bigger, sizeof *moved)
                                           : fimbit__malloc_array(bigger, sizeof *moved);
        if (moved == NULL)
            return false;
        if (!q->best_on_heap)
            memcpy(moved, q->best, q->count * sizeof *moved);
        q->best = moved;
        q->capacity = bigger;
        q->best_on_heap = true;
    }
    bit_set(q->proposed, item);
    q->position[item] = (uint32_t)q->count;
    q->best[q->count++] = offer;
    return true;
}

/* Moves the `k` best candidates to the front, best first. Selection by
 * repeated maximum: k is small (a handful of recommendations). */
static size_t select_best(candidate *candidates, size_t count, size_t k, fimbit_recommend_by by)
{
    size_t keep = k < count ? k : count;
    for (size_t i = 0; i < keep; i++) {
        size_t top = i;
        for (size_t j = i + 1; j < count; j++)
            if (better(&candidates[j], &candidates[top], by) > 0)
                top = j;
        candidate swap = candidates[i];
        candidates[i] = candidates[top];
        candidates[top] = swap;
    }
    return keep;
}

/* Scores every rule the basket matches. Rules come from the lists of the
 * basket's items only; each list holds the rules filed under that item, so
 * no rule is looked at twice. */
static bool score_basket(const fimbit_recommender *recommender, query *q,
                         const uint32_t *basket, size_t basket_size)
{
    for (size_t b = 0; b < basket_size; b++) {
        uint32_t key = basket[b];
        /* An item given twice has its list walked once. A name that a failed
         * fimbit_recommender_add_rule() interned may lie past the index: it
         * names no rule. */
        if (key >= recommender->names.count || key >= recommender->index_capacity ||
            bit_test(q->walked, key))
            continue;
        bit_set(q->walked, key);
        const rule_list *list = &recommender->index[key];
        for (uint32_t r = 0; r < list->count; r++) {
            const recommender_rule *rule = &recommender->rules[list->rules[r]];
            const uint32_t *items = recommender->items + rule->offset;
            bool matches = true;
            for (uint32_t i = 0; i < rule->antecedent_size && matches; i++)
                matches = items[i] == key || bit_test(q->in_basket, items[i]);
            for (uint32_t i = 0; matches && i < rule->consequent_size; i++) {
                uint32_t item = items[rule->antecedent_size + i];
                if (!bit_test(q->in_basket, item) && !propose(q, item, rule))
                    return false;
            }
        }
    }
    return true;
}

fimbit_status fimbit_recommend(const fimbit_recommender *recommender, const uint32_t *basket,
                               size_t basket_size, fimbit_recommend_by by, size_t k,
                               fimbit_recommendation *out, size_t *found, fimbit_error *error)
{
    if (found != NULL)
        *found = 0; /* also when the call fails */
    if (recommender == NULL || found == NULL || (out == NULL && k > 0) ||
        (basket == NULL && basket_size > 0))
        return fimbit__fail(error, FIMBIT_EINVAL, "recommend: a NULL argument");
    if ((unsigned)by > FIMBIT_RECOMMEND_BY_LIFT)
        return fimbit__fail(error, FIMBIT_EINVAL, "recommend: unknown order %d", (int)by);
    uint32_t items = recommender->names.count;
    if (k == 0 || basket_size == 0 || items == 0)
        return FIMBIT_OK;

    size_t words = ((size_t)items + 63) / 64;
    uint64_t stack_bits[3 * (QUERY_STACK_ITEMS / 64)];
    uint32_t stack_position[QUERY_STACK_ITEMS];
    candidate stack_best[QUERY_STACK_CANDIDATES];
    query q = {.best = stack_best, .capacity = QUERY_STACK_CANDIDATES, .by = by};
    bool on_heap = items > QUERY_STACK_ITEMS;
    uint64_t *bits = stack_bits;
    q.position = stack_position;
    if (on_heap) {
        bits = fimbit__calloc(3 * words, sizeof *bits);
        q.position = fimbit__malloc_array(items, sizeof *q.position);
    } else {
        memset(stack_bits, 0, 3 * words * sizeof *stack_bits);
    }
    fimbit_status status = FIMBIT_OK;
    if (bits == NULL || q.position == NULL) {
        status = FIMBIT_ENOMEM;
    } else {
        q.in_basket = bits;
        q.walked = bits + words;
        q.proposed = bits + 2 * words;
        for (size_t b = 0; b < basket_size; b++)
            if (basket[b] < items)
                bit_set(q.in_basket, basket[b]);
        if (!score_basket(recommender, &q, basket, basket_size))
            status = FIMBIT_ENOMEM;
    }
    if (status == FIMBIT_OK) {
        size_t keep = select_best(q.best, q.count, k, by);
        for (size_t i = 0; i < keep; i++)
            out[i] = (fimbit_recommendation){q.best[i].item, q.best[i].confidence,
                                             q.best[i].lift};
        *found = keep;
    } else {
        fimbit__fail(error, status, "out of memory recommending");
    }
    if (on_heap) {
        fimbit__free(bits);
        fimbit__free(q.position);
    }
    if (q.best_on_heap)
        fimbit__free(q.best);
    return status;
}

/* Recommends for a basket of `size` items whose names `name_of` gives:
 * looked up by name, names no rule mentions ignored. */
static fimbit_status recommend_named(const fimbit_recommender *recommender, size_t size,
                                     const char *(*name_of)(const void *, size_t),
                                     const void *context, fimbit_recommend_by by, size_t k,
                                     fimbit_recommendation *out, size_t *found,
                                     fimbit_error *error)
{
    if (size == 0)
        return fimbit_recommend(recommender, NULL, 0, by, k, out, found, error);
    uint32_t local[64];
    uint32_t *basket = size <= 64 ? local : fimbit__malloc_array(size, sizeof *basket);
    if (basket == NULL)
        return fimbit__fail(error, FIMBIT_ENOMEM, "out of memory recommending");
    for (size_t i = 0; i < size; i++) {
        const char *name = name_of(context, i);
        basket[i] = name != NULL ? dict_find(&recommender->names, name, strlen(name))
                                 : DICT_EMPTY;
    }
    fimbit_status status = fimbit_recommend(recommender, basket, size, by, k, out, found, error);
    if (basket != local)
        fimbit__free(basket);
    return status;
}

static const char *listed_name(const void *names, size_t i)
{
    return ((const char *const *)names)[i];
}

fimbit_status fimbit_recommend_names(const fimbit_recommender *recommender,
                                     const char *const *names, size_t basket_size,
                                     fimbit_recommend_by by, size_t k,
                                     fimbit_recommendation *out, size_t *found,
                                     fimbit_error *error)
{
    if (found != NULL)
        *found = 0;
    if (recommender == NULL || (names == NULL && basket_size > 0))
        return fimbit__fail(error, FIMBIT_EINVAL, "recommend: a NULL argument");
    return recommend_named(recommender, basket_size, listed_name, names, by, k, out, found,
                           error);
}

/* A dataset basket's items, by position. */
typedef struct dataset_basket {
    const fimbit_dataset *dataset;
    uint64_t begin;
} dataset_basket;

static const char *basket_item_name(const void *context, size_t i)
{
    const dataset_basket *basket = context;
    return dataset_item_name(basket->dataset, dataset_item(basket->dataset, basket->begin + i));
}

fimbit_status fimbit_recommend_basket(const fimbit_recommender *recommender,
                                      const fimbit_dataset *dataset, uint64_t basket,
                                      fimbit_recommend_by by, size_t k,
                                      fimbit_recommendation *out, size_t *found,
                                      fimbit_error *error)
{
    if (found != NULL)
        *found = 0;
    if (recommender == NULL || dataset == NULL)
        return fimbit__fail(error, FIMBIT_EINVAL, "recommend: a NULL argument");
    if (dataset->without_baskets)
        return fimbit__fail(error, FIMBIT_EINVAL, "recommend: the dataset holds no baskets");
    if (basket >= dataset->basket_count)
        return fimbit__fail(error, FIMBIT_EINVAL, "recommend: basket %llu of %llu",
                            (unsigned long long)basket,
                            (unsigned long long)dataset->basket_count);
    dataset_basket items = {dataset, dataset->basket_offsets[basket]};
    size_t size = (size_t)(dataset->basket_offsets[basket + 1] - items.begin);
    return recommend_named(recommender, size, basket_item_name, &items, by, k, out, found,
                           error);
}
