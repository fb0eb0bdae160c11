/*
 * The maximal target's repository (kernels/maximal_repository.h) against a
 * plain reference: every entry also kept as a boolean row, every answer
 * recomputed from the rows. Runs a random walk down a chain of nodes, adding
 * entries as a real walk would (each holding the node's itemset), on data with
 * few items (the masks are the sets) and with many (folded masks, confirmed by
 * binary search), including entries that repeat or nest; and a chain over
 * gaps of every coded length.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/mix64.h"

#include "base/internal.h"
#include "kernels/arena.h"
#include "kernels/maximal_repository.h"

#define MAX_ENTRIES 400u
#define MAX_ITEMS 1200u
#define MAX_DEPTH 6u

static uint64_t rng_state;

static uint32_t rng_below(uint32_t n)
{
    return (uint32_t)(fimbit__mix64(rng_state += 0x9e3779b97f4a7c15ull) % n);
}

static bool rows[MAX_ENTRIES][MAX_ITEMS];
static uint32_t entries;

/* @return true when entry e holds every item of a[0 .. na) and b[0 .. nb). */
static bool row_holds(uint32_t e, const uint32_t *a, uint32_t na, const uint32_t *b, uint32_t nb)
{
    for (uint32_t i = 0; i < na; i++)
        if (!rows[e][a[i]])
            return false;
    for (uint32_t i = 0; i < nb; i++)
        if (!rows[e][b[i]])
            return false;
    return true;
}

/* Adds an entry holding items[0 .. size) (repeats allowed) and a few random
 * items more. */
static void add_entry(maximal_repository *r, uint32_t item_count, const uint32_t *items,
                      uint32_t size)
{
    uint32_t stored[MAX_ITEMS], n = 0;
    memset(rows[entries], 0, sizeof rows[entries]);
    for (uint32_t i = 0; i < size; i++)
        if (!rows[entries][items[i]]) {
            rows[entries][items[i]] = true;
            stored[n++] = items[i];
        }
    for (uint32_t extra = rng_below(6); extra > 0; extra--) {
        uint32_t item = rng_below(item_count);
        if (!rows[entries][item]) {
            rows[entries][item] = true;
            stored[n++] = item;
        }
    }
    assert_true(maximal_repository_add(r, stored, n));
    entries++;
}

/* Draws `count` items not yet in used[], marks them. @return how many. */
static uint32_t draw_fresh(uint32_t item_count, bool *used, uint32_t count, uint32_t *out)
{
    uint32_t n = 0;
    for (uint32_t tries = 0; n < count && tries < 50; tries++) {
        uint32_t item = rng_below(item_count);
        if (!used[item]) {
            used[item] = true;
            out[n++] = item;
        }
    }
    return n;
}

static void walk_once(uint32_t item_count, arena *scratch)
{
    maximal_repository r;
    assert_true(maximal_repository_init(&r, item_count));
    entries = 0;
    /* Entries from earlier branches: random sets, some over a small core so
     * that the chains and the foci are not all empty. */
    for (uint32_t e = rng_below(60); e > 0; e--) {
        uint32_t core[3] = {rng_below(8) % item_count, (rng_below(8) + 8) % item_count,
                            rng_below(item_count)};
        add_entry(&r, item_count, core, 1 + rng_below(3));
    }
    bool used[MAX_ITEMS] = {false};
    uint32_t itemset[MAX_ITEMS], size = 0;
    maximal_focus focus = {NULL, 0, 0};
    for (uint32_t depth = 0; depth < MAX_DEPTH && entries + 40 < MAX_ENTRIES; depth++) {
        /* The node adds a few items to its parent's itemset. */
        uint32_t fresh[8];
        uint32_t n = draw_fresh(depth == 0 && item_count > 16 ? 16 : item_count, used, 1 + rng_below(3), fresh);
        if (n == 0)
            break;
        /* covers against the rows, with an extra tail (a branch's class). */
        uint32_t whole[16];
        memcpy(whole, fresh, n * sizeof *whole);
        bool tail_used[MAX_ITEMS];
        memcpy(tail_used, used, sizeof tail_used);
        uint32_t tail = draw_fresh(item_count, tail_used, rng_below(4), whole + n);
        bool expected = false;
        for (uint32_t e = 0; e < entries && !expected; e++)
            expected = row_holds(e, itemset, size, whole, n + tail);
        assert_int_equal(maximal_repository_covers(&r, &focus, itemset, size, whole, n + tail),
                         expected);

        maximal_focus child;
        assert_true(maximal_repository_narrow(&r, &focus, itemset, size, fresh, n, scratch,
                                              &child));
        memcpy(itemset + size, fresh, n * sizeof *itemset);
        size += n;
        /* The focus lists exactly the entries holding the itemset, once. */
        bool listed[MAX_ENTRIES] = {false};
        for (uint32_t i = 0; i < child.size; i++) {
            assert_false(listed[child.ids[i]]);
            listed[child.ids[i]] = true;
        }
        for (uint32_t e = 0; e < entries; e++)
            assert_int_equal(listed[e], row_holds(e, itemset, size, NULL, 0));
        assert_int_equal(child.since, entries);
        /* The walk below the node adds entries holding its itemset. */
        for (uint32_t e = rng_below(12); e > 0; e--)
            add_entry(&r, item_count, itemset, size);
        focus = child;
    }
    arena_restore(scratch, (arena_mark){NULL, 0});
    maximal_repository_release(&r);
}

