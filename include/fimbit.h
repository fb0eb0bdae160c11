/*
 * fimbit — parallel frequent-itemset and association-rule mining.
 *
 * The only installed header. The stable part comes first: read a dataset, mine
 * itemsets or rules, look at or write the result, free. Advanced knobs follow.
 *
 * Conventions
 *  - Opaque handles come from a *_read / *_mine / *_create call and go back
 *    through the matching *_free, which accepts NULL. A call that fills an
 *    `out` handle leaves it NULL when it fails.
 *  - Every fallible call returns a fimbit_status (FIMBIT_OK is 0) and, when the
 *    caller passes a non-NULL fimbit_error, fills it with the code, a one-line
 *    message and, for malformed input, the file, line and column. Calls that
 *    take no fimbit_error (getters, sorts) return the bare status. A call
 *    that succeeds leaves the fimbit_error as it was (as errno is left): test
 *    the returned status; error->code means something only after a failure.
 *  - Besides the codes each call lists: a NULL where a pointer is required,
 *    or an enum or option value out of range, is FIMBIT_EINVAL (never a
 *    crash); a call that allocates may return FIMBIT_ENOMEM, or FIMBIT_ELIMIT
 *    under fimbit_set_memory_limit(); a call that reads, mines or writes
 *    returns FIMBIT_ECANCELED when stopped (fimbit_request_stop(), a progress
 *    callback). Getters given NULL or an index out of range return 0 or NULL
 *    (NaN for fimbit_rule_measure), the sorts and truncation do nothing with
 *    NULL, and so do the *_options_init calls.
 *  - Every options pointer may be NULL: it stands for the defaults that the
 *    matching *_options_init() sets (RFM's name no column, so that
 *    fimbit_rfm_compute() refuses NULL as it refuses them).
 *  - Threads: calls on different handles may run on any threads at once, and
 *    so may calls that take a handle as const (one dataset mined, one result
 *    written, one recommender queried from several threads). A call that
 *    takes a non-const handle (the sorts, fimbit_rules_truncate,
 *    fimbit_dataset_mine_once, fimbit_recommender_add_*) needs it alone, and a
 *    handle must outlive every call using it. Process-wide: the memory limit
 *    and the stop request; per thread: the progress callback. Every `threads`
 *    option: 0 = every core, more than the cores is allowed, negative is
 *    FIMBIT_EINVAL.
 *  - The library never prints, never exits and never aborts on bad input.
 *  - Item ids are dense: 0 .. fimbit_dataset_item_count() - 1, in order of first
 *    appearance in the input; fimbit_dataset_item_name() gives the name as read.
 */
#ifndef FIMBIT_H
#define FIMBIT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(FIMBIT_BUILDING_LIBRARY) && defined(__GNUC__)
#define FIMBIT_API __attribute__((visibility("default")))
#else
#define FIMBIT_API
#endif

/* ------------------------------------------------------------------ version */

#define FIMBIT_VERSION_MAJOR 0
#define FIMBIT_VERSION_MINOR 1
#define FIMBIT_VERSION_PATCH 0
#define FIMBIT_VERSION_NUMBER \
    (FIMBIT_VERSION_MAJOR * 10000 + FIMBIT_VERSION_MINOR * 100 + FIMBIT_VERSION_PATCH)
#define FIMBIT_VERSION_STRING "0.1.0"

/* @return the library's version string, e.g. "0.1.0" (may differ from the
 *         header's FIMBIT_VERSION_STRING when linked against another build). */
FIMBIT_API const char *fimbit_version(void);

/* ------------------------------------------------------------------- errors */

/* One table: the enum, the names and the messages cannot drift apart. */
#define FIMBIT_STATUS_MAP(X)                                                  \
    X(OK, 0, "success")                                                       \
    X(EINVAL, 1, "invalid argument")                                          \
    X(EPARSE, 2, "malformed input")                                           \
    X(EIO, 3, "input/output error")                                           \
    X(ENOMEM, 4, "out of memory")                                             \
    X(ELIMIT, 5, "resource limit exceeded")                                   \
    X(ECANCELED, 6, "stopped by the caller")                                  \
    X(EINTERNAL, 7, "internal error")

typedef enum fimbit_status {
#define FIMBIT_STATUS_ENUM_(name, value, text) FIMBIT_##name = value,
    FIMBIT_STATUS_MAP(FIMBIT_STATUS_ENUM_)
#undef FIMBIT_STATUS_ENUM_
} fimbit_status;

/* @return a static, human-readable description of a status ("out of memory"). */
FIMBIT_API const char *fimbit_status_str(fimbit_status status);

/* @return the status's name without prefix ("ENOMEM"), or "UNKNOWN". */
FIMBIT_API const char *fimbit_status_name(fimbit_status status);

/* Filled by a failing call when the caller passes one, and left untouched by
 * a call that succeeds. `message` is complete and printable on its own:
 * "retail.dat:12:7: expected an item id, found 'x'". `file` is empty, `line`
 * and `column` are 0 where they do not apply. */
typedef struct fimbit_error {
    fimbit_status code;
    char message[512];
    char file[256];
    uint64_t line;   /* 1-based */
    uint64_t column; /* 1-based, in bytes */
} fimbit_error;

/* ------------------------------------------------------------------ dataset */

typedef struct fimbit_dataset fimbit_dataset;

typedef enum fimbit_input_format {
    /* By content: FIMI when the first lines hold only integers, else BASKET.
     * Long CSV is never guessed (a row "1,a" is also a basket of two named
     * items): it is read when asked for, or when a column is named. */
    FIMBIT_INPUT_AUTO = 0,
    FIMBIT_INPUT_FIMI,     /* integer item ids, whitespace separated, a basket a line */
    /* Named items, a basket a line, `separator` between them; blanks around a
     * name are dropped, empty names skipped, and quotes are not special
     * (unlike CSV): `"a,b"` holds the names `"a` and `b"`. */
    FIMBIT_INPUT_BASKET,
    FIMBIT_INPUT_CSV       /* long form: one `basket,item` row per item, RFC 4180 */
} fimbit_input_format;

typedef struct fimbit_read_options {
    fimbit_input_format format;
    /* Item separator for BASKET and field separator for CSV. 0 = automatic:
     * comma if the first line has one, else whitespace (BASKET) / comma (CSV). */
    char separator;
    /* Long CSV only: the basket and item columns, each a header name or a
     * 1-based index ("2"). NULL = the first and second columns. */
    const char *basket_column;
    const char *item_column;
    /* Long CSV only: 1 = the first row is a header, 0 = no header,
     * -1 = automatic (a header when a named column is asked for, or when the
     * first row's basket field differs in kind from the second's). */
    int header;
    int threads; /* 0 = every core */
    /* Long CSV only: non-zero keeps every basket's id as read, for
     * fimbit_dataset_basket_key(). 0 (the default) saves the memory. */
    int basket_keys;
} fimbit_read_options;

/* Sets the defaults: AUTO format, automatic separator and header, every core. */
FIMBIT_API void fimbit_read_options_init(fimbit_read_options *options);

/* Checks `options` as fimbit_dataset_read() would before reading anything
 * (a known format, a usable separator, valid and distinct columns, a header
 * setting that fits named columns, threads >= 0), so that a caller can reject
 * them early. NULL stands for the defaults, which pass.
 * @return FIMBIT_OK, or FIMBIT_EINVAL with a message in `error`. */
FIMBIT_API fimbit_status fimbit_read_options_check(const fimbit_read_options *options,
                                                   fimbit_error *error);

/* Reads and concatenates `path_count` inputs into one dataset. A path of "-" or
 * NULL is standard input. gzip and zstd files are recognised by their magic
 * bytes and decompressed while reading. An item repeated in a basket counts
 * once; blank lines of FIMI and BASKET input are empty baskets.
 * `options` may be NULL for the defaults. On success *out owns the dataset
 * (an empty input gives a dataset of 0 baskets).
 * @return FIMBIT_OK; FIMBIT_EINVAL for no paths (path_count 0) or options
 *         that fimbit_read_options_check() refuses; FIMBIT_EIO with the file
 *         when an input cannot be opened or read (a directory, say);
 *         FIMBIT_EPARSE for malformed input (a FIMI id that is not an
 *         integer below 2^64, a bad CSV record or column), with the file and,
 *         where they apply, line and column;
 *         FIMBIT_ELIMIT past 2^32 - 2 distinct items; FIMBIT_ENOMEM. */
