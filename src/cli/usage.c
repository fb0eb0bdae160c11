/* The --help texts. Keep them in step with README.md and options.c. */
#include "usage.h"

#include <stdbool.h>

static const char overview[] =
    "Usage: fimbit COMMAND [OPTIONS] [INPUT...]\n"
    "\n"
    "Parallel frequent-itemset and association-rule mining.\n"
    "\n"
    "Commands:\n"
    "  itemsets        frequent (closed, maximal) itemsets\n"
    "  rules           strong association rules\n"
    "  info            statistics of a dataset: baskets, items, lengths, top items\n"
    "  recommend       items to suggest for baskets, from mined rules\n"
    "  report          an HTML page: dataset summary, charts, the strongest rules\n"
    "  gen             synthetic baskets (IBM Quest model), e.g. T10I4D100K\n"
    "  rfm             customers' recency, frequency and monetary scores and\n"
    "                  segments, from order lines\n"
    "  help [COMMAND]  this overview, or a command's options\n"
    "\n"
    "  -h, --help      show this overview (fimbit COMMAND --help: its options)\n"
    "  -V, --version   print the version\n"
    "\n"
    "INPUT is a file (plain, .gz or .zst, recognised by content) or '-' for\n"
    "standard input, the default. Several inputs are one dataset.\n"
    "\n"
    "Exit status: 0 success, 1 data, I/O or memory error, 2 usage error;\n"
    "SIGINT, SIGTERM, SIGHUP stop the run within a second, leave no file and\n"
    "end it by the signal (a shell sees 128 + its number).\n";

static const char input_options[] =
    "Input:\n"
    "      --input-format F   auto (default: fimi or basket, by content; long\n"
    "                         CSV is never guessed), fimi, basket or csv\n"
    "      --separator C      item separator (basket) or field separator (csv);\n"
    "                         one character, '\\t' or 'tab' for a tab\n"
    "      --columns B,I      csv: basket and item columns, names or 1-based\n"
    "                         indexes (implies --input-format csv)\n"
    "      --header           csv: the first row is a header\n"
    "      --no-header        csv: the first row is data\n";

/* --group and --group-map, for the commands that read a dataset. */
static const char group_options[] =
    "Groups (long CSV):\n"
    "      --group COL        split the rows by the value of column COL and treat\n"
    "                         each group as a dataset of its own (supports count\n"
    "                         its baskets); every record starts with its group:\n"
    "                         a first CSV column and JSON key \"group\", \"GROUP: \"\n"
    "                         in text; groups run in parallel, in name order\n"
    "      --group-map F[:C]  a row's group is the one its COL value has in the\n"
    "                         CSV file F (header row, key in the first column, the\n"
    "                         group in column C, default the second); rows whose\n"
    "                         key F lacks are skipped with one warning\n";

static const char group_min_count_option[] =
    "      --group-min-count N  a group's support threshold is at least N baskets,\n"
    "                         whatever -s gives for it; default 1\n";

static const char mining_options[] =
    "Mining:\n"
    "  -s, --min-support V    N baskets (integer), a fraction in (0,1] (\"0.01\",\n"
    "                         \"1.0\" = every basket) or a percent (\"1%\"); default 1%\n"
    "  -m, --min-size N       smallest itemset; default 1\n"
    "  -n, --max-size N       largest itemset; 0 = no limit (default)\n"
    "  -a, --algorithm A      auto (default), fpgrowth or eclat\n";

static const char rule_options[] =
    "  -c, --min-confidence V a fraction in [0,1] or a percent; default 0.8\n"
    "      --min-lift V       a number >= 0; default 0 (no lift filter)\n"
    "      --max-consequent N items on the right; default 1, 0 = no limit\n"
    "\n";

