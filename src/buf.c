/*
 * Growable buffers with a hard maximum (curl's dynbuf): every input and
 * output the program builds in memory has a limit chosen where it is made.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "otklik.h"

void
buf_init(struct buf *b, size_t max)
{
	b->data = NULL;
	b->len = b->cap = 0;
	b->max = max;
}

void
buf_free(struct buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

void
buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
}

static int
buf_grow(struct buf *b, size_t add)
{
	size_t need, cap;

	if (add > b->max || b->len > b->max - add)
		return -1;
	need = b->len + add + 1;
	if (need <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	if (cap > b->max + 1)
		cap = b->max + 1;
	b->data = xreallocarray(b->data, cap, 1);
	b->cap = cap;
	return 0;
}

int
buf_add(struct buf *b, const void *p, size_t n)
{
	if (buf_grow(b, n) == -1)
		return -1;
	if (n > 0)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

int
buf_puts(struct buf *b, const char *s)
{
	return buf_add(b, s, strlen(s));
}

int
buf_putc(struct buf *b, int c)
{
	char ch = (char)c;

	return buf_add(b, &ch, 1);
}

int
buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	va_list aq;
	int	n;

	va_copy(aq, ap);
	n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	if (n < 0 || buf_grow(b, (size_t)n) == -1)
		return -1;
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return 0;
}

int
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int	r;

	va_start(ap, fmt);
	r = buf_vprintf(b, fmt, ap);
	va_end(ap);
	return r;
}

char *
buf_detach(struct buf *b)
{
	char *p;

	p = b->data != NULL ? b->data : xstrdup("");
	b->data = NULL;
	b->len = b->cap = 0;
	return p;
}

const char *
buf_str(const struct buf *b)
{
	return b->data != NULL ? b->data : "";
}

int
buf_read_file(struct buf *b, const char *path, struct err *e)
{
	FILE  *f;
	char   chunk[65536];
	size_t n;
	int    stdin_ = strcmp(path, "-") == 0;

	if (stdin_)
		f = stdin;
	else if ((f = fopen(path, "rb")) == NULL)
		return err_set(e, EXIT_NOINPUT, "%s: %s", path, strerror(errno));
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (buf_add(b, chunk, n) == -1) {
			if (!stdin_)
				fclose(f);
			return err_set(e, EXIT_DATAERR,
			    "%s: the file is larger than the limit of %zu MiB",
			    path, b->max >> 20);
		}
	}
	if (ferror(f)) {
		err_set(e, EXIT_IOERR, "%s: read error", path);
		if (!stdin_)
			fclose(f);
		return -1;
	}
	if (!stdin_)
		fclose(f);
	if (b->data == NULL)
		buf_add(b, "", 0);
	return 0;
}

int
buf_write_file(const struct buf *b, const char *path, struct err *e)
{
	FILE *f;
	int   out = path == NULL || strcmp(path, "-") == 0;

	if (out)
		f = stdout;
	else if ((f = fopen(path, "wb")) == NULL)
		return err_set(e, EXIT_CANTCREAT, "%s: %s", path,
		    strerror(errno));
	if (fwrite(buf_str(b), 1, b->len, f) != b->len || fflush(f) != 0) {
		err_set(e, EXIT_IOERR, "%s: write error: %s",
		    out ? "standard output" : path, strerror(errno));
		if (!out)
			fclose(f);
		return -1;
	}
	if (!out && fclose(f) != 0)
		return err_set(e, EXIT_IOERR, "%s: %s", path, strerror(errno));
	return 0;
}
