/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net_mlx5x: vdev registration, probe/remove and the ethdev control path
 * (configure, start/stop/close, link, MTU, promiscuous and allmulticast,
 * MAC, RSS key/hash and RETA, device info and packet types).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <bus_vdev_driver.h>
#include <ethdev_vdev.h>
#include <rte_errno.h>
#include <rte_kvargs.h>
#include <rte_malloc.h>

#include "mlx5x.h"
#include "rte_pmd_mlx5x.h"

RTE_LOG_REGISTER(mlx5x_logtype, pmd.net.mlx5x, NOTICE);

#define MLX5X_RSS_HF (RTE_ETH_RSS_IPV4 | RTE_ETH_RSS_FRAG_IPV4 | \
	RTE_ETH_RSS_NONFRAG_IPV4_TCP | RTE_ETH_RSS_NONFRAG_IPV4_UDP | \
	RTE_ETH_RSS_IPV6 | RTE_ETH_RSS_FRAG_IPV6 | \
	RTE_ETH_RSS_NONFRAG_IPV6_TCP | RTE_ETH_RSS_NONFRAG_IPV6_UDP)

static uint32_t port_seq;

static void
reta_default(struct mlx5x_priv *priv, uint16_t nb_rxq)
{
	for (unsigned int i = 0; i < MLX5X_RETA_SIZE; i++)
		priv->reta[i] = nb_rxq ? (uint16_t)(i % nb_rxq) : 0;
	mlx5x_emu_set_reta(&priv->emu, priv->reta);
}

static int
mlx5x_dev_configure(struct rte_eth_dev *dev)
{
	struct mlx5x_priv *priv = mlx5x_priv(dev);
	struct rte_eth_conf *conf = &dev->data->dev_conf;
	struct rte_eth_rss_conf *rss = &conf->rx_adv_conf.rss_conf;
	uint16_t nrx = dev->data->nb_rx_queues, ntx = dev->data->nb_tx_queues;

	if (nrx > MLX5X_MAX_QUEUES || ntx > MLX5X_MAX_QUEUES) {
		MLX5X_LOG(ERR, "port %u: %u RX / %u TX queues, at most %u each",
			  dev->data->port_id, nrx, ntx, MLX5X_MAX_QUEUES);
		return -EINVAL;
	}
	if (conf->rxmode.mq_mode & RTE_ETH_MQ_RX_RSS_FLAG) {
		if (rss->rss_key != NULL && rss->rss_key_len != MLX5X_RSS_KEY_LEN) {
			MLX5X_LOG(ERR, "port %u: RSS key of %u bytes, need %u",
				  dev->data->port_id, rss->rss_key_len,
				  MLX5X_RSS_KEY_LEN);
			return -EINVAL;
		}
		if (rss->rss_hf & ~MLX5X_RSS_HF) {
			MLX5X_LOG(ERR, "port %u: RSS hash types 0x%" PRIx64
				  " not supported", dev->data->port_id,
				  rss->rss_hf & ~MLX5X_RSS_HF);
			return -EINVAL;
		}
		priv->rss_hf = rss->rss_hf;
		if (rss->rss_key != NULL)
			memcpy(priv->rss_key, rss->rss_key, MLX5X_RSS_KEY_LEN);
		mlx5x_emu_set_rss(&priv->emu, rss->rss_key ? priv->rss_key : NULL,
				  priv->rss_hf);
		if (rss->rss_key == NULL)
			memcpy(priv->rss_key, priv->emu.rss_key, MLX5X_RSS_KEY_LEN);
	} else {
		priv->rss_hf = 0;
		mlx5x_emu_set_rss(&priv->emu, NULL, 0);
	}
	if (conf->rxmode.offloads & RTE_ETH_RX_OFFLOAD_RSS_HASH &&
	    !(conf->rxmode.mq_mode & RTE_ETH_MQ_RX_RSS_FLAG))
		MLX5X_LOG(NOTICE, "port %u: RSS_HASH offload without RSS mode: "
			  "no hash is computed", dev->data->port_id);
	rte_spinlock_lock(&priv->emu.lock);
	priv->emu.nb_rq = nrx;
	priv->emu.nb_sq = ntx;
	rte_spinlock_unlock(&priv->emu.lock);
	reta_default(priv, nrx);
	return 0;
}

