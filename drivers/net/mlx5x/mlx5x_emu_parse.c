/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Receive-side classification in the device model: header parsing and
 * packet type, checksum validation (and checksum completion on transmit),
 * Toeplitz RSS through the RETA, and rte_flow rule matching.
 */
#include <string.h>

#include <rte_byteorder.h>
#include <rte_ethdev.h>
#include <rte_ip.h>
#include <rte_tcp.h>
#include <rte_udp.h>

#include "mlx5x_emu.h"

/* Hash types reported in the CQE's rx_hash_type byte. */
#define HT_IPV4 0x01
#define HT_IPV6 0x02
#define HT_TCP 0x04
#define HT_UDP 0x08

/* table[i][b]: the Toeplitz contribution of byte value b at input byte i,
 * so a hash is one lookup and xor per input byte. */
void
mlx5x_toeplitz_init(struct mlx5x_emu *emu)
{
	const uint8_t *k = emu->rss_key;

	for (unsigned int i = 0; i < MLX5X_RSS_KEY_LEN - 4; i++) {
		for (unsigned int b = 0; b < 256; b++) {
			uint32_t h = 0;

			for (unsigned int bit = 0; bit < 8; bit++) {
				unsigned int pos = i * 8 + bit; /* key bit */
				uint64_t win;

				if (!(b & (0x80 >> bit)))
					continue;
				/* 32 key bits starting at pos */
				win = (uint64_t)k[pos / 8] << 32 |
				      (uint64_t)k[pos / 8 + 1] << 24 |
				      (uint64_t)k[pos / 8 + 2] << 16 |
				      (uint64_t)k[pos / 8 + 3] << 8 |
				      (uint64_t)(pos / 8 + 4 < MLX5X_RSS_KEY_LEN ?
						 k[pos / 8 + 4] : 0);
				h ^= (uint32_t)(win >> (8 - pos % 8));
			}
			emu->toeplitz[i][b] = h;
		}
	}
}

static inline uint32_t
toeplitz(const struct mlx5x_emu *emu, const uint8_t *in, unsigned int n,
	 unsigned int at)
{
	uint32_t h = 0;

	for (unsigned int i = 0; i < n; i++)
		h ^= emu->toeplitz[at + i][in[i]];
	return h;
}

/* One's-complement sum check over a header or a pseudo-header + payload:
 * DPDK's own helpers, so the device agrees with the stack's arithmetic. */
static bool
l4_csum_ok(const uint8_t *l3, bool v4, const uint8_t *l4, uint32_t l4len,
	   uint8_t proto)
{
	uint16_t stored;
	uint16_t calc;

	if (proto == IPPROTO_UDP) {
		stored = ((const struct rte_udp_hdr *)l4)->dgram_cksum;
		if (v4 && stored == 0)
			return true; /* no checksum */
	}
	if (v4) {
		const struct rte_ipv4_hdr *ip = (const void *)l3;

		{
			struct {
				uint32_t src, dst;
				uint8_t zero, proto;
				uint16_t len;
			} __rte_packed ph = { ip->src_addr, ip->dst_addr, 0, proto,
					      rte_cpu_to_be_16((uint16_t)l4len) };
			uint32_t s = rte_raw_cksum(&ph, sizeof(ph));

			s += rte_raw_cksum(l4, l4len);
			s = (s & 0xffff) + (s >> 16);
			s = (s & 0xffff) + (s >> 16);
			calc = (uint16_t)s;
		}
	} else {
		const struct rte_ipv6_hdr *ip = (const void *)l3;
		struct {
			uint8_t src[16], dst[16];
			uint32_t len;
			uint8_t zero[3], proto;
		} __rte_packed ph;
		uint32_t s;

		memcpy(ph.src, ip->src_addr, 16);
		memcpy(ph.dst, ip->dst_addr, 16);
		ph.len = rte_cpu_to_be_32(l4len);
		memset(ph.zero, 0, 3);
		ph.proto = proto;
		s = rte_raw_cksum(&ph, sizeof(ph));
		s += rte_raw_cksum(l4, l4len);
		s = (s & 0xffff) + (s >> 16);
		s = (s & 0xffff) + (s >> 16);
		calc = (uint16_t)s;
	}
	/* A correct packet sums (with its checksum field) to 0xffff. */
	return calc == 0xffff;
}

