// Crash isolation for every HDF5 file read (repro's digest detects damage, not forgery). Debian's
// libhdf5 1.10.8 can crash, or silently corrupt its heap, on damaged metadata it does not
// checksum (an invalid free under H5Lget_name_by_idx, for one). So a file is never parsed
// in the harness's own process: h5s_sanitize forks, and the child (C only, no Swift runtime)
// reads the whole file (every group by name index, every dataset after checking its declared
// size against its storage as HDF5+Checks.swift does, every attribute) and writes the values
// into a fresh file. The parent reads only that copy, written by libhdf5 itself, and learns
// how the child ended: a crash, a hang or an unreadable part becomes an error. Part of the
// CHDF5 shim (Sources/CHDF5/shim.h).
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

enum { H5S_PROBE_OK = 0, H5S_PROBE_ERROR = 1, H5S_PROBE_CRASHED = 2, H5S_PROBE_TIMEOUT = 3 };

/// The memory type a value of stored `type` is copied through (-1: a class not copied).
static hid_t h5s_probe_memory(hid_t type, int is_dataset) {
    size_t width = H5Tget_size(type);
    switch (H5Tget_class(type)) {
    case H5T_INTEGER: return H5Tcopy(width <= 4 && is_dataset ? H5T_NATIVE_INT32 : H5T_NATIVE_INT64);
    case H5T_FLOAT: return H5Tcopy(width <= 4 && is_dataset ? H5T_NATIVE_FLOAT : H5T_NATIVE_DOUBLE);
    case H5T_STRING: {
        hid_t memory = H5Tcopy(H5T_C_S1);
        H5Tset_size(memory, H5Tis_variable_str(type) > 0 ? H5T_VARIABLE : width);
        H5Tset_cset(memory, H5Tget_cset(type));
        H5Tset_strpad(memory, H5Tget_strpad(type));
        return memory;
    }
    default: return -1;
    }
}