static int
mlx5x_dev_start(struct rte_eth_dev *dev)
{
	struct mlx5x_priv *priv = mlx5x_priv(dev);
	uint16_t i;
	int rc;

	for (i = 0; i < dev->data->nb_rx_queues; i++) {
		struct mlx5x_rxq *rxq = dev->data->rx_queues[i];

		if (rxq == NULL) {
			MLX5X_LOG(ERR, "port %u: rxq %u not set up",
				  dev->data->port_id, i);
			rc = -EINVAL;
			goto fail;
		}
		if (rxq->started_by_dev && (rc = mlx5x_rx_queue_start(dev, i)) != 0)
			goto fail;
	}
	for (i = 0; i < dev->data->nb_tx_queues; i++) {
		if (dev->data->tx_queues[i] == NULL) {
			MLX5X_LOG(ERR, "port %u: txq %u not set up",
				  dev->data->port_id, i);
			rc = -EINVAL;
			goto fail;
		}
		if ((rc = mlx5x_tx_queue_start(dev, i)) != 0)
			goto fail;
	}
	priv->started = true;
	rc = mlx5x_emu_start(&priv->emu);
	if (rc != 0)
		goto fail;
	dev->data->dev_link.link_status = RTE_ETH_LINK_UP;
	return 0;
fail:
	priv->started = false;
	for (i = 0; i < dev->data->nb_rx_queues; i++)
		mlx5x_rx_queue_stop(dev, i);
	for (i = 0; i < dev->data->nb_tx_queues; i++)
		mlx5x_tx_queue_stop(dev, i);
	return rc;
}

static int
mlx5x_dev_stop(struct rte_eth_dev *dev)
{
	struct mlx5x_priv *priv = mlx5x_priv(dev);
	uint16_t i;

	/* The device stops first: nothing may write a page we take back. */
	mlx5x_emu_stop(&priv->emu);
	priv->started = false;
	for (i = 0; i < dev->data->nb_rx_queues; i++)
		mlx5x_rx_queue_stop(dev, i);
	for (i = 0; i < dev->data->nb_tx_queues; i++)
		mlx5x_tx_queue_stop(dev, i);
	dev->data->dev_link.link_status = RTE_ETH_LINK_DOWN;
	return 0;
}

static int
mlx5x_dev_close(struct rte_eth_dev *dev)
{
	struct mlx5x_priv *priv = mlx5x_priv(dev);
	uint16_t i;

	if (rte_eal_process_type() != RTE_PROC_PRIMARY)
		return 0;
	/* bindings first: their queues go back to host memory, held
	 * chunks are reclaimed and reported */
	mlx5x_devmem_port_close(dev->data->port_id);
	mlx5x_dev_stop(dev);
	mlx5x_flow_flush_all(dev);
	for (i = 0; i < dev->data->nb_rx_queues; i++)
		mlx5x_rx_queue_release(dev, i);
	for (i = 0; i < dev->data->nb_tx_queues; i++)
		mlx5x_tx_queue_release(dev, i);
	mlx5x_xdp_dev_close(priv);
	mlx5x_emu_fini(&priv->emu);
	rte_free(priv->xstats_base);
	priv->xstats_base = NULL;
	/* Our queues may have held pages of another port's pools whose
	 * destroy was deferred (redirected frames): release those here,
	 * not later in the reaper thread, where it could race the
	 * application's rte_eal_cleanup. */
	pp_reap();
	return 0;
}

