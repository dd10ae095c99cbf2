/*
 * otklik level: the client-centricity level of R-AN-5 for a period, each
 * component with its weight and the count behind it, and the formula;
 * with --region, every organization's level, highest first.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "otklik.h"
#include "cmd.h"
#include "db.h"
#include "level.h"
#include "org.h"
#include "report.h"

static const char formula[] =
    "level = 0.40 satisfaction + 0.20 standards + 0.20 complaints + "
    "0.10 registry + 0.10 publication;\n"
    "  satisfaction: the index (r - 1) x 25 of the rating \"overall\" of "
    "the external\n    instruments, else of all external ratings;\n"
    "  standards: kept / (kept + breached) x 100;\n"
    "  complaints: satisfied / (satisfied + unsatisfied) x 100;\n"
    "  registry: current touchpoints without an error of the checks, "
    "in %;\n"
    "  publication: the mean of: the registry's current version "
    "published (100 or 0),\n    the report of the year before "
    "published (100 or 0);\n"
    "  a component without data is left out and the other weights "
    "scaled to sum to 1\n  (the level is then partial).";

static const struct cmd_opt opts[] = {
	{"period", "P", "2026H1, 2026Q3, 2026, 2026-05 or FROM..TO (default: "
			"the current half-year)"},
	{"region", NULL, "every organization's level, highest first"},
	{"json", NULL, "print as JSON"},
	{NULL, NULL, NULL},
};

/* The weight applied: the formula's, scaled over the components kept. */
static double
applied(const struct level *lv, size_t i)
{
	double w = 0;
	size_t k;

	if (!lv->part[i].have)
		return 0;
	for (k = 0; k < LEVEL__COUNT; k++)
		if (lv->part[k].have)
			w += lv->part[k].weight;
	return w > 0 ? lv->part[i].weight / w : 0;
}

static json_t *
level_json(const struct level *lv, const char *slug)
{
	json_t *o, *parts, *p;
	size_t	i;

	o = json_object();
	if (slug != NULL)
		json_object_set_new(o, "org", json_string(slug));
	json_object_set_new(o, "level", lv->have ? json_real(lv->index) :
	    json_null());
	json_object_set_new(o, "partial", json_boolean(lv->partial));
	parts = json_array();
	for (i = 0; i < LEVEL__COUNT; i++) {
		p = json_pack("{s:s, s:s, s:s, s:f, s:f, s:I}", "key",
		    lv->part[i].key, "ru", lv->part[i].ru, "en",
		    lv->part[i].en, "weight", lv->part[i].weight, "applied",
		    applied(lv, i), "n", (json_int_t)lv->part[i].n);
		json_object_set_new(p, "value", lv->part[i].have ?
		    json_real(lv->part[i].value) : json_null());
		json_array_append_new(parts, p);
	}
	json_object_set_new(o, "components", parts);
	return o;
}

static void
put_json(json_t *o)
{
	char *s = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);

	if (s != NULL)
		puts(s);
	free(s);
	json_decref(o);
}

static void
put_value(int have, double v)
{
	if (have)
		printf("%.1f", v);
	else
		putchar('-');
}

static int
one(struct cmd_ctx *c, const char *pname, int32_t from, int32_t to)
{
	struct level lv;
	struct err   e;
	json_t	    *o;
	size_t	     i;

	err_clear(&e);
	if (level_compute(c->db, c->org->id, from, to, &lv, &e) != 0)
		return cmd_error(&e);
	if (cmd_flag(c, 2)) {
		o = level_json(&lv, c->org->slug);
		json_object_set_new(o, "period", json_string(pname));
		json_object_set_new(o, "formula", json_string(formula));
		put_json(o);
		return EXIT_OK;
	}
	printf("level of %s, %s: ", c->org->slug, pname);
	put_value(lv.have, lv.index);
	printf("%s\n\n", lv.partial ? " (partial)" : "");
	printf("%-14s %7s %7s %8s %10s\n", "component", "value", "weight",
	    "applied", "n");
	for (i = 0; i < LEVEL__COUNT; i++) {
		printf("%-14s ", lv.part[i].key);
		if (lv.part[i].have)
			printf("%7.1f", lv.part[i].value);
		else
			printf("%7s", "-");
		printf(" %7.2f %8.2f %10" PRId64 "\n", lv.part[i].weight,
		    applied(&lv, i), lv.part[i].n);
	}
	printf("\n%s\n", formula);
	return EXIT_OK;
}

