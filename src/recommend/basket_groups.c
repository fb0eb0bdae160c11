#include "basket_groups.h"
#include <string.h>

#include "base/internal.h"
#include "group/groups.h"
#include "write/format.h"

const char *recommend_basket_key(const fimbit_dataset *dataset, uint64_t b, char number[24])
{
    const char *key = fimbit_dataset_basket_key(dataset, b);
    if (key != NULL)
        return key;
    *output_format_u64(number, b + 1) = '\0';
    return number;
}

void recommend_find_basket_groups(const fimbit_dataset *dataset, const fimbit_group_map *map,
                                  int threads, uint32_t *group_of)
{
    int64_t count = (int64_t)fimbit_dataset_basket_count(dataset);
    threads = fimbit__thread_count_for_work(threads, (uint64_t)count);
#pragma omp parallel for num_threads(threads) schedule(static)
    for (int64_t b = 0; b < count; b++) {
        char number[24];
        const char *key = recommend_basket_key(dataset, (uint64_t)b, number);
        group_of[b] = group_map_find(map, key, strlen(key));
    }
}
