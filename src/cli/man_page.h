/* The manual page, generated from the --help texts. */
#ifndef FIMBIT_CLI_MAN_PAGE_H
#define FIMBIT_CLI_MAN_PAGE_H

#include <stdio.h>

/* Writes fimbit(1) in troff to `out`: the overview and every command's help.
 * @return 0, or -1 when a help text could not be captured (out of memory). */
int cli_print_man_page(FILE *out);

#endif /* FIMBIT_CLI_MAN_PAGE_H */
