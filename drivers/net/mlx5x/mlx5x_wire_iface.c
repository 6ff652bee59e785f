/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * wire=iface: the cable is a Linux network interface (veth, tap), reached
 * through an AF_PACKET socket with a TPACKET_V3 receive ring. Frames the
 * kernel hands over can be what its offloads left: a checksum still to be
 * filled in (CHECKSUM_PARTIAL) or a TCP super-frame (GSO). A real cable
 * never carries those, so this wire finishes them, using the virtio-net
 * header the socket prefixes: it completes the checksum and cuts GSO
 * frames into MSS-sized TCP segments with correct headers and checksums.
 * Transmitted frames go out with sendmmsg.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/virtio_net.h>
#include <net/if.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include <rte_byteorder.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_log.h>
#include <rte_tcp.h>

#include "mlx5x_devargs.h"
#include "mlx5x_wire.h"

extern int mlx5x_logtype;
#define IF_ERR(fmt, ...) rte_log(RTE_LOG_ERR, mlx5x_logtype, \
	"mlx5x: %s: devarg iface=%s: " fmt "\n", w->emu->name, ifname, \
	##__VA_ARGS__)

#define BLOCK_SIZE (1u << 18)   /* holds a 64 KiB GSO frame */
#define BLOCK_NR 16u
#define SEG_MAX 64u             /* segments a GSO frame may become */

struct iface {
	int fd;
	uint8_t *ring;
	size_t ring_len;
	uint32_t block;               /* current block */
	struct tpacket3_hdr *cur;     /* next frame in it */
	uint32_t left;                /* frames left in it */
	/* GSO output */
	uint8_t (*seg)[MLX5X_WIRE_MAX_FRAME];
	struct mlx5x_frame pend[SEG_MAX];
	unsigned int npend, pend_at;
	bool pend_owns_frame;         /* pend[] came from cur: advance after */
	char ifname[IF_NAMESIZE];
	uint64_t gso_frames, gso_segments, csum_completed, dropped;
	uint64_t tx_retries_exhausted;
};

static int
iface_open(struct mlx5x_wire *w, const struct mlx5x_devargs *da)
{
	const char *ifname = da->iface;
	struct tpacket_req3 req = {
		.tp_block_size = BLOCK_SIZE,
		.tp_block_nr = BLOCK_NR,
		.tp_frame_size = BLOCK_SIZE,
		.tp_frame_nr = BLOCK_NR,
		.tp_retire_blk_tov = 1,
	};
	struct sockaddr_ll sll = { .sll_family = AF_PACKET,
				   .sll_protocol = htons(ETH_P_ALL) };
	struct packet_mreq mr = { .mr_type = PACKET_MR_PROMISC };
	int v3 = TPACKET_V3, one = 1;
	struct iface *p;

	sll.sll_ifindex = (int)if_nametoindex(ifname);
	if (sll.sll_ifindex == 0) {
		IF_ERR("no such interface");
		return -ENODEV;
	}
	p = calloc(1, sizeof(*p));
	if (p == NULL)
		return -ENOMEM;
	p->seg = malloc((size_t)SEG_MAX * MLX5X_WIRE_MAX_FRAME);
	p->fd = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
	if (p->seg == NULL || p->fd < 0) {
		IF_ERR("AF_PACKET socket: %s (needs root)", strerror(errno));
		goto fail;
	}
	/* The virtio-net header tells us what the kernel left undone. */
	if (setsockopt(p->fd, SOL_PACKET, PACKET_VNET_HDR, &one, sizeof(one)) ||
	    setsockopt(p->fd, SOL_PACKET, PACKET_VERSION, &v3, sizeof(v3)) ||
	    setsockopt(p->fd, SOL_PACKET, PACKET_RX_RING, &req, sizeof(req))) {
		IF_ERR("TPACKET_V3 ring with virtio-net headers: %s",
		       strerror(errno));
		goto fail;
	}
	/* Our own transmissions must not come back as receptions. */
	setsockopt(p->fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof(one));
	p->ring_len = (size_t)BLOCK_SIZE * BLOCK_NR;
	p->ring = mmap(NULL, p->ring_len, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_LOCKED, p->fd, 0);
	if (p->ring == MAP_FAILED)
		p->ring = mmap(NULL, p->ring_len, PROT_READ | PROT_WRITE,
			       MAP_SHARED, p->fd, 0);
	if (p->ring == MAP_FAILED) {
		p->ring = NULL;
		IF_ERR("mmap ring: %s", strerror(errno));
		goto fail;
	}
	if (bind(p->fd, (struct sockaddr *)&sll, sizeof(sll)) != 0) {
		IF_ERR("bind: %s", strerror(errno));
		goto fail;
	}
	mr.mr_ifindex = sll.sll_ifindex;
	setsockopt(p->fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr, sizeof(mr));
	snprintf(p->ifname, sizeof(p->ifname), "%s", ifname);
	w->priv = p;
	return 0;
fail:
	if (p->ring != NULL)
		munmap(p->ring, p->ring_len);
	if (p->fd >= 0)
		close(p->fd);
	free(p->seg);
	free(p);
	return -EINVAL;
}

