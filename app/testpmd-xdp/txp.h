/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * testpmd-xdp internals: the run configuration, the per-stream counters
 * the forwarding lcores write, and the pieces (forwarding, reporting)
 * main.c puts together.
 */
#ifndef TXP_H
#define TXP_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <rte_ethdev.h>

#include "xdpc.h"

#define TXP_MAX_STREAMS 64
#define TXP_MAX_SAMPLES 100000

enum txp_fwd { TXP_FWD_RXONLY, TXP_FWD_IO, TXP_FWD_MACSWAP };

/* Where XDP runs: auto = native on mlx5x ports, generic elsewhere. */
enum txp_mode { TXP_MODE_AUTO, TXP_MODE_NATIVE, TXP_MODE_GENERIC };

/* Every received packet ends in exactly one of these (as XDP actions do):
 * rx = drop + pass + tx + redirect + aborted + error. */
enum txp_act {
	TXP_DROP, TXP_PASS, TXP_TX, TXP_REDIRECT, TXP_ABORTED, TXP_ERROR,
	TXP_NACT
};
extern const char *const txp_act_name[TXP_NACT];

/* One (port, queue), polled by one lcore. Counters are written by that
 * lcore only, read by the main lcore with relaxed loads. */
struct txp_stream {
	uint16_t port, queue;
	unsigned int lcore;
	uint64_t rx;
	uint64_t act[TXP_NACT];
	/* XDP on this stream (the lcore reads it every burst): what comes
	 * up was passed, and the counts are the program's */
	volatile bool xdp;
	bool native;
	/* counts of programs detached since (interactive unload) */
	uint64_t base[1 + TXP_NACT];
	/* a change the prompt asks for, carried out by the polling lcore
	 * between two bursts so that no frame is counted twice or not at
	 * all: 1 attach req_prog (native or not), 2 detach; 0 when done */
	volatile int req;
	struct xdpc_prog *req_prog;
	bool req_native;
	int req_rc;
	uint32_t dm_id;         /* devmem binding of the queue, 0: none */
} __rte_cache_aligned;

struct txp_conf {
	enum txp_fwd fwd;
	uint16_t ports[RTE_MAX_ETHPORTS];
	uint16_t nb_ports;
	uint16_t queues;
	uint16_t burst;
	uint16_t rxd, txd;
	double duration;        /* seconds; 0 = until Ctrl-C */
	double interval;
	const char *json;
	/* XDP */
	enum txp_mode mode;
	bool interactive;
	const char *xdp_obj;
	const char *xdp_prog;
	const char *sets[64];
	unsigned int nsets;
	const char *map_updates[64][2];  /* MAP, KEY=VALUE */
	unsigned int nmap_updates;
	const char *map_dumps[64];
	unsigned int nmap_dumps;
	const char *capture;      /* pcap file, or NULL */
	unsigned int devmem_mib;  /* --devmem: region per port, 0: off */
	uint32_t devmem_ids[RTE_MAX_ETHPORTS];
	struct xdpc_obj *obj;
	/* objects replaced at the prompt: kept until exit, as a generic
	 * callback may still be running them */
	struct xdpc_obj *old_objs[64];
	unsigned int nold;
	struct txp_stream streams[TXP_MAX_STREAMS];
	unsigned int nb_streams;
	unsigned int lcores[RTE_MAX_LCORE];
	unsigned int nb_lcores;
	volatile bool running;    /* forwarding lcores launched */
};

extern volatile int txp_quit;

/* devmem.c: --devmem. Bind each port's queues to a memfd region (0 or
 * an exit code, message printed); the report and unbind at the end
 * (1 when chunks were still held). */
int txp_devmem_setup(struct txp_conf *c);
int txp_devmem_finish(struct txp_conf *c);

/* fwd.c */
const char *txp_fwd_name(enum txp_fwd f);
int txp_fwd_lcore(void *conf);
/* Stream @i's counters: rx then each action (enum txp_act order). */
void txp_stream_counts(const struct txp_conf *c, unsigned int i,
		       uint64_t out[1 + TXP_NACT]);
