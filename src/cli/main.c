/*
 * fimbit's entry point: picks the subcommand, parses its options, runs it.
 * Data goes to standard output and nothing else does; messages go to standard
 * error. Exit codes: see report.h and README.md.
 */
#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "man_page.h"
#include "mpi_job.h"
#include "options.h"
#include "progress_line.h"
#include "report.h"
#include "stop_signals.h"
#include "thread_memory.h"
#include "usage.h"

/* Runs a command whose options parsed. */
static int run_parsed(cli_command command, const cli_options *options)
{
    fimbit_set_memory_limit(options->max_memory);
    fimbit_error error;
    fimbit_status status = cli_thread_memory_prepare(options->read.threads, &error);
    if (status != FIMBIT_OK)
        return cli_report_failure(options, status, &error);
    /* Ranks would talk over each other; the MPI driver reports nothing. */
    if (!cli_mpi_active())
        cli_progress_start(
            cli_progress_choose(options->quiet, options->progress, isatty(STDERR_FILENO)));
    /* Under MPI only itemsets and rules spread over the ranks, and not per
     * group; the rest runs on rank 0 alone while the helpers wait at the exit. */
    bool spread = (command == CLI_COMMAND_ITEMSETS || command == CLI_COMMAND_RULES) &&
                  options->group_column == NULL;
    if (cli_mpi_helper() && !spread)
        return CLI_EXIT_OK;
    switch (command) {
    case CLI_COMMAND_ITEMSETS:
        return cli_run_itemsets(options);
    case CLI_COMMAND_RULES:
        return cli_run_rules(options);
    case CLI_COMMAND_INFO:
        return cli_run_info(options);
    case CLI_COMMAND_RECOMMEND:
        return cli_run_recommend(options);
    case CLI_COMMAND_REPORT:
        return cli_run_report(options);
    case CLI_COMMAND_GEN:
        return cli_run_gen(options);
    case CLI_COMMAND_RFM:
        return cli_run_rfm(options);
    default:
        return cli_report_usage_error(CLI_COMMAND_NONE, "no command given");
    }
}

static int run_command(cli_command command, int argc, char **argv)
{
    cli_options options;
    char message[512];
    int code;
    cli_parse_result parsed =
        cli_parse_options(command, argc, argv, &options, message, sizeof message);
    /* Each rank parses the options, and reads the @ item lists, alone: only
     * rank 0 has standard input (the others' is /dev/null), so "@-" or
     * "@/dev/stdin" parses on some ranks and not on others, and a rank that
     * stopped alone left the rest waiting for it in the mining. All stop. */
    if (!cli_mpi_everywhere(parsed != CLI_PARSE_ERROR) && parsed != CLI_PARSE_ERROR) {
        parsed = CLI_PARSE_ERROR;
        snprintf(message, sizeof message,
                 "another MPI rank could not parse the options: only rank 0 reads standard "
                 "input, so give item lists as @FILE, not @-");
    }
    if (parsed == CLI_PARSE_OK && !cli_mpi_inputs_reachable(&options, message, sizeof message))
        parsed = CLI_PARSE_ERROR;
    switch (parsed) {
    case CLI_PARSE_HELP:
        cli_print_usage(stdout, command);
        code = CLI_EXIT_OK;
        break;
    case CLI_PARSE_VERSION:
        cli_print_version(stdout);
        code = CLI_EXIT_OK;
        break;
    case CLI_PARSE_ERROR:
        code = cli_report_usage_error(command, message);
        break;
    default:
        code = run_parsed(command, &options);
        break;
    }
    cli_options_free(&options);
    return code;
}