FIMBIT_API fimbit_status fimbit_dataset_read(const char *const *paths, size_t path_count,
                                             const fimbit_read_options *options,
                                             fimbit_dataset **out, fimbit_error *error);

/* Builds a dataset from baskets given in memory: basket b holds the item names
 * names[offsets[b]] .. names[offsets[b + 1] - 1] (offsets has basket_count + 1
 * entries). Names are copied; the caller keeps ownership of its arrays.
 * `names` may be NULL when the baskets hold no items (basket_count 0, say).
 * @return FIMBIT_OK; FIMBIT_EINVAL for a NULL out or offsets, offsets that
 *         decrease, or a NULL `names` or name where items are due;
 *         FIMBIT_ELIMIT past 2^32 - 2 distinct items; FIMBIT_ENOMEM. */
FIMBIT_API fimbit_status fimbit_dataset_from_baskets(const char *const *names,
                                                     const uint64_t *offsets,
                                                     uint64_t basket_count,
                                                     fimbit_dataset **out,
                                                     fimbit_error *error);

/* Builds a dataset from baskets of integer item ids given in memory, as if
 * read from FIMI text: basket b holds ids[offsets[b]] .. ids[offsets[b + 1] - 1]
 * (offsets has basket_count + 1 entries), and every item is named by its id
 * in decimal ("17"), so the natural item order is numeric. For bindings that
 * hold baskets as integer arrays (a one-hot frame's column positions): no
 * string per item. The caller keeps ownership of its arrays; `ids` may be NULL
 * when the baskets hold no items. @return as fimbit_dataset_from_baskets(). */
FIMBIT_API fimbit_status fimbit_dataset_from_ids(const uint32_t *ids, const uint64_t *offsets,
                                                 uint64_t basket_count, fimbit_dataset **out,
                                                 fimbit_error *error);

/* Frees a dataset; NULL is allowed. Results mined from it must be freed first. */
FIMBIT_API void fimbit_dataset_free(fimbit_dataset *dataset);

/* For a caller that mines `dataset` once, as the command line does: lets the
 * next mining call free the dataset's baskets as soon as it has no more use
 * for them (once it has recoded them, for most runs; when it returns, for
 * the rest), which lowers that call's peak memory by their size. The dataset
 * keeps its names, supports, counts and stats, all that a result and the
 * writers read. From that call on, mining the dataset again fails with
 * FIMBIT_EINVAL, and so do fimbit_dataset_length_histogram() and
 * fimbit_recommend_basket(). No other thread may use the dataset during that
 * call. NULL is allowed. */
FIMBIT_API void fimbit_dataset_mine_once(fimbit_dataset *dataset);

/* @return the number of baskets, empty ones included. */
FIMBIT_API uint64_t fimbit_dataset_basket_count(const fimbit_dataset *dataset);
/* @return the number of distinct items. */
FIMBIT_API uint32_t fimbit_dataset_item_count(const fimbit_dataset *dataset);
/* @return the item's name as read (NUL-terminated, owned by the dataset), or
 *         NULL when `item` is out of range. */
FIMBIT_API const char *fimbit_dataset_item_name(const fimbit_dataset *dataset, uint32_t item);
/* @return the number of baskets that contain `item` (0 when out of range). */
FIMBIT_API uint64_t fimbit_dataset_item_support(const fimbit_dataset *dataset, uint32_t item);
/* @return basket `basket`'s id as read from its basket column (owned by the
 *         dataset), for long CSV read with `basket_keys` set; NULL for other
 *         datasets or when `basket` is out of range. */
FIMBIT_API const char *fimbit_dataset_basket_key(const fimbit_dataset *dataset,
                                                 uint64_t basket);

/* Finds an item by name. @return FIMBIT_OK and *item, or FIMBIT_EINVAL when
 * no item has that name (or an argument is NULL). */
FIMBIT_API fimbit_status fimbit_dataset_find_item(const fimbit_dataset *dataset,
                                                  const char *name, uint32_t *item);

typedef struct fimbit_dataset_stats {
    uint64_t baskets;
    uint64_t empty_baskets;
    uint32_t items;            /* distinct items */
    uint64_t total_items;      /* sum of basket lengths */
    uint64_t max_basket_size;
    double avg_basket_size;
    double density;            /* avg_basket_size / items, 0 when there are none */
} fimbit_dataset_stats;

/* Fills `stats` (all zero for a NULL dataset). Cheap: computed when the
 * dataset was read, and kept by fimbit_dataset_mine_once(). */
FIMBIT_API void fimbit_dataset_get_stats(const fimbit_dataset *dataset,
                                         fimbit_dataset_stats *stats);

/* Counts baskets by length: histogram[k] = baskets with k items for
 * k < bins - 1, and histogram[bins - 1] = baskets with bins - 1 items or more.
 * `histogram` has `bins` entries, owned by the caller.
 * @return FIMBIT_OK, or FIMBIT_EINVAL when bins is 0, an argument is NULL,
 *         or the dataset holds no baskets (given up by
 *         fimbit_dataset_mine_once(), or an MPI run's rank 0 dataset). */
FIMBIT_API fimbit_status fimbit_dataset_length_histogram(const fimbit_dataset *dataset,
                                                         uint64_t *histogram, size_t bins);

/* --------------------------------------------------------------- itemsets */

typedef enum fimbit_target {
    FIMBIT_TARGET_ALL = 0, /* every frequent itemset */
    FIMBIT_TARGET_CLOSED,  /* no proper superset has the same support */
    FIMBIT_TARGET_MAXIMAL  /* no proper superset is frequent */
} fimbit_target;

typedef enum fimbit_algorithm {
    FIMBIT_ALGORITHM_AUTO = 0, /* FP-growth for TARGET_ALL, Eclat for CLOSED and MAXIMAL */
    FIMBIT_ALGORITHM_FPGROWTH,
    FIMBIT_ALGORITHM_ECLAT
} fimbit_algorithm;

typedef struct fimbit_mine_options {
    /* The support threshold: an itemset is frequent when its basket count is
     * at least min_count. When min_count is 0, the threshold is min_support,
     * a fraction of all baskets in (0, 1], rounded up to a count (and at least
     * one basket). */
    uint64_t min_count;
    double min_support;
    fimbit_target target;
    fimbit_algorithm algorithm;
    uint32_t min_size; /* smallest itemset reported; default 1 (0 counts as 1:
                          the empty itemset is never reported) */
    uint32_t max_size; /* largest itemset reported; 0 = no limit */
    int threads;       /* 0 = every core */
} fimbit_mine_options;

/* Sets the defaults: 1% support, target ALL, AUTO algorithm, sizes 1..no limit,
 * every core. */
FIMBIT_API void fimbit_mine_options_init(fimbit_mine_options *options);

/* Resolves the support threshold of `options` (NULL: the defaults) against
 * `dataset` into a basket count (what min_count means after rounding; at
 * least 1, also for a dataset of 0 baskets). @return FIMBIT_OK, or
 * FIMBIT_EINVAL when neither threshold is valid or dataset or min_count is
 * NULL. */
FIMBIT_API fimbit_status fimbit_min_count(const fimbit_dataset *dataset,
                                          const fimbit_mine_options *options,
                                          uint64_t *min_count, fimbit_error *error);

/* The itemsets found by one mining run. */
typedef struct fimbit_itemsets fimbit_itemsets;

/* Mines the frequent (closed, maximal) itemsets of `dataset`. The result refers
 * to the dataset, which must outlive it. The same options give the same set of
 * itemsets and counts whatever the algorithm and thread count; their order is
 * unspecified until fimbit_itemsets_sort(). `options` may be NULL for the
 * defaults. On success *out owns the result (fimbit_itemsets_free).
 * @return FIMBIT_OK (also when nothing is frequent: an empty result);
 *         FIMBIT_EINVAL for a NULL dataset or out, a support threshold that
 *         is not a fraction in (0, 1] when min_count is 0, min_size above a
 *         non-zero max_size, an unknown target or algorithm, negative
 *         threads, or a dataset that holds no baskets (mined once already
 *         after fimbit_dataset_mine_once(), an MPI run's rank 0 dataset);
 *         FIMBIT_ENOMEM, FIMBIT_ELIMIT, FIMBIT_ECANCELED. */
