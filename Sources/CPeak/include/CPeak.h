// Machine FMA peak: throughput loops per instruction set, picked at run time by cpuid.
#ifndef CPEAK_H
#define CPEAK_H

/// The instruction set the loops use on this CPU: "avx512f", "avx2+fma" or "sse".
const char *cpeak_isa(void);

/// Runs independent single-precision FMA chains on the calling thread for about `seconds`
/// and returns the achieved GFLOP/s (an FMA counts as 2 FLOPs).
double cpeak_gflops(double seconds);

#endif
