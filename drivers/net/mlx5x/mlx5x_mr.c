/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Memory registration table: the device model's view of which host memory
 * the drivers registered, keyed by lkey. One table for the process (one
 * protection domain), entries tagged with the registering device.
 * Registration is a control-path command; every DMA looks up its lkey
 * (mlx5x_mr_dma) without a lock.
 */
#include <rte_spinlock.h>

#include "mlx5x_emu.h"

struct mlx5x_mr_table mlx5x_mr_global = { .lock = RTE_SPINLOCK_INITIALIZER };

/* lkey = slot << 8 | key byte; the byte changes on reuse so a stale lkey
 * never matches a new registration. */
uint32_t
mlx5x_mr_reg(const struct mlx5x_emu *emu, void *va, rte_iova_t iova,
	     uint64_t len)
{
	static uint8_t key = 0x5a;
	struct mlx5x_mr_table *t = &mlx5x_mr_global;
	uint32_t i, lkey = 0;

	rte_spinlock_lock(&t->lock);
	for (i = 1; i < MLX5X_MR_MAX; i++) {
		struct mlx5x_mr *mr = &t->ent[i];

		if (mr->lkey == 0) {
			mr->iova = iova;
			mr->len = len;
			mr->va = va;
			mr->owner = emu;
			if (++key == 0 || key == (MLX5_INVALID_LKEY & 0xff))
				key = 1;
			lkey = i << 8 | key;
			__atomic_store_n(&mr->lkey, lkey, __ATOMIC_RELEASE);
			t->n++;
			break;
		}
	}
	rte_spinlock_unlock(&t->lock);
	return lkey;
}

void
mlx5x_mr_dereg_all(const struct mlx5x_emu *emu)
{
	struct mlx5x_mr_table *t = &mlx5x_mr_global;

	rte_spinlock_lock(&t->lock);
	for (uint32_t i = 1; i < MLX5X_MR_MAX; i++) {
		struct mlx5x_mr *mr = &t->ent[i];

		if (mr->lkey != 0 && mr->owner == emu) {
			__atomic_store_n(&mr->lkey, 0, __ATOMIC_RELEASE);
			mr->owner = NULL;
			t->n--;
		}
	}
	rte_spinlock_unlock(&t->lock);
}

void
mlx5x_mr_dereg(const struct mlx5x_emu *emu, uint32_t lkey)
{
	struct mlx5x_mr_table *t = &mlx5x_mr_global;
	struct mlx5x_mr *mr = &t->ent[(lkey >> 8) % MLX5X_MR_MAX];

	rte_spinlock_lock(&t->lock);
	if (lkey != 0 && mr->lkey == lkey && mr->owner == emu) {
		__atomic_store_n(&mr->lkey, 0, __ATOMIC_RELEASE);
		mr->owner = NULL;
		t->n--;
	}
	rte_spinlock_unlock(&t->lock);
}

uint32_t
mlx5x_mr_find(const struct mlx5x_emu *emu, rte_iova_t iova, uint64_t len,
	      struct mlx5x_mr *out)
{
	struct mlx5x_mr_table *t = &mlx5x_mr_global;
	uint32_t i, lkey = 0;

	rte_spinlock_lock(&t->lock);
	for (i = 1; i < MLX5X_MR_MAX; i++) {
		const struct mlx5x_mr *mr = &t->ent[i];

		if (mr->lkey != 0 && mr->owner == emu && iova >= mr->iova &&
		    iova + len <= mr->iova + mr->len) {
			lkey = mr->lkey;
			if (out != NULL)
				*out = *mr;
			break;
		}
	}
	rte_spinlock_unlock(&t->lock);
	return lkey;
}

uint32_t
mlx5x_mr_count(const struct mlx5x_emu *emu)
{
	struct mlx5x_mr_table *t = &mlx5x_mr_global;
	uint32_t n = 0;

	rte_spinlock_lock(&t->lock);
	for (uint32_t i = 1; i < MLX5X_MR_MAX; i++)
		n += t->ent[i].lkey != 0 && t->ent[i].owner == emu;
	rte_spinlock_unlock(&t->lock);
	return n;
}
