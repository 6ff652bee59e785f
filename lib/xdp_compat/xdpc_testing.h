/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Test-only entry points of xdp_compat, not installed: the project's own
 * tests of the interpreter's runtime checks need programs the verifier
 * refuses.
 */
#ifndef XDPC_TESTING_H
#define XDPC_TESTING_H

#include <stddef.h>

struct xdpc_obj;

/* xdpc_obj_load without the abstract interpreter (the control-flow pass
 * still runs, as the interpreter relies on it). */
int xdpc_obj_load_unverified(struct xdpc_obj *obj, char *err, size_t errlen);

#endif