FIMBIT_API fimbit_status fimbit_mine_itemsets(const fimbit_dataset *dataset,
                                              const fimbit_mine_options *options,
                                              fimbit_itemsets **out, fimbit_error *error);

/* Called once per itemset found. `items` holds `size` item ids (valid only
 * during the call) and `count` the number of baskets containing them. Calls
 * come from worker threads but never two at once. Return 0 to go on, non-zero
 * to stop mining: the run then returns FIMBIT_ECANCELED. */
typedef int (*fimbit_itemset_fn)(void *user, const uint32_t *items, uint32_t size,
                                 uint64_t count);

/* Mines like fimbit_mine_itemsets() but hands every itemset to `fn` as soon as
 * it is found, without keeping them: memory stays bounded by the mining.
 * @return as fimbit_mine_itemsets(), FIMBIT_EINVAL for a NULL fn, and
 *         FIMBIT_ECANCELED when `fn` asked to stop. */
FIMBIT_API fimbit_status fimbit_mine_itemsets_stream(const fimbit_dataset *dataset,
                                                     const fimbit_mine_options *options,
                                                     fimbit_itemset_fn fn, void *user,
                                                     fimbit_error *error);

/* Frees a result; NULL is allowed. Its dataset must still be alive. */
FIMBIT_API void fimbit_itemsets_free(fimbit_itemsets *itemsets);

/* @return the number of itemsets. */
FIMBIT_API size_t fimbit_itemsets_count(const fimbit_itemsets *itemsets);

/* Gives itemset `index`: *items points at *size item ids owned by the result
 * (in natural item order once sorted), *count is its basket count; any of
 * the three may be NULL to skip it. @return FIMBIT_OK, or FIMBIT_EINVAL when
 * `itemsets` is NULL or `index` is out of range. */
FIMBIT_API fimbit_status fimbit_itemsets_get(const fimbit_itemsets *itemsets, size_t index,
                                             const uint32_t **items, uint32_t *size,
                                             uint64_t *count);

/* Puts the result in canonical order: items inside an itemset in natural item
 * order (numeric when every name is an integer, else by bytes), itemsets by
 * size, then by their items. */
FIMBIT_API void fimbit_itemsets_sort(fimbit_itemsets *itemsets);

/* @return the number of items over all itemsets: the room that
 *         fimbit_itemsets_export() needs for `items`. */
FIMBIT_API uint64_t fimbit_itemsets_item_total(const fimbit_itemsets *itemsets);

/* Copies every itemset, in the current order, into caller-owned arrays in one
 * call (for bindings, where one call per itemset costs more than the mining):
 * itemset i holds items[offsets[i]] .. items[offsets[i + 1] - 1], in natural
 * item order, and was found in counts[i] baskets. `items` has room for
 * fimbit_itemsets_item_total() ids, `offsets` for count + 1 entries and
 * `counts` for count entries; any of the three may be NULL to skip it. */
FIMBIT_API void fimbit_itemsets_export(const fimbit_itemsets *itemsets, uint32_t *items,
                                       uint64_t *offsets, uint64_t *counts);

/* ------------------------------------------------------------------- rules */

/* The measures of a rule X => Y, with a, c and s the supports of X, Y and
 * X u Y as fractions of all baskets. The first nine are the extra measures a
 * rule set may carry (fimbit_rule_options.measures), in the order the writers
 * give them; the last five every rule has. */
typedef enum fimbit_measure {
    FIMBIT_MEASURE_ANTECEDENT_SUPPORT = 0, /* a */
    FIMBIT_MEASURE_CONSEQUENT_SUPPORT,     /* c */
    FIMBIT_MEASURE_JACCARD,                /* s / (a + c - s) */
    FIMBIT_MEASURE_KULCZYNSKI,             /* (s / a + s / c) / 2 */
    FIMBIT_MEASURE_CERTAINTY,              /* (confidence - c) / (1 - c); 0 when c = 1 */
    FIMBIT_MEASURE_ZHANGS_METRIC,          /* (s - a c) / max(s (1 - a), a (c - s)); 0 when that is 0 */
    FIMBIT_MEASURE_COSINE,                 /* s / sqrt(a c) */
    /* confidence(X => Y) minus the largest confidence(X' => Y) over the
     * proper subsets X' of X, the empty set included (its confidence is c):
     * Bayardo, Agrawal & Gunopulos 1999. Positive when no simpler rule does
     * as well. */
    FIMBIT_MEASURE_IMPROVEMENT,
    /* One-sided Fisher exact test for positive association: P[H >= count(X u Y)]
     * with H hypergeometric (N baskets, count(Y) successes, count(X) draws),
     * computed in log space: accurate down to the smallest doubles. */
    FIMBIT_MEASURE_P_VALUE,
    FIMBIT_MEASURE_SUPPORT,
    FIMBIT_MEASURE_CONFIDENCE,
    FIMBIT_MEASURE_LIFT,
    FIMBIT_MEASURE_LEVERAGE,
    FIMBIT_MEASURE_CONVICTION,
    FIMBIT_MEASURE_COUNT_ /* not a measure: one past the last */
} fimbit_measure;

/* A measure's bit in fimbit_rule_options.measures, and every extra measure. */
#define FIMBIT_MEASURE_BIT(measure) (1u << (measure))
#define FIMBIT_MEASURES_ALL ((1u << (FIMBIT_MEASURE_P_VALUE + 1)) - 1)

/* @return the measure's name as the writers and the command line spell it
 *         ("zhangs_metric", "p_value", "confidence"), or NULL when unknown. */
FIMBIT_API const char *fimbit_measure_name(fimbit_measure measure);

/* Finds a measure by its name. @return FIMBIT_OK and *measure, or FIMBIT_EINVAL. */
FIMBIT_API fimbit_status fimbit_measure_from_name(const char *name, fimbit_measure *measure);

/* How p-values are corrected for the number m of rules tested: the rules that
 * pass every filter but max_p. */
typedef enum fimbit_p_adjust {
    FIMBIT_P_ADJUST_NONE = 0,
    FIMBIT_P_ADJUST_BONFERRONI, /* min(1, m p) */
    FIMBIT_P_ADJUST_HOLM        /* Holm's step-down: the i-th smallest p becomes
                                   the largest min(1, (m - j + 1) p_(j)) over j <= i */
} fimbit_p_adjust;

typedef struct fimbit_rule_options {
    fimbit_mine_options mine; /* target is ignored: rules come from all itemsets */
    double min_confidence;    /* in [0, 1]; default 0.8 */
    double min_lift;          /* default 0: no lift filter */
    uint32_t max_consequent;  /* items on the right; default 1, 0 = no limit */

    /* Item constraints, by item name (the integer ids as written for FIMI
     * input). The arrays and names are the caller's and are read during
     * fimbit_mine_rules() only. Names that do not occur in the dataset, and
     * NULL names, are ignored. NULL (the default) = no constraint; a
     * non-NULL list of no names allows no item. */
    const char *const *antecedent_items; /* every item of X is one of these */
    size_t antecedent_item_count;
    const char *const *consequent_items; /* every item of Y is one of these */
    size_t consequent_item_count;
    /* Removed from every basket before mining; the basket count stays. */
    const char *const *exclude_items;
    size_t exclude_item_count;

    /* FIMBIT_MEASURE_BIT()s of the extra measures the rule set carries and
     * the writers add to CSV and JSON Lines; default 0 (none). */
    uint32_t measures;
    /* Keeps rules with improvement >= min_improvement; default -INFINITY (no
     * filter). */
    double min_improvement;
    /* Non-zero: keeps rules with improvement > 0 only (compared exactly);
     * default 0. */
    int non_redundant;
    /* Keeps rules with p-value <= max_p, in [0, 1], after p_adjust; default 1
     * (no filter). With an adjustment the rule set carries adjusted p-values. */
    double max_p;
    fimbit_p_adjust p_adjust; /* default FIMBIT_P_ADJUST_NONE */
} fimbit_rule_options;

/* Sets the defaults: those of fimbit_mine_options_init(), confidence 0.8,
 * no lift filter, one-item consequents, no item constraints, no extra
 * measures, no improvement or p-value filter. */
FIMBIT_API void fimbit_rule_options_init(fimbit_rule_options *options);

typedef struct fimbit_rules fimbit_rules;

