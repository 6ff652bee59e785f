// SPDX-License-Identifier: BSD-3-Clause
/* The verifier's negative corpus: each -DCASE_... builds one program
 * that breaks one rule. tests/kernel/test_xdpc_diff.c loads every one
 * into xdp_compat (which must refuse it, for that rule) and into the
 * kernel (whose verdict must match, or the difference be one listed in
 * doc/xdp_compat.md). */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>

struct val8 {
	__u32 a, b;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, struct val8);
} arr SEC(".maps");

#if defined(CASE_MAP_NULL)
/* a hash map: the kernel knows an array lookup with a constant key in
 * range cannot fail, a hash lookup always can */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, struct val8);
} hash SEC(".maps");
#endif

#if defined(CASE_LOCK_HELD)
struct locked {
	struct bpf_spin_lock l;
	__u32 v;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct locked);
} locks SEC(".maps");
#endif

#if defined(CASE_RINGBUF_LEAK)
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} rb SEC(".maps");
#endif

#if defined(CASE_RODATA_WRITE)
const volatile __u32 knob = 3;
#endif

#if defined(CASE_STACK_COMBINED)
/* 320 bytes here, 320 in the caller: 640 on the way down */
static __attribute__((noinline)) int
deep(struct xdp_md *ctx)
{
	__u8 buf[320];

	bpf_xdp_load_bytes(ctx, 0, buf, sizeof(buf));
	return buf[5];
}
#endif

#if defined(CASE_CALLBACK_RET)
static long
cb_bad(__u32 i, void *arg)
{
	(void)arg;
	return i + 2;
}
#endif

SEC("xdp")
#if defined(CASE_PKT_UNCHECKED) || defined(CASE_PKT_OFF_BY_ONE) || \
    defined(CASE_META_UNCHECKED) || defined(CASE_MAP_NULL) || \
    defined(CASE_MAP_VALUE_OOB) || defined(CASE_STALE_PKT) || \
    defined(CASE_LOCK_HELD) || defined(CASE_RINGBUF_LEAK) || \
    defined(CASE_RODATA_WRITE) || defined(CASE_STACK_COMBINED) || \
    defined(CASE_CALLBACK_RET) || defined(CASE_MAP_VAR_OOB) || \
    defined(CASE_HELPER_UNBOUNDED) || defined(CASE_WRONG_MAP_TYPE) || \
    defined(CASE_PTR_IN_MAP) || defined(CASE_PKT_VAR_UNBOUNDED)
