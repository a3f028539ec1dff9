// A crash-isolated dry run of reading an HDF5 file, for files without repro's content digest
// (h5py-made files). Debian's libhdf5 1.10.8 can crash or corrupt its heap on damaged
// metadata it does not checksum; h5s_probe forks, and the child (C only, no Swift runtime)
// walks the file exactly as HDF5File reads it: open, list every group by name index, open every
// object, check every dataset's declared size against its storage (as HDF5+Checks.swift) and
// read it, read every attribute. The parent only learns how the child ended, so a file that
// crashes libhdf5 is refused instead of taking the process down. Part of the CHDF5 shim.
#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

enum { H5S_PROBE_OK = 0, H5S_PROBE_ERROR = 1, H5S_PROBE_CRASHED = 2, H5S_PROBE_TIMEOUT = 3 };

static int h5s_probe_read(hid_t object, int is_dataset) {
    hid_t type = is_dataset ? H5Dget_type(object) : H5Aget_type(object);
    hid_t space = is_dataset ? H5Dget_space(object) : H5Aget_space(object);
    int ok = type >= 0 && space >= 0;
    hssize_t n = ok ? H5Sget_simple_extent_npoints(space) : -1;
    size_t width = ok ? H5Tget_size(type) : 0;
    ok = ok && n >= 0 && width > 0 && width < (1u << 20);
    ok = ok && (double)n * (double)(width > 8 ? width : 8) <= (is_dataset ? 4294967296.0 : 8388608.0);
    if (ok && is_dataset) {  // stored bytes must justify the declared ones (see HDF5+Checks)
        hid_t plist = H5Dget_create_plist(object);
        int filtered = plist >= 0 && H5Pget_nfilters(plist) > 0;
        if (plist >= 0) H5Pclose(plist);
        double stored = (double)H5Dget_storage_size(object) * (filtered ? 1100.0 : 1.0);
        ok = (double)n * (double)width <= stored;
    }
    H5T_class_t cls = ok ? H5Tget_class(type) : H5T_NO_CLASS;
    hid_t memory = -1;
    size_t item = 8;
    if (cls == H5T_INTEGER) memory = H5Tcopy(H5T_NATIVE_INT64);
    if (cls == H5T_FLOAT) memory = H5Tcopy(is_dataset ? H5T_NATIVE_FLOAT : H5T_NATIVE_DOUBLE);
    if (cls == H5T_STRING) {
        memory = H5Tcopy(H5T_C_S1);
        if (H5Tis_variable_str(type) > 0) {
            H5Tset_size(memory, H5T_VARIABLE);
            item = sizeof(char *);
        } else {
            H5Tset_size(memory, width + 1);
            item = width + 1;
        }
        H5Tset_cset(memory, H5Tget_cset(type));
    }
    if (ok && memory >= 0) {
        void *buffer = calloc((size_t)n + 1, item);
        herr_t status = !buffer ? -1
                        : is_dataset ? H5Dread(object, memory, H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer)
                                     : H5Aread(object, memory, buffer);
        ok = status >= 0;  // variable-length strings are not reclaimed: the child exits
        free(buffer);
    }
    if (memory >= 0) H5Tclose(memory);
    if (type >= 0) H5Tclose(type);
    if (space >= 0) H5Sclose(space);
    return ok;
}

static int h5s_probe_name(char *out, size_t size, ssize_t (*get)(hid_t, const char *, H5_index_t,
    H5_iter_order_t, hsize_t, char *, size_t, hid_t), hid_t file, const char *path, hsize_t i) {
    ssize_t length = get(file, path, H5_INDEX_NAME, H5_ITER_INC, i, NULL, 0, H5P_DEFAULT);
    if (length < 0 || (size_t)length + 1 > size) return 0;
    return get(file, path, H5_INDEX_NAME, H5_ITER_INC, i, out, size, H5P_DEFAULT) >= 0;
}

static int h5s_probe_object(hid_t file, const char *path, int depth, int *budget) {
    if (depth > 32 || --*budget < 0) return 0;
    hid_t object = H5Oopen(file, path, H5P_DEFAULT);
    if (object < 0) return 0;
    H5O_info_t info;
    int ok = H5Oget_info2(object, &info, H5O_INFO_NUM_ATTRS) >= 0;
    char name[4096];
    for (hsize_t i = 0; ok && i < info.num_attrs; i++) {
        ok = h5s_probe_name(name, sizeof name, H5Aget_name_by_idx, file, path, i);
        hid_t attribute = ok ? H5Aopen(object, name, H5P_DEFAULT) : -1;
        ok = attribute >= 0 && h5s_probe_read(attribute, 0);
        if (attribute >= 0) H5Aclose(attribute);
    }
    H5I_type_t kind = H5Iget_type(object);
    if (ok && kind == H5I_DATASET) ok = h5s_probe_read(object, 1);
    if (ok && kind == H5I_GROUP) {
        H5G_info_t group;
        ok = H5Gget_info(object, &group) >= 0;
        for (hsize_t i = 0; ok && i < group.nlinks; i++) {
            ok = h5s_probe_name(name, sizeof name, H5Lget_name_by_idx, file, path, i);
            char child[8192];
            snprintf(child, sizeof child, "%s/%s", strcmp(path, "/") ? path : "", name);
            ok = ok && h5s_probe_object(file, child, depth + 1, budget);
        }
    }
    H5Oclose(object);
    return ok;
}

/// Runs the dry run in a child process; H5S_PROBE_CRASHED (and the signal in *signal) when
/// libhdf5 crashed, H5S_PROBE_TIMEOUT after `seconds`, H5S_PROBE_ERROR when it reported an
/// error (the caller's own read then reports it properly), H5S_PROBE_OK otherwise.
static inline int h5s_probe(const char *path, unsigned seconds, int *signal_number) {
    *signal_number = 0;
    pid_t child = fork();
    if (child < 0) return H5S_PROBE_OK;  // cannot isolate: read in process as before
    if (child == 0) {
        alarm(seconds);
        struct rlimit core = {0, 0};
        setrlimit(RLIMIT_CORE, &core);
        H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
        hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
        H5Pset_fclose_degree(fapl, H5F_CLOSE_STRONG);
        hid_t file = H5Fopen(path, H5F_ACC_RDONLY, fapl);
        int budget = 100000;
        int ok = file >= 0 && h5s_probe_object(file, "/", 0, &budget);
        if (file >= 0) ok = H5Fclose(file) >= 0 && ok;
        _exit(ok ? H5S_PROBE_OK : H5S_PROBE_ERROR);
    }
    int status = 0;
    while (waitpid(child, &status, 0) < 0) {
        if (errno != EINTR) return H5S_PROBE_OK;
    }
    if (WIFSIGNALED(status)) {
        *signal_number = WTERMSIG(status);
        return WTERMSIG(status) == SIGALRM ? H5S_PROBE_TIMEOUT : H5S_PROBE_CRASHED;
    }
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? H5S_PROBE_OK : H5S_PROBE_ERROR;
}