/* One strong rule X => Y. Item arrays are owned by the rule set. */
typedef struct fimbit_rule {
    const uint32_t *antecedent; /* X */
    uint32_t antecedent_size;
    const uint32_t *consequent; /* Y */
    uint32_t consequent_size;
    uint64_t count;     /* baskets containing X and Y */
    double support;     /* count / baskets */
    double confidence;  /* count(X u Y) / count(X) */
    double lift;        /* confidence / support(Y) */
    double leverage;    /* support(X u Y) - support(X) support(Y) */
    double conviction;  /* (1 - support(Y)) / (1 - confidence); INFINITY at confidence 1 */
    /* The extra measures (fimbit_measure). improvement and p_value are NaN
     * unless the options asked for them (as a measure or a filter); p_value
     * is the adjusted one when the options asked for an adjustment. */
    double antecedent_support;
    double consequent_support;
    double jaccard;
    double kulczynski;
    double certainty;
    double zhangs_metric;
    double cosine;
    double improvement;
    double p_value;
} fimbit_rule;

/* Mines the strong rules of `dataset`: every X => Y with X and Y disjoint and
 * non-empty, |Y| <= max_consequent, |X u Y| within the size bounds, support of
 * X u Y >= the support threshold, confidence >= min_confidence,
 * lift >= min_lift, and the item constraints, improvement and p-value
 * filters of `options` met. The dataset must outlive the result. `options`
 * may be NULL for the defaults. On success *out owns the rules
 * (fimbit_rules_free).
 * @return FIMBIT_OK (also when no rule is strong: an empty set), or as
 *         fimbit_mine_itemsets(), with FIMBIT_EINVAL also for a confidence or
 *         max_p outside [0, 1], a negative or NaN min_lift, a NaN
 *         min_improvement, unknown measure bits or p_adjust, and an item list
 *         with a count but a NULL array. */
FIMBIT_API fimbit_status fimbit_mine_rules(const fimbit_dataset *dataset,
                                           const fimbit_rule_options *options,
                                           fimbit_rules **out, fimbit_error *error);

/* Frees a rule set; NULL is allowed. Its dataset must still be alive. */
FIMBIT_API void fimbit_rules_free(fimbit_rules *rules);

/* @return the number of rules. */
FIMBIT_API size_t fimbit_rules_count(const fimbit_rules *rules);

/* Copies rule `index` into *rule (its item arrays stay owned by the rule
 * set). @return FIMBIT_OK, or FIMBIT_EINVAL for a NULL argument or an index
 * out of range. */
FIMBIT_API fimbit_status fimbit_rules_get(const fimbit_rules *rules, size_t index,
                                          fimbit_rule *rule);

/* @return one measure of a rule filled by fimbit_rules_get() (NaN for an
 *         unknown measure). */
FIMBIT_API double fimbit_rule_measure(const fimbit_rule *rule, fimbit_measure measure);

/* Canonical order: by antecedent, then consequent, each compared by size and
 * then item by item in natural item order. */
FIMBIT_API void fimbit_rules_sort(fimbit_rules *rules);

/* Orders rules for people: by confidence, then lift, then count, descending;
 * ties in canonical order. */
FIMBIT_API void fimbit_rules_sort_by_strength(fimbit_rules *rules);

/* Orders rules best first by `measure`: descending, except p_value, which
 * goes ascending; ties as fimbit_rules_sort_by_strength(). A measure the rule
 * set does not carry (improvement or p_value not asked for) sorts last.
 * @return FIMBIT_OK, or FIMBIT_EINVAL for an unknown measure. */
FIMBIT_API fimbit_status fimbit_rules_sort_by(fimbit_rules *rules, fimbit_measure measure);

/* Keeps the first `count` rules in their current order and drops the others
 * (their memory stays until fimbit_rules_free); `count` at or past
 * fimbit_rules_count() changes nothing. With fimbit_rules_sort_by_strength()
 * it keeps the strongest rules. */
FIMBIT_API void fimbit_rules_truncate(fimbit_rules *rules, size_t count);

/* ------------------------------------------------------ rules from a table */

/* A support table holds itemsets and their supports as a caller has them (the
 * rows of a table of frequent itemsets, say a pandas frame of mlxtend's kind)
 * and derives association rules from them, without the dataset: every rule
 * X => Y whose X u Y is a row, with the supports of X and Y looked up among
 * the rows. */
typedef struct fimbit_support_table fimbit_support_table;

/* Builds a table of `row_count` itemsets: row r holds the ids
 * items[offsets[r]] .. items[offsets[r + 1] - 1] (any values, distinct within
 * the row, in any order; `offsets` has row_count + 1 entries) and has support
 * supports[r], a fraction of the baskets in [0, 1] (NaN, "unknown", is
 * refused: a rule needs the supports of its sides). `counts` is NULL, or
 * gives every row's basket count out of `basket_count` baskets: the measures
 * are then computed from exact counts (confidence as one quotient
 * count(X u Y) / count(X), so a rule at exactly a threshold is not lost to
 * rounding), and `supports` may be NULL (when given, it is checked, not
 * used). Without counts the measures follow mlxtend's floating-point
 * formulas over the supports, with `basket_count` as its num_itemsets (0
 * counts as 1). Rows of no items are allowed (they make no rule). The
 * arrays are copied; the caller keeps them.
 * @return FIMBIT_OK and *out (free it with fimbit_support_table_free),
 *         FIMBIT_EINVAL for a support that is NaN, infinite or outside
 *         [0, 1], a row that repeats an item or an earlier row (the message
 *         names the rows, counted from 0), for counts above basket_count or
 *         without baskets; FIMBIT_ENOMEM. */
FIMBIT_API fimbit_status fimbit_support_table_create(const uint32_t *items,
                                                     const uint64_t *offsets, size_t row_count,
                                                     const double *supports,
                                                     const uint64_t *counts,
                                                     uint64_t basket_count,
                                                     fimbit_support_table **out,
                                                     fimbit_error *error);

/* Frees a table; NULL is allowed. */
FIMBIT_API void fimbit_support_table_free(fimbit_support_table *table);

/* The measures of a rule X => Y, in the column order of mlxtend's
 * association_rules. With s() the support (a fraction of the baskets): */
typedef enum fimbit_rule_metric {
    FIMBIT_METRIC_ANTECEDENT_SUPPORT = 0, /* s(X) */
    FIMBIT_METRIC_CONSEQUENT_SUPPORT,     /* s(Y) */
    FIMBIT_METRIC_SUPPORT,                /* s(X u Y) */
    FIMBIT_METRIC_CONFIDENCE,             /* s(X u Y) / s(X) */
    FIMBIT_METRIC_LIFT,                   /* confidence / s(Y) */
    FIMBIT_METRIC_REPRESENTATIVITY,       /* 1: every basket is known (no null values) */
    FIMBIT_METRIC_LEVERAGE,               /* s(X u Y) - s(X) s(Y) */
    FIMBIT_METRIC_CONVICTION,             /* (1 - s(Y)) / (1 - confidence); INFINITY at 1 */
    FIMBIT_METRIC_ZHANG,                  /* leverage / max(s(X u Y)(1 - s(X)),
                                             s(X)(s(Y) - s(X u Y))); 0 when that is 0 */
    FIMBIT_METRIC_JACCARD,                /* s(X u Y) / (s(X) + s(Y) - s(X u Y)) */
    FIMBIT_METRIC_CERTAINTY,              /* (confidence - s(Y)) / (1 - s(Y)); 0 when s(Y) = 1 */
    FIMBIT_METRIC_KULCZYNSKI,             /* (confidence + s(X u Y) / s(Y)) / 2 */
    FIMBIT_METRIC_COUNT                   /* the number of measures */
} fimbit_rule_metric;

/* Rules derived from a support table. */
typedef struct fimbit_table_rules fimbit_table_rules;

/* A row that is not in the table (see fimbit_table_rules_export). */
#define FIMBIT_NO_ROW UINT64_MAX

/* Derives every rule X => Y, X and Y non-empty and disjoint, X u Y a row of
 * `table`, whose measure `metric` is at least `min_threshold` (NaN never is).
 * Rules come row by row, in row order; within a row by antecedent size, the
 * largest first. Unless `support_only`, X and Y must be rows too; with
 * `support_only` only FIMBIT_METRIC_SUPPORT is computed (the other measures
 * are NaN), `metric` must be it, and X and Y need not be rows.
 * The table may be freed before the rules.
 * @return FIMBIT_OK and *out (free it with fimbit_table_rules_free);
 *         FIMBIT_EINVAL for an unknown metric, for support_only with another
 *         metric, or when X or Y is not a row (the message names the row of
 *         X u Y, from 0); FIMBIT_ELIMIT for a row of more than 63 items;
 *         FIMBIT_ENOMEM. */
