/*
 * The progress display on standard error (never standard output): the
 * library's stage reports (fimbit_set_progress) turned into one line per
 * stage. On a terminal the line is rewritten in place and closed by the
 * stage's summary, and nothing shows for a run shorter than a second; for
 * logs (--progress) every line ends with a newline, at most one a second per
 * stage plus each stage's summary.
 */
#ifndef FIMBIT_CLI_PROGRESS_LINE_H
#define FIMBIT_CLI_PROGRESS_LINE_H

#include <stdbool.h>
#include <stddef.h>

#include "fimbit.h"

typedef enum cli_progress_mode {
    CLI_PROGRESS_OFF = 0,
    CLI_PROGRESS_TERMINAL, /* lines rewritten in place, after the first second */
    CLI_PROGRESS_LOG       /* newline-terminated lines, summaries always */
} cli_progress_mode;

/* -q silences progress, even with --progress; --progress forces the log form;
 * otherwise a terminal on standard error gets the in-place form. */
cli_progress_mode cli_progress_choose(bool quiet, bool forced, bool stderr_is_terminal);

/* Shows the calling thread's library calls from now on in `mode`. */
void cli_progress_start(cli_progress_mode mode);

/* Ends a line left open on the terminal, so that a message can follow. */
void cli_progress_break_line(void);

/* Formats a report as one line without newline, "read   45.0%  120 MiB of
 * 267 MiB  85.1 MiB/s  ETA 2 s", or for END the stage's summary, "read
 * 267 MiB in 3.1 s (86.1 MiB/s)". @return the length (truncated to size - 1). */
size_t cli_progress_format(const fimbit_progress *progress, char *out, size_t size);

#endif /* FIMBIT_CLI_PROGRESS_LINE_H */