/* Walk L2/L3/L4. Offsets are left 0 where a header is missing. */
static bool
walk(const uint8_t *p, uint32_t len, struct mlx5x_parse *r, uint8_t *proto,
     uint32_t *l4len)
{
	uint32_t off = 12;
	uint16_t et;

	memset(r, 0, sizeof(*r));
	et = (uint16_t)(p[off] << 8 | p[off + 1]);
	off += 2;
	while ((et == RTE_ETHER_TYPE_VLAN || et == RTE_ETHER_TYPE_QINQ) &&
	       off + 4 <= len) {
		if (!r->vlan)
			r->vlan_tci = (uint16_t)(p[off] << 8 | p[off + 1]);
		r->vlan = 1;
		et = (uint16_t)(p[off + 2] << 8 | p[off + 3]);
		off += 4;
	}
	r->l3_off = (uint16_t)off;
	if (et == RTE_ETHER_TYPE_IPV4 && off + 20 <= len) {
		const struct rte_ipv4_hdr *ip = (const void *)(p + off);
		uint32_t ihl = (ip->version_ihl & 0xf) * 4u;
		uint32_t tot = rte_be_to_cpu_16(ip->total_length);

		if ((ip->version_ihl >> 4) != 4 || ihl < 20 || off + ihl > len)
			return false;
		r->l3 = MLX5_CQE_L3_HDR_TYPE_IPV4;
		if (rte_raw_cksum(ip, ihl) == 0xffff)
			r->csum_ok |= MLX5_CQE_L3_OK;
		if (rte_be_to_cpu_16(ip->fragment_offset) &
		    (RTE_IPV4_HDR_MF_FLAG | RTE_IPV4_HDR_OFFSET_MASK)) {
			r->frag = 1;
			return true;
		}
		*proto = ip->next_proto_id;
		if (tot < ihl || off + tot > len)
			return true; /* truncated: no L4 */
		r->l4_off = (uint16_t)(off + ihl);
		*l4len = tot - ihl;
		return true;
	}
	if (et == RTE_ETHER_TYPE_IPV6 && off + 40 <= len) {
		const struct rte_ipv6_hdr *ip = (const void *)(p + off);
		uint32_t plen = rte_be_to_cpu_16(ip->payload_len);
		uint32_t l4 = off + 40;
		uint8_t nh = ip->proto;

		if ((p[off] >> 4) != 6)
			return false;
		r->l3 = MLX5_CQE_L3_HDR_TYPE_IPV6;
		r->csum_ok |= MLX5_CQE_L3_OK; /* IPv6 has no header checksum */
		/* Extension headers: hop-by-hop, routing, destination. */
		while ((nh == 0 || nh == 43 || nh == 60) && l4 + 8 <= len) {
			uint32_t hl = (p[l4 + 1] + 1u) * 8;

			nh = p[l4];
			l4 += hl;
		}
		if (nh == 44) { /* fragment */
			r->frag = 1;
			return true;
		}
		if (l4 > len || off + 40 + plen > len || l4 > off + 40 + plen)
			return true;
		*proto = nh;
		r->l4_off = (uint16_t)l4;
		*l4len = off + 40 + plen - l4;
		return true;
	}
	return false;
}

void
mlx5x_emu_parse(const struct mlx5x_emu *emu, const uint8_t *p, uint32_t len,
		struct mlx5x_parse *r)
{
	uint8_t proto = 0;
	uint32_t l4len = 0;
	uint64_t hf = emu->rss_hf;
	bool v4;

