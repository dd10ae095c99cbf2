/*
 * The web server: libmicrohttpd with its epoll thread pool and every
 * limit set explicitly (it has none by default): inactivity timeout,
 * connections in all and per address, memory per connection, the body a
 * route accepts.  For each request it finds the route, reads and limits
 * the body, keeps only the declared parameters (and the fields of a
 * declared prefix, "q.*", each value on its own) and validates them, loads
 * the organization and the session, checks CSRF and the route's role, then
 * calls the handler — so that none of that is left to a handler to forget.
 * A handler that writes what clients send in numbers defers the request
 * to the writer thread (req_defer, ingest.c): the connection is suspended
 * until the batch holding the request has committed, then answered.
 * One access-log line per request (without the address or the person on
 * an anonymous route); counters for /metrics; on SIGTERM it
 * stops accepting, lets requests in flight finish, commits what the writer
 * holds, and exits.
 */
#include <arpa/inet.h>
#include <malloc.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <microhttpd.h>

#include "otklik.h"
#include "db.h"
#include "html.h"
#include "http.h"
#include "ingest.h"
#include "org.h"
#include "registry.h"
#include "routes.h"
#include "session.h"
#include "ui.h"

#define MAX_PATH     2048
#define MAX_SEGMENTS 16
#define DEFAULT_PARAM_MAX 1000

/* Latency buckets of /metrics, in seconds. */
static const double buckets[] = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
    0.1, 0.25, 0.5, 1, 2.5};
#define NBUCKETS (sizeof(buckets) / sizeof(buckets[0]))

struct route_stats {
	atomic_ulong requests;
	atomic_ulong by_class[6];	/* 1xx … 5xx */
	atomic_ulong micros;		/* total time */
};

/* The one server of the process: what all threads share. */
static struct server {
	const struct http_config *cfg;
	struct route_stats	 *stats;	/* per route, + 1 for none */
	atomic_ulong		  hist[NBUCKETS + 1];
	atomic_ulong		  hist_count;
	atomic_ulong		  hist_micros;
	atomic_int		  open_conns;
	atomic_ulong		  too_large, cut_slow;
	pthread_mutex_t		  lock;		/* dbs[], the access log */
	struct db		**dbs;
	size_t			  ndbs;
	int64_t			  started;
} srv = {.lock = PTHREAD_MUTEX_INITIALIZER};

static __thread struct db *thread_db;

/* A parameter as it arrives (possibly in pieces), before validation. */
struct raw_param {
	int	   idx;	/* in route->params */
	struct buf v;
};

/* A field taken by prefix ("q.*"), likewise. */
#define FIELD_NAME_MAX 128
struct raw_field {
	int	   idx;	/* the prefix parameter in route->params */
	char	  *name;
	struct buf v;
};

/* Per-request state, from the first call to the completion callback. */
struct cx {
	struct req		req;
	struct timespec		t0;
	struct MHD_PostProcessor *pp;
	struct raw_param	raw[32];
	int			nraw;
	struct raw_field       *rawf;		/* REQ_MAX_FIELDS at most */
	int			nrawf, caprawf;
	char		       *csrf;
	char		       *pathcopy;	/* the captures point into it */
	int			too_large;
	int			bad_input;
	char		       *badfield;
	int			stat_index;

	/* A request handed to the writer (req_defer). */
	struct MHD_Connection  *conn;
	int			deferred;	/* enum defer_state */
	struct ingest_job	job;
	void		      (*done)(struct req *, const struct err *);
};

/*
 * The life of a deferred request: the handler asks (PENDING); on_request
 * suspends the connection, then queues the job (QUEUED) — in that order,
 * since resuming a connection that is not yet suspended is undefined; the
 * writer commits and resumes it (WOKEN); on_request runs done() on the
 * connection's own thread and answers (ANSWERED).
 */
enum defer_state { DEFER_NONE, DEFER_PENDING, DEFER_QUEUED, DEFER_WOKEN,
	DEFER_ANSWERED };

static int64_t
micros_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)(t.tv_sec - t0->tv_sec) * 1000000 +
	    (t.tv_nsec - t0->tv_nsec) / 1000;
}

/* This thread's connection to the database, opened on first use. */
static struct db *
db_for_thread(void)
{
	struct err e;

	if (thread_db != NULL)
		return thread_db;
	if ((thread_db = db_open(srv.cfg->dbpath, &e)) == NULL)
		return NULL;
	pthread_mutex_lock(&srv.lock);
	srv.dbs = xreallocarray(srv.dbs, srv.ndbs + 1, sizeof(*srv.dbs));
	srv.dbs[srv.ndbs++] = thread_db;
	pthread_mutex_unlock(&srv.lock);
	return thread_db;
}

/* Validators shared by routes. */

int
http_check_int(const char *v, char *why, size_t len)
{
	const char *p;

	if (*v == '\0' || strlen(v) > 18)
		goto bad;
	for (p = v; *p != '\0'; p++)
		if (*p < '0' || *p > '9')
			goto bad;
	return 0;
bad:
	snprintf(why, len, "expected a whole number");
	return -1;
}

int
http_check_date(const char *v, char *why, size_t len)
{
	int32_t d;

	if (date_parse(v, &d) == 0)
		return 0;
	snprintf(why, len, "expected a date YYYY-MM-DD");
	return -1;
}

int
http_check_slug(const char *v, char *why, size_t len)
{
	if (org_slug_valid(v))
		return 0;
	snprintf(why, len, "expected an organization's short name: Latin "
			   "letters, digits and '-'");
	return -1;
}

int
http_check_role(const char *v, char *why, size_t len)
{
	if (role_valid(v))
		return 0;
	snprintf(why, len, "expected one of officer, editor, operator, "
			   "analyst, group, admin");
	return -1;
}

int
http_check_state(const char *v, char *why, size_t len)
{
	if (change_state_parse(v) >= 0)
		return 0;
	snprintf(why, len, "expected draft, submitted, returned, included or "
			   "withdrawn");
	return -1;
}

/* One of the words of a list: "a|b". */
int
http_check_one_of(const char *v, const char *words, char *why, size_t len)
{
	size_t n = strlen(v);
	const char *p;

	for (p = words; *p != '\0'; p += strcspn(p, "|"), p += *p == '|')
		if (strncmp(p, v, n) == 0 && (p[n] == '|' || p[n] == '\0') &&
		    n > 0)
			return 0;
	snprintf(why, len, "expected one of %s", words);
	return -1;
}

