#include "progress_line.h"

#include <stdio.h>
#include <string.h>

#include "clock.h"

/* A terminal shows nothing before the run is this old: short runs do not
 * flicker. */
#define TERMINAL_DELAY_SECONDS 1.0
/* A log gets at most one line a second per stage, besides its summary. */
#define LOG_INTERVAL_SECONDS 1.0
/* Summaries kept while a terminal shows nothing yet: one per stage. */
#define PENDING_SUMMARIES 8
#define LINE_SIZE 200
/* A rate measured over less time than this is noise, not a speed. */
#define MIN_RATE_SECONDS 0.05

typedef struct progress_display {
    cli_progress_mode mode;
    double started;   /* when the display started, on the cli_now() clock */
    bool visible;     /* terminal: the run has passed TERMINAL_DELAY_SECONDS */
    bool line_open;   /* terminal: a line without its newline is showing */
    double last_line; /* log: when the current stage last printed */
    char pending[PENDING_SUMMARIES][LINE_SIZE];
    int pending_count;
} progress_display;

static progress_display display;

cli_progress_mode cli_progress_choose(bool quiet, bool forced, bool stderr_is_terminal)
{
    if (quiet)
        return CLI_PROGRESS_OFF;
    if (forced)
        return CLI_PROGRESS_LOG;
    return stderr_is_terminal ? CLI_PROGRESS_TERMINAL : CLI_PROGRESS_OFF;
}

static bool counts_bytes(const fimbit_progress *progress)
{
    return strcmp(progress->unit, "bytes") == 0;
}

/* "120.3 MiB" for bytes, "1.25M baskets" for other units ("1.25M" when
 * `suffix` is NULL: the unit follows later in the line). */
static void format_amount(double value, const fimbit_progress *progress, const char *suffix,
                          char *out, size_t size)
{
    if (counts_bytes(progress)) {
        static const char *const units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
        int unit = 0;
        while (value >= 1024.0 && unit < 4) {
            value /= 1024.0;
            unit++;
        }
        snprintf(out, size, unit == 0 ? "%.0f %s%s" : "%.1f %s%s", value, units[unit],
                 suffix ? suffix : "");
        return;
    }
    static const char *const scales[] = {"", "k", "M", "G", "T"};
    int scale = 0;
    if (value >= 10000.0)
        while (value >= 1000.0 && scale < 4) {
            value /= 1000.0;
            scale++;
        }
    snprintf(out, size, scale == 0 ? "%.0f%s%s%s%s" : "%.2f%s%s%s%s", value, scales[scale],
             suffix ? " " : "", suffix ? progress->unit : "", suffix ? suffix : "");
}

/* "8.4 s", "42 s", "3 min 05 s", "2 h 10 min". */
static void format_duration(double seconds, char *out, size_t size)
{
    if (seconds < 10.0)
        snprintf(out, size, "%.1f s", seconds);
    else if (seconds < 60.0)
        snprintf(out, size, "%.0f s", seconds);
    else if (seconds < 3600.0)
        snprintf(out, size, "%d min %02d s", (int)(seconds / 60.0), (int)seconds % 60);
    else
        snprintf(out, size, "%d h %02d min", (int)(seconds / 3600.0),
                 (int)(seconds / 60.0) % 60);
}

size_t cli_progress_format(const fimbit_progress *progress, char *out, size_t size)
{
    char done[48], total[48], rate[48], time[32];
    double per_second = progress->elapsed >= MIN_RATE_SECONDS
                            ? (double)progress->done / progress->elapsed
                            : 0.0;
    bool total_known = progress->event != FIMBIT_PROGRESS_END && progress->total != 0;
    format_amount((double)progress->done, progress, total_known ? NULL : "", done, sizeof done);
    format_amount(per_second, progress, "/s", rate, sizeof rate);
    const char *stage = fimbit_stage_name(progress->stage);
    int length;
    if (progress->event == FIMBIT_PROGRESS_END) {
        format_duration(progress->elapsed, time, sizeof time);
        length = snprintf(out, size, "%-5s  %s in %s", stage, done, time);
        if (per_second > 0.0 && length >= 0 && (size_t)length < size)
            length += snprintf(out + length, size - (size_t)length, " (%s)", rate);
    } else if (!total_known) {
        length = snprintf(out, size, "%-5s  %s", stage, done);
        if (per_second > 0.0 && length >= 0 && (size_t)length < size)
            length += snprintf(out + length, size - (size_t)length, "  %s", rate);
    } else {
        format_amount((double)progress->total, progress, "", total, sizeof total);
        double share = (double)progress->done / (double)progress->total;
        length = snprintf(out, size, "%-5s %5.1f%%  %s of %s", stage, 100.0 * share, done,
                          total);
        if (per_second > 0.0 && length >= 0 && (size_t)length < size) {
            /* The time left if the rest goes as fast as the done part. */
            format_duration((double)(progress->total - progress->done) / per_second, time,
                            sizeof time);
            length += snprintf(out + length, size - (size_t)length, "  %s  ETA %s", rate, time);
        }
    }
    if (length < 0)
        length = 0;
    return (size_t)length < size ? (size_t)length : size - 1;
}

/* Writes a whole line at once: standard error is unbuffered. */
static void put_line(const char *start, const char *text, const char *end)
{
    char line[LINE_SIZE + 32];
    snprintf(line, sizeof line, "%sfimbit: %s%s", start, text, end);
    fputs(line, stderr);
}

static void show_on_log(progress_display *d, const fimbit_progress *progress, const char *text)
{
    double now = cli_now();
    if (progress->event == FIMBIT_PROGRESS_BEGIN) {
        d->last_line = now;
        return;
    }
    if (progress->event == FIMBIT_PROGRESS_UPDATE && now - d->last_line < LOG_INTERVAL_SECONDS)
        return;
    d->last_line = now;
    put_line("", text, "\n");
}

static void show_on_terminal(progress_display *d, const fimbit_progress *progress,
                             const char *text)
{
    bool end = progress->event == FIMBIT_PROGRESS_END;
    if (!d->visible) {
        if (cli_now() - d->started < TERMINAL_DELAY_SECONDS) {
            if (end && d->pending_count < PENDING_SUMMARIES)
                snprintf(d->pending[d->pending_count++], LINE_SIZE, "%s", text);
            return;
        }
        /* The run turned out long: what it did so far, then the live line. */
        d->visible = true;
        for (int i = 0; i < d->pending_count; i++)
            put_line("", d->pending[i], "\n");
    }
    /* "\033[K" clears what a longer previous line left on the right. */
    put_line("\r", text, end ? "\033[K\n" : "\033[K");
    d->line_open = !end;
}

static int on_progress(void *user, const fimbit_progress *progress)
{
    progress_display *d = user;
    char text[LINE_SIZE];
    cli_progress_format(progress, text, sizeof text);
    if (d->mode == CLI_PROGRESS_LOG)
        show_on_log(d, progress, text);
    else
        show_on_terminal(d, progress, text);
    return 0;
}

void cli_progress_start(cli_progress_mode mode)
{
    memset(&display, 0, sizeof display);
    display.mode = mode;
    display.started = cli_now();
    fimbit_set_progress(mode == CLI_PROGRESS_OFF ? NULL : on_progress, &display);
}

void cli_progress_break_line(void)
{
    if (!display.line_open)
        return;
    fputc('\n', stderr);
    display.line_open = false;
}