int neg(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;

#if defined(CASE_PKT_UNCHECKED)
	/* no comparison against data_end at all */
	(void)data_end;
	return ((volatile __u8 *)data)[12] ? XDP_PASS : XDP_DROP;
#elif defined(CASE_PKT_OFF_BY_ONE)
	/* 14 bytes proven, byte 14 read */
	if (data + ETH_HLEN > data_end)
		return XDP_PASS;
	return ((volatile __u8 *)data)[ETH_HLEN] ? XDP_PASS : XDP_DROP;
#elif defined(CASE_META_UNCHECKED)
	/* metadata read without comparing it against data */
	volatile __u32 *meta = (void *)(long)ctx->data_meta;

	(void)data;
	(void)data_end;
	return *meta ? XDP_PASS : XDP_DROP;
#elif defined(CASE_MAP_NULL)
	__u32 k = 0;
	struct val8 *v = bpf_map_lookup_elem(&hash, &k);

	(void)data;
	(void)data_end;
	return *(volatile __u32 *)&v->a ? XDP_PASS : XDP_DROP; /* no NULL check */
#elif defined(CASE_MAP_VALUE_OOB)
	__u32 k = 0;
	struct val8 *v = bpf_map_lookup_elem(&arr, &k);

	(void)data;
	(void)data_end;
	if (!v)
		return XDP_PASS;
	/* the value is 8 bytes: bytes 8..11 lie past it */
	return *((volatile __u32 *)v + 2) ? XDP_PASS : XDP_DROP;
#elif defined(CASE_MAP_VAR_OOB)
	__u32 k = 0;
	__u8 *v = bpf_map_lookup_elem(&arr, &k);
	__u8 idx;

	if (!v || data + 1 > data_end)
		return XDP_PASS;
	idx = *(__u8 *)data;        /* 0..255 into 8 bytes */
	return *(volatile __u8 *)(v + idx) ? XDP_PASS : XDP_DROP;
#elif defined(CASE_STALE_PKT)
	/* data still points where it did before adjust_head */
	volatile __u8 *p = data;

	if (data + ETH_HLEN > data_end)
		return XDP_PASS;
	if (bpf_xdp_adjust_head(ctx, 4))
		return XDP_DROP;
	return p[0] ? XDP_PASS : XDP_DROP;
#elif defined(CASE_LOCK_HELD)
	__u32 k = 0;
	struct locked *l = bpf_map_lookup_elem(&locks, &k);

	(void)data;
	(void)data_end;
	if (!l)
		return XDP_PASS;
	bpf_spin_lock(&l->l);
	l->v++;
	return XDP_PASS;            /* no bpf_spin_unlock */
#elif defined(CASE_RINGBUF_LEAK)
	__u32 *rec = bpf_ringbuf_reserve(&rb, 8, 0);

	(void)data;
	(void)data_end;
	if (!rec)
		return XDP_PASS;
	*rec = 1;
	return XDP_PASS;            /* neither submitted nor discarded */
#elif defined(CASE_RODATA_WRITE)
	(void)data;
	(void)data_end;
	*(volatile __u32 *)&knob = 7;
	return XDP_PASS;
#elif defined(CASE_STACK_COMBINED)
	__u8 buf[320];

	(void)data;
	(void)data_end;
	bpf_xdp_load_bytes(ctx, 0, buf, sizeof(buf));
	return deep(ctx) + buf[9] > 7 ? XDP_PASS : XDP_DROP;
#elif defined(CASE_CALLBACK_RET)
	(void)data;
	(void)data_end;
	bpf_loop(4, cb_bad, NULL, 0);
	return XDP_PASS;
#elif defined(CASE_HELPER_UNBOUNDED)
	__u8 buf[64];
	__u64 len;

	if (data + 8 > data_end)
		return XDP_PASS;
	len = *(__u64 *)data;       /* any length into a 64-byte buffer */
	bpf_xdp_load_bytes(ctx, 0, buf, len);
	return buf[0] ? XDP_PASS : XDP_DROP;
#elif defined(CASE_WRONG_MAP_TYPE)
	(void)data;
	(void)data_end;
	return bpf_redirect_map(&arr, 0, 0); /* an ARRAY, not a DEVMAP */
#elif defined(CASE_PTR_IN_MAP)
	__u32 k = 0;
	__u64 *v = bpf_map_lookup_elem(&arr, &k);

	(void)data_end;
	if (!v)
		return XDP_PASS;
	*v = (__u64)(long)data;     /* a packet address into a map */
	return XDP_PASS;
#elif defined(CASE_PKT_VAR_UNBOUNDED)
	__s64 off;

	if (data + 8 > data_end)
		return XDP_PASS;
	off = *(__s64 *)data;       /* any 64-bit value */
	return *((volatile __u8 *)data + off) ? XDP_PASS : XDP_DROP;
#endif
}
#else
__attribute__((naked)) int neg(void)
{
#if defined(CASE_STACK_UNINIT)
	/* a stack slot read before anything is written there */
	asm volatile("r0 = *(u64 *)(r10 - 8); r0 &= 1; exit" ::: "memory");
#elif defined(CASE_STACK_OOB)
	/* below the 512-byte frame */
	asm volatile("r1 = 0; *(u64 *)(r10 - 520) = r1; r0 = 2; exit"
		     ::: "memory");
#elif defined(CASE_INFINITE_LOOP)
	/* jumps to itself forever */
	asm volatile("r0 = 0; if r0 == 0 goto -1; exit" ::: "memory");
#elif defined(CASE_TOO_COMPLEX)
	/* a counter that ends only when it wraps past 2^64 */
	asm volatile("r0 = 2; r1 = 1; r1 += 1; if r1 != 0 goto -2; exit"
		     ::: "memory");
#elif defined(CASE_HELPER_BAD_ARG)
	/* a scalar where bpf_map_lookup_elem wants a map */
	asm volatile("r1 = 0; *(u64 *)(r10 - 8) = r1; r2 = r10; r2 += -8;"
		     "call 1; r0 = 2; exit" ::: "memory");
#elif defined(CASE_UNKNOWN_HELPER)
	asm volatile("call 9999; r0 = 2; exit" ::: "memory");
#elif defined(CASE_PKT_END_ARITH)
	/* pointer arithmetic on data_end */
	asm volatile("r2 = *(u32 *)(r1 + 4); r2 += 1; r0 = 2; exit" ::: "memory");
#elif defined(CASE_NULL_ARITH)
	/* moving a map value before checking it against NULL */
	asm volatile("r1 = 0; *(u64 *)(r10 - 8) = r1; r2 = r10; r2 += -8;"
		     "r1 = %[arr] ll; call 1; r0 += 4; if r0 == 0 goto +1;"
		     "r0 = *(u32 *)(r0 + 0); r0 = 2; exit"
		     :: [arr] "i"(&arr) : "memory");
#elif defined(CASE_CTX_WRITE)
	asm volatile("r2 = 0; *(u32 *)(r1 + 12) = r2; r0 = 2; exit" ::: "memory");
#elif defined(CASE_CTX_BAD_OFF)
	/* half of data, a load the context does not have */
	asm volatile("r2 = *(u32 *)(r1 + 2); r0 = 2; exit" ::: "memory");
#elif defined(CASE_DIV_ZERO_IMM)
	asm volatile("r0 = 2; r0 /= 0; exit" ::: "memory");
#elif defined(CASE_SHIFT_WIDTH)
	asm volatile("r0 = 2; r0 <<= 64; exit" ::: "memory");
#elif defined(CASE_R0_UNSET)
	asm volatile("exit" ::: "memory");
#elif defined(CASE_READ_UNINIT_REG)
	asm volatile("r0 = r5; exit" ::: "memory");
#elif defined(CASE_PTR_MUL)
	/* multiplying a stack pointer */
	asm volatile("r2 = r10; r2 *= 2; r0 = 2; exit" ::: "memory");
#elif defined(CASE_SCALAR_DEREF)
	asm volatile("r2 = 4096; r0 = *(u8 *)(r2 + 0); exit" ::: "memory");
#elif defined(CASE_HELPER_UNINIT_KEY)
	/* a key on the stack that was never written */
	asm volatile("r2 = r10; r2 += -8; r1 = %[arr] ll; call 1;"
		     "r0 = 2; exit" :: [arr] "i"(&arr) : "memory");
#endif
}
#endif

char _license[] SEC("license") = "Dual BSD/GPL";
