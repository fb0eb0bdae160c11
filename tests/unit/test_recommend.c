/* The recommender: scores against hand-computed ones, ranking, skipping what
 * the basket holds, reading rules from JSON Lines (escapes, errors with their
 * place), rules from a mining run, and clean failure when allocations fail. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "fimbit.h"
#include "base/internal.h"
#include "recommend/recommend_write.h"
#include "write/ordered_write.h"
#include "write/target.h"
#include "test_data.h"

/* Three rules over milk, bread, butter, jam, eggs:
 *   bread        => butter   conf 0.5   lift 2.0
 *   bread, jam   => butter   conf 0.9   lift 3.0
 *   milk         => eggs     conf 0.6   lift 1.5
 *   milk, bread  => eggs jam conf 0.3   lift 4.0 */
static fimbit_recommender *make_recommender(void)
{
    fimbit_recommender *r = NULL;
    assert_int_equal(fimbit_recommender_create(&r, NULL), FIMBIT_OK);
    const char *bread[] = {"bread"}, *butter[] = {"butter"}, *bread_jam[] = {"bread", "jam"};
    const char *milk[] = {"milk"}, *eggs[] = {"eggs"}, *milk_bread[] = {"milk", "bread"};
    const char *eggs_jam[] = {"eggs", "jam"};
    assert_int_equal(fimbit_recommender_add_rule(r, bread, 1, butter, 1, 0.5, 2.0, NULL), 0);
    assert_int_equal(fimbit_recommender_add_rule(r, bread_jam, 2, butter, 1, 0.9, 3.0, NULL), 0);
    assert_int_equal(fimbit_recommender_add_rule(r, milk, 1, eggs, 1, 0.6, 1.5, NULL), 0);
    assert_int_equal(fimbit_recommender_add_rule(r, milk_bread, 2, eggs_jam, 2, 0.3, 4.0, NULL),
                     0);
    return r;
}

/* Recommends for a basket of names and checks "name:confidence:lift" items. */
static void expect_names(const fimbit_recommender *r, const char *const *basket, size_t size,
                         fimbit_recommend_by by, size_t k, const char *expected)
{
    fimbit_recommendation out[8];
    size_t found = 99;
    assert_int_equal(fimbit_recommend_names(r, basket, size, by, k, out, &found, NULL), 0);
    char text[512] = "";
    for (size_t i = 0; i < found; i++) {
        char one[96];
        snprintf(one, sizeof one, "%s%s:%g:%g", i ? " " : "",
                 fimbit_recommender_item_name(r, out[i].item), out[i].confidence, out[i].lift);
        strcat(text, one);
    }
    assert_string_equal(text, expected);
}

