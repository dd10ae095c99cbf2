// The public pages of surveys (ui-survey-public.c): each of the four
// standard instruments answered by keyboard alone (the internal one with
// an invitation made by "otklik survey invite"), the conditional question
// appearing when its condition holds; the screen reader's view of the
// form (a group named after each rating question, five radios named by
// the anchors of R-SRV-5); errors announced and linked; axe-core (WCAG
// 2.1 AA) and the Nu HTML checker on every page; and the form sent with
// JavaScript disabled stores the answer.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
	otk, demoDatabase, serve, browser, axe, vnu, keep, cleanup, focused,
	tabTo,
} from './lib.mjs';

const ORG = 'gkk';
const ANCHORS = [
	'неудовлетворительно, не устраивает',
	'плохо, не соответствует минимальным требованиям',
	'удовлетворительно, но со значительными недостатками',
	'в целом хорошо, за исключением незначительных недостатков',
	'отлично, полностью удовлетворен(а)',
];

let env, srv, br;
const pages = [];	// pages as served, for the Nu HTML checker

before(async () => {
	env = demoDatabase();
	srv = await serve(env.db);
	br = await browser();
});

after(async () => {
	await br?.close();
	if (srv) {
		assert.equal(await srv.stop(), 0, 'the server stops cleanly');
		assert.doesNotMatch(srv.stderr(), /AddressSanitizer|runtime error/);
	}
	const problems = pages.length > 0 ? vnu(pages) : [];
	cleanup(env.dir);
	assert.deepEqual(problems, [], 'the Nu HTML checker finds no errors');
});

const url = (p) => srv.url + p;
const sql = (q) => execFileSync('sqlite3', [env.db, q], { encoding: 'utf8' }).trim();
const responses = (code) => Number(sql('SELECT count(*) FROM srv_response r ' +
    `JOIN srv_instrument i ON i.id = r.instrument_id WHERE i.code = '${code}'`));
const invite = () => otk(env.db, ['--org', ORG, 'survey', 'invite', '--count', '1',
    'internal']).trim();

async function context(options) {
	const ctx = await br.newContext(options);
	ctx.setDefaultTimeout(10000);
	return ctx;
}

// A group by its question: its accessible name is the legend, which a
// required question's marker (" *") follows.
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const group = (page, legend) => page.getByRole('group',
    { name: new RegExp(`^${escape(legend.trim())}( \\*)?$`) });

// The questions shown now, in order: code, kind, required.
async function shown(page) {
	return page.evaluate(() => [...document.querySelectorAll('form.survey .question')]
	    .filter((q) => !q.hidden).map((q) => {
		const input = q.querySelector('input, textarea');
		return {
			code: q.id.replace(/^qq-/, ''),
			kind: input.localName === 'textarea' ? 'text' : input.type,
			rating: q.querySelector('fieldset.scale') != null,
		};
	    }));
}

// Answers the form by keyboard alone, question by question in the order
// Tab reaches them: a rating of 2 or 4 by Space and the arrow keys, the
// first option of a choice, two boxes of a multiple choice, a line of
// text.  A conditional question the answers open is answered too.
async function answerByKeyboard(page, rating = 4) {
	const done = new Set();
	for (;;) {
		const next = (await shown(page)).find((q) => !done.has(q.code));
		if (next === undefined)
			break;
		done.add(next.code);
		const name = `q.${next.code}`;
		if (next.kind === 'text') {
			await tabTo(page, { tag: 'textarea', name });
			await page.keyboard.type('Ответ с клавиатуры');
			continue;
		}
		// Tab enters a group of radio buttons on its first one.
		await tabTo(page, { tag: 'input', name });
		if (next.kind === 'checkbox') {
			await page.keyboard.press('Space');
			await tabTo(page, { tag: 'input', name });
			await page.keyboard.press('Space');
		} else if (next.rating) {
			await page.keyboard.press('Space');
			for (let k = 1; k < rating; k++)
				await page.keyboard.press('ArrowDown');
			assert.equal(await page.evaluate(() => document.activeElement.value),
			    String(rating));
		} else
			await page.keyboard.press('Space');
		assert.equal(await page.evaluate(() => document.activeElement.checked), true,
		    `${next.code} is chosen`);
	}
	return done;
}

