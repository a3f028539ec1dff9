// HDF5 (Debian serial build) plus accessors for the macros Swift cannot import: every H5T_*
// type, H5F_ACC_* flag and H5P_* class macro expands to `(H5open(), global)`. Imported only by
// Sources/Storage/HDF5.swift.
#include <hdf5/serial/hdf5.h>
#include <string.h>

static inline hid_t h5s_native_float(void) { return H5T_NATIVE_FLOAT; }
static inline hid_t h5s_native_double(void) { return H5T_NATIVE_DOUBLE; }
static inline hid_t h5s_native_int32(void) { return H5T_NATIVE_INT32; }
static inline hid_t h5s_native_int64(void) { return H5T_NATIVE_INT64; }
static inline hid_t h5s_ieee_f32le(void) { return H5T_IEEE_F32LE; }
static inline hid_t h5s_ieee_f64le(void) { return H5T_IEEE_F64LE; }
static inline hid_t h5s_std_i32le(void) { return H5T_STD_I32LE; }
static inline hid_t h5s_std_i64le(void) { return H5T_STD_I64LE; }
static inline hid_t h5s_c_s1(void) { return H5T_C_S1; }

static inline unsigned h5s_acc_rdonly(void) { return H5F_ACC_RDONLY; }
static inline unsigned h5s_acc_excl(void) { return H5F_ACC_EXCL; }

static inline hid_t h5s_file_create(void) { return H5P_FILE_CREATE; }
static inline hid_t h5s_file_access(void) { return H5P_FILE_ACCESS; }
static inline hid_t h5s_dataset_create(void) { return H5P_DATASET_CREATE; }
static inline hid_t h5s_link_create(void) { return H5P_LINK_CREATE; }
static inline hid_t h5s_group_create(void) { return H5P_GROUP_CREATE; }

/// Turns off HDF5's automatic error printing. In the thread-safe build the setting belongs to
/// the calling thread's error stack, so call this before HDF5 work on any thread.
static inline void h5s_silence(void) { H5Eset_auto2(H5E_DEFAULT, NULL, NULL); }

static herr_t h5s_innermost(unsigned n, const H5E_error2_t *err, void *buffer) {
    if (n == 0 && err->desc != NULL) {
        strncpy((char *)buffer, err->desc, 255);
        ((char *)buffer)[255] = 0;
    }
    return 0;
}

/// Copies the most specific message of this thread's error stack into `buffer` (256 bytes).
static inline void h5s_last_error(char *buffer) {
    buffer[0] = 0;
    H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, h5s_innermost, buffer);
}

#include <errno.h>
#include <stdio.h>
#include "probe.h"
