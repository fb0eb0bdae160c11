/* How many of a test's random rounds to run. */
#ifndef FIMBIT_TEST_ROUNDS_H
#define FIMBIT_TEST_ROUNDS_H

/* The step between the random rounds (seeds) a test runs: 1 runs them all;
 * FIMBIT_TEST_ROUND_STRIDE=K in the environment runs every K-th. The
 * sanitizer build sets it (tests/CMakeLists.txt): instrumented code runs
 * 5-10 times slower there, and the Release build already runs every round,
 * so the sanitizers see a spread of the same cases in bounded time. */
unsigned test_round_stride(void);

#endif
