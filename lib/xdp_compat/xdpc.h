/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * xdp_compat: run unmodified XDP ELF objects (clang -target bpf, libbpf
 * conventions) in userspace. Open an object, set `const volatile`
 * globals, load (relocate), then run a program over XDP buffers, and
 * read or change its maps by name.
 */
#ifndef XDPC_H
#define XDPC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct xdpc_obj;
struct xdpc_prog;
struct xdpc_map;

/** Headroom an XDP buffer has before data, as the kernel's. */
#define XDPC_HEADROOM 256u

/** XDP actions (linux/bpf.h values). */
enum xdpc_action {
	XDPC_ABORTED = 0, XDPC_DROP, XDPC_PASS, XDPC_TX, XDPC_REDIRECT,
};

/** One fragment of a multi-buffer frame (xdp.frags programs). */
struct xdpc_frag {
	uint8_t *data;         /**< Its bytes... */
	uint32_t len;          /**< ...this many. */
	uint32_t room;         /**< Bytes the buffer has from data on. */
};

/** Most fragments a frame has after its linear part (MAX_SKB_FRAGS). */
#define XDPC_MAX_FRAGS 17u

/**
 * One packet: a buffer of @c frame_sz bytes with the frame at
 * [data, data_end) and metadata at [data_meta, data). The program may
 * move data, data_meta and data_end (adjust_head/meta/tail) within the
 * buffer, as the kernel allows.
 */
struct xdpc_buff {
	uint8_t *hard_start;   /**< Start of the buffer (headroom first). */
	uint8_t *data_meta;
	uint8_t *data;
	uint8_t *data_end;
	uint32_t frame_sz;     /**< Buffer size from hard_start. */
	uint32_t ingress_ifindex;
	uint32_t rx_queue_index;
	uint32_t egress_ifindex;
	uint32_t cpu;              /**< Per-CPU map slot (the lcore id). */
	/* set by a run, for XDPC_REDIRECT */
	uint32_t redirect_ifindex; /**< Target (bpf_redirect, or the map's). */
	struct xdpc_map *redirect_map; /**< Set by bpf_redirect_map. */
	uint64_t redirect_flags;   /**< BPF_F_BROADCAST, BPF_F_EXCLUDE_INGRESS. */
	uint32_t redirect_key;     /**< The XSKMAP / CPUMAP slot. */
	/** Multi-buffer: fragments after [data, data_end), for programs in
	 *  "xdp.frags" sections (bpf_xdp_get_buff_len, load/store_bytes and
	 *  adjust_tail see them); 0 and NULL otherwise. adjust_tail may
	 *  shorten or empty the last fragments: nr_frags tells what is left. */
	uint32_t nr_frags;
	struct xdpc_frag *frags;
};

/** How programs run: the x86-64 JIT (the default where there is one)
 *  or the reference interpreter. */
enum xdpc_engine {
	XDPC_ENGINE_JIT = 0,
	XDPC_ENGINE_INTERP = 1,
};

/** The engine for programs of objects loaded from now on (JIT falls
 *  back to the interpreter where the JIT is not available). */
void xdpc_set_default_engine(enum xdpc_engine e);

/** Switch a loaded program's engine (compiling it for the JIT when
 *  needed): 0, -ENOTSUP where there is no JIT, or -EINVAL for a program
 *  loaded without the verifier. */
int xdpc_prog_set_engine(struct xdpc_prog *prog, enum xdpc_engine e);

/** The engine xdpc_prog_run uses for @p prog. */
enum xdpc_engine xdpc_prog_engine(const struct xdpc_prog *prog);

/** What the verifier did to accept a program (at load). */
struct xdpc_verify_stats {
	uint64_t insns_processed; /**< Instructions walked over all paths. */
	uint32_t states;          /**< States kept for pruning. */
	uint64_t ns;              /**< Time taken. */
	uint32_t stack_depth;     /**< Deepest combined stack over calls. */
};

/** Instructions in @p prog, its subprograms included. */
unsigned int xdpc_prog_insn_count(const struct xdpc_prog *prog);

/** The verifier's figures for @p prog (zero before load). */
void xdpc_prog_verify_stats(const struct xdpc_prog *prog,
			    struct xdpc_verify_stats *st);

/**
 * The interpreter checks every memory access at run time as well as the
 * verifier's proof, a second line of defence (the default). Off: the
 * proof alone stands, as the JIT's does.
 */
