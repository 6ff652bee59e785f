/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * pagepool internals shared by its sources: logging, provider accounting,
 * the registry behind telemetry, and the deferred-destroy reaper.
 */
#ifndef PP_INTERNAL_H
#define PP_INTERNAL_H

#include <inttypes.h>

#include <rte_log.h>
#include "pagepool.h"

extern int pp_logtype;
#define PP_LOG(level, fmt, ...) \
	rte_log(RTE_LOG_##level, pp_logtype, "pagepool: " fmt "\n", ##__VA_ARGS__)

/* Owner: take pages from a provider and count them as held. */
unsigned int pp_mp_alloc(struct pp_mp *mp, struct pp_page **pages,
			 unsigned int n);
/* Any thread: give pages back. The counter update is the last access to
 * the pool, so a reaper that sees every page back may free it. */
void pp_mp_release(struct pp_mp *mp, struct pp_page **pages, unsigned int n);
/* Pages of @p mp not yet back. */
uint64_t pp_mp_inflight(const struct pp_mp *mp);

/* Any thread: route a whole page back into its pool. */
void pp_recycle_any(struct pp_pool *pp, struct pp_page *pg);

/* Free a pool with nothing in flight, and its providers. */
void pp_free(struct pp_pool *pp);

int pp_registry_add(struct pp_pool *pp);
void pp_registry_del(struct pp_pool *pp);

/* Hand a pool with pages in flight to the reaper thread. */
int pp_reaper_add(struct pp_pool *pp);

#endif
