/* The repository of maximal itemsets found so far; see maximal_repository.h. */
#include <stdlib.h>
#include <string.h>

#include "base/internal.h"
#include "maximal_repository.h"
#include "base/sort_u32.h"

/* Sets the item range and with it the mask width. */
static void set_item_count(maximal_repository *r, uint32_t item_count)
{
    r->item_count = item_count;
    uint32_t words = (item_count + 63u) / 64u;
    r->mask_words = words == 0 ? 1u : words > MAXIMAL_MASK_WORDS ? MAXIMAL_MASK_WORDS : words;
    r->exact = item_count <= 64u * r->mask_words;
}

bool maximal_repository_init(maximal_repository *r, uint32_t item_count)
{
    memset(r, 0, sizeof *r);
    set_item_count(r, item_count);
    size_t n = item_count ? item_count : 1;
    r->chains = fimbit__calloc(n, sizeof *r->chains);
    r->touched = fimbit__malloc_array(n, sizeof *r->touched);
    if (!r->chains || !r->touched) {
        maximal_repository_release(r);
        return false;
    }
    r->chain_count = item_count;
    return true;
}

void maximal_repository_release(maximal_repository *r)
{
    for (uint32_t item = 0; item < r->chain_count; item++)
        fimbit__free_mapped_array(r->chains[item].bytes, r->chains[item].room, 1);
    fimbit__free_mapped_array(r->masks, r->mask_room, sizeof *r->masks);
    fimbit__free_mapped_array(r->starts, r->starts_room, sizeof *r->starts);
    fimbit__free_mapped_array(r->items, r->room, sizeof *r->items);
    fimbit__free(r->chains);
    fimbit__free(r->touched);
    memset(r, 0, sizeof *r);
}

/* Keeps the chains' bytes for the next entries. */
void maximal_repository_clear(maximal_repository *r)
{
    for (uint32_t i = 0; i < r->touched_count; i++) {
        maximal_chain *chain = &r->chains[r->touched[i]];
        chain->used = 0;
        chain->length = 0;
        chain->newest = 0;
    }
    r->touched_count = 0;
    r->count = 0;
    r->used = 0;
    r->settled = 0;
}

void maximal_repository_clear_for(maximal_repository *r, uint32_t item_count)
{
    maximal_repository_clear(r);
    set_item_count(r, item_count);
}

/* Makes room for one more entry of `size` items: its mask, and where the
 * masks are folded its item list. @return false without memory. */
static bool reserve(maximal_repository *r, uint32_t size)
{
    if (!fimbit__grow_mapped_array((void **)&r->masks, &r->mask_room,
                                   (size_t)(r->count + 1u) * r->mask_words, sizeof *r->masks))
        return false;
    if (r->exact)
        return true;
    /* starts[] holds one more than the entries: the end of the last. */
    return fimbit__grow_mapped_array((void **)&r->starts, &r->starts_room, (size_t)r->count + 2u,
                                     sizeof *r->starts) &&
           fimbit__grow_mapped_array((void **)&r->items, &r->room, r->used + size,
                                     sizeof *r->items);
}

#define NO_ITEM UINT32_MAX

/* The longest number a chain stores: 32 bits in 7-bit groups. */
#define CHAIN_NUMBER_BYTES 5u

/* A chain's length once it is no longer kept: never the shortest source. */
#define CHAIN_DROPPED UINT32_MAX
/* Entries before a chain may be dropped: a small repository keeps them all. */
#define CHAIN_DROP_ENTRIES 256u
/* An item in at least 1 / CHAIN_DROP_SHARE of the entries loses its chain. */
#define CHAIN_DROP_SHARE 8u

/* Appends entry e (newer than the chain's every entry) to item's chain.
 * @return false without memory. */
