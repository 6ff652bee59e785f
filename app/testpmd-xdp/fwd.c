/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Forwarding lcores: each polls its streams (port, queue) and applies the
 * classic testpmd modes that give the no-XDP baseline. rxonly frees what
 * it receives (counted as DROP); io sends it back out of the same port
 * and queue (TX); macswap swaps the MAC addresses first. A send the port
 * refuses is freed and counted as ERROR, so rx always equals the sum of
 * the actions.
 */
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