static const char analysis_options[] =
    "Analysis (L: comma-separated item names, ids for FIMI input, or @FILE with\n"
    "one name a line, read as INPUT is: plain, .gz or .zst, @- for standard\n"
    "input; a name not in the data is a warning):\n"
    "      --antecedent-items L   only rules whose antecedent items are all in L\n"
    "      --consequent-items L   only rules whose consequent items are all in L\n"
    "                             (itemsets without one of them are skipped)\n"
    "      --exclude-items L      remove these items from every basket before\n"
    "                             mining; the basket count stays\n"
    "      --measures M           extra measures, written as fields and columns\n"
    "                             in this order: 'all' or some of\n"
    "                             antecedent_support, consequent_support,\n"
    "                             jaccard, kulczynski, certainty, zhangs_metric,\n"
    "                             cosine, improvement, p_value\n"
    "      --min-improvement V    keep rules whose confidence beats that of every\n"
    "                             rule with a smaller antecedent (the empty one\n"
    "                             included) by V or more; V in [-1,1]\n"
    "      --non-redundant        keep rules with improvement > 0\n"
    "      --max-p P              keep rules whose p-value (one-sided Fisher exact\n"
    "                             test for positive association) is <= P\n"
    "      --p-adjust A           none (default), bonferroni or holm: correct the\n"
    "                             p-values over the rules that pass every other\n"
    "                             filter (the written p_value is the corrected one)\n"
    "      --by M                 rank rules by measure M, best first (p_value\n"
    "                             ascending, every other one descending): any\n"
    "                             measure above or support, confidence, lift,\n"
    "                             leverage, conviction; ranking by an extra\n"
    "                             measure writes it; default confidence, then\n"
    "                             lift, then count\n"
    "\n";

/* The Output block opens with -f (rules writes its own) and goes on with -o. */
static const char output_options[] = "Output:\n"
                                     "  -f, --format F         text (default), csv or jsonl\n";

static const char output_file_option[] =
    "  -o, --output FILE      write to FILE (default: standard output); a failed\n"
    "                         run leaves no FILE and keeps an existing one\n";

static const char general_options[] =
    "General:\n"
    "  -T, --threads N        worker threads; 0 = every core (default)\n"
    "      --max-memory SIZE  stop with an error (exit 1, no output file) rather\n"
    "                         than hold more than SIZE (500M, 2G) on the heap\n";

/* For the commands that read a dataset: they report their stages, which
 * `stages` names (the option's first lines, up to "with rate and time left"). */
static void print_progress_option(FILE *out, const char *stages)
{
    fprintf(out, "      --progress         %s", stages);
    fputs("                         at most one a second, even when it is no terminal;\n"
          "                         a terminal shows them in place for runs over 1 s\n"
          "  -q, --quiet            no warnings and no progress on standard error\n"
          "                         (also with --progress)\n",
          out);
}

static const char quiet_option[] =
    "  -q, --quiet            no warnings on standard error\n";

static const char final_options[] =
    "  -v, --verbose          machine, stage timings and peak memory on\n"
    "                         standard error\n"
    "  -h, --help             show this help\n"
    "  -V, --version          print the version\n";

/* The General block; `reads` for the commands that read a dataset. */
static void print_general(FILE *out, bool reads)
{
    fputs(general_options, out);
    if (reads)
        print_progress_option(
            out, "a line per stage (read, count, shard, mine, rules,\n"
                 "                         write) on standard error with rate and time left,\n");
    else
        fputs(quiet_option, out);
    fputs(final_options, out);
}

static void print_itemsets(FILE *out)
{
    fputs("Usage: fimbit itemsets [OPTIONS] [INPUT...]\n"
          "\n"
          "Finds the itemsets contained in at least min-support baskets.\n"
          "Text output: one itemset a line, \"{a, b, c} (count)\"; a name with a\n"
          "comma, brace or quote in it, or outer blanks, is quoted (\"a, b\"); integer\n"
          "items keep the plain form \"1 5 12 (count)\".\n"
          "\n",
          out);
    fputs(mining_options, out);
    fputs("  -t, --target T         all (default), closed or maximal\n\n", out);
    fputs(output_options, out);
    fputs(output_file_option, out);
    fputs("      --sort             canonical order: by size, then items (diffable);\n"
          "                         with --group, by group first\n\n",
          out);
    fputs(input_options, out);
    fputc('\n', out);
    fputs(group_options, out);
    fputs(group_min_count_option, out);
    fputc('\n', out);
    print_general(out, true);
    fputs("\nExample: fimbit itemsets -s 2% -n 3 --sort datasets/groceries.csv\n", out);
}

