/*
 * The machine's topology, loaded once, and the binding of OpenMP threads to
 * cores spread over NUMA nodes (see topology.h for the policy).
 */
#include "topology.h"

#include <dlfcn.h>
#include <omp.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* hwloc is opened with dlopen, by the first team of more than one thread or
 * the first caller that wants the machine's shape: a one-thread run never
 * maps it, nor libudev that it needs (0.26 MB of a small run's peak RSS).
 * The build names the library as the dynamic linker would (its soname). */
#ifndef FIMBIT_HWLOC_SONAME
#define FIMBIT_HWLOC_SONAME "libhwloc.so.15"
#endif

/* The libhwloc calls fimbit makes, resolved once, typed from hwloc.h's own
 * declarations (naming a function in __typeof__ does not link it). hwloc.h's
 * inline helpers (hwloc_get_obj_by_type and the like) would call libhwloc by
 * name, so the few this file needs are written over these below. */
static struct hwloc_calls {
    __typeof__(hwloc_topology_init) *topology_init;
    __typeof__(hwloc_topology_set_components) *topology_set_components;
    __typeof__(hwloc_topology_load) *topology_load;
    __typeof__(hwloc_topology_destroy) *topology_destroy;
    __typeof__(hwloc_get_type_depth) *get_type_depth;
    __typeof__(hwloc_get_obj_by_depth) *get_obj_by_depth;
    __typeof__(hwloc_bitmap_iszero) *bitmap_iszero;
    __typeof__(hwloc_bitmap_isincluded) *bitmap_isincluded;
    __typeof__(hwloc_set_cpubind) *set_cpubind;
} hwloc;
static pthread_once_t hwloc_opened_once = PTHREAD_ONCE_INIT;
static bool hwloc_opened;

/* Sets *slot, a function pointer of struct hwloc_calls, to `symbol` in the
 * library; the store through void ** is the one POSIX's dlsym page shows.
 * @return whether the library has it. */
static bool hwloc_resolve(void *library, void **slot, const char *symbol)
{
    *slot = dlsym(library, symbol);
    return *slot != NULL;
}

static void hwloc_open(void)
{
    void *library = dlopen(FIMBIT_HWLOC_SONAME, RTLD_NOW | RTLD_LOCAL);
    if (!library)
        return;
    hwloc_opened =
        hwloc_resolve(library, (void **)&hwloc.topology_init, "hwloc_topology_init") &&
        hwloc_resolve(library, (void **)&hwloc.topology_set_components,
                      "hwloc_topology_set_components") &&
        hwloc_resolve(library, (void **)&hwloc.topology_load, "hwloc_topology_load") &&
        hwloc_resolve(library, (void **)&hwloc.topology_destroy, "hwloc_topology_destroy") &&
        hwloc_resolve(library, (void **)&hwloc.get_type_depth, "hwloc_get_type_depth") &&
        hwloc_resolve(library, (void **)&hwloc.get_obj_by_depth, "hwloc_get_obj_by_depth") &&
        hwloc_resolve(library, (void **)&hwloc.bitmap_iszero, "hwloc_bitmap_iszero") &&
        hwloc_resolve(library, (void **)&hwloc.bitmap_isincluded, "hwloc_bitmap_isincluded") &&
        hwloc_resolve(library, (void **)&hwloc.set_cpubind, "hwloc_set_cpubind");
}

/* Whether every call of struct hwloc_calls is there to use. */
static bool hwloc_ready(void)
{
    pthread_once(&hwloc_opened_once, hwloc_open);
    return hwloc_opened;
}

/* The first object of `type` in logical order (the others follow through
 * next_cousin), or NULL when there is none. */
static hwloc_obj_t first_object(hwloc_topology_t topology, hwloc_obj_type_t type)
{
    int depth = hwloc.get_type_depth(topology, type);
    if (depth == HWLOC_TYPE_DEPTH_UNKNOWN || depth == HWLOC_TYPE_DEPTH_MULTIPLE)
        return NULL;
    return hwloc.get_obj_by_depth(topology, depth, 0);
}

/* The objects of `type` whose non-empty cpuset lies within `set` (every one
 * when set is NULL), in logical order: counted, and the `index`-th returned
 * in *found when found is not NULL. */
static unsigned objects_inside(hwloc_topology_t topology, hwloc_obj_type_t type,
                               hwloc_const_cpuset_t set, unsigned index, hwloc_obj_t *found)
{
    unsigned count = 0;
    for (hwloc_obj_t object = first_object(topology, type); object; object = object->next_cousin) {
        if (set &&
            (hwloc.bitmap_iszero(object->cpuset) || !hwloc.bitmap_isincluded(object->cpuset, set)))
            continue;
        if (found && count == index)
            *found = object;
        count++;
    }
    return count;
}

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
    for (hwloc_obj_t candidate = first_object(topology, HWLOC_OBJ_NUMANODE); candidate;
         candidate = candidate->next_cousin) {
        if (objects_inside(topology, HWLOC_OBJ_CORE, candidate->cpuset, 0, NULL) == 0)
            continue; /* memory without cores, such as some HBM or CXL nodes */
        if (node && found == index)
            *node = candidate;
        found++;
    }
    return found;
}

hwloc_obj_t topology_core_for_thread(hwloc_topology_t topology, unsigned thread)
{
    if (!hwloc_ready())
        return NULL;
    hwloc_obj_t core = NULL;
    unsigned nodes = numa_nodes_with_cores(topology, 0, NULL);
    if (nodes == 0) {
        /* No NUMA information: the cores in order. */
        unsigned cores = objects_inside(topology, HWLOC_OBJ_CORE, NULL, 0, NULL);
        if (cores > 0)
            objects_inside(topology, HWLOC_OBJ_CORE, NULL, thread % cores, &core);
        return core;
    }
    hwloc_obj_t node = NULL;
    numa_nodes_with_cores(topology, thread % nodes, &node);
    unsigned cores = objects_inside(topology, HWLOC_OBJ_CORE, node->cpuset, 0, NULL);
    objects_inside(topology, HWLOC_OBJ_CORE, node->cpuset, (thread / nodes) % cores, &core);
    return core;
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

static unsigned at_least_one(unsigned count) { return count > 0 ? count : 1; }

static void topology_load(void)
{
    hwloc_topology_t topology;
    if (!hwloc_ready() || hwloc.topology_init(&topology) != 0)
        return;
    /* The x86 backend binds the thread to every processor in turn to read
     * CPUID (milliseconds on a busy machine); Linux's sysfs already says
     * which cores and NUMA nodes there are, all that fimbit asks. */
    hwloc.topology_set_components(topology, HWLOC_TOPOLOGY_COMPONENTS_FLAG_BLACKLIST, "x86");
    if (hwloc.topology_load(topology) != 0) {
        hwloc.topology_destroy(topology);
        return;
    }
    machine = topology;
    machine_summary.cores = at_least_one(objects_inside(topology, HWLOC_OBJ_CORE, NULL, 0, NULL));
    machine_summary.pus = at_least_one(objects_inside(topology, HWLOC_OBJ_PU, NULL, 0, NULL));
    machine_summary.numa_nodes = at_least_one(numa_nodes_with_cores(topology, 0, NULL));
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
    if (hwloc.set_cpubind(machine, core->cpuset, HWLOC_CPUBIND_THREAD) == 0)
        bound_core = (int)core->logical_index;
}
