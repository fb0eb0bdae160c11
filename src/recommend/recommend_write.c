/*
 * Recommendations as JSON Lines (see recommend_write.h). Each recommender's
 * item names are encoded once as JSON string literals, and each dataset
 * item is matched to the recommender's by name once, not once a basket; the
 * numbers are formatted by hand as "%.6g" would (write/format.h).
 */
#include <string.h>

#include "basket_groups.h"
#include "recommend_write.h"
#include "base/progress.h"
#include "read/dataset.h"
#include "write/format.h"
#include "write/ordered_write.h"

/* A recommender made ready for writing: its item names as JSON string
 * literals, and its id of every dataset item (RECOMMEND_NOT_NAMED for the
 * items it does not know, which fimbit_recommend() ignores). */
typedef struct recommender_view {
    const fimbit_recommender *recommender;
    char *names;            /* the literals, back to back */
    uint64_t *name_offsets; /* item_count + 1 entries into names */
    uint32_t *id_of_item;   /* by dataset item; NULL without a dataset */
} recommender_view;

#define RECOMMEND_NOT_NAMED UINT32_MAX

static void view_free(recommender_view *view)
{
    fimbit__free(view->names);
    fimbit__free(view->name_offsets);
    fimbit__free(view->id_of_item);
    *view = (recommender_view){0};
}

/* Encodes the recommender's names, and matches `dataset`'s items (when not
 * NULL) to its ids. */
static fimbit_status view_build(recommender_view *view, const fimbit_recommender *recommender,
                                const fimbit_dataset *dataset, fimbit_error *error)
{
    *view = (recommender_view){.recommender = recommender};
    uint32_t items = fimbit_recommender_item_count(recommender);
    view->name_offsets = fimbit__malloc_array((size_t)items + 1, sizeof *view->name_offsets);
    if (dataset != NULL)
        view->id_of_item =
            fimbit__malloc_array(dataset->item_count ? dataset->item_count : 1, sizeof(uint32_t));
    if (view->name_offsets == NULL || (dataset != NULL && view->id_of_item == NULL))
        goto out_of_memory;
    uint64_t total = 0;
    for (uint32_t item = 0; item < items; item++) {
        view->name_offsets[item] = total;
        total += output_encode_name(fimbit_recommender_item_name(recommender, item),
                                    FIMBIT_FORMAT_JSONL, false, NULL, NULL);
    }
    view->name_offsets[items] = total;
    view->names = fimbit__malloc_array(total ? total : 1, 1);
    if (view->names == NULL)
        goto out_of_memory;
    for (uint32_t item = 0; item < items; item++)
        output_encode_name(fimbit_recommender_item_name(recommender, item), FIMBIT_FORMAT_JSONL,
                           false, view->names + view->name_offsets[item], NULL);
    for (uint32_t item = 0; dataset != NULL && item < dataset->item_count; item++)
        if (fimbit_recommender_find_item(recommender, dataset_item_name(dataset, item),
                                         &view->id_of_item[item]) != FIMBIT_OK)
            view->id_of_item[item] = RECOMMEND_NOT_NAMED;
    return FIMBIT_OK;

out_of_memory:
    view_free(view);
    return fimbit__fail(error, FIMBIT_ENOMEM, "out of memory preparing recommendations");
}

/* Room for one recommendation besides its name: the keys, two numbers of at
 * most 32 bytes (output_format_g6) and the punctuation. */
#define RECOMMENDATION_SLACK 96

/* Appends one line: led by "basket" `key` when not NULL, then found[0 ..
 * count). The recommender refuses non-finite measures, so every number has
 * a "%.6g" form. @return false when memory is exhausted. */
