/*
 * The web server's view of a request and of the route table.  http.c
 * runs libmicrohttpd, finds the route, reads and limits the body,
 * validates the declared parameters, loads the session, checks CSRF and
 * the role a route needs, all in one place; a handler (ui-*.c for pages,
 * api-*.c for JSON) only sees a struct req that has passed all that, and
 * fills in the response.  Per-request state lives in the struct, never in
 * globals: the server runs a pool of threads.
 */
#ifndef OTKLIK_HTTP_H
#define OTKLIK_HTTP_H

#include <stddef.h>
#include <stdint.h>

#include "otklik.h"

struct db;
struct org;
struct req;
struct session;

/*
 * A parameter a route accepts, from the query string or a form body
 * (application/x-www-form-urlencoded or multipart/form-data).  Anything
 * not declared is ignored.  A value longer than max, not valid UTF-8, or
 * refused by check() gets a 400 naming the field and the reason; so does a
 * required parameter that is missing or empty.
 */
struct http_param {
	const char *name;
	int	    required;
	size_t	    max;	/* bytes; 0 means 1,000 */
	/* NULL to accept any text; else fills why and returns -1. */
	int (*check)(const char *value, char *why, size_t whylen);
};

/* Validators shared by routes (http.c). */
/* One of the words of a list, "a|b|c"; a route's own check calls it. */
int http_check_one_of(const char *, const char *words, char *, size_t);
int http_check_int(const char *, char *, size_t);	/* a whole number >= 0 */
int http_check_date(const char *, char *, size_t);	/* YYYY-MM-DD */
int http_check_slug(const char *, char *, size_t);	/* an organization slug */
int http_check_role(const char *, char *, size_t);	/* a role of R-ORG-2 */
int http_check_state(const char *, char *, size_t);	/* a change's state */
int http_check_flag(const char *, char *, size_t);	/* 1 or 0 */
int http_check_client(const char *, char *, size_t);	/* external, internal */
int http_check_kind(const char *, char *, size_t);	/* digital, offline */
int http_check_channel(const char *, char *, size_t);	/* a channel code */

/* Route flags. */
#define ROUTE_PUBLIC 0x01 /* no sign-in needed */
#define ROUTE_JSON   0x02 /* errors answered as JSON, not as pages */
#define ROUTE_UPLOAD 0x04 /* takes multipart/form-data with one file */
#define ROUTE_JSON_BODY 0x08 /* takes an application/json body (API) */
/* Anonymous (R-SRV-3): the access log records neither the client's
 * address nor the signed-in person for this route, and no line at all
 * for anything but a GET or HEAD (an answer); no session is loaded. */
#define ROUTE_ANON   0x10

/*
 * A route: method and pattern.  Pattern segments are literals or
 * "{org}" (an organization slug: the organization is loaded, and a
 * missing one is a 404), "{id}" (a whole number), "{name}" (any one
 * segment).  The role, when set, is one the signed-in person must hold in
 * that organization ("admin" passes every check); every non-GET route of
 * a signed-in person also needs the session's CSRF token (form field
 * "csrf" or header X-CSRF-Token).
 */
struct route {
	const char		*method;
	const char		*pattern;
	int (*handler)(struct req *);
	const struct http_param *params;	/* ends with a NULL name */
	size_t			 max_body;	/* 0: no body accepted */
	int			 flags;
	const char		*role;		/* NULL: any signed-in person */
	const char		*summary;	/* for the OpenAPI check, docs */
};

extern const struct route routes[];
extern const size_t	  nroutes;

#define REQ_MAX_HEADERS 8
#define REQ_MAX_FIELDS	600
#define REQ_MAX_CAPTURE 4

