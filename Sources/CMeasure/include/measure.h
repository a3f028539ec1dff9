#ifndef REPRO_MEASURE_H
#define REPRO_MEASURE_H

/// Calls `body(context)` inside a function with a fixed, unmangled name, so that valgrind's
/// callgrind can count the instructions of exactly this call:
/// `--collect-atstart=no --toggle-collect=repro_measured_region
///  --dump-after=repro_measured_region` writes one profile dump per call.
void repro_measured_region(void (*body)(void *), void *context);

#endif