int
http_check_flag(const char *v, char *why, size_t len)
{
	return http_check_one_of(v, "1|0", why, len);
}

int
http_check_client(const char *v, char *why, size_t len)
{
	return http_check_one_of(v, "external|internal", why, len);
}

int
http_check_kind(const char *v, char *why, size_t len)
{
	return http_check_one_of(v, "digital|offline", why, len);
}

int
http_check_channel(const char *v, char *why, size_t len)
{
	if (channel_from_code(v) >= 0)
		return 0;
	snprintf(why, len, "not a channel type");
	return -1;
}

/* The response side. */

const char *
req_param(const struct req *r, const char *name)
{
	const struct http_param *p;
	int			 i;

	if (r->route == NULL || r->route->params == NULL)
		return NULL;
	for (i = 0, p = r->route->params; p->name != NULL; p++, i++)
		if (strcmp(p->name, name) == 0)
			return r->param[i];
	return NULL;
}

const char *
req_field(const struct req *r, const char *name)
{
	int i;

	for (i = 0; i < r->nfields; i++)
		if (strcmp(r->fields[i].name, name) == 0)
			return r->fields[i].value;
	return NULL;
}

size_t
req_field_all(const struct req *r, const char *name, const char **out,
    size_t max)
{
	size_t n = 0;
	int    i;

	for (i = 0; i < r->nfields; i++) {
		if (strcmp(r->fields[i].name, name) != 0)
			continue;
		if (n < max)
			out[n] = r->fields[i].value;
		n++;
	}
	return n;
}

/* A Host header that can go into a link as it is: letters, digits, '.',
 * '-', ':' and the brackets of an IPv6 address. */
static int
host_ok(const char *h)
{
	const char *p;

	if (h == NULL || *h == '\0' || strlen(h) > 255)
		return 0;
	for (p = h; *p != '\0'; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
			(*p >= '0' && *p <= '9') ||
			strchr(".-:[]", *p) != NULL))
			return 0;
	return 1;
}

int
req_base_url(const struct req *r, struct buf *out)
{
	const struct cx *c = (const struct cx *)r;
	const char	*host;
	size_t		 n;

	if (srv.cfg != NULL && srv.cfg->public_url != NULL) {
		n = strlen(srv.cfg->public_url);
		while (n > 0 && srv.cfg->public_url[n - 1] == '/')
			n--;
		return buf_add(out, srv.cfg->public_url, n);
	}
	if (c->conn == NULL)
		return -1;
	host = MHD_lookup_connection_value(c->conn, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_HOST);
	if (!host_ok(host))
		return -1;
	return buf_printf(out, "%s://%s", r->secure ? "https" : "http", host);
}

void
req_header(struct req *r, const char *name, const char *value)
{
	if (r->nheaders >= REQ_MAX_HEADERS)
		fatal("req_header: too many headers");
	r->hname[r->nheaders] = name;
	r->hvalue[r->nheaders] = xstrdup(value);
	r->nheaders++;
}

int
req_redirect(struct req *r, const char *location)
{
	r->status = MHD_HTTP_SEE_OTHER;
	req_header(r, MHD_HTTP_HEADER_LOCATION, location);
	buf_reset(&r->out);
	r->ctype = "text/plain; charset=utf-8";
	return 0;
}

static int
json_to_buf(const char *p, size_t n, void *data)
{
	return buf_add(data, p, n);
}

int
req_json(struct req *r, int status, json_t *j)
{
	/* Written straight into the answer's buffer, without a copy. */
	buf_reset(&r->out);
	if (j != NULL && json_dump_callback(j, json_to_buf, &r->out,
			     JSON_COMPACT) == 0) {
		json_decref(j);
		r->status = status;
		r->ctype = "application/json";
		return 0;
	}
	json_decref(j);
	/* Not valid UTF-8 somewhere, or too large: a plain 500, not a crash. */
	buf_reset(&r->out);
	buf_puts(&r->out, "{\"error\":{\"status\":500,\"reason\":"
			  "\"the answer cannot be written as JSON\"}}");
	r->status = 500;
	r->ctype = "application/json";
	return 0;
}