/* Load the XDP object and attach it to every stream. 0 or exit code. */
int txp_xdp_setup(struct txp_conf *c);
/* Attach @prog to the streams of @port (-1: all), natively or generic as
 * the mode says, replacing what runs there. 0 or -errno (message
 * printed). */
int txp_xdp_attach(struct txp_conf *c, struct xdpc_prog *prog, int port);
/* Detach from the streams of @port (-1: all), keeping their counts. */
void txp_xdp_detach(struct txp_conf *c, int port);
/* "native", "generic", "mixed" (or "fwd" without a program). */
const char *txp_mode_name(const struct txp_conf *c);
/* One line on @f: what the verifier did to accept @prog. */
void txp_print_verified(FILE *f, const struct xdpc_prog *prog);

/* maps.c: globals and maps by name from the command line. Set a
 * const volatile integer from "GLOBAL=VALUE" before load (0, or <0 with
 * @err); dump the named maps (all when @nnames is 0) as JSON; update MAP
 * from "KEY=VALUE" (numbers, or hex:BYTES). */
int txp_set_global(struct xdpc_obj *obj, const char *set, char *err,
		   size_t errlen);
void txp_map_dump(struct xdpc_obj *obj, const char *const *names,
		  unsigned int nnames, FILE *f);
int txp_map_update(struct xdpc_obj *obj, const char *name, const char *kv,
		   char *err, size_t errlen);

/* btf_fields.c: a map's key or value type from the object's BTF,
 * flattened into named scalar fields. */
#define TXP_MAX_FIELDS 32
enum txp_field_kind { TXP_F_UINT, TXP_F_SINT, TXP_F_BYTES };
struct txp_field {
	char name[96];          /* "" for a plain integer key or value */
	uint32_t off, size;
	enum txp_field_kind kind;
};
struct txp_fields {
	unsigned int n;
	struct txp_field f[TXP_MAX_FIELDS];
};
/* 0, or -ENOENT when the object has no usable BTF for it. */
int txp_btf_fields(const char *obj_path, const char *map, bool value,
		   uint32_t size, struct txp_fields *out);
/* "{field=value,...}" into @buf (fields left out are 0). */
int txp_fields_parse(const struct txp_fields *fs, const char *text,
		     uint8_t *buf, uint32_t size, char *err, size_t errlen);
/* A JSON object of the fields (a bare number for a plain integer). */
void txp_fields_print(const struct txp_fields *fs, const uint8_t *buf,
		      FILE *f);

/* capture.c: --capture. open: 0 or -1 (message printed); close returns
 * the frames written. */
int txp_capture_open(const char *path);
void txp_capture(struct rte_mbuf **b, uint16_t n);
uint64_t txp_capture_close(void);

struct txp_report;

/* cli.c: the -i prompt (DPDK cmdline). Open, then poll from the main
 * loop; returns nonzero once the user quit. */
int txp_cli_open(struct txp_conf *c, struct txp_report *r);
int txp_cli_poll(void);
void txp_cli_close(void);
/* bench.c: testpmd-xdp bench (argv[0] is "bench"), after EAL init */
int txp_bench(int argc, char **argv);

/* prog_run.c: testpmd-xdp prog-run (argv[0] is "prog-run") */
int txp_prog_run(int argc, char **argv);

/* report.c */
struct txp_report;
struct txp_report *txp_report_new(const struct txp_conf *c);
/* Take a sample now; print the live table. */
void txp_report_sample(struct txp_report *r, double t);
/* The last sample's table and the totals so far (the prompt's show stats). */
void txp_report_show(const struct txp_report *r);
/* Summary on stdout, and the JSON file when asked. Returns 0 or -errno. */
int txp_report_finish(struct txp_report *r);
void txp_human(double v, char *buf, size_t len);

#endif