static bool chain_push(maximal_repository *r, uint32_t item, uint32_t e)
{
    maximal_chain *chain = &r->chains[item];
    if (chain->length == CHAIN_DROPPED)
        return true;
    /* An item in an eighth of the entries or more has a chain of about a
     * byte an entry it holds, as many bytes as a bit per entry would take,
     * and the focus it would save scanning is short at that density: its
     * chain is freed and no longer kept (chess 959 maximal: 786 KB of chains
     * at the end with half as the bound, 78 KB now, and 0.7% fewer
     * instructions; mushroom 82 0.6% more). */
    if (e + 1u >= CHAIN_DROP_ENTRIES && chain->length >= (e + 1u) / CHAIN_DROP_SHARE) {
        fimbit__free_mapped_array(chain->bytes, chain->room, 1);
        *chain = (maximal_chain){NULL, 0, 0, CHAIN_DROPPED, 0};
        return true;
    }
    if (!fimbit__grow_mapped_array((void **)&chain->bytes, &chain->room,
                                   (size_t)chain->used + CHAIN_NUMBER_BYTES, 1))
        return false;
    if (chain->length == 0)
        r->touched[r->touched_count++] = item;
    uint32_t gap = e + 1u - chain->newest;
    uint8_t *out = chain->bytes + chain->used;
    while (gap >= 0x80u) {
        *out++ = (uint8_t)(gap | 0x80u);
        gap >>= 7;
    }
    *out++ = (uint8_t)gap;
    chain->used = (uint32_t)(out - chain->bytes);
    chain->length++;
    chain->newest = e + 1u;
    return true;
}

bool maximal_repository_add(maximal_repository *r, const uint32_t *items, uint32_t size)
{
    if (r->count == UINT32_MAX || !reserve(r, size))
        return false;
    uint32_t e = r->count;
    uint64_t *mask = r->masks + (size_t)e * r->mask_words;
    memset(mask, 0, r->mask_words * sizeof *mask);
    uint32_t bits = 64u * r->mask_words;
    for (uint32_t i = 0; i < size; i++) {
        uint32_t bit = items[i] % bits;
        mask[bit >> 6] |= (uint64_t)1 << (bit & 63u);
        if (!chain_push(r, items[i], e))
            return false;
    }
    if (!r->exact) {
        if (e == 0)
            r->starts[0] = 0;
        uint32_t *stored = r->items + r->used;
        memcpy(stored, items, (size_t)size * sizeof *stored);
        sort_u32(stored, size);
        r->used += size;
        r->starts[e + 1] = r->used;
    }
    r->count = e + 1;
    return true;
}

/* ------------------------------------------------------------- the cut */

/*
 * A cut projects every entry on the items below its bound (P) and keeps the
 * entries no other one holds then. Of the walk's entries only a few pairs
 * can hold one another after it: those the last cut kept hold none of each
 * other, nor do those added since (the maximal sets of the top-level branches
 * walked since, each holding its branch's item). Call `low` the entries with
 * no item at or above the bound (P leaves them as they are) and `high` the
 * others, old or new as they come before `settled` or not: a low entry can
 * lie inside P of a new high one, P of a high one inside a low one, and P of
 * an old high one inside P of a new one. Those are the tests made. Of equal
 * sets one stays (low before new, new before old), so every entry dropped
 * lies in one kept (holding is transitive, and the ties make no cycle) and no
 * query over the items kept changes its answer, whatever the entries: on
 * other families an entry that another one holds may merely stay.
 *
 * A test asks one side (the low entries, or the new high ones) through bit
 * columns: an item's column has a bit for every entry of the side holding
 * it, so the entries holding a set are the AND of its items' columns, 64
 * entries a word. Before that, the union of the word's entries (and of
 * CUT_SPAN words') must hold the set: entries in the walk's order come in
 * runs from one subtree, which share most items, so the unions rule out
 * nearly every word (chess 959 maximal: 4.6 million span and 9.7 million
 * word tests leave 1.4 million words to AND, of 36 million; the cut's tests
 * then take 300 million instructions, not 700). Newest entries first: a new
 * set lies most often in one found shortly before it.
 */

/* Words of entries a second-level union covers. */
#define CUT_SPAN 8u

/* The entries of one side of a cut as columns over the items kept, with the
 * unions of their masks by word and by CUT_SPAN words. */
