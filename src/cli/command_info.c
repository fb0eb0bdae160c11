/*
 * fimbit info: the dataset's statistics, basket-length histogram and most
 * frequent items, as aligned text, CSV (section,key,value,share) or one JSON
 * object. Formatted here because the library has no writer for them.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "dataset_info.h"
#include "input.h"
#include "json.h"
#include "output_file.h"
#include "report.h"

#define INFO_TOP_ITEMS 10

/* Text: with a group, its name heads the block. */
static void write_text(FILE *out, const char *group, const fimbit_dataset *dataset,
                       const dataset_info *info)
{
    const fimbit_dataset_stats *s = &info->stats;
    if (group != NULL)
        fprintf(out, "group             %s\n", group);
    fprintf(out, "baskets           %" PRIu64 "\n", s->baskets);
    fprintf(out, "empty baskets     %" PRIu64 "\n", s->empty_baskets);
    fprintf(out, "distinct items    %" PRIu32 "\n", s->items);
    fprintf(out, "total items       %" PRIu64 "\n", s->total_items);
    fprintf(out, "average length    %.4f\n", s->avg_basket_size);
    fprintf(out, "max length        %" PRIu64 "\n", s->max_basket_size);
    fprintf(out, "density           %.6f\n", s->density);

    fputs("\nbasket length      baskets    share\n", out);
    for (size_t i = 0; i < info->bin_count; i++) {
        const length_bin *bin = &info->bins[i];
        if (bin->baskets == 0)
            continue;
        char label[48];
        cli_length_bin_label(bin, label, sizeof label);
        fprintf(out, "%13s %12" PRIu64 " %7.2f%%\n", label, bin->baskets,
                100.0 * cli_share(bin->baskets, s->baskets));
    }

    int width = 4; /* "item" */
    for (size_t i = 0; i < info->top_count; i++) {
        int length = (int)strlen(fimbit_dataset_item_name(dataset, info->top[i].item));
        if (length > width)
            width = length;
    }
    fprintf(out, "\ntop items\n  %-*s %12s  %7s\n", width, "item", "count", "support");
    for (size_t i = 0; i < info->top_count; i++)
        fprintf(out, "  %-*s %12" PRIu64 " %7.2f%%\n", width,
                fimbit_dataset_item_name(dataset, info->top[i].item), info->top[i].count,
                100.0 * cli_share(info->top[i].count, s->baskets));
}

/* RFC 4180: quote a field holding a separator, quote or line break. */
static void write_csv_field(FILE *out, const char *text)
{
    if (strpbrk(text, ",\"\r\n") == NULL) {
        fputs(text, out);
        return;
    }
    putc('"', out);
    for (const char *p = text; *p != '\0'; p++) {
        if (*p == '"')
            putc('"', out);
        putc(*p, out);
    }
    putc('"', out);
}

/* A CSV row's first field when rows carry a group. */
static void write_csv_group(FILE *out, const char *group)
{
    if (group == NULL)
        return;
    write_csv_field(out, group);
    putc(',', out);
}

/* CSV rows (the header is the caller's); with a group, it is every row's
 * first field. */
static void write_csv(FILE *out, const char *group, const fimbit_dataset *dataset,
                      const dataset_info *info)
{
    const fimbit_dataset_stats *s = &info->stats;
    /* A count, or (count < 0) a real number. */
    const struct {
        const char *key;
        int64_t count;
        double value;
    } stats[] = {
        {"baskets", (int64_t)s->baskets, 0},
        {"empty_baskets", (int64_t)s->empty_baskets, 0},
        {"distinct_items", (int64_t)s->items, 0},
        {"total_items", (int64_t)s->total_items, 0},
        {"avg_basket_size", -1, s->avg_basket_size},
        {"max_basket_size", (int64_t)s->max_basket_size, 0},
        {"density", -1, s->density},
    };
    for (size_t i = 0; i < sizeof stats / sizeof stats[0]; i++) {
        write_csv_group(out, group);
        if (stats[i].count >= 0)
            fprintf(out, "stats,%s,%" PRId64 ",\n", stats[i].key, stats[i].count);
        else
            fprintf(out, "stats,%s,%.17g,\n", stats[i].key, stats[i].value);
    }
    for (size_t i = 0; i < info->bin_count; i++) {
        const length_bin *bin = &info->bins[i];
        if (bin->baskets == 0)
            continue;
        char label[48];
        cli_length_bin_label(bin, label, sizeof label);
        write_csv_group(out, group);
        fprintf(out, "length,%s,%" PRIu64 ",%.17g\n", label, bin->baskets,
                cli_share(bin->baskets, s->baskets));
    }
    for (size_t i = 0; i < info->top_count; i++) {
        write_csv_group(out, group);
        fputs("top_item,", out);
        write_csv_field(out, fimbit_dataset_item_name(dataset, info->top[i].item));
        fprintf(out, ",%" PRIu64 ",%.17g\n", info->top[i].count,
                cli_share(info->top[i].count, s->baskets));
    }
}