FIMBIT_API fimbit_status fimbit_support_table_rules(const fimbit_support_table *table,
                                                    fimbit_rule_metric metric,
                                                    double min_threshold, int support_only,
                                                    fimbit_table_rules **out,
                                                    fimbit_error *error);

/* Frees derived rules; NULL is allowed. */
FIMBIT_API void fimbit_table_rules_free(fimbit_table_rules *rules);

/* @return the number of rules. */
FIMBIT_API size_t fimbit_table_rules_count(const fimbit_table_rules *rules);

/* Copies the rules into caller-owned arrays of fimbit_table_rules_count()
 * entries (any may be NULL to skip it): the rows of X u Y, of X and of Y
 * (FIMBIT_NO_ROW when not a row, with support_only), the items of X as bits
 * of X u Y's row (bit i: the row's i-th item as given to
 * fimbit_support_table_create), and FIMBIT_METRIC_COUNT measures a rule,
 * rule after rule, in fimbit_rule_metric order. */
FIMBIT_API void fimbit_table_rules_export(const fimbit_table_rules *rules,
                                          uint64_t *itemset_rows, uint64_t *antecedent_rows,
                                          uint64_t *consequent_rows,
                                          uint64_t *antecedent_masks, double *metrics);

/* ------------------------------------------------------------------ output */

typedef enum fimbit_format {
    /* itemsets "{a, b, c} (count)", rules "{a, b} => {c} (count, support,
     * confidence, lift)"; a name holding , { } " CR or LF, with outer blanks,
     * or empty, is written between double quotes with its quotes doubled.
     * When every item name is an integer (FIMI input): "1 5 12 (count)" and
     * "1 5 => 12 (count, support, confidence, lift)". */
    FIMBIT_FORMAT_TEXT = 0,
    FIMBIT_FORMAT_CSV,      /* header row, RFC 4180 quoting, item lists space-joined in one field */
    FIMBIT_FORMAT_JSONL     /* one JSON object a line, item lists as arrays */
} fimbit_format;

/* Writes itemsets (in their current order) to `path`; NULL or "-" is standard
 * output. A file is written under a temporary name in the same directory and
 * renamed into place only when complete, so a failed call never leaves a file
 * that looks finished and never destroys an existing one.
 * @return FIMBIT_OK; FIMBIT_EINVAL for NULL itemsets or an unknown format;
 *         FIMBIT_EIO with the path when the file cannot be made or written;
 *         FIMBIT_ENOMEM, FIMBIT_ELIMIT, FIMBIT_ECANCELED. */
FIMBIT_API fimbit_status fimbit_itemsets_write(const fimbit_itemsets *itemsets,
                                               fimbit_format format, const char *path,
                                               fimbit_error *error);

/* Writes rules (in their current order) to `path`, as fimbit_itemsets_write.
 * CSV and JSON Lines add the rule set's extra measures after conviction, in
 * fimbit_measure order, named by fimbit_measure_name() (a NaN or infinite
 * value is `nan`/`inf` in CSV and null in JSON). @return as
 * fimbit_itemsets_write(). */
FIMBIT_API fimbit_status fimbit_rules_write(const fimbit_rules *rules, fimbit_format format,
                                            const char *path, fimbit_error *error);

/* Mines like fimbit_mine_itemsets() and writes every itemset to `path` (as
 * fimbit_itemsets_write: NULL or "-" is standard output, a file appears only
 * once complete) as soon as it is found, without keeping them: memory stays
 * that of the mining, whatever the number of itemsets. The order is
 * unspecified (use fimbit_mine_itemsets() and fimbit_itemsets_sort() for the
 * canonical one). `options` may be NULL for the defaults. *count, when not
 * NULL, receives the number written (0 on failure).
 * @return FIMBIT_OK, or the status of the failing stage: as
 *         fimbit_mine_itemsets() and fimbit_itemsets_write() (FIMBIT_EIO for
 *         a failed write, which leaves no file behind). */
FIMBIT_API fimbit_status fimbit_mine_itemsets_write(const fimbit_dataset *dataset,
                                                    const fimbit_mine_options *options,
                                                    fimbit_format format, const char *path,
                                                    uint64_t *count, fimbit_error *error);

/* ------------------------------------------------------------------ groups */

/* Mining per group: the rows of long CSV are split by the value of one column
 * (a customer, a country, a segment), each group is mined as a dataset of its
 * own — supports count that group's baskets — and the results are written
 * together, every record carrying its group. A group map turns a row's value
 * into its group first (customer -> segment). */

/* A group map: key -> group, read from a CSV file. */
typedef struct fimbit_group_map fimbit_group_map;

/* Reads a group map from `path` (CSV, RFC 4180, with a header row; gzip and
 * zstd are recognised): the first column is the key, `column` (a header name
 * or a 1-based index; NULL = the second) the key's group. A key repeated with
 * the same group is one key; a row with an empty group maps its key to none.
 * @return FIMBIT_OK and *out (free it with fimbit_group_map_free),
 * FIMBIT_EIO when the file cannot be read, FIMBIT_EPARSE with file:line:column
 * for malformed CSV or a missing column, and with the file for a key given two
 * groups, FIMBIT_EINVAL for a bad `column`, FIMBIT_ENOMEM. */
FIMBIT_API fimbit_status fimbit_group_map_read(const char *path, const char *column,
                                               fimbit_group_map **out, fimbit_error *error);

/* Frees a group map; NULL is allowed. */
FIMBIT_API void fimbit_group_map_free(fimbit_group_map *map);

/* @return the number of keys. */
FIMBIT_API size_t fimbit_group_map_size(const fimbit_group_map *map);

/* @return the group of `key` (owned by the map), or NULL when the map has no
 *         group for it. */
FIMBIT_API const char *fimbit_group_map_find(const fimbit_group_map *map, const char *key);

/* Datasets split by group. */
typedef struct fimbit_groups fimbit_groups;

/* Reads long CSV (as fimbit_dataset_read with `options`, whose format must be
 * AUTO or CSV) and splits its rows by the value of `group_column` (a header
 * name or a 1-based index). With a `map` (may be NULL), a row's group is the
 * map's group for that value, and rows whose value the map lacks are skipped
 * (fimbit_groups_skipped_rows counts them). A basket id found in two groups
 * is a basket in each. Every group is a dataset of its own, equal to reading
 * that group's rows alone; groups are in natural order of their names
 * (numeric when every name is a decimal integer, else by bytes).
 * @return FIMBIT_OK and *out (free it with fimbit_groups_free), or as
 * fimbit_dataset_read (FIMBIT_EPARSE names a missing group column). */
FIMBIT_API fimbit_status fimbit_groups_read(const char *const *paths, size_t path_count,
                                            const fimbit_read_options *options,
                                            const char *group_column,
                                            const fimbit_group_map *map, fimbit_groups **out,
                                            fimbit_error *error);

/* Frees the groups and their datasets; NULL is allowed. Results mined from
 * them must be freed first. */
FIMBIT_API void fimbit_groups_free(fimbit_groups *groups);

/* @return the number of groups. */
FIMBIT_API size_t fimbit_groups_count(const fimbit_groups *groups);
/* @return group `group`'s name (owned by the groups), or NULL when out of range. */
FIMBIT_API const char *fimbit_groups_name(const fimbit_groups *groups, size_t group);
/* @return group `group`'s dataset (owned by the groups), or NULL when out of range. */
FIMBIT_API const fimbit_dataset *fimbit_groups_dataset(const fimbit_groups *groups,
                                                       size_t group);
/* @return the rows skipped because the map had no group for them. */
FIMBIT_API uint64_t fimbit_groups_skipped_rows(const fimbit_groups *groups);

/* Mines every group as fimbit_mine_itemsets() would mine its dataset, except
 * that a group's threshold (its own: a fraction counts the group's baskets)
 * is never below `min_count_floor` baskets. The groups run in parallel on
 * options->threads threads, one each, the largest first, so that one group's
 * long run does not hold up the others (a lone group gets every thread).
 * results[g] receives group g's itemsets (the caller provides
 * fimbit_groups_count() entries and frees each with fimbit_itemsets_free).
 * No progress is reported. `options` may be NULL for the defaults.
 * @return FIMBIT_OK, or the first failure (its message names the group) with
 *         every results[g] NULL; FIMBIT_EINVAL for NULL groups or results,
 *         and for options that fimbit_mine_itemsets() refuses, checked before
 *         any group is mined (so also when there is none). */
