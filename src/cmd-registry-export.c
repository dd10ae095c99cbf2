/*
 * otklik registry export: a version of the registry in the official form
 * (R-REG-7) as HTML for the site, CSV or XLSX, to a file or to standard
 * output.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "otklik.h"
#include "cmd.h"
#include "org.h"
#include "registry.h"

enum { O_FORMAT, O_OUTPUT, O_VERSION, O_AS_OF, O_EXTENDED };

static const struct cmd_opt opts[] = {
	[O_FORMAT] = {"format", "FORMAT", "html, csv, xlsx, or text for a terminal (required)"},
	[O_OUTPUT] = {"output", "FILE", "write to FILE (-o); default: "
					"standard output"},
	[O_VERSION] = {"version", "N", "that version (default: the latest)"},
	[O_AS_OF] = {"as-of", "DATE", "the version in force at the end of "
				      "DATE"},
	[O_EXTENDED] = {"extended", NULL, "csv, xlsx: otklik's own columns "
					  "too, for re-import"},
	{NULL, NULL, NULL},
};

enum format { F_HTML, F_CSV, F_XLSX, F_TEXT };

/*
 * XLSX to standard output: this libxlsxwriter writes only to a named
 * file, so the workbook is made in a temporary file and copied.
 */
static int
xlsx_to_stdout(const struct registry *reg, const struct export_meta *m)
{
	struct buf  b;
	struct err  e;
	const char *dir = getenv("TMPDIR");
	char	   *tmp;
	int	    fd, r;

	if (isatty(STDOUT_FILENO))
		return cmd_fail(EXIT_USAGE, "registry export: XLSX is a "
		    "binary file; give --output FILE or redirect the output");
	tmp = xasprintf("%s/otklik-export.XXXXXX",
	    dir != NULL && *dir != '\0' ? dir : "/tmp");
	if ((fd = mkstemp(tmp)) == -1) {
		r = cmd_fail(EXIT_CANTCREAT, "%s: %s", tmp, strerror(errno));
		free(tmp);
		return r;
	}
	close(fd);
	err_clear(&e);
	buf_init(&b, BUF_MAX_DEFAULT);
	if (registry_export_xlsx(reg, m, tmp, &e) == -1 ||
	    buf_read_file(&b, tmp, &e) == -1 ||
	    buf_write_file(&b, NULL, &e) == -1)
		r = cmd_error(&e);
	else
		r = EXIT_OK;
	unlink(tmp);
	free(tmp);
	buf_free(&b);
	return r;
}

static int
cmd_registry_export_exec(struct cmd_ctx *c, int argc, char **argv)
{
	struct registry	   reg;
	struct export_meta m;
	struct buf	   out;
	struct err	   e;
	enum format	   fmt;
	const char	  *f = cmd_opt(c, O_FORMAT);
	const char	  *path = cmd_opt(c, O_OUTPUT);
	int64_t		   version = 0, latest;
	int		   r;

	(void)argc;
	(void)argv;
	if (f == NULL)
		return cmd_fail(EXIT_USAGE, "registry export: --format html, "
		    "csv, xlsx or text is required");
	if (strcmp(f, "html") == 0)
		fmt = F_HTML;
	else if (strcmp(f, "csv") == 0)
		fmt = F_CSV;
	else if (strcmp(f, "xlsx") == 0)
		fmt = F_XLSX;
	else if (strcmp(f, "text") == 0)
		fmt = F_TEXT;
	else
		return cmd_fail(EXIT_USAGE, "registry export: --format %s: "
		    "one of html, csv, xlsx, text", f);
	if ((fmt == F_HTML || fmt == F_TEXT) && cmd_flag(c, O_EXTENDED))
		return cmd_fail(EXIT_USAGE, "registry export: --extended "
		    "applies to csv and xlsx, not %s", f);
	if (path != NULL && (*path == '\0' || strcmp(path, "-") == 0))
		path = NULL;

	err_clear(&e);
	if (registry_latest_version(c->db, c->org->id, &latest, &e) == -1)
		return cmd_error(&e);
	if (latest == 0)
		return cmd_fail(EXIT_NOINPUT, "registry export: the registry "
		    "of %s has no version yet; import it ('otklik registry "
		    "import') or include changes first", c->org->slug);
	if ((r = cmd_registry_pick_version(c, O_VERSION, O_AS_OF,
		 &version)) != 0)
		return r;
	if (version == 0)
		version = latest;

	memset(&reg, 0, sizeof(reg));
	if (registry_load(c->db, c->org->id, version, &reg, &e) == -1) {
		registry_free(&reg);
		return cmd_error(&e);
	}
	if (reg.version == 0) {
		registry_free(&reg);
		return cmd_fail(EXIT_NOINPUT, "registry export: the registry "
		    "of %s has no version %lld", c->org->slug,
		    (long long)version);
	}
	registry_sort(&reg);

	memset(&m, 0, sizeof(m));
	m.org_name = c->org->name;
	m.version = reg.version;
	m.date = date_local(reg.included_at, c->org->tz);
	m.extended = cmd_flag(c, O_EXTENDED);

	buf_init(&out, BUF_MAX_DEFAULT);
	switch (fmt) {
	case F_HTML:
	case F_CSV:
	case F_TEXT:
		r = fmt == F_HTML  ? registry_export_html(&reg, &m, &out, &e)
		    : fmt == F_CSV ? registry_export_csv(&reg, &m, &out, &e)
				   : registry_export_text(&reg, &m, &out, &e);
		if (r == -1 || buf_write_file(&out, path, &e) == -1)
			r = cmd_error(&e);
		else
			r = EXIT_OK;
		break;
	case F_XLSX:
		if (path == NULL)
			r = xlsx_to_stdout(&reg, &m);
		else if (registry_export_xlsx(&reg, &m, path, &e) == -1)
			r = cmd_error(&e);
		else
			r = EXIT_OK;
		break;
	default:
		r = EXIT_SOFTWARE;
		break;
	}
	buf_free(&out);
	registry_free(&reg);
	return r;
}

const struct cmd_entry cmd_registry_export_entry = {
	.name = "registry export",
	.args = "",
	.summary = "the registry in the official form (HTML, CSV, XLSX, text)",
	.help = "Writes a version of the registry of touchpoints in the form "
		"of the orders:\nN, area, process, touchpoint, interaction, "
		"features, with areas and\nprocesses spanning their rows. "
		"HTML is a standalone page for the site,\nprintable on A4 "
		"landscape; CSV is UTF-8 with a BOM for Excel; XLSX has\n"
		"merged cells and the header repeated on every printed page; "
		"text reads\nthe form top to bottom in a terminal. The date\nshown is the day the version was included, in the "
		"organization's zone.\nExit status 66 when the registry has "
		"no such version.",
	.opts = opts,
	.flags = CMD_ORG,
	.minargs = 0,
	.maxargs = 0,
	.exec = cmd_registry_export_exec,
};