/* One JSON object; with a group, "group" is its first key. */
static void write_jsonl(FILE *out, const char *group, const fimbit_dataset *dataset,
                        const dataset_info *info)
{
    const fimbit_dataset_stats *s = &info->stats;
    putc('{', out);
    if (group != NULL) {
        fputs("\"group\":", out);
        cli_write_json_string(out, group);
        putc(',', out);
    }
    fprintf(out,
            "\"baskets\":%" PRIu64 ",\"empty_baskets\":%" PRIu64 ",\"distinct_items\":%" PRIu32
            ",\"total_items\":%" PRIu64 ",\"avg_basket_size\":%.17g,\"max_basket_size\":%" PRIu64
            ",\"density\":%.17g,\"length_histogram\":[",
            s->baskets, s->empty_baskets, s->items, s->total_items, s->avg_basket_size,
            s->max_basket_size, s->density);
    const char *comma = "";
    for (size_t i = 0; i < info->bin_count; i++) {
        const length_bin *bin = &info->bins[i];
        if (bin->baskets == 0)
            continue;
        /* "length" is the bin's shortest basket; a range adds its longest. */
        fprintf(out, "%s{\"length\":%" PRIu64, comma, bin->shortest);
        if (bin->longest != bin->shortest)
            fprintf(out, ",\"max_length\":%" PRIu64, bin->longest);
        fprintf(out, ",\"baskets\":%" PRIu64 "}", bin->baskets);
        comma = ",";
    }
    fputs("],\"top_items\":[", out);
    for (size_t i = 0; i < info->top_count; i++) {
        fputs(i == 0 ? "{\"item\":" : ",{\"item\":", out);
        cli_write_json_string(out, fimbit_dataset_item_name(dataset, info->top[i].item));
        fprintf(out, ",\"count\":%" PRIu64 ",\"support\":%.17g}", info->top[i].count,
                cli_share(info->top[i].count, s->baskets));
    }
    fputs("]}\n", out);
}

/* Gathers one dataset's info and writes it in the chosen format. */
static fimbit_status write_info(FILE *out, const cli_options *options, const char *group,
                                const fimbit_dataset *dataset, fimbit_error *error)
{
    dataset_info info = {0};
    fimbit_status status = cli_dataset_info_gather(dataset, INFO_TOP_ITEMS, &info, error);
    if (status != FIMBIT_OK)
        return status;
    if (options->format == FIMBIT_FORMAT_CSV)
        write_csv(out, group, dataset, &info);
    else if (options->format == FIMBIT_FORMAT_JSONL)
        write_jsonl(out, group, dataset, &info);
    else
        write_text(out, group, dataset, &info);
    cli_dataset_info_release(&info);
    return FIMBIT_OK;
}

/* The input as one dataset, or with --group, every group after the other. */
static fimbit_status write_all_info(FILE *out, const cli_options *options,
                                    const fimbit_dataset *dataset, const fimbit_groups *groups,
                                    fimbit_error *error)
{
    if (options->format == FIMBIT_FORMAT_CSV)
        fputs(groups != NULL ? "group,section,key,value,share\n" : "section,key,value,share\n",
              out);
    if (groups == NULL)
        return write_info(out, options, NULL, dataset, error);
    fimbit_status status = FIMBIT_OK;
    for (size_t g = 0; g < fimbit_groups_count(groups) && status == FIMBIT_OK; g++) {
        if (g > 0 && options->format == FIMBIT_FORMAT_TEXT)
            putc('\n', out);
        status = write_info(out, options, fimbit_groups_name(groups, g),
                            fimbit_groups_dataset(groups, g), error);
    }
    return status;
}

int cli_run_info(const cli_options *options)
{
    fimbit_error error = {0};
    fimbit_dataset *dataset = NULL;
    fimbit_groups *groups = NULL;

    fimbit_status status = options->group_column != NULL
                               ? cli_read_groups(options, &groups, &error)
                               : cli_read_dataset(options, &dataset, &error);
    if (status == FIMBIT_OK) {
        double start = cli_now();
        cli_output output;
        status = cli_output_open(&output, options->output, &error);
        if (status == FIMBIT_OK) {
            status = write_all_info(output.file, options, dataset, groups, &error);
            status = cli_output_finish(&output, status, &error);
        }
        if (status == FIMBIT_OK)
            cli_verbose_written(options, start);
    }
    cli_verbose_peak_memory(options);

    fimbit_groups_free(groups);
    fimbit_dataset_free(dataset);
    return cli_report_failure(options, status, &error);
}
