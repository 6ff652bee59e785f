/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Forwarding lcores: each polls its streams (port, queue) and applies the
 * classic testpmd modes that give the no-XDP baseline. rxonly frees what
 * it receives (counted as DROP); io sends it back out of the same port
 * and queue (TX); macswap swaps the MAC addresses first. A send the port
 * refuses is freed and counted as ERROR, so rx always equals the sum of
 * the actions. With XDP on a stream (native in the mlx5x driver, or
 * generic through xdp_compat's RX callback) the program's counters are
 * the stream's, and what comes up was passed: consumed here.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_ether.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>

#include "rte_pmd_mlx5x.h"
#include "rte_pmd_mlx5x_devmem.h"
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

static int stream_apply(struct txp_stream *s, struct xdpc_prog *prog,
			bool native);

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

/* --devmem: we never read the payloads; their chunks go back at once,
 * in one batch per burst (freeing the mbufs does not free them). */
static void
devmem_done(const struct txp_stream *s, struct rte_mbuf **b, uint16_t n)
{
	uint32_t tok[512];
	unsigned int nt = 0;

	for (uint16_t i = 0; i < n; i++) {
		struct rte_pmd_mlx5x_devmem_frag f;

		if (rte_pmd_mlx5x_devmem_frags(b[i], &f, 1) == 1)
			tok[nt++] = f.token;
	}
	if (nt != 0)
		rte_pmd_mlx5x_devmem_tokens_return(s->dm_id, tok, nt);
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
			uint16_t n, sent;

			if (unlikely(__atomic_load_n(&s->req, __ATOMIC_ACQUIRE))) {
				s->req_rc = stream_apply(s, s->req == 1 ?
					s->req_prog : NULL, s->req_native);
				__atomic_store_n(&s->req, 0, __ATOMIC_RELEASE);
			}
			n = rte_eth_rx_burst(s->port, s->queue, b, c->burst);

			if (n == 0)
				continue;
			if (s->dm_id != 0)
				devmem_done(s, b, n);
			if (c->capture != NULL)
				txp_capture(b, n);
			if (s->xdp) {
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

/* The counters of the program on @s: rx then each action. Failed sends
 * are errors, not TX or REDIRECT. */
static void
xdp_counts(const struct txp_stream *s, uint64_t out[1 + TXP_NACT])
{
	struct rte_pmd_mlx5x_xdp_stats ns;
	struct xdpc_generic_stats st;

	memset(out, 0, sizeof(uint64_t) * (1 + TXP_NACT));
	if (s->native) {
		if (rte_pmd_mlx5x_xdp_stats_get(s->port, s->queue, &ns) != 0)
			return;
		out[0] = ns.rx;
		out[1 + TXP_DROP] = ns.drop;
		out[1 + TXP_PASS] = ns.pass;
		out[1 + TXP_TX] = ns.tx;
		out[1 + TXP_REDIRECT] = ns.redirect;
		out[1 + TXP_ABORTED] = ns.aborted;
		out[1 + TXP_ERROR] = ns.tx_errors + ns.redirect_errors;
		return;
	}
	if (xdpc_generic_stats(s->port, s->queue, &st) != 0)
		return;
	out[0] = st.rx;
	out[1 + TXP_DROP] = st.act[XDPC_DROP];
	out[1 + TXP_PASS] = st.act[XDPC_PASS];
	out[1 + TXP_TX] = st.act[XDPC_TX] - st.tx_errors;
	out[1 + TXP_REDIRECT] = st.act[XDPC_REDIRECT] - st.redirect_errors;
	out[1 + TXP_ABORTED] = st.act[XDPC_ABORTED];
	out[1 + TXP_ERROR] = st.tx_errors + st.redirect_errors;
}

void
txp_stream_counts(const struct txp_conf *c, unsigned int i,
		  uint64_t out[1 + TXP_NACT])
{
	const struct txp_stream *s = &c->streams[i];
	uint64_t x[1 + TXP_NACT] = {0};

	if (s->xdp)
		xdp_counts(s, x);
	out[0] = __atomic_load_n(&s->rx, __ATOMIC_RELAXED) + s->base[0] + x[0];
	for (unsigned int k = 0; k < TXP_NACT; k++)
		out[1 + k] = __atomic_load_n(&s->act[k], __ATOMIC_RELAXED) +
			     s->base[1 + k] + x[1 + k];
}

const char *
txp_mode_name(const struct txp_conf *c)
{
	unsigned int native = 0, generic = 0;

	for (unsigned int i = 0; i < c->nb_streams; i++) {
		native += c->streams[i].xdp && c->streams[i].native;
		generic += c->streams[i].xdp && !c->streams[i].native;
	}
	return native && generic ? "mixed" : native ? "native" :
	       generic ? "generic" : "fwd";
}

/* Put @prog on stream @s (NULL: take it off), keeping the counts: the
 * program's counters are folded into the stream's base when it goes, and
 * start from where they are when it comes. */
static int
stream_apply(struct txp_stream *s, struct xdpc_prog *prog, bool native)
{
	uint64_t x[1 + TXP_NACT];
	int rc = 0;

	if (s->xdp && (prog == NULL || s->native != native)) {
		xdp_counts(s, x);
		for (unsigned int k = 0; k <= TXP_NACT; k++)
			s->base[k] += x[k];
		if (s->native)
			rte_pmd_mlx5x_xdp_detach(s->port, s->queue);
		else
			xdpc_generic_detach(s->port, s->queue);
		s->xdp = false;
	}
	if (prog == NULL)
		return 0;
	if (native)
		rc = rte_pmd_mlx5x_xdp_attach(s->port, s->queue, prog);
	else if (s->xdp)
		rc = xdpc_generic_replace(s->port, s->queue, prog);
	else
		rc = xdpc_generic_attach(s->port, s->queue, prog);
	if (rc != 0 || s->xdp)
		return rc;
	s->native = native;
	xdp_counts(s, x);
	for (unsigned int k = 0; k <= TXP_NACT; k++)
		s->base[k] -= x[k];
	s->xdp = true;
	return 0;
}

/* Apply on the stream's own lcore when forwarding runs (between two of
 * its bursts), else here. */
static int
stream_change(struct txp_conf *c, struct txp_stream *s, struct xdpc_prog *prog,
	      bool native)
{
	if (!c->running)
		return stream_apply(s, prog, native);
	s->req_prog = prog;
	s->req_native = native;
	__atomic_store_n(&s->req, prog != NULL ? 1 : 2, __ATOMIC_RELEASE);
	while (__atomic_load_n(&s->req, __ATOMIC_ACQUIRE) != 0)
		rte_delay_us_sleep(100);
	return s->req_rc;
}

int
txp_xdp_attach(struct txp_conf *c, struct xdpc_prog *prog, int port)
{
	for (unsigned int i = 0; i < c->nb_streams; i++) {
		struct txp_stream *s = &c->streams[i];
		bool native = c->mode == TXP_MODE_NATIVE ||
			      (c->mode == TXP_MODE_AUTO &&
			       rte_pmd_mlx5x_is_mlx5x(s->port));
		char name[RTE_ETH_NAME_MAX_LEN] = "";
		int rc;

		if (port >= 0 && s->port != port)
			continue;
		rte_eth_dev_get_name_by_port(s->port, name);
		if (native && !rte_pmd_mlx5x_is_mlx5x(s->port)) {
			fprintf(stderr, "testpmd-xdp: --mode native: port %u (%s) "
				"has no in-driver XDP; use --mode generic or auto\n",
				s->port, name);
			return -ENOTSUP;
		}
		rc = stream_change(c, s, prog, native);
		if (rc != 0) {
			fprintf(stderr, "testpmd-xdp: attaching %s to port %u (%s) "
				"queue %u: %s\n", xdpc_prog_name(prog), s->port,
				name, s->queue, strerror(-rc));
			return rc;
		}
	}
	return 0;
}

void
txp_xdp_detach(struct txp_conf *c, int port)
{
	for (unsigned int i = 0; i < c->nb_streams; i++) {
		struct txp_stream *s = &c->streams[i];

		if (s->xdp && (port < 0 || s->port == port))
			stream_change(c, s, NULL, false);
	}
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
	txp_print_verified(stderr, prog);
	return txp_xdp_attach(c, prog, -1) == 0 ? 0 : 1;
}

void
txp_print_verified(FILE *f, const struct xdpc_prog *prog)
{
	struct xdpc_verify_stats st;

	xdpc_prog_verify_stats(prog, &st);
	fprintf(f, "testpmd-xdp: %s verified: %u instructions, %lu processed, "
		"%u states, stack %u bytes, %.2f ms; runs on the %s\n",
		xdpc_prog_name(prog), xdpc_prog_insn_count(prog),
		(unsigned long)st.insns_processed, st.states, st.stack_depth,
		st.ns / 1e6, xdpc_prog_engine(prog) == XDPC_ENGINE_JIT ? "JIT" :
		"interpreter");
}
