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

/* Writes `text` with the five characters HTML gives meaning escaped. */
static void write_escaped(FILE *out, const char *text)
{
    for (const char *p = text; *p != '\0'; p++) {
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
    ".tools input{flex:0 1 320px;padding:6px 10px;border:1px solid var(--line);border-radius:6px;"
    "font:inherit}\n"
    "table{width:100%;border-collapse:collapse;font-variant-numeric:tabular-nums}\n"
    "th,td{padding:6px 8px;border-bottom:1px solid var(--line);text-align:left}\n"
    "th{position:sticky;top:0;background:#fafbfc;cursor:pointer;user-select:none;white-space:nowrap}\n"
    "th.num,td.num{text-align:right}\n"
    "th[data-dir=asc]::after{content:' \\25B2'}th[data-dir=desc]::after{content:' \\25BC'}\n"
    "tbody tr:hover{background:#f0f3fa}\n"
    ".scroll{max-height:640px;overflow:auto;border:1px solid var(--line);border-radius:6px}\n"
    "footer{color:var(--muted);text-align:center;margin-top:24px;font-size:12px}\n"
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
    snprintf(value, sizeof value, "%.4f", s->density);
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
    fprintf(out, "<p class=\"note\">Share of baskets holding each of the %zu most frequent items.</p>\n",
            info->top_count);
    fprintf(out, "<svg id=\"items\" viewBox=\"0 0 %.0f %.0f\" role=\"img\">\n", width, height);
    for (size_t i = 0; i < info->top_count; i++) {
        const char *name = fimbit_dataset_item_name(report->dataset, info->top[i].item);
        double y = top + i * (bar_height + gap);
        double length = plot * (double)info->top[i].count / (double)most;
        double share = 100 * cli_share(info->top[i].count, info->stats.baskets);
        fprintf(out, "<text x=\"%.0f\" y=\"%.1f\" text-anchor=\"end\">", label_width - 8,
                y + bar_height * 0.72);
        /* Long names are cut with an ellipsis; the tooltip has them whole. */
        if (strlen(name) > 26) {
            char cut[27];
            memcpy(cut, name, 24);
            cut[24] = '\0';
            write_escaped(out, cut);
            fputs("\xe2\x80\xa6", out);
        } else {
            write_escaped(out, name);
        }
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
 * (at y1), labelled with value * label_scale in `format`. */
static void write_y_axis(FILE *out, double left, double right, double y0, double y1, double low,
                         double high, double label_scale, const char *format)
{
    double step = nice_step(high - low, 5);
    for (double v = ceil(low / step) * step; v <= high + step * 1e-9; v += step) {
        double y = y0 - (v - low) / (high - low) * (y0 - y1);
        fprintf(out, "<line class=\"grid-line\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\"/>",
                left, right, y, y);
        fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">", left - 6, y + 4);
        fprintf(out, format, v * label_scale);
        fputs("</text>\n", out);
    }
}

/* Baskets by length, as vertical bars: the bins `info` prints. */
static void write_length_chart(FILE *out, const html_report *report)
{
    const dataset_info *info = report->info;
    const double width = 560, left = 56, right = 12, top = 12, bottom = 40;
    double height = side_chart_height(info);
    uint64_t most = 1;
    for (size_t i = 0; i < info->bin_count; i++)
        if (info->bins[i].baskets > most)
            most = info->bins[i].baskets;
    double high = (double)most * 1.08, y0 = height - bottom;
    double slot = (width - left - right) / (double)info->bin_count;

    fputs("<figure><h2>Basket lengths</h2>\n", out);
    if (info->bin_count > CLI_EXACT_LENGTHS + 1)
        fprintf(out, "<p class=\"note\">Baskets by number of items; past %d, a bar per range "
                     "of lengths.</p>\n", CLI_EXACT_LENGTHS);
    else
        fputs("<p class=\"note\">Baskets by number of items.</p>\n", out);
    fprintf(out, "<svg id=\"lengths\" viewBox=\"0 0 %.0f %.0f\" role=\"img\">\n", width, height);
    write_y_axis(out, left, width - right, y0, top, 0, high, 1, "%.0f");
    /* Range labels ("101-200") need about two slots when there are many. */
    size_t label_every = info->bin_count > 14 ? 2 : 1;
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
                    x + slot / 2, y0 + 15, label);
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

/* Support on x, confidence on y, a dot per rule coloured by lift. Support is
 * drawn on a log scale from the threshold up: most rules sit just above the
 * threshold and a few run far beyond it. */
static void write_scatter(FILE *out, const html_report *report)
{
    const double width = 1100, height = 440, left = 64, right = 150, top = 16, bottom = 44;
    double x_low = cli_share(report->min_count, report->info->stats.baskets), x_high = x_low;
    double y_low = report->min_confidence, lift_low, lift_high;
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
    fprintf(out, "<p class=\"note\">A dot per rule (the %zu strongest), coloured by lift; hover "
                 "one to see its rule. Support on a log scale.</p>\n",
            report->shown);
    fprintf(out, "<svg id=\"scatter\" viewBox=\"0 0 %.0f %.0f\" role=\"img\">\n", width, height);
    write_y_axis(out, x0, x1, y0, y1, y_low, 1, 100, "%.0f%%");
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
    fputs("<section><h2>Strongest rules</h2>\n", out);
    if (report->shown < total && report->ranked_by == FIMBIT_MEASURE_CONFIDENCE)
        fprintf(out, "<p class=\"note\">The %zu strongest of %zu rules (by confidence, then lift, "
                     "then count). Click a column to sort; type to filter.</p>\n",
                report->shown, total);
    else if (report->shown < total)
        fprintf(out, "<p class=\"note\">The %zu best of %zu rules by %s. Click a column to "
                     "sort; type to filter.</p>\n",
                report->shown, total, fimbit_measure_name(report->ranked_by));
    else
        fputs("<p class=\"note\">Every strong rule, strongest first. Click a column to sort; "
              "type to filter.</p>\n",
              out);
    fprintf(out, "<div class=\"tools\"><input id=\"filter\" type=\"search\" "
                 "placeholder=\"Filter by item\" aria-label=\"Filter rules by item\">"
                 "<span class=\"note\"><span id=\"visible\">%zu</span> shown</span></div>\n",
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
        if (report->measures & FIMBIT_MEASURE_BIT(m)) {
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
        write_measure_cells(out, &rule, report->measures);
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
    "      if (i === column) h.setAttribute('data-dir', descending ? 'desc' : 'asc');\n"
    "      else h.removeAttribute('data-dir');\n"
    "    });\n"
    "  }\n"
    "  headers.forEach(function (header) {\n"
    "    header.addEventListener('click', function () {\n"
    "      var numeric = header.classList.contains('num') && header.getAttribute('data-key') !== 'rank';\n"
    "      var current = header.getAttribute('data-dir');\n"
    "      sortBy(header.getAttribute('data-key'), current ? current === 'asc' : numeric);\n"
    "    });\n"
    "  });\n"
    "  filter.addEventListener('input', applyFilter);\n"
    "  var state = {};\n"
    "  location.hash.replace(/^#/, '').split('&').forEach(function (part) {\n"
    "    var at = part.indexOf('=');\n"
    "    if (at > 0) state[part.slice(0, at)] = decodeURIComponent(part.slice(at + 1));\n"
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

void cli_write_html_report(FILE *out, const html_report *report)
{
    write_page_head(out, report->title, "", style);
    fprintf(out, "</h1><p>min support %" PRIu64 " baskets (%.3g%%) \xc2\xb7 min confidence %.3g",
            report->min_count,
            100 * cli_share(report->min_count, report->info->stats.baskets),
            report->min_confidence);
    if (report->min_lift > 0)
        fprintf(out, " \xc2\xb7 min lift %.3g", report->min_lift);
    fprintf(out, " \xc2\xb7 fimbit %s</p></header>\n<main>\n", fimbit_version());
    write_summary(out, report);
    fputs("<div class=\"grid\">\n", out);
    write_item_chart(out, report);
    write_length_chart(out, report);
    fputs("</div>\n", out);
    write_scatter(out, report);
    write_table(out, report);
    fputs("<footer>Made by fimbit report: one file, nothing loaded from elsewhere.</footer>\n"
          "</main>\n<div id=\"tip\" role=\"tooltip\"></div>\n",
          out);
    fputs(script, out);
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
    "    var name = decodeURIComponent(wanted[1]);\n"
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
