// Experiment of results/bench/threads-2026-11-30.md section 3: one row-major SGEMM timed as
// OpenBLAS at 1 thread, OpenBLAS at 2 threads, and cut into PARTS fixed column blocks that two
// threads take from a shared counter, each block an OpenBLAS call at 1 thread; prints GFLOP/s
// (best of REPS) and whether the blocked result has the same bits as the whole call.
//   gcc -O2 scripts/gemm_split.c -o /tmp/gemm_split -lopenblas -lpthread
//   OPENBLAS_CORETYPE=Cooperlake /tmp/gemm_split M K N PARTS REPS
#include <cblas.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
void openblas_set_num_threads(int);
static double now(){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec+t.tv_nsec*1e-9;}
typedef struct {int m,n,k,parts; float*a,*b,*c; int next; pthread_mutex_t mu;} job;
static void part(job*j,int p){int n0=(long)j->n*p/j->parts, n1=(long)j->n*(p+1)/j->parts;
 cblas_sgemm(CblasRowMajor,CblasNoTrans,CblasNoTrans,j->m,n1-n0,j->k,1,j->a,j->k,j->b+n0,j->n,0,j->c+n0,j->n);}
static void* worker(void*arg){job*j=arg;for(;;){pthread_mutex_lock(&j->mu);int p=j->next++;pthread_mutex_unlock(&j->mu);if(p>=j->parts)break;part(j,p);}return 0;}
int main(int argc,char**argv){int m=atoi(argv[1]),k=atoi(argv[2]),n=atoi(argv[3]),parts=atoi(argv[4]),reps=atoi(argv[5]);
 float*a=malloc(4L*m*k),*b=malloc(4L*k*n),*c=malloc(4L*m*n),*c2=malloc(4L*m*n);
 for(long i=0;i<(long)m*k;i++)a[i]=(rand()%1000)/1000.f-.5f; for(long i=0;i<(long)k*n;i++)b[i]=(rand()%1000)/1000.f-.5f;
 double best1=1e9,best2=1e9,bestS=1e9,t;
 for(int r=0;r<reps;r++){
  openblas_set_num_threads(1); t=now(); cblas_sgemm(CblasRowMajor,CblasNoTrans,CblasNoTrans,m,n,k,1,a,k,b,n,0,c,n); t=now()-t; if(t<best1)best1=t;
  openblas_set_num_threads(2); t=now(); cblas_sgemm(CblasRowMajor,CblasNoTrans,CblasNoTrans,m,n,k,1,a,k,b,n,0,c,n); t=now()-t; if(t<best2)best2=t;
  openblas_set_num_threads(1); job j={m,n,k,parts,a,b,c2,0,PTHREAD_MUTEX_INITIALIZER}; pthread_t th; t=now(); pthread_create(&th,0,worker,&j); worker(&j); pthread_join(th,0); t=now()-t; if(t<bestS)bestS=t;
 }
 double f=2.0*m*n*k/1e9; int same=memcmp(c,c2,4L*m*n)==0;
 printf("m%d k%d n%d parts%d: 1t %.1f  ob2t %.1f  split2 %.1f GFLOP/s (min of %d); split bits == whole: %d\n",m,k,n,parts,f/best1,f/best2,f/bestS,reps,same);}
