/*
 * Long CSV read in parallel slices: whatever the thread count and wherever
 * the cuts fall (inside quoted fields with separators, line breaks and
 * doubled quotes, in CRLF lines, beside quotes inside unquoted fields) and
 * whatever the blocks a mapped file is fed in, the dataset and the groups
 * are those of a model of the rows the text encodes, and an error names the
 * same place.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "fimbit.h"
#include "read/dataset.h"
#include "read/reader.h"
#include "test_data.h"

enum { ROWS = 1500, BASKETS = 400, ITEMS = 60, GROUPS = 4, NAME = 32 };

/* The rows a text encodes: indexes into the names below; item -1 is an
 * empty item field. */
typedef struct model {
    int basket[ROWS], item[ROWS], group[ROWS];
} model;

static uint64_t next_random(uint64_t *state)
{
    *state = *state * 6364136223846793005ull + 1442695040888963407ull;
    return *state >> 33;
}

/* Names that need quoting (separators, line breaks, quotes) beside plain
 * ones and canonical integers. */
static void basket_name(int k, char *out)
{
    const char *forms[4] = {"%d", "ord-%d", "ord,%d", "o\"r\nd%d"};
    snprintf(out, NAME, forms[k % 4], k % 4 == 0 ? 1000 + k : k);
}

static void item_name(int i, char *out)
{
    const char *forms[4] = {"item%d", "it,em%d", "it\r\nem%d", "a\"b%d"};
    snprintf(out, NAME, forms[i % 4], i);
}

static void group_name(int g, char *out)
{
    const char *names[GROUPS] = {"north", "so,uth", "ea\nst", "west \"w\""};
    snprintf(out, NAME, "%s", names[g]);
}

/* Appends a field: quoted when it must be, or when `quote` asks; a name
 * with a quote but no separator or line break is sometimes left bare (the
 * quote is then text, and fools a cut by quote parity). */
static char *put_field(char *at, const char *text, bool quote)
{
    bool must = strpbrk(text, ",\n\r") != NULL || text[0] == '"';
    if (!must && !quote) {
        return at + sprintf(at, "%s", text);
    }
    *at++ = '"';
    for (const char *p = text; *p; p++) {
        if (*p == '"')
            *at++ = '"';
        *at++ = *p;
    }
    *at++ = '"';
    return at;
}

/* Rows mostly in runs of one basket (as order lines come), some scattered
 * back to earlier baskets; blank lines and CRLF line ends here and there. */
static char *make_text(uint64_t seed, model *m, size_t error_row, const char *error_text,
                       size_t *error_offset)
{
    char *text = malloc((size_t)ROWS * 200 + 1024), *at = text, name[NAME];
    uint64_t state = seed;
    at += sprintf(at, "basket,item,group\n");
    int basket = 0;
    for (int r = 0; r < ROWS; r++) {
        if (r == (int)error_row) {
            *error_offset = (size_t)(at - text);
            at += sprintf(at, "%s", error_text);
            m->basket[r] = -1;
            continue;
        }
        uint64_t roll = next_random(&state) % 100;
        if (roll < 20 && basket + 1 < BASKETS)
            basket++;
        m->basket[r] = roll < 8 ? (int)(next_random(&state) % (uint64_t)(basket + 1)) : basket;
        m->item[r] = roll == 99 ? -1 : (int)(next_random(&state) % ITEMS);
        m->group[r] = (m->basket[r] + (roll < 4)) % GROUPS; /* a basket id in two groups */
        basket_name(m->basket[r], name);
        at = put_field(at, name, next_random(&state) % 4 == 0);
        *at++ = ',';
        if (m->item[r] >= 0) {
            item_name(m->item[r], name);
            at = put_field(at, name, next_random(&state) % 2 == 0);
        }
        *at++ = ',';
        group_name(m->group[r], name);
        at = put_field(at, name, false);
        at += sprintf(at, "%s", next_random(&state) % 5 == 0 ? "\r\n" : "\n");
        if (next_random(&state) % 50 == 0)
            *at++ = '\n';
    }
    *at = '\0';
    return text;
}