	if (!walk(p, len, r, &proto, &l4len) || r->l3 == 0)
		return;
	v4 = r->l3 == MLX5_CQE_L3_HDR_TYPE_IPV4;
	if (r->l4_off != 0) {
		const uint8_t *l4 = p + r->l4_off;

		if (proto == IPPROTO_TCP && l4len >= 20) {
			const struct rte_tcp_hdr *t = (const void *)l4;

			r->l4 = (t->tcp_flags & RTE_TCP_ACK_FLAG) ?
				(l4len > (t->data_off >> 4) * 4u ?
				 MLX5X_L4_TCP_ACK : MLX5X_L4_TCP_EMPTY_ACK) :
				MLX5X_L4_TCP;
		} else if (proto == IPPROTO_UDP && l4len >= 8) {
			r->l4 = MLX5X_L4_UDP;
		}
		if (r->l4 != MLX5X_L4_NONE &&
		    l4_csum_ok(p + r->l3_off, v4, l4, l4len, proto))
			r->csum_ok |= MLX5_CQE_L4_OK;
	}
	/* RSS over the fields the configuration selects. */
	if (v4 && (hf & (RTE_ETH_RSS_IPV4 | RTE_ETH_RSS_NONFRAG_IPV4_TCP |
			 RTE_ETH_RSS_NONFRAG_IPV4_UDP | RTE_ETH_RSS_FRAG_IPV4))) {
		r->hash = toeplitz(emu, p + r->l3_off + 12, 8, 0);
		r->hash_type = HT_IPV4;
		if (!r->frag &&
		    ((r->l4 == MLX5X_L4_UDP && (hf & RTE_ETH_RSS_NONFRAG_IPV4_UDP)) ||
		     (r->l4 != MLX5X_L4_NONE && r->l4 != MLX5X_L4_UDP &&
		      (hf & RTE_ETH_RSS_NONFRAG_IPV4_TCP)))) {
			r->hash ^= toeplitz(emu, p + r->l4_off, 4, 8);
			r->hash_type |= r->l4 == MLX5X_L4_UDP ? HT_UDP : HT_TCP;
		}
	} else if (!v4 && (hf & (RTE_ETH_RSS_IPV6 | RTE_ETH_RSS_NONFRAG_IPV6_TCP |
				 RTE_ETH_RSS_NONFRAG_IPV6_UDP |
				 RTE_ETH_RSS_FRAG_IPV6))) {
		r->hash = toeplitz(emu, p + r->l3_off + 8, 32, 0);
		r->hash_type = HT_IPV6;
		if (!r->frag &&
		    ((r->l4 == MLX5X_L4_UDP && (hf & RTE_ETH_RSS_NONFRAG_IPV6_UDP)) ||
		     (r->l4 != MLX5X_L4_NONE && r->l4 != MLX5X_L4_UDP &&
		      (hf & RTE_ETH_RSS_NONFRAG_IPV6_TCP)))) {
			r->hash ^= toeplitz(emu, p + r->l4_off, 4, 32);
			r->hash_type |= r->l4 == MLX5X_L4_UDP ? HT_UDP : HT_TCP;
		}
	}
}

void
mlx5x_emu_fill_csum(uint8_t *p, uint32_t len, bool l3, bool l4)
{
	struct mlx5x_parse r;
	uint8_t proto = 0;
	uint32_t l4len = 0;

	if (len < 14 || !walk(p, len, &r, &proto, &l4len) || r.l3 == 0)
		return;
	if (r.l3 == MLX5_CQE_L3_HDR_TYPE_IPV4 && l3) {
		struct rte_ipv4_hdr *ip = (void *)(p + r.l3_off);

		ip->hdr_checksum = 0;
		ip->hdr_checksum = rte_ipv4_cksum(ip);
	}
	if (!l4 || r.l4_off == 0)
		return;
	if (proto == IPPROTO_UDP && l4len >= 8) {
		struct rte_udp_hdr *u = (void *)(p + r.l4_off);

		u->dgram_cksum = 0;
		u->dgram_cksum = r.l3 == MLX5_CQE_L3_HDR_TYPE_IPV4 ?
			rte_ipv4_udptcp_cksum((void *)(p + r.l3_off), u) :
			rte_ipv6_udptcp_cksum((void *)(p + r.l3_off), u);
	} else if (proto == IPPROTO_TCP && l4len >= 20) {
		struct rte_tcp_hdr *t = (void *)(p + r.l4_off);

		t->cksum = 0;
		t->cksum = r.l3 == MLX5_CQE_L3_HDR_TYPE_IPV4 ?
			rte_ipv4_udptcp_cksum((void *)(p + r.l3_off), t) :
			rte_ipv6_udptcp_cksum((void *)(p + r.l3_off), t);
	}
}

