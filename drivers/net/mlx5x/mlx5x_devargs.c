/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net_mlx5x devargs: every key is known and range-checked; anything else
 * fails the probe with a message that names the devarg.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_kvargs.h>
#include <rte_log.h>

#include "mlx5x_devargs.h"

extern int mlx5x_logtype;
#define DA_ERR(fmt, ...) \
	rte_log(RTE_LOG_ERR, mlx5x_logtype, "mlx5x: %s: " fmt "\n", name, \
		##__VA_ARGS__)

static const char *const keys[] = {
	"wire", "gen_size", "gen_flows", "gen_pps", "gen_count", "rx_pcap",
	"tx_pcap", "pcap_loop", "iface", "peer", "dev_mode", "dev_cpu", "mprq",
	"mprq_log_stride_num", "mprq_log_stride_size", "cqe_comp",
	"cqe_comp_fmt", "rxq_size", "txq_size", "txq_comp_every", "page_size",
	"xdp", "xdp_prog", NULL,
};

struct ctx {
	const char *name;
	struct mlx5x_devargs *da;
	int err;
};

static int
num(const char *name, const char *key, const char *v, uint64_t lo,
    uint64_t hi, uint64_t *out)
{
	char *end;
	unsigned long long x;

	errno = 0;
	if (v == NULL || *v == '\0' || *v == '-')
		goto bad;
	x = strtoull(v, &end, 0);
	if (errno != 0 || *end != '\0')
		goto bad;
	if (x < lo || x > hi) {
		DA_ERR("devarg %s=%s out of range [%llu, %llu]", key, v,
		       (unsigned long long)lo, (unsigned long long)hi);
		return -EINVAL;
	}
	*out = x;
	return 0;
bad:
	DA_ERR("devarg %s=%s: not a number", key, v ? v : "");
	return -EINVAL;
}

static int
on_kv(const char *key, const char *v, void *opaque)
{
	struct ctx *c = opaque;
	struct mlx5x_devargs *da = c->da;
	const char *name = c->name;
	uint64_t x;
	int rc = 0;

#define NUM(lo, hi) (rc = num(name, key, v, lo, hi, &x))
	if (!strcmp(key, "wire")) {
		static const struct { const char *n; const struct mlx5x_wire_ops *o; } w[] = {
			{ "gen", &mlx5x_wire_gen }, { "pcap", &mlx5x_wire_pcap },
			{ "iface", &mlx5x_wire_iface }, { "peer", &mlx5x_wire_peer },
			{ "loop", &mlx5x_wire_loop },
		};
		unsigned int i;

		for (i = 0; i < RTE_DIM(w); i++)
			if (v && !strcmp(v, w[i].n))
				break;
		if (i == RTE_DIM(w)) {
			DA_ERR("devarg wire=%s: expected gen, pcap, iface, peer or loop",
			       v ? v : "");
			rc = -EINVAL;
		} else {
			da->wire_ops = w[i].o;
		}
	} else if (!strcmp(key, "gen_size")) {
		if (!NUM(60, 9216)) da->gen_size = x;
	} else if (!strcmp(key, "gen_flows")) {
		if (!NUM(1, 65536)) da->gen_flows = x;
	} else if (!strcmp(key, "gen_pps")) {
		if (!NUM(0, 1000000000000ull)) da->gen_pps = x;
	} else if (!strcmp(key, "gen_count")) {
		if (!NUM(0, UINT64_MAX)) da->gen_count = x;
	} else if (!strcmp(key, "rx_pcap") || !strcmp(key, "tx_pcap")) {
		char *dst = key[0] == 'r' ? da->rx_pcap : da->tx_pcap;

		if (v == NULL || *v == '\0' || strlen(v) >= PATH_MAX) {
			DA_ERR("devarg %s: a file name is required", key);
			rc = -EINVAL;
		} else {
			strcpy(dst, v);
		}
	} else if (!strcmp(key, "pcap_loop")) {
		if (!NUM(0, 1)) da->pcap_loop = x;
	} else if (!strcmp(key, "iface")) {
		if (v == NULL || *v == '\0' || strlen(v) >= IF_NAMESIZE) {
			DA_ERR("devarg iface=%s: not an interface name", v ? v : "");
			rc = -EINVAL;
		} else {
			strcpy(da->iface, v);
		}
	} else if (!strcmp(key, "peer")) {
		if (v == NULL || *v == '\0' || strlen(v) >= sizeof(da->peer)) {
			DA_ERR("devarg peer=%s: not a port name", v ? v : "");
			rc = -EINVAL;
		} else {
			strcpy(da->peer, v);
		}
	} else if (!strcmp(key, "xdp")) {
		if (v == NULL || *v == '\0' || strlen(v) >= sizeof(da->xdp)) {
			DA_ERR("devarg xdp: an XDP object file is required");
			rc = -EINVAL;
		} else {
			strcpy(da->xdp, v);
		}
	} else if (!strcmp(key, "xdp_prog")) {
		if (v == NULL || *v == '\0' || strlen(v) >= sizeof(da->xdp_prog)) {
			DA_ERR("devarg xdp_prog=%s: not a program name", v ? v : "");
			rc = -EINVAL;
		} else {
			strcpy(da->xdp_prog, v);
		}
	} else if (!strcmp(key, "dev_mode")) {
		if (v && !strcmp(v, "thread")) {
			da->dev_mode = MLX5X_DEV_THREAD;
		} else if (v && !strcmp(v, "inline")) {
			da->dev_mode = MLX5X_DEV_INLINE;
		} else {
			DA_ERR("devarg dev_mode=%s: expected thread or inline",
			       v ? v : "");
			rc = -EINVAL;
		}
	} else if (!strcmp(key, "dev_cpu")) {
		long ncpu = sysconf(_SC_NPROCESSORS_CONF);

		if (!NUM(0, ncpu > 0 ? (uint64_t)ncpu - 1 : 0)) da->dev_cpu = x;
	} else if (!strcmp(key, "mprq")) {
		if (!NUM(0, 1)) da->mprq = x;
	} else if (!strcmp(key, "mprq_log_stride_num")) {
		if (!NUM(3, 6)) da->mprq_log_stride_num = x;
	} else if (!strcmp(key, "mprq_log_stride_size")) {
		if (!NUM(6, 13)) da->mprq_log_stride_size = x;
	} else if (!strcmp(key, "cqe_comp")) {
		if (!NUM(0, 1)) da->cqe_comp = x;
	} else if (!strcmp(key, "cqe_comp_fmt")) {
		if (v && !strcmp(v, "hash")) {
			da->cqe_comp_fmt_hash = true;
		} else if (v && !strcmp(v, "csum")) {
			da->cqe_comp_fmt_hash = false;
		} else {
			DA_ERR("devarg cqe_comp_fmt=%s: expected hash or csum",
			       v ? v : "");
			rc = -EINVAL;
		}
	} else if (!strcmp(key, "rxq_size") || !strcmp(key, "txq_size")) {
		if (!NUM(64, 32768)) {
			if (x & (x - 1)) {
				DA_ERR("devarg %s=%s: must be a power of two", key, v);
				rc = -EINVAL;
			} else if (key[0] == 'r') {
				da->rxq_size = x;
			} else {
				da->txq_size = x;
			}
		}
	} else if (!strcmp(key, "txq_comp_every")) {
		if (!NUM(1, 64)) da->txq_comp_every = x;
	} else if (!strcmp(key, "page_size")) {
		if (!NUM(2048, 65536)) {
			if (x & (x - 1)) {
				DA_ERR("devarg page_size=%s: must be a power of two", v);
				rc = -EINVAL;
			} else {
				da->page_size = x;
			}
		}
	}
#undef NUM
	if (rc != 0)
		c->err = rc;
	return 0;
}

int
mlx5x_devargs_parse(const char *name, const char *args, struct mlx5x_devargs *da)
{
	struct rte_kvargs *kv = NULL;
	struct ctx c = { name, da, 0 };

	memset(da, 0, sizeof(*da));
	da->wire_ops = &mlx5x_wire_gen;
	da->gen_size = 60;
	da->gen_flows = 1;
	da->dev_mode = MLX5X_DEV_THREAD;
	da->dev_cpu = -1;
	da->mprq_log_stride_num = 4;
	da->mprq_log_stride_size = 11;
	da->cqe_comp_fmt_hash = true;
	da->rxq_size = 1024;
	da->txq_size = 1024;
	da->txq_comp_every = 32;
	da->page_size = 4096;

	if (args != NULL && *args != '\0') {
		/* rte_kvargs rejects keys outside the list; say which. */
		kv = rte_kvargs_parse(args, NULL);
		if (kv == NULL) {
			DA_ERR("devargs \"%s\": cannot parse (expected key=value,...)",
			       args);
			return -EINVAL;
		}
		for (unsigned int i = 0; i < kv->count; i++) {
			unsigned int k;

			for (k = 0; keys[k] != NULL; k++)
				if (!strcmp(kv->pairs[i].key, keys[k]))
					break;
			if (keys[k] == NULL) {
				DA_ERR("unknown devarg \"%s\"; known: %s",
				       kv->pairs[i].key, MLX5X_PMD_PARAMS);
				rte_kvargs_free(kv);
				return -EINVAL;
			}
			on_kv(kv->pairs[i].key, kv->pairs[i].value, &c);
		}
		rte_kvargs_free(kv);
	}
	if (c.err != 0)
		return c.err;
	if (da->dev_cpu < 0) {
		long ncpu = sysconf(_SC_NPROCESSORS_ONLN);

		da->dev_cpu = ncpu > 1 ? (int)ncpu - 1 : 0;
	}
	if (da->wire_ops == &mlx5x_wire_pcap && !da->rx_pcap[0] && !da->tx_pcap[0]) {
		DA_ERR("devarg wire=pcap needs rx_pcap=FILE and/or tx_pcap=FILE");
		return -EINVAL;
	}
	if (da->wire_ops == &mlx5x_wire_iface && !da->iface[0]) {
		DA_ERR("devarg wire=iface needs iface=IFNAME");
		return -EINVAL;
	}
	if (da->wire_ops == &mlx5x_wire_peer && !da->peer[0]) {
		DA_ERR("devarg wire=peer needs peer=PORT (e.g. net_mlx5x1)");
		return -EINVAL;
	}
	if (da->xdp_prog[0] && !da->xdp[0]) {
		DA_ERR("devarg xdp_prog=%s needs xdp=FILE.o", da->xdp_prog);
		return -EINVAL;
	}
	if (da->xdp[0] && da->mprq) {
		DA_ERR("devarg xdp=%s: native XDP runs on the cyclic RQ; drop "
		       "mprq=1", da->xdp);
		return -EINVAL;
	}
	if (da->mprq && (1u << (da->mprq_log_stride_num +
				da->mprq_log_stride_size)) > 65536) {
		DA_ERR("devargs mprq_log_stride_num=%u + mprq_log_stride_size=%u: "
		       "a WQE buffer over 64 KiB", da->mprq_log_stride_num,
		       da->mprq_log_stride_size);
		return -EINVAL;
	}
	return 0;
}
