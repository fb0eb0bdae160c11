#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "read/dataset.h"
#include "test_data.h"

bool test_dataset_path(const char *name, char *path, size_t path_size)
{
    const char *folder = getenv("FIMBIT_DATASETS");
    if (folder == NULL || *folder == '\0')
        folder = "../shared/datasets";
    snprintf(path, path_size, "%s/%s", folder, name);
    if (access(path, R_OK) == 0)
        return true;
    fprintf(stderr, "SKIP: dataset %s not found at %s\n", name, path);
    return false;
}

void test_write_temp_file(const char *content, size_t size, const char *suffix, char *path,
                          size_t path_size)
{
    const char *folder = getenv("TMPDIR");
    snprintf(path, path_size, "%s/fimbit-test-XXXXXX%s", folder ? folder : "/tmp",
             suffix ? suffix : "");
    int fd = mkstemps(path, suffix ? (int)strlen(suffix) : 0);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, content, size), (ssize_t)size);
    close(fd);
}

fimbit_status test_read_text(const char *suffix, const char *text,
                             const fimbit_read_options *options, fimbit_dataset **out,
                             fimbit_error *error, char *path)
{
    test_write_temp_file(text, strlen(text), suffix, path, 256);
    const char *paths[] = {path};
    fimbit_status status = fimbit_dataset_read(paths, 1, options, out, error);
    unlink(path);
    return status;
}

static int compare_ids(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* Baskets with their items in id order: the dataset keeps a basket's items in
 * an order of its own (dataset.h), which the readers' tests need not know. */
void test_dump_dataset(const fimbit_dataset *d, char *out, size_t size)
{
    size_t used = 0;
    out[0] = '\0';
    for (uint64_t b = 0; b < d->basket_count; b++) {
        uint64_t begin = d->basket_offsets[b], n = d->basket_offsets[b + 1] - begin;
        uint32_t *ids = malloc((n + 1) * sizeof *ids);
        assert_non_null(ids);
        for (uint64_t k = 0; k < n; k++)
            ids[k] = dataset_item(d, begin + k);
        qsort(ids, n, sizeof *ids, compare_ids);
        for (uint64_t k = 0; k < n; k++)
            used += (size_t)snprintf(out + used, size - used, "%s%s", k ? " " : "",
                                     fimbit_dataset_item_name(d, ids[k]));
        free(ids);
        if (b + 1 < d->basket_count)
            used += (size_t)snprintf(out + used, size - used, "|");
    }
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

void test_sort_dump_baskets(char *dump)
{
    size_t length = strlen(dump);
    char *copy = malloc(length + 1);
    char **names = malloc((length + 1) * sizeof *names);
    assert_non_null(copy);
    assert_non_null(names);
    memcpy(copy, dump, length + 1);
    size_t used = 0;
    for (char *basket = copy; basket != NULL;) {
        char *bar = strchr(basket, '|');
        if (bar)
            *bar = '\0';
        size_t n = 0;
        for (char *name = strtok(basket, " "); name; name = strtok(NULL, " "))
            names[n++] = name;
        qsort(names, n, sizeof *names, compare_names);
        for (size_t k = 0; k < n; k++)
            used += (size_t)sprintf(dump + used, "%s%s", k ? " " : "", names[k]);
        if (bar)
            dump[used++] = '|';
        basket = bar ? bar + 1 : NULL;
    }
    dump[used] = '\0';
    free(names);
    free(copy);
}

void test_assert_same_baskets(const fimbit_dataset *a, const fimbit_dataset *b)
{
    assert_int_equal(a->basket_count, b->basket_count);
    assert_memory_equal(a->basket_offsets, b->basket_offsets,
                        (a->basket_count + 1) * sizeof *a->basket_offsets);
    assert_int_equal(item_array_width(&a->basket_items), item_array_width(&b->basket_items));
    for (uint64_t k = 0; k < a->basket_offsets[a->basket_count]; k++)
        assert_int_equal(dataset_item(a, k), dataset_item(b, k));
}

void test_expect_read(const char *suffix, const char *text, const fimbit_read_options *options,
                      const char *expected, uint64_t baskets, uint32_t items)
{
    fimbit_dataset *d = NULL;
    fimbit_error error;
    char path[256], got[4096];
    if (test_read_text(suffix, text, options, &d, &error, path) != FIMBIT_OK)
        fail_msg("unexpected error: %s", error.message);
    test_dump_dataset(d, got, sizeof got);
    assert_string_equal(got, expected);
    assert_int_equal(fimbit_dataset_basket_count(d), baskets);
    assert_int_equal(fimbit_dataset_item_count(d), items);
    fimbit_dataset_free(d);
}

void test_expect_dataset(const char *suffix, const char *text, fimbit_input_format format,
                         const char *expected, uint64_t baskets, uint32_t items)
{
    fimbit_read_options options;
    fimbit_read_options_init(&options);
    options.format = format;
    test_expect_read(suffix, text, &options, expected, baskets, items);
}

char *test_read_file(const char *path, size_t *size)
{
    FILE *file = fopen(path, "rb");
    assert_non_null(file);
    fseek(file, 0, SEEK_END);
    long length = ftell(file);
    fseek(file, 0, SEEK_SET);
    char *bytes = malloc((size_t)length + 1);
    assert_non_null(bytes);
    assert_int_equal(fread(bytes, 1, (size_t)length, file), (size_t)length);
    fclose(file);
    bytes[length] = '\0';
    *size = (size_t)length;
    return bytes;
}
