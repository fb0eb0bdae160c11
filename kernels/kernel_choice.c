/* Choosing a kernel and building the vertical form it needs. */
#include "kernel_choice.h"

/* The `auto` rule picks by target, not by density: on the benchmark table
 * (chess, mushroom, retail, T10I4D100K, BMS1, groceries; dense and sparse,
 * 75 to 16,470 items, 3,196 to 100,000 baskets) FP-growth mined every ALL
 * workload at least as fast as Eclat (up to 1.8x faster, T10I4D100K -s 10) and
 * without the vertical form's memory, while Eclat mined every CLOSED and
 * MAXIMAL workload faster (1.2x to 5x: its tidsets answer the closure
 * checks that FP-growth has to add on top of its trees). Density did not
 * separate the winners. Measurements: docs/performance.md, "FP-growth". */
kernel_fn kernel_choose(fimbit_algorithm algorithm, fimbit_target target)
{
    if (algorithm == FIMBIT_ALGORITHM_FPGROWTH)
        return fpgrowth_mine;
    if (algorithm == FIMBIT_ALGORITHM_ECLAT)
        return eclat_mine;
    return target == FIMBIT_TARGET_ALL ? fpgrowth_mine : eclat_mine;
}

bool kernel_needs_vertical(kernel_fn kernel, const kernel_params *probe)
{
    bool vertical = kernel == eclat_mine ? eclat_needs_vertical(probe)
                                         : fpgrowth_needs_vertical(probe);
    return vertical && probe->data->item_count > 0;
}

fimbit_status kernel_prepare_vertical(kernel_fn kernel, const kernel_params *probe,
                                      kernel_data *data, shard_vertical **owner)
{
    *owner = NULL;
    if (!kernel_needs_vertical(kernel, probe))
        return FIMBIT_OK;
    return shard_build_vertical(data, probe->threads, owner);
}