static void test_matches_reference(void **state)
{
    (void)state;
    arena scratch;
    arena_init(&scratch, 1 << 16);
    static const uint32_t item_counts[] = {5, 40, 100, 128, 200, 511, 513, 1200};
    for (size_t c = 0; c < sizeof item_counts / sizeof *item_counts; c++)
        for (uint64_t seed = 1; seed <= 300; seed++) {
            rng_state = seed * 7919u + c;
            walk_once(item_counts[c], &scratch);
        }
    arena_release(&scratch);
}

/* clear forgets every entry and every chain; the repository works on. */
static void test_clear(void **state)
{
    (void)state;
    maximal_repository r;
    assert_true(maximal_repository_init(&r, 1000));
    const uint32_t a[] = {3, 700, 5}, b[] = {700};
    assert_true(maximal_repository_add(&r, a, 3));
    maximal_focus root = {NULL, 0, 0};
    assert_true(maximal_repository_covers(&r, &root, NULL, 0, b, 1));
    maximal_repository_clear(&r);
    assert_int_equal(r.count, 0);
    assert_false(maximal_repository_covers(&r, &root, NULL, 0, b, 1));
    assert_true(maximal_repository_add(&r, b, 1));
    assert_true(maximal_repository_covers(&r, &root, NULL, 0, b, 1));
    const uint32_t c[] = {3};
    assert_false(maximal_repository_covers(&r, &root, NULL, 0, c, 1));
    maximal_repository_release(&r);
}

/* clear_for narrows the item range (exact masks over few items) and widens
 * it again within init's, with more entries than the first mask room holds. */
static void test_clear_for(void **state)
{
    (void)state;
    maximal_repository r;
    assert_true(maximal_repository_init(&r, 5000));
    maximal_focus root = {NULL, 0, 0};
    const uint32_t sizes[] = {40, 5000, 70, 600};
    for (size_t round = 0; round < sizeof sizes / sizeof *sizes; round++) {
        uint32_t items = sizes[round];
        maximal_repository_clear_for(&r, items);
        assert_int_equal(r.exact, items <= 64u * MAXIMAL_MASK_WORDS);
        /* Entries {e, e + 1} over the range, many more than 256. */
        for (uint32_t e = 0; e < 3000; e++) {
            const uint32_t pair[] = {e % (items - 1), e % (items - 1) + 1};
            assert_true(maximal_repository_add(&r, pair, 2));
        }
        const uint32_t held[] = {1, 2}, loose[] = {0, items - 1};
        assert_true(maximal_repository_covers(&r, &root, NULL, 0, held, 2));
        assert_false(maximal_repository_covers(&r, &root, NULL, 0, loose, 2));
    }
    maximal_repository_release(&r);
}

/* A chain read newest first across gaps of one, two and three bytes (the
 * entry ids are coded as differences): item 0 sits in five entries out of
 * 40,000, each with its own marker item, so its chain is the shortest source;
 * item 1 sits in all the others, so its chain is dropped. */
