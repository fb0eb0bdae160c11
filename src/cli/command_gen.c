/* fimbit gen: synthetic baskets (the IBM Quest model) to standard output or -o. */
#include "commands.h"
#include "report.h"

int cli_run_gen(const cli_options *options)
{
    fimbit_error error = {0};
    double start = cli_now();
    fimbit_status status = fimbit_generate(&options->generate, options->output, &error);
    if (status == FIMBIT_OK)
        cli_verbose(options, "gen    %8.3f s  %llu baskets to %s", cli_now() - start,
                    (unsigned long long)options->generate.baskets,
                    options->output != NULL ? options->output : "standard output");
    cli_verbose_peak_memory(options);
    return cli_report_failure(options, status, &error);
}
