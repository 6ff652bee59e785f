/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Native XDP control: attaching, replacing and detaching a queue's
 * program while traffic flows, the xdp= devarg, the queue lifecycle of
 * XDP send queues, the counters and the metadata dynfield.
 *
 * A swap is safe without locks on the datapath: a burst stores an odd
 * xdp_seq, fences, then reads the program; the swapper exchanges the
 * pointer, fences, then reads xdp_seq. Either the burst sees the new
 * program or the swapper sees the odd value and waits for the burst to
 * end; so when a swap returns, nothing runs the old program.
 */
#include <errno.h>
#include <stdio.h>

#include <rte_malloc.h>
#include <rte_mbuf_dyn.h>
#include <rte_pause.h>

#include "rte_pmd_mlx5x.h"

#include "mlx5x.h"
#include "mlx5x_xdp.h"

static int meta_off = -1;

static int
meta_dynfield(void)
{
	static const struct rte_mbuf_dynfield d = {
		.name = RTE_PMD_MLX5X_XDP_META_DYNFIELD,
		.size = sizeof(uint8_t),
		.align = 1,
	};

	if (meta_off < 0)
		meta_off = rte_mbuf_dynfield_register(&d);
	return meta_off;
}

const void *
rte_pmd_mlx5x_xdp_meta(const struct rte_mbuf *m, uint32_t *len)
{
	uint8_t n;

	*len = 0;
	if (meta_off < 0 || m == NULL)
		return NULL;
	n = *RTE_MBUF_DYNFIELD(m, meta_off, const uint8_t *);
	if (n == 0)
		return NULL;
	*len = n;
	return rte_pktmbuf_mtod(m, const uint8_t *) - n;
}

/* Can @rxq run @prog natively? Says why not. */
static int
check(struct mlx5x_rxq *rxq, struct xdpc_prog *prog)
{
	if (rxq->mprq) {
		MLX5X_LOG(ERR, "port %u rxq %u: native XDP runs on the cyclic "
			  "RQ, not on a striding RQ (devarg mprq=1)",
			  rxq->port_id, rxq->idx);
		return -ENOTSUP;
	}
	if (rxq->split) {
		MLX5X_LOG(ERR, "port %u rxq %u: native XDP does not run on a "
			  "buffer-split queue", rxq->port_id, rxq->idx);
		return -ENOTSUP;
	}
	/* a devmem queue shows the program its header segment only */
	if (rxq->sges > 1 && rxq->dmq == NULL && !xdpc_prog_frags(prog)) {
		MLX5X_LOG(ERR, "port %u rxq %u: program %s is not in an "
			  "xdp.frags section, and the queue scatters frames "
			  "over %u pages of %u bytes (MTU %u)", rxq->port_id,
			  rxq->idx, xdpc_prog_name(prog), rxq->sges,
			  rxq->seg_len, rxq->dev->data->mtu);
		return -EINVAL;
	}
	return 0;
}

/* Install @np (may be NULL) on @rxq and wait out any burst that may
 * still run the old one, which is then freed. */
static void
swap(struct mlx5x_rxq *rxq, struct mlx5x_xdp_prog *np)
{
	struct mlx5x_xdp_prog *old;
	uint32_t s;

	rxq->meta_off = meta_off;
	old = __atomic_exchange_n(&rxq->xdp, np, __ATOMIC_SEQ_CST);
	rte_atomic_thread_fence(__ATOMIC_SEQ_CST);
	s = __atomic_load_n(&rxq->xdp_seq, __ATOMIC_ACQUIRE);
	if (s & 1)
		while (__atomic_load_n(&rxq->xdp_seq, __ATOMIC_ACQUIRE) == s)
			rte_pause();
	rte_free(old);
}

static int
attach_one(struct mlx5x_rxq *rxq, struct xdpc_prog *prog)
{
	struct mlx5x_xdp_prog *np;
	int rc = check(rxq, prog);

	if (rc != 0)
		return rc;
	np = rte_zmalloc("mlx5x_xdp", sizeof(*np), RTE_CACHE_LINE_SIZE);
	if (np == NULL)
		return -ENOMEM;
	np->prog = prog;
	swap(rxq, np);
	return 0;
}

