/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Basic stats and xstats: driver queue counters, device-model counters,
 * wire counters and each RX queue's pagepool counters. Every frame the
 * wire offers ends up in exactly one of: ipackets, imissed (no buffer or
 * queue stopped), ierrors (runt, oversize, error CQE), rx_nombuf, or the
 * filtered/dropped xstats.
 */
#include <stdio.h>

#include <rte_malloc.h>
#include <rte_telemetry.h>

#include "rte_pmd_mlx5x.h"

#include "mlx5x.h"
#include "xdpc.h"

int
mlx5x_stats_get(struct rte_eth_dev *dev, struct rte_eth_stats *st)
{
	struct mlx5x_priv *priv = mlx5x_priv(dev);
	struct mlx5x_emu *emu = &priv->emu;
	uint16_t i;

	memset(st, 0, sizeof(*st));
	for (i = 0; i < dev->data->nb_rx_queues; i++) {
		struct mlx5x_rxq *rxq = dev->data->rx_queues[i];

		if (rxq == NULL)
			continue;
		st->ipackets += rxq->packets;
		st->ibytes += rxq->bytes;
		st->rx_nombuf += rxq->nombuf;
		st->ierrors += rxq->cqe_errors;
		st->imissed += emu->rq[i].out_of_buffer;
		if (i < RTE_ETHDEV_QUEUE_STAT_CNTRS) {
			st->q_ipackets[i] = rxq->packets;
			st->q_ibytes[i] = rxq->bytes;
			st->q_errors[i] = rxq->cqe_errors;
		}
	}
	st->imissed += emu->cnt.rx_queue_stopped;
	st->ierrors += emu->cnt.rx_runt + emu->cnt.rx_oversize;
	for (i = 0; i < dev->data->nb_tx_queues; i++) {
		struct mlx5x_txq *txq = dev->data->tx_queues[i];

		if (txq == NULL)
			continue;
		st->opackets += txq->packets;
		st->obytes += txq->bytes;
		st->oerrors += txq->cqe_errors + txq->bad;
		if (i < RTE_ETHDEV_QUEUE_STAT_CNTRS) {
			st->q_opackets[i] = txq->packets;
			st->q_obytes[i] = txq->bytes;
		}
	}
	return 0;
}

int
mlx5x_stats_reset(struct rte_eth_dev *dev)
{
	struct mlx5x_priv *priv = mlx5x_priv(dev);
	uint16_t i;

	for (i = 0; i < dev->data->nb_rx_queues; i++) {
		struct mlx5x_rxq *rxq = dev->data->rx_queues[i];

		if (rxq != NULL) {
			rxq->packets = rxq->bytes = rxq->nombuf = 0;
			rxq->cqe_errors = 0;
			memset(&rxq->xst, 0, sizeof(rxq->xst));
		}
		priv->emu.rq[i].out_of_buffer = 0;
	}
	for (i = 0; i < dev->data->nb_tx_queues; i++) {
		struct mlx5x_txq *txq = dev->data->tx_queues[i];

		if (txq != NULL)
			txq->packets = txq->bytes = txq->cqe_errors = txq->bad = 0;
	}
	priv->emu.cnt.rx_queue_stopped = 0;
	priv->emu.cnt.rx_runt = 0;
	priv->emu.cnt.rx_oversize = 0;
	return 0;
}

/* The xstats table, built fresh for each call. */
#define NAME_LEN RTE_ETH_XSTATS_NAME_SIZE

