/*
 * fimbit_mine_itemsets_write: mining straight into a writer. Every itemset the
 * kernels find is formatted into one buffer, written out whenever it holds
 * STREAM_FLUSH_BYTES, and forgotten: nothing grows with the number of
 * itemsets. The stream's callback runs one call at a time (the driver's
 * promise), so the buffer needs no lock.
 */
#include <string.h>

#include "dataset.h"
#include "output.h"
#include "progress.h"

#define STREAM_FLUSH_BYTES ((size_t)1 << 20)

typedef struct stream_writer {
    output_target target;
    output_names names;
    output_buffer buffer;
    uint64_t basket_count;
    uint64_t written;
    fimbit_status status; /* the first failure, which stops the mining */
    fimbit_error error;
} stream_writer;

static int stream_write_itemset(void *user, const uint32_t *items, uint32_t size, uint64_t count)
{
    stream_writer *w = user;
    if (!output_format_itemset(&w->buffer, &w->names, items, size, count, w->basket_count)) {
        w->status = fimbit__fail(&w->error, FIMBIT_ENOMEM, "out of memory while formatting output");
        return 1;
    }
    w->written++;
    if (w->buffer.length >= STREAM_FLUSH_BYTES) {
        w->status = output_write(&w->target, w->buffer.data, w->buffer.length, &w->error);
        w->buffer.length = 0;
    }
    return w->status != FIMBIT_OK;
}

fimbit_status fimbit_mine_itemsets_write(const fimbit_dataset *dataset,
                                         const fimbit_mine_options *options,
                                         fimbit_format format, const char *path,
                                         uint64_t *count, fimbit_error *error)
{
    if (count != NULL)
        *count = 0;
    if (dataset == NULL)
        return fimbit__fail(error, FIMBIT_EINVAL, "fimbit_mine_itemsets_write: NULL dataset");
    if (format != FIMBIT_FORMAT_TEXT && format != FIMBIT_FORMAT_CSV &&
        format != FIMBIT_FORMAT_JSONL)
        return fimbit__fail(error, FIMBIT_EINVAL, "unknown output format %d", (int)format);
    stream_writer w;
    memset(&w, 0, sizeof w);
    w.basket_count = dataset->basket_count;
    fimbit_status status = output_names_build(&w.names, dataset, format, error);
    if (status != FIMBIT_OK)
        return status;
    status = output_open(&w.target, path, error);
    if (status != FIMBIT_OK) {
        output_names_free(&w.names);
        return status;
    }
    const char *header = output_itemset_header(format);
    status = output_write(&w.target, header, strlen(header), error);
    if (status == FIMBIT_OK)
        status = fimbit_mine_itemsets_stream(dataset, options, stream_write_itemset, &w, error);
    if (status == FIMBIT_ECANCELED && w.status != FIMBIT_OK) {
        /* The writer stopped the mining: its failure is the one to report. */
        status = w.status;
        if (error != NULL)
            *error = w.error;
    }
    /* The itemsets were written as they came; the WRITE stage is the rest. */
    progress_meter meter;
    if (status == FIMBIT_OK && progress_begin(&meter, FIMBIT_STAGE_WRITE, "itemsets", w.written))
        status = progress_cancel_error(&meter, error);
    if (status == FIMBIT_OK)
        status = output_write(&w.target, w.buffer.data, w.buffer.length, error);
    if (status == FIMBIT_OK && progress_end(&meter))
        status = progress_cancel_error(&meter, error);
    if (status == FIMBIT_OK)
        status = output_commit(&w.target, error);
    else
        output_abort(&w.target);
    output_buffer_free(&w.buffer);
    output_names_free(&w.names);
    if (status == FIMBIT_OK && count != NULL)
        *count = w.written;
    return status;
}
