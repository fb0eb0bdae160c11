#include "report.h"

#include <math.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/internal.h"
#include "progress_line.h"
#include "stop_signals.h"
#include "base/topology.h"

int cli_exit_code(fimbit_status status)
{
    return status == FIMBIT_OK ? CLI_EXIT_OK : CLI_EXIT_DATA;
}

bool cli_stdout_is_broken(void)
{
    struct stat info;
    /* A closed descriptor (`fimbit ... >&-`) is a real error, not a reader
     * that went away. */
    if (fstat(STDOUT_FILENO, &info) != 0)
        return false;
    if (!S_ISFIFO(info.st_mode) && !S_ISSOCK(info.st_mode))
        return false;
    /* The write end of a pipe polls POLLERR once every reader has closed it. */
    struct pollfd poller = {.fd = STDOUT_FILENO, .events = 0, .revents = 0};
    if (poll(&poller, 1, 0) < 0)
        return false;
    return (poller.revents & (POLLERR | POLLHUP)) != 0;
}

int cli_report_failure(const cli_options *options, fimbit_status status,
                       const fimbit_error *error)
{
    if (status == FIMBIT_OK)
        return CLI_EXIT_OK;
    /* Stopped by a signal: the signal is the report (main re-raises it). */
    if (status == FIMBIT_ECANCELED && cli_stop_signal() != 0)
        return CLI_EXIT_DATA;
    if (status == FIMBIT_EIO && (options == NULL || options->output == NULL) &&
        cli_stdout_is_broken())
        return CLI_EXIT_OK;
    const char *message = error != NULL && error->message[0] != '\0'
                              ? error->message
                              : fimbit_status_str(status);
    cli_progress_break_line();
    fprintf(stderr, "fimbit: %s\n", message);
    return cli_exit_code(status);
}

int cli_report_usage_error(cli_command command, const char *message)
{
    fprintf(stderr, "fimbit: %s\n", message);
    if (command == CLI_COMMAND_NONE)
        fputs("Try 'fimbit --help'.\n", stderr);
    else
        fprintf(stderr, "Try 'fimbit %s --help'.\n", cli_command_name(command));
    return CLI_EXIT_USAGE;
}

void cli_warn(const cli_options *options, const char *format, ...)
{
    if (options->quiet)
        return;
    va_list args;
    va_start(args, format);
    fputs("fimbit: warning: ", stderr);
    vfprintf(stderr, format, args);
    fputc('\n', stderr);
    va_end(args);
}

void cli_warn_no_rules(const cli_options *options, const char *what, uint64_t min_count,
                       uint64_t baskets)
{
    const fimbit_rule_options *rule = &options->rule;
    const struct {
        bool given;
        const char *name;
    } filters[] = {
        {rule->min_lift > 0, "--min-lift"},
        {rule->antecedent_items != NULL, "--antecedent-items"},
        {rule->consequent_items != NULL, "--consequent-items"},
        {rule->exclude_items != NULL, "--exclude-items"},
        {rule->min_improvement > -INFINITY, "--min-improvement"},
        {rule->non_redundant != 0, "--non-redundant"},
        {rule->max_p < 1, "--max-p"},
    };
    char named[160] = ""; /* room for every name above */
    size_t length = 0;
    for (size_t i = 0; i < sizeof filters / sizeof filters[0]; i++)
        if (filters[i].given)
            length += (size_t)snprintf(named + length, sizeof named - length, "%s%s",
                                       length == 0 ? "; filtered by " : ", ", filters[i].name);
    cli_warn(options, "no strong rules%s: min support is %llu of %llu baskets, min confidence %g%s",
             what, (unsigned long long)min_count, (unsigned long long)baskets, rule->min_confidence,
             named);
}

void cli_warn_p_adjust_idle(const cli_options *options)
{
    const fimbit_rule_options *rule = &options->rule;
    if (rule->p_adjust != FIMBIT_P_ADJUST_NONE && rule->max_p >= 1 &&
        (rule->measures & FIMBIT_MEASURE_BIT(FIMBIT_MEASURE_P_VALUE)) == 0)
        cli_warn(options, "--p-adjust changes nothing: it corrects the p-values that --max-p "
                          "filters and --measures p_value writes, and neither was given");
}

void cli_verbose(const cli_options *options, const char *format, ...)
{
    if (!options->verbose)
        return;
    va_list args;
    va_start(args, format);
    fputs("fimbit: ", stderr);
    vfprintf(stderr, format, args);
    fputc('\n', stderr);
    va_end(args);
}

void cli_verbose_written(const cli_options *options, double start)
{
    cli_verbose(options, "write  %8.3f s  to %s", cli_now() - start,
                options->output != NULL ? options->output : "standard output");
}

void cli_verbose_peak_memory(const cli_options *options)
{
    struct rusage usage;
    if (!options->verbose || getrusage(RUSAGE_SELF, &usage) != 0)
        return;
    fimbit_memory_usage heap;
    fimbit_get_memory_usage(&heap);
    /* Linux reports ru_maxrss in KiB. */
    cli_verbose(options, "peak RSS %.1f MiB, library heap peak %.1f MiB",
                (double)usage.ru_maxrss / 1024.0, (double)heap.peak / 1048576.0);
}

void cli_verbose_topology(const cli_options *options)
{
    if (!options->verbose)
        return;
    topology_summary machine;
    topology_get_summary(&machine);
    cli_verbose(options, "machine  %u cores, %u NUMA nodes, %u hardware threads; %d threads used, "
                "binding %s",
                machine.cores, machine.numa_nodes, machine.pus,
                fimbit__thread_count(options->read.threads), machine.binding ? "on" : "off");
}
