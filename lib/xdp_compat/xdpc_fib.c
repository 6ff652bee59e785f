/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * bpf_fib_lookup against application-filled routing and neighbour
 * tables, following the kernel's bpf_ipv4/ipv6_fib_lookup: the ingress
 * device must exist, the route decides the egress device, the gateway
 * replaces the destination, the MTU is checked against tot_len, then
 * the neighbour gives dmac and the egress device smac.
 *
 * The tables only grow while programs run: an entry is written whole
 * before the count that makes it visible is published (release), so a
 * run reads only complete entries without a lock.
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/rtnetlink.h>

#include "xdpc_internal.h"

#define MAX_ROUTES 1024
#define MAX_NEIGHS 1024

static struct xdpc_route routes[MAX_ROUTES];
static uint32_t nroutes;
static struct xdpc_neigh neighs[MAX_NEIGHS];
static uint32_t nneighs;

static size_t
alen(uint8_t family)
{
	return family == AF_INET ? 4 : family == AF_INET6 ? 16 : 0;
}

int
xdpc_fib_route_add(const struct xdpc_route *r)
{
	uint32_t n = __atomic_load_n(&nroutes, __ATOMIC_RELAXED);

	if (r == NULL || alen(r->family) == 0 ||
	    r->prefix_len > alen(r->family) * 8 ||
	    (r->type != RTN_UNICAST && r->type != RTN_BLACKHOLE &&
	     r->type != RTN_UNREACHABLE && r->type != RTN_PROHIBIT) ||
	    (r->type == RTN_UNICAST && r->ifindex == 0))
		return -EINVAL;
	if (n == MAX_ROUTES)
		return -ENOSPC;
	routes[n] = *r;
	__atomic_store_n(&nroutes, n + 1, __ATOMIC_RELEASE);
	return 0;
}

int
xdpc_fib_neigh_add(const struct xdpc_neigh *nb)
{
	uint32_t n = __atomic_load_n(&nneighs, __ATOMIC_RELAXED);

	if (nb == NULL || alen(nb->family) == 0 || nb->ifindex == 0)
		return -EINVAL;
	for (uint32_t i = 0; i < n; i++)
		if (neighs[i].family == nb->family &&
		    neighs[i].ifindex == nb->ifindex &&
		    !memcmp(neighs[i].addr, nb->addr, alen(nb->family))) {
			/* a MAC change: one store of 6 bytes; a run may see
			 * the old or the new address, as with the kernel's
			 * neighbour updates */
			memcpy(neighs[i].mac, nb->mac, 6);
			return 0;
		}
	if (n == MAX_NEIGHS)
		return -ENOSPC;
	neighs[n] = *nb;
	__atomic_store_n(&nneighs, n + 1, __ATOMIC_RELEASE);
	return 0;
}

void
xdpc_fib_flush(void)
{
	__atomic_store_n(&nroutes, 0, __ATOMIC_RELEASE);
	__atomic_store_n(&nneighs, 0, __ATOMIC_RELEASE);
}

static bool
prefix_match(const uint8_t *a, const uint8_t *b, unsigned int plen)
{
	unsigned int full = plen / 8, rest = plen % 8;

	if (memcmp(a, b, full) != 0)
		return false;
	return rest == 0 ||
	       ((a[full] ^ b[full]) & (uint8_t)(0xff << (8 - rest))) == 0;
}

static const struct xdpc_route *
route_lookup(uint8_t family, const uint8_t *dst)
{
	uint32_t n = __atomic_load_n(&nroutes, __ATOMIC_ACQUIRE);
	const struct xdpc_route *best = NULL;

	for (uint32_t i = 0; i < n; i++) {
		const struct xdpc_route *r = &routes[i];

		if (r->family != family || !prefix_match(r->dst, dst, r->prefix_len))
			continue;
		if (best == NULL || r->prefix_len > best->prefix_len ||
		    (r->prefix_len == best->prefix_len && r->metric < best->metric))
			best = r;
	}
	return best;
}

static const struct xdpc_neigh *
neigh_lookup(uint8_t family, const uint8_t *addr, uint32_t ifindex)
{
	uint32_t n = __atomic_load_n(&nneighs, __ATOMIC_ACQUIRE);

	for (uint32_t i = 0; i < n; i++)
		if (neighs[i].family == family && neighs[i].ifindex == ifindex &&
		    !memcmp(neighs[i].addr, addr, alen(family)))
			return &neighs[i];
	return NULL;
}

long
xdpc_fib_lookup(struct bpf_fib_lookup *p, uint32_t plen, uint32_t flags)
{
	const uint32_t known = BPF_FIB_LOOKUP_DIRECT | BPF_FIB_LOOKUP_OUTPUT |
			       BPF_FIB_LOOKUP_SKIP_NEIGH;
	const struct xdpc_route *r;
	const struct xdpc_neigh *nb;
	uint8_t dst[16], gw[16] = {0};
	static const uint8_t zero[16];
	size_t al;
	uint32_t mtu;

	/* TBID and SRC need tables and addresses this model does not
	 * have: refused, as unknown flags are */
	if (flags & ~known)
		return -EINVAL;
	if (plen < sizeof(*p))
		return -EINVAL;
	al = alen(p->family);
	if (al == 0)
		return -EAFNOSUPPORT;
	if (xdpc_netdev_mtu(p->ifindex) == 0)
		return -ENODEV;
	/* forwarding is on on every device here, so OUTPUT and DIRECT
	 * (no policy rules either) change nothing */
	memcpy(dst, al == 4 ? (const void *)&p->ipv4_dst :
			      (const void *)p->ipv6_dst, al);
	r = route_lookup(p->family, dst);
	if (r == NULL)
		return BPF_FIB_LKUP_RET_NOT_FWDED;
	switch (r->type) {
	case RTN_BLACKHOLE:
		return BPF_FIB_LKUP_RET_BLACKHOLE;
	case RTN_UNREACHABLE:
		return BPF_FIB_LKUP_RET_UNREACHABLE;
	case RTN_PROHIBIT:
		return BPF_FIB_LKUP_RET_PROHIBIT;
	default:
		break;
	}
	mtu = r->mtu != 0 ? r->mtu : xdpc_netdev_mtu(r->ifindex);
	if (mtu == 0)
		return BPF_FIB_LKUP_RET_NOT_FWDED; /* egress device gone */
	if (p->tot_len > mtu) {
		p->mtu_result = (uint16_t)(mtu > UINT16_MAX ? UINT16_MAX : mtu);
		return BPF_FIB_LKUP_RET_FRAG_NEEDED;
	}
	p->ifindex = r->ifindex;
	p->rt_metric = r->metric;
	memcpy(gw, r->gw, al);
	if (memcmp(gw, zero, al) != 0) {
		memcpy(dst, gw, al);
		memcpy(al == 4 ? (void *)&p->ipv4_dst : (void *)p->ipv6_dst,
		       gw, al);
	}
	if (!(flags & BPF_FIB_LOOKUP_SKIP_NEIGH)) {
		nb = neigh_lookup(p->family, dst, r->ifindex);
		if (nb == NULL)
			return BPF_FIB_LKUP_RET_NO_NEIGH;
		memcpy(p->dmac, nb->mac, 6);
		xdpc_netdev_mac(r->ifindex, p->smac);
	}
	p->h_vlan_proto = 0;
	p->h_vlan_TCI = 0;
	p->mtu_result = (uint16_t)(mtu > UINT16_MAX ? UINT16_MAX : mtu);
	return BPF_FIB_LKUP_RET_SUCCESS;
}
