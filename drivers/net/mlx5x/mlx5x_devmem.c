/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Devmem bindings: binding a region to RX queues (each restarted on a
 * header pool plus its slice of the region), unbinding (queues back on
 * host memory, held chunks reclaimed and reported), the owner's handle
 * whose close unbinds, frag descriptors, batched token returns, counters,
 * and zero-copy TX segments with batched completion notifications.
 *
 * Bindings live in a fixed table of slots that are reused but never
 * freed, so the TX completion path finds a binding's notification ring
 * without a lock: a binding id is its slot plus a multiple of the table
 * size, and a notification for an id no longer in its slot is dropped.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <rte_alarm.h>
#include <rte_malloc.h>
#include <rte_mbuf_dyn.h>

#include "mlx5x.h"
#include "mlx5x_devmem.h"

#define DM_SLOTS 64u
#define DM_NOTIF_RING 4096u
#define DM_FRAG_MBUFS 16383u
#define DM_WATCH_US 100000u

struct dm_base {
	uint64_t chunks, splits, fallback, hdr, pay;
};

struct mlx5x_devmem {
	uint32_t id;
	uint16_t port;
	uint16_t nq;
	uint16_t queues[MLX5X_MAX_QUEUES];
	struct dm_base base[MLX5X_MAX_QUEUES]; /* rxq counters at bind */
	struct mlx5x_dm_mem mem;
	uint32_t lkey;
	uint32_t chunk_size, nchunks, per_q;
	uint8_t *held;
	struct pp_page **page;
	struct mlx5x_dm_queue dq[MLX5X_MAX_QUEUES];
	uint64_t returned, bad_tokens, tx_segs; /* under dm_lock */
	uint32_t tx_seq;
	int handle;                /* our end of the owner's socket pair */
};

struct dm_slot {
	uint32_t id;               /* 0: free; atomic */
	struct mlx5x_devmem *b;
	struct rte_ring *notif;    /* made once, kept across bindings */
	uint64_t tx_notified;      /* atomic */
	uint64_t notif_dropped;    /* sends never notified (ring full): atomic */
};

static pthread_mutex_t dm_lock = PTHREAD_MUTEX_INITIALIZER;
static struct dm_slot slots[DM_SLOTS];
static uint32_t slot_gen[DM_SLOTS];
static struct rte_mempool *frag_pools[RTE_MAX_ETHPORTS];
static bool watching;
static int dyn_off = -1;
static uint64_t dyn_flag;

static int
dyn_init(void)
{
	static const struct rte_mbuf_dynfield f = {
		.name = "rte_pmd_mlx5x_dynfield_devmem_frag",
		.size = sizeof(struct mlx5x_dm_dyn),
		.align = __alignof__(struct mlx5x_dm_dyn),
	};
	static const struct rte_mbuf_dynflag fl = {
		.name = "rte_pmd_mlx5x_dynflag_devmem_unreadable",
	};
	int bit;

	if (dyn_off >= 0)
		return 0;
	bit = rte_mbuf_dynflag_register(&fl);
	if (bit < 0)
		return -rte_errno;
	dyn_off = rte_mbuf_dynfield_register(&f);
	if (dyn_off < 0)
		return -rte_errno;
	dyn_flag = RTE_BIT64(bit);
	return 0;
}

uint64_t
mlx5x_devmem_dyn_flag(void)
{
	return dyn_init() == 0 ? dyn_flag : 0;
}

static struct mlx5x_devmem *
find(uint32_t id)
{
	struct dm_slot *s = &slots[id % DM_SLOTS];

	return id != 0 && s->id == id ? s->b : NULL;
}

/* ---------------------------------------------------------------- bind */

/* Restart queue @qi of @b on host memory. */
static int
queue_to_host(struct mlx5x_devmem *b, uint16_t qi)
{
	struct rte_eth_dev *dev = &rte_eth_devices[b->port];
	struct mlx5x_rxq *rxq = dev->data->rx_queues[b->queues[qi]];
	struct mlx5x_rxq_mem_req req = { 0 };
	struct mlx5x_rxq_mem m;
	int rc;

	rc = mlx5x_rxq_mem_alloc(rxq, &req, &m);
	if (rc == 0)
		rc = mlx5x_rxq_restart(dev, rxq, &m);
	return rc;
}