static bool format_line(output_buffer *text, const recommender_view *view, const char *key,
                        const fimbit_recommendation *found, size_t count)
{
    /* A key's byte takes at most 6 bytes escaped (\u00XX). */
    size_t key_room = key != NULL ? 6 * strlen(key) + 2 : 0;
    char *p = output_buffer_reserve(text, key_room + 64);
    if (p == NULL)
        return false;
    if (key != NULL) {
        p = OUTPUT_PUT_LITERAL(p, "{\"basket\":");
        p += output_encode_name(key, FIMBIT_FORMAT_JSONL, false, p, NULL);
        p = OUTPUT_PUT_LITERAL(p, ",\"recommendations\":[");
    } else {
        p = OUTPUT_PUT_LITERAL(p, "{\"recommendations\":[");
    }
    text->length = (size_t)(p - text->data);
    for (size_t i = 0; i < count; i++) {
        uint64_t begin = view->name_offsets[found[i].item];
        size_t length = (size_t)(view->name_offsets[found[i].item + 1] - begin);
        p = output_buffer_reserve(text, length + RECOMMENDATION_SLACK);
        if (p == NULL)
            return false;
        p = i == 0 ? OUTPUT_PUT_LITERAL(p, "{\"item\":") : OUTPUT_PUT_LITERAL(p, ",{\"item\":");
        p = output_put_text(p, view->names + begin, length);
        p = OUTPUT_PUT_LITERAL(p, ",\"confidence\":");
        p += output_format_g6(found[i].confidence, p);
        p = OUTPUT_PUT_LITERAL(p, ",\"lift\":");
        p += output_format_g6(found[i].lift, p);
        *p++ = '}';
        text->length = (size_t)(p - text->data);
    }
    p = output_buffer_reserve(text, 4);
    if (p == NULL)
        return false;
    p = OUTPUT_PUT_LITERAL(p, "]}\n");
    text->length = (size_t)(p - text->data);
    return true;
}

/* One thread's working memory: a basket's items in recommender ids, and its
 * recommendations. */
typedef struct basket_scratch {
    uint32_t *ids;
    size_t id_capacity;
    fimbit_recommendation *found; /* found_capacity entries */
} basket_scratch;

/* The baskets' formatter (ordered_write's context). */
typedef struct baskets_job {
    const recommend_baskets *baskets;
    const recommender_view *views; /* by recommender */
    /* Recommendations a basket can get: k, or fewer when no recommender
     * holds that many items. */
    size_t found_capacity;
    basket_scratch scratch[ORDERED_WRITE_MAX_THREADS];
} baskets_job;

/* Recommends for basket b with `view`'s recommender into scratch->found.
 * @return FIMBIT_OK (and *count) or FIMBIT_ENOMEM. */
static fimbit_status recommend_basket(const baskets_job *job, const recommender_view *view,
                                      uint64_t b, basket_scratch *scratch, size_t *count,
                                      fimbit_error *error)
{
    const fimbit_dataset *dataset = job->baskets->dataset;
    uint64_t begin = dataset->basket_offsets[b];
    size_t size = (size_t)(dataset->basket_offsets[b + 1] - begin);
    if (size > scratch->id_capacity) {
        size_t capacity = size < 64 ? 64 : size * 2;
        uint32_t *ids = fimbit__realloc_array(scratch->ids, capacity, sizeof *ids);
        if (ids == NULL)
            return fimbit__fail(error, FIMBIT_ENOMEM, "out of memory recommending");
        scratch->ids = ids;
        scratch->id_capacity = capacity;
    }
    for (size_t i = 0; i < size; i++)
        scratch->ids[i] = view->id_of_item[dataset_item(dataset, begin + i)];
    return fimbit_recommend(view->recommender, scratch->ids, size, job->baskets->by,
                            job->found_capacity, scratch->found, count, error);
}

