/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The CUDA region provider: GPU memory from cuMemAlloc, exported as a
 * dma-buf with cuMemGetHandleForAddressRange, which a real ConnectX
 * registers with ibv_reg_dmabuf_mr and writes into over PCIe. The
 * emulated device cannot DMA into a GPU, so the provider gives it a
 * pinned host staging area of the same size and, once per receive burst,
 * copies the payloads of that burst to the GPU on one stream (a batch of
 * cuMemcpyHtoDAsync and one synchronize) before the application sees
 * their tokens.
 *
 * Built where the CUDA toolkit's cuda.h is (MLX5X_HAVE_CUDA); libcuda is
 * opened at run time, so the PMD loads on machines without the NVIDIA
 * driver and the provider says why it cannot work there.
 */
#include <dlfcn.h>
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "mlx5x_devmem.h"

#ifdef MLX5X_HAVE_CUDA
#include <cuda.h>

#define CU_STR_(x) #x
#define CU_STR(x) CU_STR_(x)
/* cuda.h maps API names to their current versions (cuMemAlloc ->
 * cuMemAlloc_v2): look up what the macro names. */
#define CU_FNS(X) \
	X(cuInit) X(cuDeviceGet) X(cuDevicePrimaryCtxRetain) \
	X(cuDevicePrimaryCtxRelease) X(cuCtxSetCurrent) X(cuMemAlloc) \
	X(cuMemFree) X(cuMemHostAlloc) X(cuMemFreeHost) \
	X(cuMemGetHandleForAddressRange) X(cuStreamCreate) \
	X(cuStreamDestroy) X(cuMemcpyHtoDAsync) X(cuStreamSynchronize) \
	X(cuGetErrorString)

static struct {
	void *lib;
#define CU_PTR(f) __typeof__(&f) f;
	CU_FNS(CU_PTR)
#undef CU_PTR
} cu;

/* libcuda and cuInit, once: 0 or -ENODEV, the reason logged each time. */
static int
cu_load(void)
{
	static int state; /* 0 unknown, 1 ready, -1 unavailable */
	static char why[256];
	CUresult rc;

	if (state == 0) {
		state = -1;
		cu.lib = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
		if (cu.lib == NULL) {
			snprintf(why, sizeof(why), "libcuda.so.1 not found, no "
				 "NVIDIA driver on this machine (%s)", dlerror());
			goto out;
		}
#define CU_SYM(f) \
		if ((cu.f = (__typeof__(cu.f))dlsym(cu.lib, CU_STR(f))) == NULL) { \
			snprintf(why, sizeof(why), "libcuda has no %s", CU_STR(f)); \
			goto out; \
		}
		CU_FNS(CU_SYM)
#undef CU_SYM
		rc = cu.cuInit(0);
		if (rc != CUDA_SUCCESS) {
			const char *s = NULL;

			cu.cuGetErrorString(rc, &s);
			snprintf(why, sizeof(why), "cuInit: %s (no usable GPU)",
				 s != NULL ? s : "error");
			goto out;
		}
		state = 1;
	}
out:
	if (state > 0)
		return 0;
	MLX5X_LOG(ERR, "devmem CUDA: %s", why);
	return -ENODEV;
}

static const char *
cu_err(CUresult rc)
{
	const char *s = NULL;

	cu.cuGetErrorString(rc, &s);
	return s != NULL ? s : "CUDA error";
}

struct cu_region {
	CUdevice dev;
	CUcontext ctx;
	CUdeviceptr dptr;
	CUstream stream;
};

static int
cu_ctx(int gpu, CUdevice *dev, CUcontext *ctx)
{
	CUresult rc = cu.cuDeviceGet(dev, gpu);

	if (rc == CUDA_SUCCESS)
		rc = cu.cuDevicePrimaryCtxRetain(ctx, *dev);
	if (rc == CUDA_SUCCESS)
		rc = cu.cuCtxSetCurrent(*ctx);
	if (rc != CUDA_SUCCESS) {
		MLX5X_LOG(ERR, "devmem CUDA: GPU %d: %s", gpu, cu_err(rc));
		return -ENODEV;
	}
	return 0;
}

static int
cuda_open(const struct rte_pmd_mlx5x_devmem_region *r, struct mlx5x_dm_mem *m)
{
	struct cu_region *c;
	void *host = NULL;
	CUresult rc;

	if (cu_load() != 0)
		return -ENODEV;
	if (r->va == NULL || r->len == 0) {
		MLX5X_LOG(ERR, "devmem CUDA region: device pointer %p length %"
			  PRIu64 ": needs both (rte_pmd_mlx5x_devmem_cuda_alloc)",
			  r->va, r->len);
		return -EINVAL;
	}
	c = calloc(1, sizeof(*c));
	if (c == NULL)
		return -ENOMEM;
	c->dptr = (CUdeviceptr)(uintptr_t)r->va;
	if (cu_ctx(r->gpu, &c->dev, &c->ctx) != 0) {
		free(c);
		return -ENODEV;
	}
	rc = cu.cuMemHostAlloc(&host, r->len, CU_MEMHOSTALLOC_PORTABLE);
	if (rc == CUDA_SUCCESS)
		rc = cu.cuStreamCreate(&c->stream, CU_STREAM_NON_BLOCKING);
	if (rc != CUDA_SUCCESS) {
		MLX5X_LOG(ERR, "devmem CUDA region: %" PRIu64 " B of pinned "
			  "staging memory: %s", r->len, cu_err(rc));
		if (host != NULL)
			cu.cuMemFreeHost(host);
		cu.cuDevicePrimaryCtxRelease(c->dev);
		free(c);
		return -ENOMEM;
	}
	m->va = host;
	m->iova = (rte_iova_t)(uintptr_t)host;
	m->len = r->len;
	m->priv = c;
	return 0;
}

