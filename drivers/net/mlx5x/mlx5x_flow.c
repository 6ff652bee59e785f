/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * rte_flow for the ntuple-filter cases: ETH, VLAN, IPV4, IPV6, UDP and
 * TCP items with spec and mask; QUEUE, RSS, MARK and DROP actions; ingress
 * only. A pattern is compiled into the device's match key (see
 * mlx5x_emu_parse.c); anything else is refused, naming what.
 */
#include <errno.h>
#include <stdlib.h>

#include <rte_flow.h>
#include <rte_flow_driver.h>

#include "mlx5x.h"

static int
err(struct rte_flow_error *e, int code, enum rte_flow_error_type t,
    const void *cause, const char *msg)
{
	return rte_flow_error_set(e, code, t, cause, msg);
}

static void
put(struct mlx5x_flow_rule *r, unsigned int off, const void *spec,
    const void *mask, unsigned int len)
{
	const uint8_t *s = spec, *m = mask;

	for (unsigned int i = 0; i < len; i++) {
		r->mask[off + i] |= m[i];
		r->key[off + i] = s[i] & m[i];
	}
}

static int
compile(struct rte_eth_dev *dev, const struct rte_flow_attr *attr,
	const struct rte_flow_item *items, const struct rte_flow_action *acts,
	struct mlx5x_flow_rule *r, struct rte_flow_error *e)
{
	uint16_t nrx = dev->data->nb_rx_queues;
	bool fate = false;

	memset(r, 0, sizeof(*r));
	if (attr == NULL || items == NULL || acts == NULL)
		return err(e, EINVAL, RTE_FLOW_ERROR_TYPE_UNSPECIFIED, NULL,
			   "attr, pattern and actions are required");
	if (attr->egress || attr->transfer || !attr->ingress)
		return err(e, ENOTSUP, RTE_FLOW_ERROR_TYPE_ATTR, attr,
			   "only ingress rules are supported");
	if (attr->group != 0)
		return err(e, ENOTSUP, RTE_FLOW_ERROR_TYPE_ATTR_GROUP, attr,
			   "only group 0");
	r->prio = attr->priority;

