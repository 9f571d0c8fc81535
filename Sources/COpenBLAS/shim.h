#include <cblas.h>
// glibc's mallopt, for MemoryReuse in the core: the other C interface the core's matrices need.
#if __has_include(<malloc.h>)
#include <malloc.h>
#endif
