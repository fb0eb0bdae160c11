/*
 * The HTML report. Everything is drawn here, in C, as inline SVG, so the page
 * shows its charts without any script; the small script at the end only adds
 * the rule tooltip, table sorting and filtering. Nothing refers to anything
 * outside the file: no fonts, stylesheets, scripts or images are fetched.
 */
#include "html_report.h"

#include <inttypes.h>
#include <math.h>
#include <stdbool.h>
#include <string.h>

/* Writes the first `length` bytes of `text` with the five characters HTML
 * gives meaning escaped. */
static void write_escaped_bytes(FILE *out, const char *text, size_t length)
{
    for (const char *p = text; p < text + length; p++) {
        switch (*p) {
        case '&': fputs("&amp;", out); break;
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '"': fputs("&quot;", out); break;
        case '\'': fputs("&#39;", out); break;
        default: putc(*p, out); break;
        }
    }
}

static void write_escaped(FILE *out, const char *text)
{
    write_escaped_bytes(out, text, strlen(text));
}

/* Writes `text` escaped; past `most` characters, only its first `keep` and an
 * ellipsis. Characters are UTF-8 sequences, so a cut never splits one. */
static void write_shortened(FILE *out, const char *text, size_t most, size_t keep)
{
    size_t characters = 0, cut = 0;
    for (size_t i = 0; text[i] != '\0'; i++) {
        if (((unsigned char)text[i] & 0xc0) == 0x80)
            continue; /* a continuation byte */
        if (characters == keep)
            cut = i;
        characters++;
    }
    if (characters <= most) {
        write_escaped(out, text);
        return;
    }
    write_escaped_bytes(out, text, cut);
    fputs("\xe2\x80\xa6", out);
}

/* Writes "a, b, c": the items of one side of a rule. */
static void write_items(FILE *out, const fimbit_dataset *dataset, const uint32_t *items,
                        uint32_t size)
{
    for (uint32_t i = 0; i < size; i++) {
        if (i > 0)
            fputs(", ", out);
        write_escaped(out, fimbit_dataset_item_name(dataset, items[i]));
    }
}

/* A step of 1, 2 or 5 times a power of ten that cuts `range` into about
 * `parts` intervals: the ticks people expect on an axis. */
static double nice_step(double range, int parts)
{
    if (!(range > 0))
        return 1;
    double raw = range / parts;
    double power = pow(10, floor(log10(raw)));
    double fraction = raw / power;
    double nice = fraction < 1.5 ? 1 : fraction < 3.5 ? 2 : fraction < 7.5 ? 5 : 10;
    return nice * power;
}

/* The viridis colour map at t in [0, 1], by linear steps between 5 stops:
 * readable for colour-blind eyes and in grey. */
static void lift_colour(double t, char out[8])
{
    static const unsigned char stops[5][3] = {
        {68, 1, 84}, {59, 82, 139}, {33, 145, 140}, {94, 201, 98}, {253, 231, 37}};
    if (!(t > 0))
        t = 0;
    if (t > 1)
        t = 1;
    double at = t * 4;
    int low = at >= 4 ? 3 : (int)at;
    double f = at - low;
    int rgb[3];
    for (int c = 0; c < 3; c++)
        rgb[c] = (int)lround(stops[low][c] + f * (stops[low + 1][c] - stops[low][c]));
    snprintf(out, 8, "#%02x%02x%02x", rgb[0], rgb[1], rgb[2]);
}