static int
queue_to_region(struct mlx5x_devmem *b, uint16_t qi)
{
	struct rte_eth_dev *dev = &rte_eth_devices[b->port];
	struct mlx5x_rxq *rxq = dev->data->rx_queues[b->queues[qi]];
	uint64_t off = (uint64_t)qi * b->per_q * b->chunk_size;
	struct mlx5x_rxq_mem_req req = {
		.dmq = &b->dq[qi],
		.pay_va = b->mem.va + off,
		.pay_iova = b->mem.iova + off,
		.pay_len = (uint64_t)b->per_q * b->chunk_size,
		.pay_lkey = b->lkey,
	};
	struct mlx5x_rxq_mem m;
	int rc;

	b->base[qi] = (struct dm_base){ rxq->dm_chunks, rxq->dm_splits,
		rxq->dm_fallback, rxq->dm_hdr_bytes, rxq->dm_pay_bytes };
	rc = mlx5x_rxq_mem_alloc(rxq, &req, &m);
	if (rc == 0)
		rc = mlx5x_rxq_restart(dev, rxq, &m);
	return rc;
}

/* Give back everything @b holds but its queues (already on host). */
static uint64_t
release(struct mlx5x_devmem *b)
{
	struct mlx5x_priv *priv = mlx5x_port_priv(b->port);
	uint64_t reclaimed = 0;

	for (uint32_t t = 0; b->held != NULL && t < b->nchunks; t++)
		if (__atomic_exchange_n(&b->held[t], 0, __ATOMIC_ACQ_REL)) {
			pp_put_page(b->page[t]);
			reclaimed++;
		}
	if (b->lkey != 0 && priv != NULL)
		mlx5x_mr_dereg(&priv->emu, b->lkey);
	mlx5x_dm_verbs_dereg(&b->mem);
	if (b->mem.prov != NULL)
		b->mem.prov->close(&b->mem);
	if (b->handle >= 0)
		close(b->handle);
	free(b->held);
	free(b->page);
	return reclaimed;
}

static void watch(void *arg);

static void
watch_arm(void)
{
	if (!watching && rte_eal_alarm_set(DM_WATCH_US, watch, NULL) == 0)
		watching = true;
}

static int
check_queues(struct rte_eth_dev *dev, const uint16_t *queues, uint16_t nq)
{
	uint16_t port = dev->data->port_id;

	if (nq > MLX5X_MAX_QUEUES || (nq != 0 && queues == NULL)) {
		MLX5X_LOG(ERR, "devmem bind: port %u: %u queues, at most %u",
			  port, nq, MLX5X_MAX_QUEUES);
		return -EINVAL;
	}
	for (uint16_t i = 0; i < nq; i++) {
		struct mlx5x_rxq *rxq;

		if (queues[i] >= dev->data->nb_rx_queues ||
		    (rxq = dev->data->rx_queues[queues[i]]) == NULL) {
			MLX5X_LOG(ERR, "devmem bind: port %u has no RX queue %u",
				  port, queues[i]);
			return -EINVAL;
		}
		for (uint16_t j = 0; j < i; j++)
			if (queues[j] == queues[i]) {
				MLX5X_LOG(ERR, "devmem bind: port %u queue %u "
					  "listed twice", port, queues[i]);
				return -EINVAL;
			}
		if (rxq->dmq != NULL) {
			MLX5X_LOG(ERR, "devmem bind: port %u rxq %u is bound "
				  "already (binding %u): unbind it first", port,
				  queues[i], rxq->dmq->binding);
			return -EBUSY;
		}
		if (rxq->mprq || rxq->split) {
			MLX5X_LOG(ERR, "devmem bind: port %u rxq %u: header split "
				  "needs a cyclic RQ (not mprq=1, not "
				  "RTE_ETH_RX_OFFLOAD_BUFFER_SPLIT)", port,
				  queues[i]);
			return -EINVAL;
		}
	}
	return 0;
}

