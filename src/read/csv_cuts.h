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

/* @return the quotes in slice t's nominal bounds (t = 0 .. count - 1). */
size_t csv_slice_quotes(const char *begin, const char *end, int count, int t);

/* @return the cut that starts slice t (t = 1 .. count - 1), given
 * `quotes[u]` = csv_slice_quotes(..., u) for every u < t. */
const char *csv_slice_cut(const char *begin, const char *end, int count, int t,
                          const size_t *quotes);

#endif /* FIMBIT_READ_CSV_CUTS_H */
