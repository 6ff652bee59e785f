/* SPDX-License-Identifier: BSD-3-Clause */
/* The net_mlx5x devargs: parsed, range-checked, documented in doc/mlx5x.md. */
#ifndef MLX5X_DEVARGS_H
#define MLX5X_DEVARGS_H

#include <limits.h>
#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>

#include "mlx5x_emu.h"

struct mlx5x_devargs {
	const struct mlx5x_wire_ops *wire_ops;
	/* gen */
	uint32_t gen_size;       /* frame bytes without FCS, 60..9216 */
	uint32_t gen_flows;      /* distinct UDP flows, 1..65536 */
	uint64_t gen_pps;        /* 0 = as fast as buffers allow */
	uint64_t gen_count;      /* 0 = unlimited */
	/* pcap */
	char rx_pcap[PATH_MAX];
	char tx_pcap[PATH_MAX];
	bool pcap_loop;
	/* iface */
	char iface[IF_NAMESIZE];
	/* peer */
	char peer[64];
	/* device */
	enum mlx5x_dev_mode dev_mode;
	int dev_cpu;             /* -1: the last CPU */
	bool mprq;
	uint32_t mprq_log_stride_num;
	uint32_t mprq_log_stride_size;
	bool cqe_comp;
	bool cqe_comp_fmt_hash;
	uint16_t rxq_size;
	uint16_t txq_size;
	uint16_t txq_comp_every; /* completion moderation: CQE every N WQEs */
	uint32_t page_size;      /* RX buffer (pagepool page) bytes */
	uint32_t port_seq;       /* nth mlx5x port, for a default MAC */
	/* native XDP on every RX queue */
	char xdp[PATH_MAX];      /* object file */
	char xdp_prog[64];       /* program in it; "" = the first */
};

/* Parse "k=v,k=v" for device @p name; logs and returns -EINVAL on any
 * unknown key or bad value, naming it. */
int mlx5x_devargs_parse(const char *name, const char *args,
			struct mlx5x_devargs *da);

#define MLX5X_PMD_PARAMS \
	"wire=gen|pcap|iface|peer|loop gen_size=<60-9216> gen_flows=<1-65536> " \
	"gen_pps=<n> gen_count=<n> rx_pcap=<file> tx_pcap=<file> " \
	"pcap_loop=0|1 iface=<ifname> peer=<net_mlx5xN> " \
	"dev_mode=thread|inline dev_cpu=<cpu> mprq=0|1 " \
	"mprq_log_stride_num=<3-6> mprq_log_stride_size=<6-13> " \
	"cqe_comp=0|1 cqe_comp_fmt=hash|csum rxq_size=<64-32768> " \
	"txq_size=<64-32768> txq_comp_every=<1-64> page_size=<2048-65536> " \
	"xdp=<file.o> xdp_prog=<name>"

#endif