static int
check_conf(const struct rte_pmd_mlx5x_devmem_conf *c)
{
	if (c->split > RTE_PMD_MLX5X_DEVMEM_SPLIT_FIXED) {
		MLX5X_LOG(ERR, "devmem bind: split %u: expected 0 (L4) or 1 "
			  "(fixed)", c->split);
		return -EINVAL;
	}
	if (c->split == RTE_PMD_MLX5X_DEVMEM_SPLIT_FIXED &&
	    (c->split_len < 14 || c->split_len > 1024)) {
		MLX5X_LOG(ERR, "devmem bind: split_len %u out of range 14..1024",
			  c->split_len);
		return -EINVAL;
	}
	if (c->chunk_size < 2048 || c->chunk_size > 65536 ||
	    !rte_is_power_of_2(c->chunk_size)) {
		MLX5X_LOG(ERR, "devmem bind: chunk_size %u: a power of two "
			  "2048..65536", c->chunk_size);
		return -EINVAL;
	}
	if (c->flags & ~(uint32_t)RTE_PMD_MLX5X_DEVMEM_F_VERBS) {
		MLX5X_LOG(ERR, "devmem bind: unknown flags 0x%x", c->flags);
		return -EINVAL;
	}
	return 0;
}

static struct rte_mempool *
frag_pool(uint16_t port)
{
	char name[RTE_MEMPOOL_NAMESIZE];

	if (frag_pools[port] != NULL)
		return frag_pools[port];
	snprintf(name, sizeof(name), "mlx5x_dmfrag_p%u", port);
	/* header-only mbufs: the data is in the region */
	frag_pools[port] = rte_pktmbuf_pool_create(name, DM_FRAG_MBUFS, 256, 0,
						   0, SOCKET_ID_ANY);
	if (frag_pools[port] == NULL)
		MLX5X_LOG(ERR, "devmem: port %u: frag mbuf pool: %s", port,
			  rte_strerror(rte_errno));
	return frag_pools[port];
}

/* Warn when RSS can put other traffic on a bound queue. */
static void
check_reta(struct mlx5x_priv *priv, const struct mlx5x_devmem *b)
{
	uint16_t nrxq = priv->dev->data->nb_rx_queues;

	/* nothing to keep off when every queue is bound */
	if (b->nq == 0 || priv->rss_hf == 0 || b->nq >= nrxq)
		return;
	for (uint32_t i = 0; i < MLX5X_RETA_SIZE; i++)
		for (uint16_t q = 0; q < b->nq; q++)
			if (priv->reta[i] % nrxq == b->queues[q]) {
				MLX5X_LOG(WARNING, "devmem bind %u: RSS RETA entry "
					  "%u spreads traffic onto bound queue "
					  "%u; rte_eth_dev_rss_reta_update can "
					  "keep it off (doc/devmem.md)", b->id,
					  i, b->queues[q]);
				return;
			}
}