FIMBIT_API fimbit_status fimbit_groups_mine_itemsets(const fimbit_groups *groups,
                                                     const fimbit_mine_options *options,
                                                     uint64_t min_count_floor,
                                                     fimbit_itemsets **results,
                                                     fimbit_error *error);

/* As fimbit_groups_mine_itemsets() for rules: results[g] receives group g's
 * strong rules (free each with fimbit_rules_free); options as
 * fimbit_mine_rules() takes them. */
FIMBIT_API fimbit_status fimbit_groups_mine_rules(const fimbit_groups *groups,
                                                  const fimbit_rule_options *options,
                                                  uint64_t min_count_floor,
                                                  fimbit_rules **results, fimbit_error *error);

/* Writes every group's itemsets (results as fimbit_groups_mine_itemsets gave
 * them, each in its current order) to `path`, as fimbit_itemsets_write does,
 * group after group, each record led by its group: a first CSV column
 * "group", a first JSON key "group", "GROUP: " in text. At most `limit`
 * records a group; 0 = all. @return as fimbit_itemsets_write(), and
 * FIMBIT_EINVAL for NULL groups or results, or a results[g] that is NULL or
 * was not mined from fimbit_groups_dataset(groups, g). */
FIMBIT_API fimbit_status fimbit_groups_itemsets_write(const fimbit_groups *groups,
                                                      fimbit_itemsets *const *results,
                                                      fimbit_format format, size_t limit,
                                                      const char *path, fimbit_error *error);

/* As fimbit_groups_itemsets_write() for rules; CSV and JSON Lines add the
 * extra measures the rule sets carry, as fimbit_rules_write() does.
 * @return as fimbit_rules_write(), and FIMBIT_EINVAL when two groups' rule
 *         sets carry different measures. */
FIMBIT_API fimbit_status fimbit_groups_rules_write(const fimbit_groups *groups,
                                                   fimbit_rules *const *results,
                                                   fimbit_format format, size_t limit,
                                                   const char *path, fimbit_error *error);

/* ------------------------------------------------------------------ memory */

/* Caps the bytes the library holds on its heap at once, for every call in the
 * process (the limit is global, like the allocator it watches); 0 removes the
 * cap (the default). An allocation that would pass the cap fails, and the
 * call that made it returns FIMBIT_ELIMIT ("memory limit of N bytes reached:
 * ...") after freeing what it held, instead of the process being killed. The
 * cap covers datasets, mining, results and output buffers; a plain input file
 * is mapped, not allocated, so its text does not count. Threads allocating at
 * the same moment may pass the cap by their requests together. */
FIMBIT_API void fimbit_set_memory_limit(uint64_t bytes);

typedef struct fimbit_memory_usage {
    uint64_t in_use; /* bytes the library holds now */
    uint64_t peak;   /* the most it has held since the process started */
    uint64_t limit;  /* as set; 0 = none */
} fimbit_memory_usage;

/* Fills `usage` with the library's heap accounting. */
FIMBIT_API void fimbit_get_memory_usage(fimbit_memory_usage *usage);

/* ---------------------------------------------------------------- progress */

/* The stages of a run, in the order they come. fimbit_dataset_read() is the
 * READ stage; fimbit_mine_itemsets() and its _stream and _write variants run
 * COUNT, SHARD (only when the kernel mines from bitmaps: Eclat, or closed and
 * maximal targets) and MINE; fimbit_mine_rules() adds RULES; the writers are
 * WRITE. fimbit_mine_itemsets_write() writes while it mines: its WRITE stage
 * follows MINE and covers the final flush, with every itemset counted. */
typedef enum fimbit_stage {
    FIMBIT_STAGE_READ = 0, /* parse the input: "bytes" of the input files */
    FIMBIT_STAGE_COUNT,    /* F-list: frequent items, baskets recoded: "baskets" */
    FIMBIT_STAGE_SHARD,    /* the bitmap-encoded shards: "baskets" encoded */
    FIMBIT_STAGE_MINE,     /* the kernel: top-level search "branches" finished */
    FIMBIT_STAGE_RULES,    /* rule generation: frequent "itemsets" examined */
    FIMBIT_STAGE_WRITE     /* formatting and writing: "itemsets" or "rules" */
} fimbit_stage;

typedef enum fimbit_progress_event {
    FIMBIT_PROGRESS_BEGIN = 0, /* the stage starts: done is 0 */
    FIMBIT_PROGRESS_UPDATE,    /* the stage is under way */
    FIMBIT_PROGRESS_END        /* the stage is complete: done == total */
} fimbit_progress_event;

/* What a progress callback receives. Within a stage, done never decreases. */
typedef struct fimbit_progress {
    fimbit_stage stage;
    fimbit_progress_event event;
    uint64_t done;    /* units of work finished */
    uint64_t total;   /* units of the whole stage; 0 = not known (standard
                         input, a pipe) until END, where total == done */
    const char *unit; /* what is counted: "bytes", "baskets", "branches",
                         "itemsets", "rules" (static, NUL-terminated) */
    double elapsed;   /* seconds since the stage began */
} fimbit_progress;

/* A progress callback. It gets BEGIN and END once for every stage that runs
 * (END only when the stage succeeds) and, in between, UPDATE at most about ten
 * times a second, so a caller can show a rate and an estimate of the time
 * left (done / elapsed, (total - done) / rate). Calls come from the thread
 * that made the library call or from one of its worker threads, never two at
 * once for one library call; `progress` is valid during the call only. Keep
 * it cheap (format a line, no blocking I/O on a slow device): the workers
 * wait on it. Return 0 to go on, non-zero to stop: the library call then
 * stops at its next check (within one update's work), frees what it holds and
 * returns FIMBIT_ECANCELED ("... stopped by the progress callback"). */
typedef int (*fimbit_progress_fn)(void *user, const fimbit_progress *progress);

/* Makes every later library call from the calling thread report its stages to
 * `fn` with `user` (the setting is per thread, so threads running separate
 * calls each keep their own); NULL stops the reports (the default). Library
 * calls that use MPI (fimbit_mpi.h) report nothing. */
FIMBIT_API void fimbit_set_progress(fimbit_progress_fn fn, void *user);

/* Asks every library call under way in the process, on any thread, to stop,
 * and every later one to stop at once, until fimbit_clear_stop(). A call
 * stops at its next check, the same checks that a progress callback's stop
 * uses (every parse window, top-level branch, full itemset buffer, block of
 * records written), frees what it holds, leaves no output file (an existing
 * one is untouched) and returns FIMBIT_ECANCELED ("... stopped by a request
 * to stop"). fimbit_itemsets_sort() and fimbit_rules_sort() have no checks:
 * they finish. Async-signal-safe: it only stores to a lock-free atomic flag,
 * so a signal handler may call it (the fimbit command does on SIGINT, SIGTERM
 * and SIGHUP). No progress callback is needed. */
FIMBIT_API void fimbit_request_stop(void);

/* Withdraws fimbit_request_stop(): later calls run normally. Call it only
 * when no call is under way that should still stop. Async-signal-safe. */
FIMBIT_API void fimbit_clear_stop(void);

/* @return non-zero while a stop is requested. Async-signal-safe. */
FIMBIT_API int fimbit_stop_requested(void);

/* @return the stage's lower-case name ("read", "count", "shard", "mine",
 *         "rules", "write"), or "unknown". */
FIMBIT_API const char *fimbit_stage_name(fimbit_stage stage);

/* ---------------------------------------------------------- recommendations */

/* A recommender turns rules into suggestions for a basket: every rule whose
 * antecedent the basket holds proposes its consequent items that the basket
 * lacks, and each proposed item is scored by its best such rule. Rules are
 * indexed by one antecedent item each, so a basket looks only at rules that
 * can match. The recommender has its own item names and dense ids
 * (0 .. fimbit_recommender_item_count() - 1, in order of first appearance).
 *
 * Build it once (single-threaded: create, then add rules), then query it from
 * any number of threads at once: fimbit_recommend() does not modify it. */
typedef struct fimbit_recommender fimbit_recommender;

