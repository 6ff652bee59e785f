/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A stand-in libcuda.so.1 for machines without a GPU: the driver API
 * calls the devmem CUDA provider makes, over host memory ("device"
 * memory is malloc'd, the dma-buf a memfd), counting the copies and
 * stream synchronisations so a test can check that payloads reach the
 * "GPU" byte for byte and in one batch per burst. Used only by the
 * mlx5x-devmem-cuda-fake test (LD_LIBRARY_PATH); never installed.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

typedef int CUresult;
typedef int CUdevice;
typedef void *CUcontext;
typedef void *CUstream;
typedef unsigned long long CUdeviceptr;

unsigned long long fake_cuda_copies, fake_cuda_syncs, fake_cuda_bytes;
static int ctx_token;

CUresult cuInit(unsigned int f) { (void)f; return 0; }
CUresult cuDeviceGet(CUdevice *d, int o) { *d = o; return o == 0 ? 0 : 101; }
CUresult cuDevicePrimaryCtxRetain(CUcontext *c, CUdevice d)
{ (void)d; *c = &ctx_token; return 0; }
CUresult cuDevicePrimaryCtxRelease_v2(CUdevice d) { (void)d; return 0; }
CUresult cuCtxSetCurrent(CUcontext c) { return c == &ctx_token ? 0 : 201; }
CUresult cuMemAlloc_v2(CUdeviceptr *p, size_t n)
{
	void *m = aligned_alloc(4096, (n + 4095) & ~(size_t)4095);

	if (m == NULL)
		return 2;
	memset(m, 0, n);
	*p = (CUdeviceptr)(uintptr_t)m;
	return 0;
}
CUresult cuMemFree_v2(CUdeviceptr p) { free((void *)(uintptr_t)p); return 0; }
CUresult cuMemHostAlloc(void **p, size_t n, unsigned int f)
{ (void)f; *p = aligned_alloc(4096, (n + 4095) & ~(size_t)4095);
  return *p ? 0 : 2; }
CUresult cuMemFreeHost(void *p) { free(p); return 0; }
CUresult cuMemGetHandleForAddressRange(void *h, CUdeviceptr p, size_t n,
				       int type, unsigned long long f)
{
	(void)p; (void)type; (void)f;
	*(int *)h = memfd_create("fake-dmabuf", MFD_CLOEXEC);
	return *(int *)h >= 0 && ftruncate(*(int *)h, (off_t)n) == 0 ? 0 : 1;
}
CUresult cuStreamCreate(CUstream *s, unsigned int f)
{ (void)f; *s = &ctx_token; return 0; }
CUresult cuStreamDestroy_v2(CUstream s) { (void)s; return 0; }
CUresult cuMemcpyHtoDAsync_v2(CUdeviceptr d, const void *s, size_t n,
			      CUstream st)
{
	(void)st;
	memcpy((void *)(uintptr_t)d, s, n);
	fake_cuda_copies++;
	fake_cuda_bytes += n;
	return 0;
}
CUresult cuStreamSynchronize(CUstream s) { (void)s; fake_cuda_syncs++; return 0; }
CUresult cuGetErrorString(CUresult e, const char **s)
{ *s = e ? "fake CUDA error" : "no error"; return 0; }
