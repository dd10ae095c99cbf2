// The pages of reports in a real browser (ui-report.c,
// ui-report-public.c): every staff page and every public page of the
// yearly report loads, passes axe-core (WCAG 2.1 AA) and the Nu HTML
// checker, its forms with their errors too; every chart is an image with
// a title and stands with its data table; the pages work by keyboard
// alone (a period chosen, a problem decided, the order confirmed, the
// report published) and without JavaScript.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
	otk, demoDatabase, serve, browser, axe, vnu, keep, cleanup, focused,
	tabTo,
} from './lib.mjs';

const ORG = 'gkk';
const ANALYST_PASSWORD = 'analyst-pass-1';
const GROUP_PASSWORD = 'group-pass-01';
const YEAR = new Date().getFullYear();

let env, srv, br, painId;
const pages = [];	// pages as served, for the Nu HTML checker
const failures = [];	// axe-core's findings, reported at the end

before(async () => {
	env = demoDatabase();
	otk(env.db, ['--org', ORG, 'user', 'add', 'analyst', '--name',
	    'Аналитик Иванова', '--role', 'analyst'], ANALYST_PASSWORD + '\n');
	otk(env.db, ['--org', ORG, 'user', 'add', 'group', '--name',
	    'Член рабочей группы', '--role', 'group'], GROUP_PASSWORD + '\n');
	// Complaints on one topic (a problem of the pain map), survey answers
	// over the last months, and the rollups built over both.
	otk(env.db, ['--org', ORG, 'topic', 'add', 'Очереди на приёме']);
	for (let i = 1; i <= 6; i++) {
		otk(env.db, ['--org', ORG, 'feedback', 'add', '--channel', 'site',
		    '--kind', 'complaint', 'Долго ждали в очереди']);
		otk(env.db, ['--org', ORG, 'feedback', 'classify', '--topic',
		    'Очереди на приёме', String(i)]);
	}
	otk(env.db, ['--org', ORG, 'demo', 'generate', '--messages', '0',
	    '--answers', '80', '--seed', '5']);
	// A problem entered by hand, to open its decision form by id.
	painId = Number(otk(env.db, ['--org', ORG, 'pain', 'set', '--source',
	    'manual', '--title', 'Неудобный график приёма']).trim());
	srv = await serve(env.db);
	br = await browser();
});

after(async () => {
	try {
		await br?.close();
		if (srv != null) {
			assert.equal(await srv.stop(), 0, 'the server stops cleanly: ' +
			    srv.stderr());
			assert.doesNotMatch(srv.stderr(), /AddressSanitizer|runtime error/);
		}
		assert.deepEqual(pages.length > 0 ? vnu(pages) : [], [],
		    'the Nu HTML checker finds no errors');
		assert.deepEqual(failures, [], 'axe-core finds no violations');
	} finally {
		if (env != null)
			cleanup(env.dir);
	}
});

const url = (p) => srv.url + p;

async function context(options = {}) {
	// axe-core is injected by the test; the pages' CSP forbids that.
	const ctx = await br.newContext({ bypassCSP: true, ...options });
	ctx.setDefaultTimeout(10000);
	return ctx;
}

// Keeps the page for the Nu HTML checker and runs axe-core on it.
async function check(page, label, resp, status = 200) {
	assert.equal(resp.status(), status, `${label}: status`);
	const html = await resp.text();
	pages.push(keep(env.dir, `report-${pages.length}-` +
	    label.replace(/[^a-z0-9]+/gi, '_').slice(0, 50), html));
	for (const v of await axe(page))
		failures.push(`${label}: ${v}`);
}

async function enter(page, to) {
	const [resp] = await Promise.all([page.waitForNavigation({ url: to }),
	    page.keyboard.press('Enter')]);
	return resp;
}

async function signIn(page, login, password) {
	await page.goto(url('/login'));
	await page.getByLabel('Логин').fill(login);
	await page.getByLabel('Пароль').fill(password);
	await Promise.all([page.waitForNavigation(),
	    page.getByRole('button', { name: 'Войти' }).click()]);
}

async function keyboardSignIn(page, login, password, next) {
	await page.goto(url(`/login?next=${encodeURIComponent(next)}`));
	assert.equal((await focused(page))?.id, 'login', 'the login field has the focus');
	await page.keyboard.type(login);
	await tabTo(page, { id: 'password' });
	await page.keyboard.type(password);
	await tabTo(page, { tag: 'button', text: 'Войти' });
	return enter(page, new RegExp(next.replace(/[?]/g, '\\$&') + '$'));
}

