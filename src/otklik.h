/*
 * Otklik: the types and functions shared between the files of src/,
 * grouped by the file that defines them.  A file's own helpers stay static
 * in that file; what is here is a promise to the rest of the program.
 */
#ifndef OTKLIK_H
#define OTKLIK_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define OTKLIK_VERSION "0.1.0"

#if defined(__GNUC__)
#define PRINTFLIKE(f, a) __attribute__((format(printf, f, a)))
#define NORETURN	 __attribute__((noreturn))
#else
#define PRINTFLIKE(f, a)
#define NORETURN
#endif

#define nitems(a) (sizeof(a) / sizeof((a)[0]))

/*
 * Exit codes that scripts can rely on (sysexits(3) values where one fits).
 */
#define EXIT_OK	      0	 /* done */
#define EXIT_FOUND    1	 /* ran, and found problems (check, verify, status) */
#define EXIT_USAGE    64 /* bad command line */
#define EXIT_DATAERR  65 /* the input is wrong; nothing was written */
#define EXIT_NOINPUT  66 /* an input file or an object does not exist */
#define EXIT_SOFTWARE 70 /* internal error */
#define EXIT_CANTCREAT 73 /* an output file cannot be created */
#define EXIT_IOERR    74 /* database or file I/O failed */

/* xmalloc.c: allocation that ends the process with a message on failure. */
void *xmalloc(size_t);
void *xcalloc(size_t, size_t);
void *xreallocarray(void *, size_t, size_t);
char *xstrdup(const char *);
char *xstrndup(const char *, size_t);
char *xasprintf(const char *, ...) PRINTFLIKE(1, 2);
void fatal(const char *, ...) PRINTFLIKE(1, 2) NORETURN;

/*
 * err.c: an error as a person can act on it.  A function that can fail
 * takes a struct err * and fills it; the caller decides what to do.
 */
struct err {
	int  code;	  /* one of EXIT_* */
	char msg[1024];
};
int  err_set(struct err *, int code, const char *, ...) PRINTFLIKE(3, 4);
void err_clear(struct err *);

/*
 * buf.c: a growable byte buffer with a maximum size given when it is made
 * (curl's dynbuf).  Appending past the maximum fails and leaves the buffer
 * as it was; the data is always NUL-terminated.
 */
struct buf {
	char  *data;
	size_t len;
	size_t cap;
	size_t max;
};
#define BUF_MAX_DEFAULT ((size_t)64 << 20)
void   buf_init(struct buf *, size_t max);
void   buf_free(struct buf *);
void   buf_reset(struct buf *);
int    buf_add(struct buf *, const void *, size_t);
int    buf_puts(struct buf *, const char *);
int    buf_putc(struct buf *, int);
int    buf_printf(struct buf *, const char *, ...) PRINTFLIKE(2, 3);
int    buf_vprintf(struct buf *, const char *, va_list) PRINTFLIKE(2, 0);
char  *buf_detach(struct buf *);
const char *buf_str(const struct buf *);
/* Reads a whole file (or standard input for "-") into the buffer. */
int    buf_read_file(struct buf *, const char *path, struct err *);
/* Writes the buffer to a file (or standard output for "-" or NULL). */
int    buf_write_file(const struct buf *, const char *path, struct err *);

/* utf8.c: UTF-8 checks and Unicode case folding (utf8proc). */
/* Returns the byte offset of the first invalid sequence, or -1 if valid. */
long   utf8_invalid_at(const char *, size_t);
/* Case-folded, NFKC-normalized copy for matching ("Ё" and "ё" agree). */
char  *utf8_fold(const char *);
/* Copy with runs of white space collapsed to one space and ends trimmed. */
char  *str_squeeze(const char *);
/* Same, but line breaks stay (one per run of blank lines at most). */
char  *str_squeeze_lines(const char *);
int    str_empty(const char *);	/* NULL, or only white space */
/*
 * Matches folded text against patterns "a+b|c": true if, for some
 * "|"-separated alternative, every "+"-joined stem occurs in the text
 * (at the start of a word when word_start is set, so that "форм" is not
 * found inside "информация").
 */
int    text_match(const char *text, const char *patterns, int word_start);

/*
 * clock.c: the current time, and calendar dates as day numbers.  A day
 * number is the count of days since 1970-01-01 (which is day 0).  The time
 * can be fixed with OTKLIK_NOW=2024-10-22T10:00:00Z for tests.
 */
int64_t clock_now(void);
int	date_parse(const char *, int32_t *day);	/* "YYYY-MM-DD"; 0 or -1 */
void	date_format(int32_t day, char out[11]);		/* "YYYY-MM-DD" */
void	date_format_ru(int32_t day, char out[11]);	/* "DD.MM.YYYY" */
int32_t date_from_ymd(int y, int m, int d);
void	date_to_ymd(int32_t day, int *y, int *m, int *d);
int	date_weekday(int32_t day);	/* 1 = Monday ... 7 = Sunday */
/* The local calendar day of a moment in a tz database zone. */
int32_t date_local(int64_t t, const char *tz);
/* Seconds east of UTC in a tz database zone at the moment t. */
int64_t tz_offset(int64_t t, const char *tz);
int	tz_valid(const char *tz);
/* Builds a zone's table of offsets now (the server does so for every
 * organization's zone before its threads start). */
void	tz_warm(const char *tz);
/* Parses "YYYY-MM-DD" or an ISO 8601 date-time; returns unix seconds. */
int	time_parse(const char *, int64_t *t);
void	time_format(int64_t t, char out[21]);	/* "YYYY-MM-DDTHH:MM:SSZ" */
/* A moment as wall time in a zone: "YYYY-MM-DD HH:MM", or with ru
 * "DD.MM.YYYY HH:MM". */
void	time_format_local(int64_t t, const char *tz, int ru, char out[17]);

/* embed.c (generated): files compiled into the binary. */
struct embedded_file {
	const char	    *name;
	const unsigned char *data;
	size_t		     len;
};
extern const struct embedded_file embedded_files[];
extern const size_t		  embedded_nfiles;
const struct embedded_file *embedded_find(const char *name);

#endif
