/*
 * Personal data of clients (R-PD, 152-FZ): the legal bases contacts are
 * held on, the withdrawal of a consent, the destruction of what is due
 * with its act, and who may see contact details.  Personal data lives
 * only in fb_contact (see 0004-feedback.sql); the bases in pd_basis, the
 * acts in pd_act.  Nothing here writes personal data to the audit log.
 */
#ifndef OTKLIK_PD_H
#define OTKLIK_PD_H

#include <stdint.h>

struct buf;
struct db;
struct err;
struct session;

/* Days between the end of the last basis and the destruction (R-PD-2). */
#define PD_DESTROY_DAYS 30
/* The method written into every act. */
#define PD_METHOD "удаление из базы данных"

/*
 * A contact as R-PD sees it.  A basis is active while neither withdrawn
 * nor past its ends_at; a law basis without ends_at (an appeal not yet
 * closed) is active.  state:
 *   active	some basis is active
 *   withdrawn	none is, and a consent was withdrawn
 *   expired	none is, and none was withdrawn (terms ended), or there
 *		is no basis at all
 *   destroyed	the data is gone (destroyed_at set)
 * destroy_by is when the data must be gone: the one recorded on a
 * withdrawn consent, else the end of the last basis + PD_DESTROY_DAYS;
 * 0 while a basis is active or once destroyed.
 */
struct pd_contact {
	int64_t id;
	int64_t created_at;
	char	bases[32];	/* "consent", "law", "consent, law", "" */
	char	state[12];
	char	fields[40];	/* which data it holds: "name, email, phone" */
	int64_t destroy_by;
	int64_t destroyed_at;
	int	messages;	/* messages linked to it */
	int	withdrawal;	/* destroy_by comes from a withdrawn consent */
};

/*
 * The contacts of an organization, by id; with due set, only those whose
 * data must be destroyed at now (not destroyed, no active basis,
 * destroy_by <= now).  Fills *list (free()) and returns the count, or -1.
 */
int pd_list(struct db *, int64_t org_id, int64_t now, int due,
    struct pd_contact **list, struct err *);

/* What pd_withdraw() did. */
struct pd_withdrawal {
	int64_t contact_id;
	int	withdrawn;	/* consents withdrawn now; 0: none was active */
	int	law_remains;	/* a law basis (an open appeal) still holds */
	int64_t destroy_by;	/* 0 while law_remains */
};

/*
 * Withdraws the consents of a contact (R-PD-2), found by the client's
 * history key (64 hex, from the public pages) or, when key is NULL, by
 * contact_id (staff, on a written request).  Sets withdrawn_at = now,
 * withdrawn_via (a channel code, "site" from the public pages) and
 * destroy_by = now + PD_DESTROY_DAYS days, unless a law basis remains:
 * then processing continues for that purpose only, and the data is
 * destroyed PD_DESTROY_DAYS after it ends.  Withdrawing twice is not an
 * error (withdrawn 0).  Own transaction, audited as "pd.withdraw" on
 * "contact:ID" (no personal data).  Returns 0, or -1 with the error
 * (EXIT_NOINPUT: no such key or contact in the organization, or the
 * data is already destroyed).
 */
int pd_withdraw(struct db *, const char *actor, int64_t org_id,
    const char *key, int64_t contact_id, const char *via, int64_t now,
    struct pd_withdrawal *, struct err *);

/*
 * Destroys every contact due at now (see pd_list): its name, e-mail,
 * phone, address and key hash become NULL and destroyed_at is set; the
 * messages stay, linked to the anonymous contact row, so every figure
 * built from them stays.  Writes the act (pd_act: operator, subjects,
 * categories of data, reasons, method, who, and the extract of the event
 * log about those contacts) and audit entries "pd.destroy" per contact
 * and "pd.act" for the act, in one transaction.  With dry_run nothing is
 * written and *act_id is 0.  *count gets the number of contacts (0: no
 * act is made).  Returns 0 or -1.
 */
int pd_destroy(struct db *, const char *actor, int64_t org_id, int64_t now,
    int dry_run, int *count, int64_t *act_id, struct err *);

/*
 * Writes act id of the organization to out: as stored (text), or as a
 * printable HTML page (html set).  -1 with EXIT_NOINPUT if there is none.
 */
int pd_act_render(struct db *, int64_t org_id, int64_t id, int html,
    struct buf *out, struct err *);

/*
 * R-PD-3: may this person see clients' contact details in the
 * organization?  Only feedback operators and admins (their work needs
 * them: answering); analysts, officers and the rest see messages without
 * them.  1 yes, 0 no (also for NULL, or a database failure).
 */
int pd_may_see(struct db *, const struct session *, int64_t org_id);
/* The same for a login (the command line's --user). */
int pd_may_see_login(struct db *, const char *login, int64_t org_id);

#endif
