/*
 * The frame every HTML page shares (ui.c): the document head, a skip
 * link, the header with the person signed in and the language switch,
 * the main landmark, the footer; error pages; the language of a request.
 * Pages (ui-*.c) write their content between ui_begin() and ui_end().
 */
#ifndef OTKLIK_UI_H
#define OTKLIK_UI_H

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

#endif