static int
detach_one(struct mlx5x_rxq *rxq, struct xdpc_prog *prog)
{
	(void)prog;
	swap(rxq, NULL);
	return 0;
}

/* @fn on each set-up queue of [q0, q0 + nq), up to the first error. */
static int
for_queues(struct rte_eth_dev *dev, uint16_t q0, int nq,
	   int (*fn)(struct mlx5x_rxq *, struct xdpc_prog *),
	   struct xdpc_prog *prog)
{
	for (int i = 0; i < nq; i++) {
		struct mlx5x_rxq *rxq = dev->data->rx_queues[q0 + i];
		int rc = rxq != NULL ? fn(rxq, prog) : 0;

		if (rc != 0)
			return rc;
	}
	return 0;
}

/* The queues @queue names on @dev, checked; returns the count and the
 * first in *first, or -EINVAL. */
static int
queues(struct rte_eth_dev *dev, uint16_t queue, uint16_t *first)
{
	if (queue == RTE_PMD_MLX5X_ALL_QUEUES) {
		*first = 0;
		return dev->data->nb_rx_queues;
	}
	if (queue >= dev->data->nb_rx_queues ||
	    dev->data->rx_queues[queue] == NULL) {
		MLX5X_LOG(ERR, "port %u: no RX queue %u set up",
			  dev->data->port_id, queue);
		return -EINVAL;
	}
	*first = queue;
	return 1;
}

int
rte_pmd_mlx5x_xdp_attach(uint16_t port, uint16_t queue, struct xdpc_prog *prog)
{
	struct mlx5x_priv *priv = mlx5x_port_priv(port);
	struct rte_eth_dev *dev;
	uint16_t q0;
	int nq, rc;

	if (priv == NULL) {
		MLX5X_LOG(ERR, "XDP attach: port %u is not an mlx5x port", port);
		return -EINVAL;
	}
	if (prog == NULL)
		return -EINVAL;
	if (meta_dynfield() < 0) {
		MLX5X_LOG(ERR, "port %u: cannot register the XDP metadata "
			  "mbuf dynfield", port);
		return -ENOSPC;
	}
	dev = priv->dev;
	nq = queues(dev, queue, &q0);
	if (nq < 0)
		return nq;
	/* all or nothing: check every queue before touching any */
	rc = for_queues(dev, q0, nq, check, prog);
	if (rc == 0)
		rc = for_queues(dev, q0, nq, attach_one, prog);
	if (rc != 0)
		return rc;
	if (queue == RTE_PMD_MLX5X_ALL_QUEUES)
		priv->xdp_prog = prog;
	return 0;
}

int
rte_pmd_mlx5x_xdp_detach(uint16_t port, uint16_t queue)
{
	struct mlx5x_priv *priv = mlx5x_port_priv(port);
	struct rte_eth_dev *dev;
	uint16_t q0;
	int nq;

	if (priv == NULL)
		return -EINVAL;
	dev = priv->dev;
	nq = queues(dev, queue, &q0);
	if (nq < 0)
		return nq;
	for_queues(dev, q0, nq, detach_one, NULL);
	if (queue == RTE_PMD_MLX5X_ALL_QUEUES)
		priv->xdp_prog = NULL;
	return 0;
}

static void
add_stats(struct rte_pmd_mlx5x_xdp_stats *st, const struct mlx5x_xdp_stats *x)
{
	st->rx += x->rx;
	st->drop += x->act[XDPC_DROP];
	st->pass += x->act[XDPC_PASS];
	st->tx += x->act[XDPC_TX];
	st->redirect += x->act[XDPC_REDIRECT];
	st->aborted += x->act[XDPC_ABORTED];
	st->tx_errors += x->tx_errors;
	st->redirect_errors += x->redirect_errors;
	st->mbufs += x->mbufs;
}