static void print_rules(FILE *out)
{
    fputs("Usage: fimbit rules [OPTIONS] [INPUT...]\n"
          "\n"
          "Finds the strong rules X => Y: support of X and Y together >= min-support,\n"
          "confidence >= min-confidence, lift >= min-lift.\n"
          "Text output: \"{x1, x2} => {y} (count, support, confidence, lift)\"\n"
          "(integer items: \"1 2 => 3 (...)\").\n"
          "\n",
          out);
    fputs(mining_options, out);
    fputs(rule_options, out);
    fputs(analysis_options, out);
    fputs("Output:\n"
          "  -f, --format F         text (default), csv, jsonl or table (aligned\n"
          "                         columns for a terminal)\n",
          out);
    fputs(output_file_option, out);
    fputs("      --sort             canonical order: by antecedent, then consequent;\n"
          "                         with --group, by group first\n"
          "      --top N            only the N strongest rules, strongest first\n"
          "                         (by confidence, then lift, then count; or --by);\n"
          "                         with --group, the N strongest of each group\n\n",
          out);
    fputs(input_options, out);
    fputc('\n', out);
    fputs(group_options, out);
    fputs(group_min_count_option, out);
    fputs("                         Every rule option applies to each group as to a\n"
          "                         run on its rows alone (p-values are adjusted over\n"
          "                         the group's rules); -f table is for one rule set\n",
          out);
    fputc('\n', out);
    print_general(out, true);
    fputs("\nExample: fimbit rules -s 0.5% -c 0.3 --top 10 datasets/groceries.csv\n"
          "What leads to whole milk? The 10 lowest p-values among the rules into it:\n"
          "  fimbit rules -s 0.5% -c 0.2 --consequent-items \"whole milk\" --non-redundant \\\n"
          "    --measures p_value,improvement --top 10 --by p_value -f csv \\\n"
          "    datasets/groceries.csv\n",
          out);
}

static void print_info(FILE *out)
{
    fputs("Usage: fimbit info [OPTIONS] [INPUT...]\n"
          "\n"
          "Describes a dataset: baskets, empty baskets, distinct items, total and\n"
          "average basket length, longest basket, density, the basket-length\n"
          "histogram and the 10 most frequent items with count and support.\n"
          "With --group, the same for every group, led by its name.\n"
          "\n",
          out);
    fputs(output_options, out);
    fputs(output_file_option, out);
    fputc('\n', out);
    fputs(input_options, out);
    fputc('\n', out);
    fputs(group_options, out);
    fputc('\n', out);
    print_general(out, true);
    fputs("\nExample: fimbit info datasets/groceries.csv\n", out);
}

static void print_report(FILE *out)
{
    fputs("Usage: fimbit report [OPTIONS] [INPUT...] -o report.html\n"
          "\n"
          "Writes one self-contained HTML page (inline charts and script; nothing\n"
          "is loaded from the network): the dataset's summary, its most frequent\n"
          "items, the basket-length histogram, the strong rules plotted by support\n"
          "and confidence and coloured by lift, and a sortable, filterable table of\n"
          "the strongest rules. With --group, one page holds a report per group,\n"
          "chosen from a list at its top. The page names the options that shaped\n"
          "the rules and is dated (SOURCE_DATE_EPOCH, when set, gives the date).\n"
          "\n",
          out);
    fputs(mining_options, out);
    fputs(rule_options, out);
    fputs(analysis_options, out);
    fputs("Output:\n", out);
    fputs(output_file_option, out);
    fputs("      --top N            plot and list the N strongest rules (the N best\n"
          "                         by --by when given); default 500 (per group);\n"
          "                         past 20000 a browser opens the page slowly\n"
          "\n",
          out);
    fputs(input_options, out);
    fputc('\n', out);
    fputs(group_options, out);
    fputs(group_min_count_option, out);
    fputc('\n', out);
    print_general(out, true);
    fputs("\nExample: fimbit report -s 0.5% -c 0.3 -o report.html datasets/groceries.csv\n", out);
}

