#ifndef CFUZZDRIVER_H
#define CFUZZDRIVER_H
#include <stddef.h>
#include <stdint.h>
/* libFuzzer's driver, in the runtime that -sanitize=fuzzer links. SwiftPM
   points `main` at <Module>_main for executables, so the harness defines
   SMFFuzz_main and calls this instead of relying on libFuzzer's own main. */
int LLVMFuzzerRunDriver(int *argc, char ***argv,
                        int (*UserCb)(const uint8_t *Data, size_t Size));
#endif
