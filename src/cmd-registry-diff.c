/*
 * otklik registry diff: what changed between two versions of the
 * registry (R-REG-5), entry by entry and field by field.  A version is
 * named by its number or by a date (the version in force that day).
 */
#include <stdlib.h>
#include <string.h>

#include "otklik.h"
#include "cmd.h"
#include "org.h"
#include "registry.h"

static int
pick(struct cmd_ctx *c, const char *arg, int64_t *v)
{
	struct err e;
	int32_t	   day;

	if (strlen(arg) == 10 && arg[4] == '-') {
		if (date_parse(arg, &day) != 0)
			return cmd_fail(EXIT_USAGE, "'%s' is not a date "
			    "YYYY-MM-DD", arg);
		if (registry_version_at(c->db, c->org, day, v, &e) != 0)
			return cmd_error(&e);
		return 0;	/* 0: the empty registry before version 1 */
	}
	if (cmd_parse_int("version", arg, 0, INT64_MAX, v) != 0)
		return EXIT_USAGE;
	return 0;
}

static const char *
field_value(const struct reg_entry *x, const char *f, char *tmp, size_t len)
{
	if (!strcmp(f, "area"))
		return x->area;
	if (!strcmp(f, "process"))
		return x->process;
	if (!strcmp(f, "name"))
		return x->name;
	if (!strcmp(f, "channel"))
		return channels[x->channel].code;
	if (!strcmp(f, "kind"))
		return kind_code(x->kind);
	if (!strcmp(f, "client"))
		return client_code(x->client);
	if (!strcmp(f, "needs"))
		return x->needs;
	if (!strcmp(f, "interaction"))
		return x->interaction;
	if (!strcmp(f, "features"))
		return x->features;
	if (!strcmp(f, "phone"))
		return x->phone;
	if (!strcmp(f, "email"))
		return x->email;
	if (!strcmp(f, "url"))
		return x->url;
	if (!strcmp(f, "address"))
		return x->address;
	if (!strcmp(f, "room"))
		return x->room;
	if (!strcmp(f, "unit"))
		return x->unit;
	if (!strcmp(f, "basis"))
		return basis_code(x->basis);
	if (!strcmp(f, "basis_ref"))
		return x->basis_ref;
	snprintf(tmp, len, "%d",
	    !strcmp(f, "key") ? x->is_key
	    : !strcmp(f, "low_demand") ? x->low_demand
				       : x->not_counted);
	return tmp;
}

static int
cmd_registry_diff_exec(struct cmd_ctx *c, int argc, char **argv)
{
	struct registry	a = {0}, b = {0};
	struct reg_diff d;
	struct err	e;
	const struct reg_entry *x;
	int64_t		va, vb;
	char	       *fields, *tok, *save, t1[16], t2[16];
	const char     *o, *n;
	size_t		i;
	int		r;

	(void)argc;
	if ((r = pick(c, argv[0], &va)) != 0 || (r = pick(c, argv[1], &vb)) != 0)
		return r;
	if ((va > 0 && registry_load(c->db, c->org->id, va, &a, &e) != 0) ||
	    (vb > 0 && registry_load(c->db, c->org->id, vb, &b, &e) != 0)) {
		registry_free(&a);
		return cmd_error(&e);
	}
	registry_diff(&a, &b, &d);
	printf("version %lld → version %lld: %zu difference%s\n",
	    (long long)va, (long long)vb, d.n, d.n == 1 ? "" : "s");
	for (i = 0; i < d.n; i++) {
		x = d.v[i].b != NULL ? d.v[i].b : d.v[i].a;
		printf("%c %lld «%s» (%s / %s)\n", d.v[i].op, (long long)x->id,
		    x->name, x->area, x->process);
		if (d.v[i].op != '~')
			continue;
		fields = xstrdup(d.v[i].fields);
		save = NULL;
		for (tok = strtok_r(fields, " ", &save); tok != NULL;
		     tok = strtok_r(NULL, " ", &save)) {
			o = field_value(d.v[i].a, tok, t1, sizeof(t1));
			n = field_value(d.v[i].b, tok, t2, sizeof(t2));
			printf("    %s: «%s» → «%s»\n", tok, o ? o : "",
			    n ? n : "");
		}
		free(fields);
	}
	reg_diff_free(&d);
	registry_free(&a);
	registry_free(&b);
	return EXIT_OK;
}

const struct cmd_entry cmd_registry_diff_entry = {
	.name = "registry diff",
	.args = "A B",
	.summary = "compare two versions of the registry",
	.help = "A and B are version numbers (0 is the empty registry before "
		"the first) or\ndates YYYY-MM-DD (the version in force at the "
		"end of that day). Lines\nstart with + (added), - (excluded) "
		"or ~ (changed, with each changed field).",
	.flags = CMD_ORG,
	.minargs = 2,
	.maxargs = 2,
	.exec = cmd_registry_diff_exec,
};