int
rte_pmd_mlx5x_devmem_bind(uint16_t port, const uint16_t *queues, uint16_t nq,
			  const struct rte_pmd_mlx5x_devmem_region *region,
			  const struct rte_pmd_mlx5x_devmem_conf *conf,
			  int *handle)
{
	struct rte_pmd_mlx5x_devmem_conf c = { .chunk_size = 4096 };
	struct mlx5x_priv *priv = mlx5x_port_priv(port);
	const struct mlx5x_dm_provider *prov;
	struct mlx5x_devmem *b;
	uint32_t slot = DM_SLOTS;
	uint16_t done = 0;
	int rc, sv[2];

	if (priv == NULL) {
		MLX5X_LOG(ERR, "devmem bind: port %u is not an mlx5x port", port);
		return -EINVAL;
	}
	if (conf != NULL) {
		c = *conf;
		if (c.chunk_size == 0)
			c.chunk_size = 4096;
	}
	rc = check_conf(&c);
	if (rc != 0)
		return rc;
	prov = region != NULL ? mlx5x_dm_provider_of(region->type) : NULL;
	if (prov == NULL) {
		MLX5X_LOG(ERR, "devmem bind: region type %d: expected FD (1), "
			  "VA (2) or CUDA (3)", region != NULL ? region->type : -1);
		return -EINVAL;
	}
	rc = dyn_init();
	if (rc != 0)
		return rc;
	pthread_mutex_lock(&dm_lock);
	rc = check_queues(priv->dev, queues, nq);
	for (uint32_t s = 0; rc == 0 && s < DM_SLOTS; s++)
		if (slots[s].id == 0) {
			slot = s;
			break;
		}
	if (rc == 0 && slot == DM_SLOTS) {
		MLX5X_LOG(ERR, "devmem bind: all %u bindings in use", DM_SLOTS);
		rc = -ENOSPC;
	}
	b = rc == 0 ? calloc(1, sizeof(*b)) : NULL;
	if (rc == 0 && b == NULL)
		rc = -ENOMEM;
	if (rc != 0) {
		pthread_mutex_unlock(&dm_lock);
		return rc;
	}
	b->handle = -1;
	b->port = port;
	b->nq = nq;
	if (nq != 0)
		memcpy(b->queues, queues, nq * sizeof(*queues));
	b->chunk_size = c.chunk_size;
	rc = prov->open(region, &b->mem);
	if (rc != 0)
		goto fail;
	b->mem.prov = prov;
	if (c.flags & RTE_PMD_MLX5X_DEVMEM_F_VERBS) {
		rc = mlx5x_dm_verbs_reg(&b->mem, region);
		if (rc != 0)
			goto fail;
	}
	/* the emulated device's registration: its DMA checks this lkey */
	b->lkey = mlx5x_mr_reg(&priv->emu, b->mem.va, b->mem.iova, b->mem.len);
	b->nchunks = (uint32_t)RTE_MIN(b->mem.len / c.chunk_size,
				       (uint64_t)1 << 24);
	b->per_q = nq != 0 ? b->nchunks / nq : 0;
	b->held = calloc(RTE_MAX(b->nchunks, 1u), 1);
	b->page = calloc(RTE_MAX(b->nchunks, 1u), sizeof(*b->page));
	if (b->lkey == 0 || b->held == NULL || b->page == NULL ||
	    frag_pool(port) == NULL) {
		MLX5X_LOG(ERR, "devmem bind: port %u: no memory for the binding "
			  "(registration table, token arrays or frag mbufs)",
			  port);
		rc = -ENOMEM;
		goto fail;
	}
	if (slots[slot].notif == NULL) {
		char name[RTE_RING_NAMESIZE];

		snprintf(name, sizeof(name), "mlx5x_dmnotif%u", slot);
		slots[slot].notif = rte_ring_create(name, DM_NOTIF_RING,
						    SOCKET_ID_ANY, RING_F_SC_DEQ);
		if (slots[slot].notif == NULL) {
			rc = -ENOMEM;
			goto fail;
		}
	}
	rte_ring_reset(slots[slot].notif);
	b->id = slot + DM_SLOTS * (++slot_gen[slot]);
	for (uint16_t i = 0; i < nq; i++) {
		struct mlx5x_dm_queue *dq = &b->dq[i];
		struct rte_mbuf m;

		dq->binding = b->id;
		dq->tok_base = i * b->per_q;
		dq->off_base = (uint64_t)i * b->per_q * b->chunk_size;
		dq->chunk_size = b->chunk_size;
		dq->hds = c.split == RTE_PMD_MLX5X_DEVMEM_SPLIT_FIXED ?
			  MLX5X_HDS_FIXED : MLX5X_HDS_L4;
		dq->hds_len = (uint16_t)c.split_len;
		dq->held = b->held;
		dq->page = b->page;
		dq->frag_mp = frag_pools[port];
		dq->dyn_off = dyn_off;
		dq->dyn_flag = dyn_flag;
		memset(&m, 0, sizeof(m));
		m.data_off = 0;
		m.nb_segs = 1;
		m.port = port;
		rte_mbuf_refcnt_set(&m, 1);
		dq->frag_rearm = *mlx5x_mbuf_rearm(&m);
		dq->mem = prov->sync != NULL ? &b->mem : NULL;
	}
	for (done = 0; done < nq; done++) {
		rc = queue_to_region(b, done);
		if (rc != 0) {
			MLX5X_LOG(ERR, "devmem bind: port %u rxq %u: restart "
				  "failed (%s); the queue runs on host memory%s",
				  port, queues[done], rte_strerror(-rc),
				  done ? ", as do those bound before it" : "");
			while (done-- > 0)
				queue_to_host(b, done);
			goto fail;
		}
	}
	if (handle != NULL) {
		if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
			rc = -errno;
			for (done = 0; done < nq; done++)
				queue_to_host(b, done);
			goto fail;
		}
		*handle = sv[0];
		b->handle = sv[1];
	}
	slots[slot].b = b;
	__atomic_store_n(&slots[slot].tx_notified, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&slots[slot].notif_dropped, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&slots[slot].id, b->id, __ATOMIC_RELEASE);
	check_reta(priv, b);
	if (handle != NULL)
		watch_arm();
	MLX5X_LOG(INFO, "devmem binding %u: port %u, %u queues, %s region of "
		  "%" PRIu64 " B, %u chunks of %u B", b->id, port, nq, prov->name,
		  b->mem.len, b->nchunks, b->chunk_size);
	pthread_mutex_unlock(&dm_lock);
	return (int)b->id;
