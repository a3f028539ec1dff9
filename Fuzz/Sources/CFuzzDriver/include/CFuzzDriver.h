// libFuzzer's entry point for programs that have their own main (LLVMFuzzerRunDriver, in
// libclang_rt.fuzzer since LLVM 11). Each fuzz target's main.swift calls it with its callback.
#ifndef CFUZZDRIVER_H
#define CFUZZDRIVER_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv,
                        int (*callback)(const uint8_t *data, size_t size));

#endif
