/*
 * The machine's topology, loaded once, and the binding of OpenMP threads to
 * cores spread over NUMA nodes (see topology.h for the policy).
 */
#include "topology.h"

#include <omp.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static pthread_once_t loaded_once = PTHREAD_ONCE_INIT;
/* Set once by topology_load(), then only read. NULL when hwloc failed. Kept
 * for the life of the process: threads bind from it at any time. */
static hwloc_topology_t machine;
static topology_summary machine_summary = {1, 1, 1, false};

/* The calling thread's core, as an index among the machine's cores, once it
 * has bound itself; -1 before. */
static _Thread_local int bound_core = -1;

/* The NUMA nodes holding at least one core, counted (and the `index`-th of
 * them returned in *node, when node is not NULL). */
static unsigned numa_nodes_with_cores(hwloc_topology_t topology, unsigned index,
                                      hwloc_obj_t *node)
{
    unsigned found = 0;
    hwloc_obj_t candidate = NULL;
    while ((candidate = hwloc_get_next_obj_by_type(topology, HWLOC_OBJ_NUMANODE, candidate))) {
        if (hwloc_get_nbobjs_inside_cpuset_by_type(topology, candidate->cpuset,
                                                   HWLOC_OBJ_CORE) <= 0)
            continue; /* memory without cores, such as some HBM or CXL nodes */
        if (node && found == index)
            *node = candidate;
        found++;
    }
    return found;
}

hwloc_obj_t topology_core_for_thread(hwloc_topology_t topology, unsigned thread)
{
    unsigned nodes = numa_nodes_with_cores(topology, 0, NULL);
    if (nodes == 0) {
        /* No NUMA information: the cores in order. */
        int cores = hwloc_get_nbobjs_by_type(topology, HWLOC_OBJ_CORE);
        return cores > 0 ? hwloc_get_obj_by_type(topology, HWLOC_OBJ_CORE,
                                                 thread % (unsigned)cores)
                         : NULL;
    }
    hwloc_obj_t node = NULL;
    numa_nodes_with_cores(topology, thread % nodes, &node);
    int cores = hwloc_get_nbobjs_inside_cpuset_by_type(topology, node->cpuset, HWLOC_OBJ_CORE);
    return hwloc_get_obj_inside_cpuset_by_type(topology, node->cpuset, HWLOC_OBJ_CORE,
                                               (thread / nodes) % (unsigned)cores);
}

bool topology_binding_wanted(unsigned numa_nodes, const char *fimbit_bind,
                             const char *omp_proc_bind, const char *omp_places)
{
    if (omp_proc_bind || omp_places)
        return false;
    if (fimbit_bind && strcmp(fimbit_bind, "0") == 0)
        return false;
    if (fimbit_bind && strcmp(fimbit_bind, "1") == 0)
        return true;
    return numa_nodes > 1;
}

static unsigned count_at_least_one(int count) { return count > 0 ? (unsigned)count : 1; }

static void topology_load(void)
{
    hwloc_topology_t topology;
    if (hwloc_topology_init(&topology) != 0)
        return;
    /* The x86 backend binds the thread to every processor in turn to read
     * CPUID (milliseconds on a busy machine); Linux's sysfs already says
     * which cores and NUMA nodes there are, all that fimbit asks. */
    hwloc_topology_set_components(topology, HWLOC_TOPOLOGY_COMPONENTS_FLAG_BLACKLIST, "x86");
    if (hwloc_topology_load(topology) != 0) {
        hwloc_topology_destroy(topology);
        return;
    }
    machine = topology;
    machine_summary.cores = count_at_least_one(hwloc_get_nbobjs_by_type(topology, HWLOC_OBJ_CORE));
    machine_summary.pus = count_at_least_one(hwloc_get_nbobjs_by_type(topology, HWLOC_OBJ_PU));
    machine_summary.numa_nodes = count_at_least_one((int)numa_nodes_with_cores(topology, 0, NULL));
    machine_summary.binding =
        topology_binding_wanted(machine_summary.numa_nodes, getenv("FIMBIT_BIND"),
                                getenv("OMP_PROC_BIND"), getenv("OMP_PLACES"));
}

void topology_get_summary(topology_summary *summary)
{
    pthread_once(&loaded_once, topology_load);
    *summary = machine_summary;
}

void topology_bind_thread(void)
{
    /* A team of one is the calling thread alone: binding it would confine
     * every later team it starts (PLATFORM.md, gotcha 4), and a small run
     * need not load the topology at all. */
    if (omp_get_num_threads() == 1)
        return;
    pthread_once(&loaded_once, topology_load);
    if (!machine_summary.binding)
        return;
    /* A nested team (a group mined inside the groups' team) stays where its
     * outer thread was bound: its thread numbers restart at 0. */
    if (omp_get_level() > 1)
        return;
    hwloc_obj_t core = topology_core_for_thread(machine, (unsigned)omp_get_thread_num());
    if (!core || (int)core->logical_index == bound_core)
        return;
    /* A failed bind (a cpuset changed under us) leaves the thread where the
     * OS puts it: slower at worst, never wrong. */
    if (hwloc_set_cpubind(machine, core->cpuset, HWLOC_CPUBIND_THREAD) == 0)
        bound_core = (int)core->logical_index;
}