/* The rows of `group` (-1: every row) as baskets: ids in order of first
 * appearance, items in row order without repeats, item ids in order of
 * first appearance. */
typedef struct expected {
    int basket_count, item_count;
    int basket_key[ROWS];           /* basket number -> basket index of the model */
    int item_of_id[ITEMS];          /* item id -> item index */
    bool holds[ROWS][ITEMS];        /* basket number x item id */
} expected;

static void expect_rows(const model *m, int group, expected *e)
{
    memset(e, 0, sizeof *e);
    int basket_number[BASKETS], item_id[ITEMS];
    for (int k = 0; k < BASKETS; k++)
        basket_number[k] = -1;
    for (int i = 0; i < ITEMS; i++)
        item_id[i] = -1;
    for (int r = 0; r < ROWS; r++) {
        if (m->basket[r] < 0 || (group >= 0 && m->group[r] != group))
            continue;
        int *number = &basket_number[m->basket[r]];
        if (*number < 0) {
            *number = e->basket_count;
            e->basket_key[e->basket_count++] = m->basket[r];
        }
        if (m->item[r] < 0)
            continue;
        if (item_id[m->item[r]] < 0) {
            item_id[m->item[r]] = e->item_count;
            e->item_of_id[e->item_count++] = m->item[r];
        }
        e->holds[*number][item_id[m->item[r]]] = true;
    }
}

static void assert_dataset(const fimbit_dataset *d, const expected *e, bool keys)
{
    char name[NAME];
    assert_int_equal(fimbit_dataset_basket_count(d), (uint64_t)e->basket_count);
    assert_int_equal(fimbit_dataset_item_count(d), (uint32_t)e->item_count);
    for (int id = 0; id < e->item_count; id++) {
        item_name(e->item_of_id[id], name);
        assert_string_equal(fimbit_dataset_item_name(d, (uint32_t)id), name);
    }
    for (int b = 0; b < e->basket_count; b++) {
        if (keys) {
            basket_name(e->basket_key[b], name);
            assert_string_equal(fimbit_dataset_basket_key(d, (uint64_t)b), name);
        }
        uint64_t begin = d->basket_offsets[b], end = d->basket_offsets[b + 1];
        uint64_t held = 0;
        for (int id = 0; id < e->item_count; id++)
            held += e->holds[b][id];
        assert_int_equal(end - begin, held);
        for (uint64_t k = begin; k < end; k++)
            assert_true(e->holds[b][dataset_item(d, k)]);
    }
}

static fimbit_read_options options_for(int threads)
{
    fimbit_read_options o;
    fimbit_read_options_init(&o);
    o.format = FIMBIT_INPUT_CSV;
    o.basket_column = "basket";
    o.item_column = "item";
    o.basket_keys = 1;
    o.threads = threads;
    return o;
}

/* Slices of a few hundred bytes: several cuts in every read; and a mapped
 * file fed in blocks of a few KiB, records running over their ends (the
 * text is some 45 KiB). */
static const struct {
    size_t slice, block;
} sizes[] = {{97, READER_BLOCK_SIZE},
             {512, READER_BLOCK_SIZE},
             {4096, READER_BLOCK_SIZE},
             {97, 1000},
             {512, 4096}};

static void use_sizes(size_t s)
{
    csv_slice_min = sizes[s].slice;
    reader_block_size = sizes[s].block;
}

static void restore_sizes(void)
{
    csv_slice_min = CSV_SLICE_MIN;
    reader_block_size = READER_BLOCK_SIZE;
}
static const int thread_counts[] = {1, 2, 3, 4};