static int
region(struct cmd_ctx *c, const char *pname, int32_t from, int32_t to)
{
	struct level *v;
	struct org   *orgs;
	struct err    e;
	json_t	     *a, *o;
	const char   *slug;
	size_t	      n, i, k;
	int	      no, j;

	err_clear(&e);
	if (level_region(c->db, from, to, &v, &n, &e) != 0)
		return cmd_error(&e);
	if ((no = org_list(c->db, &orgs, &e)) < 0) {
		free(v);
		return cmd_error(&e);
	}
	a = json_array();
	for (i = 0; i < n; i++) {
		slug = "?";
		for (j = 0; j < no; j++)
			if (orgs[j].id == v[i].org_id)
				slug = orgs[j].slug;
		if (cmd_flag(c, 2)) {
			json_array_append_new(a, level_json(&v[i], slug));
			continue;
		}
		printf("%zu\t%s\t", i + 1, slug);
		put_value(v[i].have, v[i].index);
		printf("%s", v[i].partial ? "\tpartial" : "\tfull");
		for (k = 0; k < LEVEL__COUNT; k++) {
			printf("\t%s=", v[i].part[k].key);
			put_value(v[i].part[k].have, v[i].part[k].value);
		}
		putchar('\n');
	}
	if (cmd_flag(c, 2)) {
		o = json_pack("{s:s, s:s}", "period", pname, "formula",
		    formula);
		json_object_set_new(o, "organizations", a);
		put_json(o);
	} else
		json_decref(a);
	for (j = 0; j < no; j++)
		org_clear(&orgs[j]);
	free(orgs);
	free(v);
	return EXIT_OK;
}

static int
cmd_level_exec(struct cmd_ctx *c, int argc, char **argv)
{
	struct err e;
	char	   pname[32];
	int32_t	   from, to, pf, pt;

	(void)argc;
	(void)argv;
	err_clear(&e);
	/* The region needs no organization of its own, unless named. */
	c->org = c->org_slug != NULL ? org_find(c->db, c->org_slug, &e) :
	    org_default(c->db, &e);
	if (c->org == NULL && !cmd_flag(c, 1))
		return cmd_error(&e);
	if (cmd_opt(c, 0) == NULL)
		report_period_current(date_local(clock_now(), c->org != NULL ?
		    c->org->tz : "Europe/Moscow"), pname);
	else
		snprintf(pname, sizeof(pname), "%s", cmd_opt(c, 0));
	if (report_period(pname, &from, &to, &pf, &pt, &e) != 0)
		return cmd_fail(EXIT_USAGE, "--%s", e.msg);
	if (cmd_flag(c, 1))
		return region(c, pname, from, to);
	return one(c, pname, from, to);
}

const struct cmd_entry cmd_level_entry = {
	.name = "level",
	.args = "",
	.summary = "the client-centricity level: every component, its weight "
		   "and the formula",
	.help = "The level of the organization for the period (default: the "
		"current\nhalf-year), 0-100, the weighted mean of five "
		"components, each shown with\nthe weight of the formula, the "
		"weight applied and the count behind it.\nWith --region, one "
		"line per organization of the database, highest first:\nplace, "
		"slug, level, full or partial, the components.",
	.opts = opts,
	.flags = CMD_DB,
	.minargs = 0,
	.maxargs = 0,
	.exec = cmd_level_exec,
};
