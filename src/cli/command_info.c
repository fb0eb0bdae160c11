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

static void write_text(FILE *out, const fimbit_dataset *dataset, const dataset_info *info)
{
    const fimbit_dataset_stats *s = &info->stats;
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

static void write_csv(FILE *out, const fimbit_dataset *dataset, const dataset_info *info)
{
    const fimbit_dataset_stats *s = &info->stats;
    fputs("section,key,value,share\n", out);
    fprintf(out, "stats,baskets,%" PRIu64 ",\n", s->baskets);
    fprintf(out, "stats,empty_baskets,%" PRIu64 ",\n", s->empty_baskets);
    fprintf(out, "stats,distinct_items,%" PRIu32 ",\n", s->items);
    fprintf(out, "stats,total_items,%" PRIu64 ",\n", s->total_items);
    fprintf(out, "stats,avg_basket_size,%.17g,\n", s->avg_basket_size);
    fprintf(out, "stats,max_basket_size,%" PRIu64 ",\n", s->max_basket_size);
    fprintf(out, "stats,density,%.17g,\n", s->density);
    for (size_t i = 0; i < info->bin_count; i++) {
        const length_bin *bin = &info->bins[i];
        if (bin->baskets == 0)
            continue;
        char label[48];
        cli_length_bin_label(bin, label, sizeof label);
        fprintf(out, "length,%s,%" PRIu64 ",%.17g\n", label, bin->baskets,
                cli_share(bin->baskets, s->baskets));
    }
    for (size_t i = 0; i < info->top_count; i++) {
        fputs("top_item,", out);
        write_csv_field(out, fimbit_dataset_item_name(dataset, info->top[i].item));
        fprintf(out, ",%" PRIu64 ",%.17g\n", info->top[i].count,
                cli_share(info->top[i].count, s->baskets));
    }
}

static void write_jsonl(FILE *out, const fimbit_dataset *dataset, const dataset_info *info)
{
    const fimbit_dataset_stats *s = &info->stats;
    fprintf(out,
            "{\"baskets\":%" PRIu64 ",\"empty_baskets\":%" PRIu64 ",\"distinct_items\":%" PRIu32
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

int cli_run_info(const cli_options *options)
{
    fimbit_error error = {0};
    fimbit_dataset *dataset = NULL;
    dataset_info info = {0};

    fimbit_status status = cli_read_dataset(options, &dataset, &error);
    if (status == FIMBIT_OK)
        status = cli_dataset_info_gather(dataset, INFO_TOP_ITEMS, &info, &error);
    if (status == FIMBIT_OK) {
        double start = cli_now();
        cli_output output;
        status = cli_output_open(&output, options->output, &error);
        if (status == FIMBIT_OK) {
            if (options->format == FIMBIT_FORMAT_CSV)
                write_csv(output.file, dataset, &info);
            else if (options->format == FIMBIT_FORMAT_JSONL)
                write_jsonl(output.file, dataset, &info);
            else
                write_text(output.file, dataset, &info);
            status = cli_output_commit(&output, &error);
        }
        if (status == FIMBIT_OK)
            cli_verbose(options, "write  %8.3f s  to %s", cli_now() - start,
                        options->output != NULL ? options->output : "standard output");
    }
    cli_verbose_peak_memory(options);

    cli_dataset_info_release(&info);
    fimbit_dataset_free(dataset);
    return cli_report_failure(options, status, &error);
}