int
req_file(struct req *r, const char *ctype, const char *filename,
    const void *data, size_t len)
{
	struct buf  cd;
	const char *p;

	buf_reset(&r->out);
	if (buf_add(&r->out, data, len) == -1)
		return req_error(r, 500, NULL, "the file is too large");
	r->status = 200;
	r->ctype = ctype;
	/* An ASCII name for old clients, the real one per RFC 6266. */
	buf_init(&cd, 4096);
	buf_puts(&cd, "attachment; filename=\"");
	for (p = filename; *p != '\0' && cd.len < 200; p++)
		buf_putc(&cd, (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')
			|| (*p >= '0' && *p <= '9') || *p == '.' || *p == '-'
			? *p : '_');
	buf_puts(&cd, "\"; filename*=UTF-8''");
	html_url_arg(&cd, filename);
	req_header(r, "Content-Disposition", buf_str(&cd));
	buf_free(&cd);
	return 0;
}

/* The writer thread is done with the job: back to the connection's. */
static void
defer_wake(struct ingest_job *j)
{
	struct cx *c = j->arg;

	c->deferred = DEFER_WOKEN;
	MHD_resume_connection(c->conn);
}

int
req_defer(struct req *r, int (*write)(struct req *, struct db *, struct err *),
    void (*done)(struct req *, const struct err *))
{
	struct cx *c = (struct cx *)r;	/* the req is the first member */

	/* A full queue (or no writer: the fuzz target) touches nothing. */
	if (ingest_reserve() != 0)
		return -1;
	if (c->deferred != DEFER_NONE)
		fatal("req_defer: the request is deferred already");
	c->deferred = DEFER_PENDING;
	c->job.req = r;
	c->job.write = write;
	c->job.wake = defer_wake;
	c->job.arg = c;
	c->done = done;
	return 0;
}

int
req_error(struct req *r, int status, const char *field, const char *reason)
{
	json_t *j;

	r->status = status;
	if ((r->route != NULL && (r->route->flags & ROUTE_JSON)) ||
	    (r->route == NULL && r->path != NULL &&
		strncmp(r->path, "/api/", 5) == 0)) {
		j = json_pack("{s:{s:i, s:s?, s:s}}", "error", "status", status,
		    "field", field, "reason", reason);
		buf_reset(&r->out);
		req_json(r, status, j);
		return 0;
	}
	ui_error_page(r, status, field, reason);
	r->status = status;
	return 0;
}

/* Route matching. */

static int
split_path(char *path, char **seg, int max)
{
	int   n = 0;
	char *p = path;

	while (*p == '/')
		p++;
	while (*p != '\0') {
		if (n == max)
			return -1;
		seg[n++] = p;
		while (*p != '\0' && *p != '/')
			p++;
		if (*p == '/') {
			*p++ = '\0';
			if (*p == '\0')
				break;	/* a trailing slash */
		}
	}
	return n;
}

/*
 * The route table's patterns, split into segments once for the life of
 * the process rather than for every request and route.
 */
struct pattern {
	char *copy;
	char *seg[MAX_SEGMENTS];
	int   n;
};
static struct pattern  *patterns;
static pthread_once_t	patterns_once = PTHREAD_ONCE_INIT;

static void
patterns_split(void)
{
	size_t ri;

	patterns = xcalloc(nroutes, sizeof(*patterns));
	for (ri = 0; ri < nroutes; ri++) {
		patterns[ri].copy = xstrdup(routes[ri].pattern);
		patterns[ri].n = split_path(patterns[ri].copy, patterns[ri].seg,
		    MAX_SEGMENTS);
	}
}

/*
 * Finds the route for a method and path; fills the captures.  Sets
 * *method_ok to 0 when the path exists only for other methods (405).
 */
static const struct route *
route_find(struct req *r, const char *method, const char *path,
    int *method_ok, char **copy)
{
	char		   *seg[MAX_SEGMENTS], *const *pseg;
	const char	   *cap[REQ_MAX_CAPTURE];
	const struct route *best = NULL;
	int		    n, i, k, lit, bestlit = -1, seenlit = -1;
	size_t		    ri;

	*method_ok = 1;
	*copy = xstrdup(path);
	if ((n = split_path(*copy, seg, MAX_SEGMENTS)) < 0)
		return NULL;
	pthread_once(&patterns_once, patterns_split);
	/* The most specific match wins: "/login" before "/{org}". */
	for (ri = 0; ri < nroutes; ri++) {
		if (patterns[ri].n != n)
			continue;
		pseg = patterns[ri].seg;
		k = lit = 0;
		for (i = 0; i < n; i++) {
			if (pseg[i][0] == '{') {
				if (strcmp(pseg[i], "{id}") == 0 &&
				    http_check_int(seg[i], (char[8]){0}, 8) != 0)
					break;
				if (strcmp(pseg[i], "{org}") == 0 &&
				    !org_slug_valid(seg[i]))
					break;
				if (k < REQ_MAX_CAPTURE)
					cap[k++] = seg[i];
				continue;
			}
			if (strcmp(pseg[i], seg[i]) != 0)
				break;
			lit++;
		}
		if (i < n)
			continue;
		if (lit > seenlit)
			seenlit = lit;
		if (strcmp(routes[ri].method, method) != 0 &&
		    !(strcmp(method, "HEAD") == 0 &&
			strcmp(routes[ri].method, "GET") == 0))
			continue;
		if (lit <= bestlit)
			continue;
		best = &routes[ri];
		bestlit = lit;
		r->ncapture = k;
		for (i = 0; i < k; i++)
			r->capture[i] = cap[i];
	}
	/* A more specific address for other methods: 405, not a lesser
	 * match ("GET /logout" is not the organization "logout"). */
	if (best == NULL || bestlit < seenlit) {
		*method_ok = seenlit < 0;
		return NULL;
	}
	return best;
}

/* Parameters: only declared ones are kept. */

static int
param_index(const struct route *rt, const char *name)
{
	int i;

	if (rt->params == NULL)
		return -1;
	for (i = 0; rt->params[i].name != NULL && i < 32; i++)
		if (strcmp(rt->params[i].name, name) == 0)
			return i;
	return -1;
}

static size_t
param_max(const struct route *rt, int i)
{
	return rt->params[i].max != 0 ? rt->params[i].max : DEFAULT_PARAM_MAX;
}

/* The prefix parameter ("q.*") that takes a field of this name, or -1. */
static int
prefix_index(const struct route *rt, const char *name)
{
	size_t n;
	int    i;

	if (rt->params == NULL)
		return -1;
	for (i = 0; rt->params[i].name != NULL && i < 32; i++) {
		n = strlen(rt->params[i].name);
		if (n > 0 && rt->params[i].name[n - 1] == '*' &&
		    strncmp(rt->params[i].name, name, n - 1) == 0)
			return i;
	}
	return -1;
}

/* The first problem of the input, for validate() to answer with. */
static void PRINTFLIKE(3, 4)
mark_bad(struct cx *c, const char *field, const char *fmt, ...)
{
	va_list ap;
	char	why[256];

	if (c->bad_input)
		return;
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	c->bad_input = 1;
	c->badfield = xasprintf("%s\037%s", field, why);
}

/*
 * Appends a field taken by prefix, or (cont) a piece of the last one: a
 * form body's value may arrive in several pieces, each repeat of a name
 * (a checkbox ticked twice) is a field of its own.  Past REQ_MAX_FIELDS,
 * or past the parameter's max, the request is bad.
 */
static void
field_add(struct cx *c, const char *name, const char *data, size_t len,
    int cont)
{
	const struct route *rt = c->req.route;
	struct raw_field   *f;
	int		    i;

	if ((i = prefix_index(rt, name)) < 0 || c->bad_input)
		return;
	if (cont && c->nrawf > 0 &&
	    strcmp(c->rawf[c->nrawf - 1].name, name) == 0)
		f = &c->rawf[c->nrawf - 1];
	else {
		if (strlen(name) > FIELD_NAME_MAX) {
			mark_bad(c, rt->params[i].name, "a field's name is "
			    "longer than %d bytes", FIELD_NAME_MAX);
			return;
		}
		if (c->nrawf == REQ_MAX_FIELDS) {
			mark_bad(c, name, "more than %d fields in all",
			    REQ_MAX_FIELDS);
			return;
		}
		if (c->nrawf == c->caprawf) {
			c->caprawf = c->caprawf == 0 ? 32 : c->caprawf * 2;
			if (c->caprawf > REQ_MAX_FIELDS)
				c->caprawf = REQ_MAX_FIELDS;
			c->rawf = xreallocarray(c->rawf, (size_t)c->caprawf,
			    sizeof(*c->rawf));
		}
		f = &c->rawf[c->nrawf++];
		f->idx = i;
		f->name = xstrdup(name);
		buf_init(&f->v, param_max(rt, i));
	}
	if (buf_add(&f->v, data, len) == -1)
		mark_bad(c, name, "longer than %zu bytes", param_max(rt, i));
}

/* Appends a piece of a parameter's value; marks the request bad past
 * the parameter's limit. */
static void
raw_add(struct cx *c, const char *name, const char *data, size_t len,
    int cont)
{
	const struct route *rt = c->req.route;
	int		    i, k;

	if (strcmp(name, "csrf") == 0) {
		size_t have = c->csrf != NULL ? strlen(c->csrf) : 0;
		char  *t;

		/* The field may arrive in pieces; it is 64 hex digits. */
		if (have + len > 128)
			return;
		t = xmalloc(have + len + 1);
		memcpy(t, c->csrf != NULL ? c->csrf : "", have);
		memcpy(t + have, data, len);
		t[have + len] = '\0';
		free(c->csrf);
		c->csrf = t;
		return;
	}
	if ((i = param_index(rt, name)) < 0) {
		field_add(c, name, data, len, cont);
		return;
	}
	for (k = 0; k < c->nraw && c->raw[k].idx != i; k++)
		;
	if (k == c->nraw) {
		if (c->nraw == 32)
			return;
		c->raw[k].idx = i;
		buf_init(&c->raw[k].v, param_max(rt, i));
		c->nraw++;
	}
	if (buf_add(&c->raw[k].v, data, len) == -1 && !c->bad_input) {
		c->bad_input = 1;
		c->badfield = xasprintf("%s\037longer than %zu bytes", name,
		    param_max(rt, i));
	}
}

static enum MHD_Result
query_arg(void *cls, enum MHD_ValueKind kind, const char *key,
    const char *value)
{
	struct cx *c = cls;

	(void)kind;
	/* The CSRF token only counts in a form body or a header: in a URL it
	 * would end up in logs and Referer headers. */
	if (key != NULL && strcmp(key, "csrf") != 0)
		raw_add(c, key, value != NULL ? value : "",
		    value != NULL ? strlen(value) : 0, 0);
	return MHD_YES;
}

static enum MHD_Result
post_iter(void *cls, enum MHD_ValueKind kind, const char *key,
    const char *filename, const char *ctype, const char *enc,
    const char *data, uint64_t off, size_t size)
{
	struct cx *c = cls;

	(void)kind;
	(void)ctype;
	(void)enc;
	if (key == NULL)
		return MHD_YES;
	if (filename != NULL && (c->req.route->flags & ROUTE_UPLOAD)) {
		if (c->req.upload_name == NULL)
			c->req.upload_name = xstrdup(filename);
		if (buf_add(&c->req.upload, data, size) == -1)
			c->too_large = 1;
		return MHD_YES;
	}
	/* off > 0: the next piece of the same value. */
	raw_add(c, key, data, size, off > 0);
	return MHD_YES;
}

/* The fields taken by prefix, checked as parameters are, into
 * r->fields. */
static int
validate_fields(struct cx *c)
{
	const struct route *rt = c->req.route;
	struct raw_field   *f;
	char		    why[256];
	const char	   *v;
	int		    k;

	if (c->nrawf == 0)
		return 0;
	c->req.fields = xcalloc((size_t)c->nrawf, sizeof(*c->req.fields));
	for (k = 0; k < c->nrawf; k++) {
		f = &c->rawf[k];
		v = buf_str(&f->v);
		if (utf8_invalid_at(f->name, strlen(f->name)) >= 0) {
			req_error(&c->req, 400, rt->params[f->idx].name,
			    "a field's name is not valid UTF-8 text");
			return -1;
		}
		if (utf8_invalid_at(v, f->v.len) >= 0 ||
		    strlen(v) != f->v.len) {
			req_error(&c->req, 400, f->name,
			    "not valid UTF-8 text");
			return -1;
		}
		if (rt->params[f->idx].check != NULL && *v != '\0' &&
		    rt->params[f->idx].check(v, why, sizeof(why)) != 0) {
			req_error(&c->req, 400, f->name, why);
			return -1;
		}
		c->req.fields[k].name = f->name;
		c->req.fields[k].value = buf_detach(&f->v);
		f->name = NULL;
		c->req.nfields = k + 1;
	}
	return 0;
}

/* Validates what arrived against the route's declarations. */
static int
validate(struct cx *c)
{
	const struct route *rt = c->req.route;
	char		    why[256];
	int		    i, k;
	const char	   *v;

	if (c->bad_input) {
		char *sep = strchr(c->badfield, '\037');

		*sep = '\0';
		return req_error(&c->req, 400, c->badfield, sep + 1), -1;
	}
	for (k = 0; k < c->nraw; k++) {
		i = c->raw[k].idx;
		v = buf_str(&c->raw[k].v);
		if (utf8_invalid_at(v, c->raw[k].v.len) >= 0 ||
		    strlen(v) != c->raw[k].v.len) {
			req_error(&c->req, 400, rt->params[i].name,
			    "not valid UTF-8 text");
			return -1;
		}
		if (rt->params[i].check != NULL && *v != '\0' &&
		    rt->params[i].check(v, why, sizeof(why)) != 0) {
			req_error(&c->req, 400, rt->params[i].name, why);
			return -1;
		}
		c->req.param[i] = buf_detach(&c->raw[k].v);
	}
	if (validate_fields(c) != 0)
		return -1;
	for (i = 0; rt->params != NULL && rt->params[i].name != NULL; i++)
		if (rt->params[i].required && str_empty(c->req.param[i]) &&
		    prefix_index(rt, rt->params[i].name) != i) {
			req_error(&c->req, 400, rt->params[i].name,
			    "required, and missing");
			return -1;
		}
	return 0;
}

static const char *
cookie_lang(struct MHD_Connection *conn)
{
	const char *v = MHD_lookup_connection_value(conn, MHD_COOKIE_KIND,
	    "lang");

	return v != NULL && strcmp(v, "en") == 0 ? "en" : "ru";
}

/* Does the browser say the request comes from another site? */
static int
cross_site(struct MHD_Connection *conn, const struct req *r)
{
	const char *site, *origin, *host, *o;

	site = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
	    "Sec-Fetch-Site");
	if (site != NULL && strcmp(site, "cross-site") == 0)
		return 1;
	/* A page sent with Referrer-Policy no-referrer (an invitation's
	 * form) posts with "Origin: null"; the browser's own word, which no
	 * page can forge, says where the request comes from. */
	if (site != NULL && strcmp(site, "same-origin") == 0)
		return 0;
	origin = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Origin");
	if (origin == NULL)
		return 0;	/* not a browser, or an old one */
	host = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Host");
	if (host == NULL || strcmp(origin, "null") == 0)
		return 1;
	if (strncmp(origin, "https://", 8) == 0)
		o = origin + 8;
	else if (strncmp(origin, "http://", 7) == 0 && !r->secure)
		o = origin + 7;
	else
		return 1;
	return strcmp(o, host) != 0;
}