static int
mlx5x_dev_infos_get(struct rte_eth_dev *dev, struct rte_eth_dev_info *info)
{
	struct mlx5x_priv *priv = mlx5x_priv(dev);

	info->max_rx_queues = MLX5X_MAX_QUEUES;
	info->max_tx_queues = MLX5X_MAX_QUEUES;
	info->max_mac_addrs = 1;
	info->min_rx_bufsize = 64;
	info->max_rx_pktlen = MLX5X_WIRE_MAX_FRAME;
	info->min_mtu = RTE_ETHER_MIN_MTU;
	info->max_mtu = 9216;
	info->rx_offload_capa = RTE_ETH_RX_OFFLOAD_IPV4_CKSUM |
		RTE_ETH_RX_OFFLOAD_UDP_CKSUM | RTE_ETH_RX_OFFLOAD_TCP_CKSUM |
		RTE_ETH_RX_OFFLOAD_SCATTER | RTE_ETH_RX_OFFLOAD_RSS_HASH |
		RTE_ETH_RX_OFFLOAD_BUFFER_SPLIT;
	info->rx_queue_offload_capa = RTE_ETH_RX_OFFLOAD_SCATTER |
		RTE_ETH_RX_OFFLOAD_BUFFER_SPLIT;
	info->rx_seg_capa.max_nseg = MLX5X_RQ_MAX_SEGS;
	info->rx_seg_capa.multi_pools = 1;
	info->rx_seg_capa.offset_allowed = 1;
	info->rx_seg_capa.offset_align_log2 = 0;
	info->tx_offload_capa = RTE_ETH_TX_OFFLOAD_IPV4_CKSUM |
		RTE_ETH_TX_OFFLOAD_UDP_CKSUM | RTE_ETH_TX_OFFLOAD_TCP_CKSUM |
		RTE_ETH_TX_OFFLOAD_MULTI_SEGS;
	info->reta_size = MLX5X_RETA_SIZE;
	info->hash_key_size = MLX5X_RSS_KEY_LEN;
	info->flow_type_rss_offloads = MLX5X_RSS_HF;
	info->rx_desc_lim.nb_max = 32768;
	info->rx_desc_lim.nb_min = 64;
	info->rx_desc_lim.nb_align = 1;
	info->tx_desc_lim = info->rx_desc_lim;
	info->default_rxportconf.burst_size = 32;
	info->default_txportconf.burst_size = 32;
	info->default_rxportconf.ring_size = priv->da.rxq_size;
	info->default_txportconf.ring_size = priv->da.txq_size;
	info->default_rxportconf.nb_queues = 1;
	info->default_txportconf.nb_queues = 1;
	info->speed_capa = RTE_ETH_LINK_SPEED_100G;
	info->dev_capa = RTE_ETH_DEV_CAPA_RUNTIME_RX_QUEUE_SETUP |
			 RTE_ETH_DEV_CAPA_RUNTIME_TX_QUEUE_SETUP |
			 RTE_ETH_DEV_CAPA_FLOW_RULE_KEEP;
	return 0;
}

static const uint32_t *
mlx5x_ptypes(struct rte_eth_dev *dev)
{
	static const uint32_t ptypes[] = {
		RTE_PTYPE_L2_ETHER,
		RTE_PTYPE_L3_IPV4_EXT_UNKNOWN,
		RTE_PTYPE_L3_IPV6_EXT_UNKNOWN,
		RTE_PTYPE_L4_TCP,
		RTE_PTYPE_L4_UDP,
		RTE_PTYPE_L4_FRAG,
		RTE_PTYPE_UNKNOWN,
	};

	(void)dev;
	return ptypes;
}

static int
mlx5x_link_update(struct rte_eth_dev *dev, int wait)
{
	struct rte_eth_link link = {
		.link_speed = RTE_ETH_SPEED_NUM_100G,
		.link_duplex = RTE_ETH_LINK_FULL_DUPLEX,
		.link_autoneg = RTE_ETH_LINK_FIXED,
		.link_status = mlx5x_priv(dev)->started ? RTE_ETH_LINK_UP :
							  RTE_ETH_LINK_DOWN,
	};

	(void)wait;
	return rte_eth_linkstatus_set(dev, &link);
}

static int
mlx5x_mtu_set(struct rte_eth_dev *dev, uint16_t mtu)
{
	struct mlx5x_priv *priv = mlx5x_priv(dev);
	uint32_t frame = mtu + RTE_ETHER_HDR_LEN + 2 * RTE_VLAN_HLEN;

	for (uint16_t i = 0; i < dev->data->nb_rx_queues; i++) {
		struct mlx5x_rxq *rxq = dev->data->rx_queues[i];

		if (rxq == NULL)
			continue;
		if (rxq->mprq ? frame > rxq->seg_len :
		    frame + MLX5X_RX_HEADROOM > rxq->seg_len * rxq->sges) {
			MLX5X_LOG(ERR, "port %u: MTU %u does not fit rxq %u's "
				  "buffers; set it before queue setup, with "
				  "RTE_ETH_RX_OFFLOAD_SCATTER", dev->data->port_id,
				  mtu, i);
			return -EINVAL;
		}
	}
	rte_spinlock_lock(&priv->emu.lock);
	priv->emu.mtu = mtu;
	rte_spinlock_unlock(&priv->emu.lock);
	return 0;
}

static int
set_flag(struct rte_eth_dev *dev, bool *flag, bool on)
{
	struct mlx5x_priv *priv = mlx5x_priv(dev);

	rte_spinlock_lock(&priv->emu.lock);
	*flag = on;
	rte_spinlock_unlock(&priv->emu.lock);
	return 0;
}