static const char style[] =
    "<style>\n"
    ":root{--ink:#1f2430;--muted:#5b6475;--line:#e3e6ec;--panel:#fff;--bg:#f5f6f9;"
    "--accent:#3b528b}\n"
    "*{box-sizing:border-box}\n"
    "body{margin:0;background:var(--bg);color:var(--ink);font:14px/1.45 system-ui,-apple-system,"
    "'Segoe UI',Roboto,'Helvetica Neue',Arial,sans-serif}\n"
    "header{background:var(--ink);color:#fff;padding:22px 32px}\n"
    "header h1{margin:0;font-size:22px;font-weight:600}\n"
    "header p{margin:4px 0 0;color:#c5cad6}\n"
    "main{max-width:1200px;margin:0 auto;padding:24px 32px 48px}\n"
    ".cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:12px}\n"
    ".card{background:var(--panel);border:1px solid var(--line);border-radius:8px;padding:12px 16px}\n"
    ".card b{display:block;font-size:22px;font-weight:600}\n"
    ".card span{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.04em}\n"
    ".grid{display:grid;grid-template-columns:1fr 1fr;gap:16px;margin-top:16px}\n"
    "@media(max-width:900px){.grid{grid-template-columns:1fr}}\n"
    "section,figure{background:var(--panel);border:1px solid var(--line);border-radius:8px;"
    "padding:16px 20px;margin:16px 0 0}\n"
    ".grid figure{margin:0}\n"
    "h2{font-size:16px;margin:0 0 8px;font-weight:600}\n"
    ".note{color:var(--muted);margin:0 0 8px}\n"
    "svg{width:100%;height:auto;display:block}\n"
    "svg text{font:11px system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;fill:var(--ink)}\n"
    "svg .axis{stroke:#9aa3b5;stroke-width:1}\n"
    "svg .grid-line{stroke:var(--line);stroke-width:1}\n"
    "svg .bar{fill:var(--accent)}\n"
    "svg .bar:hover{fill:#21918c}\n"
    "svg circle{stroke:#1f2430;stroke-opacity:.35;stroke-width:.6;cursor:pointer}\n"
    "svg circle:hover,svg circle.on{stroke-opacity:1;stroke-width:2}\n"
    "#tip{position:fixed;pointer-events:none;background:var(--ink);color:#fff;padding:6px 9px;"
    "border-radius:5px;font-size:12px;max-width:420px;display:none;z-index:9}\n"
    ".tools{display:flex;gap:12px;align-items:center;margin:0 0 10px}\n"
    ".tools[hidden]{display:none}\n"
    ".tools input{flex:0 1 320px;padding:6px 10px;border:1px solid var(--line);border-radius:6px;"
    "font:inherit}\n"
    "table{width:100%;border-collapse:collapse;font-variant-numeric:tabular-nums}\n"
    "th,td{padding:6px 8px;border-bottom:1px solid var(--line);text-align:left}\n"
    "th{position:sticky;top:0;background:#fafbfc;white-space:nowrap}\n"
    "th[tabindex]{cursor:pointer;user-select:none}\n"
    "th.num,td.num{text-align:right}\n"
    /* A long name wraps rather than widening the table past the page. */
    "td{overflow-wrap:anywhere}td.num{white-space:nowrap}\n"
    "th[aria-sort=ascending]::after{content:' \\25B2'}"
    "th[aria-sort=descending]::after{content:' \\25BC'}\n"
    "tbody tr:hover{background:#f0f3fa}\n"
    ".scroll{max-height:640px;overflow:auto;border:1px solid var(--line);border-radius:6px}\n"
    "footer{color:var(--muted);text-align:center;margin-top:24px;font-size:12px}\n"
    /* On paper: every listed rule (no scroll box), dark text on white, no filter box. */
    "@media print{body{background:#fff}header{background:none;color:var(--ink);padding:0 0 8px}"
    "header p{color:var(--muted)}main{padding:0}.scroll{max-height:none;overflow:visible;"
    "border:0}th{position:static}.tools{display:none}figure,tr{break-inside:avoid}}\n"
    "</style>\n";

static void write_card(FILE *out, const char *label, const char *value)
{
    fprintf(out, "<div class=\"card\"><b>%s</b><span>%s</span></div>\n", value, label);
}

static void write_summary(FILE *out, const html_report *report)
{
    const fimbit_dataset_stats *s = &report->info->stats;
    char value[64];
    fputs("<div class=\"cards\">\n", out);
    snprintf(value, sizeof value, "%" PRIu64, s->baskets);
    write_card(out, "baskets", value);
    snprintf(value, sizeof value, "%" PRIu32, s->items);
    write_card(out, "distinct items", value);
    snprintf(value, sizeof value, "%.2f", s->avg_basket_size);
    write_card(out, "average basket", value);
    snprintf(value, sizeof value, "%" PRIu64, s->max_basket_size);
    write_card(out, "longest basket", value);
    snprintf(value, sizeof value, "%g", s->density); /* as fimbit info prints it */
    write_card(out, "density", value);
    fprintf(out, "<div class=\"card\"><b id=\"rule-count\">%zu</b><span>strong rules</span>"
                 "</div>\n</div>\n",
            fimbit_rules_count(report->rules));
}

/* The two charts side by side share a height: the item chart's, which
 * grows with the number of items (at least 300). */
#define ITEM_BAR_HEIGHT 18.0
#define ITEM_BAR_GAP 5.0
#define ITEM_CHART_TOP 8.0

static double side_chart_height(const dataset_info *info)
{
    double height = ITEM_CHART_TOP + info->top_count * (ITEM_BAR_HEIGHT + ITEM_BAR_GAP) + 8;
    return height > 300 ? height : 300;
}

