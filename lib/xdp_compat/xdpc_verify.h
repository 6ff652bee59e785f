/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Verifier internals shared by its passes: the helper prototypes the
 * abstract interpreter checks calls against (xdpc_vhelpers.c).
 */
#ifndef XDPC_VERIFY_H
#define XDPC_VERIFY_H

#include <stdbool.h>
#include <stdint.h>

/* What a helper argument must be. */
enum xdpc_argt {
	XA_NONE = 0,
	XA_ANY,         /* any initialised value */
	XA_CTX,         /* the context, unmoved */
	XA_MAP,         /* a map of the types in proto.maps */
	XA_KEY,         /* readable memory of the map's key size */
	XA_VALUE,       /* readable memory of the map's value size */
	XA_MEM_RO,      /* readable memory, size in the next argument */
	XA_MEM_RO_NULL, /* ...or NULL */
	XA_MEM_RW,      /* initialised memory the helper also writes */
	XA_MEM_UNINIT,  /* memory the helper fills */
	XA_SIZE,        /* the size before it, > 0, bounded */
	XA_SIZE0,       /* the size before it, >= 0, bounded */
	XA_CONST_SIZE0, /* a known size >= 0 (ringbuf reservations) */
	XA_INT,         /* a u32 the helper reads and writes */
	XA_LOCK,        /* a bpf_spin_lock in a map value */
	XA_FUNC,        /* a callback: a subprogram's address */
	XA_STACK_NULL,  /* a stack pointer, or NULL */
	XA_RECORD,      /* a reserved ringbuf record, released here */
};

enum xdpc_rett {
	XR_INT = 0,     /* a scalar */
	XR_MAPV_NULL,   /* the map's value, or NULL */
	XR_MEM_NULL,    /* a ringbuf record of the size asked, or NULL */
};

struct xdpc_proto {
	const char *name;
	uint8_t arg[5];
	uint8_t ret;
	bool pkt_changes;       /* moves data/data_end/data_meta */
	uint32_t maps;          /* map types allowed (1 << type) */
};

/* The prototype of helper @id, or NULL when there is none. */
const struct xdpc_proto *xdpc_proto(uint32_t id);

/* Map types a program may write through a value pointer. */
bool xdpc_vmap_prog_writable(uint32_t type, uint32_t flags, bool readonly);

#endif