/* The normalised match key the flow rules are compiled against:
 *  0 eth dst | 6 eth src | 12 ethertype | 14 vlan tci | 16 ip src (16)
 * 32 ip dst (16) | 48 ip proto | 50 l4 sport | 52 l4 dport */
static void
flow_key(const uint8_t *p, const struct mlx5x_parse *r, uint8_t key[64])
{
	memset(key, 0, 64);
	memcpy(key, p, 12);
	if (r->l3_off >= 2) {
		key[12] = p[r->l3_off - 2];
		key[13] = p[r->l3_off - 1];
	}
	key[14] = (uint8_t)(r->vlan_tci >> 8);
	key[15] = (uint8_t)r->vlan_tci;
	if (r->l3 == MLX5_CQE_L3_HDR_TYPE_IPV4) {
		memcpy(key + 16, p + r->l3_off + 12, 4);
		memcpy(key + 32, p + r->l3_off + 16, 4);
		key[48] = p[r->l3_off + 9];
	} else if (r->l3 == MLX5_CQE_L3_HDR_TYPE_IPV6) {
		memcpy(key + 16, p + r->l3_off + 8, 16);
		memcpy(key + 32, p + r->l3_off + 24, 16);
		key[48] = r->l4 == MLX5X_L4_UDP ? IPPROTO_UDP :
			  r->l4 != MLX5X_L4_NONE ? IPPROTO_TCP : p[r->l3_off + 6];
	}
	if (r->l4_off != 0 && r->l4 != MLX5X_L4_NONE)
		memcpy(key + 50, p + r->l4_off, 4);
}

int
mlx5x_emu_classify(struct mlx5x_emu *emu, const uint8_t *p, uint32_t len,
		   const struct mlx5x_parse *r, uint32_t *mark)
{
	uint32_t i;

	(void)len;
	if (emu->nb_flows != 0) {
		_Alignas(8) uint8_t key[64];

		flow_key(p, r, key);
		for (i = 0; i < emu->nb_flows; i++) {
			struct mlx5x_flow_rule *f = emu->flows[i];
			const uint64_t *k = (const uint64_t *)key;
			const uint64_t *fk = (const uint64_t *)f->key;
			const uint64_t *fm = (const uint64_t *)f->mask;
			bool hit = (!f->need_l3 || f->need_l3 == r->l3) &&
				   (!f->need_l4 || f->need_l4 == r->l4 ||
				    (f->need_l4 == MLX5X_L4_TCP &&
				     r->l4 >= MLX5X_L4_TCP_EMPTY_ACK)) &&
				   (!f->need_vlan || r->vlan);

			for (unsigned int w = 0; hit && w < 8; w++)
				hit = (k[w] & fm[w]) == fk[w];
			if (!hit)
				continue;
			f->hits++;
			if (f->drop)
				return -1;
			if (f->has_mark)
				*mark = f->mark + 1;
			if (f->has_queue)
				return f->queue;
			if (f->has_rss && f->rss_n != 0)
				return f->rss_queues[r->hash % f->rss_n];
			break; /* MARK alone: default steering below */
		}
	}
	if (emu->nb_rq <= 1)
		return 0;
	return emu->reta[r->hash % MLX5X_RETA_SIZE];
}