int
rte_pmd_mlx5x_xdp_stats_get(uint16_t port, uint16_t queue,
			    struct rte_pmd_mlx5x_xdp_stats *st)
{
	struct mlx5x_priv *priv = mlx5x_port_priv(port);
	uint16_t q0;
	int nq;

	if (priv == NULL || st == NULL)
		return -EINVAL;
	nq = queues(priv->dev, queue, &q0);
	if (nq < 0)
		return nq;
	memset(st, 0, sizeof(*st));
	for (int i = 0; i < nq; i++) {
		struct mlx5x_rxq *rxq = priv->dev->data->rx_queues[q0 + i];

		if (rxq != NULL)
			add_stats(st, &rxq->xst);
	}
	return 0;
}

int
mlx5x_xdp_devargs_load(struct mlx5x_priv *priv)
{
	const char *name = priv->dev->data->name;
	char err[256];

	if (priv->da.xdp[0] == '\0')
		return 0;
	priv->xdp_obj = xdpc_obj_open(priv->da.xdp, err, sizeof(err));
	if (priv->xdp_obj == NULL ||
	    xdpc_obj_load(priv->xdp_obj, err, sizeof(err)) != 0) {
		MLX5X_LOG(ERR, "%s: devarg xdp=%s: %s", name, priv->da.xdp, err);
		goto fail;
	}
	priv->xdp_prog = xdpc_obj_prog(priv->xdp_obj, priv->da.xdp_prog[0] ?
				       priv->da.xdp_prog : NULL);
	if (priv->xdp_prog == NULL) {
		MLX5X_LOG(ERR, "%s: devarg xdp=%s: no XDP program %s%s", name,
			  priv->da.xdp, priv->da.xdp_prog[0] ? "named " : "in it",
			  priv->da.xdp_prog);
		goto fail;
	}
	if (meta_dynfield() < 0) {
		MLX5X_LOG(ERR, "%s: cannot register the XDP metadata dynfield",
			  name);
		goto fail;
	}
	MLX5X_LOG(INFO, "%s: native XDP program %s from %s on every RX queue",
		  name, xdpc_prog_name(priv->xdp_prog), priv->da.xdp);
	return 0;
fail:
	xdpc_obj_close(priv->xdp_obj);
	priv->xdp_obj = NULL;
	priv->xdp_prog = NULL;
	return -EINVAL;
}

int
mlx5x_xdp_rxq_setup(struct rte_eth_dev *dev, struct mlx5x_rxq *rxq)
{
	struct mlx5x_priv *priv = mlx5x_priv(dev);

	rxq->meta_off = meta_off;
	rxq->lcore = rte_lcore_id();
	if (priv->xdp_prog == NULL)
		return 0;
	return attach_one(rxq, priv->xdp_prog);
}

void
mlx5x_xdp_rxq_stop(struct mlx5x_rxq *rxq)
{
	for (uint16_t i = 0; i < rxq->nxsq; i++)
		mlx5x_xdpsq_destroy(rxq->xsq_list[i]);
	rxq->nxsq = 0;
	memset(rxq->xsq, 0, sizeof(rxq->xsq));
}

void
mlx5x_xdp_rxq_release(struct mlx5x_rxq *rxq)
{
	mlx5x_xdp_rxq_stop(rxq);
	rte_free(rxq->xdp);
	rxq->xdp = NULL;
}

void
mlx5x_xdp_dev_close(struct mlx5x_priv *priv)
{
	struct mlx5x_emu *emu = &priv->emu;

	/* XDP send queues other ports' RX queues keep here (those are
	 * stopped, as DPDK asks of a port's users before it closes) */
	for (uint16_t q = MLX5X_MAX_QUEUES; q < MLX5X_MAX_SQ; q++)
		if (emu->xsq[q] != NULL)
			mlx5x_xdpsq_orphan(emu->xsq[q]);
	xdpc_obj_close(priv->xdp_obj);
	priv->xdp_obj = NULL;
	priv->xdp_prog = NULL;
}
