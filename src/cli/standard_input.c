#include "standard_input.h"

#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "read/input.h"

bool cli_reads_standard_input(const char *path)
{
    if (strcmp(path, "-") == 0)
        return true;
    struct stat input;
    return fstat(STDIN_FILENO, &input) == 0 &&
           (S_ISFIFO(input.st_mode) || S_ISSOCK(input.st_mode)) && input_names_standard_input(path);
}

bool cli_reads_once(const char *path)
{
    struct stat named;
    return strcmp(path, "-") == 0 ||
           (stat(path, &named) == 0 && (S_ISFIFO(named.st_mode) || S_ISSOCK(named.st_mode)));
}