for (const code of ['services', 'appeals', 'information', 'internal']) {
	test(`${code}: answered by keyboard alone`, async () => {
		const ctx = await context();
		const page = await ctx.newPage();
		const before = responses(code);
		let path = `/${ORG}/s/${code}`;
		if (code === 'internal') {
			// Refused without the invitation, taken with it.
			const resp = await page.goto(url(path));
			assert.equal(resp.status(), 403);
			path += `?k=${invite()}`;
		}
		const resp = await page.goto(url(path));
		assert.equal(resp.status(), 200);
		if (code === 'internal')
			assert.equal(resp.headers()['referrer-policy'], 'no-referrer');
		// The conditional question waits for its condition.
		if (code !== 'internal')
			assert.equal(await page.locator('#qq-booking').isHidden(), true,
			    'the booking question is hidden until booked is answered');
		const answered = await answerByKeyboard(page, code === 'appeals' ? 2 : 4);
		if (code !== 'internal')
			assert.ok(answered.has('booking'),
			    'choosing "yes" opened the booking question');
		await tabTo(page, { tag: 'button', text: 'Отправить ответы' });
		await Promise.all([page.waitForURL(new RegExp(`/${ORG}/s/${code}/thanks$`)),
		    page.keyboard.press('Enter')]);
		assert.match(await page.locator('h1').innerText(), /Спасибо за ответы/);
		assert.equal(responses(code), before + 1, 'the answer is stored');
		assert.ok(!page.url().includes('?k='), 'no invitation in the address');
		await ctx.close();
	});
}

