/*
 * Recommendations as JSON Lines, what `fimbit recommend` writes: a line a
 * basket, {"basket":"17850","recommendations":[{"item":"yogurt",
 * "confidence":0.4,"lift":1.6}]}, without "basket" for a lone basket. Every
 * basket of a dataset is scored and formatted by several threads, a block of
 * baskets at a time, and the lines written in basket order
 * (write/ordered_write.h): the bytes do not depend on the thread count.
 */
#ifndef FIMBIT_RECOMMEND_WRITE_H
#define FIMBIT_RECOMMEND_WRITE_H

#include <stddef.h>
#include <stdint.h>

#include "fimbit.h"
#include "write/target.h"

/* In recommend_baskets.recommender_of: the basket has no recommender (no
 * group), and gets an empty list. */
#define RECOMMEND_NO_RECOMMENDER UINT32_MAX

/* What recommend_write_baskets() writes: a line for every basket of
 * `dataset`, led by its key (fimbit_dataset_basket_key, else its 1-based
 * number), with the `k` best recommendations by `by` of its recommender. */
typedef struct recommend_baskets {
    const fimbit_dataset *dataset;
    const fimbit_recommender *const *recommenders;
    size_t recommender_count;
    /* Basket b's recommender is recommenders[recommender_of[b]] (or none:
     * RECOMMEND_NO_RECOMMENDER); NULL: recommenders[0] for every basket. */
    const uint32_t *recommender_of;
    fimbit_recommend_by by;
    size_t k;
} recommend_baskets;

/* Writes the baskets' lines to `target` with up to `threads` threads (0 =
 * every core, fewer for little work). @return FIMBIT_OK, FIMBIT_ENOMEM (or
 * FIMBIT_ELIMIT under a memory limit), FIMBIT_EIO from the target or
 * FIMBIT_ECANCELED on a stop request; on failure the target holds part of
 * the text: abort it. */
fimbit_status recommend_write_baskets(const recommend_baskets *baskets, int threads,
                                      output_target *target, fimbit_error *error);

/* Writes the line of one basket without a key: found[0 .. count), items of
 * `recommender`. @return FIMBIT_OK, FIMBIT_ENOMEM or FIMBIT_EIO. */
fimbit_status recommend_write_line(const fimbit_recommender *recommender,
                                   const fimbit_recommendation *found, size_t count,
                                   output_target *target, fimbit_error *error);

#endif /* FIMBIT_RECOMMEND_WRITE_H */
