/*
 * Thread placement on synthetic machines (this VM has one NUMA node, so the
 * spreading logic is checked on topologies hwloc makes up), the binding
 * policy, and the summary and binding on the real machine.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>

#include <cmocka.h>
#include <omp.h>

#include "base/topology.h"

static hwloc_topology_t synthetic(const char *description)
{
    hwloc_topology_t topology;
    assert_int_equal(hwloc_topology_init(&topology), 0);
    assert_int_equal(hwloc_topology_set_synthetic(topology, description), 0);
    assert_int_equal(hwloc_topology_load(topology), 0);
    return topology;
}

/* The NUMA node holding `core` (its first one), by logical index. */
static unsigned numa_node_of(hwloc_topology_t topology, hwloc_obj_t core)
{
    hwloc_obj_t node = NULL;
    while ((node = hwloc_get_next_obj_by_type(topology, HWLOC_OBJ_NUMANODE, node)))
        if (hwloc_bitmap_isincluded(core->cpuset, node->cpuset))
            return node->logical_index;
    fail_msg("core %u is in no NUMA node", core->logical_index);
    return 0;
}

/* Two packages of one NUMA node and 4 cores each: threads alternate between
 * the nodes, each team of n uses n distinct cores while n <= 8, and balances
 * the nodes within one thread. */
static void test_spreads_over_two_nodes(void **state)
{
    (void)state;
    hwloc_topology_t topology = synthetic("pack:2 numa:1 core:4 pu:1");
    assert_int_equal(hwloc_get_nbobjs_by_type(topology, HWLOC_OBJ_NUMANODE), 2);
    for (unsigned threads = 1; threads <= 8; threads++) {
        unsigned per_node[2] = {0, 0};
        hwloc_bitmap_t used = hwloc_bitmap_alloc();
        for (unsigned t = 0; t < threads; t++) {
            hwloc_obj_t core = topology_core_for_thread(topology, t);
            assert_non_null(core);
            assert_int_equal(core->type, HWLOC_OBJ_CORE);
            assert_int_equal(numa_node_of(topology, core), t % 2);
            assert_false(hwloc_bitmap_isset(used, core->logical_index));
            hwloc_bitmap_set(used, core->logical_index);
            per_node[numa_node_of(topology, core)]++;
        }
        assert_true(per_node[0] - per_node[1] <= 1);
        hwloc_bitmap_free(used);
    }
    /* Thread 8 wraps around to thread 0's core. */
    assert_ptr_equal(topology_core_for_thread(topology, 8), topology_core_for_thread(topology, 0));
    hwloc_topology_destroy(topology);
}

/* Four nodes on two packages, two hardware threads per core: a thread gets
 * a whole core, and the first four threads one node each. */
static void test_spreads_over_four_nodes(void **state)
{
    (void)state;
    hwloc_topology_t topology = synthetic("pack:2 numa:2 core:3 pu:2");
    for (unsigned t = 0; t < 12; t++) {
        hwloc_obj_t core = topology_core_for_thread(topology, t);
        assert_non_null(core);
        assert_int_equal(core->type, HWLOC_OBJ_CORE);
        assert_int_equal(numa_node_of(topology, core), t % 4);
        for (unsigned u = 0; u < t; u++)
            assert_ptr_not_equal(topology_core_for_thread(topology, u), core);
    }
    hwloc_topology_destroy(topology);
}

/* One node (this VM's shape): threads take the cores in order. */
static void test_one_node_takes_cores_in_order(void **state)
{
    (void)state;
    hwloc_topology_t topology = synthetic("pack:1 core:2 pu:1");
    assert_int_equal(topology_core_for_thread(topology, 0)->logical_index, 0);
    assert_int_equal(topology_core_for_thread(topology, 1)->logical_index, 1);
    assert_int_equal(topology_core_for_thread(topology, 2)->logical_index, 0);
    hwloc_topology_destroy(topology);
}

static void test_binding_policy(void **state)
{
    (void)state;
    /* By default: only on NUMA machines. */
    assert_false(topology_binding_wanted(1, NULL, NULL, NULL));
    assert_true(topology_binding_wanted(2, NULL, NULL, NULL));
    /* FIMBIT_BIND forces it either way. */
    assert_true(topology_binding_wanted(1, "1", NULL, NULL));
    assert_false(topology_binding_wanted(2, "0", NULL, NULL));
    /* The user's own OpenMP placement always wins. */
    assert_false(topology_binding_wanted(2, NULL, "close", NULL));
    assert_false(topology_binding_wanted(2, "1", NULL, "cores"));
    assert_false(topology_binding_wanted(1, "1", "false", NULL));
}

/* The real machine: sane counts, and with binding on (FIMBIT_BIND=1 set
 * before the first load) each thread of a team ends up on its chosen core. */
static void test_real_machine_binding(void **state)
{
    (void)state;
    setenv("FIMBIT_BIND", "1", 1);
    unsetenv("OMP_PROC_BIND");
    unsetenv("OMP_PLACES");
    topology_summary summary;
    topology_get_summary(&summary);
    assert_true(summary.cores >= 1);
    assert_true(summary.numa_nodes >= 1 && summary.numa_nodes <= summary.cores);
    assert_true(summary.pus >= summary.cores);
    assert_true(summary.binding);

    hwloc_topology_t topology;
    assert_int_equal(hwloc_topology_init(&topology), 0);
    assert_int_equal(hwloc_topology_load(topology), 0);
    int wrong = 0;
#pragma omp parallel num_threads(2) reduction(+ : wrong)
    {
        topology_bind_thread();
        hwloc_obj_t core = topology_core_for_thread(topology, (unsigned)omp_get_thread_num());
        hwloc_bitmap_t where = hwloc_bitmap_alloc();
        if (hwloc_get_cpubind(topology, where, HWLOC_CPUBIND_THREAD) != 0 ||
            !hwloc_bitmap_isequal(where, core->cpuset))
            wrong++;
        hwloc_bitmap_free(where);
    }
    assert_int_equal(wrong, 0);
    hwloc_topology_destroy(topology);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spreads_over_two_nodes),
        cmocka_unit_test(test_spreads_over_four_nodes),
        cmocka_unit_test(test_one_node_takes_cores_in_order),
        cmocka_unit_test(test_binding_policy),
        cmocka_unit_test(test_real_machine_binding),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