/// Copies dataset or attribute `object` (named `name`) into `target` (a group or object of
/// the copy), after checking its declared size; 1 on success (or a type not copied).
static int h5s_probe_copy(hid_t object, int is_dataset, hid_t target, const char *name) {
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
    hid_t memory = ok ? h5s_probe_memory(type, is_dataset) : -1;
    if (ok && memory >= 0) {
        size_t item = H5Tget_size(memory);
        void *buffer = calloc((size_t)n + 1, item);
        ok = buffer && (is_dataset ? H5Dread(object, memory, H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer)
                                   : H5Aread(object, memory, buffer)) >= 0;
        hid_t copy = -1;
        if (ok && is_dataset) {
            hid_t links = H5Pcreate(H5P_LINK_CREATE);
            H5Pset_char_encoding(links, H5T_CSET_UTF8);
            copy = H5Dcreate2(target, name, memory, space, links, H5P_DEFAULT, H5P_DEFAULT);
            H5Pclose(links);
            ok = copy >= 0 && H5Dwrite(copy, memory, H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer) >= 0;
            if (copy >= 0) H5Dclose(copy);
        } else if (ok) {
            copy = H5Acreate2(target, name, memory, space, H5P_DEFAULT, H5P_DEFAULT);
            ok = copy >= 0 && H5Awrite(copy, memory, buffer) >= 0;
            if (copy >= 0) H5Aclose(copy);
        }
        free(buffer);  // variable-length strings are not reclaimed: the child exits soon
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

/// Records in `failure` (256 bytes) the first path that failed.
static int h5s_probe_note(char *failure, const char *path, int ok) {
    if (!ok && !failure[0]) snprintf(failure, 256, "%s", path);
    return ok;
}

static int h5s_probe_object(hid_t file, const char *path, int depth, int *budget,
                            char *failure, hid_t target);

/// Copies member `name` (at `path`) of group `object` into `target`: a dataset's values, or a
/// group created in the copy and walked.
static int h5s_probe_member(hid_t file, hid_t object, const char *path, const char *name,
                            int depth, int *budget, char *failure, hid_t target) {
    H5O_info_t info;
    if (H5Oget_info_by_name2(object, name, &info, H5O_INFO_BASIC, H5P_DEFAULT) < 0) {
        return h5s_probe_note(failure, path, 0);
    }
    if (info.type == H5O_TYPE_GROUP) {
        hid_t group = H5Gcreate2(target, name, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
        int ok = group >= 0 && h5s_probe_object(file, path, depth + 1, budget, failure, group);
        if (group >= 0) H5Gclose(group);
        return h5s_probe_note(failure, path, ok);
    }
    if (info.type != H5O_TYPE_DATASET || --*budget < 0) return h5s_probe_note(failure, path, 0);
    hid_t dataset = H5Dopen2(object, name, H5P_DEFAULT);
    int ok = dataset >= 0 && h5s_probe_copy(dataset, 1, target, name);
    hid_t copied = ok ? H5Dopen2(target, name, H5P_DEFAULT) : -1;
    if (copied >= 0) {  // the dataset's attributes
        ok = h5s_probe_object(file, path, depth + 1, budget, failure, copied);
        H5Dclose(copied);
    }
    if (dataset >= 0) H5Dclose(dataset);
    return h5s_probe_note(failure, path, ok);
}

/// Copies object `path` of `file` (its attributes, data or members) to `target`, the same
/// object in the copy; `budget` bounds the objects visited.
static int h5s_probe_object(hid_t file, const char *path, int depth, int *budget,
                            char *failure, hid_t target) {
    if (depth > 32 || --*budget < 0) return h5s_probe_note(failure, path, 0);
    hid_t object = H5Oopen(file, path, H5P_DEFAULT);
    if (object < 0) return h5s_probe_note(failure, path, 0);
    H5O_info_t info;
    // Errors do not stop the walk: every part the reader might touch is tried once.
    int ok = H5Oget_info2(object, &info, H5O_INFO_NUM_ATTRS) >= 0;
    char name[4096];
    hsize_t attributes = ok ? info.num_attrs : 0;
    for (hsize_t i = 0; i < attributes && i < 100000; i++) {
        int named = h5s_probe_name(name, sizeof name, H5Aget_name_by_idx, file, path, i);
        hid_t attribute = named ? H5Aopen(object, name, H5P_DEFAULT) : -1;
        ok = attribute >= 0 && h5s_probe_copy(attribute, 0, target, name) && ok;
        if (attribute >= 0) H5Aclose(attribute);
    }
    H5I_type_t kind = H5Iget_type(object);
    H5G_info_t group;
    if (kind == H5I_GROUP && H5Gget_info(object, &group) >= 0) {
        for (hsize_t i = 0; i < group.nlinks && *budget > 0; i++) {
            int named = h5s_probe_name(name, sizeof name, H5Lget_name_by_idx, file, path, i);
            char child[8192];
            snprintf(child, sizeof child, "%s/%s", strcmp(path, "/") ? path : "", name);
            ok = named && h5s_probe_member(file, object, child, name, depth, budget, failure,
                                           target) && ok;
        }
    } else if (kind == H5I_GROUP) {
        ok = 0;
    }
    H5Oclose(object);
    return h5s_probe_note(failure, path, ok);
}

typedef struct {
    const char *path;
    const char *copy;
    unsigned milliseconds;
    int channel[2];
    pid_t child;
} h5s_probe_job;

/// Forks while this thread holds HDF5's global lock (the thread-safe build's recursive mutex;
/// the callback of H5Piterate runs under it), so no other thread is inside libhdf5 at the fork
/// and the child, the same thread, may take the lock again. The fork is the raw system call:
/// glibc's fork() first runs atfork handlers, and OpenBLAS's handler joins its worker threads,
/// which deadlocks when another thread is inside a BLAS call waiting for that lock.
static herr_t h5s_probe_fork(hid_t list, const char *property, void *data) {
    (void)list;
    (void)property;
    h5s_probe_job *job = (h5s_probe_job *)data;
    job->child = (pid_t)syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0);
    if (job->child != 0) return 1;  // parent (or failed fork): stop iterating
    close(job->channel[0]);
    // Default actions, so a crash ends the child at once (no Swift backtracer, no libFuzzer
    // report) and the parent sees the signal; SIGALRM unblocked for the time limit.
    int fatal[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP, SIGALRM};
    sigset_t mask;
    sigemptyset(&mask);
    for (size_t i = 0; i < sizeof fatal / sizeof fatal[0]; i++) {
        signal(fatal[i], SIG_DFL);
        sigaddset(&mask, fatal[i]);
    }
    pthread_sigmask(SIG_UNBLOCK, &mask, NULL);
    struct itimerval limit = {{0, 0}, {0, 0}};
    limit.it_value.tv_sec = job->milliseconds / 1000;
    limit.it_value.tv_usec = (suseconds_t)(job->milliseconds % 1000) * 1000;
    setitimer(ITIMER_REAL, &limit, NULL);
    struct rlimit core = {0, 0};
    setrlimit(RLIMIT_CORE, &core);
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
    H5Pset_fclose_degree(fapl, H5F_CLOSE_STRONG);
    hid_t file = H5Fopen(job->path, H5F_ACC_RDONLY, fapl);
    hid_t copy = file >= 0 ? H5Fcreate(job->copy, H5F_ACC_EXCL, H5P_DEFAULT, fapl) : -1;
    hid_t root = copy >= 0 ? H5Gopen2(copy, "/", H5P_DEFAULT) : -1;
    int budget = 100000;
    char failure[256] = "";
    int ok = root >= 0 && h5s_probe_object(file, "/", 0, &budget, failure, root);
    if (root >= 0) H5Gclose(root);
    if (copy >= 0) ok = H5Fclose(copy) >= 0 && ok;
    if (file >= 0) ok = H5Fclose(file) >= 0 && ok;
    if (file < 0 || copy < 0) snprintf(failure, 256, "/");
    ssize_t written = write(job->channel[1], failure, strlen(failure));
    (void)written;
    _exit(ok ? H5S_PROBE_OK : H5S_PROBE_ERROR);
}

/// Copies `path` to the new file `copy` in a child process: H5S_PROBE_OK when every part was
/// read and copied, H5S_PROBE_CRASHED (signal in *signal_number) when libhdf5 crashed,
/// H5S_PROBE_TIMEOUT after `milliseconds` (wall clock), H5S_PROBE_ERROR when some object could
/// not be read (its path in `failed`, 256 bytes; "/" when the file cannot be opened) or no child
/// could be made.
static inline int h5s_sanitize(const char *path, const char *copy, unsigned milliseconds,
                               int *signal_number, char *failed) {
    *signal_number = 0;
    failed[0] = 0;
    h5s_probe_job job = {path, copy, milliseconds ? milliseconds : 1, {-1, -1}, -1};
    if (pipe(job.channel) != 0) return H5S_PROBE_ERROR;
    hid_t list = H5Pcreate(H5P_FILE_ACCESS);
    H5Piterate(list, NULL, h5s_probe_fork, &job);
    H5Pclose(list);
    close(job.channel[1]);
    if (job.child < 0) {
        close(job.channel[0]);
        return H5S_PROBE_ERROR;
    }
    ssize_t got = 0, n;
    while (got < 255 && (n = read(job.channel[0], failed + got, (size_t)(255 - got))) != 0) {
        if (n < 0 && errno != EINTR) break;
        if (n > 0) got += n;
    }
    failed[got] = 0;
    close(job.channel[0]);
    int status = 0;
    while (waitpid(job.child, &status, 0) < 0) {
        if (errno != EINTR) return H5S_PROBE_ERROR;
    }
    if (WIFSIGNALED(status)) {
        *signal_number = WTERMSIG(status);
        return WTERMSIG(status) == SIGALRM ? H5S_PROBE_TIMEOUT : H5S_PROBE_CRASHED;
    }
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? H5S_PROBE_OK : H5S_PROBE_ERROR;
}
