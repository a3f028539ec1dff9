// Open MPI (Debian's libopenmpi-dev) for the one Swift file that uses it
// (Sources/Cluster/MPI.swift). Its handles are macros over global objects, which Swift does not
// import; these functions return them.
#include <openmpi/mpi.h>

static inline MPI_Comm repro_mpi_comm_world(void) { return MPI_COMM_WORLD; }
static inline MPI_Datatype repro_mpi_float(void) { return MPI_FLOAT; }
static inline MPI_Datatype repro_mpi_double(void) { return MPI_DOUBLE; }
static inline MPI_Datatype repro_mpi_byte(void) { return MPI_BYTE; }
static inline MPI_Errhandler repro_mpi_errors_return(void) { return MPI_ERRORS_RETURN; }
static inline int repro_mpi_success(void) { return MPI_SUCCESS; }
