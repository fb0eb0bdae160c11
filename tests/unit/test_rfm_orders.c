/*
 * rfm_orders (src/rfm/rfm_orders.h): each (customer, order) pair is first
 * exactly once, whichever path its order id takes — the window of rising
 * numbers, numbers below it or beyond its budget (the hash table), numbers
 * the window reaches later (copied in from the hash table), names, and
 * orders that several customers share — checked against a plain set of
 * the pairs as text.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/internal.h"
#include "rfm/rfm_orders.h"

/* The pairs noted so far, as "customer:id" strings in an open-addressing
 * table: the reference. */
typedef struct pair_set {
    char **slots;
    size_t slot_count;
} pair_set;

static uint64_t text_hash(const char *text)
{
    uint64_t h = 1469598103934665603ull;
    for (; *text; text++)
        h = (h ^ (unsigned char)*text) * 1099511628211ull;
    return h;
}

/* @return true when the pair was not in the set (it is added). */
static bool pair_set_add(pair_set *set, uint32_t customer, const char *id)
{
    char key[64];
    snprintf(key, sizeof key, "%u:%s", customer, id);
    size_t slot = text_hash(key) & (set->slot_count - 1);
    for (; set->slots[slot] != NULL; slot = (slot + 1) & (set->slot_count - 1))
        if (strcmp(set->slots[slot], key) == 0)
            return false;
    set->slots[slot] = strdup(key);
    return true;
}

static void note(rfm_orders *orders, pair_set *set, uint32_t customer, const char *id)
{
    bool first = false;
    assert_int_equal(rfm_orders_note(orders, id, strlen(id), customer, &first), FIMBIT_OK);
    bool expected = pair_set_add(set, customer, id);
    if (first != expected)
        fail_msg("customer %u, order '%s': first %d, expected %d", customer, id, first, expected);
}

static void note_number(rfm_orders *orders, pair_set *set, uint32_t customer, uint64_t number)
{
    char id[24];
    snprintf(id, sizeof id, "%llu", (unsigned long long)number);
    note(orders, set, customer, id);
}

static uint64_t next_random(uint64_t *state)
{
    *state = *state * 6364136223846793005ull + 1442695040888963407ull;
    return *state >> 33;
}

static void test_every_path_against_a_set(void **state)
{
    (void)state;
    pair_set set = {calloc(1u << 18, sizeof(char *)), 1u << 18};
    rfm_orders orders;
    rfm_orders_init(&orders);
    const uint64_t base = 536365;
    /* The first number starts the window; one beyond its first budget (64 Ki
     * slots) and one below it go to the hash table. */
    note_number(&orders, &set, 1, base);
    note_number(&orders, &set, 2, base + 200000);
    note_number(&orders, &set, 2, base + 200000);
    note_number(&orders, &set, 3, base - 5);
    note_number(&orders, &set, 4, base - 5); /* shared */
    note_number(&orders, &set, 1, UINT64_MAX);
    note(&orders, &set, 5, "0123"); /* not canonical: a name */
    note(&orders, &set, 5, "C536365");
    note(&orders, &set, 6, "C536365");
    assert_int_equal(orders.numbers.window_size, 1u << 16);

    /* Rising invoice numbers from base + 150000 (beyond the window's reach
     * until enough numbers are held: the hash table takes them first), with
     * returns, revisits of earlier orders by their own or another customer,
     * and far numbers: the window grows past base + 200000 on the way, taking
     * those orders over from the hash table. */
    uint64_t random = 7;
    uint64_t next = base + 150000;
    for (int i = 0; i < 60000; i++) {
        uint32_t customer = (uint32_t)(next_random(&random) % 300);
        uint64_t draw = next_random(&random) % 100;
        if (draw < 70) {
            note_number(&orders, &set, customer, next++);
        } else if (draw < 80) {
            note_number(&orders, &set, customer, base + next_random(&random) % (next - base));
        } else if (draw < 85) {
            char name[24];
            snprintf(name, sizeof name, "C%llu",
                     (unsigned long long)(base + next_random(&random) % (next - base)));
            note(&orders, &set, customer, name);
        } else if (draw < 90) {
            note_number(&orders, &set, customer, base - 1 - next_random(&random) % 1000);
        } else if (draw < 95) {
            note_number(&orders, &set, customer, 1000000000000ull + next_random(&random) % 500);
        } else {
            note_number(&orders, &set, customer, base + 200000 + next_random(&random) % 3);
        }
    }
    assert_true(orders.numbers.window_size > 200000u);
    note_number(&orders, &set, 2, base + 200000);
    note_number(&orders, &set, 7, base + 200000);

    rfm_orders_release(&orders);
    for (size_t s = 0; s < set.slot_count; s++)
        free(set.slots[s]);
    free(set.slots);
}

/* Every allocation failing in turn: an error, never a wrong count. */
static void test_allocation_failures(void **state)
{
    (void)state;
    for (uint64_t n = 1;; n++) {
        rfm_orders orders;
        rfm_orders_init(&orders);
        fimbit__alloc_fail_after(n);
        fimbit_status status = FIMBIT_OK;
        uint32_t firsts = 0;
        for (uint64_t k = 0; k < 3000 && status == FIMBIT_OK; k++) {
            char id[24];
            snprintf(id, sizeof id, k % 7 == 0 ? "C%llu" : "%llu",
                     (unsigned long long)(k % 2000 * 97));
            bool first = false;
            status = rfm_orders_note(&orders, id, strlen(id), (uint32_t)(k % 3), &first);
            firsts += first;
        }
        fimbit__alloc_fail_after(0);
        rfm_orders_release(&orders);
        if (status == FIMBIT_OK) {
            assert_int_equal(firsts, 3000); /* k % 2000 * 97 and k % 3 differ for every k */
            break;
        }
        assert_int_equal(status, FIMBIT_ENOMEM);
        assert_true(n < 1000);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_path_against_a_set),
        cmocka_unit_test(test_allocation_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
