/* How long the engine's precheck thread (native-src/src/precheck.c) takes to go through a store's objects after an
 * open, with nothing else running. Build and run from the repository root (LIB: a directory with libostore.so):
 *   gcc -O2 -std=c11 -D_GNU_SOURCE -Inative-src/include -Inative-src/src -o /tmp/pretime \
 *       perf/results/2026-12-07-s51-carry/PrecheckTime.c -LLIB -lostore -Wl,-rpath,LIB
 *   /tmp/pretime STORE_DIR */
#include "internal.h"
#include <stdio.h>
#include <time.h>
static double now(void){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec+t.tv_nsec/1e9;}
int main(int c,char**v){ostore_options o;ostore_options_init(&o);ostore*s;char err[256];double t0=now();
 if(ostore_open(v[1],&o,&s,err,sizeof err)){printf("%s\n",err);return 1;}double t1=now();
 printf("open %.0f ms, precheck objects %u\n",(t1-t0)*1e3,s->pre_objects);
 while(__atomic_load_n(&s->pre_live,__ATOMIC_ACQUIRE)){ if(atomic_load(&s->pre_done)>=s->pre_objects) break; struct timespec ts={0,20000000};nanosleep(&ts,0);}
 printf("precheck done %.0f ms after open returned (done %u)\n",(now()-t1)*1e3,atomic_load(&s->pre_done));ostore_close(s,err,sizeof err);return 0;}