static int
mlx5x_promisc_on(struct rte_eth_dev *dev)
{
	return set_flag(dev, &mlx5x_priv(dev)->emu.promisc, true);
}

static int
mlx5x_promisc_off(struct rte_eth_dev *dev)
{
	return set_flag(dev, &mlx5x_priv(dev)->emu.promisc, false);
}

static int
mlx5x_allmulti_on(struct rte_eth_dev *dev)
{
	return set_flag(dev, &mlx5x_priv(dev)->emu.allmulti, true);
}

static int
mlx5x_allmulti_off(struct rte_eth_dev *dev)
{
	return set_flag(dev, &mlx5x_priv(dev)->emu.allmulti, false);
}

static int
mlx5x_mac_addr_set(struct rte_eth_dev *dev, struct rte_ether_addr *mac)
{
	struct mlx5x_priv *priv = mlx5x_priv(dev);

	rte_spinlock_lock(&priv->emu.lock);
	memcpy(priv->emu.mac, mac->addr_bytes, 6);
	rte_spinlock_unlock(&priv->emu.lock);
	rte_ether_addr_copy(mac, &dev->data->mac_addrs[0]);
	return 0;
}

static int
mlx5x_rss_hash_update(struct rte_eth_dev *dev, struct rte_eth_rss_conf *rss)
{
	struct mlx5x_priv *priv = mlx5x_priv(dev);

	if (rss->rss_key != NULL && rss->rss_key_len != MLX5X_RSS_KEY_LEN) {
		MLX5X_LOG(ERR, "port %u: RSS key of %u bytes, need %u",
			  dev->data->port_id, rss->rss_key_len, MLX5X_RSS_KEY_LEN);
		return -EINVAL;
	}
	if (rss->rss_hf & ~MLX5X_RSS_HF)
		return -EINVAL;
	if (rss->rss_key != NULL)
		memcpy(priv->rss_key, rss->rss_key, MLX5X_RSS_KEY_LEN);
	priv->rss_hf = rss->rss_hf;
	mlx5x_emu_set_rss(&priv->emu, priv->rss_key, priv->rss_hf);
	return 0;
}

static int
mlx5x_rss_hash_conf_get(struct rte_eth_dev *dev, struct rte_eth_rss_conf *rss)
{
	struct mlx5x_priv *priv = mlx5x_priv(dev);

	if (rss->rss_key != NULL) {
		if (rss->rss_key_len < MLX5X_RSS_KEY_LEN)
			return -EINVAL;
		memcpy(rss->rss_key, priv->rss_key, MLX5X_RSS_KEY_LEN);
	}
	rss->rss_key_len = MLX5X_RSS_KEY_LEN;
	rss->rss_hf = priv->rss_hf;
	return 0;
}

static int
mlx5x_reta_update(struct rte_eth_dev *dev,
		  struct rte_eth_rss_reta_entry64 *conf, uint16_t size)
{
	struct mlx5x_priv *priv = mlx5x_priv(dev);
	uint16_t reta[MLX5X_RETA_SIZE];

	if (size != MLX5X_RETA_SIZE) {
		MLX5X_LOG(ERR, "port %u: RETA of %u entries, the device has %u",
			  dev->data->port_id, size, MLX5X_RETA_SIZE);
		return -EINVAL;
	}
	memcpy(reta, priv->reta, sizeof(reta));
	for (unsigned int i = 0; i < size; i++) {
		unsigned int g = i / RTE_ETH_RETA_GROUP_SIZE,
			     k = i % RTE_ETH_RETA_GROUP_SIZE;

		if (!(conf[g].mask & (1ull << k)))
			continue;
		if (conf[g].reta[k] >= dev->data->nb_rx_queues) {
			MLX5X_LOG(ERR, "port %u: RETA entry %u -> queue %u, "
				  "only %u queues", dev->data->port_id, i,
				  conf[g].reta[k], dev->data->nb_rx_queues);
			return -EINVAL;
		}
		reta[i] = conf[g].reta[k];
	}
	memcpy(priv->reta, reta, sizeof(reta));
	mlx5x_emu_set_reta(&priv->emu, priv->reta);
	return 0;
}

static int
mlx5x_reta_query(struct rte_eth_dev *dev,
		 struct rte_eth_rss_reta_entry64 *conf, uint16_t size)
{
	struct mlx5x_priv *priv = mlx5x_priv(dev);