/* The most frequent items as horizontal bars, most frequent on top. */
static void write_item_chart(FILE *out, const html_report *report)
{
    const dataset_info *info = report->info;
    const double label_width = 170, width = 560, bar_height = ITEM_BAR_HEIGHT;
    const double gap = ITEM_BAR_GAP, top = ITEM_CHART_TOP;
    double plot = width - label_width - 60;
    uint64_t most = info->top_count > 0 ? info->top[0].count : 1;
    double height = side_chart_height(info);

    fputs("<figure><h2>Most frequent items</h2>\n", out);
    if (info->top_count == 0) {
        fputs("<p class=\"note\">The dataset holds no items.</p></figure>\n", out);
        return;
    }
    fprintf(out, "<p class=\"note\">Share of baskets holding each of the %zu most frequent items.</p>\n",
            info->top_count);
    fprintf(out,
            "<svg id=\"items\" viewBox=\"0 0 %.0f %.0f\" role=\"img\" aria-label=\"Bars "
            "of the most frequent items\">\n",
            width, height);
    for (size_t i = 0; i < info->top_count; i++) {
        const char *name = fimbit_dataset_item_name(report->dataset, info->top[i].item);
        double y = top + i * (bar_height + gap);
        double length = plot * (double)info->top[i].count / (double)most;
        double share = 100 * cli_share(info->top[i].count, info->stats.baskets);
        fprintf(out, "<text x=\"%.0f\" y=\"%.1f\" text-anchor=\"end\">", label_width - 8,
                y + bar_height * 0.72);
        /* Long names are cut with an ellipsis; the tooltip has them whole. */
        write_shortened(out, name, 26, 24);
        fputs("</text>", out);
        fprintf(out, "<rect class=\"bar\" x=\"%.0f\" y=\"%.1f\" width=\"%.1f\" height=\"%.0f\" "
                     "rx=\"2\"><title>",
                label_width, y, length > 1 ? length : 1, bar_height);
        write_escaped(out, name);
        fprintf(out, ": %" PRIu64 " baskets (%.2f%%)</title></rect>", info->top[i].count, share);
        fprintf(out, "<text x=\"%.1f\" y=\"%.1f\">%.1f%%</text>\n", label_width + length + 6,
                y + bar_height * 0.72, share);
    }
    fputs("</svg></figure>\n", out);
}

/* Writes the horizontal grid lines of a y axis from `low` (at y0) to `high`
 * (at y1), at least `least_step` apart (1 for counts, which have no ticks
 * between integers), labelled with value * label_scale in `format`. */
static void write_y_axis(FILE *out, double left, double right, double y0, double y1, double low,
                         double high, double least_step, double label_scale, const char *format)
{
    double step = nice_step(high - low, 5);
    if (step < least_step)
        step = least_step;
    for (double v = ceil(low / step) * step; v <= high + step * 1e-9; v += step) {
        double y = y0 - (v - low) / (high - low) * (y0 - y1);
        fprintf(out, "<line class=\"grid-line\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\"/>",
                left, right, y, y);
        fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">", left - 6, y + 4);
        fprintf(out, format, v * label_scale);
        fputs("</text>\n", out);
    }
}

/* The rows of bar labels under the length chart: one while the widest label
 * fits under its bar, else up to 3 staggered rows (each label then has that
 * many bars' width), and past that only every *every-th bar labelled. */
#define LENGTH_LABEL_ROWS_MAX 3

static size_t length_label_rows(const dataset_info *info, double slot, size_t *every)
{
    size_t widest = 0;
    for (size_t i = 0; i < info->bin_count; i++) {
        char label[48];
        cli_length_bin_label(&info->bins[i], label, sizeof label);
        if (strlen(label) > widest)
            widest = strlen(label);
    }
    /* A character of the 11px axis font is at most about 6.5 units wide. */
    size_t slots = (size_t)ceil((6.5 * (double)widest + 4) / slot);
    size_t rows = slots < 1 ? 1 : slots > LENGTH_LABEL_ROWS_MAX ? LENGTH_LABEL_ROWS_MAX : slots;
    *every = (slots + rows - 1) / rows;
    if (*every < 1)
        *every = 1;
    return rows;
}

/* Baskets by length, as vertical bars: the bins `info` prints. */
static void write_length_chart(FILE *out, const html_report *report)
{
    const dataset_info *info = report->info;
    const double width = 560, left = 56, right = 12, top = 12, label_row = 12;
    double slot = (width - left - right) / (double)info->bin_count;
    size_t label_every;
    size_t label_rows = length_label_rows(info, slot, &label_every);
    double bottom = 28 + label_row * (double)label_rows;
    double height = side_chart_height(info);
    uint64_t most = 1;
    for (size_t i = 0; i < info->bin_count; i++)
        if (info->bins[i].baskets > most)
            most = info->bins[i].baskets;
    double high = (double)most * 1.08, y0 = height - bottom;

    fputs("<figure><h2>Basket lengths</h2>\n", out);
    if (info->bin_count > CLI_EXACT_LENGTHS + 1)
        fprintf(out, "<p class=\"note\">Baskets by number of items; past %d, a bar per range "
                     "of lengths.</p>\n", CLI_EXACT_LENGTHS);
    else
        fputs("<p class=\"note\">Baskets by number of items.</p>\n", out);
    fprintf(out,
            "<svg id=\"lengths\" viewBox=\"0 0 %.0f %.0f\" role=\"img\" aria-label=\"Bars "
            "of baskets by length\">\n",
            width, height);
    write_y_axis(out, left, width - right, y0, top, 0, high, 1, 1, "%.0f");
    for (size_t i = 0; i < info->bin_count; i++) {
        const length_bin *bin = &info->bins[i];
        char label[48];
        cli_length_bin_label(bin, label, sizeof label);
        double bar = (double)bin->baskets / high * (y0 - top);
        double x = left + i * slot;
        fprintf(out, "<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\">"
                     "<title>%s items: %" PRIu64 " baskets (%.2f%%)</title></rect>",
                x + slot * 0.1, y0 - bar, slot * 0.8, bar, label, bin->baskets,
                100 * cli_share(bin->baskets, info->stats.baskets));
        if (i % label_every == 0)
            fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>",
                    x + slot / 2, y0 + 15 + label_row * (double)(i / label_every % label_rows),
                    label);
        putc('\n', out);
    }
    fprintf(out, "<line class=\"axis\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\"/>", left,
            width - right, y0, y0);
    fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">items in the basket</text>\n",
            (left + width - right) / 2, height - 6);
    fputs("</svg></figure>\n", out);
}

