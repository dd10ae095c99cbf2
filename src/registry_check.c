/*
 * The checks of R-REG-3, run on demand and before every inclusion.  Each
 * finding names the entry, the rule and the paragraph of the order it
 * comes from; errors block an inclusion, warnings and hints do not.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "otklik.h"
#include "registry.h"

static void
add(struct reg_findings *f, enum finding_level level, const char *rule,
    const char *seed, int entry, char *where, char *msg)
{
	f->v = xreallocarray(f->v, f->n + 1, sizeof(*f->v));
	f->v[f->n].level = level;
	f->v[f->n].rule = rule;
	f->v[f->n].seed = seed;
	f->v[f->n].entry = entry;
	f->v[f->n].where = where;
	f->v[f->n].msg = msg;
	f->n++;
	if (level == FIND_ERROR)
		f->errors++;
	else if (level == FIND_WARNING)
		f->warnings++;
	else
		f->hints++;
}

static char *
entry_where(const struct registry *r, size_t i)
{
	const struct reg_entry *e = &r->v[i];

	if (e->id != 0)
		return xasprintf("touchpoint %lld «%s» (%s / %s)",
		    (long long)e->id, e->name, e->area, e->process);
	return xasprintf("entry %zu «%s» (%s / %s)", i + 1, e->name, e->area,
	    e->process);
}

static int
same_group(const struct reg_entry *a, const struct reg_entry *b,
    int process)
{
	if (strcmp(a->area, b->area) != 0)
		return 0;
	return !process || strcmp(a->process, b->process) == 0;
}

/* Needs other than the final goal: information, advice, forms, feedback. */
static int
serves_more_than_goal(const char *needs)
{
	char *copy = xstrdup(needs), *tok, *save = NULL;
	int   more = 0;

	for (tok = strtok_r(copy, " ", &save); tok != NULL && !more;
	     tok = strtok_r(NULL, " ", &save))
		if (strncmp(tok, "submit", 6) != 0 && strcmp(tok, "result") != 0)
			more = 1;
	free(copy);
	return more;
}

struct dupkey {
	char  *key;	/* area, process and folded name */
	size_t idx;
};