static unsigned int
collect(struct rte_eth_dev *dev, char (*names)[NAME_LEN], uint64_t *vals,
	unsigned int cap)
{
	struct mlx5x_priv *priv = mlx5x_priv(dev);
	struct mlx5x_emu *emu = &priv->emu;
	unsigned int n = 0;
	uint16_t q;

#define ADD(v, ...) do { \
		if (n < cap) { \
			if (names) snprintf(names[n], NAME_LEN, __VA_ARGS__); \
			if (vals) vals[n] = (v); \
		} \
		n++; \
	} while (0)

	ADD(emu->wire.st.rx_frames, "wire_rx_frames");
	ADD(emu->wire.st.rx_bytes, "wire_rx_bytes");
	ADD(emu->wire.st.tx_frames, "wire_tx_frames");
	ADD(emu->wire.st.tx_bytes, "wire_tx_bytes");
	ADD(emu->wire.st.tx_dropped, "wire_tx_dropped");
	ADD(emu->wire.st.rx_dropped, "wire_rx_dropped");
	ADD(emu->wire.st.rx_csum_completed, "wire_rx_csum_completed");
	ADD(emu->wire.st.rx_gso_frames, "wire_rx_gso_frames");
	ADD(emu->wire.st.rx_gso_segments, "wire_rx_gso_segments");
	ADD(emu->cnt.rx_runt, "rx_runt");
	ADD(emu->cnt.rx_oversize, "rx_oversize");
	ADD(emu->cnt.rx_mac_filtered, "rx_mac_filtered");
	ADD(emu->cnt.rx_flow_drop, "rx_flow_drop");
	ADD(emu->cnt.rx_queue_stopped, "rx_queue_stopped");
	ADD(emu->cnt.tx_bad_wqe, "tx_bad_wqe");
	{
		uint64_t oob = 0;

		for (q = 0; q < dev->data->nb_rx_queues; q++)
			oob += emu->rq[q].out_of_buffer;
		ADD(oob, "rx_out_of_buffer");
	}
	for (q = 0; q < dev->data->nb_rx_queues; q++) {
		struct mlx5x_rxq *rxq = dev->data->rx_queues[q];
		const char *pn[16];
		uint64_t pv[16];
		int np;

		ADD(emu->rq[q].packets, "rx_q%u_dev_packets", q);
		ADD(emu->rq[q].out_of_buffer, "rx_q%u_out_of_buffer", q);
		ADD(emu->rq[q].err_cqes, "rx_q%u_dev_err_cqes", q);
		ADD(emu->rq[q].comp_sessions, "rx_q%u_cqe_comp_sessions", q);
		if (rxq == NULL)
			continue;
		ADD(rxq->packets, "rx_q%u_packets", q);
		ADD(rxq->bytes, "rx_q%u_bytes", q);
		ADD(rxq->nombuf, "rx_q%u_nombuf", q);
		ADD(rxq->cqe_errors, "rx_q%u_cqe_errors", q);
		ADD(rxq->xst.rx, "rx_q%u_xdp_rx", q);
		ADD(rxq->xst.act[XDPC_DROP], "rx_q%u_xdp_drop", q);
		ADD(rxq->xst.act[XDPC_PASS], "rx_q%u_xdp_pass", q);
		ADD(rxq->xst.act[XDPC_TX], "rx_q%u_xdp_tx", q);
		ADD(rxq->xst.act[XDPC_REDIRECT], "rx_q%u_xdp_redirect", q);
		ADD(rxq->xst.act[XDPC_ABORTED], "rx_q%u_xdp_aborted", q);
		ADD(rxq->xst.tx_errors, "rx_q%u_xdp_tx_errors", q);
		ADD(rxq->xst.redirect_errors, "rx_q%u_xdp_redirect_errors", q);
		ADD(rxq->xst.mbufs, "rx_q%u_xdp_mbufs", q);
		ADD(rxq->dm_splits, "rx_q%u_devmem_splits", q);
		ADD(rxq->dm_fallback, "rx_q%u_devmem_fallback", q);
		ADD(rxq->dm_chunks, "rx_q%u_devmem_chunks_delivered", q);
		np = pp_stats_names(pn, RTE_DIM(pn));
		pp_stats_values(rxq->pp, pv, RTE_DIM(pv));
		for (int k = 0; k < np && k < (int)RTE_DIM(pn); k++)
			ADD(pv[k], "rx_q%u_pp_%s", q, pn[k]);
		{
			struct pp_stats ps;

			pp_get_stats(rxq->pp, &ps);
			ADD(ps.inflight, "rx_q%u_pp_inflight", q);
		}
	}
	for (q = 0; q < dev->data->nb_tx_queues; q++) {
		struct mlx5x_txq *txq = dev->data->tx_queues[q];

		ADD(emu->sq[q].packets, "tx_q%u_dev_packets", q);
		ADD(emu->sq[q].err_cqes, "tx_q%u_dev_err_cqes", q);
		if (txq == NULL)
			continue;
		ADD(txq->packets, "tx_q%u_packets", q);
		ADD(txq->bytes, "tx_q%u_bytes", q);
		ADD(txq->cqe_errors, "tx_q%u_cqe_errors", q);
		ADD(txq->bad, "tx_q%u_bad_frames", q);
		ADD(txq->mr_miss, "tx_q%u_mr_cache_miss", q);
		ADD(txq->full, "tx_q%u_ring_full", q);
	}