	if (size != MLX5X_RETA_SIZE)
		return -EINVAL;
	for (unsigned int i = 0; i < size; i++) {
		unsigned int g = i / RTE_ETH_RETA_GROUP_SIZE,
			     k = i % RTE_ETH_RETA_GROUP_SIZE;

		if (conf[g].mask & (1ull << k))
			conf[g].reta[k] = priv->reta[i];
	}
	return 0;
}

static int
mlx5x_flow_ops_get(struct rte_eth_dev *dev, const struct rte_flow_ops **ops)
{
	(void)dev;
	*ops = &mlx5x_flow_ops;
	return 0;
}

static const struct eth_dev_ops mlx5x_ops = {
	.dev_configure = mlx5x_dev_configure,
	.dev_start = mlx5x_dev_start,
	.dev_stop = mlx5x_dev_stop,
	.dev_close = mlx5x_dev_close,
	.dev_infos_get = mlx5x_dev_infos_get,
	.dev_supported_ptypes_get = mlx5x_ptypes,
	.link_update = mlx5x_link_update,
	.mtu_set = mlx5x_mtu_set,
	.promiscuous_enable = mlx5x_promisc_on,
	.promiscuous_disable = mlx5x_promisc_off,
	.allmulticast_enable = mlx5x_allmulti_on,
	.allmulticast_disable = mlx5x_allmulti_off,
	.mac_addr_set = mlx5x_mac_addr_set,
	.rx_queue_setup = mlx5x_rx_queue_setup,
	.rx_queue_release = mlx5x_rx_queue_release,
	.rx_queue_start = mlx5x_rx_queue_start,
	.rx_queue_stop = mlx5x_rx_queue_stop,
	.tx_queue_setup = mlx5x_tx_queue_setup,
	.tx_queue_release = mlx5x_tx_queue_release,
	.tx_queue_start = mlx5x_tx_queue_start,
	.tx_queue_stop = mlx5x_tx_queue_stop,
	.rxq_info_get = mlx5x_rxq_info_get,
	.txq_info_get = mlx5x_txq_info_get,
	.rx_burst_mode_get = mlx5x_rx_burst_mode_get,
	.tx_burst_mode_get = mlx5x_tx_burst_mode_get,
	.stats_get = mlx5x_stats_get,
	.stats_reset = mlx5x_stats_reset,
	.xstats_get = mlx5x_xstats_get,
	.xstats_get_names = mlx5x_xstats_get_names,
	.xstats_reset = mlx5x_xstats_reset,
	.rss_hash_update = mlx5x_rss_hash_update,
	.rss_hash_conf_get = mlx5x_rss_hash_conf_get,
	.reta_update = mlx5x_reta_update,
	.reta_query = mlx5x_reta_query,
	.flow_ops_get = mlx5x_flow_ops_get,
};

static int
mlx5x_probe(struct rte_vdev_device *vdev)
{
	const char *name = rte_vdev_device_name(vdev);
	struct rte_ether_addr *mac;
	struct mlx5x_priv *priv;
	struct rte_eth_dev *dev;
	struct mlx5x_devargs da;
	int rc;

	if (rte_eal_process_type() != RTE_PROC_PRIMARY) {
		MLX5X_LOG(ERR, "%s: secondary processes are not supported", name);
		return -ENOTSUP;
	}
	rc = mlx5x_devargs_parse(name, rte_vdev_device_args(vdev), &da);
	if (rc != 0)
		return rc;
	da.port_seq = __atomic_fetch_add(&port_seq, 1, __ATOMIC_RELAXED);
	mac = rte_zmalloc_socket("mlx5x_mac", sizeof(*mac), 0,
				 rte_socket_id());
	dev = rte_eth_vdev_allocate(vdev, sizeof(struct mlx5x_priv));
	if (dev == NULL || mac == NULL) {
		rte_free(mac);
		if (dev != NULL)
			rte_eth_dev_release_port(dev);
		return -ENOMEM;
	}
	priv = dev->data->dev_private;
	priv->dev = dev;
	priv->port_id = dev->data->port_id;
	priv->da = da;
	TAILQ_INIT(&priv->flows);
	rc = mlx5x_emu_init(&priv->emu, name, &da);
	if (rc != 0) {
		MLX5X_LOG(ERR, "%s: wire=%s: cannot open (%s)", name,
			  da.wire_ops->name, strerror(-rc));
		rte_free(mac);
		rte_eth_dev_release_port(dev);
		return rc;
	}
	rc = mlx5x_xdp_devargs_load(priv);
	if (rc != 0) {
		mlx5x_emu_fini(&priv->emu);
		rte_free(mac);
		rte_eth_dev_release_port(dev);
		return rc;
	}
	memcpy(mac->addr_bytes, priv->emu.mac, 6);
	memcpy(priv->rss_key, priv->emu.rss_key, MLX5X_RSS_KEY_LEN);
	dev->data->mac_addrs = mac;
	dev->data->dev_link.link_speed = RTE_ETH_SPEED_NUM_100G;
	dev->data->dev_link.link_duplex = RTE_ETH_LINK_FULL_DUPLEX;
	dev->data->dev_link.link_autoneg = RTE_ETH_LINK_FIXED;
	dev->data->mtu = RTE_ETHER_MTU;
	dev->dev_ops = &mlx5x_ops;
	dev->rx_pkt_burst = da.mprq ? mlx5x_rx_burst_mprq : mlx5x_rx_burst;
	dev->tx_pkt_burst = mlx5x_tx_burst;
	rte_eth_dev_probing_finish(dev);
	MLX5X_LOG(INFO, "%s: port %u, wire=%s, dev_mode=%s%s, mprq=%u, "
		  "cqe_comp=%u", name, dev->data->port_id, da.wire_ops->name,
		  da.dev_mode == MLX5X_DEV_THREAD ? "thread" : "inline",
		  da.dev_mode == MLX5X_DEV_THREAD ? "" : "", da.mprq, da.cqe_comp);
	return 0;
}

