/*
 * The command line: every command is a file cmd-*.c exporting one
 * struct cmd_entry, collected in cmd_table[] in cmd.c (tmux style), so
 * that "otklik help" and "otklik <command> --help" come from the table.
 */
#ifndef OTKLIK_CMD_H
#define OTKLIK_CMD_H

#include <stddef.h>
#include <stdint.h>

struct db;
struct org;

/* A long option of a command: "--name ARG", and its help line. */
struct cmd_opt {
	const char *name;
	const char *arg;	/* NULL for a flag */
	const char *help;
};

struct cmd_ctx {
	const char *dbpath;	/* --db, OTKLIK_DB, or ./otklik.db */
	const char *org_slug;	/* --org, OTKLIK_ORG */
	const char *user;	/* --user, OTKLIK_USER */
	char	   *actor;	/* who the audit log names */
	struct db  *db;		/* open when the command has CMD_DB */
	struct org *org;	/* resolved when it has CMD_ORG */
	/* Option values of the command, by index in its opts[]. */
	const char *optv[32];
	int	    optset[32];
};

#define CMD_DB	0x1	/* opens (and requires) an initialized database */
#define CMD_ORG 0x2	/* resolves the organization (implies CMD_DB) */

struct cmd_entry {
	const char	     *name;	/* "registry import" */
	const char	     *args;	/* "FILE" */
	const char	     *summary;	/* one line */
	const char	     *help;	/* a paragraph, or NULL */
	const struct cmd_opt *opts;	/* terminated by a NULL name */
	int		      flags;
	int		      minargs, maxargs;
	int (*exec)(struct cmd_ctx *, int argc, char **argv);
};

int cmd_main(int argc, char **argv);
/* The value of option i of the running command, or NULL. */
const char *cmd_opt(const struct cmd_ctx *, int i);
int	    cmd_flag(const struct cmd_ctx *, int i);
/* Prints "otklik: message" to standard error and returns the code. */
int cmd_fail(int code, const char *, ...) __attribute__((format(printf, 2, 3)));
/* Reports an error filled by a domain function; returns its code. */
struct err;
int cmd_error(const struct err *);
/* Parses a whole number in [min, max]; -1 and a message if it is not. */
int cmd_parse_int(const char *what, const char *s, int64_t min, int64_t max,
    int64_t *out);

/*
 * Shared by the registry commands (cmd-registry-list.c): resolves the
 * options --version N (index vopt) and --as-of DATE (index dateopt) into
 * a version, 0 for the latest.  Returns 0, or the exit code after
 * printing the error.
 */
int cmd_registry_pick_version(struct cmd_ctx *, int vopt, int dateopt,
    int64_t *v);

/*
 * Shared by "user add" and "user passwd" (cmd-user-passwd.c): reads a
 * password into out (outlen > PASSWORD_MAX_BYTES).  From a pipe or a
 * file, its first line; on a terminal, when ask is set, typed twice after
 * a prompt, without echo.  Returns 1 with the password, 0 when there is
 * none (end of input at once; a terminal and !ask; a pipe silent for
 * seconds and !ask), -1 after printing why it cannot be used.  The
 * caller wipes out afterwards (sodium_memzero).
 */
int cmd_read_password(char *out, size_t outlen, int ask);

#endif
