/* Prints the 10 strongest rules of a basket file: top_rules FILE. */
#include <stdio.h>

#include <fimbit.h>

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s FILE\n", argv[0]);
        return 2;
    }
    fimbit_error error = {0};
    fimbit_dataset *dataset = NULL;
    fimbit_rules *rules = NULL;
    fimbit_rule_options options;
    fimbit_rule_options_init(&options);
    options.mine.min_support = 0.005;
    options.min_confidence = 0.5;

    if (fimbit_dataset_read((const char *const *)&argv[1], 1, NULL, &dataset, &error) ||
        fimbit_mine_rules(dataset, &options, &rules, &error)) {
        fprintf(stderr, "%s\n", error.message);
        fimbit_dataset_free(dataset);
        return 1;
    }
    fimbit_rules_sort_by_strength(rules);
    for (size_t i = 0; i < 10 && i < fimbit_rules_count(rules); i++) {
        fimbit_rule rule;
        fimbit_rules_get(rules, i, &rule);
        for (uint32_t k = 0; k < rule.antecedent_size; k++)
            printf("%s%s", k ? ", " : "{", fimbit_dataset_item_name(dataset, rule.antecedent[k]));
        printf("} => {%s}  confidence %.3f  lift %.2f\n",
               fimbit_dataset_item_name(dataset, rule.consequent[0]), rule.confidence, rule.lift);
    }
    fimbit_rules_free(rules);
    fimbit_dataset_free(dataset);
    return 0;
}
