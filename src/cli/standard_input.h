/* Which inputs of a run read standard input, or a stream that is read once. */
#ifndef FIMBIT_CLI_STANDARD_INPUT_H
#define FIMBIT_CLI_STANDARD_INPUT_H

#include <stdbool.h>

/* Whether reading `path` reads standard input's stream: "-", or a name of
 * the pipe, FIFO or socket that standard input is (/dev/stdin, /dev/fd/0,
 * the FIFO's own path). A regular file is not: opening it again reads it
 * from its start, whatever standard input has consumed. */
bool cli_reads_standard_input(const char *path);

/* Whether `path` can be read once only: "-", or a pipe, FIFO or socket (a
 * shell's process substitution /dev/fd/63, a FIFO's path, /dev/stdin on a
 * pipe). Opening it again finds what the first reader left: nothing. */
bool cli_reads_once(const char *path);

#endif /* FIMBIT_CLI_STANDARD_INPUT_H */