async function typeInto(page, id, text) {
	await tabTo(page, { id });
	await page.keyboard.press('Control+A');
	await page.keyboard.type(text);
}

// Every chart: an image with a name (its title) and a description, with a
// data table in the same section.  Returns what is wrong.
async function chartProblems(page) {
	return page.evaluate(() => {
		const bad = [];
		const charts = [...document.querySelectorAll('svg')]
		    .filter((s) => s.getAttribute('aria-hidden') !== 'true');
		for (const [i, s] of charts.entries()) {
			const where = `chart ${i + 1}`;
			if (s.getAttribute('role') !== 'img')
				bad.push(`${where}: role is ${s.getAttribute('role')}`);
			const title = s.querySelector(':scope > title');
			if (title == null || title.textContent.trim() === '')
				bad.push(`${where}: no title`);
			const ids = (s.getAttribute('aria-labelledby') ?? '').split(/\s+/)
			    .filter((x) => x !== '');
			const named = ids.map((id) => document.getElementById(id))
			    .filter((e) => e != null && e.textContent.trim() !== '');
			if (named.length === 0 && !s.hasAttribute('aria-label'))
				bad.push(`${where}: no accessible name`);
			const section = s.closest('section');
			if (section == null || section.querySelector('table') == null)
				bad.push(`${where}: no data table beside it`);
		}
		return { n: charts.length, bad };
	});
}

test('every page of reports loads and passes axe-core and the Nu checker', async () => {
	const ctx = await context();
	const page = await ctx.newPage();
	await signIn(page, 'group', GROUP_PASSWORD);
	const staff = [
		`/${ORG}/reports`,
		`/${ORG}/reports?period=${YEAR}&clients=internal`,
		`/${ORG}/reports?custom=${YEAR}-01-01..${YEAR}-03-31`,
		`/${ORG}/reports/pain`,
		`/${ORG}/reports/pain/${painId}`,
		`/${ORG}/reports/level`,
		`/${ORG}/reports/public`,
		`/${ORG}/reports/public?year=${YEAR}`,
	];
	for (const p of staff)
		await check(page, p, await page.goto(url(p)));
	// A bad period: named next to its field and in the summary.
	let resp = await page.goto(url(`/${ORG}/reports?custom=вчера`));
	await check(page, 'bad period', resp, 400);
	assert.match(await page.getByRole('alert').innerText(), /Или свой период/);
	assert.equal(await page.locator('#f-custom').getAttribute('aria-invalid'), 'true');
	// The confirmation without the minutes.
	await page.goto(url(`/${ORG}/reports/pain`));
	resp = await Promise.all([page.waitForNavigation(),
	    page.getByRole('button', { name: 'Утвердить порядок' }).click()])
	    .then(([r]) => r);
	await check(page, 'confirmation without minutes', resp, 422);
	assert.equal(await page.getByLabel('Протокол: номер и дата')
	    .getAttribute('aria-invalid'), 'true');
	// Publication, and the public pages it makes.
	await page.goto(url(`/${ORG}/reports/public?year=${YEAR}`));
	await page.getByLabel('Краткое резюме для посетителей')
	    .fill('По итогам года открыто второе окно приёма.');
	await Promise.all([page.waitForNavigation(),
	    page.getByRole('button', { name: 'Опубликовать' }).click()]);
	assert.match(await page.getByRole('status').innerText(), /опубликован/);
	await ctx.close();

	const pub = await context();
	const ppage = await pub.newPage();
	const refused = [];
	ppage.on('console', (m) => {
		if (/Content Security Policy/.test(m.text()))
			refused.push(m.text());
	});
	for (const p of [`/${ORG}/report`, `/${ORG}/report/${YEAR}`,
	    `/${ORG}/report/${YEAR}/print`])
		await check(ppage, p, await ppage.goto(url(p)));
	// The print page's own style sheet applies: its hash is allowed.
	assert.deepEqual(refused, [], 'nothing refused by the content policy');
	assert.equal(await ppage.evaluate(() => getComputedStyle(
	    document.querySelector('table')).borderCollapse), 'collapse');
	resp = await ppage.goto(url(`/${ORG}/report/${YEAR - 3}`));
	assert.equal(resp.status(), 404, 'a year never published');
	await pub.close();
});

