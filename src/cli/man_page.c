/*
 * `fimbit help --man`: the manual page, in troff, made of the --help texts
 * themselves (usage.c), so that the page and the help cannot drift apart. The
 * build runs it to make fimbit.1.
 */
#include "man_page.h"

#include <stdlib.h>

#include "usage.h"

/* Writes `text` as troff body lines: a backslash doubles, a minus is escaped
 * (so man does not turn it into a hyphen), and a line starting with '.' or
 * '\'' is protected with the zero-width \& so it is not a request. */
static void write_escaped(FILE *out, const char *text)
{
    int at_line_start = 1;
    for (const char *p = text; *p != '\0'; p++) {
        if (at_line_start && (*p == '.' || *p == '\''))
            fputs("\\&", out);
        if (*p == '\\')
            fputs("\\e", out);
        else if (*p == '-')
            fputs("\\-", out);
        else
            fputc(*p, out);
        at_line_start = *p == '\n';
    }
}

/* Writes one command's help as a preformatted block. */
static int write_usage_block(FILE *out, cli_command command)
{
    char *text = NULL;
    size_t length = 0;
    FILE *buffer = open_memstream(&text, &length);
    if (buffer == NULL)
        return -1;
    cli_print_usage(buffer, command);
    if (fclose(buffer) != 0) {
        free(text);
        return -1;
    }
    fputs(".nf\n", out);
    write_escaped(out, text);
    fputs(".fi\n", out);
    free(text);
    return 0;
}

int cli_print_man_page(FILE *out)
{
    fprintf(out, ".TH FIMBIT 1 \"\" \"fimbit %s\" \"User Commands\"\n", fimbit_version());
    fputs(".SH NAME\n"
          "fimbit \\- parallel frequent\\-itemset and association\\-rule mining\n"
          ".SH SYNOPSIS\n",
          out);
    if (write_usage_block(out, CLI_COMMAND_NONE) != 0)
        return -1;
    for (int command = CLI_COMMAND_NONE + 1; command < CLI_COMMAND_COUNT; command++) {
        fprintf(out, ".SH \"fimbit %s\"\n", cli_command_name((cli_command)command));
        if (write_usage_block(out, (cli_command)command) != 0)
            return -1;
    }
    fputs(".SH \"SEE ALSO\"\n"
          "The README.md of the fimbit sources, and include/fimbit.h for the C API.\n",
          out);
    return 0;
}