fail:
	release(b);
	free(b);
	pthread_mutex_unlock(&dm_lock);
	return rc;
}

/* Under dm_lock. */
static int
unbind_locked(uint32_t id)
{
	struct mlx5x_devmem *b = find(id);
	uint64_t reclaimed;
	int rc = 0;

	if (b == NULL)
		return -ENOENT;
	for (uint16_t i = 0; i < b->nq; i++) {
		int r = queue_to_host(b, i);

		if (r != 0) {
			/* the queue cannot move: leave the binding whole */
			MLX5X_LOG(ERR, "devmem unbind %u: port %u rxq %u: %s; "
				  "try again", id, b->port, b->queues[i],
				  rte_strerror(-r));
			while (i-- > 0)
				queue_to_region(b, i);
			return r;
		}
	}
	__atomic_store_n(&slots[id % DM_SLOTS].id, 0, __ATOMIC_RELEASE);
	slots[id % DM_SLOTS].b = NULL;
	reclaimed = release(b);
	if (reclaimed != 0)
		MLX5X_LOG(WARNING, "devmem unbind %u: %" PRIu64 " payload chunks "
			  "the application still held were reclaimed; their "
			  "tokens are void", id, reclaimed);
	rc = (int)RTE_MIN(reclaimed, (uint64_t)INT32_MAX);
	free(b);
	return rc;
}

int
rte_pmd_mlx5x_devmem_unbind(uint32_t id)
{
	int rc;

	pthread_mutex_lock(&dm_lock);
	rc = unbind_locked(id);
	pthread_mutex_unlock(&dm_lock);
	return rc;
}

/* Unbind what the owners closed the handles of. */
static void
watch(void *arg)
{
	uint32_t gone[DM_SLOTS], n = 0;
	bool more = false;

	(void)arg;
	pthread_mutex_lock(&dm_lock);
	watching = false;
	for (uint32_t s = 0; s < DM_SLOTS; s++) {
		struct mlx5x_devmem *b = slots[s].id ? slots[s].b : NULL;
		struct pollfd p;

		if (b == NULL || b->handle < 0)
			continue;
		p.fd = b->handle;
		p.events = POLLIN;
		p.revents = 0;
		if (poll(&p, 1, 0) > 0 && (p.revents & (POLLHUP | POLLERR)))
			gone[n++] = b->id;
		else
			more = true;
	}
	for (uint32_t i = 0; i < n; i++) {
		MLX5X_LOG(INFO, "devmem binding %u: its handle was closed: "
			  "unbinding", gone[i]);
		unbind_locked(gone[i]);
	}
	if (more)
		watch_arm();
	pthread_mutex_unlock(&dm_lock);
}

void
mlx5x_devmem_port_close(uint16_t port)
{
	pthread_mutex_lock(&dm_lock);
	for (uint32_t s = 0; s < DM_SLOTS; s++)
		if (slots[s].id != 0 && slots[s].b->port == port)
			unbind_locked(slots[s].id);
	if (frag_pools[port] != NULL) {
		unsigned int used = rte_mempool_in_use_count(frag_pools[port]);

		if (used == 0) {
			rte_mempool_free(frag_pools[port]);
			frag_pools[port] = NULL;
		} else {
			MLX5X_LOG(WARNING, "devmem: port %u closed with %u "
				  "unreadable-segment mbufs not freed; their "
				  "pool stays", port, used);
		}
	}
	pthread_mutex_unlock(&dm_lock);
}

/* ------------------------------------------------------- app interface */

int
rte_pmd_mlx5x_devmem_unreadable(const struct rte_mbuf *seg)
{
	return seg != NULL && dyn_off >= 0 && (seg->ol_flags & dyn_flag) != 0;
}

int
rte_pmd_mlx5x_devmem_frags(const struct rte_mbuf *m,
			   struct rte_pmd_mlx5x_devmem_frag *f, unsigned int n)
{
	unsigned int k = 0;