typedef struct cut_side {
    const uint32_t *ids; /* the side's entries, ascending */
    uint32_t size;
    size_t words;      /* a column's words: one bit per entry */
    uint64_t *columns; /* item i's column at columns + i * words */
    uint64_t *unions;  /* word w's entries' union at unions + w * mask_words */
    uint64_t *spans;   /* of words [CUT_SPAN s, CUT_SPAN (s + 1)) at spans + s * mask_words */
} cut_side;

/* Entry e's mask word w, projected on the items kept (keep[]). */
static inline uint64_t projected_word(const maximal_repository *r, const uint64_t *keep, uint32_t e,
                                      uint32_t w)
{
    return r->masks[(size_t)e * r->mask_words + w] & keep[w];
}

/* @return false when the arena is exhausted. */
static bool side_build(cut_side *side, const maximal_repository *r, const uint64_t *keep,
                       uint32_t items, const uint32_t *ids, uint32_t size, arena *scratch)
{
    uint32_t mw = r->mask_words;
    side->ids = ids;
    side->size = size;
    side->words = ((size_t)size + 63u) / 64u;
    size_t spans = (side->words + CUT_SPAN - 1u) / CUT_SPAN;
    side->columns =
        arena_alloc_array(scratch, (size_t)items * side->words + 1, sizeof *side->columns);
    side->unions = arena_alloc_array(scratch, side->words * mw + 1, sizeof *side->unions);
    side->spans = arena_alloc_array(scratch, spans * mw + 1, sizeof *side->spans);
    if (!side->columns || !side->unions || !side->spans)
        return false;
    memset(side->columns, 0, (size_t)items * side->words * sizeof *side->columns);
    memset(side->unions, 0, side->words * mw * sizeof *side->unions);
    memset(side->spans, 0, spans * mw * sizeof *side->spans);
    for (uint32_t g = 0; g < size; g++)
        for (uint32_t w = 0; w < mw; w++) {
            uint64_t word = projected_word(r, keep, ids[g], w);
            side->unions[g / 64u * mw + w] |= word;
            side->spans[g / 64u / CUT_SPAN * mw + w] |= word;
            for (uint64_t bits = word; bits; bits &= bits - 1) {
                uint32_t item = 64u * w + (uint32_t)__builtin_ctzll(bits);
                side->columns[item * side->words + g / 64u] |= (uint64_t)1 << (g % 64u);
            }
        }
    return true;
}

/* @return true when union[0 .. words) holds set[]. */
static inline bool union_holds(const uint64_t *set, const uint64_t *union_, uint32_t words)
{
    uint64_t missing = 0;
    for (uint32_t w = 0; w < words; w++)
        missing |= set[w] & ~union_[w];
    return missing == 0;
}

/* @return true when an entry of the side holds P(entry e) (not empty), other
 * than one equal to it when `strict`. mw: the masks' words, a constant where
 * inlined. */
static inline __attribute__((always_inline)) bool side_holds_in(const cut_side *side,
                                                                const maximal_repository *r,
                                                                const uint64_t *keep, uint32_t e,
                                                                bool strict, uint32_t mw)
{
    uint64_t set[MAXIMAL_MASK_WORDS];
    for (uint32_t w = 0; w < mw; w++)
        set[w] = projected_word(r, keep, e, w);
    /* The set's columns, listed when a word first needs them. */
    const uint64_t *columns[64u * MAXIMAL_MASK_WORDS];
    uint32_t n = 0;
    /* Bounded by the side's words; most are ruled out by a union. */
    for (size_t span = (side->words + CUT_SPAN - 1u) / CUT_SPAN; span-- > 0;) {
        if (!union_holds(set, side->spans + span * mw, mw))
            continue;
        size_t first = span * CUT_SPAN;
        size_t end = first + CUT_SPAN < side->words ? first + CUT_SPAN : side->words;
        for (size_t word = end; word-- > first;) {
            if (!union_holds(set, side->unions + word * mw, mw))
                continue;
            if (n == 0)
                for (uint32_t w = 0; w < mw; w++)
                    for (uint64_t bits = set[w]; bits; bits &= bits - 1) {
                        uint32_t item = 64u * w + (uint32_t)__builtin_ctzll(bits);
                        columns[n++] = side->columns + item * side->words;
                    }
            uint64_t candidates = ~(uint64_t)0;
            for (uint32_t i = 0; i < n && candidates; i++)
                candidates &= columns[i][word];
            for (; candidates; candidates &= candidates - 1) {
                uint32_t other = side->ids[word * 64u + (uint32_t)__builtin_ctzll(candidates)];
                if (!strict)
                    return true;
                for (uint32_t w = 0; w < mw; w++)
                    if (projected_word(r, keep, other, w) != set[w])
                        return true;
            }
        }
    }
    return false;
}

