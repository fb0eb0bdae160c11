/*
 * Writing the results of every group into one output: each record is the
 * ungrouped writer's record with the group in front — a first CSV column
 * "group", a first JSON key "group", a "GROUP: " prefix in text. Groups come
 * in their order (natural order of their names), records in each result's
 * own order.
 */
#include <stdint.h>
#include <string.h>

#include "groups.h"
#include "read/dataset.h"
#include "rules/rules.h"
#include "store/store.h"
#include "write/output.h"

/* Output buffers are written out when they pass this size. */
#define GROUP_WRITE_FLUSH_BYTES ((size_t)1 << 20)

/* What one group's records start with, in `format`. */
static fimbit_status group_prefix(const char *group, fimbit_format format, output_buffer *prefix)
{
    prefix->length = 0;
    char *p = output_buffer_reserve(prefix, 6 * strlen(group) + 16);
    if (p == NULL)
        return FIMBIT_ENOMEM;
    char *start = p;
    uint8_t quote = 0;
    switch (format) {
    case FIMBIT_FORMAT_JSONL:
        memcpy(p, "{\"group\":", 9);
        p += 9;
        p += output_encode_name(group, format, false, p, NULL);
        *p++ = ',';
        break;
    case FIMBIT_FORMAT_CSV:
        output_encode_name(group, format, false, NULL, &quote);
        if (quote)
            *p++ = '"';
        p += output_encode_name(group, format, false, p, NULL);
        if (quote)
            *p++ = '"';
        *p++ = ',';
        break;
    default:
        p += output_encode_name(group, format, false, p, NULL);
        *p++ = ':';
        *p++ = ' ';
        break;
    }
    prefix->length = (size_t)(p - start);
    return FIMBIT_OK;
}

/* Appends `record` (one formatted line) to `out` behind `prefix`; a JSON
 * record's own opening brace is in the prefix. */
static bool append_record(output_buffer *out, const output_buffer *prefix,
                          const output_buffer *record, fimbit_format format)
{
    size_t skip = format == FIMBIT_FORMAT_JSONL ? 1 : 0;
    char *p = output_buffer_reserve(out, prefix->length + record->length);
    if (p == NULL)
        return false;
    memcpy(p, prefix->data, prefix->length);
    memcpy(p + prefix->length, record->data + skip, record->length - skip);
    out->length += prefix->length + record->length - skip;
    return true;
}

/* The records of one kind of result. */
typedef struct group_records {
    const void *const *results; /* fimbit_itemsets * or fimbit_rules *, by group */
    bool rules;
    uint32_t rule_measures;     /* rules: the extra measures of CSV and JSON Lines */
    const char *header;         /* the ungrouped header line, "" for none */
} group_records;

static size_t result_count(const group_records *records, size_t g)
{
    return records->rules ? fimbit_rules_count(records->results[g])
                          : fimbit_itemsets_count(records->results[g]);
}

/* The dataset a result was mined from, whose item ids its records hold. */
static const fimbit_dataset *result_dataset(const group_records *records, size_t g)
{
    return records->rules ? ((const fimbit_rules *)records->results[g])->dataset
                          : ((const fimbit_itemsets *)records->results[g])->dataset;
}

static bool format_record(const group_records *records, size_t g, const output_names *names,
                          size_t i, output_buffer *record)
{
    record->length = 0;
    if (records->rules) {
        const fimbit_rules *rules = records->results[g];
        fimbit_rule rule;
        rules_entry_fill(&rules->entries[i], rules->dataset->basket_count, names->rule_measures,
                         &rule);
        return output_format_rule(record, names, &rule);
    }
    const fimbit_itemsets *itemsets = records->results[g];
    const uint32_t *stored = itemsets->index[i];
    return output_format_itemset(record, names, store_record_items(stored),
                                 store_record_size(stored), store_record_count(stored),
                                 itemsets->dataset->basket_count);
}