static void print_recommend(FILE *out)
{
    fputs("Usage: fimbit recommend --rules FILE (--basket ITEMS | --baskets FILE) [OPTIONS]\n"
          "\n"
          "Suggests items for baskets from rules written by 'fimbit rules -f jsonl':\n"
          "every rule whose antecedent a basket holds proposes its consequent items\n"
          "that the basket lacks; each item is scored by its best such rule.\n"
          "Output: one JSON line per basket; for --baskets led by the basket's key\n"
          "(its id in long CSV, else its 1-based number),\n"
          "  {\"basket\":\"17850\",\"recommendations\":[{\"item\":\"yogurt\",\n"
          "   \"confidence\":0.4,\"lift\":1.6}]}\n"
          "\n"
          "Recommending:\n"
          "      --rules FILE       the rules, JSON Lines: plain, .gz or .zst ('-' =\n"
          "                         standard input)\n"
          "      --basket ITEMS     one basket: item names split at the separator\n"
          "      --baskets FILE     baskets in any input format ('-' = standard\n"
          "                         input): a line each (items split at ',' unless\n"
          "                         --separator says otherwise), or with --columns\n"
          "                         CUSTOMER,ITEM one per customer of all they bought\n"
          "  -k, --count N          recommendations per basket; default 10\n"
          "      --by M             rank by the best rule's confidence (default) or lift\n"
          "      --group-map F[:C]  a basket's group is the one its key has in the CSV\n"
          "                         file F (as for 'fimbit rules --group-map'); only the\n"
          "                         rules of that group (their \"group\") recommend for it\n"
          "\n",
          out);
    fputs(input_options, out);
    fputc('\n', out);
    fputs("Output:\n"
          "  -o, --output FILE      write to FILE (default: standard output)\n"
          "\n",
          out);
    print_general(out, false);
    fputs("\nExamples:\n"
          "  fimbit rules -s 0.5% -c 0.2 -f jsonl -o rules.jsonl datasets/groceries.csv\n"
          "  fimbit recommend --rules rules.jsonl --basket \"whole milk,rolls/buns\" -k 5\n"
          "  fimbit recommend --rules segment_rules.jsonl --baskets datasets/orders.csv \\\n"
          "    --columns CustomerID,StockCode --group-map customers.csv:segment\n",
          out);
}

static void print_gen(FILE *out)
{
    fputs("Usage: fimbit gen [OPTIONS]\n"
          "\n"
          "Writes synthetic baskets following the IBM Quest model (Agrawal and\n"
          "Srikant, VLDB 1994). The same options and seed give the same bytes,\n"
          "whatever the thread count.\n"
          "\n"
          "Model:\n"
          "      --baskets D        number of baskets; 100000 (default), 100k, 10M\n"
          "      --avg-size T       average basket size; default 10\n"
          "      --pattern-size I   average size of the potentially frequent\n"
          "                         patterns; default 4\n"
          "      --patterns L       number of patterns; default 2000\n"
          "      --items N          number of items; default 1000\n"
          "      --correlation C    mean share of a pattern taken from the previous\n"
          "                         one; default 0.5\n"
          "      --corruption C     mean corruption level in [0,1]; default 0.5\n"
          "      --seed S           random seed; default 1\n"
          "\n"
          "Output:\n"
          "  -f, --format F         fimi (default), basket (comma separated),\n"
          "                         csv-long (basket_id,item rows) or orders (order\n"
          "                         lines: InvoiceNo,StockCode,Quantity,InvoiceDate,\n"
          "                         UnitPrice,CustomerID,Country; a basket is an order\n"
          "                         of one of baskets/10 customers, dates from\n"
          "                         2010-12-01 to 2011-12-09, 2% returns with negative\n"
          "                         quantities, 10% of orders without a customer)\n"
          "      --names            items named item<id> (implies --format basket)\n"
          "  -o, --output FILE      write to FILE (default: standard output)\n"
          "\n",
          out);
    print_general(out, false);
    fputs("\nExample: fimbit gen --baskets 10M --avg-size 10 --pattern-size 4 --items 1000 \\\n"
          "           --seed 7 -o T10I4D10M.dat\n",
          out);
}