test('each chart is an image with a title and its data table beside it', async () => {
	const ctx = await context();
	const page = await ctx.newPage();
	await signIn(page, 'analyst', ANALYST_PASSWORD);
	let total = 0;
	for (const p of [`/${ORG}/reports`, `/${ORG}/reports/pain`,
	    `/${ORG}/reports/level`, `/${ORG}/reports/public?year=${YEAR}`,
	    `/${ORG}/report/${YEAR}`, `/${ORG}/report/${YEAR}/print`]) {
		await page.goto(url(p));
		const { n, bad } = await chartProblems(page);
		assert.deepEqual(bad, [], p);
		total += n;
	}
	assert.ok(total >= 4, `charts drawn: ${total}`);
	await ctx.close();
});

test('a period, a decision and the confirmation by keyboard alone', async () => {
	const ctx = await context();
	const page = await ctx.newPage();
	let resp = await keyboardSignIn(page, 'analyst', ANALYST_PASSWORD,
	    `/${ORG}/reports`);
	assert.equal(resp.status(), 200);
	// A period of one's own, typed in; the page keeps it in its links.
	await typeInto(page, 'f-custom', `${YEAR}-01-01..${YEAR}-12-31`);
	await tabTo(page, { tag: 'button', text: 'Показать' });
	resp = await enter(page, /\/reports\?/);
	assert.equal(resp.status(), 200);
	await tabTo(page, { tag: 'a', text: 'Скачать (CSV)' });
	assert.match((await focused(page)).href,
	    new RegExp(`period=${YEAR}-01-01..${YEAR}-12-31`));
	// The section navigation reaches the pain map.
	await tabTo(page, { tag: 'a', text: 'Карта болей' }, { back: true });
	resp = await enter(page, /\/reports\/pain\?/);
	assert.equal(resp.status(), 200);
	// A decision about the problem of the complaints.
	await tabTo(page, { tag: 'a', text: /^Решение\s*Очереди на приёме$/ });
	resp = await enter(page, /\/reports\/pain\/external\./);
	assert.equal(resp.status(), 200);
	await typeInto(page, 'f-cause', 'Мало окон приёма');
	await typeInto(page, 'f-measure', 'Открыть второе окно');
	await tabTo(page, { tag: 'button', text: 'Сохранить' });
	resp = await enter(page, /done=saved$/);
	assert.match(await page.getByRole('status').innerText(), /сохранено/);
	assert.match(await page.locator('main').innerText(), /Открыть второе окно/);
	// Analysts do not see the confirmation form.
	assert.equal(await page.locator('#f-minutes_ref').count(), 0);
	await ctx.close();

	const gctx = await context();
	const g = await gctx.newPage();
	resp = await keyboardSignIn(g, 'group', GROUP_PASSWORD,
	    `/${ORG}/reports/pain`);
	await typeInto(g, 'f-minutes_ref', `№ 7 от 01.02.${YEAR}`);
	await tabTo(g, { tag: 'button', text: 'Утвердить порядок' });
	resp = await enter(g, /done=confirmed$/);
	assert.match(await g.getByRole('status').innerText(), /утверждён/);
	assert.match(await g.locator('#decisions-title + *').innerText(),
	    new RegExp(`№ 7 от 01.02.${YEAR}`));
	await gctx.close();
});

test('the pages work without JavaScript', async () => {
	const ctx = await context({ javaScriptEnabled: false });
	const page = await ctx.newPage();
	await signIn(page, 'analyst', ANALYST_PASSWORD);
	await page.goto(url(`/${ORG}/reports/level`));
	await page.getByLabel('Клиенты', { exact: true }).selectOption('internal');
	await Promise.all([page.waitForNavigation(),
	    page.getByRole('button', { name: 'Показать' }).click()]);
	assert.match(page.url(), /clients=internal/);
	assert.match(await page.locator('main').innerText(), /Уровень за период/);
	const pub = await br.newContext({ javaScriptEnabled: false });
	const p = await pub.newPage();
	let resp = await p.goto(url(`/${ORG}/report`));
	assert.equal(resp.status(), 200);
	// Published by the first test.
	resp = await p.goto(url(`/${ORG}/report/${YEAR}`));
	assert.equal(resp.status(), 200);
	assert.ok(await p.locator('main table').count() > 0);
	assert.match(await p.locator('main').innerText(),
	    /открыто второе окно приёма/);
	assert.equal(await p.locator('aside.quick form').count(), 1,
	    'the quick feedback of R-PUB-3');
	await pub.close();
	await ctx.close();
});
