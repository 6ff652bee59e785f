// SPDX-License-Identifier: BSD-3-Clause
/* Programs the loader's control-flow pass must refuse, one per object
 * (-DCASE_...): a jump out of the program, a fall-off the end, an
 * unreachable instruction, a jump into the middle of a 64-bit load. The
 * kernel's verifier refuses each of them too. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp") __attribute__((naked))
int cfg_bad(void)
{
#if defined(CASE_JUMP_OUT)
	asm volatile("r0 = 2; if r1 == 0 goto +20; exit" ::: "memory");
#elif defined(CASE_FALL_OFF)
	asm volatile("r0 = 2; if r1 == 0 goto +1; exit; r0 = 1" ::: "memory");
#elif defined(CASE_UNREACHABLE)
	asm volatile("r0 = 2; exit; r0 = 1; exit" ::: "memory");
#elif defined(CASE_INTO_LDIMM)
	asm volatile("r0 = 2; if r1 == 0 goto +1; r2 = 0x1122334455667788 ll; exit"
		     ::: "memory");
#endif
}

char _license[] SEC("license") = "Dual BSD/GPL";