/* The range of lift over the shown rules, for the colour scale. */
static void lift_range(const html_report *report, double *low, double *high)
{
    *low = INFINITY;
    *high = -INFINITY;
    for (size_t i = 0; i < report->shown; i++) {
        fimbit_rule rule;
        fimbit_rules_get(report->rules, i, &rule);
        if (rule.lift < *low)
            *low = rule.lift;
        if (rule.lift > *high)
            *high = rule.lift;
    }
    if (report->shown == 0)
        *low = *high = 1;
}

/* Writes which rules are plotted and listed: "all N", "the N strongest" or
 * "the N best by M". */
static void write_shown(FILE *out, const html_report *report)
{
    if (report->shown == fimbit_rules_count(report->rules))
        fprintf(out, "all %zu", report->shown);
    else if (report->ranked_by == FIMBIT_MEASURE_CONFIDENCE)
        fprintf(out, "the %zu strongest", report->shown);
    else
        fprintf(out, "the %zu best by %s", report->shown, fimbit_measure_name(report->ranked_by));
}

/* Support on x, confidence on y, a dot per rule coloured by lift. Support is
 * drawn on a log scale from the threshold up: most rules sit just above the
 * threshold and a few run far beyond it. */
static void write_scatter(FILE *out, const html_report *report)
{
    const double width = 1100, height = 440, left = 64, right = 150, top = 16, bottom = 44;
    double x_low = cli_share(report->min_count, report->info->stats.baskets), x_high = x_low;
    double y_low = report->rule->min_confidence, lift_low, lift_high;
    for (size_t i = 0; i < report->shown; i++) {
        fimbit_rule rule;
        fimbit_rules_get(report->rules, i, &rule);
        if (rule.support > x_high)
            x_high = rule.support;
        if (rule.support < x_low)
            x_low = rule.support;
        if (rule.confidence < y_low)
            y_low = rule.confidence;
    }
    lift_range(report, &lift_low, &lift_high);
    if (!(x_low > 0))
        x_low = 1e-6;
    x_low /= 1.15;
    x_high = x_high * 1.15 > x_low * 2 ? x_high * 1.15 : x_low * 2;
    double log_low = log(x_low), log_span = log(x_high) - log_low;
    y_low = floor(y_low * 20) / 20; /* down to a multiple of 5% */
    if (y_low >= 1)
        y_low = 0.95;
    double x0 = left, x1 = width - right, y0 = height - bottom, y1 = top;

    fputs("<section><h2>Rules: support \xc3\x97 confidence</h2>\n", out);
    fputs("<p class=\"note\">A dot per rule (", out);
    write_shown(out, report);
    fputs("), coloured by lift; hover one to see its rule. Support on a log scale.</p>\n", out);
    fprintf(out,
            "<svg id=\"scatter\" viewBox=\"0 0 %.0f %.0f\" role=\"img\" aria-label=\"Rules "
            "plotted by support and confidence, coloured by lift\">\n",
            width, height);
    write_y_axis(out, x0, x1, y0, y1, y_low, 1, 0, 100, "%.0f%%");
    /* Ticks at 1, 2 and 5 times the powers of ten inside the range. */
    for (double decade = pow(10, floor(log10(x_low))); decade <= x_high; decade *= 10) {
        static const double steps[] = {1, 2, 5};
        for (int i = 0; i < 3; i++) {
            double v = decade * steps[i];
            if (v < x_low || v > x_high)
                continue;
            double x = x0 + (log(v) - log_low) / log_span * (x1 - x0);
            fprintf(out, "<line class=\"grid-line\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" "
                         "y2=\"%.1f\"/><text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">"
                         "%.3g%%</text>\n",
                    x, x, y0, y1, x, y0 + 16, v * 100);
        }
    }
    fprintf(out, "<line class=\"axis\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\"/>", x0, x1,
            y0, y0);
    fprintf(out, "<line class=\"axis\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\"/>\n", x0,
            x0, y0, y1);
    fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">support (share of baskets, log scale)"
                 "</text>\n",
            (x0 + x1) / 2, height - 6);
    fprintf(out, "<text transform=\"translate(14 %.1f) rotate(-90)\" text-anchor=\"middle\">"
                 "confidence</text>\n",
            (y0 + y1) / 2);

    /* Weakest first, so the strongest dots end on top. */
    for (size_t n = report->shown; n-- > 0;) {
        fimbit_rule rule;
        fimbit_rules_get(report->rules, n, &rule);
        char colour[8];
        lift_colour(lift_high > lift_low ? (rule.lift - lift_low) / (lift_high - lift_low) : 0.5,
                    colour);
        double x = x0 + (log(rule.support) - log_low) / log_span * (x1 - x0);
        double y = y0 - (rule.confidence - y_low) / (1 - y_low) * (y0 - y1);
        fprintf(out, "<circle data-i=\"%zu\" cx=\"%.1f\" cy=\"%.1f\" r=\"4.5\" fill=\"%s\">"
                     "<title>",
                n, x, y, colour);
        write_items(out, report->dataset, rule.antecedent, rule.antecedent_size);
        fputs(" \xe2\x86\x92 ", out);
        write_items(out, report->dataset, rule.consequent, rule.consequent_size);
        fprintf(out, "</title></circle>\n");
    }

    /* The lift legend: a gradient bar with its ends labelled. */
    double lx = x1 + 40, ly0 = y1 + 20, ly1 = y0 - 20;
    fputs("<defs><linearGradient id=\"lift-scale\" x1=\"0\" y1=\"1\" x2=\"0\" y2=\"0\">", out);
    for (int i = 0; i <= 4; i++) {
        char colour[8];
        lift_colour(i / 4.0, colour);
        fprintf(out, "<stop offset=\"%d%%\" stop-color=\"%s\"/>", i * 25, colour);
    }
    fputs("</linearGradient></defs>\n", out);
    fprintf(out, "<text x=\"%.1f\" y=\"%.1f\">lift</text>", lx, ly0 - 8);
    fprintf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"14\" height=\"%.1f\" "
                 "fill=\"url(#lift-scale)\" rx=\"2\"/>",
            lx, ly0, ly1 - ly0);
    fprintf(out, "<text x=\"%.1f\" y=\"%.1f\">%.3g</text>", lx + 20, ly0 + 10, lift_high);
    fprintf(out, "<text x=\"%.1f\" y=\"%.1f\">%.3g</text>\n", lx + 20, ly1, lift_low);
    fputs("</svg></section>\n", out);
}

