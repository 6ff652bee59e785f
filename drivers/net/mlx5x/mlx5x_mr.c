/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Memory registration table: the device model's view of which host memory
 * the driver registered, keyed by lkey. Registration is a control-path
 * command; every DMA looks up its lkey (mlx5x_mr_dma) without a lock.
 */
#include <rte_spinlock.h>

#include "mlx5x_emu.h"

/* lkey = slot << 8 | key byte; the byte changes on reuse so a stale lkey
 * never matches a new registration. */
uint32_t
mlx5x_mr_reg(struct mlx5x_mr_table *t, void *va, rte_iova_t iova, uint64_t len)
{
	static uint8_t key = 0x5a;
	uint32_t i, lkey = 0;

	rte_spinlock_lock(&t->lock);
	for (i = 1; i < MLX5X_MR_MAX; i++) {
		struct mlx5x_mr *mr = &t->ent[i];

		if (mr->lkey == 0) {
			mr->iova = iova;
			mr->len = len;
			mr->va = va;
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
mlx5x_mr_dereg(struct mlx5x_mr_table *t, uint32_t lkey)
{
	struct mlx5x_mr *mr = &t->ent[(lkey >> 8) % MLX5X_MR_MAX];

	rte_spinlock_lock(&t->lock);
	if (mr->lkey == lkey && lkey != 0) {
		__atomic_store_n(&mr->lkey, 0, __ATOMIC_RELEASE);
		t->n--;
	}
	rte_spinlock_unlock(&t->lock);
}

uint32_t
mlx5x_mr_find(struct mlx5x_mr_table *t, rte_iova_t iova, uint64_t len)
{
	uint32_t i, lkey = 0;

	rte_spinlock_lock(&t->lock);
	for (i = 1; i < MLX5X_MR_MAX; i++) {
		const struct mlx5x_mr *mr = &t->ent[i];

		if (mr->lkey != 0 && iova >= mr->iova &&
		    iova + len <= mr->iova + mr->len) {
			lkey = mr->lkey;
			break;
		}
	}
	rte_spinlock_unlock(&t->lock);
	return lkey;
}
