/* fimbit rfm: customers' RFM records from order lines; -v adds a summary per
 * segment on standard error. */
#include <stdio.h>

#include "commands.h"
#include "input.h"
#include "report.h"

static void print_summary(const cli_options *options, const fimbit_rfm *rfm)
{
    if (!options->verbose)
        return;
    fimbit_rfm_segment_summary segments[FIMBIT_RFM_MAX_SEGMENTS];
    size_t count = 0;
    fimbit_rfm_summarize(rfm, segments, &count);
    cli_verbose(options, "%-20s %10s %7s %10s %10s %12s", "segment", "customers", "share",
                "recency", "frequency", "monetary");
    for (size_t i = 0; i < count; i++) {
        const fimbit_rfm_segment_summary *s = &segments[i];
        cli_verbose(options, "%-20s %10llu %6.2f%% %10.1f %10.2f %12.2f",
                    s->segment[0] ? s->segment : "-", (unsigned long long)s->customers,
                    100.0 * s->share, s->mean_recency, s->mean_frequency, s->mean_monetary);
    }
}

int cli_run_rfm(const cli_options *options)
{
    const char *const *paths;
    size_t path_count = cli_input_paths(options, "order lines", &paths);
    fimbit_error error = {0};
    fimbit_rfm *rfm = NULL;
    double start = cli_now();
    fimbit_status status = fimbit_rfm_compute(paths, path_count, &options->rfm, &rfm, &error);
    if (status == FIMBIT_OK) {
        fimbit_rfm_stats stats;
        fimbit_rfm_get_stats(rfm, &stats);
        if (stats.rows_without_customer > 0)
            cli_warn(options, "skipped %llu of %llu rows without a customer",
                     (unsigned long long)stats.rows_without_customer,
                     (unsigned long long)stats.rows);
        cli_verbose(options, "rfm    %8.3f s  %llu customers from %llu rows, latest %s, as of %s",
                    cli_now() - start, (unsigned long long)stats.customers,
                    (unsigned long long)stats.rows, stats.latest[0] ? stats.latest : "-",
                    stats.as_of);
        start = cli_now();
        status = fimbit_rfm_write(rfm, options->format, options->output, &error);
    }
    if (status == FIMBIT_OK) {
        cli_verbose_written(options, start);
        print_summary(options, rfm);
    }
    cli_verbose_peak_memory(options);
    fimbit_rfm_free(rfm);
    return cli_report_failure(options, status, &error);
}