/* The cells of the extra measures, in fimbit_measure order. */
static void write_measure_cells(FILE *out, const fimbit_rule *rule, uint32_t measures)
{
    for (unsigned m = 0; m <= FIMBIT_MEASURE_P_VALUE; m++) {
        if (!(measures & FIMBIT_MEASURE_BIT(m)))
            continue;
        double value = fimbit_rule_measure(rule, (fimbit_measure)m);
        if (isnan(value))
            fputs("<td class=\"num\"></td>", out);
        else
            fprintf(out, "<td class=\"num\" data-v=\"%.17g\">%.4g</td>", value, value);
    }
}

static void write_table(FILE *out, const html_report *report)
{
    size_t total = fimbit_rules_count(report->rules);
    const char *measure = fimbit_measure_name(report->ranked_by);
    bool by_strength = report->ranked_by == FIMBIT_MEASURE_CONFIDENCE;
    fputs("<section><h2>Strongest rules</h2>\n", out);
    if (report->shown < total && by_strength)
        fprintf(out,
                "<p class=\"note\">The %zu strongest of %zu rules (by confidence, then lift, "
                "then count).",
                report->shown, total);
    else if (report->shown < total)
        fprintf(out, "<p class=\"note\">The %zu best of %zu rules by %s.", report->shown, total,
                measure);
    else if (by_strength)
        fputs("<p class=\"note\">Every strong rule, strongest first.", out);
    else
        fprintf(out, "<p class=\"note\">Every strong rule, best first by %s.", measure);
    if (report->shown < total)
        fputs(" <code>--top N</code> lists more; <code>fimbit rules -f csv</code> writes every "
              "one.",
              out);
    fputs("</p>\n", out);
    /* Hidden until the script that makes them work shows them. */
    fprintf(out,
            "<div class=\"tools\" hidden><input id=\"filter\" type=\"search\" "
            "placeholder=\"Filter by item\" aria-label=\"Filter rules by item\">"
            "<span class=\"note\"><span id=\"visible\">%zu</span> shown; click a column "
            "to sort</span></div>\n",
            report->shown);
    fputs("<div class=\"scroll\"><table id=\"rules\"><thead><tr>"
          "<th class=\"num\" data-key=\"rank\">#</th><th data-key=\"antecedent\">if the basket "
          "holds</th><th data-key=\"consequent\">it also holds</th>"
          "<th class=\"num\" data-key=\"support\">support</th>"
          "<th class=\"num\" data-key=\"confidence\">confidence</th>"
          "<th class=\"num\" data-key=\"lift\">lift</th>"
          "<th class=\"num\" data-key=\"leverage\">leverage</th>"
          "<th class=\"num\" data-key=\"conviction\">conviction</th>"
          "<th class=\"num\" data-key=\"count\">baskets</th>",
          out);
    for (unsigned m = 0; m <= FIMBIT_MEASURE_P_VALUE; m++)
        if (report->rule->measures & FIMBIT_MEASURE_BIT(m)) {
            const char *name = fimbit_measure_name((fimbit_measure)m);
            fprintf(out, "<th class=\"num\" data-key=\"%s\">%s</th>", name, name);
        }
    fputs("</tr></thead><tbody>\n", out);
    for (size_t i = 0; i < report->shown; i++) {
        fimbit_rule rule;
        fimbit_rules_get(report->rules, i, &rule);
        fprintf(out, "<tr class=\"rule\" data-i=\"%zu\"><td class=\"num\">%zu</td><td>", i, i + 1);
        write_items(out, report->dataset, rule.antecedent, rule.antecedent_size);
        fputs("</td><td>", out);
        write_items(out, report->dataset, rule.consequent, rule.consequent_size);
        fprintf(out, "</td><td class=\"num\" data-v=\"%.17g\">%.3f%%</td>"
                     "<td class=\"num\" data-v=\"%.17g\">%.1f%%</td>"
                     "<td class=\"num\" data-v=\"%.17g\">%.3f</td>"
                     "<td class=\"num\" data-v=\"%.17g\">%.5f</td>",
                rule.support, rule.support * 100, rule.confidence, rule.confidence * 100,
                rule.lift, rule.lift, rule.leverage, rule.leverage);
        if (isinf(rule.conviction))
            fputs("<td class=\"num\" data-v=\"1e308\">\xe2\x88\x9e</td>", out);
        else
            fprintf(out, "<td class=\"num\" data-v=\"%.17g\">%.3f</td>", rule.conviction,
                    rule.conviction);
        fprintf(out, "<td class=\"num\" data-v=\"%" PRIu64 "\">%" PRIu64 "</td>", rule.count,
                rule.count);
        write_measure_cells(out, &rule, report->rule->measures);
        fputs("</tr>\n", out);
    }
    fputs("</tbody></table></div></section>\n", out);
}