void xdpc_set_runtime_checks(bool on);

/** Does @p prog handle multi-buffer frames ("xdp.frags" section)? */
bool xdpc_prog_frags(const struct xdpc_prog *prog);

/**
 * Open an ELF object. On failure returns NULL and writes a message naming
 * the file, section, symbol or instruction into @p err.
 */
struct xdpc_obj *xdpc_obj_open(const char *path, char *err, size_t errlen);
void xdpc_obj_close(struct xdpc_obj *obj);
/** The file @p obj was opened from. */
const char *xdpc_obj_path(const struct xdpc_obj *obj);

/** Set a global (in .rodata, .data or .bss) before xdpc_obj_load(). */
int xdpc_obj_set_global(struct xdpc_obj *obj, const char *name,
			const void *val, size_t len, char *err, size_t errlen);

/** Size of global @p name in bytes, or -ENOENT (before load only). */
int xdpc_obj_global_size(struct xdpc_obj *obj, const char *name);

/**
 * Relocate the programs: map references, global data, bpf-to-bpf calls;
 * check every helper call. Returns 0 or -errno with @p err set.
 */
int xdpc_obj_load(struct xdpc_obj *obj, char *err, size_t errlen);

/** The program called @p name, or the first XDP program when NULL. */
struct xdpc_prog *xdpc_obj_prog(struct xdpc_obj *obj, const char *name);
const char *xdpc_prog_name(const struct xdpc_prog *prog);
/** Programs in the object, for listing; NULL past the end. */
struct xdpc_prog *xdpc_obj_prog_at(struct xdpc_obj *obj, unsigned int i);

/**
 * Run @p prog on @p buf. Returns the action; a memory access outside the
 * regions the program may touch, or any runtime fault, ends the run as
 * XDPC_ABORTED with a trace in @p trace (when not NULL).
 */
uint32_t xdpc_prog_run(struct xdpc_prog *prog, struct xdpc_buff *buf,
		       char *trace, size_t tracelen);

/** Maps by name, and in order. */
struct xdpc_map *xdpc_obj_map(struct xdpc_obj *obj, const char *name);
struct xdpc_map *xdpc_obj_map_at(struct xdpc_obj *obj, unsigned int i);

struct xdpc_map_info {
	const char *name;
	uint32_t type;         /**< BPF_MAP_TYPE_* */
	uint32_t key_size;
	uint32_t value_size;   /**< Per CPU for per-CPU maps. */
	uint32_t max_entries;
	uint32_t nr_cpus;      /**< Value copies seen by the application. */
	uint32_t id;           /**< What a map-in-map slot holds to name it
				*   (where the kernel holds an fd). */
};
void xdpc_map_info(const struct xdpc_map *map, struct xdpc_map_info *info);

/*
 * Application access, with the kernel's semantics and flags (BPF_ANY,
 * BPF_NOEXIST, BPF_EXIST). Per-CPU maps take and give nr_cpus values
 * back to back, each rounded up to 8 bytes, as bpf(2) does.
 */
int xdpc_map_lookup(struct xdpc_map *map, const void *key, void *value);
int xdpc_map_update(struct xdpc_map *map, const void *key, const void *value,
		    uint64_t flags);
int xdpc_map_delete(struct xdpc_map *map, const void *key);
int xdpc_map_get_next_key(struct xdpc_map *map, const void *key,
			  void *next_key);

/**
 * RINGBUF consumer: call @p cb for each record submitted since the last
 * call, in order (discarded ones skipped). Returns records consumed, or
 * -EINVAL when @p map is not a RINGBUF.
 */
typedef void (*xdpc_ringbuf_cb)(void *ctx, const void *data, uint32_t len);
int xdpc_ringbuf_consume(struct xdpc_map *map, xdpc_ringbuf_cb cb, void *ctx);

struct rte_ring;
struct rte_mbuf;

/**
 * XSKMAP: frames the program redirects to slot @p key go into @p ring
 * (mbufs; any number of RX lcores may produce into it), as to an AF_XDP
 * socket bound to RX queue @p queue_id: a frame from another queue is a
 * redirect error, as in the kernel. @p ring NULL empties the slot, and
 * then the program's miss action applies. Generic XDP delivers these;
 * xdpc_prog_run_burst leaves them to the caller (redirect_map and
 * redirect_key say where). Returns 0 or -EINVAL.
 */
