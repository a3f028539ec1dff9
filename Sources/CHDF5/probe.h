// A crash-isolated dry run of reading an HDF5 file, for files without repro's content digest
// (h5py-made files). Debian's libhdf5 1.10.8 can crash or corrupt its heap on damaged
// metadata it does not checksum; h5s_probe forks, and the child (C only, no Swift runtime)
// walks the file exactly as HDF5File reads it: open, list every group by name index, open every
// object, check every dataset's declared size against its storage (as HDF5+Checks.swift) and
// read it, read every attribute. The parent only learns how the child ended, so a file that
// crashes libhdf5 is refused instead of taking the process down. Part of the CHDF5 shim.
#include <pthread.h>
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

/// Records in `failure` (256 bytes) the first path that failed.
static int h5s_probe_note(char *failure, const char *path, int ok) {
    if (!ok && !failure[0]) snprintf(failure, 256, "%s", path);
    return ok;
}

static int h5s_probe_object(hid_t file, const char *path, int depth, int *budget,
                            char *failure) {
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
        ok = attribute >= 0 && h5s_probe_read(attribute, 0) && ok;
        if (attribute >= 0) H5Aclose(attribute);
    }
    H5I_type_t kind = H5Iget_type(object);
    if (kind == H5I_DATASET) ok = h5s_probe_read(object, 1) && ok;
    H5G_info_t group;
    if (kind == H5I_GROUP && H5Gget_info(object, &group) >= 0) {
        for (hsize_t i = 0; i < group.nlinks && *budget > 0; i++) {
            int named = h5s_probe_name(name, sizeof name, H5Lget_name_by_idx, file, path, i);
            char child[8192];
            snprintf(child, sizeof child, "%s/%s", strcmp(path, "/") ? path : "", name);
            ok = named && h5s_probe_object(file, child, depth + 1, budget, failure) && ok;
        }
    } else if (kind == H5I_GROUP) {
        ok = 0;
    }
    H5Oclose(object);
    return h5s_probe_note(failure, path, ok);
}

typedef struct {
    const char *path;
    unsigned seconds;
    int channel[2];
    pid_t child;
} h5s_probe_job;

/// Forks while this thread holds HDF5's global lock (the thread-safe build's recursive mutex;
/// the callback of H5Piterate runs under it), so no other thread is inside libhdf5 at the fork
/// and the child, the same thread, may take the lock again.
static herr_t h5s_probe_fork(hid_t list, const char *property, void *data) {
    (void)list;
    (void)property;
    h5s_probe_job *job = (h5s_probe_job *)data;
    job->child = fork();
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
    alarm(job->seconds);
    struct rlimit core = {0, 0};
    setrlimit(RLIMIT_CORE, &core);
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
    H5Pset_fclose_degree(fapl, H5F_CLOSE_STRONG);
    hid_t file = H5Fopen(job->path, H5F_ACC_RDONLY, fapl);
    int budget = 100000;
    char failure[256] = "";
    int ok = file >= 0 && h5s_probe_object(file, "/", 0, &budget, failure);
    if (file >= 0) ok = H5Fclose(file) >= 0 && ok;
    if (file < 0) snprintf(failure, 256, "/");
    ssize_t written = write(job->channel[1], failure, strlen(failure));
    (void)written;
    _exit(ok ? H5S_PROBE_OK : H5S_PROBE_ERROR);
}

/// Runs the dry run in a child process; H5S_PROBE_CRASHED (and the signal in *signal) when
/// libhdf5 crashed, H5S_PROBE_TIMEOUT after `seconds`, H5S_PROBE_ERROR when some object could
/// not be read (its path in `failed`, 256 bytes), H5S_PROBE_OK otherwise.
static inline int h5s_probe(const char *path, unsigned seconds, int *signal_number,
                            char *failed) {
    *signal_number = 0;
    failed[0] = 0;
    h5s_probe_job job = {path, seconds, {-1, -1}, -1};
    if (pipe(job.channel) != 0) return H5S_PROBE_OK;  // cannot isolate: read in process
    hid_t list = H5Pcreate(H5P_FILE_ACCESS);
    H5Piterate(list, NULL, h5s_probe_fork, &job);
    H5Pclose(list);
    close(job.channel[1]);
    if (job.child < 0) {
        close(job.channel[0]);
        return H5S_PROBE_OK;
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
        if (errno != EINTR) return H5S_PROBE_OK;
    }
    if (WIFSIGNALED(status)) {
        *signal_number = WTERMSIG(status);
        return WTERMSIG(status) == SIGALRM ? H5S_PROBE_TIMEOUT : H5S_PROBE_CRASHED;
    }
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? H5S_PROBE_OK : H5S_PROBE_ERROR;
}