static void test_chain_gaps(void **state)
{
    (void)state;
    maximal_repository r;
    assert_true(maximal_repository_init(&r, 40));
    static const uint32_t with_zero[] = {0, 1, 200, 20000, 39999};
    uint32_t next = 0;
    for (uint32_t e = 0; e < 40000; e++) {
        if (next < 5 && with_zero[next] == e) {
            const uint32_t entry[] = {33 + next, 0};
            assert_true(maximal_repository_add(&r, entry, 2));
            next++;
        } else {
            const uint32_t entry[] = {1, 2 + e % 30};
            assert_true(maximal_repository_add(&r, entry, 2));
        }
    }
    maximal_focus root = {NULL, 0, 0};
    for (uint32_t k = 0; k < 5; k++) {
        const uint32_t query[] = {0, 33 + k};
        assert_true(maximal_repository_covers(&r, &root, NULL, 0, query, 2));
    }
    const uint32_t loose[] = {0, 38}, zero[] = {0};
    assert_false(maximal_repository_covers(&r, &root, NULL, 0, loose, 2));
    /* Item 1, in most entries, keeps no chain; the focus answers for it. */
    assert_null(r.chains[1].bytes);
    const uint32_t common[] = {1, 7}, apart[] = {1, 0};
    assert_true(maximal_repository_covers(&r, &root, NULL, 0, common, 2));
    assert_false(maximal_repository_covers(&r, &root, NULL, 0, apart, 2));
    arena scratch;
    arena_init(&scratch, 1 << 12);
    maximal_focus child;
    assert_true(maximal_repository_narrow(&r, &root, NULL, 0, zero, 1, &scratch, &child));
    assert_int_equal(child.size, 5);
    for (uint32_t i = 0; i < 5; i++)
        assert_int_equal(child.ids[i], with_zero[4 - i]);
    arena_release(&scratch);
    maximal_repository_release(&r);
}

/* Enough entries over folded masks that the masks, the entries' starts and
 * items outgrow FIMBIT_MAPPED_ARRAY_MIN and move into mappings of their own
 * (and grow there): every entry is still found, none invented. Items 997 ..
 * 999 sit in a third of the entries each, too many to keep chains. */
static void test_folded_many_entries(void **state)
{
    (void)state;
    maximal_repository r;
    assert_true(maximal_repository_init(&r, 1000));
    for (uint32_t e = 0; e < 200000; e++) {
        const uint32_t entry[] = {e % 997, 997 + e % 3, 512 + e % 997 % 400};
        assert_true(maximal_repository_add(&r, entry, 3));
    }
    maximal_focus root = {NULL, 0, 0};
    for (uint32_t k = 0; k < 997; k += 37) {
        const uint32_t held[] = {k, 512 + k % 400};
        assert_true(maximal_repository_covers(&r, &root, NULL, 0, held, 2));
        /* Item k's entries (k + 997 j) all hold 512 + k % 400, no other of those. */
        const uint32_t missing[] = {k, 512 + (k + 1) % 400};
        assert_false(maximal_repository_covers(&r, &root, NULL, 0, missing, 2));
    }
    assert_true(r.mask_room * sizeof *r.masks >= FIMBIT_MAPPED_ARRAY_MIN);
    assert_true(r.starts_room * sizeof *r.starts >= FIMBIT_MAPPED_ARRAY_MIN);
    assert_true(r.room * sizeof *r.items >= FIMBIT_MAPPED_ARRAY_MIN);
    assert_null(r.chains[998].bytes);
    /* Item 998's entries, every entry 3 j + 1, from the focus of every
     * entry, oldest first. */
    const uint32_t third[] = {998}, none[] = {998, 999};
    assert_false(maximal_repository_covers(&r, &root, NULL, 0, none, 2));
    arena scratch;
    arena_init(&scratch, 1 << 16);
    maximal_focus child;
    assert_true(maximal_repository_narrow(&r, &root, NULL, 0, third, 1, &scratch, &child));
    assert_int_equal(child.size, 66667);
    for (uint32_t i = 0; i < child.size; i++)
        assert_int_equal(child.ids[i], 3 * i + 1);
    arena_release(&scratch);
    maximal_repository_release(&r);
}

/* A chain kept to the end (its item in a ninth of the entries, just under
 * the share that drops one) outgrows FIMBIT_MAPPED_ARRAY_MIN and moves into
 * a mapping of its own: read whole, it gives every entry holding the item,
 * newest first. */
static void test_chain_into_mapping(void **state)
{
    (void)state;
    maximal_repository r;
    assert_true(maximal_repository_init(&r, 40));
    const uint32_t entries = 9u * 70000u;
    for (uint32_t e = 0; e < entries; e++) {
        const uint32_t entry[] = {e % 9 == 4 ? 39u : e % 30, 30 + e % 9};
        assert_true(maximal_repository_add(&r, entry, 2));
    }
    assert_true(r.chains[39].room >= FIMBIT_MAPPED_ARRAY_MIN);
    maximal_focus root = {NULL, 0, 0}, child;
    arena scratch;
    arena_init(&scratch, 1 << 16);
    const uint32_t ninth[] = {39};
    assert_true(maximal_repository_narrow(&r, &root, NULL, 0, ninth, 1, &scratch, &child));
    assert_int_equal(child.size, 70000);
    for (uint32_t i = 0; i < child.size; i++)
        assert_int_equal(child.ids[i], entries - 5 - 9 * i);
    arena_release(&scratch);
    maximal_repository_release(&r);
}

