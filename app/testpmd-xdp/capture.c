/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * --capture: the frames the application receives (those XDP passed; in
 * a run without XDP, every received frame) written to a pcap file that
 * Wireshark and tcpdump read. Lcores share one file under a mutex: this
 * is a debugging aid, not a fast path, and the rates it costs show in the
 * live table.
 */
#include <pthread.h>
#include <stdio.h>
#include <sys/time.h>

#include <pcap/pcap.h>
#include <rte_mbuf.h>

#include "txp.h"

static pcap_t *dead;
static pcap_dumper_t *dumper;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static uint64_t captured;

int
txp_capture_open(const char *path)
{
	dead = pcap_open_dead(DLT_EN10MB, 65535);
	if (dead == NULL)
		return -1;
	dumper = pcap_dump_open(dead, path);
	if (dumper == NULL) {
		fprintf(stderr, "testpmd-xdp: --capture %s: %s\n", path,
			pcap_geterr(dead));
		pcap_close(dead);
		dead = NULL;
		return -1;
	}
	return 0;
}

void
txp_capture(struct rte_mbuf **b, uint16_t n)
{
	static uint8_t buf[65536];
	struct timeval now;

	gettimeofday(&now, NULL);
	pthread_mutex_lock(&lock);
	for (uint16_t i = 0; i < n; i++) {
		struct pcap_pkthdr h = { .ts = now };
		uint32_t len = rte_pktmbuf_pkt_len(b[i]);
		const void *p;

		h.len = len;
		h.caplen = len < sizeof(buf) ? len : sizeof(buf);
		/* multi-segment frames are gathered into buf */
		p = rte_pktmbuf_read(b[i], 0, h.caplen, buf);
		if (p == NULL)
			continue;
		pcap_dump((u_char *)dumper, &h, p);
		captured++;
	}
	pthread_mutex_unlock(&lock);
}

uint64_t
txp_capture_close(void)
{
	if (dumper != NULL) {
		pcap_dump_close(dumper);
		pcap_close(dead);
		dumper = NULL;
		dead = NULL;
	}
	return captured;
}