static void test_scores(void **state)
{
    (void)state;
    fimbit_recommender *r = make_recommender();
    assert_int_equal(fimbit_recommender_rule_count(r), 4);
    assert_int_equal(fimbit_recommender_item_count(r), 5);

    /* bread alone: only bread => butter matches. */
    const char *bread[] = {"bread"};
    expect_names(r, bread, 1, FIMBIT_RECOMMEND_BY_CONFIDENCE, 5, "butter:0.5:2");
    /* bread and jam: butter's best rule is {bread, jam} (0.9); jam is held. */
    const char *bread_jam[] = {"jam", "bread"};
    expect_names(r, bread_jam, 2, FIMBIT_RECOMMEND_BY_CONFIDENCE, 5, "butter:0.9:3");
    /* milk and bread: eggs by milk (0.6) beats eggs by {milk, bread} (0.3);
     * jam only by {milk, bread}; butter by bread. */
    const char *milk_bread[] = {"milk", "bread"};
    expect_names(r, milk_bread, 2, FIMBIT_RECOMMEND_BY_CONFIDENCE, 5,
                 "eggs:0.6:1.5 butter:0.5:2 jam:0.3:4");
    /* By lift, each item's best rule is the one with the highest lift. */
    expect_names(r, milk_bread, 2, FIMBIT_RECOMMEND_BY_LIFT, 5,
                 "jam:0.3:4 eggs:0.3:4 butter:0.5:2");
    /* k cuts the list; an unknown name and a duplicate change nothing. */
    const char *noisy[] = {"bread", "caviar", "milk", "bread"};
    expect_names(r, noisy, 4, FIMBIT_RECOMMEND_BY_CONFIDENCE, 2, "eggs:0.6:1.5 butter:0.5:2");
    /* Items in the basket are never recommended. */
    const char *full[] = {"milk", "bread", "eggs", "butter"};
    expect_names(r, full, 4, FIMBIT_RECOMMEND_BY_CONFIDENCE, 5, "jam:0.3:4");
    /* Nothing matches: an empty basket, unknown items, or jam alone. */
    const char *jam[] = {"jam"};
    expect_names(r, jam, 1, FIMBIT_RECOMMEND_BY_CONFIDENCE, 5, "");
    expect_names(r, NULL, 0, FIMBIT_RECOMMEND_BY_CONFIDENCE, 5, "");

    /* By id: ids out of range are ignored. */
    uint32_t milk_id, bread_id;
    assert_int_equal(fimbit_recommender_find_item(r, "milk", &milk_id), FIMBIT_OK);
    assert_int_equal(fimbit_recommender_find_item(r, "bread", &bread_id), FIMBIT_OK);
    assert_int_equal(fimbit_recommender_find_item(r, "caviar", &milk_id + 0), FIMBIT_EINVAL);
    uint32_t basket[] = {milk_id, 1000, bread_id};
    fimbit_recommendation out[1];
    size_t found = 0;
    assert_int_equal(fimbit_recommend(r, basket, 3, FIMBIT_RECOMMEND_BY_CONFIDENCE, 1, out,
                                      &found, NULL),
                     FIMBIT_OK);
    assert_int_equal(found, 1);
    assert_string_equal(fimbit_recommender_item_name(r, out[0].item), "eggs");
    assert_null(fimbit_recommender_item_name(r, 5));
    fimbit_recommender_free(r);
    fimbit_recommender_free(NULL);
}

static void test_invalid_rules(void **state)
{
    (void)state;
    fimbit_recommender *r = make_recommender();
    fimbit_error error;
    const char *a[] = {"a"}, *ab[] = {"a", "b"}, *nothing[] = {NULL};
    assert_int_equal(fimbit_recommender_add_rule(r, a, 0, a, 1, 0.5, 1, &error), FIMBIT_EINVAL);
    assert_int_equal(fimbit_recommender_add_rule(r, ab, 2, a, 1, 0.5, 1, &error), FIMBIT_EINVAL);
    assert_non_null(strstr(error.message, "'a' is on both sides"));
    assert_int_equal(fimbit_recommender_add_rule(r, a, 1, ab + 1, 1, -1, 1, &error),
                     FIMBIT_EINVAL);
    assert_int_equal(fimbit_recommender_add_rule(r, nothing, 1, a, 1, 0.5, 1, &error),
                     FIMBIT_EINVAL);
    assert_int_equal(fimbit_recommender_rule_count(r), 4);
    fimbit_recommendation out[1];
    size_t found;
    assert_int_equal(fimbit_recommend(NULL, NULL, 0, 0, 1, out, &found, &error), FIMBIT_EINVAL);
    assert_int_equal(fimbit_recommend(r, NULL, 0, 0, 1, out, NULL, &error), FIMBIT_EINVAL);
    fimbit_recommender_free(r);
}

static fimbit_status read_rules_text(const char *text, fimbit_recommender **r, fimbit_error *error)
{
    char path[256];
    test_write_temp_file(text, strlen(text), ".jsonl", path, sizeof path);
    assert_int_equal(fimbit_recommender_create(r, NULL), FIMBIT_OK);
    fimbit_status status = fimbit_recommender_read_rules(*r, path, error);
    unlink(path);
    return status;
}