/* Everything between the body and the handler, in one place. */
static void
dispatch(struct MHD_Connection *conn, struct cx *c)
{
	struct req  *r = &c->req;
	struct err   e;
	const char  *cookie, *tok;
	char	    *next;
	size_t	     i;
	int	     ci = 0;

	if (c->too_large) {
		srv.too_large++;
		req_error(r, 413, NULL, "the request is larger than allowed");
		return;
	}
	MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, query_arg, c);
	if ((r->db = db_for_thread()) == NULL) {
		req_error(r, 503, NULL, "the database cannot be opened");
		return;
	}
	/* The organization of the {org} segment. */
	for (i = 0; r->route->pattern[i] != '\0'; i++)
		if (strncmp(r->route->pattern + i, "{org}", 5) == 0)
			break;
	if (r->route->pattern[i] != '\0') {
		const char *p = r->route->pattern;
		int	    k = 0;

		for (; p < r->route->pattern + i; p++)
			if (*p == '{')
				k++;
		ci = k;
		if ((r->org = org_find(r->db, r->capture[ci], &e)) == NULL) {
			req_error(r, 404, NULL, "no such organization");
			return;
		}
	}
	if (strstr(r->route->pattern, "{id}") != NULL) {
		const char *p = strstr(r->route->pattern, "{id}"), *q;
		int	    k = 0;

		for (q = r->route->pattern; q < p; q++)
			if (*q == '{')
				k++;
		r->id = strtoll(r->capture[k], NULL, 10);
	}

	/* A state change must come from this site's own pages: browsers say
	 * where a request comes from (Sec-Fetch-Site, Origin).  This also
	 * covers the sign-in form, which has no session to hold a token. */
	if (strcmp(r->method, "GET") != 0 && strcmp(r->method, "HEAD") != 0 &&
	    cross_site(conn, r)) {
		req_error(r, 403, NULL, "the request did not come from this "
		    "site's own pages");
		return;
	}
	/* An anonymous route does not even look at who is signed in: loading
	 * the session would record the moment of the visit (last_seen). */
	cookie = MHD_lookup_connection_value(conn, MHD_COOKIE_KIND,
	    session_cookie_name(r->secure));
	if (cookie != NULL && !(r->route->flags & ROUTE_ANON))
		r->session = session_load(r->db, cookie);
	if (!(r->route->flags & ROUTE_PUBLIC) && r->session == NULL) {
		if (r->route->flags & ROUTE_JSON) {
			req_error(r, 401, NULL, "sign in first");
			return;
		}
		if (strcmp(r->method, "GET") == 0) {
			struct buf loc;

			buf_init(&loc, 4096);
			buf_puts(&loc, "/login?next=");
			html_url_arg(&loc, r->path);
			next = buf_detach(&loc);
			req_redirect(r, next);
			free(next);
		} else
			req_error(r, 403, NULL, "sign in first");
		return;
	}
	/* CSRF: every state change of a signed-in person. */
	if (r->session != NULL && strcmp(r->method, "GET") != 0 &&
	    strcmp(r->method, "HEAD") != 0) {
		tok = c->csrf;
		if (tok == NULL)
			tok = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
			    "X-CSRF-Token");
		if (tok == NULL || !session_csrf_ok(r->session, tok)) {
			req_error(r, 403, "csrf", "the form has expired or did "
			    "not come from this site; open it again");
			return;
		}
	}
	/* Roles, in one place: a route's own role, or for a staff route of
	 * an organization at least some role there. */
	if ((r->route->role != NULL &&
		(r->org == NULL || r->session == NULL ||
		    !session_has_role(r->db, r->session, r->org->id,
			r->route->role))) ||
	    (r->route->role == NULL && r->org != NULL &&
		!(r->route->flags & ROUTE_PUBLIC) &&
		!session_has_role(r->db, r->session, r->org->id, NULL))) {
		req_error(r, 403, NULL, "your roles do not allow this here");
		return;
	}
	/* Only now the parameters: who may not use a route learns nothing
	 * about what it takes. */
	if (validate(c) != 0)
		return;
	r->route->handler(r);
}

