/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * testpmd-xdp output: the live table every interval (per port and queue:
 * rx pps and pps per action, errors, pagepool recycle rate; a totals
 * line), the summary on exit (min, median, max pps per action) and the
 * JSON file (config, samples, summary).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_ethdev.h>
#include <rte_version.h>

#include "mlx5x_config.h"
#include "txp.h"

struct sample {
	double t;
	double dt;
	/* per stream: rx pps then each action's pps */
	double *pps;            /* nb_streams x (1 + TXP_NACT) */
	double tot[1 + TXP_NACT];
	double recycle;         /* % of allocations served by recycling */
};

struct txp_report {
	const struct txp_conf *c;
	uint64_t last[TXP_MAX_STREAMS][1 + TXP_NACT];
	uint64_t last_pp_alloc, last_pp_recycled;
	double last_t;
	struct sample *s;
	unsigned int n, cap;
};

void
txp_human(double v, char *buf, size_t len)
{
	if (v >= 1e9)
		snprintf(buf, len, "%.2fG", v / 1e9);
	else if (v >= 1e6)
		snprintf(buf, len, "%.2fM", v / 1e6);
	else if (v >= 1e3)
		snprintf(buf, len, "%.2fK", v / 1e3);
	else
		snprintf(buf, len, "%.0f", v);
}

struct sample;
static void print_table(const struct txp_report *r, const struct sample *s);

struct txp_report *
txp_report_new(const struct txp_conf *c)
{
	struct txp_report *r = calloc(1, sizeof(*r));

	if (r != NULL)
		r->c = c;
	return r;
}

/* Pagepool counters of every port that has them (mlx5x), summed. */
static void
pp_counters(const struct txp_conf *c, uint64_t *alloc, uint64_t *recycled)
{
	static const char *const a[] = { "alloc_fast", "alloc_slow",
					 "alloc_refill" };
	static const char *const rc[] = { "recycle_cached", "recycle_ring" };
	char name[RTE_ETH_XSTATS_NAME_SIZE];
	uint64_t id, v;

	*alloc = *recycled = 0;
	for (unsigned int p = 0; p < c->nb_ports; p++) {
		for (uint16_t q = 0; q < c->queues; q++) {
			for (unsigned int k = 0; k < RTE_DIM(a); k++) {
				snprintf(name, sizeof(name), "rx_q%u_pp_%s", q, a[k]);
				if (rte_eth_xstats_get_id_by_name(c->ports[p], name,
								  &id) == 0 &&
				    rte_eth_xstats_get_by_id(c->ports[p], &id,
							     &v, 1) == 1)
					*alloc += v;
			}
			for (unsigned int k = 0; k < RTE_DIM(rc); k++) {
				snprintf(name, sizeof(name), "rx_q%u_pp_%s", q, rc[k]);
				if (rte_eth_xstats_get_id_by_name(c->ports[p], name,
								  &id) == 0 &&
				    rte_eth_xstats_get_by_id(c->ports[p], &id,
							     &v, 1) == 1)
					*recycled += v;
			}
		}
	}
}

void
txp_report_sample(struct txp_report *r, double t)
{
	const struct txp_conf *c = r->c;
	unsigned int w = 1 + TXP_NACT, i, k;
	struct sample *s;
	uint64_t alloc, recycled;

	if (r->n == r->cap) {
		unsigned int cap = r->cap ? r->cap * 2 : 64;
		struct sample *ns = realloc(r->s, cap * sizeof(*ns));

		if (ns == NULL || r->n >= TXP_MAX_SAMPLES)
			return;
		r->s = ns;
		r->cap = cap;
	}
	s = &r->s[r->n];
	memset(s, 0, sizeof(*s));
	s->t = t;
	s->dt = t - r->last_t;
	if (s->dt <= 0)
		return;
	s->pps = calloc((size_t)c->nb_streams * w, sizeof(double));
	if (s->pps == NULL)
		return;
	for (i = 0; i < c->nb_streams; i++) {
		uint64_t now[1 + TXP_NACT];

		txp_stream_counts(c, i, now);
		for (k = 0; k < w; k++) {
			s->pps[i * w + k] = (now[k] - r->last[i][k]) / s->dt;
			s->tot[k] += s->pps[i * w + k];
			r->last[i][k] = now[k];
		}
	}
	pp_counters(c, &alloc, &recycled);
	s->recycle = alloc > r->last_pp_alloc ?
		     100.0 * (recycled - r->last_pp_recycled) /
		     (alloc - r->last_pp_alloc) : -1;
	r->last_pp_alloc = alloc;
	r->last_pp_recycled = recycled;
	r->last_t = t;
	r->n++;
	if (!c->interactive) /* the prompt shows it on demand */
		print_table(r, s);
}