/* Writes the first `limit` records of group g (all when 0). */
static fimbit_status write_group(const fimbit_groups *groups, const group_records *records,
                                 size_t g, fimbit_format format, size_t limit,
                                 output_target *target, output_buffer buffers[3],
                                 fimbit_error *error)
{
    output_buffer *prefix = &buffers[0], *record = &buffers[1], *out = &buffers[2];
    output_names names;
    fimbit_status status = output_names_build(&names, groups->datasets[g], format, error);
    if (status != FIMBIT_OK)
        return status;
    if (format != FIMBIT_FORMAT_TEXT)
        names.rule_measures = records->rule_measures;
    if (group_prefix(groups->names[g], format, prefix) != FIMBIT_OK)
        status = fimbit__fail(error, FIMBIT_ENOMEM, "out of memory while formatting output");
    size_t count = result_count(records, g);
    if (limit != 0 && limit < count)
        count = limit;
    for (size_t i = 0; i < count && status == FIMBIT_OK; i++) {
        if (!format_record(records, g, &names, i, record) ||
            !append_record(out, prefix, record, format))
            status = fimbit__fail(error, FIMBIT_ENOMEM, "out of memory while formatting output");
        else if (out->length >= GROUP_WRITE_FLUSH_BYTES) {
            status = output_write(target, out->data, out->length, error);
            out->length = 0;
        }
    }
    output_names_free(&names);
    return status;
}

static fimbit_status write_groups(const fimbit_groups *groups, const group_records *records,
                                  fimbit_format format, size_t limit, const char *path,
                                  fimbit_error *error)
{
    if (groups == NULL || records->results == NULL)
        return fimbit__fail(error, FIMBIT_EINVAL, "no groups to write");
    if (format != FIMBIT_FORMAT_TEXT && format != FIMBIT_FORMAT_CSV &&
        format != FIMBIT_FORMAT_JSONL)
        return fimbit__fail(error, FIMBIT_EINVAL, "unknown output format %d", (int)format);
    /* A group's names are its dataset's: a result of another would name its
     * items by ids that the group may not have. */
    for (size_t g = 0; g < groups->count; g++) {
        if (records->results[g] == NULL)
            return fimbit__fail(error, FIMBIT_EINVAL, "no result for group '%.100s'",
                                groups->names[g]);
        if (result_dataset(records, g) != groups->datasets[g])
            return fimbit__fail(error, FIMBIT_EINVAL,
                                "the result for group '%.100s' was not mined from its dataset",
                                groups->names[g]);
    }
    output_target target;
    fimbit_status status = output_open(&target, path, error);
    if (status != FIMBIT_OK)
        return status;
    if (*records->header != '\0')
        status = output_write(&target, "group,", 6, error);
    if (status == FIMBIT_OK)
        status = output_write(&target, records->header, strlen(records->header), error);
    output_buffer buffers[3] = {{0}};
    for (size_t g = 0; g < groups->count && status == FIMBIT_OK; g++)
        status = write_group(groups, records, g, format, limit, &target, buffers, error);
    if (status == FIMBIT_OK)
        status = output_write(&target, buffers[2].data, buffers[2].length, error);
    for (int b = 0; b < 3; b++)
        output_buffer_free(&buffers[b]);
    if (status == FIMBIT_OK)
        return output_commit(&target, error);
    output_abort(&target);
    return status;
}

fimbit_status fimbit_groups_itemsets_write(const fimbit_groups *groups,
                                           fimbit_itemsets *const *results,
                                           fimbit_format format, size_t limit, const char *path,
                                           fimbit_error *error)
{
    group_records records = {(const void *const *)results, false, 0,
                             output_itemset_header(format)};
    return write_groups(groups, &records, format, limit, path, error);
}

fimbit_status fimbit_groups_rules_write(const fimbit_groups *groups,
                                        fimbit_rules *const *results, fimbit_format format,
                                        size_t limit, const char *path, fimbit_error *error)
{
    /* One header for all: every rule set must carry the same measures.
     * (write_groups() reports a missing result.) */
    size_t first = SIZE_MAX;
    for (size_t g = 0; groups != NULL && results != NULL && g < groups->count; g++) {
        if (results[g] == NULL)
            continue;
        if (first == SIZE_MAX)
            first = g;
        else if (results[g]->measures != results[first]->measures)
            return fimbit__fail(error, FIMBIT_EINVAL,
                                "the rules of groups '%.100s' and '%.100s' carry different "
                                "measures",
                                groups->names[first], groups->names[g]);
    }
    uint32_t measures = first == SIZE_MAX ? 0 : results[first]->measures;
    char header[512];
    output_rule_header_with_measures(format, measures, header, sizeof header);
    group_records records = {(const void *const *)results, true, measures, header};
    return write_groups(groups, &records, format, limit, path, error);
}
