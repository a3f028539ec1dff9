// OpenBLAS's CBLAS interface plus the few OpenBLAS extensions the harness records.
#include <cblas.h>
// Declared by OpenBLAS (openblas_config.h); repeated here so the module does not depend on it.
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);
char *openblas_get_config(void);
char *openblas_get_corename(void);
// OpenBLAS DYNAMIC_ARCH (driver/others/dynamic.c): quit forgets the chosen kernel table, init
// chooses again (reading OPENBLAS_CORETYPE). Used once, before the first BLAS call.
void gotoblas_dynamic_init(void);
void gotoblas_dynamic_quit(void);