/* Creates an empty recommender. @return FIMBIT_OK and *out (free it with
 * fimbit_recommender_free), or FIMBIT_ENOMEM. */
FIMBIT_API fimbit_status fimbit_recommender_create(fimbit_recommender **out,
                                                   fimbit_error *error);

/* Frees a recommender; NULL is allowed. */
FIMBIT_API void fimbit_recommender_free(fimbit_recommender *recommender);

/* Adds one rule X => Y given by item names (copied). X and Y must be
 * non-empty and disjoint; confidence and lift must be finite and >= 0.
 * @return FIMBIT_OK, FIMBIT_EINVAL, FIMBIT_ENOMEM, or FIMBIT_ELIMIT beyond
 * 2^32 - 2 items or rules. On failure no rule is added (names interned
 * before the failure stay known, naming no rule). */
FIMBIT_API fimbit_status fimbit_recommender_add_rule(fimbit_recommender *recommender,
                                                     const char *const *antecedent,
                                                     uint32_t antecedent_size,
                                                     const char *const *consequent,
                                                     uint32_t consequent_size, double confidence,
                                                     double lift, fimbit_error *error);

/* Adds every rule of a mined rule set (its items by name; the rule set and
 * its dataset may be freed afterwards). @return as fimbit_recommender_add_rule;
 * on failure, the rules before the failing one stay added. */
FIMBIT_API fimbit_status fimbit_recommender_add_rules(fimbit_recommender *recommender,
                                                      const fimbit_rules *rules,
                                                      fimbit_error *error);

/* Adds the rules of a JSON Lines file as fimbit_rules_write() writes it
 * (FIMBIT_FORMAT_JSONL): one object a line with "antecedent" and "consequent"
 * arrays of item names and numbers "confidence" and "lift"; other keys are
 * ignored, blank lines skipped. NULL or "-" reads standard input; gzip and
 * zstd files (or streams) are read as fimbit_dataset_read() reads them.
 * @return FIMBIT_OK, FIMBIT_EIO when the file cannot be read, FIMBIT_EPARSE
 * with file:line:column for malformed lines (with the file alone for UTF-16
 * or UTF-32 text and corrupt compressed data), or as fimbit_recommender_add_rule;
 * on failure, the rules of the lines before stay added. */
FIMBIT_API fimbit_status fimbit_recommender_read_rules(fimbit_recommender *recommender,
                                                       const char *path, fimbit_error *error);

/* As fimbit_recommender_read_rules(), adding only the rules whose "group"
 * (as fimbit_groups_rules_write() writes it) is `group`: lines without one or
 * with another are skipped, after being checked as well-formed. A "group"
 * that is not a string is FIMBIT_EPARSE. @return as
 * fimbit_recommender_read_rules, FIMBIT_EINVAL for a NULL group. */
FIMBIT_API fimbit_status fimbit_recommender_read_group_rules(fimbit_recommender *recommender,
                                                             const char *path,
                                                             const char *group,
                                                             fimbit_error *error);

/* @return the number of rules added. */
FIMBIT_API size_t fimbit_recommender_rule_count(const fimbit_recommender *recommender);
/* @return the number of distinct items named by the rules (and by rules
 *         whose adding failed: fimbit_recommender_add_rule()). */
FIMBIT_API uint32_t fimbit_recommender_item_count(const fimbit_recommender *recommender);
/* @return an item's name (owned by the recommender), or NULL when out of range. */
FIMBIT_API const char *fimbit_recommender_item_name(const fimbit_recommender *recommender,
                                                    uint32_t item);
/* Finds an item by name. @return FIMBIT_OK and *item, or FIMBIT_EINVAL when
 * no rule names it. */
FIMBIT_API fimbit_status fimbit_recommender_find_item(const fimbit_recommender *recommender,
                                                      const char *name, uint32_t *item);

typedef enum fimbit_recommend_by {
    FIMBIT_RECOMMEND_BY_CONFIDENCE = 0, /* best confidence, ties by lift */
    FIMBIT_RECOMMEND_BY_LIFT            /* best lift, ties by confidence */
} fimbit_recommend_by;

/* One recommended item and the measures of the best rule proposing it. */
typedef struct fimbit_recommendation {
    uint32_t item; /* a recommender item id */
    double confidence;
    double lift;
} fimbit_recommendation;

/* Recommends up to `k` items for the basket holding `basket_size` item ids
 * (duplicates allowed; ids >= fimbit_recommender_item_count() stand for items
 * no rule names and are ignored). Items already in the basket are never
 * recommended. out[0 .. *found) receives them best first: by the chosen
 * measure of each item's best matching rule, then the other measure, then
 * item id. `out` has room for k entries, owned by the caller (NULL allowed
 * when k is 0); `basket` may be NULL when basket_size is 0.
 * @return FIMBIT_OK (with *found = 0 when no rule matches), FIMBIT_EINVAL for
 * a NULL recommender or found, a NULL out with k > 0, a NULL basket with
 * basket_size > 0, or an unknown `by`; FIMBIT_ENOMEM. After a failure *found
 * is 0. */
FIMBIT_API fimbit_status fimbit_recommend(const fimbit_recommender *recommender,
                                          const uint32_t *basket, size_t basket_size,
                                          fimbit_recommend_by by, size_t k,
                                          fimbit_recommendation *out, size_t *found,
                                          fimbit_error *error);

/* As fimbit_recommend(), with the basket given by item names; names no rule
 * mentions, and NULL names, are ignored. */
FIMBIT_API fimbit_status fimbit_recommend_names(const fimbit_recommender *recommender,
                                                const char *const *names, size_t basket_size,
                                                fimbit_recommend_by by, size_t k,
                                                fimbit_recommendation *out, size_t *found,
                                                fimbit_error *error);

/* As fimbit_recommend(), for basket `basket` of `dataset` (its items matched
 * to the recommender's by name): a customer's basket read from long CSV with
 * basket_keys, say. @return as fimbit_recommend(), FIMBIT_EINVAL for a NULL
 * dataset, one that holds no baskets (given up by fimbit_dataset_mine_once(),
 * or an MPI run's rank 0 dataset) or a basket out of range. */
FIMBIT_API fimbit_status fimbit_recommend_basket(const fimbit_recommender *recommender,
                                                 const fimbit_dataset *dataset, uint64_t basket,
                                                 fimbit_recommend_by by, size_t k,
                                                 fimbit_recommendation *out, size_t *found,
                                                 fimbit_error *error);

/* -------------------------------------------------------------------- RFM */

/* RFM segments customers by their order lines (long CSV: one row per
 * product on an order, with a header): recency = days from the customer's
 * latest date to the as-of day, frequency = the customer's distinct order
 * ids, monetary = the sum of the customer's amounts (returns, negative
 * amounts, reduce it). Each measure gets a score 1..bins in which equal
 * values always get equal scores: with n customers and b of them strictly
 * worse (a smaller frequency or monetary value, a larger recency), the score
 * is 1 + floor(bins * b / n). With 5 bins, (r, f) names a segment:
 * hibernating r 1-2 f 1-2; at_risk r 1-2 f 3-4; cant_lose r 1-2 f 5;
 * about_to_sleep r 3 f 1-2; need_attention r 3 f 3; loyal_customers r 3-4
 * f 4-5; promising r 4 f 1; new_customers r 5 f 1; potential_loyalists r 4-5
 * f 2-3; champions r 5 f 4-5. Other bin counts name no segment (""). */
typedef struct fimbit_rfm fimbit_rfm;

typedef struct fimbit_rfm_options {
    /* Columns, each a header name or a 1-based index; all four required. */
    const char *customer_column;
    const char *order_column;
    const char *date_column;
    /* The amount of a row: a column, or the product of two ("Quantity*UnitPrice").
     * Numbers: an optional sign, digits with an optional decimal point, an
     * optional exponent; summed exactly (at most 18 significant digits and
     * 18 decimal places each). */
    const char *amount;
    /* NULL: dates are ISO 8601 dates or date-times (2011-12-09,
     * 2011-12-09 12:50, 2011-12-09T12:50:00.5Z). Else strptime-style fields
     * ("%m/%d/%Y %H:%M"; see the README for the list). A row's day is its
     * date as written: a zone is not applied. */
    const char *date_format;
    /* The reference day, as an ISO 8601 date or in date_format; NULL = the
     * day after the latest date in the data. */
    const char *as_of;
    uint32_t bins;  /* scores 1..bins, 2 to 1000; default 5 */
    char separator; /* 0 = ',' */
    /* Threads reading the order lines (a mapped file's blocks are cut into
     * slices parsed side by side) and sorting the scores: 0 = every core;
     * the records never depend on it. */
    int threads;
} fimbit_rfm_options;