/* A focus keeps only the room its ids take: here every chain is dropped, so
 * the bound is every entry (24 KB of ids), which takes a chunk of its own
 * past the 8 KB left in the arena's first; the 1,000 ids found then move
 * back where their size fits, and the arena goes on right behind them. */
static void test_narrow_keeps_what_it_found(void **state)
{
    (void)state;
    maximal_repository r;
    assert_true(maximal_repository_init(&r, 10));
    for (uint32_t e = 0; e < 6000; e++) {
        const uint32_t entry[] = {1 + e % 2, 3 + e % 3};
        assert_true(maximal_repository_add(&r, entry, 2));
    }
    assert_null(r.chains[1].bytes);
    assert_null(r.chains[3].bytes);
    arena scratch;
    arena_init(&scratch, 1 << 14);
    uint8_t *before = arena_alloc(&scratch, 8000);
    assert_non_null(before);
    maximal_focus root = {NULL, 0, 0}, child;
    const uint32_t query[] = {1, 3};
    assert_true(maximal_repository_narrow(&r, &root, NULL, 0, query, 2, &scratch, &child));
    assert_int_equal(child.size, 1000);
    for (uint32_t i = 0; i < child.size; i++)
        assert_int_equal(child.ids[i], 6 * i);
    assert_ptr_equal((const uint8_t *)child.ids, before + 8000);
    uint8_t *after = arena_alloc(&scratch, 1);
    assert_ptr_equal(after, (const uint8_t *)child.ids + 4032); /* 4,000 bytes, to 64 */
    arena_release(&scratch);
    maximal_repository_release(&r);
}

/* @return true when some entry of the repository (exact masks) holds
 * entry e's set, other than e. */
static bool held_by_another(const maximal_repository *r, uint32_t e)
{
    for (uint32_t o = 0; o < r->count; o++) {
        if (o == e)
            continue;
        bool holds = true;
        for (uint32_t w = 0; w < r->mask_words && holds; w++) {
            uint64_t mine = r->masks[(size_t)e * r->mask_words + w];
            holds = (mine & ~r->masks[(size_t)o * r->mask_words + w]) == 0;
        }
        if (holds)
            return true;
    }
    return false;
}

/* Queries over the items below `bound` against every set added so far. */
static void check_answers(maximal_repository *r, uint32_t bound, arena *scratch)
{
    maximal_focus root = {NULL, 0, 0};
    for (uint32_t q = 0; q < 40; q++) {
        uint32_t query[6], n = 1 + rng_below(3), more[3], m = rng_below(3);
        for (uint32_t i = 0; i < n; i++)
            query[i] = rng_below(bound);
        for (uint32_t i = 0; i < m; i++)
            more[i] = rng_below(bound);
        bool expected = false, narrowed = false;
        for (uint32_t e = 0; e < entries && !expected; e++)
            expected = row_holds(e, query, n, more, m);
        for (uint32_t e = 0; e < entries && !narrowed; e++)
            narrowed = row_holds(e, query, n, NULL, 0);
        uint32_t whole[9];
        memcpy(whole, query, n * sizeof *whole);
        memcpy(whole + n, more, m * sizeof *whole);
        assert_int_equal(maximal_repository_covers(r, &root, NULL, 0, whole, n + m), expected);
        /* Through a focus too. */
        arena_mark mark = arena_save(scratch);
        maximal_focus child;
        assert_true(maximal_repository_narrow(r, &root, NULL, 0, query, n, scratch, &child));
        assert_int_equal(child.size > 0, narrowed);
        if (m > 0)
            assert_int_equal(maximal_repository_covers(r, &child, query, n, more, m), expected);
        arena_restore(scratch, mark);
    }
}

/*
 * Cuts after every "top-level branch" of a walk-like run: the sets of
 * branch t hold t, items below it, and neither hold nor lie in one another
 * nor in a set found before (maximal sets do not). Every query over the
 * items below the cut keeps its answer, through the root and a focus, and
 * a cut of one item keeps no entry that another holds. Every few branches find nothing and cut
 * nothing, and the next cut drops several items at once. Over folded masks (513 items
 * and more) a cut leaves the repository as it is.
 */