	for (; items->type != RTE_FLOW_ITEM_TYPE_END; items++) {
		const void *spec = items->spec, *mask = items->mask;

		if (items->last != NULL)
			return err(e, ENOTSUP, RTE_FLOW_ERROR_TYPE_ITEM, items,
				   "ranges (item.last) are not supported");
		switch (items->type) {
		case RTE_FLOW_ITEM_TYPE_VOID:
			break;
		case RTE_FLOW_ITEM_TYPE_ETH: {
			const struct rte_flow_item_eth *s = spec, *m =
				mask ? mask : &rte_flow_item_eth_mask;

			if (s != NULL) {
				put(r, 0, &s->hdr.dst_addr, &m->hdr.dst_addr, 6);
				put(r, 6, &s->hdr.src_addr, &m->hdr.src_addr, 6);
				put(r, 12, &s->hdr.ether_type, &m->hdr.ether_type, 2);
			}
			break;
		}
		case RTE_FLOW_ITEM_TYPE_VLAN: {
			const struct rte_flow_item_vlan *s = spec, *m =
				mask ? mask : &rte_flow_item_vlan_mask;

			r->need_vlan = 1;
			if (s != NULL) {
				put(r, 14, &s->hdr.vlan_tci, &m->hdr.vlan_tci, 2);
				if (m->hdr.eth_proto)
					put(r, 12, &s->hdr.eth_proto,
					    &m->hdr.eth_proto, 2);
			}
			break;
		}
		case RTE_FLOW_ITEM_TYPE_IPV4: {
			const struct rte_flow_item_ipv4 *s = spec, *m =
				mask ? mask : &rte_flow_item_ipv4_mask;

			r->need_l3 = MLX5_CQE_L3_HDR_TYPE_IPV4;
			if (s != NULL) {
				if (m->hdr.type_of_service || m->hdr.time_to_live ||
				    m->hdr.packet_id || m->hdr.fragment_offset)
					return err(e, ENOTSUP,
						   RTE_FLOW_ERROR_TYPE_ITEM_MASK, m,
						   "IPv4: only src, dst and proto "
						   "can be matched");
				put(r, 16, &s->hdr.src_addr, &m->hdr.src_addr, 4);
				put(r, 32, &s->hdr.dst_addr, &m->hdr.dst_addr, 4);
				put(r, 48, &s->hdr.next_proto_id,
				    &m->hdr.next_proto_id, 1);
			}
			break;
		}
		case RTE_FLOW_ITEM_TYPE_IPV6: {
			const struct rte_flow_item_ipv6 *s = spec, *m =
				mask ? mask : &rte_flow_item_ipv6_mask;

			r->need_l3 = MLX5_CQE_L3_HDR_TYPE_IPV6;
			if (s != NULL) {
				if (m->hdr.vtc_flow || m->hdr.hop_limits)
					return err(e, ENOTSUP,
						   RTE_FLOW_ERROR_TYPE_ITEM_MASK, m,
						   "IPv6: only src, dst and proto "
						   "can be matched");
				put(r, 16, s->hdr.src_addr, m->hdr.src_addr, 16);
				put(r, 32, s->hdr.dst_addr, m->hdr.dst_addr, 16);
				put(r, 48, &s->hdr.proto, &m->hdr.proto, 1);
			}
			break;
		}
		case RTE_FLOW_ITEM_TYPE_UDP: {
			const struct rte_flow_item_udp *s = spec, *m =
				mask ? mask : &rte_flow_item_udp_mask;

			r->need_l4 = MLX5X_L4_UDP;
			if (s != NULL) {
				put(r, 50, &s->hdr.src_port, &m->hdr.src_port, 2);
				put(r, 52, &s->hdr.dst_port, &m->hdr.dst_port, 2);
			}
			break;
		}
		case RTE_FLOW_ITEM_TYPE_TCP: {
			const struct rte_flow_item_tcp *s = spec, *m =
				mask ? mask : &rte_flow_item_tcp_mask;

			r->need_l4 = MLX5X_L4_TCP;
			if (s != NULL) {
				if (m->hdr.tcp_flags)
					return err(e, ENOTSUP,
						   RTE_FLOW_ERROR_TYPE_ITEM_MASK, m,
						   "TCP flags cannot be matched");
				put(r, 50, &s->hdr.src_port, &m->hdr.src_port, 2);
				put(r, 52, &s->hdr.dst_port, &m->hdr.dst_port, 2);
			}
			break;
		}
		default:
			return err(e, ENOTSUP, RTE_FLOW_ERROR_TYPE_ITEM, items,
				   "item not supported: ETH, VLAN, IPV4, IPV6, "
				   "UDP and TCP are");
		}
	}
	if ((r->need_l4 != 0) && r->need_l3 == 0)
		return err(e, EINVAL, RTE_FLOW_ERROR_TYPE_ITEM, NULL,
			   "UDP/TCP items need an IPV4 or IPV6 item before them");

	for (; acts->type != RTE_FLOW_ACTION_TYPE_END; acts++) {
		switch (acts->type) {
		case RTE_FLOW_ACTION_TYPE_VOID:
			break;
		case RTE_FLOW_ACTION_TYPE_DROP:
			r->drop = true;
			fate = true;
			break;
		case RTE_FLOW_ACTION_TYPE_QUEUE: {
			const struct rte_flow_action_queue *q = acts->conf;

			if (q == NULL || q->index >= nrx)
				return err(e, EINVAL, RTE_FLOW_ERROR_TYPE_ACTION_CONF,
					   acts, "QUEUE index beyond the RX queues");
			r->has_queue = true;
			r->queue = q->index;
			fate = true;
			break;
		}
		case RTE_FLOW_ACTION_TYPE_RSS: {
			const struct rte_flow_action_rss *rss = acts->conf;

			if (rss == NULL || rss->queue_num == 0 ||
			    rss->queue_num > MLX5X_MAX_QUEUES)
				return err(e, EINVAL, RTE_FLOW_ERROR_TYPE_ACTION_CONF,
					   acts, "RSS needs 1..16 queues");
			if (rss->key_len != 0 && rss->key_len != MLX5X_RSS_KEY_LEN)
				return err(e, ENOTSUP, RTE_FLOW_ERROR_TYPE_ACTION_CONF,
					   acts, "RSS: only the port's key");
			for (uint32_t i = 0; i < rss->queue_num; i++) {
				if (rss->queue[i] >= nrx)
					return err(e, EINVAL,
						   RTE_FLOW_ERROR_TYPE_ACTION_CONF,
						   acts, "RSS queue beyond the RX queues");
				r->rss_queues[i] = rss->queue[i];
			}
			r->rss_n = (uint16_t)rss->queue_num;
			r->has_rss = true;
			fate = true;
			break;
		}
		case RTE_FLOW_ACTION_TYPE_MARK: {
			const struct rte_flow_action_mark *mk = acts->conf;

			if (mk == NULL || mk->id >= MLX5X_FLOW_TAG_MASK)
				return err(e, EINVAL, RTE_FLOW_ERROR_TYPE_ACTION_CONF,
					   acts, "MARK id must be below 2^24 - 1");
			r->has_mark = true;
			r->mark = mk->id;
			break;
		}
		default:
			return err(e, ENOTSUP, RTE_FLOW_ERROR_TYPE_ACTION, acts,
				   "action not supported: QUEUE, RSS, MARK and "
				   "DROP are");
		}
	}
	if (r->drop && (r->has_queue || r->has_rss || r->has_mark))
		return err(e, EINVAL, RTE_FLOW_ERROR_TYPE_ACTION, NULL,
			   "DROP cannot be combined with other actions");
	if (!fate && !r->has_mark)
		return err(e, EINVAL, RTE_FLOW_ERROR_TYPE_ACTION, NULL,
			   "no action");
	return 0;
}