int xdpc_xsk_attach(struct xdpc_map *xskmap, uint32_t key,
		    struct rte_ring *ring, uint32_t queue_id);

/**
 * CPUMAP: entries are made with xdpc_map_update and a struct
 * bpf_cpumap_val (qsize frames, rounded up to a power of two; a second
 * program on the target CPU is not supported: -EOPNOTSUPP), which gives
 * that CPU a queue; xdpc_map_delete drops it and its frames (stop the
 * RX lcores that redirect there first, as for any DPDK callback
 * change: there is no RCU here). Frames redirected to CPU @p cpu wait
 * there until that lcore takes them here.
 * Returns how many were taken.
 */
unsigned int xdpc_cpumap_dequeue(struct xdpc_map *cpumap, uint32_t cpu,
				 struct rte_mbuf **pkts, unsigned int n);

/** Highest ifindex xdpc_netdev_set_mtu takes. */
#define XDPC_MAX_IFINDEX 1023

/**
 * The MTU bpf_check_mtu sees on device @p ifindex (L3 bytes; the devices
 * are Ethernet, 14-byte headers). Without an entry, an ifindex that is a
 * DPDK port + 1 answers with that port's MTU, and any other gives the
 * program -ENODEV, as a missing device does in the kernel. @p mtu 0
 * removes the entry. Returns 0 or -EINVAL.
 */
int xdpc_netdev_set_mtu(uint32_t ifindex, uint32_t mtu);

/** MAC address of device @p ifindex (bpf_fib_lookup's smac). */
int xdpc_netdev_set_mac(uint32_t ifindex, const uint8_t mac[6]);

/**
 * The routing and neighbour tables bpf_fib_lookup answers from, filled
 * by the application as `ip route` / `ip neigh` fill the kernel's. One
 * table (main), longest prefix first, then the lowest metric. Entries
 * are added while programs run; xdpc_fib_flush needs the runs stopped.
 */
struct xdpc_route {
	uint8_t family;        /**< AF_INET or AF_INET6 */
	uint8_t prefix_len;
	uint8_t type;          /**< RTN_UNICAST, RTN_BLACKHOLE,
				*   RTN_UNREACHABLE, RTN_PROHIBIT */
	uint8_t dst[16];       /**< network order, 4 bytes for IPv4 */
	uint8_t gw[16];        /**< all zero: directly connected */
	uint32_t ifindex;      /**< egress device */
	uint32_t metric;
	uint32_t mtu;          /**< 0: the egress device's */
};
struct xdpc_neigh {
	uint8_t family;
	uint8_t addr[16];
	uint32_t ifindex;
	uint8_t mac[6];
};
/** Returns 0, -EINVAL (bad family, prefix or type) or -ENOSPC. */
int xdpc_fib_route_add(const struct xdpc_route *route);
/** A neighbour reachable on ifindex (replaces one with the same
 *  address and device). Returns 0, -EINVAL or -ENOSPC. */
int xdpc_fib_neigh_add(const struct xdpc_neigh *neigh);
void xdpc_fib_flush(void);

/**
 * Where the REDIRECT verdict @p buf just got sends it, for callers that
 * act on verdicts themselves (a driver's native hook). A device target
 * (bpf_redirect, DEVMAP, DEVMAP_HASH) fills @p ifindex with up to @p max
 * ifindexes (every entry of the map with BPF_F_BROADCAST, the ingress
 * device left out with BPF_F_EXCLUDE_INGRESS) and returns how many; an
 * XSKMAP or CPUMAP slot sets @p *ring and returns 0. Returns -ENOENT for
 * an empty target, -EINVAL for an XSKMAP slot bound to another RX queue
 * than buf->rx_queue_index (the kernel's xsk_rcv refuses those).
 */
int xdpc_redirect_targets(const struct xdpc_buff *buf, uint32_t *ifindex,
			  uint32_t max, struct rte_ring **ring);

/** Most buffers one xdpc_prog_run_burst call takes. */
#define XDPC_BURST_MAX 512

/**
 * Redirect flush: the buffers of one burst sent to @p ifindex, in burst
 * order, handed over once the whole burst has run (as xdp_do_flush). With
 * BPF_F_BROADCAST the same buffer goes to every target in the map, and
 * it is the callee's to copy it.
 */