/* Tooltips for the dots, sorting and filtering for the table. The page's
 * address may carry "#filter=TEXT&sort=KEY" (or sort=-KEY for descending) to
 * open filtered and sorted. */
static const char script[] =
    "<script>\n"
    "(function () {\n"
    "  'use strict';\n"
    "  var table = document.getElementById('rules');\n"
    "  var body = table.tBodies[0];\n"
    "  var rows = Array.prototype.slice.call(body.rows);\n"
    "  var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);\n"
    "  var filter = document.getElementById('filter');\n"
    "  var visible = document.getElementById('visible');\n"
    "  var tip = document.getElementById('tip');\n"
    "  function describe(row) {\n"
    "    var c = row.cells;\n"
    "    return '{' + c[1].textContent + '} \\u2192 {' + c[2].textContent + '}   support ' +\n"
    "      c[3].textContent + ', confidence ' + c[4].textContent + ', lift ' + c[5].textContent;\n"
    "  }\n"
    "  Array.prototype.forEach.call(document.querySelectorAll('#scatter circle'), function (dot) {\n"
    "    var row = rows[Number(dot.getAttribute('data-i'))];\n"
    "    dot.addEventListener('mousemove', function (event) {\n"
    "      tip.textContent = describe(row);\n"
    "      tip.style.display = 'block';\n"
    "      tip.style.left = Math.min(event.clientX + 14, window.innerWidth - tip.offsetWidth - 8) + 'px';\n"
    "      tip.style.top = (event.clientY + 14) + 'px';\n"
    "      row.style.background = '#fff4c2';\n"
    "    });\n"
    "    dot.addEventListener('mouseleave', function () {\n"
    "      tip.style.display = 'none';\n"
    "      row.style.background = '';\n"
    "    });\n"
    "  });\n"
    "  function applyFilter() {\n"
    "    var words = filter.value.toLowerCase().split(/\\s*,\\s*|\\s{2,}/).filter(Boolean);\n"
    "    var shown = 0;\n"
    "    rows.forEach(function (row) {\n"
    "      var text = (row.cells[1].textContent + ' ' + row.cells[2].textContent).toLowerCase();\n"
    "      var keep = words.every(function (word) { return text.indexOf(word) >= 0; });\n"
    "      row.hidden = !keep;\n"
    "      if (keep) shown++;\n"
    "    });\n"
    "    visible.textContent = shown;\n"
    "  }\n"
    "  function sortBy(key, descending) {\n"
    "    var column = headers.findIndex(function (h) { return h.getAttribute('data-key') === key; });\n"
    "    if (column < 0) return;\n"
    "    var numeric = headers[column].classList.contains('num');\n"
    "    function value(row) {\n"
    "      var cell = row.cells[column];\n"
    "      if (!numeric) return cell.textContent.toLowerCase();\n"
    "      return Number(cell.getAttribute('data-v') || cell.textContent);\n"
    "    }\n"
    "    rows.sort(function (a, b) {\n"
    "      var x = value(a), y = value(b);\n"
    "      var order = x < y ? -1 : x > y ? 1 : Number(a.getAttribute('data-i')) - Number(b.getAttribute('data-i'));\n"
    "      return descending ? -order : order;\n"
    "    });\n"
    "    rows.forEach(function (row) { body.appendChild(row); });\n"
    "    headers.forEach(function (h, i) {\n"
    "      if (i === column)\n"
    "        h.setAttribute('aria-sort', descending ? 'descending' : 'ascending');\n"
    "      else h.removeAttribute('aria-sort');\n"
    "    });\n"
    "  }\n"
    "  headers.forEach(function (header) {\n"
    "    function sortHere() {\n"
    "      var numeric = header.classList.contains('num') && header.getAttribute('data-key') !== 'rank';\n"
    "      var current = header.getAttribute('aria-sort');\n"
    "      sortBy(header.getAttribute('data-key'), current ? current === 'ascending' : numeric);\n"
    "    }\n"
    "    header.tabIndex = 0;\n"
    "    header.addEventListener('click', sortHere);\n"
    "    header.addEventListener('keydown', function (event) {\n"
    "      if (event.key !== 'Enter' && event.key !== ' ') return;\n"
    "      event.preventDefault();\n"
    "      sortHere();\n"
    "    });\n"
    "  });\n"
    "  filter.addEventListener('input', applyFilter);\n"
    "  filter.parentNode.hidden = false;\n"
    "  var state = {};\n"
    "  location.hash.replace(/^#/, '').split('&').forEach(function (part) {\n"
    "    var at = part.indexOf('=');\n"
    "    var value = part.slice(at + 1);\n"
    "    try { value = decodeURIComponent(value); } catch (malformed) { /* a bare '%' */ }\n"
    "    if (at > 0) state[part.slice(0, at)] = value;\n"
    "  });\n"
    "  if (state.sort) sortBy(state.sort.replace(/^-/, ''), state.sort.charAt(0) === '-');\n"
    "  if (state.filter) filter.value = state.filter;\n"
    "  applyFilter();\n"
    "  document.body.setAttribute('data-ready', 'yes');\n"
    "})();\n"
    "</script>\n";

