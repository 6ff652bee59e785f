/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The -i prompt, on DPDK's cmdline library, polled from the main loop
 * while the forwarding lcores run: show stats / xstats, xdp load and
 * unload (hot: native programs are swapped by the driver between two
 * bursts, generic ones by the RX callback), map dump and update, quit.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmdline.h>
#include <cmdline_parse.h>
#include <cmdline_parse_num.h>
#include <cmdline_parse_string.h>
#include <cmdline_rdline.h>
#include <cmdline_socket.h>
#include <rte_ethdev.h>

#include "txp.h"

static struct txp_conf *conf;
static struct txp_report *report;
static struct cmdline *cl;
static int quit;

static void
done(void)
{
	fflush(stdout);
	fflush(stderr);
}

/* ---- show stats | xstats ---- */
struct show_res {
	cmdline_fixed_string_t show;
	cmdline_fixed_string_t what;
};

static void
xstats(uint16_t port)
{
	int n = rte_eth_xstats_get(port, NULL, 0);
	struct rte_eth_xstat *xs;
	struct rte_eth_xstat_name *names;

	if (n <= 0)
		return;
	xs = calloc((size_t)n, sizeof(*xs));
	names = calloc((size_t)n, sizeof(*names));
	if (xs != NULL && names != NULL &&
	    rte_eth_xstats_get(port, xs, (unsigned int)n) == n &&
	    rte_eth_xstats_get_names(port, names, (unsigned int)n) == n) {
		printf("port %u xstats (non-zero):\n", port);
		for (int i = 0; i < n; i++)
			if (xs[i].value != 0)
				printf("  %-40s %" PRIu64 "\n",
				       names[xs[i].id].name, xs[i].value);
	}
	free(xs);
	free(names);
}

static void
show_cb(void *res, struct cmdline *c, void *data)
{
	struct show_res *r = res;

	(void)c;
	(void)data;
	if (!strcmp(r->what, "stats"))
		txp_report_show(report);
	else
		for (unsigned int i = 0; i < conf->nb_ports; i++)
			xstats(conf->ports[i]);
	done();
}

static cmdline_parse_token_string_t show_t0 =
	TOKEN_STRING_INITIALIZER(struct show_res, show, "show");
static cmdline_parse_token_string_t show_t1 =
	TOKEN_STRING_INITIALIZER(struct show_res, what, "stats#xstats");
static cmdline_parse_inst_t show_cmd = {
	.f = show_cb,
	.help_str = "show stats|xstats: rates, totals per stream / port xstats",
	.tokens = { (void *)&show_t0, (void *)&show_t1, NULL },
};

/* ---- xdp load OBJECT[:PROG] [PORT] [GLOBAL=VALUE]... ---- */
struct load_res {
	cmdline_fixed_string_t xdp;
	cmdline_fixed_string_t load;
	cmdline_multi_string_t args;
};

static void
load_cb(void *res, struct cmdline *c, void *data)
{
	struct load_res *r = res;
	char *args = r->args, *tok, *save = NULL, *path = NULL, *pname;
	const char *sets[16];
	unsigned int nsets = 0;
	int port = -1;
	char err[512];
	struct xdpc_obj *o;
	struct xdpc_prog *prog;

	(void)c;
	(void)data;
	for (tok = strtok_r(args, " \t", &save); tok != NULL;
	     tok = strtok_r(NULL, " \t", &save)) {
		char *end;
		long v;

		if (path == NULL) {
			path = tok;
		} else if (strchr(tok, '=') != NULL && nsets < RTE_DIM(sets)) {
			sets[nsets++] = tok;
		} else {
			v = strtol(tok, &end, 0);
			if (*end != '\0' || v < 0 || v >= RTE_MAX_ETHPORTS) {
				printf("xdp load: %s: expected a port id or "
				       "GLOBAL=VALUE\n", tok);
				return done();
			}
			port = (int)v;
		}
	}
	if (path == NULL) {
		printf("xdp load OBJECT[:PROG] [PORT] [GLOBAL=VALUE]...\n");
		return done();
	}
	pname = strrchr(path, ':');
	if (pname != NULL && strchr(pname, '/') == NULL)
		*pname++ = '\0';
	else
		pname = NULL;
	o = xdpc_obj_open(path, err, sizeof(err));
	if (o == NULL) {
		printf("xdp load: %s\n", err);
		return done();
	}
	for (unsigned int i = 0; i < nsets; i++)
		if (txp_set_global(o, sets[i], err, sizeof(err)) != 0) {
			printf("xdp load: %s: %s\n", sets[i], err);
			xdpc_obj_close(o);
			return done();
		}
	if (xdpc_obj_load(o, err, sizeof(err)) != 0) {
		printf("xdp load: %s\n", err);
		xdpc_obj_close(o);
		return done();
	}
	prog = xdpc_obj_prog(o, pname);
	if (prog == NULL) {
		printf("xdp load: %s: no XDP program %s\n", path,
		       pname ? pname : "");
		xdpc_obj_close(o);
		return done();
	}
	if (conf->nold == RTE_DIM(conf->old_objs)) {
		printf("xdp load: too many objects loaded in this run\n");
		xdpc_obj_close(o);
		return done();
	}
	if (txp_xdp_attach(conf, prog, port) != 0) {
		/* streams already switched keep it: keep the object too */
		conf->old_objs[conf->nold++] = o;
		return done();
	}
	if (conf->obj != NULL)
		conf->old_objs[conf->nold++] = conf->obj;
	conf->obj = o;
	conf->xdp_obj = strdup(path);
	conf->xdp_prog = xdpc_prog_name(prog);
	printf("XDP program %s from %s on %s%.0d, %s mode\n", conf->xdp_prog,
	       path, port < 0 ? "every port" : "port ", port < 0 ? 0 : port,
	       txp_mode_name(conf));
	txp_print_verified(stdout, prog);
	done();
}