test('the screen reader\'s view: a group per rating, five radios named by the anchors', async () => {
	const ctx = await context();
	const page = await ctx.newPage();
	await page.goto(url(`/${ORG}/s/services`));
	// Hidden, a question is not in the tree: "yes" opens the booking one.
	assert.equal(await group(page, 'Возможность записи на прием: насколько удобно было ' +
	    'записаться на прием?').count(), 0);
	await page.getByRole('group', { name: /^Записывались ли вы/ })
	    .getByRole('radio', { name: 'Да' }).check();
	const legends = await page.locator('fieldset.scale > legend').allInnerTexts();
	assert.equal(legends.length, 7);
	for (const legend of legends) {
		const g = group(page, legend);
		assert.equal(await g.count(), 1, `a group named “${legend}”`);
		for (let k = 0; k < 5; k++) {
			const radio = g.getByRole('radio', { name: `${k + 1} — ${ANCHORS[k]}`,
			    exact: true });
			assert.equal(await radio.count(), 1, `“${legend}”: radio ${k + 1}`);
		}
	}
	// The same as the accessibility tree has it, for one question.
	const snap = await page.getByRole('group', { name: /^Доступность/ }).ariaSnapshot();
	assert.match(snap, /^- '?group "Доступность: /);
	for (let k = 0; k < 5; k++)
		assert.ok(snap.includes(`radio "${k + 1} — ${ANCHORS[k]}"`),
		    `the snapshot names radio ${k + 1}: ${snap}`);
	// A required question says so; a hint describes its group.
	const access = page.getByRole('radio', { name: `1 — ${ANCHORS[0]}` }).first();
	assert.equal(await access.evaluate((e) => e.required), true);
	assert.match(await page.locator('#q-needs').evaluate((e) =>
	    e.closest('fieldset').getAttribute('aria-describedby')), /q-needs-hint/);
	await ctx.close();
});

test('a form with mistakes: the summary is focused and leads to the question', async () => {
	const ctx = await context();
	const page = await ctx.newPage();
	await page.goto(url(`/${ORG}/s/appeals`));
	await tabTo(page, { tag: 'input', name: 'q.access' });
	await page.keyboard.press('Space');
	await tabTo(page, { tag: 'button', text: 'Отправить ответы' });
	const [resp] = await Promise.all([page.waitForNavigation(),
	    page.keyboard.press('Enter')]);
	assert.equal(resp.status(), 400);
	assert.equal((await focused(page))?.id, 'errors', 'the error summary is focused');
	const items = await page.locator('#errors li').allInnerTexts();
	assert.ok(items.some((t) => /^Понятность и удобство: .* — Ответьте на этот вопрос/.test(t)),
	    items.join('\n'));
	assert.equal(await page.locator('#q-access').isChecked(), true, 'the answer is kept');
	assert.equal(await page.locator('#q-clarity').getAttribute('aria-invalid'), 'true');
	// The first link leads to the first question in error.
	await page.keyboard.press('Tab');
	const f = await focused(page);
	assert.match(f.href, /^#q-/);
	await page.keyboard.press('Enter');
	assert.equal((await focused(page))?.name, f.href.replace('#q-', 'q.'));
	await ctx.close();
});

test('without JavaScript: every question shown, the form sent and stored', async () => {
	const ctx = await context({ javaScriptEnabled: false });
	const page = await ctx.newPage();
	const before = responses('information');
	await page.goto(url(`/${ORG}/s/information`));
	// The conditional question is there, with its note.
	assert.equal(await page.locator('#qq-booking').isVisible(), true);
	assert.match(await page.locator('#q-booking-cond').innerText(), /^Ответьте, если/);
	await page.getByRole('group', { name: /^Записывались ли вы/ })
	    .getByRole('radio', { name: 'Нет' }).check();
	for (const legend of await page.locator('fieldset.scale > legend.required').allInnerTexts())
		await group(page, legend)
		    .getByRole('radio', { name: `5 — ${ANCHORS[4]}` }).check();
	await page.getByLabel(/^Ваши предложения/).fill('Публикуйте отчёты раньше.');
	const [resp] = await Promise.all([page.waitForNavigation(),
	    page.getByRole('button', { name: 'Отправить ответы' }).click()]);
	assert.equal(resp.status(), 200);
	assert.equal(new URL(page.url()).pathname, `/${ORG}/s/information/thanks`);
	assert.equal(responses('information'), before + 1);
	assert.equal(sql("SELECT text FROM srv_answer WHERE question = 'proposals' " +
	    'ORDER BY rowid DESC LIMIT 1'), 'Публикуйте отчёты раньше.');
	await ctx.close();
});

test('every page and every error state passes axe-core', async () => {
	const ctx = await context({ bypassCSP: true });
	const en = await context({ bypassCSP: true });
	await en.addCookies([{ name: 'lang', value: 'en', url: srv.url }]);
	const failures = [];
	const check = async (tab, label, resp, status) => {
		if (resp.status() !== status)
			failures.push(`${label}: status ${resp.status()}, not ${status}`);
		pages.push(keep(env.dir, `srvp-${pages.length}-` +
		    label.replace(/[^a-z0-9]+/gi, '_').slice(0, 50), await tab.content()));
		for (const v of await axe(tab))
			failures.push(`${label}: ${v}`);
	};
	const go = async (tab, label, path, status = 200) =>
		check(tab, label, await tab.goto(url(path)), status);
	const send = async (tab, label, status) => {
		const [resp] = await Promise.all([tab.waitForNavigation(),
		    tab.getByRole('button', { name: /^(Отправить ответы|Send the answers)$/ })
			.click()]);
		await check(tab, label, resp, status);
	};
	const tp = sql('SELECT touchpoint_id FROM touchpoint_rev WHERE valid_to IS NULL ' +
	    'AND valid_from IS NOT NULL ORDER BY touchpoint_id LIMIT 1');

	const tab = await ctx.newPage();
	await go(tab, 'the list', `/${ORG}/s/`);
	for (const code of ['services', 'appeals', 'information'])
		await go(tab, `the form of ${code}`, `/${ORG}/s/${code}`);
	await go(tab, 'a touchpoint form', `/${ORG}/s/services/${tp}`);
	await go(tab, 'the internal form', `/${ORG}/s/internal?k=${invite()}`);
	await go(tab, 'no invitation', `/${ORG}/s/internal`, 403);
	await go(tab, 'the poster', `/${ORG}/s/services/poster?tp=${tp}`);
	await go(tab, 'the thanks page', `/${ORG}/s/services/thanks`);
	await go(tab, 'no such survey', `/${ORG}/s/nosuch`, 404);
	// Error states: nothing; a low rating with contact and no consent.
	await tab.goto(url(`/${ORG}/s/services`));
	await send(tab, 'the form: empty', 400);
	await tab.getByRole('group', { name: /^Записывались ли вы/ })
	    .getByRole('radio', { name: 'Нет' }).check();
	for (const legend of await tab.locator('fieldset.scale > legend.required').allInnerTexts())
		await group(tab, legend)
		    .getByRole('radio', { name: `2 — ${ANCHORS[1]}` }).check();
	await tab.getByLabel('Электронная почта').fill('ivanov@example.ru');
	await send(tab, 'the form: contact without consent', 400);
	await tab.getByLabel(/^Я согласен\(на\)/).check();
	await send(tab, 'thanks with a case', 200);
	assert.match(await tab.locator('#tracking-code').innerText(), /^[0-9A-Z]{4}-[0-9A-Z]{6}$/);
	// In English.
	const etab = await en.newPage();
	await go(etab, 'the form in English', `/${ORG}/s/appeals`);
	await send(etab, 'in English: empty', 400);
	await ctx.close();
	await en.close();
	assert.deepEqual(failures, []);
});