void
txp_report_show(const struct txp_report *r)
{
	const struct txp_conf *c = r->c;
	uint64_t now[1 + TXP_NACT];

	if (r->n != 0)
		print_table(r, &r->s[r->n - 1]);
	printf("           %-10s %9s %9s %9s %9s %9s %9s %9s\n", "packets",
	       "rx", "DROP", "PASS", "TX", "REDIRECT", "ABORTED", "errors");
	for (unsigned int i = 0; i < c->nb_streams; i++) {
		char name[24];

		txp_stream_counts(c, i, now);
		snprintf(name, sizeof(name), "p%u/q%u", c->streams[i].port,
			 c->streams[i].queue);
		printf("           %-10s %9" PRIu64 " %9" PRIu64 " %9" PRIu64
		       " %9" PRIu64 " %9" PRIu64 " %9" PRIu64 " %9" PRIu64 "\n",
		       name, now[0], now[1 + TXP_DROP], now[1 + TXP_PASS],
		       now[1 + TXP_TX], now[1 + TXP_REDIRECT],
		       now[1 + TXP_ABORTED], now[1 + TXP_ERROR]);
	}
	fflush(stdout);
}

/* The live table of sample @s. */
static void
print_table(const struct txp_report *r, const struct sample *s)
{
	const struct txp_conf *c = r->c;
	unsigned int w = 1 + TXP_NACT, i, k;
	char h[1 + TXP_NACT][16];
	double t = s->t;

	printf("\n[%7.1fs] %-10s %9s %9s %9s %9s %9s %9s %9s %8s\n", t,
	       "port/queue", "rx pps", "DROP", "PASS", "TX", "REDIRECT",
	       "ABORTED", "errors", "recycle");
	for (i = 0; i < c->nb_streams; i++) {
		char name[24];

		snprintf(name, sizeof(name), "p%u/q%u", c->streams[i].port,
			 c->streams[i].queue);
		for (k = 0; k < w; k++)
			txp_human(s->pps[i * w + k], h[k], sizeof(h[k]));
		printf("           %-10s %9s %9s %9s %9s %9s %9s %9s\n", name,
		       h[0], h[1 + TXP_DROP], h[1 + TXP_PASS], h[1 + TXP_TX],
		       h[1 + TXP_REDIRECT], h[1 + TXP_ABORTED], h[1 + TXP_ERROR]);
	}
	for (k = 0; k < w; k++)
		txp_human(s->tot[k], h[k], sizeof(h[k]));
	printf("           %-10s %9s %9s %9s %9s %9s %9s %9s", "total", h[0],
	       h[1 + TXP_DROP], h[1 + TXP_PASS], h[1 + TXP_TX],
	       h[1 + TXP_REDIRECT], h[1 + TXP_ABORTED], h[1 + TXP_ERROR]);
	if (s->recycle >= 0)
		printf(" %7.1f%%", s->recycle);
	printf("\n");
	fflush(stdout);
}

static int
cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* min, median, max of column k over the samples */
static void
stats(const struct txp_report *r, unsigned int k, double out[3])
{
	double *v = malloc(sizeof(double) * (r->n ? r->n : 1));
	unsigned int i;

	out[0] = out[1] = out[2] = 0;
	if (v == NULL || r->n == 0) {
		free(v);
		return;
	}
	for (i = 0; i < r->n; i++)
		v[i] = r->s[i].tot[k];
	qsort(v, r->n, sizeof(double), cmp);
	out[0] = v[0];
	out[1] = r->n % 2 ? v[r->n / 2] : (v[r->n / 2 - 1] + v[r->n / 2]) / 2;
	out[2] = v[r->n - 1];
	free(v);
}

