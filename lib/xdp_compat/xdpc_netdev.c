/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The devices programs can ask about by ifindex (bpf_check_mtu): an
 * application-filled MTU table, falling back to the DPDK port whose id
 * is ifindex - 1. Entries are single words written by the application
 * and read by runs with relaxed atomics: no lock on the datapath.
 */
#include <errno.h>
#include <string.h>

#include <rte_ethdev.h>

#include "xdpc_internal.h"

#define ETH_HLEN 14

static uint32_t mtus[XDPC_MAX_IFINDEX + 1];
static uint8_t macs[XDPC_MAX_IFINDEX + 1][6];

int
xdpc_netdev_set_mac(uint32_t ifindex, const uint8_t mac[6])
{
	if (ifindex == 0 || ifindex > XDPC_MAX_IFINDEX || mac == NULL)
		return -EINVAL;
	memcpy(macs[ifindex], mac, 6);
	return 0;
}

void
xdpc_netdev_mac(uint32_t ifindex, uint8_t mac[6])
{
	struct rte_ether_addr a;
	static const uint8_t zero[6];

	if (ifindex == 0 || ifindex > XDPC_MAX_IFINDEX) {
		memset(mac, 0, 6);
		return;
	}
	memcpy(mac, macs[ifindex], 6);
	if (memcmp(mac, zero, 6) == 0 && ifindex - 1 < RTE_MAX_ETHPORTS &&
	    rte_eth_dev_is_valid_port((uint16_t)(ifindex - 1)) &&
	    rte_eth_macaddr_get((uint16_t)(ifindex - 1), &a) == 0)
		memcpy(mac, a.addr_bytes, 6);
}

int
xdpc_netdev_set_mtu(uint32_t ifindex, uint32_t mtu)
{
	if (ifindex == 0 || ifindex > XDPC_MAX_IFINDEX || mtu > (1u << 30))
		return -EINVAL;
	__atomic_store_n(&mtus[ifindex], mtu, __ATOMIC_RELAXED);
	return 0;
}

/* The device's MTU, or 0 when there is no such device. */
uint32_t
xdpc_netdev_mtu(uint32_t ifindex)
{
	uint16_t mtu;
	uint32_t m;

	if (ifindex == 0 || ifindex > XDPC_MAX_IFINDEX)
		return 0;
	m = __atomic_load_n(&mtus[ifindex], __ATOMIC_RELAXED);
	if (m != 0)
		return m;
	if (ifindex - 1 < RTE_MAX_ETHPORTS &&
	    rte_eth_dev_is_valid_port((uint16_t)(ifindex - 1)) &&
	    rte_eth_dev_get_mtu((uint16_t)(ifindex - 1), &mtu) == 0)
		return mtu;
	return 0;
}

/* bpf_xdp_check_mtu: ifindex 0 is the ingress device; *mtu_len, when
 * not 0, stands for the L3 length instead of the frame's; the answer is
 * the device MTU in *mtu_len either way. */
long
xdpc_check_mtu(uint32_t ingress_ifindex, uint32_t ifindex, uint32_t frame_len,
	       uint32_t *mtu_len, int32_t len_diff, uint64_t flags)
{
	uint32_t mtu, len;

	if (flags != 0)
		return -EINVAL; /* BPF_MTU_CHK_SEGS: not for XDP */
	mtu = xdpc_netdev_mtu(ifindex != 0 ? ifindex : ingress_ifindex);
	if (mtu == 0)
		return -ENODEV;
	/* the kernel's int arithmetic, wrapping (it builds with
	 * -fno-strict-overflow): a huge *mtu_len comes out negative */
	len = *mtu_len != 0 ? *mtu_len + ETH_HLEN : frame_len;
	len += (uint32_t)len_diff;
	*mtu_len = mtu;
	return (int32_t)len > (int32_t)(mtu + ETH_HLEN) ?
	       BPF_MTU_CHK_RET_FRAG_NEEDED : BPF_MTU_CHK_RET_SUCCESS;
}