/* side_holds_in, specialised for masks of one word (up to 64 items: chess,
 * where a word's union test is then three instructions). */
static bool side_holds(const cut_side *side, const maximal_repository *r, const uint64_t *keep,
                       uint32_t e, bool strict)
{
    if (r->mask_words == 1)
        return side_holds_in(side, r, keep, e, strict, 1);
    return side_holds_in(side, r, keep, e, strict, r->mask_words);
}

/* Rebuilds the masks and the chains from the entries not dropped, projected,
 * in their order, with masks as wide as `items` needs. An item that had lost
 * its chain stays without: common before the cut, it is common after.
 * @return false without memory. */
static bool cut_compact(maximal_repository *r, const uint64_t *keep, uint32_t items,
                        const uint8_t *dropped)
{
    uint32_t old_words = r->mask_words, count = r->count;
    uint64_t chained[MAXIMAL_MASK_WORDS];
    memcpy(chained, keep, sizeof chained);
    uint32_t touched = 0;
    for (uint32_t i = 0; i < r->touched_count; i++) {
        uint32_t item = r->touched[i];
        maximal_chain *chain = &r->chains[item];
        if (item >= items) {
            /* Asked about no more. */
            fimbit__free_mapped_array(chain->bytes, chain->room, 1);
            *chain = (maximal_chain){NULL, 0, 0, 0, 0};
        } else if (chain->length == CHAIN_DROPPED) {
            r->touched[touched++] = item; /* for clear */
            chained[item / 64u] &= ~((uint64_t)1 << (item % 64u));
        } else {
            chain->used = 0;
            chain->length = 0;
            chain->newest = 0;
        }
    }
    r->touched_count = touched;
    set_item_count(r, items);
    uint32_t kept = 0;
    for (uint32_t e = 0; e < count; e++) {
        if (dropped[e])
            continue;
        /* Forwards in place: a kept mask never lands past its old place. */
        uint64_t *to = r->masks + (size_t)kept * r->mask_words;
        const uint64_t *from = r->masks + (size_t)e * old_words;
        for (uint32_t w = 0; w < r->mask_words; w++)
            to[w] = from[w] & keep[w];
        r->count = kept + 1;
        for (uint32_t w = 0; w < r->mask_words; w++)
            for (uint64_t bits = to[w] & chained[w]; bits; bits &= bits - 1)
                if (!chain_push(r, 64u * w + (uint32_t)__builtin_ctzll(bits), kept))
                    return false;
        kept++;
    }
    r->count = kept;
    r->settled = kept;
    fimbit__release_mapped_array_after(r->masks, (size_t)kept * r->mask_words, r->mask_room,
                                       sizeof *r->masks);
    return true;
}

/* Where an entry stands in a cut: holding none of the items kept (dropped),
 * low or high. */
enum { CUT_NONE, CUT_LOW, CUT_HIGH };

static int cut_group(const maximal_repository *r, const uint64_t *keep, uint32_t e)
{
    uint64_t above = 0, kept = 0;
    for (uint32_t w = 0; w < r->mask_words; w++) {
        uint64_t word = r->masks[(size_t)e * r->mask_words + w];
        above |= word & ~keep[w];
        kept |= word & keep[w];
    }
    return !kept ? CUT_NONE : above ? CUT_HIGH : CUT_LOW;
}

