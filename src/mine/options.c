/* Option defaults and the resolution of a support threshold into a count. */
#include <math.h>

#include "read/dataset.h"
#include "base/internal.h"
#include "mine.h"

void fimbit_mine_options_init(fimbit_mine_options *options)
{
    if (options == NULL)
        return;
    options->min_count = 0;
    options->min_support = 0.01;
    options->target = FIMBIT_TARGET_ALL;
    options->algorithm = FIMBIT_ALGORITHM_AUTO;
    options->min_size = 1;
    options->max_size = 0;
    options->threads = 0;
}

void fimbit_rule_options_init(fimbit_rule_options *options)
{
    if (options == NULL)
        return;
    fimbit_mine_options_init(&options->mine);
    options->min_confidence = 0.8;
    options->min_lift = 0.0;
    options->max_consequent = 1;
    options->antecedent_items = NULL;
    options->antecedent_item_count = 0;
    options->consequent_items = NULL;
    options->consequent_item_count = 0;
    options->exclude_items = NULL;
    options->exclude_item_count = 0;
    options->measures = 0;
    options->min_improvement = -INFINITY;
    options->non_redundant = 0;
    options->max_p = 1.0;
    options->p_adjust = FIMBIT_P_ADJUST_NONE;
}

/* ceil(fraction * baskets), except that a product within rounding noise of an
 * integer is that integer: 0.1 * 100 is 10.000000000000002 in binary. */
static uint64_t fraction_to_count(double fraction, uint64_t baskets)
{
    double product = fraction * (double)baskets;
    double nearest = nearbyint(product);
    if (fabs(product - nearest) <= 1e-9 * (nearest > 1.0 ? nearest : 1.0))
        product = nearest;
    uint64_t count = (uint64_t)ceil(product);
    return count > 0 ? count : 1;
}

fimbit_status mine_check_threshold(const fimbit_mine_options *options, fimbit_error *error)
{
    double fraction = options->min_support;
    if (options->min_count == 0 && !(fraction > 0.0 && fraction <= 1.0))
        return fimbit__fail(error, FIMBIT_EINVAL, "minimum support %g is not a fraction in (0, 1]",
                            fraction);
    return FIMBIT_OK;
}

fimbit_status fimbit_min_count(const fimbit_dataset *dataset, const fimbit_mine_options *options,
                               uint64_t *min_count, fimbit_error *error)
{
    if (!dataset || !min_count)
        return fimbit__fail(error, FIMBIT_EINVAL, "fimbit_min_count: NULL argument");
    fimbit_mine_options defaults;
    if (!options) {
        fimbit_mine_options_init(&defaults);
        options = &defaults;
    }
    fimbit_status status = mine_check_threshold(options, error);
    if (status != FIMBIT_OK)
        return status;
    *min_count = options->min_count > 0
                     ? options->min_count
                     : fraction_to_count(options->min_support, dataset->basket_count);
    return FIMBIT_OK;
}
