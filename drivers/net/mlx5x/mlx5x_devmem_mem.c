/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Devmem region providers: how a region becomes memory the device can
 * write. The fd provider maps a dma-buf or memfd (the stand-in for GPU
 * memory on a machine without one); the VA provider takes a range the
 * caller keeps mapped. Both hand the emulated device a CPU mapping and
 * use its address as the IOVA. The rdma-core path registers the same
 * region with a real RDMA device (ibv_reg_dmabuf_mr for an fd,
 * ibv_reg_mr for host memory), so a ConnectX's RQ scatter entries could
 * point into it; without a device it says so.
 */
#include <errno.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#include <infiniband/verbs.h>

#include "mlx5x_devmem.h"

static int
fd_open(const struct rte_pmd_mlx5x_devmem_region *r, struct mlx5x_dm_mem *m)
{
	long pg = sysconf(_SC_PAGESIZE);
	void *va;

	if (r->fd < 0 || r->len == 0 || r->offset % (uint64_t)pg != 0) {
		MLX5X_LOG(ERR, "devmem region: fd %d offset %" PRIu64 " length %"
			  PRIu64 ": needs an fd, a length and a page-aligned "
			  "offset", r->fd, r->offset, r->len);
		return -EINVAL;
	}
	va = mmap(NULL, r->len, PROT_READ | PROT_WRITE, MAP_SHARED, r->fd,
		  (off_t)r->offset);
	if (va == MAP_FAILED) {
		int err = errno;

		MLX5X_LOG(ERR, "devmem region: cannot map fd %d [%" PRIu64 ", +%"
			  PRIu64 "): %s (a dma-buf the CPU cannot map needs a "
			  "device that DMAs into it: F_VERBS)", r->fd, r->offset,
			  r->len, strerror(err));
		return -err;
	}
	m->va = va;
	m->iova = (rte_iova_t)(uintptr_t)va;
	m->len = r->len;
	return 0;
}

static void
fd_close(struct mlx5x_dm_mem *m)
{
	if (m->va != NULL)
		munmap(m->va, m->len);
	m->va = NULL;
}

const struct mlx5x_dm_provider mlx5x_dm_fd = {
	.name = "fd",
	.open = fd_open,
	.close = fd_close,
};

static int
va_open(const struct rte_pmd_mlx5x_devmem_region *r, struct mlx5x_dm_mem *m)
{
	if (r->va == NULL || r->len == 0 || (uintptr_t)r->va % 64 != 0) {
		MLX5X_LOG(ERR, "devmem region: address %p length %" PRIu64
			  ": needs a 64-byte aligned address and a length",
			  r->va, r->len);
		return -EINVAL;
	}
	m->va = r->va;
	m->iova = (rte_iova_t)(uintptr_t)r->va;
	m->len = r->len;
	return 0;
}

static void
va_close(struct mlx5x_dm_mem *m)
{
	m->va = NULL;
}

const struct mlx5x_dm_provider mlx5x_dm_va = {
	.name = "va",
	.open = va_open,
	.close = va_close,
};

const struct mlx5x_dm_provider *
mlx5x_dm_provider_of(int type)
{
	switch (type) {
	case RTE_PMD_MLX5X_DEVMEM_FD:
		return &mlx5x_dm_fd;
	case RTE_PMD_MLX5X_DEVMEM_VA:
		return &mlx5x_dm_va;
	case RTE_PMD_MLX5X_DEVMEM_CUDA:
		return &mlx5x_dm_cuda;
	default:
		return NULL;
	}
}

int
mlx5x_dm_verbs_reg(struct mlx5x_dm_mem *m,
		   const struct rte_pmd_mlx5x_devmem_region *r)
{
	const int access = IBV_ACCESS_LOCAL_WRITE;
	struct ibv_device **list;
	struct ibv_context *ctx = NULL;
	struct ibv_pd *pd = NULL;
	struct ibv_mr *mr = NULL;
	int n = 0, err;

	list = ibv_get_device_list(&n);
	if (list == NULL || n == 0) {
		MLX5X_LOG(ERR, "devmem: F_VERBS: no RDMA device found "
			  "(ibv_get_device_list: %d devices%s%s); the region "
			  "cannot be registered with a real NIC", n,
			  list == NULL ? ", " : "",
			  list == NULL ? strerror(errno) : "");
		if (list != NULL)
			ibv_free_device_list(list);
		return -ENODEV;
	}
	ctx = ibv_open_device(list[0]);
	if (ctx != NULL)
		pd = ibv_alloc_pd(ctx);
	if (pd != NULL)
		mr = r->type != RTE_PMD_MLX5X_DEVMEM_VA ?
		     ibv_reg_dmabuf_mr(pd, r->offset, r->len, 0, r->fd, access) :
		     ibv_reg_mr(pd, r->va, r->len, access);
	if (mr == NULL) {
		err = errno ? errno : EIO;
		MLX5X_LOG(ERR, "devmem: F_VERBS: %s on %s failed: %s",
			  r->type != RTE_PMD_MLX5X_DEVMEM_VA ?
			  "ibv_reg_dmabuf_mr" : "ibv_reg_mr",
			  ibv_get_device_name(list[0]), strerror(err));
		if (pd != NULL)
			ibv_dealloc_pd(pd);
		if (ctx != NULL)
			ibv_close_device(ctx);
		ibv_free_device_list(list);
		return -err;
	}
	ibv_free_device_list(list);
	m->verbs_ctx = ctx;
	m->verbs_pd = pd;
	m->verbs_mr = mr;
	return 0;
}

void
mlx5x_dm_verbs_dereg(struct mlx5x_dm_mem *m)
{
	if (m->verbs_mr != NULL)
		ibv_dereg_mr(m->verbs_mr);
	if (m->verbs_pd != NULL)
		ibv_dealloc_pd(m->verbs_pd);
	if (m->verbs_ctx != NULL)
		ibv_close_device(m->verbs_ctx);
	m->verbs_mr = m->verbs_pd = m->verbs_ctx = NULL;
}