/* ordered_write()'s formatter: the lines of baskets [first, last). */
static fimbit_status format_baskets(void *context, int thread, output_buffer *text, size_t first,
                                    size_t last, fimbit_error *error)
{
    baskets_job *job = context;
    const recommend_baskets *baskets = job->baskets;
    basket_scratch *scratch = &job->scratch[thread];
    if (scratch->found == NULL) {
        scratch->found = fimbit__malloc_array(job->found_capacity, sizeof *scratch->found);
        if (scratch->found == NULL)
            return fimbit__fail(error, FIMBIT_ENOMEM, "out of memory recommending");
    }
    for (size_t b = first; b < last; b++) {
        char number[24];
        const char *key = recommend_basket_key(baskets->dataset, b, number);
        uint32_t which = baskets->recommender_of != NULL ? baskets->recommender_of[b] : 0;
        const recommender_view *view =
            which != RECOMMEND_NO_RECOMMENDER ? &job->views[which] : NULL;
        size_t count = 0;
        if (view != NULL) {
            fimbit_status status = recommend_basket(job, view, b, scratch, &count, error);
            if (status != FIMBIT_OK)
                return status;
        }
        if (!format_line(text, view, key, scratch->found, count))
            return fimbit__fail(error, FIMBIT_ENOMEM, "out of memory while formatting output");
    }
    return FIMBIT_OK;
}

/* Scores and writes the baskets with the views ready. */
static fimbit_status write_with_views(baskets_job *job, int threads, output_target *target,
                                      fimbit_error *error)
{
    uint64_t count = fimbit_dataset_basket_count(job->baskets->dataset);
    progress_meter meter;
    if (progress_begin(&meter, FIMBIT_STAGE_WRITE, "baskets", count))
        return progress_cancel_error(&meter, error);
    ordered_records records = {
        .count = (size_t)count, .format = format_baskets, .context = job, .progress = &meter};
    fimbit_status status = ordered_write(&records, threads, target, error);
    if (status == FIMBIT_OK && progress_end(&meter))
        status = progress_cancel_error(&meter, error);
    return status;
}

fimbit_status recommend_write_baskets(const recommend_baskets *baskets, int threads,
                                      output_target *target, fimbit_error *error)
{
    if (baskets == NULL || baskets->dataset == NULL || target == NULL ||
        (baskets->recommender_count == 0 && baskets->recommender_of == NULL))
        return fimbit__fail(error, FIMBIT_EINVAL, "recommend: a NULL argument");
    if (baskets->dataset->without_baskets)
        return fimbit__fail(error, FIMBIT_EINVAL, "recommend: the dataset holds no baskets");
    baskets_job job = {.baskets = baskets, .found_capacity = 1};
    recommender_view *views = fimbit__zeroed_array(
        baskets->recommender_count ? baskets->recommender_count : 1, sizeof *views);
    if (views == NULL)
        return fimbit__fail(error, FIMBIT_ENOMEM, "out of memory preparing recommendations");
    job.views = views;
    fimbit_status status = FIMBIT_OK;
    for (size_t r = 0; r < baskets->recommender_count && status == FIMBIT_OK; r++) {
        status = view_build(&views[r], baskets->recommenders[r], baskets->dataset, error);
        size_t items = fimbit_recommender_item_count(baskets->recommenders[r]);
        if (items > job.found_capacity)
            job.found_capacity = items;
    }
    if (job.found_capacity > baskets->k)
        job.found_capacity = baskets->k > 0 ? baskets->k : 1;
    if (status == FIMBIT_OK) {
        uint64_t work = baskets->dataset->basket_offsets[baskets->dataset->basket_count];
        status =
            write_with_views(&job, fimbit__thread_count_for_work(threads, work), target, error);
    }
    for (int t = 0; t < ORDERED_WRITE_MAX_THREADS; t++) {
        fimbit__free(job.scratch[t].ids);
        fimbit__free(job.scratch[t].found);
    }
    for (size_t r = 0; r < baskets->recommender_count; r++)
        view_free(&views[r]);
    fimbit__free(views);
    return status;
}

fimbit_status recommend_write_line(const fimbit_recommender *recommender,
                                   const fimbit_recommendation *found, size_t count,
                                   output_target *target, fimbit_error *error)
{
    recommender_view view;
    fimbit_status status = view_build(&view, recommender, NULL, error);
    if (status != FIMBIT_OK)
        return status;
    output_buffer text = {0};
    if (!format_line(&text, &view, NULL, found, count))
        status = fimbit__fail(error, FIMBIT_ENOMEM, "out of memory while formatting output");
    else
        status = output_write(target, text.data, text.length, error);
    output_buffer_free(&text);
    view_free(&view);
    return status;
}
