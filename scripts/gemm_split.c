// Experiment of results/bench/threads-2026-11-30.md section 3: one row-major SGEMM timed as
// OpenBLAS at 1 thread, OpenBLAS at 2 threads, and cut into PARTS fixed column blocks that two
// threads take from a shared counter, each block an OpenBLAS call at 1 thread. Prints GFLOP/s
// (best of REPS) and whether the blocked result has the same bits as the whole 2-thread call.
//   gcc -O2 scripts/gemm_split.c -o /tmp/gemm_split -lopenblas -lpthread
//   OPENBLAS_CORETYPE=Cooperlake /tmp/gemm_split M K N PARTS REPS
#include <cblas.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void openblas_set_num_threads(int);

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

// C = A B with A m x k, B k x n, C m x n, all row-major.
static void gemm(int m, int n, int k, const float *a, const float *b, int ldb, float *c) {
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, n, k, 1, a, k, b, ldb, 0, c, ldb);
}

typedef struct {
    int m, n, k, parts;
    const float *a, *b;
    float *c;
    int next;  // the next column block to take
    pthread_mutex_t lock;
} Job;

// Takes column blocks until none is left; block p covers columns [n p / parts, n (p+1) / parts).
static void *worker(void *arg) {
    Job *job = arg;
    for (;;) {
        pthread_mutex_lock(&job->lock);
        int p = job->next++;
        pthread_mutex_unlock(&job->lock);
        if (p >= job->parts) return NULL;
        int n0 = (int)((long)job->n * p / job->parts);
        int n1 = (int)((long)job->n * (p + 1) / job->parts);
        gemm(job->m, n1 - n0, job->k, job->a, job->b + n0, job->n, job->c + n0);
    }
}

int main(int argc, char **argv) {
    if (argc != 6) {
        fprintf(stderr, "usage: %s M K N PARTS REPS\n", argv[0]);
        return 2;
    }
    int m = atoi(argv[1]), k = atoi(argv[2]), n = atoi(argv[3]);
    int parts = atoi(argv[4]), reps = atoi(argv[5]);
    float *a = malloc(sizeof(float) * m * k), *b = malloc(sizeof(float) * k * n);
    float *whole = malloc(sizeof(float) * m * n), *blocked = malloc(sizeof(float) * m * n);
    for (long i = 0; i < (long)m * k; i++) a[i] = (rand() % 1000) / 1000.f - .5f;
    for (long i = 0; i < (long)k * n; i++) b[i] = (rand() % 1000) / 1000.f - .5f;

    double one = 1e9, two = 1e9, split = 1e9, t;
    for (int r = 0; r < reps; r++) {
        openblas_set_num_threads(1);
        t = now();
        gemm(m, n, k, a, b, n, whole);
        if ((t = now() - t) < one) one = t;

        openblas_set_num_threads(2);
        t = now();
        gemm(m, n, k, a, b, n, whole);
        if ((t = now() - t) < two) two = t;

        openblas_set_num_threads(1);
        Job job = {m, n, k, parts, a, b, blocked, 0, PTHREAD_MUTEX_INITIALIZER};
        pthread_t helper;
        t = now();
        pthread_create(&helper, NULL, worker, &job);
        worker(&job);
        pthread_join(helper, NULL);
        if ((t = now() - t) < split) split = t;
    }
    double gflop = 2.0 * m * n * k / 1e9;
    int same = memcmp(whole, blocked, sizeof(float) * m * n) == 0;
    printf("m%d k%d n%d parts%d: 1t %.1f  ob2t %.1f  split2 %.1f GFLOP/s (min of %d); "
           "split bits == whole: %d\n",
           m, k, n, parts, gflop / one, gflop / two, gflop / split, reps, same);
    return 0;
}
