/* `fimbit report`: one self-contained HTML page (inline CSS, SVG and a small
 * script; nothing fetched from the network) describing a dataset and its
 * strongest rules. */
#ifndef FIMBIT_CLI_HTML_REPORT_H
#define FIMBIT_CLI_HTML_REPORT_H

#include <stdio.h>

#include "dataset_info.h"
#include "fimbit.h"

typedef struct html_report {
    const char *title;              /* what was read, e.g. the input's file name */
    const fimbit_dataset *dataset;
    const dataset_info *info;       /* statistics, histogram, most frequent items */
    const fimbit_rules *rules;      /* ordered best first by `ranked_by` */
    fimbit_measure ranked_by;       /* FIMBIT_MEASURE_CONFIDENCE: by strength */
    uint32_t measures;              /* extra measures (FIMBIT_MEASURE_BIT) given columns */
    size_t shown;                   /* the first `shown` rules are plotted and listed */
    uint64_t min_count;             /* the support threshold, in baskets */
    const fimbit_rule_options *rule; /* what was mined: thresholds, filters, constraints */
    const char *made;                /* when, e.g. "2026-12-07 19:30 UTC" */
} html_report;

/* Writes the page to `out`. Write errors are left for the caller to detect
 * when it flushes and closes `out`. */
void cli_write_html_report(FILE *out, const html_report *report);

/* The pages of `fimbit report --group`: one per group, each written by
 * cli_write_html_report. */
typedef struct html_group_pages {
    const char *title;             /* what was read */
    const char *const *names;      /* the groups, in order */
    const char *const *pages;      /* their pages, NUL-terminated */
    size_t count;
} html_group_pages;

/* Writes one page that holds every group's page (each in a frame of its own,
 * inline, so their scripts and ids stay apart) and a list at the top that
 * shows one of them; "#group=NAME" in the address opens that group. Write
 * errors are left to the caller, as for cli_write_html_report. */
void cli_write_html_group_pages(FILE *out, const html_group_pages *book);

#endif /* FIMBIT_CLI_HTML_REPORT_H */
