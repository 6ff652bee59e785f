/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Helper prototypes for the verifier: each helper xdp_compat provides,
 * with its argument and return types and the map types it accepts, as
 * the kernel's bpf_func_proto and check_map_func_compatibility give
 * them. A helper without a prototype here cannot be called.
 */
#include <linux/bpf.h>
#include <stddef.h>

#include "xdpc_verify.h"

#define M(t) (1u << BPF_MAP_TYPE_##t)
#define DATA_MAPS (M(HASH) | M(ARRAY) | M(PERCPU_HASH) | M(PERCPU_ARRAY) | \
		   M(LRU_HASH) | M(LRU_PERCPU_HASH) | M(LPM_TRIE))
#define P(id, ...) [BPF_FUNC_##id] = { "bpf_" #id, __VA_ARGS__ }

static const struct xdpc_proto protos[] = {
	P(map_lookup_elem, { XA_MAP, XA_KEY }, XR_MAPV_NULL, false,
	  DATA_MAPS | M(ARRAY_OF_MAPS) | M(HASH_OF_MAPS) | M(DEVMAP) |
	  M(DEVMAP_HASH) | M(XSKMAP)),
	P(map_update_elem, { XA_MAP, XA_KEY, XA_VALUE, XA_ANY }, XR_INT, false,
	  DATA_MAPS),
	P(map_delete_elem, { XA_MAP, XA_KEY }, XR_INT, false, DATA_MAPS),
	P(ktime_get_ns, { 0 }, XR_INT, false, 0),
	P(ktime_get_boot_ns, { 0 }, XR_INT, false, 0),
	P(ktime_get_coarse_ns, { 0 }, XR_INT, false, 0),
	P(get_prandom_u32, { 0 }, XR_INT, false, 0),
	P(get_smp_processor_id, { 0 }, XR_INT, false, 0),
	/* variadic: the kernel does not look at r3-r5 */
	P(trace_printk, { XA_MEM_RO, XA_SIZE }, XR_INT, false, 0),
	P(redirect, { XA_ANY, XA_ANY }, XR_INT, false, 0),
	P(redirect_map, { XA_MAP, XA_ANY, XA_ANY }, XR_INT, false,
	  M(DEVMAP) | M(DEVMAP_HASH) | M(CPUMAP) | M(XSKMAP)),
	P(csum_diff, { XA_MEM_RO_NULL, XA_SIZE0, XA_MEM_RO_NULL, XA_SIZE0,
		       XA_ANY }, XR_INT, false, 0),
	P(xdp_adjust_head, { XA_CTX, XA_ANY }, XR_INT, true, 0),
	P(xdp_adjust_meta, { XA_CTX, XA_ANY }, XR_INT, true, 0),
	P(xdp_adjust_tail, { XA_CTX, XA_ANY }, XR_INT, true, 0),
	P(xdp_get_buff_len, { XA_CTX }, XR_INT, false, 0),
	P(xdp_load_bytes, { XA_CTX, XA_ANY, XA_MEM_UNINIT, XA_SIZE }, XR_INT,
	  false, 0),
	/* the kernel keeps packet pointers across it; we do not (the
	 * issue's rule: it writes the packet) */
	P(xdp_store_bytes, { XA_CTX, XA_ANY, XA_MEM_RO, XA_SIZE }, XR_INT,
	  true, 0),
	P(check_mtu, { XA_CTX, XA_ANY, XA_INT, XA_ANY, XA_ANY }, XR_INT, false,
	  0),
	P(fib_lookup, { XA_CTX, XA_MEM_RW, XA_SIZE, XA_ANY }, XR_INT, false, 0),
	P(perf_event_output, { XA_CTX, XA_MAP, XA_ANY, XA_MEM_RO, XA_SIZE0 },
	  XR_INT, false, M(PERF_EVENT_ARRAY)),
	P(ringbuf_output, { XA_MAP, XA_MEM_RO, XA_SIZE0, XA_ANY }, XR_INT,
	  false, M(RINGBUF)),
	P(ringbuf_reserve, { XA_MAP, XA_CONST_SIZE0, XA_ANY }, XR_MEM_NULL,
	  false, M(RINGBUF)),
	P(ringbuf_submit, { XA_RECORD, XA_ANY }, XR_INT, false, 0),
	P(ringbuf_discard, { XA_RECORD, XA_ANY }, XR_INT, false, 0),
	P(ringbuf_query, { XA_MAP, XA_ANY }, XR_INT, false, M(RINGBUF)),
	P(spin_lock, { XA_LOCK }, XR_INT, false, 0),
	P(spin_unlock, { XA_LOCK }, XR_INT, false, 0),
	P(tail_call, { XA_CTX, XA_MAP, XA_ANY }, XR_INT, false, M(PROG_ARRAY)),
	P(loop, { XA_ANY, XA_FUNC, XA_STACK_NULL, XA_ANY }, XR_INT, false, 0),
};

const struct xdpc_proto *
xdpc_proto(uint32_t id)
{
	if (id >= sizeof(protos) / sizeof(protos[0]) || protos[id].name == NULL)
		return NULL;
	return &protos[id];
}

bool
xdpc_vmap_prog_writable(uint32_t type, uint32_t flags, bool readonly)
{
	/* the kernel sets BPF_F_RDONLY_PROG on these itself */
	if (type == BPF_MAP_TYPE_DEVMAP || type == BPF_MAP_TYPE_DEVMAP_HASH ||
	    type == BPF_MAP_TYPE_XSKMAP || type == BPF_MAP_TYPE_CPUMAP)
		return false;
	return !readonly && !(flags & BPF_F_RDONLY_PROG);
}