	for (; m != NULL; m = m->next) {
		const struct mlx5x_dm_dyn *d;

		if (!rte_pmd_mlx5x_devmem_unreadable(m))
			continue;
		d = RTE_MBUF_DYNFIELD(m, dyn_off, const struct mlx5x_dm_dyn *);
		if (k < n) {
			f[k].binding = d->binding;
			f[k].token = d->token;
			f[k].offset = d->offset + m->data_off;
			f[k].len = m->data_len;
		}
		k++;
	}
	return (int)k;
}

int
rte_pmd_mlx5x_devmem_tokens_return(uint32_t id, const uint32_t *tokens,
				   unsigned int n)
{
	struct pp_page *batch[64];
	struct mlx5x_devmem *b;
	unsigned int k = 0, freed = 0;

	pthread_mutex_lock(&dm_lock);
	b = find(id);
	if (b == NULL) {
		pthread_mutex_unlock(&dm_lock);
		return -ENOENT;
	}
	for (unsigned int i = 0; i < n; i++) {
		uint32_t t = tokens[i];

		if (t >= b->nchunks ||
		    !__atomic_exchange_n(&b->held[t], 0, __ATOMIC_ACQ_REL)) {
			b->bad_tokens++;
			continue;
		}
		batch[k++] = b->page[t];
		if (k == RTE_DIM(batch)) {
			pp_put_page_bulk(batch, k);
			freed += k;
			k = 0;
		}
	}
	if (k != 0)
		pp_put_page_bulk(batch, k);
	freed += k;
	b->returned += freed;
	pthread_mutex_unlock(&dm_lock);
	return (int)freed;
}

int
rte_pmd_mlx5x_devmem_stats_get(uint32_t id,
			       struct rte_pmd_mlx5x_devmem_stats *st)
{
	struct mlx5x_devmem *b;

	pthread_mutex_lock(&dm_lock);
	b = find(id);
	if (b == NULL || st == NULL) {
		pthread_mutex_unlock(&dm_lock);
		return -ENOENT;
	}
	memset(st, 0, sizeof(*st));
	st->bound_queues = b->nq;
	st->chunks = b->nchunks;
	for (uint16_t i = 0; i < b->nq; i++) {
		const struct mlx5x_rxq *rxq =
			rte_eth_devices[b->port].data->rx_queues[b->queues[i]];

		st->chunks_delivered += rxq->dm_chunks - b->base[i].chunks;
		st->splits += rxq->dm_splits - b->base[i].splits;
		st->fallback += rxq->dm_fallback - b->base[i].fallback;
		st->header_bytes += rxq->dm_hdr_bytes - b->base[i].hdr;
		st->payload_bytes += rxq->dm_pay_bytes - b->base[i].pay;
	}
	st->chunks_returned = b->returned;
	st->chunks_in_flight = st->chunks_delivered - b->returned;
	st->bad_tokens = b->bad_tokens;
	st->tx_segs = b->tx_segs;
	st->tx_notified = __atomic_load_n(&slots[id % DM_SLOTS].tx_notified,
					  __ATOMIC_RELAXED);
	st->tx_notif_dropped = __atomic_load_n(&slots[id % DM_SLOTS].notif_dropped,
					       __ATOMIC_RELAXED);
	pthread_mutex_unlock(&dm_lock);
	return 0;
}

/* ------------------------------------------------------------------ TX */

