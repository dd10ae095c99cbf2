/*
 * What the survey pages share: the public form (ui-survey-public.c) and
 * the staff pages (ui-survey.c), which use the same rendering for a
 * preview and for entering a paper form, and the same reading of a
 * submitted form.
 */
#ifndef OTKLIK_UI_SURVEY_H
#define OTKLIK_UI_SURVEY_H

#include <stddef.h>

struct html;
struct req;
struct srv_def;
struct srv_error;
struct srv_resp;

/*
 * Writes the questions of a definition as form controls: a fieldset
 * with its legend for every rating and choice question (the rating's
 * five anchors as radio buttons, with "затрудняюсь ответить" when not
 * required), a labelled textarea for free text, required ones marked,
 * hints tied by aria-describedby, each error next to its question (tied
 * by aria-describedby, the first one focusable from a summary at the
 * top), answers given kept.  Field names: "q.<code>" (ratings as 1–5,
 * choices as option codes, repeated for a multiple choice).  A question
 * with show_if gets data-show-if attributes so that the little script
 * can hide it; without JavaScript it is shown with a note saying when
 * to answer it.  prefill and errs may be NULL.
 */
void ui_srv_questions(struct req *, struct html *, const struct srv_def *,
    const struct srv_resp *prefill, const struct srv_error *errs,
    size_t nerrs);

/*
 * Reads the "q.<code>" fields of a submitted form (req_field_all) into
 * a response of nq items; a value of the wrong shape for its question
 * (a rating that is not 1–5) is left for srv_validate to report.
 */
void ui_srv_read(const struct req *, const struct srv_def *,
    struct srv_resp *);

#endif
