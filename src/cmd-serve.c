/*
 * otklik serve: the web application (staff pages, public pages, JSON
 * API) on libmicrohttpd.  Runs until SIGTERM or SIGINT, then finishes the
 * requests in flight.
 */
#include <stdlib.h>
#include <string.h>

#include "otklik.h"
#include "cmd.h"
#include "http.h"
#include "routes.h"

enum { O_LISTEN, O_THREADS, O_TIMEOUT, O_CONNS, O_CONNS_IP, O_MEMORY,
	O_PROXY, O_QUIET, O_PUBLIC_URL, O_ANSWERS };

static const struct cmd_opt opts[] = {
	[O_LISTEN] = {"listen", "ADDR:PORT", "where to listen (default "
		"127.0.0.1:8080; port 0 picks a free one, printed at start)"},
	[O_THREADS] = {"threads", "N", "worker threads (default: one per "
		"core)"},
	[O_TIMEOUT] = {"timeout", "SECONDS", "cut a connection idle this long "
		"(default 15)"},
	[O_CONNS] = {"max-connections", "N", "connections in all (default "
		"1000)"},
	[O_CONNS_IP] = {"max-connections-per-ip", "N", "connections from one "
		"address (default 64)"},
	[O_MEMORY] = {"connection-memory", "KIB", "memory per connection for "
		"headers and buffers (default 64)"},
	[O_PROXY] = {"trust-proxy", NULL, "believe X-Forwarded-Proto from a "
		"reverse proxy (cookies become Secure)"},
	[O_QUIET] = {"quiet", NULL, "no access log on standard error"},
	[O_PUBLIC_URL] = {"public-url", "URL", "the site's address as the "
		"public reaches it, for links printed in QR codes and posters "
		"(default: from each request's Host header)"},
	[O_ANSWERS] = {"answers-per-address", "N", "survey answers taken from "
		"one client address in ten minutes (default 20; 0: no limit, "
		"e.g. behind a proxy without --trust-proxy)"},
	{NULL, NULL, NULL},
};

/* An address that can go into a printed link as it is: a scheme, a
 * host and perhaps a path, without quotes, spaces or a query. */
static int
public_url_ok(const char *u)
{
	const char *p;

	if (strncmp(u, "https://", 8) == 0)
		p = u + 8;
	else if (strncmp(u, "http://", 7) == 0)
		p = u + 7;
	else
		return 0;
	if (*p == '\0' || *p == '/' || strlen(u) > 200)
		return 0;
	for (; *p != '\0'; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
			(*p >= '0' && *p <= '9') ||
			strchr(".-_~:/[]%", *p) != NULL))
			return 0;
	return 1;
}

static int
cmd_serve_exec(struct cmd_ctx *c, int argc, char **argv)
{
	struct http_config cfg;
	struct err	   e;
	int64_t		   v;

	(void)argc;
	(void)argv;
	memset(&cfg, 0, sizeof(cfg));
	cfg.dbpath = c->dbpath;
	cfg.listen = cmd_opt(c, O_LISTEN) ? cmd_opt(c, O_LISTEN)
					  : "127.0.0.1:8080";
	cfg.timeout = 15;
	cfg.max_conns = 1000;
	cfg.max_conns_ip = 64;
	cfg.conn_memory = 64 * 1024;
	if (cmd_opt(c, O_THREADS)) {
		if (cmd_parse_int("--threads", cmd_opt(c, O_THREADS), 1, 256,
			&v) != 0)
			return EXIT_USAGE;
		cfg.threads = (int)v;
	}
	if (cmd_opt(c, O_TIMEOUT)) {
		if (cmd_parse_int("--timeout", cmd_opt(c, O_TIMEOUT), 1, 3600,
			&v) != 0)
			return EXIT_USAGE;
		cfg.timeout = (int)v;
	}
	if (cmd_opt(c, O_CONNS)) {
		if (cmd_parse_int("--max-connections", cmd_opt(c, O_CONNS), 1,
			100000, &v) != 0)
			return EXIT_USAGE;
		cfg.max_conns = (int)v;
	}
	if (cmd_opt(c, O_CONNS_IP)) {
		if (cmd_parse_int("--max-connections-per-ip",
			cmd_opt(c, O_CONNS_IP), 1, 100000, &v) != 0)
			return EXIT_USAGE;
		cfg.max_conns_ip = (int)v;
	}
	if (cmd_opt(c, O_MEMORY)) {
		if (cmd_parse_int("--connection-memory", cmd_opt(c, O_MEMORY),
			16, 65536, &v) != 0)
			return EXIT_USAGE;
		cfg.conn_memory = (size_t)v * 1024;
	}
	cfg.trust_proxy = cmd_flag(c, O_PROXY);
	if (cmd_opt(c, O_PUBLIC_URL)) {
		if (!public_url_ok(cmd_opt(c, O_PUBLIC_URL))) {
			fprintf(stderr, "otklik: --public-url %s: expected "
			    "http:// or https:// and a host, e.g. "
			    "https://otklik.example.ru\n",
			    cmd_opt(c, O_PUBLIC_URL));
			return EXIT_USAGE;
		}
		cfg.public_url = cmd_opt(c, O_PUBLIC_URL);
	}
	if (cmd_opt(c, O_ANSWERS)) {
		if (cmd_parse_int("--answers-per-address", cmd_opt(c, O_ANSWERS),
			0, 1000000, &v) != 0)
			return EXIT_USAGE;
		ui_srvp_set_limit((int)v);
	}
	cfg.access_log = cmd_flag(c, O_QUIET) ? NULL : stderr;
	/* The command opened the database to check it; the server opens
	 * its own connection per thread. */
	if (http_serve(&cfg, &e) != 0)
		return cmd_error(&e);
	return EXIT_OK;
}

const struct cmd_entry cmd_serve_entry = {
	.name = "serve",
	.args = "",
	.summary = "run the web application",
	.help = "Serves the staff pages, the public pages of every "
		"organization and the JSON\nAPI under /api/v1/. Prints the "
		"address it listens on; stops on SIGTERM or\nSIGINT after the "
		"requests in flight are answered. One access-log line per\n"
		"request goes to standard error.",
	.opts = opts,
	.flags = CMD_DB,
	.minargs = 0,
	.maxargs = 0,
	.exec = cmd_serve_exec,
};