static void
security_headers(struct MHD_Response *resp, const struct req *r)
{
	int i;

	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	/* A handler may ask for a stricter policy (a page whose address
	 * holds an invitation): then its header alone. */
	for (i = 0; i < r->nheaders; i++)
		if (strcasecmp(r->hname[i], "Referrer-Policy") == 0)
			break;
	if (i == r->nheaders)
		MHD_add_response_header(resp, "Referrer-Policy", "same-origin");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	/* So may it for the content policy (a standalone document whose
	 * style sheet is inline, allowed by its hash alone). */
	for (i = 0; i < r->nheaders; i++)
		if (strcasecmp(r->hname[i], "Content-Security-Policy") == 0)
			break;
	if (i == r->nheaders)
		MHD_add_response_header(resp, "Content-Security-Policy",
		    "default-src 'self'; img-src 'self' data:; "
		    "style-src 'self'; script-src 'self'; "
		    "frame-ancestors 'none'; form-action 'self'; "
		    "base-uri 'none'");
	if (r->session != NULL || (r->route != NULL &&
				      !(r->route->flags & ROUTE_PUBLIC)))
		MHD_add_response_header(resp, "Cache-Control",
		    "no-store, private");
}

static enum MHD_Result
respond(struct MHD_Connection *conn, struct cx *c)
{
	struct req	     *r = &c->req;
	struct MHD_Response *resp;
	enum MHD_Result	     ret;
	size_t		     len;
	char		    *body;
	int		     i;

	if (r->status == 0)
		r->status = 200;
	/* The answer's buffer goes to libmicrohttpd, which frees it. */
	len = r->out.len;
	body = buf_detach(&r->out);
	resp = MHD_create_response_from_buffer(len, body,
	    MHD_RESPMEM_MUST_FREE);
	if (resp == NULL)
		free(body);
	if (resp == NULL)
		return MHD_NO;
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
	    r->ctype != NULL ? r->ctype : "text/html; charset=utf-8");
	security_headers(resp, r);
	for (i = 0; i < r->nheaders; i++)
		MHD_add_response_header(resp, r->hname[i], r->hvalue[i]);
	ret = MHD_queue_response(conn, (unsigned)r->status, resp);
	MHD_destroy_response(resp);
	return ret;
}