static void test_read_jsonl(void **state)
{
    (void)state;
    fimbit_recommender *r = NULL;
    fimbit_error error;
    const char *text =
        "{\"antecedent\":[\"bread\"],\"consequent\":[\"butter\"],\"count\":5,\"support\":0.1,"
        "\"confidence\":0.5,\"lift\":2,\"leverage\":0.01,\"conviction\":null}\n"
        "\n"
        "  { \"lift\" : 3e0 , \"confidence\": 0.9, \"extra\": {\"a\": [1, true, \"]\"]},"
        "    \"antecedent\": [\"bread\", \"j\\u00e4m \\\"x\\\"\"], \"consequent\": [\"butter\"] }\n";
    if (read_rules_text(text, &r, &error) != FIMBIT_OK)
        fail_msg("%s", error.message);
    assert_int_equal(fimbit_recommender_rule_count(r), 2);
    const char *basket[] = {"bread", "j\xc3\xa4m \"x\""};
    expect_names(r, basket, 2, FIMBIT_RECOMMEND_BY_CONFIDENCE, 5, "butter:0.9:3");
    fimbit_recommender_free(r);

    static const struct {
        const char *text;
        const char *message;
    } bad[] = {
        {"{\"antecedent\":[\"a\"],\"consequent\":[\"b\"],\"confidence\":0.5}\n",
         ":1:1: a rule without \"lift\""},
        {"{\"antecedent\":[\"a\"],\"consequent\":[\"b\"],\"confidence\":x,\"lift\":1}\n",
         ":1:53: expected a number"},
        {"\n{\"antecedent\":[\"a\"]\n", ":2:21: expected ',' or '}'"},
        {"[1]\n", ":1:1: expected a JSON object"},
        {"{\"antecedent\":[\"a\\q\"]}\n", ":1:19: invalid escape"},
        {"{\"antecedent\":[],\"consequent\":[\"b\"],\"confidence\":0.5,\"lift\":1}\n",
         ":1:1: recommender: a rule needs items on both sides"},
        {"{\"antecedent\":[\"a\"],\"antecedent\":[\"b\"]}\n", "a key appears twice"},
        {"{\"antecedent\":[\"a\"],\"consequent\":[\"b\"],\"confidence\":0.5,\"lift\":1} x\n",
         "text after the rule's object"},
        {"{\"a\":\"\\ud800\"}\n", "unpaired surrogate"},
        /* A name's control characters do not break the message's one line. */
        {"{\"antecedent\":[\"a\\nb\\t\"],\"consequent\":[\"a\\nb\\t\"],\"confidence\":0.5,"
         "\"lift\":1}\n",
         ":1:1: recommender: 'a?b?' is on both sides of a rule"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(read_rules_text(bad[i].text, &r, &error), FIMBIT_EPARSE);
        if (strstr(error.message, bad[i].message) == NULL)
            fail_msg("case %zu: '%s' lacks '%s'", i, error.message, bad[i].message);
        fimbit_recommender_free(r);
    }

    assert_int_equal(fimbit_recommender_create(&r, NULL), FIMBIT_OK);
    assert_int_equal(fimbit_recommender_read_rules(r, "/nonexistent/rules.jsonl", &error),
                     FIMBIT_EIO);
    assert_non_null(strstr(error.message, "/nonexistent/rules.jsonl"));
    fimbit_recommender_free(r);
}

/* Rules straight from a mining run recommend what the same rules read back
 * from their JSON Lines do. */
static void test_from_mined_rules(void **state)
{
    (void)state;
    const char *names[] = {"a", "b", "c", "a", "b", "a", "c", "a", "b", "c", "b", "c"};
    const uint64_t offsets[] = {0, 3, 5, 7, 10, 12};
    fimbit_dataset *dataset = NULL;
    fimbit_rules *rules = NULL;
    assert_int_equal(fimbit_dataset_from_baskets(names, offsets, 5, &dataset, NULL), 0);
    fimbit_rule_options options;
    fimbit_rule_options_init(&options);
    options.mine.min_count = 1;
    options.min_confidence = 0;
    options.max_consequent = 0;
    options.mine.threads = 1;
    assert_int_equal(fimbit_mine_rules(dataset, &options, &rules, NULL), FIMBIT_OK);
    /* Canonical order first (a => b, a => c, ...), so item ids are a, b, c in
     * both recommenders and ties rank alike. */
    fimbit_rules_sort(rules);

    fimbit_recommender *direct = NULL, *read = NULL;
    assert_int_equal(fimbit_recommender_create(&direct, NULL), FIMBIT_OK);
    assert_int_equal(fimbit_recommender_add_rules(direct, rules, NULL), FIMBIT_OK);
    assert_int_equal(fimbit_recommender_rule_count(direct), fimbit_rules_count(rules));
    char path[256];
    test_write_temp_file("", 0, ".jsonl", path, sizeof path);
    assert_int_equal(fimbit_rules_write(rules, FIMBIT_FORMAT_JSONL, path, NULL), FIMBIT_OK);
    assert_int_equal(fimbit_recommender_create(&read, NULL), FIMBIT_OK);
    assert_int_equal(fimbit_recommender_read_rules(read, path, NULL), FIMBIT_OK);
    unlink(path);
    fimbit_rules_free(rules);
    fimbit_dataset_free(dataset);

    /* a: 4 baskets, b: 4, c: 4; ab 3, ac 3, bc 3, abc 2. For basket {a}:
     * a => b and a => c have confidence 3/4; lift (3/5) / (4/5 * 4/5). */
    const char *a[] = {"a"};
    expect_names(direct, a, 1, FIMBIT_RECOMMEND_BY_CONFIDENCE, 5, "b:0.75:0.9375 c:0.75:0.9375");
    expect_names(read, a, 1, FIMBIT_RECOMMEND_BY_CONFIDENCE, 5, "b:0.75:0.9375 c:0.75:0.9375");
    /* {a, b}: c's best rule is a => c (3/4) by confidence and by lift
     * (ab => c has 2/3, lift 5/6; a => bc 1/2, lift 5/6). */
    const char *ab[] = {"a", "b"};
    expect_names(direct, ab, 2, FIMBIT_RECOMMEND_BY_CONFIDENCE, 5, "c:0.75:0.9375");
    expect_names(read, ab, 2, FIMBIT_RECOMMEND_BY_LIFT, 5, "c:0.75:0.9375");
    fimbit_recommender_free(direct);
    fimbit_recommender_free(read);
}

/* A dataset given up to one mining call (fimbit_dataset_mine_once) keeps
 * no baskets to recommend for: asked for one, it says so, where the same
 * baskets kept answer. */
static void test_basket_of_dataset_mined_once(void **state)
{
    (void)state;
    const char *names[] = {"a", "b", "a", "b", "a"};
    const uint64_t offsets[] = {0, 2, 4, 5};
    fimbit_dataset *kept = NULL, *given_up = NULL;
    assert_int_equal(fimbit_dataset_from_baskets(names, offsets, 3, &kept, NULL), FIMBIT_OK);
    assert_int_equal(fimbit_dataset_from_baskets(names, offsets, 3, &given_up, NULL), FIMBIT_OK);
    fimbit_dataset_mine_once(given_up);
    fimbit_rule_options options;
    fimbit_rule_options_init(&options);
    options.mine.min_count = 1;
    options.min_confidence = 0;
    options.mine.threads = 1;
    fimbit_rules *rules = NULL;
    assert_int_equal(fimbit_mine_rules(given_up, &options, &rules, NULL), FIMBIT_OK);
    fimbit_recommender *recommender = NULL;
    assert_int_equal(fimbit_recommender_create(&recommender, NULL), FIMBIT_OK);
    assert_int_equal(fimbit_recommender_add_rules(recommender, rules, NULL), FIMBIT_OK);

    fimbit_recommendation out[2];
    size_t found = 0;
    fimbit_error error;
    /* Basket 2 is {a}: a => b is the one suggestion. */
    assert_int_equal(fimbit_recommend_basket(recommender, kept, 2, FIMBIT_RECOMMEND_BY_CONFIDENCE,
                                             2, out, &found, &error),
                     FIMBIT_OK);
    assert_int_equal(found, 1);
    assert_int_equal(fimbit_recommend_basket(recommender, given_up, 2,
                                             FIMBIT_RECOMMEND_BY_CONFIDENCE, 2, out, &found,
                                             &error),
                     FIMBIT_EINVAL);
    assert_non_null(strstr(error.message, "no baskets"));
    fimbit_recommender_free(recommender);
    fimbit_rules_free(rules);
    fimbit_dataset_free(kept);
    fimbit_dataset_free(given_up);
}

/* More items than the stack scratch holds, and more candidates. */
static void test_many_items(void **state)
{
    (void)state;
    fimbit_recommender *r = NULL;
    assert_int_equal(fimbit_recommender_create(&r, NULL), FIMBIT_OK);
    char name[32], other[32];
    for (int i = 0; i < 5000; i++) {
        snprintf(name, sizeof name, "item%d", i);
        snprintf(other, sizeof other, "item%d", (i + 1) % 5000);
        const char *x[] = {"hub"}, *y[] = {name}, *xi[] = {name}, *yi[] = {other};
        assert_int_equal(fimbit_recommender_add_rule(r, x, 1, y, 1, i / 10000.0, 1, NULL), 0);
        assert_int_equal(fimbit_recommender_add_rule(r, xi, 1, yi, 1, 0.9, 1, NULL), 0);
    }
    const char *basket[] = {"hub", "item4999"};
    expect_names(r, basket, 2, FIMBIT_RECOMMEND_BY_CONFIDENCE, 3,
                 "item0:0.9:1 item4998:0.4998:1 item4997:0.4997:1");
    fimbit_recommender_free(r);
}

/* Basket b's line as the writer must give it, from fimbit_recommend_basket
 * and printf's "%g" (which is "%.6g"); the names need no escaping. */
static void append_expected_line(char *text, const fimbit_recommender *r, const fimbit_dataset *d,
                                 uint64_t b)
{
    fimbit_recommendation out[8];
    size_t found = 0;
    if (r != NULL)
        assert_int_equal(
            fimbit_recommend_basket(r, d, b, FIMBIT_RECOMMEND_BY_CONFIDENCE, 2, out, &found, NULL),
            FIMBIT_OK);
    text += strlen(text);
    text += sprintf(text, "{\"basket\":\"%llu\",\"recommendations\":[", (unsigned long long)b + 1);
    for (size_t i = 0; i < found; i++)
        text +=
            sprintf(text, "%s{\"item\":\"%s\",\"confidence\":%g,\"lift\":%g}", i ? "," : "",
                    fimbit_recommender_item_name(r, out[i].item), out[i].confidence, out[i].lift);
    strcpy(text, "]}\n");
}

/* Every basket of a dataset written by recommend_write_baskets: with two
 * recommenders and baskets of none, cut into chunks of 1, 2 and 7 baskets
 * formatted by 1 to 4 threads, the lines are those of the baskets in order,
 * each as fimbit_recommend_basket() scores it. */
static void test_write_baskets_in_chunks(void **state)
{
    (void)state;
    enum { BASKETS = 60 };
    const char *items[] = {"milk", "bread", "jam", "eggs", "caviar"};
    const char *names[BASKETS * 3];
    uint64_t offsets[BASKETS + 1] = {0};
    for (int b = 0; b < BASKETS; b++) {
        uint64_t n = offsets[b];
        for (int i = 0; i < 5; i++)
            if ((b + 1) & (1 << i) && n - offsets[b] < 3)
                names[n++] = items[i];
        offsets[b + 1] = n;
    }
    fimbit_dataset *d = NULL;
    assert_int_equal(fimbit_dataset_from_baskets(names, offsets, BASKETS, &d, NULL), FIMBIT_OK);
    fimbit_recommender *all = make_recommender(), *milk_only = NULL;
    assert_int_equal(fimbit_recommender_create(&milk_only, NULL), FIMBIT_OK);
    const char *milk[] = {"milk"}, *bread[] = {"bread"};
    assert_int_equal(fimbit_recommender_add_rule(milk_only, milk, 1, bread, 1, 0.25, 1.5, NULL), 0);
    const fimbit_recommender *recommenders[] = {all, milk_only};
    uint32_t recommender_of[BASKETS];
    static char expected[BASKETS * 256];
    expected[0] = '\0';
    for (int b = 0; b < BASKETS; b++) {
        recommender_of[b] = b % 3 == 2 ? RECOMMEND_NO_RECOMMENDER : (uint32_t)(b % 3);
        append_expected_line(expected, b % 3 == 2 ? NULL : recommenders[b % 3], d, (uint64_t)b);
    }
    assert_non_null(strstr(expected, "\"item\":\"butter\""));
    assert_non_null(strstr(expected, "\"item\":\"bread\",\"confidence\":0.25"));

    recommend_baskets baskets = {.dataset = d,
                                 .recommenders = recommenders,
                                 .recommender_count = 2,
                                 .recommender_of = recommender_of,
                                 .by = FIMBIT_RECOMMEND_BY_CONFIDENCE,
                                 .k = 2};
    char path[256];
    test_write_temp_file("", 0, ".jsonl", path, sizeof path);
    const size_t chunks[] = {1, 2, 7};
    for (int threads = 1; threads <= 4; threads++)
        for (size_t c = 0; c < sizeof chunks / sizeof *chunks; c++) {
            output__force_chunk_records(chunks[c]);
            output_target target;
            assert_int_equal(output_open(&target, path, NULL), FIMBIT_OK);
            assert_int_equal(recommend_write_baskets(&baskets, threads, &target, NULL), FIMBIT_OK);
            assert_int_equal(output_commit(&target, NULL), FIMBIT_OK);
            output__force_chunk_records(0);
            static char written[BASKETS * 256];
            FILE *file = fopen(path, "rb");
            assert_non_null(file);
            size_t size = fread(written, 1, sizeof written - 1, file);
            fclose(file);
            written[size] = '\0';
            assert_string_equal(written, expected);
        }
    unlink(path);
    fimbit_recommender_free(all);
    fimbit_recommender_free(milk_only);
    fimbit_dataset_free(d);
}

/* Every allocation of reading and recommending may fail: the call reports
 * FIMBIT_ENOMEM and leaks nothing (ASan builds check the leaks). */
static void test_out_of_memory(void **state)
{
    (void)state;
    const char *text = "{\"antecedent\":[\"bread\"],\"consequent\":[\"butter\"],"
                       "\"confidence\":0.5,\"lift\":2}\n";
    char path[256];
    test_write_temp_file(text, strlen(text), ".jsonl", path, sizeof path);
    for (uint64_t n = 1; n < 100; n++) {
        fimbit_recommender *r = NULL;
        fimbit__alloc_fail_after(n);
        fimbit_status status = fimbit_recommender_create(&r, NULL);
        if (status == FIMBIT_OK)
            status = fimbit_recommender_read_rules(r, path, NULL);
        fimbit__alloc_fail_after(0);
        fimbit_recommender_free(r);
        if (status == FIMBIT_OK)
            break;
        assert_int_equal(status, FIMBIT_ENOMEM);
    }
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scores),          cmocka_unit_test(test_invalid_rules),
        cmocka_unit_test(test_read_jsonl),      cmocka_unit_test(test_from_mined_rules),
        cmocka_unit_test(test_many_items),      cmocka_unit_test(test_out_of_memory),
        cmocka_unit_test(test_basket_of_dataset_mined_once),
        cmocka_unit_test(test_write_baskets_in_chunks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
