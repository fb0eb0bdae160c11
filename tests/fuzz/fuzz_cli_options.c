/*
 * Fuzz target: the command-line option parser (src/cli/options.c). The first
 * byte picks the command (itemsets, rules, info, gen); the rest is split at NUL bytes into arguments. The
 * parser must answer, never crash; a usage error must come with a one-line
 * message; and options it accepts must be options the library accepts too
 * (a library EINVAL after a clean parse would turn a usage error, exit 2, into
 * a data error, exit 1).
 */
#include <string.h>
#include <unistd.h>

#include "fuzz_check.h"
#include "options.h"

#define MAX_ARGUMENTS 32

static void check_accepted(const cli_options *options)
{
    FUZZ_REQUIRE(options->rule.mine.min_size >= 1, "min size 0 accepted");
    FUZZ_REQUIRE(options->rule.mine.max_size == 0 ||
                     options->rule.mine.max_size >= options->rule.mine.min_size,
                 "max size %u below min size %u", options->rule.mine.max_size,
                 options->rule.mine.min_size);
    FUZZ_REQUIRE(options->rule.min_confidence >= 0 && options->rule.min_confidence <= 1,
                 "confidence %g accepted", options->rule.min_confidence);
    FUZZ_REQUIRE(!(options->sort && options->top), "--sort and --top together accepted");

    /* The library takes the read options... */
    static const uint8_t baskets[] = "1 2\n2 3\n1 2 3\n";
    fimbit_read_options read;
    cli_options_read(options, &read);
    read.threads = 1;
    fimbit_dataset *dataset = NULL;
    fimbit_status status = fuzz_read(baskets, sizeof baskets - 1, &read, &dataset);
    FUZZ_REQUIRE(status != FIMBIT_EINVAL, "the parser accepted read options the library refuses");
    if (status != FIMBIT_OK)
        return;
    /* ...and the mining options. */
    fimbit_rule_options rule = options->rule;
    rule.mine.threads = 1;
    uint64_t min_count = 0;
    fimbit_error error;
    status = fimbit_min_count(dataset, &rule.mine, &min_count, &error);
    FUZZ_REQUIRE(status == FIMBIT_OK, "the parser accepted a support the library refuses: %s",
                 error.message);
    fimbit_rules *rules = NULL;
    status = fimbit_mine_rules(dataset, &rule, &rules, &error);
    FUZZ_REQUIRE(status == FIMBIT_OK, "fimbit_mine_rules refused parsed options: %s",
                 error.message);
    fimbit_rules_free(rules);
    fimbit_dataset_free(dataset);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    static const char *const commands[] = {"itemsets", "rules", "info", "gen"};
    const char *name = commands[data[0] % 4];
    cli_command command = cli_command_from_name(name);

    /* A private NUL-terminated copy: getopt may permute argv. */
    char text[4096];
    size_t length = size - 1 < sizeof text - 1 ? size - 1 : sizeof text - 1;
    memcpy(text, data + 1, length);
    text[length] = '\0';
    char *argv[MAX_ARGUMENTS + 2];
    int argc = 0;
    argv[argc++] = (char *)name;
    for (size_t start = 0; start <= length && argc < MAX_ARGUMENTS + 1;) {
        argv[argc++] = text + start;
        start += strlen(text + start) + 1;
    }
    argv[argc] = NULL;

    cli_options options;
    char message[512];
    message[0] = '\0';
    cli_parse_result result = cli_parse_options(command, argc, argv, &options, message,
                                                sizeof message);
    switch (result) {
    case CLI_PARSE_ERROR:
        FUZZ_REQUIRE(message[0] != '\0' && strchr(message, '\n') == NULL,
                     "a usage error without a one-line message: '%s'", message);
        break;
    case CLI_PARSE_OK:
        FUZZ_REQUIRE(options.input_count <= (size_t)argc &&
                         (options.input_count == 0 || options.inputs >= (const char *const *)argv),
                     "inputs outside argv");
        if (command != CLI_COMMAND_GEN)
            check_accepted(&options);
        break;
    case CLI_PARSE_HELP:
    case CLI_PARSE_VERSION:
        break;
    default:
        FUZZ_REQUIRE(0, "unknown parse result %d", (int)result);
    }
    cli_options_free(&options);
    return 0;
}