/* The page up to its heading's text: "Association rules of TITLE SUFFIX". */
static void write_page_head(FILE *out, const char *title, const char *suffix, const char *css)
{
    fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\n"
          "<title>fimbit report: ",
          out);
    write_escaped(out, title);
    fprintf(out, "%s</title>\n", suffix);
    fputs(css, out);
    fputs("</head><body>\n<header><h1>Association rules of ", out);
    write_escaped(out, title);
    fputs(suffix, out);
}

/* The names of an item list option, the first few of a long one. */
#define HEADER_ITEMS_MAX 12

static void write_item_list(FILE *out, const char *label, const char *const *names, size_t count)
{
    if (names == NULL)
        return;
    fprintf(out, " \xc2\xb7 %s: ", label);
    if (count == 0)
        fputs("none", out);
    for (size_t i = 0; i < count && i < HEADER_ITEMS_MAX; i++) {
        if (i > 0)
            fputs(", ", out);
        write_escaped(out, names[i] != NULL ? names[i] : "");
    }
    if (count > HEADER_ITEMS_MAX)
        fprintf(out, " and %zu more", count - HEADER_ITEMS_MAX);
}

/* The line under the heading: the thresholds, every filter and constraint
 * that shaped the rules, the ranking, and which fimbit made the page when,
 * so that a page read later says what was mined. */
static void write_mined(FILE *out, const html_report *report)
{
    const fimbit_rule_options *rule = report->rule;
    const char *dot = " \xc2\xb7 ";
    fprintf(out, "<p>min support %" PRIu64 " basket%s (%.3g%%)%smin confidence %.3g",
            report->min_count, report->min_count == 1 ? "" : "s",
            100 * cli_share(report->min_count, report->info->stats.baskets), dot,
            rule->min_confidence);
    if (rule->min_lift > 0)
        fprintf(out, "%smin lift %.3g", dot, rule->min_lift);
    uint32_t min_size = rule->mine.min_size, max_size = rule->mine.max_size;
    if (min_size > 1 && max_size == min_size)
        fprintf(out, "%s%" PRIu32 " items in a rule", dot, min_size);
    else if (min_size > 1 && max_size > 0)
        fprintf(out, "%s%" PRIu32 " to %" PRIu32 " items in a rule", dot, min_size, max_size);
    else if (min_size > 1)
        fprintf(out, "%sat least %" PRIu32 " items in a rule", dot, min_size);
    else if (max_size > 0)
        fprintf(out, "%sat most %" PRIu32 " items in a rule", dot, max_size);
    if (rule->max_consequent == 0)
        fprintf(out, "%sany number of items on the right", dot);
    else if (rule->max_consequent > 1)
        fprintf(out, "%sup to %" PRIu32 " items on the right", dot, rule->max_consequent);
    write_item_list(out, "antecedent items", rule->antecedent_items, rule->antecedent_item_count);
    write_item_list(out, "consequent items", rule->consequent_items, rule->consequent_item_count);
    write_item_list(out, "excluded items", rule->exclude_items, rule->exclude_item_count);
    if (rule->non_redundant)
        fprintf(out, "%snon-redundant", dot);
    if (rule->min_improvement > -INFINITY)
        fprintf(out, "%smin improvement %.3g", dot, rule->min_improvement);
    if (rule->max_p < 1)
        fprintf(out, "%smax p %.3g", dot, rule->max_p);
    if (rule->p_adjust != FIMBIT_P_ADJUST_NONE)
        fprintf(out, "%sp-values adjusted by %s", dot,
                rule->p_adjust == FIMBIT_P_ADJUST_HOLM ? "Holm" : "Bonferroni");
    if (report->ranked_by != FIMBIT_MEASURE_CONFIDENCE)
        fprintf(out, "%sranked by %s", dot, fimbit_measure_name(report->ranked_by));
    fprintf(out, "</p><p>fimbit %s%s%s</p>", fimbit_version(), dot, report->made);
}