static void
cuda_close(struct mlx5x_dm_mem *m)
{
	struct cu_region *c = m->priv;

	if (c == NULL)
		return;
	cu.cuCtxSetCurrent(c->ctx);
	cu.cuStreamDestroy(c->stream);
	cu.cuMemFreeHost(m->va);
	cu.cuDevicePrimaryCtxRelease(c->dev);
	free(c);
	m->priv = NULL;
	m->va = NULL;
}

/* The payloads of one burst, staged, go to the GPU in one batch. */
static void
cuda_sync(struct mlx5x_dm_mem *m, const uint64_t *off, const uint32_t *len,
	  unsigned int n)
{
	struct cu_region *c = m->priv;
	CUresult rc = cu.cuCtxSetCurrent(c->ctx);

	for (unsigned int i = 0; i < n && rc == CUDA_SUCCESS; i++)
		rc = cu.cuMemcpyHtoDAsync(c->dptr + off[i], m->va + off[i],
					  len[i], c->stream);
	if (rc == CUDA_SUCCESS)
		rc = cu.cuStreamSynchronize(c->stream);
	if (unlikely(rc != CUDA_SUCCESS))
		MLX5X_LOG(ERR, "devmem CUDA: copying %u payloads to the GPU: %s",
			  n, cu_err(rc));
}

const struct mlx5x_dm_provider mlx5x_dm_cuda = {
	.name = "cuda",
	.open = cuda_open,
	.close = cuda_close,
	.sync = cuda_sync,
};

int
rte_pmd_mlx5x_devmem_cuda_alloc(int gpu, uint64_t len,
				struct rte_pmd_mlx5x_devmem_region *r)
{
	CUdevice dev;
	CUcontext ctx;
	CUdeviceptr d = 0;
	CUresult rc;
	int fd = -1;
	long pg = sysconf(_SC_PAGESIZE);

	if (r == NULL || len == 0 || len % (uint64_t)pg != 0) {
		MLX5X_LOG(ERR, "devmem CUDA alloc: length %" PRIu64 " must be a "
			  "non-zero multiple of %ld", len, pg);
		return -EINVAL;
	}
	if (cu_load() != 0 || cu_ctx(gpu, &dev, &ctx) != 0)
		return -ENODEV;
	rc = cu.cuMemAlloc(&d, len);
	if (rc != CUDA_SUCCESS) {
		MLX5X_LOG(ERR, "devmem CUDA alloc: cuMemAlloc(%" PRIu64 "): %s",
			  len, cu_err(rc));
		cu.cuDevicePrimaryCtxRelease(dev);
		return -ENOMEM;
	}
	rc = cu.cuMemGetHandleForAddressRange(&fd, d, len,
					      CU_MEM_RANGE_HANDLE_TYPE_DMA_BUF_FD,
					      0);
	if (rc != CUDA_SUCCESS) {
		/* the emulated device does not need it; a NIC would */
		MLX5X_LOG(WARNING, "devmem CUDA alloc: no dma-buf export "
			  "(cuMemGetHandleForAddressRange: %s); F_VERBS will "
			  "not work with this region", cu_err(rc));
		fd = -1;
	}
	memset(r, 0, sizeof(*r));
	r->type = RTE_PMD_MLX5X_DEVMEM_CUDA;
	r->va = (void *)(uintptr_t)d;
	r->len = len;
	r->fd = fd;
	r->gpu = gpu;
	return 0;
}

void
rte_pmd_mlx5x_devmem_cuda_free(struct rte_pmd_mlx5x_devmem_region *r)
{
	CUdevice dev;

	if (r == NULL || r->type != RTE_PMD_MLX5X_DEVMEM_CUDA || cu_load() != 0)
		return;
	if (r->fd >= 0)
		close(r->fd);
	cu.cuMemFree((CUdeviceptr)(uintptr_t)r->va);
	if (cu.cuDeviceGet(&dev, r->gpu) == CUDA_SUCCESS)
		cu.cuDevicePrimaryCtxRelease(dev); /* the alloc's retain */
	r->va = NULL;
	r->fd = -1;
}

#else /* !MLX5X_HAVE_CUDA */

static int
cuda_open(const struct rte_pmd_mlx5x_devmem_region *r, struct mlx5x_dm_mem *m)
{
	(void)r;
	(void)m;
	MLX5X_LOG(ERR, "devmem CUDA region: this build has no CUDA provider "
		  "(no CUDA toolkit when it was built)");
	return -ENOTSUP;
}

static void
cuda_close(struct mlx5x_dm_mem *m)
{
	(void)m;
}

const struct mlx5x_dm_provider mlx5x_dm_cuda = {
	.name = "cuda",
	.open = cuda_open,
	.close = cuda_close,
};

int
rte_pmd_mlx5x_devmem_cuda_alloc(int gpu, uint64_t len,
				struct rte_pmd_mlx5x_devmem_region *r)
{
	(void)gpu;
	(void)len;
	(void)r;
	MLX5X_LOG(ERR, "devmem CUDA alloc: built without the CUDA toolkit");
	return -ENOTSUP;
}

void
rte_pmd_mlx5x_devmem_cuda_free(struct rte_pmd_mlx5x_devmem_region *r)
{
	(void)r;
}

#endif