/*
 * The client's address, for limits and the log: the peer's, or behind a
 * trusted proxy the last address it added to X-Forwarded-For.
 */
static char *
client_address(struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *ci;
	const char		       *xff, *last;
	char				addr[INET6_ADDRSTRLEN];
	unsigned char			bin[16];
	size_t				n;

	if (srv.cfg->trust_proxy &&
	    (xff = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
		 "X-Forwarded-For")) != NULL) {
		last = strrchr(xff, ',');
		last = last != NULL ? last + 1 : xff;
		while (*last == ' ')
			last++;
		n = strcspn(last, " ");
		if (n > 0 && n < sizeof(addr)) {
			memcpy(addr, last, n);
			addr[n] = '\0';
			if (inet_pton(AF_INET, addr, bin) == 1 ||
			    inet_pton(AF_INET6, addr, bin) == 1)
				return xstrdup(addr);
		}
	}
	ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (ci == NULL || ci->client_addr == NULL)
		return xstrdup("-");
	if (ci->client_addr->sa_family == AF_INET)
		inet_ntop(AF_INET,
		    &((const struct sockaddr_in *)ci->client_addr)->sin_addr,
		    addr, sizeof(addr));
	else if (ci->client_addr->sa_family == AF_INET6)
		inet_ntop(AF_INET6,
		    &((const struct sockaddr_in6 *)ci->client_addr)->sin6_addr,
		    addr, sizeof(addr));
	else
		return xstrdup("-");
	return xstrdup(addr);
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *conn, const char *url,
    const char *method, const char *version, const char *upload_data,
    size_t *upload_size, void **con_cls)
{
	struct cx	  *c = *con_cls;
	const char	  *len, *ctype, *proto;
	int		   method_ok;
	unsigned long long clen;

	(void)cls;
	(void)version;
	if (c == NULL) {
		c = xcalloc(1, sizeof(*c));
		clock_gettime(CLOCK_MONOTONIC, &c->t0);
		*con_cls = c;
		c->req.method = method;
		c->req.lang = cookie_lang(conn);
		c->stat_index = (int)nroutes;
		c->req.remote = client_address(conn);
		if (srv.cfg->trust_proxy &&
		    (proto = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
			 "X-Forwarded-Proto")) != NULL &&
		    strcmp(proto, "https") == 0)
			c->req.secure = 1;
		buf_init(&c->req.out, BUF_MAX_DEFAULT);
		if (strlen(url) > MAX_PATH || strstr(url, "..") != NULL) {
			c->req.path = xstrdup("/");
			req_error(&c->req, 400, NULL, "the address is not "
			    "valid");
			return MHD_YES;
		}
		c->req.path = xstrdup(url);
		c->req.route = route_find(&c->req, method, url, &method_ok,
		    &c->pathcopy);
		if (c->req.route == NULL) {
			req_error(&c->req, method_ok ? 404 : 405, NULL,
			    method_ok ? "there is no such page"
				      : "this address does not take that "
					"method");
			return MHD_YES;
		}
		c->stat_index = (int)(c->req.route - routes);
		buf_init(&c->req.body, c->req.route->max_body);
		buf_init(&c->req.upload, c->req.route->max_body);
		len = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
		    MHD_HTTP_HEADER_CONTENT_LENGTH);
		if (len != NULL) {
			clen = strtoull(len, NULL, 10);
			if (clen > c->req.route->max_body)
				c->too_large = 1;
		}
		ctype = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
		    MHD_HTTP_HEADER_CONTENT_TYPE);
		if (!c->too_large && ctype != NULL &&
		    !(c->req.route->flags & ROUTE_JSON_BODY) &&
		    c->req.route->max_body > 0 &&
		    (strncasecmp(ctype, MHD_HTTP_POST_ENCODING_FORM_URLENCODED,
			 strlen(MHD_HTTP_POST_ENCODING_FORM_URLENCODED)) == 0 ||
			strncasecmp(ctype,
			    MHD_HTTP_POST_ENCODING_MULTIPART_FORMDATA,
			    strlen(MHD_HTTP_POST_ENCODING_MULTIPART_FORMDATA)) ==
			    0))
			c->pp = MHD_create_post_processor(conn, 16384, post_iter,
			    c);
		return MHD_YES;
	}
	if (*upload_size > 0) {
		if (c->req.route == NULL || c->too_large) {
			*upload_size = 0;
			if (c->req.route != NULL)
				c->too_large = 1;
			return MHD_YES;
		}
		if (c->pp != NULL) {
			if (c->req.body.len + *upload_size >
			    c->req.route->max_body)
				c->too_large = 1;
			else if (MHD_post_process(c->pp, upload_data,
				     *upload_size) != MHD_YES && !c->bad_input) {
				c->bad_input = 1;
				c->badfield = xstrdup("\037the form cannot be "
						      "read");
			}
			c->req.body.len += *upload_size;	/* counts only */
		} else if (c->req.route->flags & ROUTE_JSON_BODY) {
			if (buf_add(&c->req.body, upload_data, *upload_size) ==
			    -1)
				c->too_large = 1;
		} else
			c->too_large = 1;
		*upload_size = 0;
		return MHD_YES;
	}
	if (c->deferred == DEFER_WOKEN) {
		/* Back from the writer: the batch has committed (or not). */
		c->deferred = DEFER_ANSWERED;
		c->done(&c->req, c->job.failed ? &c->job.e : NULL);
		if (c->req.status == 0)
			c->req.status = 200;
		return respond(conn, c);
	}
	if (c->req.route != NULL && c->req.status == 0 &&
	    c->deferred == DEFER_NONE) {
		if (c->pp != NULL)
			c->req.body.len = 0;
		c->conn = conn;
		dispatch(conn, c);
		if (c->deferred == DEFER_PENDING) {
			c->deferred = DEFER_QUEUED;
			MHD_suspend_connection(conn);
			ingest_submit(&c->job);
			return MHD_YES;
		}
	}
	return respond(conn, c);
}