typedef void (*xdpc_flush_fn)(void *ctx, uint32_t ifindex,
			      struct xdpc_buff *const *bufs, uint16_t n);

/**
 * Run @p prog over @p n (at most XDPC_BURST_MAX) buffers; @p actions[i]
 * gets the verdict of @p bufs[i]. The REDIRECTs are grouped by target and
 * flushed at the end of the burst through @p flush, one call per target
 * in the order first seen (@p flush NULL: read each buffer's redirect
 * fields instead). Returns how many buffers were redirected, or -EINVAL.
 */
int xdpc_prog_run_burst(struct xdpc_prog *prog, struct xdpc_buff *const *bufs,
			uint16_t n, uint32_t *actions, xdpc_flush_fn flush,
			void *ctx);

/**
 * PERF_EVENT_ARRAY consumer side. As perf_buffer__new() puts a per-CPU
 * perf event in each slot, xdpc_perf_open() gives slot @p index a ring of
 * @p size bytes (a power of two, at least 4096) bound to CPU @p cpu
 * (the xdpc_buff cpu of the runs that write it). A program writing to a
 * slot that is not open gets -ENOENT, to a slot bound to another CPU
 * -EOPNOTSUPP, to a full ring -ENOSPC (counted as lost), as in the kernel.
 * Returns 0, -EINVAL (not a PERF_EVENT_ARRAY, bad index or size), -EBUSY
 * (already open) or -ENOMEM.
 */
int xdpc_perf_open(struct xdpc_map *map, uint32_t index, unsigned int cpu,
		   uint32_t size);
/**
 * Deliver slot @p index's samples in order to @p cb, each as the kernel's
 * raw sample: the program's bytes, then packet bytes, zero padded so that
 * the size plus its 4-byte header is a multiple of 8 (the size libbpf's
 * perf_buffer hands its callback). Returns samples delivered; @p lost (may
 * be NULL) gets the samples dropped on a full ring since the last call.
 * One consumer per slot, concurrently with the writing lcore.
 */
typedef void (*xdpc_perf_cb)(void *ctx, uint32_t index, const void *data,
			     uint32_t size);
int xdpc_perf_consume(struct xdpc_map *map, uint32_t index, xdpc_perf_cb cb,
		      void *ctx, uint64_t *lost);

/*
 * Map types with a special value: PROG_ARRAY holds program index + 1
 * (0 = empty) where the kernel holds a program fd; DEVMAP and DEVMAP_HASH
 * hold an ifindex, which is DPDK port id + 1.
 */

/*
 * Generic XDP on any DPDK port: the program runs on every received burst
 * of (port, queue), on mbufs after the PMD built them, through an ethdev
 * RX callback. DROP and ABORTED free the mbuf; TX sends it back out of
 * the same port and queue in bulk; REDIRECT sends it to the port whose
 * ifindex (port id + 1) the program named, queued and flushed at the end
 * of the burst as xdp_do_flush does; PASS returns it to the application.
 * Needs DPDK built with RX/TX callbacks (Debian's is).
 */
struct xdpc_generic_stats {
	uint64_t rx;
	uint64_t act[5];          /**< By enum xdpc_action. */
	uint64_t tx_errors;       /**< XDP_TX frames the port did not take. */
	uint64_t redirect_errors; /**< Redirected frames the target refused. */
	uint64_t too_big;         /**< Multi-segment frames without xdp.frags,
				   *   or with more than XDPC_MAX_FRAGS + 1. */
};

int xdpc_generic_attach(uint16_t port, uint16_t queue, struct xdpc_prog *prog);
/**
 * Remove the program and free its attachment. As for any DPDK RX
 * callback, no lcore may be inside this queue's rx_burst meanwhile: call
 * it with the queue stopped or unpolled, or from the polling lcore
 * between two bursts.
 */
int xdpc_generic_detach(uint16_t port, uint16_t queue);
/**
 * Replace the program of an attachment, keeping its counters: the next
 * burst runs @p prog. The previous program may still be running the
 * current burst; free it only once the polling lcore is past it.
 * Returns 0, -ENOENT (nothing attached) or -EINVAL.
 */
int xdpc_generic_replace(uint16_t port, uint16_t queue, struct xdpc_prog *prog);
int xdpc_generic_stats(uint16_t port, uint16_t queue,
		       struct xdpc_generic_stats *st);

#ifdef __cplusplus
}
#endif
#endif
