/*
 * Where a block of CSV text is cut into slices that threads parse side by
 * side (the long-CSV reader, csv.c, and the order lines of src/rfm/). Slice
 * t of `count` nominally starts at begin + length / count * t; its cut is the
 * first line start from there that is outside quotes, judged by the parity
 * of the quotes before it. A quote inside an unquoted field can fool that,
 * so a reader checks each cut (the slice before it, parsed, must end there
 * on a record boundary) and parses the text from the first doubtful cut on
 * again in one piece.
 */
#ifndef FIMBIT_READ_CSV_CUTS_H
#define FIMBIT_READ_CSV_CUTS_H

#include <stdbool.h>
#include <stddef.h>

/* Grows a reader's arrays for `count` slices: *cuts to count + 1 entries,
 * *quotes to count. @return false when memory is exhausted (each array is
 * then the old one or the grown one, valid either way). */
bool csv_cuts_reserve(const char ***cuts, size_t **quotes, int count);

/* Sets cuts[0] = begin, cuts[count] = end and cuts[1 .. count) to the
 * slices' starts, with quotes[t] the quotes in slice t's nominal bounds.
 * Called by every thread of a parallel region (its loops share the work
 * among the team, with a barrier after each), or by one thread outside. */
void csv_cuts_find(const char *begin, const char *end, int count, const char **cuts,
                   size_t *quotes);

#endif /* FIMBIT_READ_CSV_CUTS_H */