static void
stats_add(int idx, int status, int64_t us)
{
	struct route_stats *s = &srv.stats[idx];
	size_t		    b;
	double		    secs = (double)us / 1e6;

	s->requests++;
	if (status >= 100 && status < 600)
		s->by_class[status / 100]++;
	s->micros += (unsigned long)us;
	for (b = 0; b < NBUCKETS && secs > buckets[b]; b++)
		;
	srv.hist[b]++;
	srv.hist_count++;
	srv.hist_micros += (unsigned long)us;
}

static void
on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
    enum MHD_RequestTerminationCode toe)
{
	struct cx *c = *con_cls;
	int64_t	   us;
	char	   when[21];
	int	   i, anon;

	(void)cls;
	(void)conn;
	if (c == NULL)
		return;
	us = micros_since(&c->t0);
	if (toe == MHD_REQUEST_TERMINATED_TIMEOUT_REACHED)
		srv.cut_slow++;
	stats_add(c->stat_index, c->req.status, us);
	/* An anonymous route's line names neither the address nor the
	 * person (R-SRV-3): its time and path would otherwise tie an
	 * answer to whoever sent it. */
	anon = c->req.route != NULL && (c->req.route->flags & ROUTE_ANON);
	/* An answer to an anonymous route is not logged at all: its time,
	 * next to the order in which answers are numbered, would tell when
	 * each answer was given (R-SRV-3).  /metrics still counts it. */
	if (srv.cfg->access_log != NULL &&
	    !(anon && strcmp(c->req.method, "GET") != 0 &&
	    strcmp(c->req.method, "HEAD") != 0)) {
		time_format(clock_now(), when);
		pthread_mutex_lock(&srv.lock);
		fprintf(srv.cfg->access_log, "%s %s %s \"%s %s\" %d %zu %.1fms%s\n",
		    when, anon ? "-" : c->req.remote,
		    c->req.session != NULL && !anon ? c->req.session->login
						    : "-",
		    c->req.method, c->req.path != NULL ? c->req.path : "-",
		    c->req.status, c->req.out.len, (double)us / 1000.0,
		    toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? ""
							       : " (cut)");
		fflush(srv.cfg->access_log);
		pthread_mutex_unlock(&srv.lock);
	}
	if (c->pp != NULL)
		MHD_destroy_post_processor(c->pp);
	if (c->req.job_free != NULL)
		c->req.job_free(c->req.job);
	for (i = 0; i < c->nraw; i++)
		buf_free(&c->raw[i].v);
	for (i = 0; i < c->nrawf; i++) {
		free(c->rawf[i].name);
		buf_free(&c->rawf[i].v);
	}
	free(c->rawf);
	for (i = 0; i < c->req.nfields; i++) {
		free(c->req.fields[i].name);
		free(c->req.fields[i].value);
	}
	free(c->req.fields);
	for (i = 0; i < 32; i++)
		free(c->req.param[i]);
	for (i = 0; i < c->req.nheaders; i++)
		free(c->req.hvalue[i]);
	session_free(c->req.session);
	org_free(c->req.org);
	buf_free(&c->req.out);
	buf_free(&c->req.body);
	buf_free(&c->req.upload);
	free(c->req.upload_name);
	free((char *)c->req.path);
	free((char *)c->req.remote);
	free(c->csrf);
	free(c->badfield);
	free(c->pathcopy);
	free(c);
	*con_cls = NULL;
}

static void
on_connection(void *cls, struct MHD_Connection *conn, void **socket_ctx,
    enum MHD_ConnectionNotificationCode toe)
{
	(void)cls;
	(void)conn;
	(void)socket_ctx;
	if (toe == MHD_CONNECTION_NOTIFY_STARTED)
		srv.open_conns++;
	else
		srv.open_conns--;
}

/* /metrics in the Prometheus text format. */
int
http_metrics(struct req *r)
{
	struct buf *b = &r->out;
	unsigned long cum = 0;
	size_t	      i, k;
	uint64_t      n, ns;

	buf_puts(b, "# HELP otklik_http_requests_total Requests by route.\n"
		    "# TYPE otklik_http_requests_total counter\n");
	for (i = 0; i <= nroutes; i++) {
		for (k = 1; k < 6; k++) {
			if (srv.stats[i].by_class[k] == 0)
				continue;
			buf_printf(b, "otklik_http_requests_total{route=\"%s %s\","
				      "class=\"%zuxx\"} %lu\n",
			    i < nroutes ? routes[i].method : "-",
			    i < nroutes ? routes[i].pattern : "unrouted", k,
			    (unsigned long)srv.stats[i].by_class[k]);
		}
	}
	buf_puts(b, "# HELP otklik_http_request_duration_seconds Time to "
		    "answer a request.\n"
		    "# TYPE otklik_http_request_duration_seconds histogram\n");
	for (i = 0; i < NBUCKETS; i++) {
		cum += srv.hist[i];
		buf_printf(b, "otklik_http_request_duration_seconds_bucket"
			      "{le=\"%g\"} %lu\n", buckets[i], cum);
	}
	cum += srv.hist[NBUCKETS];
	buf_printf(b, "otklik_http_request_duration_seconds_bucket{le=\"+Inf\"}"
		      " %lu\n", cum);
	buf_printf(b, "otklik_http_request_duration_seconds_sum %.6f\n",
	    (double)srv.hist_micros / 1e6);
	buf_printf(b, "otklik_http_request_duration_seconds_count %lu\n",
	    (unsigned long)srv.hist_count);
	buf_printf(b, "# HELP otklik_http_too_large_total Requests refused "
		      "for their size.\n# TYPE otklik_http_too_large_total "
		      "counter\notklik_http_too_large_total %lu\n",
	    (unsigned long)srv.too_large);
	buf_printf(b, "# HELP otklik_http_timeouts_total Connections cut for "
		      "inactivity.\n# TYPE otklik_http_timeouts_total counter\n"
		      "otklik_http_timeouts_total %lu\n",
	    (unsigned long)srv.cut_slow);
	buf_printf(b, "# HELP otklik_http_connections Open connections.\n"
		      "# TYPE otklik_http_connections gauge\n"
		      "otklik_http_connections %d\n", (int)srv.open_conns);
	db_stats(&n, &ns);
	buf_printf(b, "# HELP otklik_db_statements_total Statements run.\n"
		      "# TYPE otklik_db_statements_total counter\n"
		      "otklik_db_statements_total %llu\n"
		      "# HELP otklik_db_seconds_total Time in the database.\n"
		      "# TYPE otklik_db_seconds_total counter\n"
		      "otklik_db_seconds_total %.6f\n",
	    (unsigned long long)n, (double)ns / 1e9);
	ingest_metrics(b);
	buf_printf(b, "# HELP otklik_uptime_seconds Since the start.\n"
		      "# TYPE otklik_uptime_seconds gauge\n"
		      "otklik_uptime_seconds %lld\n",
	    (long long)(clock_now() - srv.started));
	r->ctype = "text/plain; version=0.0.4; charset=utf-8";
	return 0;
}