/* `fimbit help [COMMAND]`, and the build's hidden `fimbit help --man`. */
static int run_help(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--man") == 0) {
        if (cli_print_man_page(stdout) != 0) {
            fputs("fimbit: out of memory\n", stderr);
            return CLI_EXIT_DATA;
        }
        return CLI_EXIT_OK;
    }
    if (argc < 2) {
        cli_print_usage(stdout, CLI_COMMAND_NONE);
        return CLI_EXIT_OK;
    }
    cli_command command = cli_command_from_name(argv[1]);
    if (command == CLI_COMMAND_NONE) {
        char message[300];
        snprintf(message, sizeof message, "unknown command '%.200s'", argv[1]);
        return cli_report_usage_error(CLI_COMMAND_NONE, message);
    }
    cli_print_usage(stdout, command);
    return CLI_EXIT_OK;
}

/* Input files are mapped into memory; one that shrinks under us (truncated
 * by another process while being read) makes the next access raise SIGBUS.
 * That is bad data like any other: one line and exit code 1 instead of a
 * core dump. Output files are only opened after the input is read, so none is
 * left behind. Several reading threads may fault at once: the first one
 * reports and exits, the others wait to be ended with the process. */
static void on_bus_error(int signal_number)
{
    (void)signal_number;
    static atomic_flag reported = ATOMIC_FLAG_INIT;
    if (atomic_flag_test_and_set(&reported))
        for (;;)
            pause();
    static const char message[] = "fimbit: an input file shrank while being read\n";
    ssize_t ignored = write(STDERR_FILENO, message, sizeof message - 1);
    (void)ignored;
    _exit(CLI_EXIT_DATA);
}

/* Flushes standard output at exit. Help text that cannot be written to a
 * closed pipe is no error; anything else is, named by its cause (the flush
 * writes what is left, and a full disk refuses it again). */
static int finish(int code)
{
    errno = 0;
    if (fflush(stdout) != 0 && code == CLI_EXIT_OK && !cli_stdout_is_broken()) {
        fprintf(stderr, "fimbit: standard output: %s\n", strerror(errno ? errno : EIO));
        return CLI_EXIT_DATA;
    }
    return code;
}

static int run(int argc, char **argv)
{
    if (argc < 2)
        return cli_report_usage_error(CLI_COMMAND_NONE, "no command given");
    const char *first = argv[1];
    if (strcmp(first, "-h") == 0 || strcmp(first, "--help") == 0)
        return finish(run_help(1, argv));
    if (strcmp(first, "help") == 0)
        return finish(run_help(argc - 1, argv + 1));
    if (strcmp(first, "-V") == 0 || strcmp(first, "--version") == 0) {
        cli_print_version(stdout);
        return finish(CLI_EXIT_OK);
    }

    cli_command command = cli_command_from_name(first);
    if (command == CLI_COMMAND_NONE) {
        char message[300];
        if (first[0] == '-')
            snprintf(message, sizeof message, "expected a command before '%.200s'", first);
        else
            snprintf(message, sizeof message, "unknown command '%.200s'", first);
        return cli_report_usage_error(CLI_COMMAND_NONE, message);
    }
    return finish(run_command(command, argc - 1, argv + 1));
}

int main(int argc, char **argv)
{
    /* Under a memory limit, once, before anything is set up. */
    cli_thread_memory_restart(argv);
    /* A reader that goes away (`fimbit ... | head`) makes writes fail with
     * EPIPE instead of killing the process; the commands then exit quietly
     * with status 0. */
    signal(SIGPIPE, SIG_IGN);
    signal(SIGBUS, on_bus_error);
    /* hwloc's plugins find GPUs and PCI devices, which fimbit never asks
     * about, and load X11, OpenCL, libxml2 and ICU to do it: tens of
     * milliseconds. A blacklist the user set is kept. */
    setenv("HWLOC_PLUGINS_BLACKLIST",
           "hwloc_gl,hwloc_opencl,hwloc_pci,hwloc_xml_libxml,hwloc_cuda,hwloc_nvml,"
           "hwloc_rsmi,hwloc_levelzero", 0);
    cli_stop_signals_install();
    cli_mpi_start(&argc, &argv);
    return cli_stop_signals_finish(cli_mpi_finish(run(argc, argv)));
}