struct rte_mbuf *
rte_pmd_mlx5x_devmem_tx_seg(uint32_t id, uint64_t offset, uint32_t len,
			    uint32_t *seq)
{
	struct mlx5x_devmem *b;
	struct mlx5x_dm_dyn *d;
	struct rte_mbuf *m;

	pthread_mutex_lock(&dm_lock);
	b = find(id);
	if (b == NULL) {
		pthread_mutex_unlock(&dm_lock);
		rte_errno = ENOENT;
		return NULL;
	}
	if (len == 0 || len > UINT16_MAX || offset > b->mem.len ||
	    len > b->mem.len - offset) {
		MLX5X_LOG(ERR, "devmem tx: binding %u: [%" PRIu64 ", +%u) is "
			  "not inside its %" PRIu64 "-byte region", id, offset,
			  len, b->mem.len);
		pthread_mutex_unlock(&dm_lock);
		rte_errno = ERANGE;
		return NULL;
	}
	m = rte_pktmbuf_alloc(frag_pools[b->port]);
	if (m == NULL) {
		pthread_mutex_unlock(&dm_lock);
		rte_errno = ENOMEM;
		return NULL;
	}
	m->buf_addr = NULL;
	m->buf_iova = b->mem.iova + offset;
	m->buf_len = (uint16_t)len;
	m->data_off = 0;
	m->data_len = (uint16_t)len;
	m->pkt_len = len;
	m->ol_flags = dyn_flag;
	d = RTE_MBUF_DYNFIELD(m, dyn_off, struct mlx5x_dm_dyn *);
	d->binding = id;
	d->token = UINT32_MAX;
	d->seq = b->tx_seq++;
	d->rsvd = 0;
	d->offset = offset;
	if (seq != NULL)
		*seq = d->seq;
	b->tx_segs++;
	pthread_mutex_unlock(&dm_lock);
	return m;
}

/* One notification for [lo, hi] of binding @id; lock-free (slots stay). */
static void
notify(uint32_t id, uint32_t lo, uint32_t hi)
{
	struct dm_slot *s = &slots[id % DM_SLOTS];
	uintptr_t v = (uintptr_t)lo << 32 | hi;

	if (__atomic_load_n(&s->id, __ATOMIC_ACQUIRE) != id)
		return; /* unbound meanwhile: nobody to tell */
	if (rte_ring_mp_enqueue(s->notif, (void *)v) != 0) {
		__atomic_fetch_add(&s->notif_dropped, (uint64_t)(hi - lo) + 1,
				   __ATOMIC_RELAXED);
		return;
	}
	__atomic_fetch_add(&s->tx_notified, (uint64_t)(hi - lo) + 1,
			   __ATOMIC_RELAXED);
}

/* The TX queue is done with these packets (sent, failed or flushed):
 * their region segments, coalesced into ranges of consecutive sends. */
void
mlx5x_devmem_tx_done(struct rte_mbuf **pk, unsigned int n)
{
	uint32_t id = 0, lo = 0, hi = 0;

	for (unsigned int i = 0; i < n; i++)
		for (struct rte_mbuf *m = pk[i]; m != NULL; m = m->next) {
			const struct mlx5x_dm_dyn *d;

			if (!(m->ol_flags & dyn_flag))
				continue;
			d = RTE_MBUF_DYNFIELD(m, dyn_off,
					      const struct mlx5x_dm_dyn *);
			if (d->token != UINT32_MAX)
				continue; /* an RX payload sent on */
			if (id == d->binding && d->seq == hi + 1) {
				hi = d->seq;
				continue;
			}
			if (id != 0)
				notify(id, lo, hi);
			id = d->binding;
			lo = hi = d->seq;
		}
	if (id != 0)
		notify(id, lo, hi);
}

int
rte_pmd_mlx5x_devmem_tx_notif(uint32_t id, struct rte_pmd_mlx5x_devmem_notif *nt,
			      unsigned int n)
{
	struct dm_slot *s = &slots[id % DM_SLOTS];
	void *v[64];
	unsigned int k = 0;

	if (id == 0 || __atomic_load_n(&s->id, __ATOMIC_ACQUIRE) != id)
		return -ENOENT;
	while (k < n) {
		unsigned int got = rte_ring_sc_dequeue_burst(s->notif, v,
			RTE_MIN(n - k, (unsigned int)RTE_DIM(v)), NULL);

		for (unsigned int i = 0; i < got; i++) {
			nt[k + i].lo = (uint32_t)((uintptr_t)v[i] >> 32);
			nt[k + i].hi = (uint32_t)(uintptr_t)v[i];
		}
		k += got;
		if (got == 0)
			break;
	}
	return (int)k;
}

int
rte_pmd_mlx5x_inject_restart_fault(uint16_t port, uint16_t queue)
{
	struct mlx5x_priv *priv = mlx5x_port_priv(port);
	struct mlx5x_rxq *rxq;

	if (priv == NULL || queue >= priv->dev->data->nb_rx_queues ||
	    (rxq = priv->dev->data->rx_queues[queue]) == NULL)
		return -EINVAL;
	rxq->fail_next_start = true;
	return 0;
}
