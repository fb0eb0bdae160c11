#include "standard_input.h"

#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

bool cli_reads_standard_input(const char *path)
{
    if (strcmp(path, "-") == 0)
        return true;
    struct stat input, named;
    if (fstat(STDIN_FILENO, &input) != 0 || !(S_ISFIFO(input.st_mode) || S_ISSOCK(input.st_mode)))
        return false;
    return stat(path, &named) == 0 && named.st_dev == input.st_dev && named.st_ino == input.st_ino;
}

bool cli_reads_once(const char *path)
{
    struct stat named;
    return strcmp(path, "-") == 0 ||
           (stat(path, &named) == 0 && (S_ISFIFO(named.st_mode) || S_ISSOCK(named.st_mode)));
}