static inline struct tpacket_block_desc *
blk(struct iface *p, uint32_t i)
{
	return (struct tpacket_block_desc *)(p->ring + (size_t)i * BLOCK_SIZE);
}

/* Fill in the checksum the sender left partial: one's complement sum from
 * csum_start to the end, stored at csum_start + csum_offset. */
static void
complete_csum(uint8_t *f, uint32_t len, const struct virtio_net_hdr *vh)
{
	uint32_t start = vh->csum_start, at = start + vh->csum_offset;
	uint16_t c;

	if (at + 2 > len || start >= len)
		return;
	/* The field holds the pseudo-header sum already. */
	c = (uint16_t)~rte_raw_cksum(f + start, len - start);
	if (c == 0 && vh->csum_offset == 6) /* UDP: 0 means "none" */
		c = 0xffff;
	memcpy(f + at, &c, 2);
}

/* Cut a TCP GSO frame into MSS-sized segments in p->seg. */
static unsigned int
segment(struct iface *p, const uint8_t *f, uint32_t len,
	const struct virtio_net_hdr *vh)
{
	uint32_t l3 = 14, l4, hdr, mss = vh->gso_size, payload, off, n = 0;
	bool v4;
	uint16_t et = (uint16_t)(f[12] << 8 | f[13]);

	if (et == RTE_ETHER_TYPE_VLAN) {
		l3 += 4;
		et = (uint16_t)(f[16] << 8 | f[17]);
	}
	v4 = et == RTE_ETHER_TYPE_IPV4;
	if ((!v4 && et != RTE_ETHER_TYPE_IPV6) || mss == 0)
		return 0;
	l4 = v4 ? l3 + (f[l3] & 0xf) * 4u : l3 + 40;
	if (l4 + 20 > len)
		return 0;
	hdr = l4 + ((f[l4 + 12] >> 4) * 4u);
	if (hdr > len)
		return 0;
	payload = len - hdr;
	for (off = 0; off < payload && n < SEG_MAX; off += mss, n++) {
		uint32_t plen = RTE_MIN(mss, payload - off);
		uint8_t *s = p->seg[n];
		struct rte_tcp_hdr *t = (void *)(s + l4);
		bool last = off + plen >= payload;

		if (hdr + plen > MLX5X_WIRE_MAX_FRAME)
			return 0;
		memcpy(s, f, hdr);
		memcpy(s + hdr, f + hdr + off, plen);
		t->sent_seq = rte_cpu_to_be_32(rte_be_to_cpu_32(t->sent_seq) + off);
		if (!last)
			t->tcp_flags &= (uint8_t)~(RTE_TCP_FIN_FLAG | RTE_TCP_PSH_FLAG);
		if (off != 0)
			t->tcp_flags &= (uint8_t)~RTE_TCP_CWR_FLAG;
		t->cksum = 0;
		if (v4) {
			struct rte_ipv4_hdr *ip = (void *)(s + l3);

			ip->total_length = rte_cpu_to_be_16((uint16_t)(hdr - l3 + plen));
			ip->packet_id = rte_cpu_to_be_16(
				(uint16_t)(rte_be_to_cpu_16(ip->packet_id) + n));
			ip->hdr_checksum = 0;
			ip->hdr_checksum = rte_ipv4_cksum(ip);
			t->cksum = rte_ipv4_udptcp_cksum(ip, t);
		} else {
			struct rte_ipv6_hdr *ip = (void *)(s + l3);

			ip->payload_len = rte_cpu_to_be_16((uint16_t)(hdr - l4 + plen));
			t->cksum = rte_ipv6_udptcp_cksum(ip, t);
		}
		p->pend[n].data = s;
		p->pend[n].len = hdr + plen;
		p->pend[n].flow = MLX5X_FLOW_NONE;
	}
	return off >= payload ? n : 0;
}

/* Move to the next frame of the ring, returning finished blocks. */
static void
advance(struct iface *p)
{
	p->left--;
	if (p->left != 0) {
		p->cur = (struct tpacket3_hdr *)((uint8_t *)p->cur +
						 p->cur->tp_next_offset);
		return;
	}
	__atomic_store_n(&blk(p, p->block)->hdr.bh1.block_status,
			 TP_STATUS_KERNEL, __ATOMIC_RELEASE);
	p->block = (p->block + 1) % BLOCK_NR;
	p->cur = NULL;
}

