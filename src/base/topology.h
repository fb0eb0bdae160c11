/*
 * The machine's shape (hwloc) and where OpenMP threads run on it.
 *
 * The topology is loaded once per process, on first use, from any thread;
 * libhwloc itself is opened then (dlopen), so a run that never starts a team
 * of two threads never maps it.
 * Binding is decided once at that load: on when the machine has more than one
 * NUMA node or FIMBIT_BIND=1, off with FIMBIT_BIND=0, and never when the user
 * set OMP_PROC_BIND or OMP_PLACES (the OpenMP runtime then places threads).
 *
 * Each OpenMP worker binds itself, from inside a parallel region, by calling
 * topology_bind_thread() first thing: binding the master before the first
 * region would confine the whole team to one core (PLATFORM.md, gotcha 4).
 */
#ifndef FIMBIT_TOPOLOGY_H
#define FIMBIT_TOPOLOGY_H

#include <stdbool.h>

#include <hwloc.h>

typedef struct topology_summary {
    unsigned cores;      /* cores the process may use (at least 1) */
    unsigned numa_nodes; /* NUMA nodes holding some of those cores (at least 1) */
    unsigned pus;        /* hardware threads the process may use (at least 1) */
    bool binding;        /* whether topology_bind_thread() binds */
} topology_summary;

/* Fills *summary for this machine, loading the topology if needed. When
 * libhwloc cannot be opened or cannot load it the counts are 1 and binding is
 * off. */
void topology_get_summary(topology_summary *summary);

/* Binds the calling thread to the core topology_core_for_thread() picks for
 * it (its OpenMP thread number of the current team's size), when binding is
 * on; does nothing otherwise, in a team of one thread, or when already bound
 * there. Call it at the top of a parallel region. */
void topology_bind_thread(void);

/* The binding policy above, as a pure function of the NUMA node count and the
 * values of FIMBIT_BIND, OMP_PROC_BIND and OMP_PLACES (NULL when unset). */
bool topology_binding_wanted(unsigned numa_nodes, const char *fimbit_bind,
                             const char *omp_proc_bind, const char *omp_places);

/* The core for OpenMP thread number `thread` on `topology`: consecutive
 * threads go to different NUMA nodes in turn (round robin over the nodes that
 * hold cores), and to successive cores within a node, wrapping around past a
 * node's last core. So any team of n threads is spread evenly over the nodes,
 * and a thread keeps its core whatever the team size. @return the core, or
 * NULL when the topology has no core or libhwloc cannot be opened. */
hwloc_obj_t topology_core_for_thread(hwloc_topology_t topology, unsigned thread);

#endif /* FIMBIT_TOPOLOGY_H */