static void test_cut_matches_reference(void **state)
{
    (void)state;
    arena scratch;
    arena_init(&scratch, 1 << 12);
    static const uint32_t item_counts[] = {6, 40, 64, 65, 130, 300, 513};
    for (size_t c = 0; c < sizeof item_counts / sizeof *item_counts; c++)
        for (uint64_t seed = 1; seed <= 60; seed++) {
            rng_state = seed * 104729u + c;
            uint32_t item_count = item_counts[c];
            maximal_repository r;
            assert_true(maximal_repository_init(&r, item_count));
            entries = 0;
            uint32_t bound = item_count;
            bool antichain = true; /* no entry holds another */
            for (uint32_t top = item_count; top-- > 1 && entries + 20 < MAX_ENTRIES;) {
                /* A branch the walk skips (Eclat's top-level items not
                 * asked for) finds nothing and cuts nothing. */
                if (rng_below(4) == 0)
                    continue;
                /* Branch `top`: a few sets over a small range below it, so
                 * that they nest with the earlier ones after the cut. */
                uint32_t span = top < 12 ? top : 12;
                for (uint32_t tries = 0; tries < 12; tries++) {
                    memset(rows[entries], 0, sizeof rows[entries]);
                    uint32_t set[8], n = 0;
                    set[n++] = top;
                    rows[entries][top] = true;
                    for (uint32_t k = 1 + rng_below(5); k > 0; k--) {
                        uint32_t item = top - 1 - rng_below(span);
                        if (!rows[entries][item]) {
                            rows[entries][item] = true;
                            set[n++] = item;
                        }
                    }
                    bool maximal = true;
                    for (uint32_t e = 0; e < entries && maximal; e++) {
                        bool inside = true, around = true;
                        for (uint32_t i = 0; i < item_count; i++) {
                            inside &= !rows[entries][i] || rows[e][i];
                            around &= !rows[e][i] || rows[entries][i];
                        }
                        maximal = !inside && !(around && rows[e][top]);
                    }
                    if (!maximal)
                        continue;
                    assert_true(maximal_repository_add(&r, set, n));
                    entries++;
                }
                bool one_item = top + 1 == bound;
                bound = top;
                assert_true(maximal_repository_cut(&r, bound, &scratch));
                if (!r.exact)
                    continue;
                assert_int_equal(r.item_count, bound);
                /* Of two entries kept before that both held items a cut
                 * drops, one may hold the other after it: a cut of one
                 * item after one that kept none held by another keeps none
                 * either. */
                bool none_held = true;
                for (uint32_t e = 0; e < r.count && none_held; e++)
                    none_held = !held_by_another(&r, e);
                if (one_item && antichain)
                    assert_true(none_held);
                antichain = none_held;
                check_answers(&r, bound, &scratch);
            }
            if (!r.exact)
                assert_int_equal(r.count, entries);
            maximal_repository_release(&r);
        }
    arena_release(&scratch);
}

/* Any family, nested and repeated entries too, with cuts at random bounds:
 * the answers stay; entries may merely stay that others hold. */
static void test_cut_any_family(void **state)
{
    (void)state;
    arena scratch;
    arena_init(&scratch, 1 << 12);
    for (uint64_t seed = 1; seed <= 200; seed++) {
        rng_state = seed * 15485863u;
        uint32_t item_count = 2 + rng_below(140);
        maximal_repository r;
        assert_true(maximal_repository_init(&r, item_count));
        entries = 0;
        uint32_t bound = item_count;
        while (bound > 1 && entries + 30 < MAX_ENTRIES) {
            for (uint32_t k = rng_below(25); k > 0; k--) {
                uint32_t core[3] = {rng_below(bound), rng_below(bound), rng_below(bound)};
                add_entry(&r, bound, core, 1 + rng_below(3));
            }
            bound -= 1 + rng_below(bound < 8 ? 1 : bound / 4);
            assert_true(maximal_repository_cut(&r, bound, &scratch));
            check_answers(&r, bound, &scratch);
        }
        maximal_repository_release(&r);
    }
    arena_release(&scratch);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_matches_reference),
        cmocka_unit_test(test_clear),
        cmocka_unit_test(test_clear_for),
        cmocka_unit_test(test_chain_gaps),
        cmocka_unit_test(test_folded_many_entries),
        cmocka_unit_test(test_chain_into_mapping),
        cmocka_unit_test(test_narrow_keeps_what_it_found),
        cmocka_unit_test(test_cut_matches_reference),
        cmocka_unit_test(test_cut_any_family),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
