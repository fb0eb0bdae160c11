#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

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