struct req {
	/* What came in. */
	const struct route *route;
	const char	   *method;
	const char	   *path;	/* without the query string */
	const char	   *remote;	/* the client's address, for limits */
	const char	   *capture[REQ_MAX_CAPTURE];	/* {name} segments */
	int		    ncapture;
	int64_t		    id;		/* the {id} segment, if any */
	struct org	   *org;	/* the {org} organization, if any */
	struct db	   *db;		/* this thread's database connection */
	struct session	   *session;	/* NULL when not signed in */
	const char	   *lang;	/* "ru" (default) or "en" */
	int		    secure;	/* served over TLS or a proxy said so */
	struct buf	    body;	/* a JSON body (ROUTE_JSON_BODY) */
	char		   *upload_name;	/* ROUTE_UPLOAD: the file's name */
	struct buf	    upload;		/* and its bytes */
	/* Validated parameters, by index in route->params. */
	char		   *param[32];
	/*
	 * Fields a route takes by prefix: a declared parameter whose name
	 * ends in '*' ("q.*") takes every field whose name starts with what
	 * comes before the star, each value on its own (a field repeated,
	 * as checkboxes send it, gives several), in the order they came, at
	 * most REQ_MAX_FIELDS in all, each checked like a parameter (its
	 * max, UTF-8, check()).
	 */
	struct req_field   *fields;
	int		    nfields;

	/* What goes out. */
	int		    status;
	const char	   *ctype;
	struct buf	    out;
	const char	   *hname[REQ_MAX_HEADERS];
	char		   *hvalue[REQ_MAX_HEADERS];
	int		    nheaders;

	/* A deferred request's own data (req_defer), freed after the answer. */
	void		   *job;
	void		  (*job_free)(void *);
};

/* The value of a declared parameter, or NULL when it was not given. */
const char *req_param(const struct req *, const char *name);
/* A field taken by prefix (see struct req). */
struct req_field {
	char *name;
	char *value;
};
/* The first value of the field named exactly name, or NULL. */
const char *req_field(const struct req *, const char *name);
/* The values of the fields named exactly name, in order, at most max
 * of them into out; returns how many there are in all. */
size_t req_field_all(const struct req *, const char *name,
    const char **out, size_t max);
/*
 * The site's address as clients reach it, without a trailing slash, for
 * links that leave the page (a QR code, a poster): "otklik serve
 * --public-url" when given, else the scheme (TLS or the proxy's word)
 * and the request's Host header, when that is a plain host[:port].
 * Appends it to out and returns 0, or -1 when neither is known.
 */
int  req_base_url(const struct req *, struct buf *out);
/* Adds a response header (the value is copied). */
void req_header(struct req *, const char *name, const char *value);
/* 303 See Other to a path of this site; returns 0. */
int  req_redirect(struct req *, const char *location);
/*
 * An error answer: a page (or JSON for ROUTE_JSON) that says what is
 * wrong with which field, never echoing the request.  field may be NULL.
 * Returns 0 so that a handler can "return req_error(…)".
 */
int  req_error(struct req *, int status, const char *field,
    const char *reason);
/* A JSON answer, through jansson; takes the reference. */
struct json_t;
int  req_json(struct req *, int status, struct json_t *);
/* A file to download: content type, file name, the bytes (copied). */
int  req_file(struct req *, const char *ctype, const char *filename,
    const void *data, size_t len);

/*
 * Hands a request to the writer thread (ingest.c) and suspends the connection until
 * its batch has committed.  write() runs on the writer thread inside the batch's
 * transaction, under its own savepoint: returning -1 (with e filled; e->code
 * EXIT_DATAERR for the client's fault, anything else for the server's) rolls back
 * that request alone.  After the batch commits, done() runs with e == NULL; after a
 * failure (of write or of the commit) with the error; done fills the answer
 * (r->status, r->out, req_redirect, req_error …) as a handler would.  Per-request
 * data for write and done goes in r->job, freed with r->job_free after the answer.
 * Returns 0 (the handler then returns at once), or -1 when the queue is full (the
 * handler answers 503 with Retry-After itself).
 */
int req_defer(struct req *, int (*write)(struct req *, struct db *, struct err *),
    void (*done)(struct req *, const struct err *));

/* The server (http.c), started by "otklik serve". */
struct http_config {
	const char *dbpath;
	const char *listen;		/* "127.0.0.1:8080" */
	int	    threads;		/* 0: one per core */
	int	    timeout;		/* seconds of inactivity before a cut */
	int	    max_conns;		/* in all */
	int	    max_conns_ip;	/* from one address */
	size_t	    conn_memory;	/* bytes per connection */
	int	    trust_proxy;	/* honour X-Forwarded-Proto/For */
	FILE	   *access_log;		/* NULL: none */
	const char *public_url;		/* "https://host", NULL: from Host */
};
int http_serve(const struct http_config *, struct err *);

#endif
