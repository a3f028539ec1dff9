#include "measure.h"

// Not inlined, and the empty volatile asm after the call keeps the compiler from turning the
// call into a tail jump: callgrind must see this function enter, call `body` and return.
__attribute__((noinline)) void repro_measured_region(void (*body)(void *), void *context) {
    body(context);
    __asm__ volatile("" ::: "memory");
}
