/*
 * otklik report …: the reports of R-AN built from the rollups (the
 * half-year report, the pain map, the level, the public yearly report)
 * as JSON, CSV, HTML or XLSX; the publication of the yearly report and
 * the list of published years.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "otklik.h"
#include "cmd.h"
#include "db.h"
#include "org.h"
#include "report.h"

enum { O_PERIOD, O_CLIENTS, O_WHAT, O_FORMAT, O_K, O_OUTPUT, O_LANG };

static const struct cmd_opt report_opts[] = {
	{"period", "P", "2026H1, 2026H2, 2026Q1…Q4, 2026, 2026-05 or "
			"FROM..TO (default: the current half-year)"},
	{"clients", "TYPE", "external (default) or internal"},
	{"what", "WHAT", "full (default), pain, level or public"},
	{"format", "FORMAT", "json (default), csv, html or xlsx"},
	{"k", "N", "suppress figures from fewer than N answers (default 5)"},
	{"output", "FILE", "the file to write (default: standard output; "
			   "xlsx needs it)"},
	{"lang", "LANG", "ru (default) or en: titles of CSV, HTML, XLSX"},
	{NULL, NULL, NULL},
};

static int
what_parse(const char *s, enum rwhat *w)
{
	static const struct {
		const char *name;
		enum rwhat  what;
	} names[] = {{"full", RW_FULL}, {"pain", RW_PAIN},
	    {"level", RW_LEVEL}, {"public", RW_PUBLIC}};
	size_t i;

	for (i = 0; i < nitems(names); i++)
		if (strcmp(names[i].name, s) == 0) {
			*w = names[i].what;
			return 0;
		}
	return -1;
}

static int
cmd_report_exec(struct cmd_ctx *c, int argc, char **argv)
{
	struct report_opts o;
	struct report	   rep;
	struct buf	   b;
	struct err	   e;
	const char	  *fmt = cmd_opt(c, O_FORMAT), *lang = cmd_opt(c, O_LANG);
	const char	  *out = cmd_opt(c, O_OUTPUT);
	int64_t		   k = 0;
	int		   ru = 1, rc = EXIT_OK;

	(void)argc;
	(void)argv;
	err_clear(&e);
	memset(&o, 0, sizeof(o));
	o.org_id = c->org->id;
	o.period = cmd_opt(c, O_PERIOD);
	o.client = cmd_opt(c, O_CLIENTS);
	if (cmd_opt(c, O_WHAT) != NULL && what_parse(cmd_opt(c, O_WHAT),
	    &o.what) != 0)
		return cmd_fail(EXIT_USAGE, "what '%s': expected full, pain, "
		    "level or public", cmd_opt(c, O_WHAT));
	if (fmt == NULL)
		fmt = "json";
	if (strcmp(fmt, "json") != 0 && strcmp(fmt, "csv") != 0 &&
	    strcmp(fmt, "html") != 0 && strcmp(fmt, "xlsx") != 0)
		return cmd_fail(EXIT_USAGE, "format '%s': expected json, csv, "
		    "html or xlsx", fmt);
	if (strcmp(fmt, "xlsx") == 0 && (out == NULL || strcmp(out, "-") == 0))
		return cmd_fail(EXIT_USAGE, "format xlsx: needs --output FILE");
	if (lang != NULL && strcmp(lang, "ru") != 0 && strcmp(lang, "en") != 0)
		return cmd_fail(EXIT_USAGE, "lang '%s': expected ru or en",
		    lang);
	if (lang != NULL)
		ru = strcmp(lang, "ru") == 0;
	if (cmd_opt(c, O_K) != NULL && cmd_parse_int("--k", cmd_opt(c, O_K),
	    1, 1000, &k) != 0)
		return EXIT_USAGE;
	o.k = (int)k;
	if (report_build(c->db, &o, &rep, &e) != 0)
		return cmd_error(&e);
	if (strcmp(fmt, "xlsx") == 0) {
		if (report_xlsx(&rep, ru, out, &e) != 0)
			rc = cmd_error(&e);
		report_free(&rep);
		return rc;
	}
	buf_init(&b, BUF_MAX_DEFAULT);
	if (strcmp(fmt, "json") == 0)
		report_json(&rep, &b);
	else if (strcmp(fmt, "csv") == 0)
		report_csv(&rep, ru, &b);
	else
		report_html_doc(&rep, ru, &b);
	report_free(&rep);
	if (buf_write_file(&b, out, &e) != 0)
		rc = cmd_fail(EXIT_CANTCREAT, "%s", e.msg);
	buf_free(&b);
	return rc;
}

const struct cmd_entry cmd_report_entry = {
	.name = "report",
	.args = "",
	.summary = "the report of a period from the rollups (R-AN): JSON, "
		   "CSV, HTML, XLSX",
	.help = "--what full (R-AN-1…3): contacts per channel, the main "
		"reasons, topics,\ntime to answer (mean, median, 90th "
		"percentile, maximum, on time and late),\ncomplaints, "
		"satisfaction per parameter, touchpoint, service, channel, "
		"form,\nsegment and life situation with the change on the "
		"previous period, the\nmonthly trend, standards kept per "
		"channel and unit, the latest breaches.\n--what pain: the "
		"pain map (R-AN-4); level: the client-centricity level\n"
		"(R-AN-5); public: the yearly public report (R-AN-6; --period "
		"is a year).\nA period's previous one has the same length and "
		"ends the day before it.\nEvery figure carries its n; one from "
		"fewer than k answers is suppressed,\nand so is the smallest "
		"other part of a total it could be worked out from.\n"
		"docs/reports.md lists the keys of the JSON and CSV.",
	.opts = report_opts,
	.flags = CMD_ORG,
	.minargs = 0,
	.maxargs = 0,
	.exec = cmd_report_exec,
};

enum { P_SUMMARY };

static const struct cmd_opt publish_opts[] = {
	{"summary", "TEXT", "a summary shown above the figures"},
	{NULL, NULL, NULL},
};

static int
cmd_report_publish_exec(struct cmd_ctx *c, int argc, char **argv)
{
	struct err e;
	int64_t	   year;

	(void)argc;
	err_clear(&e);
	if (cmd_parse_int("YEAR", argv[0], 1971, 2100, &year) != 0)
		return EXIT_USAGE;
	if (report_publish(c->db, c->org->id, (int)year, c->actor,
	    cmd_opt(c, P_SUMMARY), &e) != 0)
		return cmd_error(&e);
	printf("published the report of %d for %s\n", (int)year, c->org->slug);
	return EXIT_OK;
}

const struct cmd_entry cmd_report_publish_entry = {
	.name = "report publish",
	.args = "YEAR",
	.summary = "publishes the yearly public report (R-AN-6)",
	.help = "Builds the public report of the year from the rollups, "
		"suppression applied\n(k = 5), and stores it as it stands: "
		"the public page shows what was\npublished, not figures that "
		"move.  Publishing again replaces it.  Audited\nas "
		"report.publish.",
	.opts = publish_opts,
	.flags = CMD_ORG,
	.minargs = 1,
	.maxargs = 1,
	.exec = cmd_report_publish_exec,
};

static int
cmd_report_years_exec(struct cmd_ctx *c, int argc, char **argv)
{
	struct err e;
	int	  *years;
	size_t	   n, i;

	(void)argc;
	(void)argv;
	err_clear(&e);
	if (report_years(c->db, c->org->id, &years, &n, &e) != 0)
		return cmd_error(&e);
	for (i = 0; i < n; i++)
		printf("%d\n", years[i]);
	free(years);
	return EXIT_OK;
}

const struct cmd_entry cmd_report_years_entry = {
	.name = "report years",
	.args = "",
	.summary = "the years whose public report is published, newest first",
	.help = NULL,
	.opts = NULL,
	.flags = CMD_ORG,
	.minargs = 0,
	.maxargs = 0,
	.exec = cmd_report_years_exec,
};