static int
flow_validate(struct rte_eth_dev *dev, const struct rte_flow_attr *attr,
	      const struct rte_flow_item items[],
	      const struct rte_flow_action acts[], struct rte_flow_error *e)
{
	struct mlx5x_flow_rule r;

	return compile(dev, attr, items, acts, &r, e);
}

static struct rte_flow *
flow_create(struct rte_eth_dev *dev, const struct rte_flow_attr *attr,
	    const struct rte_flow_item items[],
	    const struct rte_flow_action acts[], struct rte_flow_error *e)
{
	struct mlx5x_priv *priv = mlx5x_priv(dev);
	struct rte_flow *f = calloc(1, sizeof(*f));
	int rc;

	if (f == NULL) {
		err(e, ENOMEM, RTE_FLOW_ERROR_TYPE_UNSPECIFIED, NULL, "no memory");
		return NULL;
	}
	if (compile(dev, attr, items, acts, &f->rule, e) != 0) {
		free(f);
		return NULL;
	}
	rc = mlx5x_emu_flow_insert(&priv->emu, &f->rule);
	if (rc != 0) {
		free(f);
		err(e, -rc, RTE_FLOW_ERROR_TYPE_HANDLE, NULL,
		    "the device's flow table is full");
		return NULL;
	}
	TAILQ_INSERT_TAIL(&priv->flows, f, next);
	return f;
}

static int
flow_destroy(struct rte_eth_dev *dev, struct rte_flow *flow,
	     struct rte_flow_error *e)
{
	struct mlx5x_priv *priv = mlx5x_priv(dev);
	struct rte_flow *f;

	TAILQ_FOREACH(f, &priv->flows, next)
		if (f == flow)
			break;
	if (f == NULL)
		return err(e, ENOENT, RTE_FLOW_ERROR_TYPE_HANDLE, flow,
			    "no such flow on this port");
	mlx5x_emu_flow_remove(&priv->emu, &f->rule);
	TAILQ_REMOVE(&priv->flows, f, next);
	free(f);
	return 0;
}

void
mlx5x_flow_flush_all(struct rte_eth_dev *dev)
{
	struct mlx5x_priv *priv = mlx5x_priv(dev);
	struct rte_flow *f;

	while ((f = TAILQ_FIRST(&priv->flows)) != NULL) {
		mlx5x_emu_flow_remove(&priv->emu, &f->rule);
		TAILQ_REMOVE(&priv->flows, f, next);
		free(f);
	}
}

static int
flow_flush(struct rte_eth_dev *dev, struct rte_flow_error *e)
{
	(void)e;
	mlx5x_flow_flush_all(dev);
	return 0;
}

static int
flow_query(struct rte_eth_dev *dev, struct rte_flow *flow,
	   const struct rte_flow_action *action, void *data,
	   struct rte_flow_error *e)
{
	struct rte_flow_query_count *c = data;

	(void)dev;
	if (action->type != RTE_FLOW_ACTION_TYPE_COUNT)
		return err(e, ENOTSUP, RTE_FLOW_ERROR_TYPE_ACTION, action,
			    "only COUNT can be queried");
	c->hits_set = 1;
	c->hits = flow->rule.hits;
	if (c->reset)
		flow->rule.hits = 0;
	return 0;
}

const struct rte_flow_ops mlx5x_flow_ops = {
	.validate = flow_validate,
	.create = flow_create,
	.destroy = flow_destroy,
	.flush = flow_flush,
	.query = flow_query,
};