/* In place of the chart and the table when no rule came out. */
static void write_no_rules(FILE *out)
{
    fputs("<section><h2>Strongest rules</h2>\n<p class=\"note\">No rule reaches the thresholds "
          "and filters above: lower <code>-s</code> or <code>-c</code>, or drop a filter.</p>"
          "</section>\n",
          out);
}

void cli_write_html_report(FILE *out, const html_report *report)
{
    write_page_head(out, report->title, "", style);
    fputs("</h1>", out);
    write_mined(out, report);
    fputs("</header>\n<main>\n", out);
    write_summary(out, report);
    fputs("<div class=\"grid\">\n", out);
    write_item_chart(out, report);
    write_length_chart(out, report);
    fputs("</div>\n", out);
    if (report->shown > 0) {
        write_scatter(out, report);
        write_table(out, report);
    } else {
        write_no_rules(out);
    }
    fputs("<footer>Made by fimbit report: one file, nothing loaded from elsewhere.</footer>\n"
          "</main>\n",
          out);
    if (report->shown > 0) {
        fputs("<div id=\"tip\" role=\"tooltip\"></div>\n", out);
        fputs(script, out);
    }
    fputs("</body></html>\n", out);
}

static const char group_style[] =
    "<style>\n"
    "body{margin:0;background:#f5f6f9;color:#1f2430;font:14px/1.45 system-ui,-apple-system,"
    "'Segoe UI',Roboto,'Helvetica Neue',Arial,sans-serif}\n"
    "header{background:#1f2430;color:#fff;padding:12px 32px;display:flex;gap:20px;"
    "align-items:center;flex-wrap:wrap}\n"
    "header h1{margin:0;font-size:18px;font-weight:600}\n"
    "select{font:inherit;padding:4px 8px;margin-left:6px;max-width:60vw}\n"
    "iframe{border:0;width:100%;height:calc(100vh - 56px);display:block}\n"
    "iframe[hidden]{display:none}\n"
    "</style>\n";

/* Shows the frame the list names; the address may name a group. */
static const char group_script[] =
    "<script>\n"
    "(function () {\n"
    "  'use strict';\n"
    "  var list = document.getElementById('group');\n"
    "  var frames = Array.prototype.slice.call(document.querySelectorAll('iframe.group'));\n"
    "  function show() {\n"
    "    frames.forEach(function (frame, i) { frame.hidden = i !== list.selectedIndex; });\n"
    "  }\n"
    "  var wanted = location.hash.match(/^#group=(.*)$/);\n"
    "  if (wanted) {\n"
    "    var name = wanted[1];\n"
    "    try { name = decodeURIComponent(name); } catch (malformed) { /* a bare '%' */ }\n"
    "    frames.forEach(function (frame, i) {\n"
    "      if (frame.getAttribute('data-group') === name) list.selectedIndex = i;\n"
    "    });\n"
    "  }\n"
    "  list.addEventListener('change', show);\n"
    "  show();\n"
    "  document.body.setAttribute('data-ready', 'yes');\n"
    "})();\n"
    "</script>\n";

void cli_write_html_group_pages(FILE *out, const html_group_pages *book)
{
    write_page_head(out, book->title, " by group", group_style);
    fprintf(out, "</h1><label>%zu groups:<select id=\"group\">\n", book->count);
    for (size_t g = 0; g < book->count; g++) {
        fputs("<option>", out);
        write_escaped(out, book->names[g]);
        fputs("</option>\n", out);
    }
    fputs("</select></label></header>\n", out);
    for (size_t g = 0; g < book->count; g++) {
        fputs("<iframe class=\"group\" data-group=\"", out);
        write_escaped(out, book->names[g]);
        fputs("\" title=\"", out);
        write_escaped(out, book->names[g]);
        fprintf(out, "\"%s srcdoc=\"", g > 0 ? " hidden" : "");
        write_escaped(out, book->pages[g]);
        fputs("\"></iframe>\n", out);
    }
    fputs(group_script, out);
    fputs("</body></html>\n", out);
}