/* Sets dropped[e] for every entry the cut drops, as the comment above says.
 * @return false when the arena is exhausted. */
static bool cut_mark(const maximal_repository *r, const uint64_t *keep, uint32_t items,
                     uint8_t *dropped, arena *scratch)
{
    uint32_t count = r->count, lows = 0, news = 0, olds = 0;
    for (uint32_t e = 0; e < count; e++) {
        int group = cut_group(r, keep, e);
        /* An entry of none of the items kept holds no query any more. */
        dropped[e] = group == CUT_NONE;
        lows += group == CUT_LOW;
        news += group == CUT_HIGH && e >= r->settled;
        olds += group == CUT_HIGH && e < r->settled;
    }
    /* The low entries, the new high ones, the old high ones, each ascending. */
    uint32_t *ids = arena_alloc_array(scratch, (size_t)lows + news + olds + 1u, sizeof *ids);
    if (!ids)
        return false;
    uint32_t fill[3] = {0, lows, lows + news};
    for (uint32_t e = 0; e < count; e++) {
        int group = cut_group(r, keep, e);
        if (group != CUT_NONE)
            ids[fill[group == CUT_LOW ? 0 : e >= r->settled ? 1 : 2]++] = e;
    }
    const uint32_t *low = ids, *high = ids + lows, *old = ids + lows + news;
    cut_side low_side, new_side;
    if (!side_build(&low_side, r, keep, items, low, lows, scratch) ||
        !side_build(&new_side, r, keep, items, high, news, scratch))
        return false;
    for (uint32_t i = 0; i < lows; i++)
        if (side_holds(&new_side, r, keep, low[i], true))
            dropped[low[i]] = 1;
    for (uint32_t i = 0; i < news; i++)
        if (side_holds(&low_side, r, keep, high[i], false))
            dropped[high[i]] = 1;
    for (uint32_t i = 0; i < olds; i++)
        if (side_holds(&low_side, r, keep, old[i], false) ||
            side_holds(&new_side, r, keep, old[i], false))
            dropped[old[i]] = 1;
    return true;
}

bool maximal_repository_cut(maximal_repository *r, uint32_t item_count, arena *scratch)
{
    if (!r->exact || item_count >= r->item_count)
        return true;
    uint64_t keep[MAXIMAL_MASK_WORDS];
    for (uint32_t w = 0; w < MAXIMAL_MASK_WORDS; w++)
        keep[w] = item_count >= 64u * (w + 1u) ? ~(uint64_t)0
                  : item_count <= 64u * w      ? 0
                                               : ((uint64_t)1 << (item_count - 64u * w)) - 1u;
    arena_mark start = arena_save(scratch);
    uint8_t *dropped = arena_alloc(scratch, (size_t)r->count + 1u);
    bool ok = dropped && cut_mark(r, keep, item_count, dropped, scratch) &&
              cut_compact(r, keep, item_count, dropped);
    arena_restore(scratch, start);
    return ok;
}

/* What an entry must hold: the items of one or two spans, and their mask,
 * whole (mask) and as its non-zero words (word[i] of an entry's mask must
 * cover bits[i]). */
typedef struct query {
    const uint32_t *items[2];
    uint32_t count[2];
    uint32_t words;
    uint32_t word[MAXIMAL_MASK_WORDS];
    uint64_t bits[MAXIMAL_MASK_WORDS];
    uint64_t mask[MAXIMAL_MASK_WORDS];
} query;

static void query_build(const maximal_repository *r, query *q, const uint32_t *a, uint32_t na,
                        const uint32_t *b, uint32_t nb)
{
    q->items[0] = a;
    q->count[0] = na;
    q->items[1] = b;
    q->count[1] = nb;
    uint64_t *mask = q->mask;
    memset(mask, 0, r->mask_words * sizeof *mask);
    uint32_t bits = 64u * r->mask_words;
    for (uint32_t s = 0; s < 2; s++)
        for (uint32_t i = 0; i < q->count[s]; i++) {
            uint32_t bit = q->items[s][i] % bits;
            mask[bit >> 6] |= (uint64_t)1 << (bit & 63u);
        }
    q->words = 0;
    for (uint32_t w = 0; w < r->mask_words; w++)
        if (mask[w]) {
            q->word[q->words] = w;
            q->bits[q->words++] = mask[w];
        }
}

