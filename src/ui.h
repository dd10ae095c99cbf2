/*
 * The frame every HTML page shares (ui.c): the document head, a skip
 * link, the header with the person signed in and the language switch,
 * the main landmark, the footer; error pages; the language of a request.
 * Pages (ui-*.c) write their content between ui_begin() and ui_end().
 */
#ifndef OTKLIK_UI_H
#define OTKLIK_UI_H

#include <stdint.h>

#include "otklik.h"

struct err;

struct html;
struct req;

/*
 * Russian first, English too: L(r, "Вход", "Sign in") picks by the
 * request's language.  Both texts stand side by side where they are used,
 * so neither can be forgotten.
 */
const char *L(const struct req *, const char *ru, const char *en);

/* Opens the page: head with title, header, <main>.  Returns the depth
 * to close to; ui_end() closes the page. */
void ui_begin(struct req *, struct html *, const char *title);
void ui_end(struct req *, struct html *);
/* A hidden field with the session's CSRF token (in every POST form). */
void ui_csrf(struct req *, struct html *);
/* An error page that names the field and the reason, never the request. */
void ui_error_page(struct req *, int status, const char *field,
    const char *reason);

/*
 * Shared by the pages of an organization.
 *
 * ui_opath: a path among the organization's pages, "/{slug}" followed by
 * the formatted rest (the slug is [a-z0-9-], safe in a path as it is);
 * the caller frees it.  ui_redirect: 303 to such a path, which it frees;
 * returns 0.  ui_fail: a domain error as a page, with the status its code
 * means (no such thing 404, a refusal 409, else 500); returns 0.
 */
char	   *ui_opath(const struct req *, const char *fmt, ...) PRINTFLIKE(2, 3);
int	    ui_redirect(struct req *, char *path);
int	    ui_fail(struct req *, const struct err *);
/* "DD.MM.YYYY HH:MM" of a moment in the organization's zone; "—" for 0. */
void	    ui_when(const struct req *, int64_t t, char out[32]);
/* An uploaded file's name fit to keep and show: valid UTF-8, white space
 * squeezed, at most 255 bytes; fallback when there is none.  Free it. */
char	   *ui_file_name(const char *name, const char *fallback);
/* The Russian plural: 1 день, 2 дня, 5 дней (11–14: дней). */
const char *ui_plural_ru(long n, const char *one, const char *few,
    const char *many);

#endif