static void test_dataset_any_threads(void **state)
{
    (void)state;
    static model m;
    static expected e;
    for (uint64_t seed = 1; seed <= 3; seed++) {
        char *text = make_text(seed, &m, SIZE_MAX, NULL, NULL);
        expect_rows(&m, -1, &e);
        char path[256];
        test_write_temp_file(text, strlen(text), ".csv", path, sizeof path);
        for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++)
            for (size_t t = 0; t < sizeof thread_counts / sizeof *thread_counts; t++) {
                use_sizes(s);
                fimbit_read_options o = options_for(thread_counts[t]);
                fimbit_dataset *d = NULL;
                fimbit_error error;
                const char *paths[1] = {path};
                if (fimbit_dataset_read(paths, 1, &o, &d, &error) != FIMBIT_OK)
                    fail_msg("read: %s", error.message);
                assert_dataset(d, &e, true);
                fimbit_dataset_free(d);
            }
        restore_sizes();
        unlink(path);
        free(text);
    }
}

static void test_groups_any_threads(void **state)
{
    (void)state;
    static model m;
    static expected e;
    char *text = make_text(7, &m, SIZE_MAX, NULL, NULL);
    char path[256], name[NAME];
    test_write_temp_file(text, strlen(text), ".csv", path, sizeof path);
    /* The groups in natural order (bytewise: the names are not numbers). */
    int order[GROUPS] = {2, 0, 1, 3}; /* "ea\nst" "north" "so,uth" "west..." */
    for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++)
        for (size_t t = 0; t < sizeof thread_counts / sizeof *thread_counts; t++) {
            use_sizes(s);
            fimbit_read_options o = options_for(thread_counts[t]);
            fimbit_groups *groups = NULL;
            fimbit_error error;
            const char *paths[1] = {path};
            if (fimbit_groups_read(paths, 1, &o, "group", NULL, &groups, &error) != FIMBIT_OK)
                fail_msg("groups: %s", error.message);
            assert_int_equal(fimbit_groups_count(groups), GROUPS);
            for (int g = 0; g < GROUPS; g++) {
                group_name(order[g], name);
                assert_string_equal(fimbit_groups_name(groups, (size_t)g), name);
                expect_rows(&m, order[g], &e);
                assert_dataset(fimbit_groups_dataset(groups, (size_t)g), &e, false);
            }
            fimbit_groups_free(groups);
        }
    restore_sizes();
    unlink(path);
    free(text);
}

static void test_errors_any_threads(void **state)
{
    (void)state;
    static model m;
    const struct {
        const char *row;
        size_t at;           /* the row it replaces */
        unsigned column;
        const char *message;
    } cases[] = {
        {"17\n", 1100, 3, "missing item column 'item' (column 2): the row has 1 field"},
        {"17,\"x\"y,north\n", 900, 7, "expected a separator after a closing quote, found 'y,north'"},
        {"17,\"open\n", ROWS - 1, 4, "unterminated quoted field"},
    };
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        size_t offset = 0;
        char *text = make_text(3, &m, cases[c].at, cases[c].row, &offset);
        uint64_t line = 1;
        for (size_t k = 0; k < offset; k++)
            line += text[k] == '\n';
        char path[256], expected[1024];
        test_write_temp_file(text, strlen(text), ".csv", path, sizeof path);
        snprintf(expected, sizeof expected, "%s:%llu:%u: %s", path, (unsigned long long)line,
                 cases[c].column, cases[c].message);
        for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++)
            for (size_t t = 0; t < sizeof thread_counts / sizeof *thread_counts; t++) {
                use_sizes(s);
                fimbit_read_options o = options_for(thread_counts[t]);
                fimbit_dataset *d = NULL;
                fimbit_error error;
                const char *paths[1] = {path};
                assert_int_equal(fimbit_dataset_read(paths, 1, &o, &d, &error), FIMBIT_EPARSE);
                assert_null(d);
                assert_string_equal(error.message, expected);
            }
        restore_sizes();
        unlink(path);
        free(text);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dataset_any_threads),
        cmocka_unit_test(test_groups_any_threads),
        cmocka_unit_test(test_errors_any_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