/* @return true when the sorted sorted[0 .. n) holds value. */
static bool sorted_holds(const uint32_t *sorted, size_t n, uint32_t value)
{
    size_t low = 0, high = n;
    while (low < high) {
        size_t middle = low + (high - low) / 2;
        if (sorted[middle] < value)
            low = middle + 1;
        else
            high = middle;
    }
    return low < n && sorted[low] == value;
}

static inline bool entry_holds(const maximal_repository *r, uint32_t e, const query *q)
{
    const uint64_t *mask = r->masks + (size_t)e * r->mask_words;
    for (uint32_t i = 0; i < q->words; i++)
        if (q->bits[i] & ~mask[q->word[i]])
            return false;
    if (r->exact)
        return true;
    const uint32_t *items = r->items + r->starts[e];
    size_t n = r->starts[e + 1] - r->starts[e];
    for (uint32_t s = 0; s < 2; s++)
        for (uint32_t i = 0; i < q->count[s]; i++)
            if (!sorted_holds(items, n, q->items[s][i]))
                return false;
    return true;
}

/* Exact masks one or two words wide get their own scans (select_entries):
 * there an entry's test is its whole mask, without a branch per word or word
 * indices (mushroom and chess, the dense sets where the repository is
 * queried most: a third fewer instructions in the scans on mushroom 1%). */
#define FAST_WORDS_MAX 2u

/* entry_holds, with `words` a constant where inlined: 0 for any repository,
 * 1 .. FAST_WORDS_MAX for an exact one with that mask width. */
static inline __attribute__((always_inline)) bool holds(const maximal_repository *r, uint32_t e,
                                                        const query *q, uint32_t words)
{
    if (words == 0)
        return entry_holds(r, e, q);
    const uint64_t *mask = r->masks + (size_t)e * words;
    uint64_t missing = 0;
    for (uint32_t w = 0; w < words; w++)
        missing |= q->mask[w] & ~mask[w];
    return missing == 0;
}

/* Where to look for the entries holding a node's itemset: the parent's focus
 * (testing the fresh items only), or the shortest chain of one of the node's
 * items (testing all of them), whichever has fewer entries. */
typedef struct source {
    uint32_t chain_item; /* NO_ITEM: the parent's focus */
    uint32_t bound;      /* entries to scan */
} source;

static source choose_source(const maximal_repository *r, const maximal_focus *parent,
                            const uint32_t *inherited, uint32_t inherited_count,
                            const uint32_t *fresh, uint32_t fresh_count)
{
    source best = {NO_ITEM, parent->size + (r->count - parent->since)};
    const uint32_t *spans[2] = {fresh, inherited};
    uint32_t counts[2] = {fresh_count, inherited_count};
    for (uint32_t s = 0; s < 2; s++)
        for (uint32_t i = 0; i < counts[s]; i++)
            if (r->chains[spans[s][i]].length < best.bound)
                best = (source){spans[s][i], r->chains[spans[s][i]].length};
    return best;
}

/* Writes the entries holding the node's itemset to out[] (when not NULL), at
 * most `limit` of them (limit >= 1). @return how many. `words` as holds. */
