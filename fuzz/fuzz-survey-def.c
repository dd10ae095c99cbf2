/*
 * libFuzzer target for survey definitions (srv_def_parse, R-SRV-1): the
 * JSON of data/surveys/<code>.json, of a stored version and of the
 * instrument editor.  Whatever the input, it is refused as a data error
 * with a message, or read into a definition that writes back to JSON
 * which reads again to the same text (canonical), and against which
 * answers check, without a crash, a leak or undefined behaviour.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "otklik.h"
#include "survey.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Answers every question with what the input's bytes pick: a rating,
 * an option or two, a text. */
static void
answer(const struct srv_def *d, const uint8_t *data, size_t size)
{
	struct srv_error errs[4];
	struct srv_resp	 r;
	const struct srv_question *q;
	size_t		 i, k;
	uint8_t		 b;

	srv_resp_init(&r, d->nq);
	for (i = 0; i < d->nq; i++) {
		q = &d->q[i];
		b = size > 0 ? data[i % size] : 0;
		switch (q->type) {
		case SRV_RATING:
			r.items[i].rating = b % 8 - 1;
			break;
		case SRV_SINGLE:
		case SRV_MULTI:
			r.items[i].choices = xcalloc(2, sizeof(char *));
			for (k = 0; k < 1u + (b & 1); k++)
				r.items[i].choices[k] = xstrdup(
				    q->options[(b >> 1) % q->noptions].code);
			r.items[i].nchoices = k;
			break;
		case SRV_TEXT:
			r.items[i].text = xstrndup((const char *)data,
			    size < 64 ? size : 64);
			break;
		}
	}
	for (i = 0; i < d->nq; i++)
		(void)srv_visible(d, &r, i);
	if (srv_validate(d, &r, errs, nitems(errs)) > nitems(errs))
		abort();
	srv_resp_clear(&r);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct srv_def d, back;
	struct err     e;
	char	      *j1, *j2;

	err_clear(&e);
	if (srv_def_parse(&d, (const char *)data, size, &e) != 0) {
		/* Refused: with a message, as a data error, nothing kept. */
		if (e.msg[0] == '\0' || e.code != EXIT_DATAERR ||
		    d.q != NULL || d.code != NULL)
			abort();
		return 0;
	}
	j1 = srv_def_json(&d);
	if (srv_def_parse(&back, j1, strlen(j1), &e) != 0)
		abort();
	j2 = srv_def_json(&back);
	if (strcmp(j1, j2) != 0 || back.nq != d.nq)
		abort();
	answer(&d, data, size);
	free(j1);
	free(j2);
	srv_def_clear(&back);
	srv_def_clear(&d);
	return 0;
}
