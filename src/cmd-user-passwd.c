/*
 * otklik user passwd: sets the password of a staff account (R-ORG-4),
 * read from standard input so that it never appears on a command line or
 * in the shell's history; every session of the account ends.  Also the
 * password reader that "user add" shares.
 */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <sodium.h>

#include "otklik.h"
#include "cmd.h"
#include "db.h"
#include "org.h"
#include "session.h"

/* How long "user add" waits for a line on a pipe that says nothing. */
#define PIPE_WAIT_MS 5000

/*
 * Reads one line from standard input, a byte at a time so that nothing
 * after it is consumed.  Returns its length, -1 at once at the end of
 * input, -2 when it is too long, -3 on a read error or a NUL byte.
 */
static long
read_line(char *out, size_t outlen)
{
	size_t	n = 0;
	ssize_t r;
	char	ch;

	for (;;) {
		r = read(STDIN_FILENO, &ch, 1);
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1)
			return -3;
		if (r == 0) {
			if (n == 0)
				return -1;
			break;
		}
		if (ch == '\n')
			break;
		if (ch == '\0')
			return -3;
		if (n + 1 >= outlen)
			return -2;
		out[n++] = ch;
	}
	if (n > 0 && out[n - 1] == '\r')
		n--;
	out[n] = '\0';
	return (long)n;
}

static long
read_line_noecho(const char *prompt, char *out, size_t outlen)
{
	struct termios t, quiet;
	long	       n;
	int	       restore;

	fputs(prompt, stderr);
	fflush(stderr);
	restore = tcgetattr(STDIN_FILENO, &t) == 0;
	if (restore) {
		quiet = t;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		quiet.c_lflag |= ECHONL;
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	}
	n = read_line(out, outlen);
	if (restore)
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &t);
	return n;
}

static int
line_error(long n, size_t outlen)
{
	if (n == -2)
		cmd_fail(EXIT_DATAERR, "the password is longer than %zu bytes",
		    outlen - 2);
	else if (n == -3)
		cmd_fail(EXIT_DATAERR, "standard input cannot be read as a "
		    "line of text");
	else if (n == 0)
		cmd_fail(EXIT_DATAERR, "the first line of standard input is "
		    "empty; put the password there");
	return -1;
}

int
cmd_read_password(char *out, size_t outlen, int ask)
{
	char	      again[PASSWORD_MAX_BYTES + 2];
	struct pollfd pfd;
	long	      n;
	int	      r;

	if (isatty(STDIN_FILENO)) {
		if (!ask)
			return 0;
		n = read_line_noecho("Password: ", out, outlen);
		if (n == -1) {
			cmd_fail(EXIT_DATAERR, "no password typed");
			return -1;
		}
		if (n <= 0)
			return line_error(n, outlen);
		n = read_line_noecho("Again: ", again, sizeof(again));
		r = n > 0 && strcmp(out, again) == 0;
		sodium_memzero(again, sizeof(again));
		if (!r) {
			cmd_fail(EXIT_DATAERR, "the two passwords differ; "
			    "nothing was changed");
			return -1;
		}
		return 1;
	}
	if (!ask) {
		/* A pipe nobody writes to (an inherited one) must not hang
		 * "user add": wait a while, then go on without. */
		pfd.fd = STDIN_FILENO;
		pfd.events = POLLIN;
		do
			r = poll(&pfd, 1, PIPE_WAIT_MS);
		while (r == -1 && errno == EINTR);
		if (r == 0) {
			fprintf(stderr, "otklik: nothing on standard input "
			    "for %d seconds; going on without a password\n",
			    PIPE_WAIT_MS / 1000);
			return 0;
		}
	}
	n = read_line(out, outlen);
	if (n == -1) {
		if (!ask)
			return 0;
		cmd_fail(EXIT_DATAERR, "no password on standard input: give "
		    "it as the first line");
		return -1;
	}
	if (n <= 0)
		return line_error(n, outlen);
	return 1;
}

static int
cmd_user_passwd_exec(struct cmd_ctx *c, int argc, char **argv)
{
	char	   pw[PASSWORD_MAX_BYTES + 2];
	struct err e;
	int	   r;

	(void)argc;
	err_clear(&e);
	if (!staff_exists(c->db, argv[0]))
		return cmd_fail(EXIT_NOINPUT, "no staff account '%s'; 'otklik "
		    "user list' shows them", argv[0]);
	if (cmd_read_password(pw, sizeof(pw), 1) != 1) {
		sodium_memzero(pw, sizeof(pw));
		return EXIT_DATAERR;
	}
	r = password_set(c->db, c->actor, argv[0], pw, &e);
	sodium_memzero(pw, sizeof(pw));
	if (r != 0)
		return cmd_error(&e);
	printf("%s: password set; the account's sessions have ended\n",
	    argv[0]);
	return EXIT_OK;
}

const struct cmd_entry cmd_user_passwd_entry = {
	.name = "user passwd",
	.args = "LOGIN",
	.summary = "set the password of a staff account",
	.help = "Reads the password from the first line of standard input "
		"(on a terminal: typed\ntwice, not shown), so that it never "
		"stands on a command line:\n\n"
		"  printf '%s\\n' \"$PASSWORD\" | otklik user passwd ivanova\n\n"
		"A password has at least 10 characters. It is stored as an "
		"argon2id hash;\nevery session of the account ends, and the "
		"change is written to the audit\nlog (without the password).",
	.flags = CMD_DB,
	.minargs = 1,
	.maxargs = 1,
	.exec = cmd_user_passwd_exec,
};