static inline __attribute__((always_inline)) uint32_t
select_in(const maximal_repository *r, const maximal_focus *parent, source from,
          const uint32_t *inherited, uint32_t inherited_count, const uint32_t *fresh,
          uint32_t fresh_count, uint32_t *out, uint32_t limit, uint32_t words)
{
    uint32_t found = 0;
    query q;
    if (from.chain_item != NO_ITEM) {
        query_build(r, &q, fresh, fresh_count, inherited, inherited_count);
        /* Newest first, as the walk's recent entries are the likeliest
         * holders: each number read backwards ends at a byte with its top
         * bit clear, and its earlier bytes carry the lower bits. */
        const maximal_chain *chain = &r->chains[from.chain_item];
        const uint8_t *begin = chain->bytes, *at = begin + chain->used;
        uint32_t id_after = chain->newest; /* the next entry's id + 1 */
        while (at > begin) {
            uint32_t e = id_after - 1u;
            uint32_t gap = *--at;
            while (at > begin && (at[-1] & 0x80u))
                gap = (gap << 7) | (*--at & 0x7fu);
            id_after -= gap;
            if (holds(r, e, &q, words)) {
                if (out)
                    out[found] = e;
                if (++found == limit)
                    break;
            }
        }
        return found;
    }
    query_build(r, &q, fresh, fresh_count, NULL, 0);
    for (uint32_t i = 0; i < parent->size; i++)
        if (holds(r, parent->ids[i], &q, words)) {
            if (out)
                out[found] = parent->ids[i];
            if (++found == limit)
                return found;
        }
    for (uint32_t e = parent->since; e < r->count; e++)
        if (holds(r, e, &q, words)) {
            if (out)
                out[found] = e;
            if (++found == limit)
                return found;
        }
    return found;
}

/* select_in, specialised for the repository's mask width. */
static uint32_t select_entries(const maximal_repository *r, const maximal_focus *parent,
                               source from, const uint32_t *inherited, uint32_t inherited_count,
                               const uint32_t *fresh, uint32_t fresh_count, uint32_t *out,
                               uint32_t limit)
{
    uint32_t words = r->exact && r->mask_words <= FAST_WORDS_MAX ? r->mask_words : 0;
    if (words == 1)
        return select_in(r, parent, from, inherited, inherited_count, fresh, fresh_count, out,
                         limit, 1);
    if (words == 2)
        return select_in(r, parent, from, inherited, inherited_count, fresh, fresh_count, out,
                         limit, 2);
    return select_in(r, parent, from, inherited, inherited_count, fresh, fresh_count, out, limit,
                     0);
}

bool maximal_repository_covers(const maximal_repository *r, const maximal_focus *parent,
                               const uint32_t *inherited, uint32_t inherited_count,
                               const uint32_t *fresh, uint32_t fresh_count)
{
    source from = choose_source(r, parent, inherited, inherited_count, fresh, fresh_count);
    if (from.bound == 0)
        return false;
    return select_entries(r, parent, from, inherited, inherited_count, fresh, fresh_count, NULL,
                          1) > 0;
}

bool maximal_repository_narrow(const maximal_repository *r, const maximal_focus *parent,
                               const uint32_t *inherited, uint32_t inherited_count,
                               const uint32_t *fresh, uint32_t fresh_count, arena *scratch,
                               maximal_focus *out)
{
    source from = choose_source(r, parent, inherited, inherited_count, fresh, fresh_count);
    if (from.bound == 0) {
        *out = (maximal_focus){NULL, 0, r->count};
        return true;
    }
    arena_mark before = arena_save(scratch);
    uint32_t *ids = arena_alloc_array(scratch, from.bound, sizeof *ids);
    if (!ids)
        return false;
    uint32_t size = select_entries(r, parent, from, inherited, inherited_count, fresh, fresh_count,
                                   ids, from.bound);
    /* The bound is every entry scanned, and near the top few of them hold
     * the itemset: give the rest back, so that the walk below packs its
     * memory behind the focus and not past room it never uses (chess 959
     * maximal: a top-level focus's bound is every entry, 0.5 MB). The kept
     * ids go where a fresh allocation of their size lands (the same place,
     * unless the bound had to take a new chunk). */
    arena_restore(scratch, before);
    uint32_t *kept = arena_alloc_array(scratch, size ? size : 1, sizeof *kept);
    if (!kept)
        return false;
    memmove(kept, ids, (size_t)size * sizeof *kept);
    *out = (maximal_focus){kept, size, r->count};
    return true;
}