static int
mlx5x_remove(struct rte_vdev_device *vdev)
{
	struct rte_eth_dev *dev =
		rte_eth_dev_allocated(rte_vdev_device_name(vdev));

	if (dev == NULL)
		return 0;
	mlx5x_dev_close(dev);
	rte_eth_dev_release_port(dev);
	return 0;
}

/* ---- public API ---- */

struct mlx5x_priv *
mlx5x_port_priv(uint16_t port)
{
	struct rte_eth_dev *dev;

	if (!rte_eth_dev_is_valid_port(port))
		return NULL;
	dev = &rte_eth_devices[port];
	if (dev->dev_ops != &mlx5x_ops)
		return NULL;
	return dev->data->dev_private;
}

int
rte_pmd_mlx5x_is_mlx5x(uint16_t port)
{
	return mlx5x_port_priv(port) != NULL;
}

int
rte_pmd_mlx5x_wire_stats(uint16_t port, struct rte_pmd_mlx5x_wire_stats *st)
{
	struct mlx5x_priv *priv = mlx5x_port_priv(port);

	if (priv == NULL || st == NULL)
		return -EINVAL;
	st->rx_frames = priv->emu.wire.st.rx_frames;
	st->rx_bytes = priv->emu.wire.st.rx_bytes;
	st->tx_frames = priv->emu.wire.st.tx_frames;
	st->tx_bytes = priv->emu.wire.st.tx_bytes;
	st->tx_dropped = priv->emu.wire.st.tx_dropped;
	return 0;
}

int
rte_pmd_mlx5x_device_step(uint16_t port)
{
	struct mlx5x_priv *priv = mlx5x_port_priv(port);

	if (priv == NULL)
		return -EINVAL;
	return (int)mlx5x_emu_kick(&priv->emu, true);
}

int
rte_pmd_mlx5x_inject_rx_fault(uint16_t port, uint16_t queue)
{
	struct mlx5x_priv *priv = mlx5x_port_priv(port);
	struct mlx5x_rxq *rxq;
	struct mlx5_wqe_data_seg *ds;

	if (priv == NULL || queue >= priv->dev->data->nb_rx_queues)
		return -EINVAL;
	rxq = priv->dev->data->rx_queues[queue];
	if (rxq == NULL || rxq->mprq)
		return -EINVAL;
	/* The next WQE the device will take. */
	ds = (struct mlx5_wqe_data_seg *)rxq->wqes +
	     (size_t)(priv->emu.rq[queue].ci & ((1u << rxq->log_wqe_n) - 1)) *
	     rxq->sges;
	ds->lkey = rte_cpu_to_be_32(0xdead00);
	return 0;
}

static struct rte_vdev_driver mlx5x_vdev = {
	.probe = mlx5x_probe,
	.remove = mlx5x_remove,
};

RTE_PMD_REGISTER_VDEV(net_mlx5x, mlx5x_vdev);
RTE_PMD_REGISTER_PARAM_STRING(net_mlx5x, MLX5X_PMD_PARAMS);
