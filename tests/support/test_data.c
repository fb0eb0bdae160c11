#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "dataset.h"
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

void test_dump_dataset(const fimbit_dataset *d, char *out, size_t size)
{
    size_t used = 0;
    out[0] = '\0';
    for (uint64_t b = 0; b < d->basket_count; b++) {
        for (uint64_t k = d->basket_offsets[b]; k < d->basket_offsets[b + 1]; k++)
            used += (size_t)snprintf(out + used, size - used, "%s%s",
                                     k > d->basket_offsets[b] ? " " : "",
                                     fimbit_dataset_item_name(d, d->basket_items[k]));
        if (b + 1 < d->basket_count)
            used += (size_t)snprintf(out + used, size - used, "|");
    }
}

void test_expect_dataset(const char *suffix, const char *text, fimbit_input_format format,
                         const char *expected, uint64_t baskets, uint32_t items)
{
    fimbit_read_options options;
    fimbit_read_options_init(&options);
    options.format = format;
    fimbit_dataset *d = NULL;
    fimbit_error error;
    char path[256], got[4096];
    fimbit_status status = test_read_text(suffix, text, &options, &d, &error, path);
    if (status != FIMBIT_OK)
        fail_msg("unexpected error: %s", error.message);
    test_dump_dataset(d, got, sizeof got);
    assert_string_equal(got, expected);
    assert_int_equal(fimbit_dataset_basket_count(d), baskets);
    assert_int_equal(fimbit_dataset_item_count(d), items);
    fimbit_dataset_free(d);
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
