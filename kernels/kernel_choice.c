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

/* @return the length of the basket an occurrence lies in, averaged over the
 * occurrences: sum(length^2) / sum(length), what reading every basket once
 * per item it holds costs per occurrence. */
static double occurrence_length(const kernel_data *data)
{
    double squares = 0;
    for (uint64_t t = 0; t < data->tx_count; t++) {
        double length = (double)(data->tx_offsets[t + 1] - data->tx_offsets[t]);
        squares += length * length;
    }
    uint64_t total = data->tx_offsets[data->tx_count] - data->tx_offsets[0];
    return total ? squares / (double)total : 0;
}

/* FP-growth's FPmax walk (one repository for every branch, on one thread)
 * mined retail-long 70's maximal itemsets in 0.69 s against Eclat's 0.98 s
 * (reduced databases, closed_reduced.c, which read each basket once per
 * item of it: there an occurrence lies in a basket of 117 frequent items on
 * average, every 60th basket being 30 to 100 of retail's merged). It lost
 * where that length is 12 to 17 (retail 5 and 10, T10I4D100K 10 and 50,
 * BMS1 30: up to 4x on BMS1), tied on the dense chess and mushroom, and on
 * several threads, where it then walked each branch alone, took twice
 * Eclat's CPU time on retail-long (it now keeps the one walk, on one thread:
 * fp_max_by_branch). Measured again after FPmax's changes of 7 Dec
 * (task-clock, -T 1, FPmax against this rule's choice): it wins BMS1 40 (27
 * against 30 ms), chess 959 to 1279 (by 6 to 17%) and mushroom 20 to 406 (by 3
 * to 19%), but loses BMS1 30 (409 against 129 ms), chess 700 and 800 (by 17
 * and 7%), mushroom 800 and 2000 (by 7%), retail 10 and T10I4D100K 50 (by 8
 * and 23%): the winner turns with the threshold on the same data, in
 * opposite directions on chess and mushroom, so no rule over the data's
 * shape picks it, and the rule stays. */
kernel_fn kernel_choose_for(fimbit_algorithm algorithm, const kernel_params *probe)
{
    const kernel_data *data = probe->data;
    if (algorithm == FIMBIT_ALGORITHM_AUTO && probe->target == FIMBIT_TARGET_MAXIMAL &&
        probe->threads == 1 && !probe->top_level && data->tx_count > 0) {
        double average = (double)(data->tx_offsets[data->tx_count] - data->tx_offsets[0]) /
                         (double)data->tx_count;
        if (average < AUTO_ECLAT_DENSITY * (double)data->item_count &&
            occurrence_length(data) >= AUTO_FPMAX_OCCURRENCE_LENGTH)
            return fpgrowth_mine;
    }
    return kernel_choose(algorithm, probe->target);
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
