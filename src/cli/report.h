/*
 * What the CLI says on standard error and how it exits: error lines, usage
 * errors, warnings, the --verbose stage timings, the exit codes.
 */
#ifndef FIMBIT_CLI_REPORT_H
#define FIMBIT_CLI_REPORT_H

#include <stdbool.h>
#include <stdint.h>

#include "clock.h"
#include "fimbit.h"
#include "options.h"

enum {
    CLI_EXIT_OK = 0,
    CLI_EXIT_DATA = 1,  /* malformed input, I/O error, memory exhausted or over --max-memory:
                           anything the library reports */
    CLI_EXIT_USAGE = 2  /* a bad command line */
};

/* @return the exit code for a library status. */
int cli_exit_code(fimbit_status status);

/* Reports a failed library call: one line "fimbit: <message>" on standard
 * error. A write to standard output that failed because the reader went away
 * (`fimbit ... | head`) is not an error: nothing is printed and 0 returned.
 * @return the exit code. */
int cli_report_failure(const cli_options *options, fimbit_status status,
                       const fimbit_error *error);

/* Prints "fimbit: <message>" and "Try 'fimbit <command> --help'." on standard
 * error. @return CLI_EXIT_USAGE. */
int cli_report_usage_error(cli_command command, const char *message);

/* A warning on standard error, unless --quiet. */
void cli_warn(const cli_options *options, const char *format, ...)
    __attribute__((format(printf, 2, 3)));

/* Warns that no rule came out (`what`: "" or " in group G"): the support and
 * confidence thresholds, then the options given that may have dropped strong
 * rules, so that a user does not lower the thresholds in vain. */
void cli_warn_no_rules(const cli_options *options, const char *what, uint64_t min_count,
                       uint64_t baskets);

/* Warns when --p-adjust was given with nothing to correct: no --max-p and no
 * p_value written (rules and report). */
void cli_warn_p_adjust_idle(const cli_options *options);

/* A --verbose line on standard error. */
void cli_verbose(const cli_options *options, const char *format, ...)
    __attribute__((format(printf, 2, 3)));

/* With --verbose, prints how long writing took since `start` (cli_now())
 * and where the output went. */
void cli_verbose_written(const cli_options *options, double start);

/* With --verbose, prints the process's peak resident set size. */
void cli_verbose_peak_memory(const cli_options *options);

/* With --verbose, prints the machine's cores, NUMA nodes and hardware threads,
 * the threads the command will use and whether they are bound to cores. */
void cli_verbose_topology(const cli_options *options);

/* @return true when standard output is a pipe or socket whose reader has gone. */
bool cli_stdout_is_broken(void);

#endif /* FIMBIT_CLI_REPORT_H */
