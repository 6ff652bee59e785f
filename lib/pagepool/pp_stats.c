/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * pagepool counters: the snapshot API, the registry of live pools and the
 * DPDK telemetry commands /pagepool/list and /pagepool/stats,<name>.
 */
#include <errno.h>
#include <sys/queue.h>

#include <rte_errno.h>
#include <rte_telemetry.h>

#include "pp_internal.h"

static uint64_t
ld(const uint64_t *p)
{
	return __atomic_load_n(p, __ATOMIC_RELAXED);
}

void
pp_get_stats(const struct pp_pool *pp, struct pp_stats *st)
{
	struct pp_pool *mpp = (struct pp_pool *)(uintptr_t)pp;
	const struct pp_mp *mp;

	memset(st, 0, sizeof(*st));
	st->alloc.fast = ld(&pp->alloc.fast);
	st->alloc.slow = ld(&pp->alloc.slow);
	st->alloc.slow_high_order = ld(&pp->alloc.slow_high_order);
	st->alloc.empty = ld(&pp->alloc.empty);
	st->alloc.refill = ld(&pp->alloc.refill);
	st->alloc.waive = ld(&pp->alloc.waive);
	st->recycle.cached = ld(&pp->rc_cached);
	st->recycle.cache_full = ld(&pp->rc_cache_full);
	st->recycle.ring = ld(&pp->rc_ring_owner) + ld(&pp->rc_ring_remote);
	st->recycle.ring_full = ld(&pp->rc_ring_full_owner) +
				ld(&pp->rc_ring_full_remote);
	st->recycle.released_refcnt = ld(&pp->rc_released_refcnt);

	/* Release first: a page counted released was counted held before. */
	rte_spinlock_lock(&mpp->retired_lock);
	st->release = pp->gone_release;
	st->hold = pp->gone_hold;
	for (mp = pp->retired; mp != NULL; mp = mp->next_retired) {
		st->release += __atomic_load_n(&mp->release, __ATOMIC_ACQUIRE);
		st->hold += ld(&mp->hold);
	}
	st->release += __atomic_load_n(&pp->mp->release, __ATOMIC_ACQUIRE);
	st->hold += ld(&pp->mp->hold);
	rte_spinlock_unlock(&mpp->retired_lock);
	st->inflight = st->hold - st->release;
}

/* Registry: control path only, so a mutex is fine. */
struct reg_entry {
	TAILQ_ENTRY(reg_entry) next;
	struct pp_pool *pp;
};
static TAILQ_HEAD(, reg_entry) registry = TAILQ_HEAD_INITIALIZER(registry);
static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;

int
pp_registry_add(struct pp_pool *pp)
{
	struct reg_entry *e;

	pthread_mutex_lock(&registry_lock);
	TAILQ_FOREACH(e, &registry, next) {
		if (strcmp(e->pp->name, pp->name) == 0) {
			pthread_mutex_unlock(&registry_lock);
			PP_LOG(ERR, "%s: a pool of that name exists", pp->name);
			rte_errno = EEXIST;
			return -1;
		}
	}
	e = calloc(1, sizeof(*e));
	if (e == NULL) {
		pthread_mutex_unlock(&registry_lock);
		rte_errno = ENOMEM;
		return -1;
	}
	e->pp = pp;
	TAILQ_INSERT_TAIL(&registry, e, next);
	pthread_mutex_unlock(&registry_lock);
	return 0;
}

void
pp_registry_del(struct pp_pool *pp)
{
	struct reg_entry *e;

	pthread_mutex_lock(&registry_lock);
	TAILQ_FOREACH(e, &registry, next) {
		if (e->pp == pp) {
			TAILQ_REMOVE(&registry, e, next);
			free(e);
			break;
		}
	}
	pthread_mutex_unlock(&registry_lock);
}

static int
tel_list(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct reg_entry *e;

	(void)cmd;
	(void)params;
	rte_tel_data_start_array(d, RTE_TEL_STRING_VAL);
	pthread_mutex_lock(&registry_lock);
	TAILQ_FOREACH(e, &registry, next)
		rte_tel_data_add_array_string(d, e->pp->name);
	pthread_mutex_unlock(&registry_lock);
	return 0;
}

static int
tel_stats(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct reg_entry *e;
	struct pp_stats st;
	bool found = false;

	(void)cmd;
	if (params == NULL || params[0] == '\0')
		return -EINVAL;
	pthread_mutex_lock(&registry_lock);
	TAILQ_FOREACH(e, &registry, next) {
		if (strcmp(e->pp->name, params) == 0) {
			pp_get_stats(e->pp, &st);
			found = true;
			break;
		}
	}
	pthread_mutex_unlock(&registry_lock);
	if (!found)
		return -ENOENT;
	rte_tel_data_start_dict(d);
#define ADD(k, v) rte_tel_data_add_dict_u64(d, k, v)
	ADD("alloc_fast", st.alloc.fast);
	ADD("alloc_slow", st.alloc.slow);
	ADD("alloc_slow_high_order", st.alloc.slow_high_order);
	ADD("alloc_empty", st.alloc.empty);
	ADD("alloc_refill", st.alloc.refill);
	ADD("alloc_waive", st.alloc.waive);
	ADD("recycle_cached", st.recycle.cached);
	ADD("recycle_cache_full", st.recycle.cache_full);
	ADD("recycle_ring", st.recycle.ring);
	ADD("recycle_ring_full", st.recycle.ring_full);
	ADD("recycle_released_refcnt", st.recycle.released_refcnt);
	ADD("hold", st.hold);
	ADD("release", st.release);
	ADD("inflight", st.inflight);
#undef ADD
	return 0;
}

RTE_INIT(pp_telemetry_init)
{
	rte_telemetry_register_cmd("/pagepool/list", tel_list,
				   "Lists page pools. No parameters");
	rte_telemetry_register_cmd("/pagepool/stats", tel_stats,
				   "Page pool counters. Parameters: pool name");
}

int
pp_stats_names(const char **names, unsigned int n)
{
	static const char *const all[] = {
		"alloc_fast", "alloc_slow", "alloc_slow_high_order",
		"alloc_empty", "alloc_refill", "alloc_waive",
		"recycle_cached", "recycle_cache_full", "recycle_ring",
		"recycle_ring_full", "recycle_released_refcnt",
	};
	unsigned int i;

	for (i = 0; names != NULL && i < RTE_MIN(n, RTE_DIM(all)); i++)
		names[i] = all[i];
	return RTE_DIM(all);
}

int
pp_stats_values(const struct pp_pool *pp, uint64_t *vals, unsigned int n)
{
	struct pp_stats st;
	uint64_t all[11];
	unsigned int i;

	pp_get_stats(pp, &st);
	all[0] = st.alloc.fast;
	all[1] = st.alloc.slow;
	all[2] = st.alloc.slow_high_order;
	all[3] = st.alloc.empty;
	all[4] = st.alloc.refill;
	all[5] = st.alloc.waive;
	all[6] = st.recycle.cached;
	all[7] = st.recycle.cache_full;
	all[8] = st.recycle.ring;
	all[9] = st.recycle.ring_full;
	all[10] = st.recycle.released_refcnt;
	for (i = 0; vals != NULL && i < RTE_MIN(n, RTE_DIM(all)); i++)
		vals[i] = all[i];
	return RTE_DIM(all);
}