int
http_healthz(struct req *r)
{
	struct db_stmt *s;
	int		ok;

	s = db_prepare(r->db, "SELECT 1", NULL);
	ok = s != NULL && db_step(s) == DB_ROW;
	db_finalize(s);
	r->status = ok ? 200 : 503;
	r->ctype = "text/plain; charset=utf-8";
	buf_puts(&r->out, ok ? "ok\n" : "database unavailable\n");
	return 0;
}

/*
 * Builds the time-zone tables of every organization before the threads
 * start: building one sets TZ, which must not happen while other threads
 * read the environment.
 */
static void
warm_zones(const char *dbpath)
{
	struct org *v;
	struct err  e;
	struct db  *db;
	int	    n, i;

	tz_warm("Europe/Moscow");
	if ((db = db_open(dbpath, &e)) == NULL)
		return;
	if ((n = org_list(db, &v, &e)) > 0) {
		for (i = 0; i < n; i++) {
			tz_warm(v[i].tz);
			org_clear(&v[i]);
		}
		free(v);
	}
	db_close(db);
}

static int
parse_listen(const char *s, struct sockaddr_in *sa, struct err *e)
{
	char	 host[64];
	const char *colon = strrchr(s, ':');
	char	*end;
	long	 port;

	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	if (colon == NULL || (size_t)(colon - s) >= sizeof(host))
		return err_set(e, EXIT_USAGE, "--listen %s: expected "
		    "ADDRESS:PORT, e.g. 127.0.0.1:8080", s);
	memcpy(host, s, (size_t)(colon - s));
	host[colon - s] = '\0';
	port = strtol(colon + 1, &end, 10);
	if (*end != '\0' || port < 0 || port > 65535 || colon[1] == '\0')
		return err_set(e, EXIT_USAGE, "--listen %s: the port is 0 to "
		    "65535", s);
	if (inet_pton(AF_INET, host, &sa->sin_addr) != 1)
		return err_set(e, EXIT_USAGE, "--listen %s: '%s' is not an "
		    "IPv4 address", s, host);
	sa->sin_port = htons((uint16_t)port);
	return 0;
}

int
http_serve(const struct http_config *cfg, struct err *e)
{
	struct MHD_Daemon	       *d;
	struct ingest_config		icfg = {0};
	struct sockaddr_in		sa;
	const union MHD_DaemonInfo     *di;
	sigset_t			sigs;
	int				sig, waited;
	unsigned			threads;
	size_t				i;

	if (parse_listen(cfg->listen, &sa, e) != 0)
		return -1;
	srv.cfg = cfg;
	warm_zones(cfg->dbpath);
	/* Answers of a few MB come and go: keep the memory for the next one
	 * rather than giving it back to the kernel and faulting it in again. */
	mallopt(M_TRIM_THRESHOLD, 64 << 20);
	mallopt(M_MMAP_THRESHOLD, 32 << 20);
	srv.started = clock_now();
	srv.stats = xcalloc(nroutes + 1, sizeof(*srv.stats));
	threads = cfg->threads > 0 ? (unsigned)cfg->threads
				   : (unsigned)sysconf(_SC_NPROCESSORS_ONLN);
	if (threads < 1)
		threads = 1;

	/* Signals go to the thread that waits for them, not to the pool. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);

	/* The writer of the write path, with its own connection. */
	icfg.dbpath = cfg->dbpath;
	icfg.linger_us = -1;
	if (ingest_start(&icfg, e) != 0)
		return -1;
	d = MHD_start_daemon(MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC |
		MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG,
	    0, NULL, NULL, on_request, NULL,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
	    MHD_OPTION_THREAD_POOL_SIZE, threads,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)cfg->timeout,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned)cfg->max_conns,
	    MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)cfg->max_conns_ip,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, cfg->conn_memory,
	    MHD_OPTION_LISTEN_BACKLOG_SIZE, 128u,
	    MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
	    MHD_OPTION_NOTIFY_CONNECTION, on_connection, NULL,
	    MHD_OPTION_SIGPIPE_HANDLED_BY_APP, 1,
	    MHD_OPTION_END);
	if (d == NULL) {
		err_set(e, EXIT_IOERR, "cannot listen on %s: %s",
		    cfg->listen, strerror(errno));
		ingest_stop();
		return -1;
	}
	di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	printf("otklik: listening on http://%s:%u/\n",
	    inet_ntoa(sa.sin_addr), di != NULL ? di->port : 0);
	fflush(stdout);

	for (;;) {
		if (sigwait(&sigs, &sig) != 0)
			continue;
		if (sig == SIGTERM || sig == SIGINT)
			break;
	}
	/* Graceful: stop accepting, let requests in flight finish. */
	MHD_quiesce_daemon(d);
	for (waited = 0; srv.open_conns > 0 && waited < 100; waited++)
		usleep(100000);
	/* Everything queued is committed and answered; no connection may
	 * stay suspended when the daemon stops.  Those resumed last get a
	 * moment to send their answers. */
	ingest_stop();
	for (waited = 0; srv.open_conns > 0 && waited < 10; waited++)
		usleep(100000);
	MHD_stop_daemon(d);
	for (i = 0; i < srv.ndbs; i++)
		db_close(srv.dbs[i]);
	free(srv.dbs);
	free(srv.stats);
	printf("otklik: stopped\n");
	return 0;
}
