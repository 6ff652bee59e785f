/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Pages as mbufs: the host provider's page-is-an-mbuf mapping, and the
 * external-buffer attach used for fragments and region pages, whose free
 * callback returns the page from whatever thread frees the last mbuf.
 */
#include <rte_mbuf.h>

#include "pp_internal.h"

static_assert(sizeof(struct rte_mbuf) == PP_MBUF_HDR_SIZE,
	      "pagepool.h assumes a 128-byte rte_mbuf");

static void
extbuf_free(void *addr, void *opaque)
{
	(void)addr;
	pp_put_page(opaque);
}

void
pp_attach_extbuf(struct rte_mbuf *m, struct pp_page *pg, uint32_t offset,
		 uint16_t len, struct rte_mbuf_ext_shared_info *shinfo)
{
	shinfo->free_cb = extbuf_free;
	shinfo->fcb_opaque = pg;
	rte_mbuf_ext_refcnt_set(shinfo, 1);
	rte_pktmbuf_attach_extbuf(m, (char *)pg->addr + offset,
				  pg->iova + offset, len, shinfo);
	m->data_off = 0;
}