/* Make the next frame available in p->pend. Returns false when none. */
static bool
next_frame(struct mlx5x_wire *w, struct iface *p)
{
	for (;;) {
		struct tpacket_block_desc *b;
		struct virtio_net_hdr *vh;
		uint8_t *f;
		uint32_t len;

		if (p->cur == NULL) {
			b = blk(p, p->block);
			if (!(__atomic_load_n(&b->hdr.bh1.block_status,
					      __ATOMIC_ACQUIRE) & TP_STATUS_USER))
				return false;
			p->left = b->hdr.bh1.num_pkts;
			if (p->left == 0) {
				p->left = 1;
				advance(p);
				continue;
			}
			p->cur = (struct tpacket3_hdr *)((uint8_t *)b +
				b->hdr.bh1.offset_to_first_pkt);
		}
		f = (uint8_t *)p->cur + p->cur->tp_mac;
		len = p->cur->tp_snaplen;
		vh = (struct virtio_net_hdr *)(f - sizeof(*vh));
		if (vh->gso_type != VIRTIO_NET_HDR_GSO_NONE) {
			unsigned int n = 0;
			/* GSO frames are CHECKSUM_PARTIAL too: segment() writes
			 * every segment's checksums itself. */

			if ((vh->gso_type & ~VIRTIO_NET_HDR_GSO_ECN) ==
			    VIRTIO_NET_HDR_GSO_TCPV4 ||
			    (vh->gso_type & ~VIRTIO_NET_HDR_GSO_ECN) ==
			    VIRTIO_NET_HDR_GSO_TCPV6)
				n = segment(p, f, len, vh);
			if (n == 0) {
				p->dropped++;
				w->st.rx_dropped++;
				advance(p);
				continue;
			}
			if (p->gso_frames++ == 0)
				rte_log(RTE_LOG_INFO, mlx5x_logtype,
					"mlx5x: %s: iface %s: segmenting GSO frames "
					"from the kernel (gso_size %u)\n",
					w->emu->name, p->ifname, vh->gso_size);
			p->gso_segments += n;
			w->st.rx_gso_frames = p->gso_frames;
			w->st.rx_gso_segments = p->gso_segments;
			p->npend = n;
			p->pend_at = 0;
			p->pend_owns_frame = false;
			advance(p);
			return true;
		}
		if (vh->flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) {
			complete_csum(f, len, vh);
			if (p->csum_completed++ == 0)
				rte_log(RTE_LOG_INFO, mlx5x_logtype,
					"mlx5x: %s: iface %s: completing partial "
					"checksums from the kernel\n",
					w->emu->name, p->ifname);
			w->st.rx_csum_completed = p->csum_completed;
		}
		p->pend[0].data = f;
		p->pend[0].len = len;
		p->pend[0].flow = MLX5X_FLOW_NONE;
		p->npend = 1;
		p->pend_at = 0;
		p->pend_owns_frame = true;
		return true;
	}
}

/* One frame at a time: ring frames stay in place until released. */
static unsigned int
iface_rx_peek(struct mlx5x_wire *w, struct mlx5x_frame *f, unsigned int n)
{
	struct iface *p = w->priv;
	unsigned int i = 0;

	if (p->pend_at == p->npend && !next_frame(w, p))
		return 0;
	while (i < n && p->pend_at + i < p->npend) {
		f[i] = p->pend[p->pend_at + i];
		i++;
	}
	return i;
}

static void
iface_rx_release(struct mlx5x_wire *w, unsigned int n)
{
	struct iface *p = w->priv;

	p->pend_at += n;
	if (p->pend_at == p->npend && p->pend_owns_frame) {
		p->pend_owns_frame = false;
		advance(p);
	}
}

static unsigned int
iface_tx(struct mlx5x_wire *w, const struct mlx5x_frame *f, unsigned int n)
{
	struct iface *p = w->priv;
	static const struct virtio_net_hdr none;
	struct mmsghdr msg[32];
	struct iovec iov[32][2];
	unsigned int i, sent = 0;

	n = RTE_MIN(n, 32u);
	for (i = 0; i < n; i++) {
		iov[i][0].iov_base = (void *)(uintptr_t)&none;
		iov[i][0].iov_len = sizeof(none);
		iov[i][1].iov_base = (void *)(uintptr_t)f[i].data;
		iov[i][1].iov_len = f[i].len;
		memset(&msg[i], 0, sizeof(msg[i]));
		msg[i].msg_hdr.msg_iov = iov[i];
		msg[i].msg_hdr.msg_iovlen = 2;
	}
	/* The kernel refuses frames while its backlog is full (ENOBUFS,
	 * EAGAIN). A cable does not drop: wait for it a little, then give up
	 * and let the caller count what is left as dropped. */
	for (unsigned int tries = 0; sent < n && tries < 200;) {
		int rc = sendmmsg(p->fd, msg + sent, n - sent, MSG_DONTWAIT);

		if (rc > 0) {
			sent += (unsigned int)rc;
			tries = 0;
			continue;
		}
		if (rc < 0 && errno != ENOBUFS && errno != EAGAIN &&
		    errno != EINTR)
			break;
		tries++;
		usleep(20);
	}
	p->tx_retries_exhausted += n - sent;
	return sent;
}

static void
iface_close(struct mlx5x_wire *w)
{
	struct iface *p = w->priv;

	if (p == NULL)
		return;
	munmap(p->ring, p->ring_len);
	close(p->fd);
	free(p->seg);
	free(p);
	w->priv = NULL;
}

const struct mlx5x_wire_ops mlx5x_wire_iface = {
	.name = "iface",
	.open = iface_open,
	.rx_peek = iface_rx_peek,
	.rx_release = iface_rx_release,
	.tx = iface_tx,
	.close = iface_close,
};