#undef ADD
	return n;
}

int
mlx5x_xstats_get_names(struct rte_eth_dev *dev,
		       struct rte_eth_xstat_name *names, unsigned int n)
{
	unsigned int total = collect(dev, NULL, NULL, 0);

	if (names == NULL || n < total)
		return (int)total;
	return (int)collect(dev, (char (*)[NAME_LEN])names, NULL, n);
}

int
mlx5x_xstats_get(struct rte_eth_dev *dev, struct rte_eth_xstat *xs,
		 unsigned int n)
{
	struct mlx5x_priv *priv = mlx5x_priv(dev);
	unsigned int total = collect(dev, NULL, NULL, 0);
	uint64_t *vals;

	if (xs == NULL || n < total)
		return (int)total;
	vals = calloc(total, sizeof(*vals));
	if (vals == NULL)
		return -ENOMEM;
	collect(dev, NULL, vals, total);
	for (unsigned int i = 0; i < total; i++) {
		uint64_t base = priv->xstats_base && i < priv->xstats_n ?
				priv->xstats_base[i] : 0;

		xs[i].id = i;
		/* below its base: the counter started again since the reset
		 * (a queue restarted on new memory has a new pagepool) */
		xs[i].value = vals[i] >= base ? vals[i] - base : vals[i];
	}
	free(vals);
	return (int)total;
}

int
mlx5x_xstats_reset(struct rte_eth_dev *dev)
{
	struct mlx5x_priv *priv = mlx5x_priv(dev);
	unsigned int total = collect(dev, NULL, NULL, 0);

	rte_free(priv->xstats_base);
	priv->xstats_base = rte_zmalloc("mlx5x_xstats", total * sizeof(uint64_t), 0);
	if (priv->xstats_base == NULL)
		return -ENOMEM;
	priv->xstats_n = total;
	collect(dev, NULL, priv->xstats_base, total);
	return 0;
}

/* Telemetry: /mlx5x/info,<port> (the counters are under /ethdev/xstats). */
static int
tel_info(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct rte_eth_dev *dev;
	struct mlx5x_priv *priv;
	char *end;
	unsigned long port;

	(void)cmd;
	if (params == NULL || *params == '\0')
		return -EINVAL;
	port = strtoul(params, &end, 0);
	if (*end != '\0' || port >= RTE_MAX_ETHPORTS ||
	    !rte_pmd_mlx5x_is_mlx5x((uint16_t)port))
		return -EINVAL;
	dev = &rte_eth_devices[port];
	priv = mlx5x_priv(dev);
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_string(d, "wire", priv->da.wire_ops->name);
	rte_tel_data_add_dict_string(d, "dev_mode",
		priv->da.dev_mode == MLX5X_DEV_THREAD ? "thread" : "inline");
	rte_tel_data_add_dict_int(d, "dev_cpu", priv->da.dev_cpu);
	rte_tel_data_add_dict_int(d, "mprq", priv->da.mprq);
	rte_tel_data_add_dict_int(d, "cqe_comp", priv->da.cqe_comp);
	rte_tel_data_add_dict_int(d, "rx_queues", dev->data->nb_rx_queues);
	rte_tel_data_add_dict_int(d, "tx_queues", dev->data->nb_tx_queues);
	rte_tel_data_add_dict_int(d, "mr_entries", (int)mlx5x_mr_count(&priv->emu));
	rte_tel_data_add_dict_int(d, "flows", (int)priv->emu.nb_flows);
	rte_tel_data_add_dict_u64(d, "wire_rx_frames", priv->emu.wire.st.rx_frames);
	rte_tel_data_add_dict_u64(d, "wire_tx_frames", priv->emu.wire.st.tx_frames);
	return 0;
}

RTE_INIT(mlx5x_telemetry_init)
{
	rte_telemetry_register_cmd("/mlx5x/info", tel_info,
		"mlx5x port configuration and wire. Parameters: port id");
}