static int
write_json(const struct txp_report *r, const uint64_t *totals)
{
	const struct txp_conf *c = r->c;
	FILE *f = fopen(c->json, "w");
	unsigned int w = 1 + TXP_NACT, i, k;
	double st[3];

	if (f == NULL)
		return -errno;
	if (c->obj != NULL)
		fprintf(f, "{\n  \"config\": {\"object\": \"%s\", \"program\": "
			"\"%s\", \"mode\": \"%s\", \"ports\": [",
			c->xdp_obj, c->xdp_prog, txp_mode_name(c));
	else
		fprintf(f, "{\n  \"config\": {\"object\": null, \"program\": "
			"null, \"mode\": \"fwd\", \"fwd\": \"%s\", \"ports\": [",
			txp_fwd_name(c->fwd));
	for (i = 0; i < c->nb_ports; i++) {
		char name[RTE_ETH_NAME_MAX_LEN] = "";

		rte_eth_dev_get_name_by_port(c->ports[i], name);
		fprintf(f, "%s{\"id\": %u, \"name\": \"%s\"}", i ? ", " : "",
			c->ports[i], name);
	}
	fprintf(f, "], \"queues\": %u, \"lcores\": [", c->queues);
	for (i = 0; i < c->nb_lcores; i++)
		fprintf(f, "%s%u", i ? ", " : "", c->lcores[i]);
	fprintf(f, "], \"interval\": %g, \"dpdk_version\": \"%s\", "
		"\"version\": \"%s\"},\n  \"samples\": [\n", c->interval,
		rte_version(), MLX5X_VERSION);
	for (i = 0; i < r->n; i++) {
		const struct sample *s = &r->s[i];

		fprintf(f, "    {\"t\": %.3f, \"rx_pps\": %.1f", s->t, s->tot[0]);
		for (k = 0; k < TXP_NACT; k++)
			fprintf(f, ", \"%s_pps\": %.1f", txp_act_name[k],
				s->tot[1 + k]);
		if (s->recycle >= 0)
			fprintf(f, ", \"pp_recycle_pct\": %.2f", s->recycle);
		fprintf(f, ", \"streams\": [");
		for (unsigned int j = 0; j < c->nb_streams; j++) {
			fprintf(f, "%s{\"port\": %u, \"queue\": %u, \"rx_pps\": %.1f",
				j ? ", " : "", c->streams[j].port,
				c->streams[j].queue, s->pps[j * w]);
			for (k = 0; k < TXP_NACT; k++)
				fprintf(f, ", \"%s_pps\": %.1f", txp_act_name[k],
					s->pps[j * w + 1 + k]);
			fprintf(f, "}");
		}
		fprintf(f, "]}%s\n", i + 1 < r->n ? "," : "");
	}
	stats(r, 0, st);
	fprintf(f, "  ],\n  \"summary\": {\"rx_pps\": %.1f, \"actions\": {", st[1]);
	for (k = 0; k < TXP_NACT - 1; k++) {
		stats(r, 1 + k, st);
		fprintf(f, "%s\"%s\": %.1f", k ? ", " : "", txp_act_name[k], st[1]);
	}
	fprintf(f, "}, \"totals\": {\"rx\": %" PRIu64, totals[0]);
	for (k = 0; k < TXP_NACT - 1; k++)
		fprintf(f, ", \"%s\": %" PRIu64, txp_act_name[k], totals[1 + k]);
	fprintf(f, "}, \"errors\": %" PRIu64 "}\n}\n", totals[1 + TXP_ERROR]);
	return fclose(f) == 0 ? 0 : -errno;
}

int
txp_report_finish(struct txp_report *r)
{
	const struct txp_conf *c = r->c;
	uint64_t totals[1 + TXP_NACT] = {0};
	unsigned int k, i;
	double st[3];
	char a[16], b[16], m[16];
	int rc = 0;

	for (i = 0; i < c->nb_streams; i++) {
		uint64_t now[1 + TXP_NACT];

		txp_stream_counts(c, i, now);
		for (k = 0; k < 1 + TXP_NACT; k++)
			totals[k] += now[k];
	}
	printf("\n==== summary over %u samples (pps: min / median / max) ====\n",
	       r->n);
	for (k = 0; k < 1 + TXP_NACT; k++) {
		stats(r, k, st);
		txp_human(st[0], a, sizeof(a));
		txp_human(st[1], m, sizeof(m));
		txp_human(st[2], b, sizeof(b));
		printf("  %-9s %9s / %9s / %9s   total %" PRIu64 "\n",
		       k ? txp_act_name[k - 1] : "rx", a, m, b, totals[k]);
	}
	{
		uint64_t sum = 0;

		for (k = 1; k < 1 + TXP_NACT; k++)
			sum += totals[k];
		printf("  rx = drop + pass + tx + redirect + aborted + error: "
		       "%" PRIu64 " = %" PRIu64 " (%s)\n", totals[0], sum,
		       totals[0] == sum ? "ok" : "MISMATCH");
		if (totals[0] != sum)
			rc = -EIO;
	}
	if (c->json != NULL) {
		int jr = write_json(r, totals);

		if (jr != 0) {
			fprintf(stderr, "testpmd-xdp: --json %s: %s\n", c->json,
				strerror(-jr));
			rc = jr;
		} else {
			printf("  JSON written to %s\n", c->json);
		}
	}
	for (i = 0; i < r->n; i++)
		free(r->s[i].pps);
	free(r->s);
	free(r);
	return rc;
}