static void print_rfm(FILE *out)
{
    fputs("Usage: fimbit rfm --customer COL --order COL --date COL --amount EXPR [OPTIONS]\n"
          "                  [INPUT...]\n"
          "\n"
          "Scores customers by their order lines (CSV with a header, one row per\n"
          "product on an order): recency = days from the customer's latest date to\n"
          "the as-of day, frequency = distinct orders, monetary = the sum of the\n"
          "amounts (returns reduce it). Scores run 1..bins; equal values always get\n"
          "equal scores: 1 + floor(bins * b / n), b = customers strictly worse, n =\n"
          "all customers. With 5 bins (r, f) names a segment: champions,\n"
          "loyal_customers, potential_loyalists, new_customers, promising,\n"
          "need_attention, about_to_sleep, at_risk, cant_lose, hibernating.\n"
          "Rows with an empty customer are skipped with one warning.\n"
          "Output: customer,recency,frequency,monetary,r,f,m,segment per customer.\n"
          "\n"
          "Columns (header names or 1-based indexes):\n"
          "      --customer COL     the customer id\n"
          "      --order COL        the order (invoice) id\n"
          "      --date COL         the order's date\n"
          "      --amount EXPR      a column, or the product of two: Quantity*UnitPrice;\n"
          "                         numbers: sign, digits, decimal point, exponent\n"
          "\n"
          "Scoring:\n"
          "      --date-format F    strptime-style layout of the dates, e.g.\n"
          "                         \"%m/%d/%Y %H:%M\"; default ISO 8601 (2011-12-09,\n"
          "                         2011-12-09 12:50:00, 2011-12-09T12:50:00Z)\n"
          "      --as-of DATE       the reference day (ISO 8601 or as --date-format);\n"
          "                         default the day after the latest date\n"
          "      --bins N           scores 1..N, N in [2,1000]; default 5 (segments\n"
          "                         need 5)\n"
          "      --separator C      field separator; default ','\n"
          "\n",
          out);
    fputs(output_options, out);
    fputs(output_file_option, out);
    fputs("\n", out);
    fputs(general_options, out);
    print_progress_option(out,
                          "lines for reading the order lines, rfm's one stage,\n"
                          "                         on standard error with rate and time left,\n");
    fputs("  -v, --verbose          timings and a summary per segment (customers,\n"
          "                         share, mean recency, frequency and monetary) on\n"
          "                         standard error\n"
          "  -h, --help             show this help\n"
          "  -V, --version          print the version\n",
          out);
    fputs("\nExample: fimbit rfm --customer CustomerID --order InvoiceNo --date InvoiceDate \\\n"
          "           --amount Quantity*UnitPrice -f csv -o customers.csv \\\n"
          "           datasets/orders.csv\n",
          out);
}

void cli_print_usage(FILE *out, cli_command command)
{
    switch (command) {
    case CLI_COMMAND_ITEMSETS:
        print_itemsets(out);
        break;
    case CLI_COMMAND_RULES:
        print_rules(out);
        break;
    case CLI_COMMAND_INFO:
        print_info(out);
        break;
    case CLI_COMMAND_RECOMMEND:
        print_recommend(out);
        break;
    case CLI_COMMAND_REPORT:
        print_report(out);
        break;
    case CLI_COMMAND_GEN:
        print_gen(out);
        break;
    case CLI_COMMAND_RFM:
        print_rfm(out);
        break;
    default:
        fputs(overview, out);
        break;
    }
}

void cli_print_version(FILE *out)
{
    fprintf(out, "fimbit %s\n", fimbit_version());
}
