/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Deferred destroy: pools destroyed with pages still out wait here until
 * the last one is back, like the kernel's page_pool_release_retry. One
 * detached thread polls them, drains their rings, logs stalls and frees
 * them; it exits when none is left.
 */
#include <errno.h>
#include <time.h>
#include <unistd.h>

#include <rte_errno.h>
#include <rte_ring.h>

#include "pp_internal.h"

#define REAPER_POLL_US 20000
#define REAPER_WARN_FIRST_S 1
#define REAPER_WARN_EVERY_S 60

static pthread_mutex_t reaper_lock = PTHREAD_MUTEX_INITIALIZER;
static struct pp_pool *dying;
static bool reaper_running;

static uint64_t
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec;
}

/* One pass over the dying pools (reaper_lock held): free those with
 * every page back, warn about stalled ones. */
static void
reap_locked(void)
{
	struct pp_pool **pp_link = &dying, *pp;

	while ((pp = *pp_link) != NULL) {
		/* Whoever holds reaper_lock is the ring's only consumer. */
		uint64_t inflight = pp_drain(pp);
		uint64_t age = now_s() - pp->dying_since;

		if (inflight == 0) {
			*pp_link = pp->next_dying;
			PP_LOG(INFO, "%s: released after %" PRIu64 " s",
			       pp->name, age);
			pp_free(pp);
			continue;
		}
		if (age >= REAPER_WARN_FIRST_S &&
		    (age == REAPER_WARN_FIRST_S ||
		     age % REAPER_WARN_EVERY_S == 0) &&
		    pp->warned_at != age) {
			pp->warned_at = age;
			PP_LOG(WARNING, "%s: stalled pool shutdown: %"
			       PRIu64 " inflight %" PRIu64 " sec",
			       pp->name, inflight, age);
		}
		pp_link = &pp->next_dying;
	}
}

static void *
reaper_main(void *arg)
{
	(void)arg;
	for (;;) {
		usleep(REAPER_POLL_US);
		pthread_mutex_lock(&reaper_lock);
		reap_locked();
		if (dying == NULL) {
			reaper_running = false;
			pthread_mutex_unlock(&reaper_lock);
			return NULL;
		}
		pthread_mutex_unlock(&reaper_lock);
	}
}

int
pp_reap(void)
{
	int n = 0;
	struct pp_pool *pp;

	pthread_mutex_lock(&reaper_lock);
	reap_locked();
	for (pp = dying; pp != NULL; pp = pp->next_dying)
		n++;
	pthread_mutex_unlock(&reaper_lock);
	return n;
}

int
pp_reaper_add(struct pp_pool *pp)
{
	pthread_t tid;
	int rc = 0;

	pp->dying_since = now_s();
	pthread_mutex_lock(&reaper_lock);
	pp->next_dying = dying;
	dying = pp;
	if (!reaper_running) {
		rc = pthread_create(&tid, NULL, reaper_main, NULL);
		if (rc == 0) {
			pthread_detach(tid);
			reaper_running = true;
		} else {
			dying = pp->next_dying;
		}
	}
	pthread_mutex_unlock(&reaper_lock);
	if (rc != 0)
		rte_errno = rc;
	return rc ? -1 : 0;
}

int
pp_deferred_count(void)
{
	int n = 0;
	struct pp_pool *pp;

	pthread_mutex_lock(&reaper_lock);
	for (pp = dying; pp != NULL; pp = pp->next_dying)
		n++;
	pthread_mutex_unlock(&reaper_lock);
	return n;
}