static cmdline_parse_token_string_t load_t0 =
	TOKEN_STRING_INITIALIZER(struct load_res, xdp, "xdp");
static cmdline_parse_token_string_t load_t1 =
	TOKEN_STRING_INITIALIZER(struct load_res, load, "load");
static cmdline_parse_token_string_t load_t2 =
	TOKEN_STRING_INITIALIZER(struct load_res, args, TOKEN_STRING_MULTI);
static cmdline_parse_inst_t load_cmd = {
	.f = load_cb,
	.help_str = "xdp load OBJECT[:PROG] [PORT] [GLOBAL=VALUE]...: attach, "
		    "or replace, without stopping traffic",
	.tokens = { (void *)&load_t0, (void *)&load_t1, (void *)&load_t2, NULL },
};

/* ---- xdp unload [PORT] ---- */
struct unload_res {
	cmdline_fixed_string_t xdp;
	cmdline_fixed_string_t unload;
	uint16_t port;
};

static void
unload_cb(void *res, struct cmdline *c, void *data)
{
	struct unload_res *r = res;

	(void)c;
	txp_xdp_detach(conf, data != NULL ? (int)r->port : -1);
	printf("XDP detached from %s; forwarding mode %s\n",
	       data != NULL ? "that port" : "every port", txp_fwd_name(conf->fwd));
	done();
}

static cmdline_parse_token_string_t unload_t0 =
	TOKEN_STRING_INITIALIZER(struct unload_res, xdp, "xdp");
static cmdline_parse_token_string_t unload_t1 =
	TOKEN_STRING_INITIALIZER(struct unload_res, unload, "unload");
static cmdline_parse_token_num_t unload_t2 =
	TOKEN_NUM_INITIALIZER(struct unload_res, port, RTE_UINT16);
static cmdline_parse_inst_t unload_cmd = {
	.f = unload_cb,
	.data = NULL,
	.help_str = "xdp unload: detach from every port",
	.tokens = { (void *)&unload_t0, (void *)&unload_t1, NULL },
};
static cmdline_parse_inst_t unload_port_cmd = {
	.f = unload_cb,
	.data = (void *)1,
	.help_str = "xdp unload PORT: detach from one port",
	.tokens = { (void *)&unload_t0, (void *)&unload_t1, (void *)&unload_t2,
		    NULL },
};

/* ---- map dump NAME | map update NAME KEY=VALUE ---- */
struct map_res {
	cmdline_fixed_string_t map;
	cmdline_fixed_string_t op;
	cmdline_fixed_string_t name;
	cmdline_fixed_string_t kv;
};