/* Sets the defaults: no columns, ISO 8601 dates, as-of the day after the
 * latest date, 5 bins, comma separated, every core. */
FIMBIT_API void fimbit_rfm_options_init(fimbit_rfm_options *options);

/* Checks `options` as fimbit_rfm_compute() would before reading (every
 * column given, a usable amount expression, date format and as-of day, bins
 * in [2, 1000], threads >= 0). NULL stands for the defaults, which name no column.
 * @return FIMBIT_OK, or FIMBIT_EINVAL with a message in `error`. */
FIMBIT_API fimbit_status fimbit_rfm_options_check(const fimbit_rfm_options *options,
                                                  fimbit_error *error);

/* Reads the order lines of `path_count` inputs as one table (a path of "-"
 * or NULL is standard input; gzip and zstd are recognised; each input has
 * its own header) and computes every customer's RFM record. Rows with an
 * empty customer are skipped and counted (fimbit_rfm_get_stats). A
 * malformed date or number, or a missing column, is FIMBIT_EPARSE with
 * file:line:column. On success *out owns the result (fimbit_rfm_free). */
FIMBIT_API fimbit_status fimbit_rfm_compute(const char *const *paths, size_t path_count,
                                            const fimbit_rfm_options *options, fimbit_rfm **out,
                                            fimbit_error *error);

/* Frees a result; NULL is allowed. */
FIMBIT_API void fimbit_rfm_free(fimbit_rfm *rfm);

/* One customer's record. Strings are owned by the result. */
typedef struct fimbit_rfm_customer {
    const char *customer;      /* the id as read */
    int64_t recency;           /* days; negative when as-of precedes the latest date */
    uint64_t frequency;        /* distinct order ids */
    const char *monetary_text; /* the exact sum, shortest form: "15.3", "-2", "0" */
    double monetary;           /* the same, nearest double */
    uint32_t r, f, m;          /* scores 1..bins */
    const char *segment;       /* "" unless bins is 5 */
} fimbit_rfm_customer;

/* @return the number of customers. */
FIMBIT_API size_t fimbit_rfm_customer_count(const fimbit_rfm *rfm);

/* Fills *customer with customer `index` (customers in order of first
 * appearance in the input). @return FIMBIT_OK, or FIMBIT_EINVAL for a NULL
 * argument or an index out of range. */
FIMBIT_API fimbit_status fimbit_rfm_get(const fimbit_rfm *rfm, size_t index,
                                        fimbit_rfm_customer *customer);

typedef struct fimbit_rfm_stats {
    uint64_t rows;                  /* data rows read, skipped ones included */
    uint64_t rows_without_customer; /* skipped: the customer field was empty */
    uint64_t customers;
    uint32_t bins;
    char latest[16];                /* the latest date, YYYY-MM-DD ("" without rows) */
    char as_of[16];                 /* the reference day, YYYY-MM-DD */
} fimbit_rfm_stats;

FIMBIT_API void fimbit_rfm_get_stats(const fimbit_rfm *rfm, fimbit_rfm_stats *stats);

/* The customers of one segment: how many, their share of all customers and
 * their mean recency, frequency and monetary value. */
typedef struct fimbit_rfm_segment_summary {
    const char *segment; /* static; "" for customers of no segment */
    uint64_t customers;
    double share;
    double mean_recency;
    double mean_frequency;
    double mean_monetary;
} fimbit_rfm_segment_summary;

/* The largest number of summaries fimbit_rfm_summarize() gives. */
#define FIMBIT_RFM_MAX_SEGMENTS 11

/* Fills out[0 .. *count) with one summary per segment that has customers,
 * best segment first (champions, loyal_customers, potential_loyalists,
 * new_customers, promising, need_attention, about_to_sleep, at_risk,
 * cant_lose, hibernating, then ""). `out` has FIMBIT_RFM_MAX_SEGMENTS
 * entries, owned by the caller. */
FIMBIT_API void fimbit_rfm_summarize(const fimbit_rfm *rfm, fimbit_rfm_segment_summary *out,
                                     size_t *count);

/* Writes one record per customer, in order of first appearance:
 * customer,recency,frequency,monetary,r,f,m,segment as a CSV header and
 * rows, JSON Lines objects with those keys, or an aligned text table; to
 * `path` as fimbit_itemsets_write() does (NULL or "-" = standard output; a
 * file appears only once complete). */
FIMBIT_API fimbit_status fimbit_rfm_write(const fimbit_rfm *rfm, fimbit_format format,
                                          const char *path, fimbit_error *error);

/* --------------------------------------------------------------- generator */

/* What fimbit_generate() writes. */
typedef enum fimbit_generate_format {
    FIMBIT_GENERATE_FIMI = 0, /* a basket a line, integer item ids separated by spaces */
    FIMBIT_GENERATE_BASKET,   /* a basket a line, items separated by commas */
    FIMBIT_GENERATE_CSV_LONG, /* a "basket_id,item" header, then one row per item */
    /* Order lines, a basket being an order: a header
     * "InvoiceNo,StockCode,Quantity,InvoiceDate,UnitPrice,CustomerID,Country",
     * then one row per item. Order ids count up from 536365 (a return, about
     * 2% of the orders, is "C" and the id, its quantities negative); dates
     * rise with the order number from 2010-12-01 to 2011-12-09, at a time of
     * day between 08:00 and 19:59 ("2011-03-14 10:26"); quantities are 1 to
     * 24; a product's unit price is fixed (0.19 to 19.99); about 10% of the
     * orders have no customer (an empty field); the others come from
     * max(1, baskets / 10) customers numbered from 12346, low numbers
     * ordering more often, each with one country. */
    FIMBIT_GENERATE_ORDERS
} fimbit_generate_format;

/* The IBM Quest model of Agrawal and Srikant (VLDB 1994). A table of
 * `patterns` potentially frequent itemsets is drawn once: sizes ~
 * Poisson(pattern_size), each pattern taking a fraction ~ Exponential(mean
 * `correlation`) of its items from the previous one, weights ~ Exponential(1),
 * and a corruption level ~ Normal(`corruption`, 0.1) clipped to [0, 1]. Each
 * basket gets a size ~ Poisson(avg_size) (at least 1) and is filled with
 * patterns picked by weight; a picked pattern loses random items while a
 * uniform draw is below its corruption level, and one that does not fit is
 * added anyway half of the time and carried to the next basket otherwise. */
typedef struct fimbit_generate_options {
    uint64_t baskets;       /* D, default 100000; 0 writes no basket */
    double avg_size;        /* T, average basket size in [0, 1e6]; default 10 */
    double pattern_size;    /* I, average pattern size in (0, 1e6]; default 4 */
    uint32_t patterns;      /* L, at least 1; default 2000 */
    uint32_t items;         /* N, at least 1; default 1000 */
    double correlation;     /* in [0, 1e6]; default 0.5 */
    double corruption;      /* mean corruption level in [0, 1], default 0.5 */
    uint64_t seed;          /* default 1 */
    int named_items;        /* non-zero: items are "item<id>", not integers */
    fimbit_generate_format format;
    int threads;            /* 0 = every core; the bytes never depend on it */
} fimbit_generate_options;

/* Sets the defaults above (T10 I4 D100K, N = 1000, L = 2000), FIMI format. */
FIMBIT_API void fimbit_generate_options_init(fimbit_generate_options *options);

/* Writes `options->baskets` synthetic baskets to `path` (NULL or "-" =
 * standard output; a file appears under its name only once complete, as with
 * fimbit_itemsets_write). The same options and seed give the same bytes
 * whatever the thread count. `options` may be NULL for the defaults.
 * @return FIMBIT_OK, FIMBIT_EINVAL for options out of the ranges above, an
 *         unknown format or named items in FIMI format, FIMBIT_EIO,
 *         FIMBIT_ENOMEM. */
FIMBIT_API fimbit_status fimbit_generate(const fimbit_generate_options *options,
                                         const char *path, fimbit_error *error);

#ifdef __cplusplus
}
#endif

#endif /* FIMBIT_H */
