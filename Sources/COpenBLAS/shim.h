#include <cblas.h>
// The other C interfaces the core needs, which the Glibc module leaves out:
// glibc's mallopt, for MemoryReuse;
#if __has_include(<malloc.h>)
#include <malloc.h>
#endif
// and Linux's thread affinity calls (GNU extensions), for Parallelism.runTogether.
#if defined(__linux__)
int sched_getaffinity(int pid, unsigned long cpusetsize, void *mask);
int sched_setaffinity(int pid, unsigned long cpusetsize, const void *mask);
#endif
