/*
 * libFuzzer target for the JSON body of POST /api/v1/orgs/{org}/messages
 * (api-feedback.c): whatever the body, the handler answers with JSON — a
 * 400 that names a field, or, for a message that passes every check, the
 * 503 of a full queue (no writer thread runs here, so req_defer refuses
 * before touching anything) — without a crash, a leak or undefined
 * behaviour.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "otklik.h"
#include "http.h"
#include "org.h"
#include "routes.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct org  org;
	struct req  r;
	json_t	   *j, *err;
	int	    i;

	if (size > 65536)	/* the route's limit: http.c answers 413 */
		return 0;
	memset(&org, 0, sizeof(org));
	org.id = 1;
	org.slug = "gkk";
	memset(&r, 0, sizeof(r));
	r.method = "POST";
	r.path = "/api/v1/orgs/gkk/messages";
	r.org = &org;
	r.lang = "ru";
	buf_init(&r.body, 65536);
	buf_add(&r.body, data, size);
	buf_init(&r.out, BUF_MAX_DEFAULT);

	api_messages_post(&r);
	if (r.status != 400 && r.status != 503)
		abort();
	j = json_loadb(r.out.data, r.out.len, 0, NULL);
	err = json_object_get(j, "error");
	if (err == NULL || json_integer_value(json_object_get(err, "status")) !=
	    r.status)
		abort();
	if (r.status == 400 && !json_is_string(json_object_get(err, "field")))
		abort();
	json_decref(j);

	if (r.job_free != NULL)
		r.job_free(r.job);
	for (i = 0; i < r.nheaders; i++)
		free(r.hvalue[i]);
	buf_free(&r.out);
	buf_free(&r.body);
	return 0;
}
