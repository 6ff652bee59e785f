/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * wire=loop and wire=peer: a cable of frame slots. loop feeds a port's
 * transmit back into its own receive; peer joins two mlx5x ports in one
 * process back to back (each names the other with peer=). Each direction
 * is a single-producer single-consumer ring of frame copies: the sender's
 * device thread fills it, the receiver's drains it.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>
#include <rte_log.h>

#include "mlx5x_devargs.h"
#include "mlx5x_wire.h"

extern int mlx5x_logtype;

#define CABLE_SLOTS 1024u

struct lane {
	uint32_t head;     /* consumer */
	uint32_t _pad[15];
	uint32_t tail;     /* producer */
	uint32_t _pad2[15];
	uint32_t len[CABLE_SLOTS];
	uint8_t (*slot)[MLX5X_WIRE_MAX_FRAME];
};

static struct lane *
lane_new(void)
{
	struct lane *l = aligned_alloc(64, RTE_ALIGN_CEIL(sizeof(*l), 64));

	if (l == NULL)
		return NULL;
	memset(l, 0, sizeof(*l));
	l->slot = malloc((size_t)CABLE_SLOTS * MLX5X_WIRE_MAX_FRAME);
	if (l->slot == NULL) {
		free(l);
		return NULL;
	}
	return l;
}

static void
lane_free(struct lane *l)
{
	if (l != NULL) {
		free(l->slot);
		free(l);
	}
}

static unsigned int
lane_put(struct lane *l, const struct mlx5x_frame *f, unsigned int n)
{
	uint32_t head = __atomic_load_n(&l->head, __ATOMIC_ACQUIRE);
	uint32_t tail = l->tail, i;

	n = RTE_MIN(n, CABLE_SLOTS - (tail - head));
	for (i = 0; i < n; i++) {
		uint32_t s = (tail + i) % CABLE_SLOTS;

		memcpy(l->slot[s], f[i].data, f[i].len);
		l->len[s] = f[i].len;
	}
	__atomic_store_n(&l->tail, tail + n, __ATOMIC_RELEASE);
	return n;
}

static unsigned int
lane_peek(struct lane *l, struct mlx5x_frame *f, unsigned int n)
{
	uint32_t tail = __atomic_load_n(&l->tail, __ATOMIC_ACQUIRE);
	uint32_t head = l->head, i;

	n = RTE_MIN(n, tail - head);
	for (i = 0; i < n; i++) {
		uint32_t s = (head + i) % CABLE_SLOTS;

		f[i].data = l->slot[s];
		f[i].len = l->len[s];
		f[i].flow = MLX5X_FLOW_NONE;
	}
	return n;
}

static void
lane_release(struct lane *l, unsigned int n)
{
	__atomic_store_n(&l->head, l->head + n, __ATOMIC_RELEASE);
}

/* ---- loop ---- */

static int
loop_open(struct mlx5x_wire *w, const struct mlx5x_devargs *da)
{
	(void)da;
	w->priv = lane_new();
	return w->priv ? 0 : -ENOMEM;
}

static unsigned int
loop_rx_peek(struct mlx5x_wire *w, struct mlx5x_frame *f, unsigned int n)
{
	return lane_peek(w->priv, f, n);
}

static void
loop_rx_release(struct mlx5x_wire *w, unsigned int n)
{
	lane_release(w->priv, n);
}

static unsigned int
loop_tx(struct mlx5x_wire *w, const struct mlx5x_frame *f, unsigned int n)
{
	return lane_put(w->priv, f, n);
}

static void
loop_close(struct mlx5x_wire *w)
{
	lane_free(w->priv);
	w->priv = NULL;
}

const struct mlx5x_wire_ops mlx5x_wire_loop = {
	.name = "loop",
	.open = loop_open,
	.rx_peek = loop_rx_peek,
	.rx_release = loop_rx_release,
	.tx = loop_tx,
	.close = loop_close,
};

/* ---- peer: cables are found by the pair of port names ---- */

struct cable {
	char a[64], b[64];       /* a < b */
	struct lane *to_a, *to_b;
	int users;
	struct cable *next;
};

struct peer_end {
	struct cable *c;
	struct lane *rx, *tx;
};

static pthread_mutex_t cables_lock = PTHREAD_MUTEX_INITIALIZER;
static struct cable *cables;

static int
peer_open(struct mlx5x_wire *w, const struct mlx5x_devargs *da)
{
	const char *me = w->emu->name, *other = da->peer;
	const char *a = strcmp(me, other) < 0 ? me : other;
	const char *b = a == me ? other : me;
	struct peer_end *e;
	struct cable *c;

	if (strcmp(me, other) == 0) {
		rte_log(RTE_LOG_ERR, mlx5x_logtype,
			"mlx5x: %s: devarg peer=%s names the port itself; use "
			"wire=loop\n", me, other);
		return -EINVAL;
	}
	e = calloc(1, sizeof(*e));
	if (e == NULL)
		return -ENOMEM;
	pthread_mutex_lock(&cables_lock);
	for (c = cables; c != NULL; c = c->next)
		if (!strcmp(c->a, a) && !strcmp(c->b, b))
			break;
	if (c == NULL) {
		c = calloc(1, sizeof(*c));
		if (c == NULL || (c->to_a = lane_new()) == NULL ||
		    (c->to_b = lane_new()) == NULL) {
			if (c != NULL) {
				lane_free(c->to_a);
				free(c);
			}
			pthread_mutex_unlock(&cables_lock);
			free(e);
			return -ENOMEM;
		}
		snprintf(c->a, sizeof(c->a), "%s", a);
		snprintf(c->b, sizeof(c->b), "%s", b);
		c->next = cables;
		cables = c;
	}
	c->users++;
	pthread_mutex_unlock(&cables_lock);
	e->c = c;
	e->rx = a == me ? c->to_a : c->to_b;
	e->tx = a == me ? c->to_b : c->to_a;
	w->priv = e;
	return 0;
}

static unsigned int
peer_rx_peek(struct mlx5x_wire *w, struct mlx5x_frame *f, unsigned int n)
{
	return lane_peek(((struct peer_end *)w->priv)->rx, f, n);
}

static void
peer_rx_release(struct mlx5x_wire *w, unsigned int n)
{
	lane_release(((struct peer_end *)w->priv)->rx, n);
}

static unsigned int
peer_tx(struct mlx5x_wire *w, const struct mlx5x_frame *f, unsigned int n)
{
	return lane_put(((struct peer_end *)w->priv)->tx, f, n);
}

static void
peer_close(struct mlx5x_wire *w)
{
	struct peer_end *e = w->priv;
	struct cable **pc;

	if (e == NULL)
		return;
	pthread_mutex_lock(&cables_lock);
	if (--e->c->users == 0) {
		for (pc = &cables; *pc != NULL; pc = &(*pc)->next) {
			if (*pc == e->c) {
				*pc = e->c->next;
				break;
			}
		}
		lane_free(e->c->to_a);
		lane_free(e->c->to_b);
		free(e->c);
	}
	pthread_mutex_unlock(&cables_lock);
	free(e);
	w->priv = NULL;
}

const struct mlx5x_wire_ops mlx5x_wire_peer = {
	.name = "peer",
	.open = peer_open,
	.rx_peek = peer_rx_peek,
	.rx_release = peer_rx_release,
	.tx = peer_tx,
	.close = peer_close,
};
