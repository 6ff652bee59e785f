/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * wire=pcap: receive the frames of rx_pcap (once, or looped with
 * pcap_loop=1) and write transmitted frames to tx_pcap, byte for byte.
 * The receive file is read into memory at open, so replaying it costs no
 * I/O per packet; a missing or broken file fails the probe, naming it.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include <pcap/pcap.h>
#include <rte_log.h>

#include "mlx5x_devargs.h"
#include "mlx5x_wire.h"

extern int mlx5x_logtype;
#define PCAP_ERR(fmt, ...) rte_log(RTE_LOG_ERR, mlx5x_logtype, \
	"mlx5x: %s: " fmt "\n", w->emu->name, ##__VA_ARGS__)

#define PCAP_MAX_BYTES (512ull << 20)

struct pcapw {
	/* receive side: every record back to back */
	uint8_t *data;
	uint32_t *off, *len;
	uint32_t n, next;
	bool loop;
	/* transmit side */
	pcap_t *dead;
	pcap_dumper_t *dump;
	uint64_t since_flush;
};

static int
load(struct mlx5x_wire *w, struct pcapw *p, const char *file)
{
	char err[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *d;
	size_t cap = 1 << 20, used = 0, ncap = 1024;
	pcap_t *pc = pcap_open_offline(file, err);
	bool bad = false;
	int rc;

	if (pc == NULL) {
		PCAP_ERR("devarg rx_pcap=%s: %s", file, err);
		return -EINVAL;
	}
	if (pcap_datalink(pc) != DLT_EN10MB) {
		PCAP_ERR("devarg rx_pcap=%s: link type %d is not Ethernet",
			 file, pcap_datalink(pc));
		pcap_close(pc);
		return -EINVAL;
	}
	p->data = malloc(cap);
	p->off = malloc(ncap * sizeof(uint32_t));
	p->len = malloc(ncap * sizeof(uint32_t));
	while ((rc = pcap_next_ex(pc, &h, &d)) == 1) {
		if (h->caplen != h->len) {
			PCAP_ERR("devarg rx_pcap=%s: record %u truncated (%u of %u "
				 "bytes captured)", file, p->n, h->caplen, h->len);
			bad = true;
			break;
		}
		if (used + h->caplen > PCAP_MAX_BYTES) {
			PCAP_ERR("devarg rx_pcap=%s: over %llu MiB", file,
				 PCAP_MAX_BYTES >> 20);
			bad = true;
			break;
		}
		while (used + h->caplen > cap)
			p->data = realloc(p->data, cap *= 2);
		if (p->n == ncap) {
			ncap *= 2;
			p->off = realloc(p->off, ncap * sizeof(uint32_t));
			p->len = realloc(p->len, ncap * sizeof(uint32_t));
		}
		if (p->data == NULL || p->off == NULL || p->len == NULL) {
			PCAP_ERR("devarg rx_pcap=%s: out of memory", file);
			bad = true;
			break;
		}
		memcpy(p->data + used, d, h->caplen);
		p->off[p->n] = (uint32_t)used;
		p->len[p->n] = h->caplen;
		used += h->caplen;
		p->n++;
	}
	if (!bad && rc == -1) {
		PCAP_ERR("devarg rx_pcap=%s: record %u: %s", file, p->n,
			 pcap_geterr(pc));
		bad = true;
	}
	pcap_close(pc);
	return bad ? -EINVAL : 0;
}

static void
pcap_close_w(struct mlx5x_wire *w)
{
	struct pcapw *p = w->priv;

	if (p == NULL)
		return;
	if (p->dump != NULL) {
		pcap_dump_flush(p->dump);
		pcap_dump_close(p->dump);
	}
	if (p->dead != NULL)
		pcap_close(p->dead);
	free(p->data);
	free(p->off);
	free(p->len);
	free(p);
	w->priv = NULL;
}

static int
pcap_open_w(struct mlx5x_wire *w, const struct mlx5x_devargs *da)
{
	struct pcapw *p = calloc(1, sizeof(*p));
	int rc;

	if (p == NULL)
		return -ENOMEM;
	w->priv = p;
	p->loop = da->pcap_loop;
	if (da->rx_pcap[0]) {
		rc = load(w, p, da->rx_pcap);
		if (rc != 0) {
			pcap_close_w(w);
			return rc;
		}
	}
	if (da->tx_pcap[0]) {
		p->dead = pcap_open_dead(DLT_EN10MB, 65535);
		p->dump = p->dead ? pcap_dump_open(p->dead, da->tx_pcap) : NULL;
		if (p->dump == NULL) {
			PCAP_ERR("devarg tx_pcap=%s: %s", da->tx_pcap,
				 p->dead ? pcap_geterr(p->dead) : "no memory");
			pcap_close_w(w);
			return -EINVAL;
		}
	}
	return 0;
}

static unsigned int
pcap_rx_peek(struct mlx5x_wire *w, struct mlx5x_frame *f, unsigned int n)
{
	struct pcapw *p = w->priv;
	unsigned int i;
	uint32_t at = p->next;

	if (p->n == 0)
		return 0;
	for (i = 0; i < n; i++) {
		if (at == p->n) {
			if (!p->loop)
				break;
			at = 0;
		}
		f[i].data = p->data + p->off[at];
		f[i].len = p->len[at];
		f[i].flow = MLX5X_FLOW_NONE;
		at++;
	}
	return i;
}

static void
pcap_rx_release(struct mlx5x_wire *w, unsigned int n)
{
	struct pcapw *p = w->priv;

	p->next += n;
	if (p->loop)
		p->next %= p->n;
}

static unsigned int
pcap_tx(struct mlx5x_wire *w, const struct mlx5x_frame *f, unsigned int n)
{
	struct pcapw *p = w->priv;
	struct pcap_pkthdr h;

	if (p->dump == NULL)
		return 0; /* no tx_pcap: the far end takes nothing */
	gettimeofday(&h.ts, NULL);
	for (unsigned int i = 0; i < n; i++) {
		h.caplen = h.len = f[i].len;
		pcap_dump((u_char *)p->dump, &h, f[i].data);
	}
	p->since_flush += n;
	if (p->since_flush >= 1024) {
		pcap_dump_flush(p->dump);
		p->since_flush = 0;
	}
	return n;
}

const struct mlx5x_wire_ops mlx5x_wire_pcap = {
	.name = "pcap",
	.open = pcap_open_w,
	.rx_peek = pcap_rx_peek,
	.rx_release = pcap_rx_release,
	.tx = pcap_tx,
	.close = pcap_close_w,
};
