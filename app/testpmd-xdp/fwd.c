/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Forwarding lcores: each polls its streams (port, queue) and applies the
 * classic testpmd modes that give the no-XDP baseline. rxonly frees what
 * it receives (counted as DROP); io sends it back out of the same port
 * and queue (TX); macswap swaps the MAC addresses first. A send the port
 * refuses is freed and counted as ERROR, so rx always equals the sum of
 * the actions.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_ether.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>

#include "txp.h"

const char *const txp_act_name[TXP_NACT] = {
	"drop", "pass", "tx", "redirect", "aborted", "error",
};

const char *
txp_fwd_name(enum txp_fwd f)
{
	return f == TXP_FWD_RXONLY ? "rxonly" : f == TXP_FWD_IO ? "io" :
	       "macswap";
}

static inline void
add(uint64_t *c, uint64_t v)
{
	__atomic_store_n(c, *c + v, __ATOMIC_RELAXED);
}

static void
macswap(struct rte_mbuf **b, uint16_t n)
{
	for (uint16_t i = 0; i < n; i++) {
		struct rte_ether_hdr *e =
			rte_pktmbuf_mtod(b[i], struct rte_ether_hdr *);
		struct rte_ether_addr t = e->dst_addr;

		e->dst_addr = e->src_addr;
		e->src_addr = t;
	}
}

int
txp_fwd_lcore(void *arg)
{
	struct txp_conf *c = arg;
	unsigned int me = rte_lcore_id();
	struct txp_stream *mine[TXP_MAX_STREAMS];
	unsigned int n_mine = 0;
	struct rte_mbuf *b[512];

	for (unsigned int i = 0; i < c->nb_streams; i++)
		if (c->streams[i].lcore == me)
			mine[n_mine++] = &c->streams[i];
	while (!txp_quit) {
		for (unsigned int k = 0; k < n_mine; k++) {
			struct txp_stream *s = mine[k];
			uint16_t n = rte_eth_rx_burst(s->port, s->queue, b,
						      c->burst), sent;

			if (n == 0)
				continue;
			if (c->capture != NULL)
				txp_capture(b, n);
			if (c->obj != NULL) {
				/* XDP ran in the RX callback; what is left was
				 * passed to us, and we are the stack: consume */
				rte_pktmbuf_free_bulk(b, n);
				continue;
			}
			add(&s->rx, n);
			if (c->fwd == TXP_FWD_RXONLY) {
				rte_pktmbuf_free_bulk(b, n);
				add(&s->act[TXP_DROP], n);
				continue;
			}
			if (c->fwd == TXP_FWD_MACSWAP)
				macswap(b, n);
			sent = rte_eth_tx_burst(s->port, s->queue, b, n);
			add(&s->act[TXP_TX], sent);
			if (sent < n) {
				rte_pktmbuf_free_bulk(b + sent, n - sent);
				add(&s->act[TXP_ERROR], n - sent);
			}
		}
	}
	return 0;
}

void
txp_stream_counts(const struct txp_conf *c, unsigned int i,
		  uint64_t out[1 + TXP_NACT])
{
	const struct txp_stream *s = &c->streams[i];
	struct xdpc_generic_stats st;

	if (c->obj != NULL &&
	    xdpc_generic_stats(s->port, s->queue, &st) == 0) {
		/* failed sends are errors, not TX or REDIRECT */
		out[0] = st.rx;
		out[1 + TXP_DROP] = st.act[XDPC_DROP];
		out[1 + TXP_PASS] = st.act[XDPC_PASS];
		out[1 + TXP_TX] = st.act[XDPC_TX] - st.tx_errors;
		out[1 + TXP_REDIRECT] = st.act[XDPC_REDIRECT] - st.redirect_errors;
		out[1 + TXP_ABORTED] = st.act[XDPC_ABORTED];
		out[1 + TXP_ERROR] = st.tx_errors + st.redirect_errors;
		return;
	}
	out[0] = __atomic_load_n(&s->rx, __ATOMIC_RELAXED);
	for (unsigned int k = 0; k < TXP_NACT; k++)
		out[1 + k] = __atomic_load_n(&s->act[k], __ATOMIC_RELAXED);
}

int
txp_xdp_setup(struct txp_conf *c)
{
	char err[512];
	struct xdpc_prog *prog;

	c->obj = xdpc_obj_open(c->xdp_obj, err, sizeof(err));
	if (c->obj == NULL) {
		fprintf(stderr, "testpmd-xdp: --xdp: %s\n", err);
		return 1;
	}
	for (unsigned int i = 0; i < c->nsets; i++)
		if (txp_set_global(c->obj, c->sets[i], err, sizeof(err)) != 0) {
			fprintf(stderr, "testpmd-xdp: --set %s: %s\n", c->sets[i],
				err);
			return 2;
		}
	if (xdpc_obj_load(c->obj, err, sizeof(err)) != 0) {
		fprintf(stderr, "testpmd-xdp: --xdp: %s\n", err);
		return 1;
	}
	for (unsigned int i = 0; i < c->nmap_updates; i++)
		if (txp_map_update(c->obj, c->map_updates[i][0],
				   c->map_updates[i][1], err, sizeof(err)) != 0) {
			fprintf(stderr, "testpmd-xdp: --map-update %s %s: %s\n",
				c->map_updates[i][0], c->map_updates[i][1], err);
			return 2;
		}
	for (unsigned int i = 0; i < c->nmap_dumps; i++)
		if (xdpc_obj_map(c->obj, c->map_dumps[i]) == NULL) {
			fprintf(stderr, "testpmd-xdp: --map-dump %s: no such map "
				"in %s\n", c->map_dumps[i], c->xdp_obj);
			return 2;
		}
	prog = xdpc_obj_prog(c->obj, c->xdp_prog);
	if (prog == NULL) {
		fprintf(stderr, "testpmd-xdp: --xdp %s: no program %s\n",
			c->xdp_obj, c->xdp_prog);
		return 1;
	}
	c->xdp_prog = xdpc_prog_name(prog);
	for (unsigned int i = 0; i < c->nb_streams; i++) {
		int rc = xdpc_generic_attach(c->streams[i].port,
					     c->streams[i].queue, prog);

		if (rc != 0) {
			fprintf(stderr, "testpmd-xdp: attaching to port %u queue "
				"%u: %s\n", c->streams[i].port,
				c->streams[i].queue, strerror(-rc));
			return 1;
		}
	}
	return 0;
}
