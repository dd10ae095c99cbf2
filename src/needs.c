/*
 * The needs taxonomy of R-REG-2, shipped as data/needs.tsv and built into
 * the binary, plus the needs an organization adds (table org_need, codes
 * "org:…").  needs_from_text() reads the free text of column 5 of the
 * official form into codes by word stems, so imported registries carry
 * needs that reports can count.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "otklik.h"
#include "db.h"
#include "registry.h"

struct need_row {
	struct need need;
	char	   *patterns;	/* folded: "a+b|c" */
};

static struct need_row *rows;
static size_t		nrows;
static pthread_once_t	once = PTHREAD_ONCE_INIT;

static char *
field(char **p)
{
	char *s = *p, *t;

	if (s == NULL)
		return NULL;
	if ((t = strchr(s, '\t')) != NULL) {
		*t = '\0';
		*p = t + 1;
	} else
		*p = NULL;
	return s;
}

static void
needs_load(void)
{
	const struct embedded_file *f;
	char			   *text, *line, *next, *p;
	struct need_row		   *r;

	if ((f = embedded_find("needs.tsv")) == NULL)
		fatal("needs.tsv is not built in");
	text = xstrndup((const char *)f->data, f->len);
	for (line = text; line != NULL && *line != '\0'; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		if (*line == '#' || *line == '\0')
			continue;
		rows = xreallocarray(rows, nrows + 1, sizeof(*rows));
		r = &rows[nrows++];
		p = line;
		r->need.code = field(&p);
		r->need.title_ru = field(&p);
		r->need.title_en = field(&p);
		r->need.seed = field(&p);
		r->patterns = utf8_fold((p = field(&p)) != NULL ? p : "");
		if (r->need.code == NULL || r->need.title_en == NULL ||
		    r->need.seed == NULL)
			fatal("needs.tsv: line for '%s' lacks columns",
			    line);
	}
	/* text stays allocated: the needs point into it for good. */
}

size_t
needs_count(void)
{
	pthread_once(&once, needs_load);
	return nrows;
}

const struct need *
needs_at(size_t i)
{
	pthread_once(&once, needs_load);
	return i < nrows ? &rows[i].need : NULL;
}

const struct need *
needs_find(const char *code)
{
	size_t i;

	pthread_once(&once, needs_load);
	for (i = 0; i < nrows; i++)
		if (strcmp(rows[i].need.code, code) == 0)
			return &rows[i].need;
	return NULL;
}

static int
org_need_exists(struct db *db, int64_t org_id, const char *code)
{
	struct db_stmt *s;
	int		r;

	if (db == NULL)
		return 1;
	s = db_prepare(db, "SELECT 1 FROM org_need WHERE org_id = ? AND "
			   "code = ?", "it", org_id, code);
	if (s == NULL)
		return 0;
	r = db_step(s) == DB_ROW;
	db_finalize(s);
	return r;
}

int
needs_validate(struct db *db, int64_t org_id, const char *codes,
    struct err *e)
{
	char *copy, *tok, *save = NULL;
	int   r = 0;

	copy = xstrdup(codes);
	for (tok = strtok_r(copy, " ,", &save); tok != NULL;
	     tok = strtok_r(NULL, " ,", &save)) {
		if (needs_find(tok) != NULL)
			continue;
		if (strncmp(tok, "org:", 4) == 0 && tok[4] != '\0' &&
		    org_need_exists(db, org_id, tok))
			continue;
		r = err_set(e, EXIT_DATAERR,
		    "need '%s' is not in the taxonomy; 'otklik needs list' "
		    "shows the codes", tok);
		break;
	}
	free(copy);
	return r;
}

char *
needs_from_text(const char *text)
{
	struct buf b;
	char	  *folded;
	size_t	   i;
	int	   any = 0;

	pthread_once(&once, needs_load);
	if (str_empty(text))
		return xstrdup("");
	folded = utf8_fold(text);
	buf_init(&b, 4096);
	for (i = 0; i < nrows; i++) {
		if (*rows[i].patterns == '\0' ||
		    !text_match(folded, rows[i].patterns, 1))
			continue;
		if (any)
			buf_putc(&b, ' ');
		buf_puts(&b, rows[i].need.code);
		any = 1;
	}
	if (!any)
		buf_puts(&b, "other");
	free(folded);
	return buf_detach(&b);
}