static int
dupkey_cmp(const void *a, const void *b)
{
	const struct dupkey *x = a, *y = b;
	int		     c = strcmp(x->key, y->key);

	if (c != 0)
		return c;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/*
 * For each entry, the index of the first entry of the same process with
 * the same touchpoint (case and spacing aside), or SIZE_MAX: sorting
 * keys finds them in O(n log n) wherever they stand in the registry.
 */
static size_t *
find_duplicates(const struct registry *r)
{
	struct dupkey *k = xcalloc(r->n, sizeof(*k));
	size_t	      *dup_of = xcalloc(r->n, sizeof(*dup_of));
	size_t	       i, first = 0;
	char	      *name;

	for (i = 0; i < r->n; i++) {
		name = utf8_fold(r->v[i].name);
		k[i].key = xasprintf("%s\x1f%s\x1f%s", r->v[i].area,
		    r->v[i].process, name);
		k[i].idx = i;
		dup_of[i] = SIZE_MAX;
		free(name);
	}
	if (r->n > 1)
		qsort(k, r->n, sizeof(*k), dupkey_cmp);
	for (i = 0; i < r->n; i++) {
		if (i > 0 && strcmp(k[i].key, k[first].key) == 0)
			dup_of[k[i].idx] = k[first].idx;
		else
			first = i;
	}
	for (i = 0; i < r->n; i++)
		free(k[i].key);
	free(k);
	return dup_of;
}

static void
check_entries(const struct registry *r, struct reg_findings *f)
{
	const struct reg_entry *e;
	size_t		       *dup_of = find_duplicates(r);
	size_t			i;

	for (i = 0; i < r->n; i++) {
		e = &r->v[i];
		if (str_empty(e->area) || str_empty(e->process) ||
		    str_empty(e->name))
			add(f, FIND_ERROR, "required-fields", "001 §2.2", (int)i,
			    entry_where(r, i),
			    xasprintf("%s%s%sis empty: every entry names its "
				      "area, process and touchpoint",
				str_empty(e->area) ? "the area " : "",
				str_empty(e->process) ? "the process " : "",
				str_empty(e->name) ? "the touchpoint " : ""));
		if (str_empty(e->needs))
			add(f, FIND_ERROR, "needs-declared", "000 §10, 001 §2.6",
			    (int)i, entry_where(r, i),
			    xstrdup("no needs are declared: say what the client "
				    "gets done at this touchpoint"));
		if (dup_of[i] != SIZE_MAX)
			add(f, FIND_ERROR, "no-duplicates", "000 §12, 001 §2.8",
			    (int)i, entry_where(r, i),
			    xasprintf("repeats entry %zu of the same process: "
				      "list the touchpoint once with all its "
				      "needs", dup_of[i] + 1));
	}
	free(dup_of);
}

/* Walks groups of consecutive entries of one area (or process). */
static void
check_groups(const struct registry *r, struct reg_findings *f)
{
	size_t i, j, k;
	int    key, digital, offline, more;

	for (i = 0; i < r->n; i = j) {
		key = 0;
		for (j = i; j < r->n && same_group(&r->v[i], &r->v[j], 0); j++)
			key |= r->v[j].is_key;
		if (!key)
			add(f, FIND_ERROR, "key-touchpoint", "000 §7, 001 §2.3",
			    (int)i,
			    xasprintf("area «%s»", r->v[i].area),
			    xstrdup("has no key touchpoint: mark the ones "
				    "through which clients mostly come"));
	}
	for (i = 0; i < r->n; i = j) {
		digital = offline = more = 0;
		for (j = i; j < r->n && same_group(&r->v[i], &r->v[j], 1);
		     j++) {
			if (r->v[j].kind == KIND_DIGITAL)
				digital++;
			else
				offline++;
			more |= serves_more_than_goal(r->v[j].needs);
		}
		k = i;
		if (digital == 0)
			add(f, FIND_WARNING, "digital-preferred", "000 §13",
			    (int)k,
			    xasprintf("process «%s» (%s)", r->v[k].process,
				r->v[k].area),
			    xstrdup("has only offline touchpoints: digital "
				    "channels are the preferred way"));
		if (offline == 0)
			add(f, FIND_WARNING, "offline-alternative", "000 §13",
			    (int)k,
			    xasprintf("process «%s» (%s)", r->v[k].process,
				r->v[k].area),
			    xstrdup("has only digital touchpoints: keep an "
				    "offline alternative for clients who need "
				    "one"));
		if (!more)
			add(f, FIND_HINT, "not-only-final-goal",
			    "000 §11, 001 §2.7", (int)k,
			    xasprintf("process «%s» (%s)", r->v[k].process,
				r->v[k].area),
			    xstrdup("its touchpoints serve only the final goal "
				    "(submitting, getting the result): avoid "
				    "formalism, list where clients get "
				    "information, advice and forms too"));
	}
}

void
registry_check(const struct registry *r, struct reg_findings *f)
{
	memset(f, 0, sizeof(*f));
	check_entries(r, f);
	check_groups(r, f);
}

void
findings_free(struct reg_findings *f)
{
	size_t i;

	for (i = 0; i < f->n; i++) {
		free(f->v[i].where);
		free(f->v[i].msg);
	}
	free(f->v);
	memset(f, 0, sizeof(*f));
}

const char *
finding_level_name(enum finding_level l)
{
	switch (l) {
	case FIND_ERROR:
		return "error";
	case FIND_WARNING:
		return "warning";
	default:
		return "hint";
	}
}

void
findings_print(FILE *f, const struct reg_findings *found)
{
	size_t i;

	for (i = 0; i < found->n; i++)
		fprintf(f, "%s: %s: %s [%s, %s]\n",
		    finding_level_name(found->v[i].level), found->v[i].where,
		    found->v[i].msg, found->v[i].rule, found->v[i].seed);
	fprintf(f, "%d error%s, %d warning%s, %d hint%s\n", found->errors,
	    found->errors == 1 ? "" : "s", found->warnings,
	    found->warnings == 1 ? "" : "s", found->hints,
	    found->hints == 1 ? "" : "s");
}
