/* Choosing a kernel and building the vertical form it needs. */
#include "kernel_choice.h"

kernel_fn kernel_choose(fimbit_algorithm algorithm, const kernel_data *data)
{
    if (algorithm == FIMBIT_ALGORITHM_FPGROWTH)
        return fpgrowth_mine;
    if (algorithm == FIMBIT_ALGORITHM_ECLAT)
        return eclat_mine;
    double cells = (double)data->tx_count * (double)data->item_count;
    double density = cells > 0 ? (double)data->tx_offsets[data->tx_count] / cells : 0.0;
    return density >= AUTO_ECLAT_DENSITY ? eclat_mine : fpgrowth_mine;
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
