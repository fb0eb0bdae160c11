/* One 64-bit mixing function for every hash table and random stream. */
#ifndef FIMBIT_MIX64_H
#define FIMBIT_MIX64_H

#include <stdint.h>

/* splitmix64's finaliser: a bijection in which every input bit reaches every
 * output bit, so small consecutive keys spread over a whole table and a
 * counter becomes a well-mixed stream. */
static inline uint64_t fimbit__mix64(uint64_t x)
{
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

#endif