static void
map_cb(void *res, struct cmdline *c, void *data)
{
	struct map_res *r = res;
	const char *names[1] = { r->name };
	char err[256];

	(void)c;
	if (conf->obj == NULL) {
		printf("map: no XDP object loaded\n");
		return done();
	}
	if (xdpc_obj_map(conf->obj, r->name) == NULL) {
		printf("map %s: no such map in %s\n", r->name, conf->xdp_obj);
		return done();
	}
	if (data == NULL) {
		txp_map_dump(conf->obj, names, 1, stdout);
	} else if (txp_map_update(conf->obj, r->name, r->kv, err,
				  sizeof(err)) != 0) {
		printf("map update %s %s: %s\n", r->name, r->kv, err);
	} else {
		printf("map %s: %s set\n", r->name, r->kv);
	}
	done();
}

static cmdline_parse_token_string_t map_t0 =
	TOKEN_STRING_INITIALIZER(struct map_res, map, "map");
static cmdline_parse_token_string_t map_dump_t1 =
	TOKEN_STRING_INITIALIZER(struct map_res, op, "dump");
static cmdline_parse_token_string_t map_upd_t1 =
	TOKEN_STRING_INITIALIZER(struct map_res, op, "update");
static cmdline_parse_token_string_t map_t2 =
	TOKEN_STRING_INITIALIZER(struct map_res, name, NULL);
static cmdline_parse_token_string_t map_t3 =
	TOKEN_STRING_INITIALIZER(struct map_res, kv, NULL);
static cmdline_parse_inst_t map_dump_cmd = {
	.f = map_cb,
	.data = NULL,
	.help_str = "map dump NAME: the map as JSON",
	.tokens = { (void *)&map_t0, (void *)&map_dump_t1, (void *)&map_t2,
		    NULL },
};
static cmdline_parse_inst_t map_update_cmd = {
	.f = map_cb,
	.data = (void *)1,
	.help_str = "map update NAME KEY=VALUE: numbers, or hex:BYTES",
	.tokens = { (void *)&map_t0, (void *)&map_upd_t1, (void *)&map_t2,
		    (void *)&map_t3, NULL },
};

/* ---- quit, help ---- */
struct word_res {
	cmdline_fixed_string_t w;
};

static void
quit_cb(void *res, struct cmdline *c, void *data)
{
	(void)res;
	(void)data;
	quit = 1;
	cmdline_quit(c);
}

static void
help_cb(void *res, struct cmdline *c, void *data)
{
	(void)res;
	(void)c;
	(void)data;
	printf("show stats | show xstats\n"
	       "xdp load OBJECT[:PROG] [PORT] [GLOBAL=VALUE]...\n"
	       "xdp unload [PORT]\n"
	       "map dump NAME | map update NAME KEY=VALUE\n"
	       "quit\n");
	done();
}

static cmdline_parse_token_string_t quit_t0 =
	TOKEN_STRING_INITIALIZER(struct word_res, w, "quit#exit");
static cmdline_parse_inst_t quit_cmd = {
	.f = quit_cb,
	.help_str = "quit: stop, print the summary, exit",
	.tokens = { (void *)&quit_t0, NULL },
};
static cmdline_parse_token_string_t help_t0 =
	TOKEN_STRING_INITIALIZER(struct word_res, w, "help");
static cmdline_parse_inst_t help_cmd = {
	.f = help_cb,
	.help_str = "help: the commands",
	.tokens = { (void *)&help_t0, NULL },
};

static cmdline_parse_ctx_t ctx[] = {
	&show_cmd, &load_cmd, &unload_port_cmd, &unload_cmd, &map_dump_cmd,
	&map_update_cmd, &quit_cmd, &help_cmd, NULL,
};

int
txp_cli_open(struct txp_conf *c, struct txp_report *r)
{
	conf = c;
	report = r;
	cl = cmdline_stdin_new(ctx, "testpmd-xdp> ");
	if (cl == NULL) {
		fprintf(stderr, "testpmd-xdp: -i: cannot open the prompt\n");
		return -1;
	}
	return 0;
}

/* Take whatever input is there (a pasted or piped script runs at once),
 * without blocking the main loop's sampling. */
int
txp_cli_poll(void)
{
	struct pollfd p = { .fd = 0, .events = POLLIN };

	while (!quit && poll(&p, 1, 0) > 0) {
		if (p.revents & (POLLHUP | POLLERR | POLLNVAL) &&
		    !(p.revents & POLLIN)) {
			quit = 1; /* input gone: as quit */
			break;
		}
		if (cmdline_poll(cl) == RDLINE_EXITED) {
			quit = 1;
			break;
		}
	}
	return quit;
}

void
txp_cli_close(void)
{
	if (cl != NULL)
		cmdline_stdin_exit(cl);
	cl = NULL;
}
