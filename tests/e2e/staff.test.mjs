// The staff pages: the main flow of the registry (an editor drafts a
// touchpoint, fails a check, corrects it and submits it; the officer
// includes it and records the publication; the public page shows it; the
// official form downloads as XLSX) by keyboard alone, by ordinary
// Playwright actions with the English switch, and without JavaScript; and
// every page the route table has, for a signed-in admin, through axe-core
// (WCAG 2.1 AA) and the Nu HTML checker, form pages with their errors too.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
	SRCDIR, otk, demoDatabase, serve, browser, axe, vnu, keep, cleanup,
	accounts, routes, focused, tabTo,
} from './lib.mjs';

const ORG = 'gkk';
const ORG_NAME = 'Государственный комитет Республики Башкортостан по конкурентной политике';
// An area and a process of the seed registry (tests/fixtures/registry-001.csv).
const AREA = 'Взаимодействие с внутренним клиентом';
const PROCESS = 'Организация выполнения служебных (трудовых) обязанностей';
const NEEDS_LABEL = 'Удовлетворяемые потребности клиента';
const NEEDS_MSG = /не указаны удовлетворяемые потребности/;
const NO_ERRORS = 'Ошибок нет: изменение можно включить.';

// GET routes that are not pages: downloads, service endpoints, the style
// sheet, the language switch (a redirect), and the JSON API.
const NOT_PAGES = [/\/export\.[a-z]+$/, /^\/metrics$/, /^\/healthz$/,
    /^\/static\//, /^\/lang$/, /^\/api\//, /\/results\.(csv|xlsx)$/,
    /\/qr\.(svg|png)$/,
    // Reports: the downloads, and the public CSV ("/{org}/report/2026.csv").
    /\/reports\/report\.(csv|xlsx|json)$/, /^\/\{org\}\/report\/\{name\}$/];

let env, srv, br;
const pages = [];	// pages as served, for the Nu HTML checker

// A browser context that gives up on a missing element in 10 s, not 30.
async function context(options) {
	const ctx = await br.newContext(options);
	ctx.setDefaultTimeout(10000);
	return ctx;
}

before(async () => {
	env = demoDatabase();
	srv = await serve(env.db);
	br = await browser();
});

after(async () => {
	try {
		await br?.close();
		const status = await srv?.stop();
		const problems = pages.length > 0 ? vnu(pages) : [];
		if (srv != null) {
			assert.equal(status, 0, 'the server stops cleanly: ' + srv.stderr());
			assert.doesNotMatch(srv.stderr(), /runtime error|Sanitizer/,
			    'no sanitizer reports');
		}
		assert.deepEqual(problems, [], 'the Nu HTML checker finds no errors');
	} finally {
		if (env != null)
			cleanup(env.dir);
	}
});

const url = (path) => srv.url + path;
const esc = (s) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
// A URL of this server: the path (a string or a regular expression's
// source) and nothing else after it.
const at = (path) => new RegExp('^' + esc(srv.url) +
    (path instanceof RegExp ? path.source : esc(path)) + '$');

// Checks a downloaded official form: the file name and the ZIP signature.
async function checkXlsx(download, version) {
	assert.equal(download.suggestedFilename(), `perechen-${ORG}-v${version}.xlsx`);
	const file = join(env.dir, `download-${version}-${Date.now()}.xlsx`);
	await download.saveAs(file);
	const bytes = readFileSync(file);
	assert.ok(bytes.length > 1000, 'the XLSX has some size');
	assert.equal(bytes.subarray(0, 2).toString('latin1'), 'PK', 'an XLSX is a ZIP file');
}

// The public page shows the touchpoint in the version just published.
async function checkPublic(page, name, version) {
	assert.equal(await page.locator('h1').innerText(),
	    'Перечень точек взаимодействия с клиентом');
	await assert.doesNotReject(page.getByRole('cell', { name, exact: true }).waitFor(),
	    'the new touchpoint is in the published registry');
	assert.match(await page.locator('main').innerText(),
	    new RegExp(`Версия ${version}, опубликована \\d\\d\\.\\d\\d\\.\\d{4}`));
}

/*
 * 1. The main flow by keyboard alone: Tab and Shift+Tab to an element,
 * check what has the focus (and that the focus shows), Enter or Space on
 * it, typing into it.  Nothing is clicked.
 */

// Presses Enter on the focused element and waits for the page it leads to.
async function enter(page, to) {
	await Promise.all([page.waitForURL(to), page.keyboard.press('Enter')]);
}

async function keyboardSignIn(page, login) {
	// The header's link to the sign-in form, then the form itself.
	await tabTo(page, { tag: 'a', text: 'Вход для сотрудников' });
	await enter(page, at('/login'));
	// The login field has autofocus.
	let f = await focused(page);
	assert.equal(f?.id, 'login', 'the sign-in form starts at the login');
	await page.keyboard.type(login);
	f = await tabTo(page, { id: 'password' });
	assert.equal(f.label, 'Пароль');
	await page.keyboard.type(accounts[login]);
	await tabTo(page, { tag: 'button', text: 'Войти' });
	await enter(page, at('/'));
	assert.match(await page.locator('header').innerText(), /Выйти/);
}

async function keyboardSignOut(page) {
	await tabTo(page, { tag: 'button', text: 'Выйти' });
	await enter(page, at('/'));
}

test('the main flow by keyboard alone', async () => {
	const name = 'Телефон горячей линии +7 (347) 218-00-01';
	const ctx = await context();
	const page = await ctx.newPage();
	await page.goto(url('/'));

	// The editor: sign in, open the organization and its registry.
	await keyboardSignIn(page, 'editor');
	await tabTo(page, { tag: 'a', href: `/${ORG}/`, text: ORG_NAME });
	await enter(page, at(`/${ORG}/`));
	await tabTo(page, { tag: 'a', text: 'Перечень' });
	await enter(page, at(`/${ORG}/registry/entries`));
	await tabTo(page, { tag: 'a', text: 'Добавить точку взаимодействия' });
	await enter(page, at(`/${ORG}/registry/new`));

	// A touchpoint with no needs ticked.
	let f = await tabTo(page, { id: 'f-area' });
	assert.equal(f.label, 'Направление деятельности');
	await page.keyboard.type(AREA);
	assert.equal((await focused(page)).value, AREA);
	f = await tabTo(page, { id: 'f-process' });
	assert.equal(f.label, 'Наименование конкретного процесса');
	await page.keyboard.type(PROCESS);
	f = await tabTo(page, { id: 'f-name' });
	assert.equal(f.label, 'Точка взаимодействия');
	await page.keyboard.type(name);
	// On to the button, past every need, none of them ticked.
	const boxes = [];
	for (;;) {
		await page.keyboard.press('Tab');
		f = await focused(page);
		assert.ok(f != null, 'the focus stays in the page');
		if (f.name === 'needs')
			boxes.push(f);
		if (f.tag === 'button')
			break;
	}
	assert.ok(boxes.length >= 14, 'every need of the taxonomy has a box');
	assert.ok(boxes.every((b) => b.checked === false && b.label !== ''));
	assert.equal(f.text, 'Сохранить черновик');
	assert.ok(f.shown, 'the focus on the button shows');
	await enter(page, at(new RegExp(`/${ORG}/registry/changes/\\d+\\?done=draft`)));
	const draft = Number(page.url().match(/changes\/(\d+)/)[1]);

	// The draft is saved; the check says the needs are missing, in the
	// row of the needs.
	const needsRow = page.getByRole('row', { name: new RegExp(NEEDS_LABEL) });
	assert.match(await needsRow.innerText(), NEEDS_MSG);
	assert.match(await page.locator('section.checks').innerText(),
	    /Ошибки не дают включить изменение в перечень/);

	// Correct it: the form shows the message in the needs' fieldset, and
	// the fieldset is described by it.
	await tabTo(page, { tag: 'a', text: 'Исправить' });
	await enter(page, at(`/${ORG}/registry/changes/${draft}/edit`));
	const msgs = await page.evaluate(() => {
		const set = document.getElementById('f-needs');
		return (set.getAttribute('aria-describedby') ?? '').split(/\s+/)
		    .map((id) => document.getElementById(id))
		    .filter((e) => e != null && set.contains(e))
		    .map((e) => e.innerText);
	});
	assert.ok(msgs.some((m) => NEEDS_MSG.test(m)),
	    `the needs fieldset is described by the check's message: ${msgs}`);
	f = await tabTo(page, { name: 'needs', label: 'получение консультации' });
	assert.equal(f.checked, false);
	assert.ok(await page.evaluate(() =>
	    document.activeElement.closest('fieldset')?.id === 'f-needs'),
	    'the box is in the fieldset the message describes');
	await page.keyboard.press('Space');
	assert.equal((await focused(page)).checked, true, 'Space ticks the box');
	f = await tabTo(page, { id: 'f-interaction' });
	assert.equal(f.label, 'Осуществляемое взаимодействие с клиентом');
	await page.keyboard.type('Получение клиентом консультации по телефону');
	await tabTo(page, { tag: 'button', text: 'Сохранить черновик' });
	await enter(page, at(new RegExp(`/${ORG}/registry/changes/\\d+\\?done=draft`)));
	const change = Number(page.url().match(/changes\/(\d+)/)[1]);
	assert.notEqual(change, draft, 'the correction is a new draft');
	assert.match(await page.locator('section.checks').innerText(), new RegExp(NO_ERRORS));
	assert.doesNotMatch(await needsRow.innerText(), NEEDS_MSG);

	await tabTo(page, { tag: 'button', text: 'Отправить на проверку' });
	await enter(page, at(`/${ORG}/registry/changes/${change}?done=submitted`));
	assert.match(await page.getByRole('status').innerText(), /отправлено на проверку/);
	await keyboardSignOut(page);

	// The officer: the change waiting for verification, its checks,
	// inclusion.
	await keyboardSignIn(page, 'officer');
	await tabTo(page, { tag: 'a', href: `/${ORG}/` });
	await enter(page, at(`/${ORG}/`));
	f = await tabTo(page, { tag: 'a', href: `/${ORG}/registry/changes?state=submitted` });
	assert.match(f.text, /^Ждут проверки: [1-9]/);
	await enter(page, at(`/${ORG}/registry/changes?state=submitted`));
	await tabTo(page, { tag: 'a', href: `/${ORG}/registry/changes/${change}` });
	await enter(page, at(`/${ORG}/registry/changes/${change}`));
	assert.match(await page.locator('section.checks').innerText(), new RegExp(NO_ERRORS));
	await tabTo(page, { tag: 'button', text: 'Включить в перечень' });
	await enter(page, at(new RegExp(`/${ORG}/registry/changes/${change}\\?done=included&v=\\d+`)));
	const version = Number(new URL(page.url()).searchParams.get('v'));

	// The publication, recorded on the front page.
	await tabTo(page, { tag: 'a', text: 'Главная' });
	await enter(page, at(`/${ORG}/`));
	f = await tabTo(page, { id: 'p-version' });
	assert.equal(f.value, String(version), 'the latest version is proposed');
	f = await tabTo(page, { id: 'p-url' });
	assert.equal(f.label, 'Адрес публикации');
	await page.keyboard.type('https://gkk.example.ru/perechen');
	await tabTo(page, { tag: 'button', text: 'Записать публикацию' });
	await enter(page, at(`/${ORG}/?done=published&v=${version}`));

	// The public page shows it.
	await tabTo(page, { tag: 'a', href: `/${ORG}/registry` });
	await enter(page, at(`/${ORG}/registry`));
	await checkPublic(page, name, version);

	// Back to the front page, and the download.
	await tabTo(page, { tag: 'a', text: 'Отклик — клиентоцентричность' });
	await enter(page, at('/'));
	await tabTo(page, { tag: 'a', href: `/${ORG}/` });
	await enter(page, at(`/${ORG}/`));
	await tabTo(page, { tag: 'a', href: `/${ORG}/registry/export.xlsx` });
	const [download] = await Promise.all([page.waitForEvent('download'),
	    page.keyboard.press('Enter')]);
	await checkXlsx(download, version);

	// Shift+Tab goes back the same way.
	await tabTo(page, { tag: 'a', text: 'Скачать официальную форму (HTML)' }, { back: true });
	await ctx.close();
});

/*
 * 2 and 4. The same flow by ordinary actions: with JavaScript, and in a
 * browser without it (every step is a form post or a link).
 */

async function signIn(page, login) {
	await page.goto(url('/login'));
	await page.getByLabel('Логин').fill(login);
	await page.getByLabel('Пароль').fill(accounts[login]);
	await page.getByRole('button', { name: 'Войти' }).click();
	await page.waitForURL(at('/'));
}

async function signOut(page) {
	await page.getByRole('button', { name: 'Выйти' }).click();
	await page.waitForURL(at('/'));
}

async function mainFlow(page, name) {
	await signIn(page, 'editor');
	await page.getByRole('link', { name: ORG_NAME }).click();
	await page.waitForURL(at(`/${ORG}/`));
	await page.getByRole('link', { name: 'Перечень', exact: true }).click();
	await page.waitForURL(at(`/${ORG}/registry/entries`));
	await page.getByRole('link', { name: 'Добавить точку взаимодействия' }).click();
	await page.waitForURL(at(`/${ORG}/registry/new`));

	await page.getByLabel('Направление деятельности', { exact: true }).fill(AREA);
	await page.getByLabel('Наименование конкретного процесса', { exact: true }).fill(PROCESS);
	await page.getByLabel('Точка взаимодействия', { exact: true }).fill(name);
	await page.getByRole('button', { name: 'Сохранить черновик' }).click();
	await page.waitForURL(at(new RegExp(`/${ORG}/registry/changes/\\d+\\?done=draft`)));
	const draft = Number(page.url().match(/changes\/(\d+)/)[1]);
	const needsRow = page.getByRole('row', { name: new RegExp(NEEDS_LABEL) });
	assert.match(await needsRow.innerText(), NEEDS_MSG);

	await page.getByRole('link', { name: 'Исправить' }).click();
	await page.waitForURL(at(`/${ORG}/registry/changes/${draft}/edit`));
	const needs = page.getByRole('group', { name: NEEDS_LABEL });
	assert.equal(await needs.getAttribute('id'), 'f-needs');
	assert.match(await needs.locator('.finding-error').innerText(), NEEDS_MSG);
	const described = (await needs.getAttribute('aria-describedby')).split(' ');
	assert.ok(described.includes(await needs.locator('.finding-error').getAttribute('id')),
	    'the fieldset is described by the message');
	await needs.getByLabel('получение консультации', { exact: true }).check();
	await needs.getByLabel('получение информации', { exact: true }).check();
	await page.getByLabel('Осуществляемое взаимодействие с клиентом').fill(
	    'Получение клиентом информации и консультации');
	await page.getByRole('button', { name: 'Сохранить черновик' }).click();
	await page.waitForURL(at(new RegExp(`/${ORG}/registry/changes/\\d+\\?done=draft`)));
	const change = Number(page.url().match(/changes\/(\d+)/)[1]);
	assert.notEqual(change, draft);
	assert.match(await page.locator('section.checks').innerText(), new RegExp(NO_ERRORS));
	assert.match(await needsRow.innerText(), /получение информации\s+получение консультации/);

	await page.getByRole('button', { name: 'Отправить на проверку' }).click();
	await page.waitForURL(at(`/${ORG}/registry/changes/${change}?done=submitted`));
	// The draft it corrects is withdrawn, not left open.
	await page.goto(url(`/${ORG}/registry/changes/${draft}`));
	assert.equal(await page.locator('dl.summary dd').first().innerText(), 'отозвано');
	await signOut(page);

	await signIn(page, 'officer');
	await page.getByRole('link', { name: ORG_NAME }).click();
	await page.waitForURL(at(`/${ORG}/`));
	await page.getByRole('link', { name: /^Ждут проверки: [1-9]/ }).click();
	await page.waitForURL(at(`/${ORG}/registry/changes?state=submitted`));
	await page.getByRole('link', { name: String(change), exact: true }).click();
	await page.waitForURL(at(`/${ORG}/registry/changes/${change}`));
	assert.match(await page.locator('section.checks').innerText(), new RegExp(NO_ERRORS));
	await page.getByRole('button', { name: 'Включить в перечень' }).click();
	await page.waitForURL(at(new RegExp(`/${ORG}/registry/changes/${change}\\?done=included&v=\\d+`)));
	const version = Number(new URL(page.url()).searchParams.get('v'));

	await page.getByRole('link', { name: 'Главная' }).click();
	await page.waitForURL(at(`/${ORG}/`));
	assert.equal(await page.getByLabel('Версия', { exact: true }).inputValue(), String(version));
	await page.getByLabel('Адрес публикации').fill('https://gkk.example.ru/perechen');
	await page.getByRole('button', { name: 'Записать публикацию' }).click();
	await page.waitForURL(at(`/${ORG}/?done=published&v=${version}`));
	assert.match(await page.getByRole('status').innerText(), /Публикация записана/);

	const [download] = await Promise.all([page.waitForEvent('download'),
	    page.getByRole('link', { name: 'Скачать официальную форму (XLSX)' }).click()]);
	await checkXlsx(download, version);

	await page.getByRole('link', { name: 'Опубликованный перечень (публичная страница)' }).click();
	await page.waitForURL(at(`/${ORG}/registry`));
	await checkPublic(page, name, version);
	return { change, version };
}

test('the main flow by ordinary actions, and the English switch', async () => {
	const ctx = await context();
	const page = await ctx.newPage();
	const { change } = await mainFlow(page, 'Телефон горячей линии +7 (347) 218-00-02');

	// The English switch on a staff page comes back to the same page.
	await page.goto(url(`/${ORG}/registry/changes/${change}`));
	await page.getByRole('link', { name: 'English' }).click();
	await page.waitForURL(at(`/${ORG}/registry/changes/${change}`));
	assert.equal(await page.getAttribute('html', 'lang'), 'en');
	assert.equal(await page.locator('h1').innerText(), `Change ${change}: addition`);
	assert.deepEqual(await page.getByRole('navigation', { name: 'Sections' })
	    .getByRole('link').allInnerTexts(), ['Overview', 'Registry', 'Changes',
	    'Versions', 'Upload', 'Surveys']);
	assert.ok(await page.getByRole('button', { name: 'Sign out' }).isVisible());
	// It stays English from page to page, forms included.
	await page.getByRole('link', { name: 'Overview' }).click();
	await page.waitForURL(at(`/${ORG}/`));
	assert.equal(await page.getAttribute('html', 'lang'), 'en');
	await page.getByRole('heading', { name: 'Publication of the registry' }).waitFor();
	assert.equal(await page.getByLabel('Where it was published').count(), 1);
	assert.equal(await page.getByRole('button', { name: 'Record the publication' }).count(), 1);
	const back = page.getByRole('link', { name: 'Русский' });
	assert.equal(await back.getAttribute('lang'), 'ru');
	await back.click();
	await page.waitForURL(at(`/${ORG}/`));
	assert.equal(await page.getAttribute('html', 'lang'), 'ru');
	await page.getByRole('heading', { name: 'Публикация перечня' }).waitFor();
	await ctx.close();
});

test('the main flow without JavaScript', async () => {
	const ctx = await context({ javaScriptEnabled: false });
	const page = await ctx.newPage();
	await mainFlow(page, 'Телефон горячей линии +7 (347) 218-00-03');
	await ctx.close();
});

/*
 * 3. Every page of the route table that a signed-in admin can open, with
 * real ids; form pages also as they come back with errors.
 */

// Submits the form with the button; returns the answer to the POST (a
// form that comes back is that answer's page).
async function post(page, button) {
	const [resp] = await Promise.all([
		page.waitForResponse((r) => r.request().method() === 'POST' &&
		    r.request().isNavigationRequest()),
		button.click(),
	]);
	await page.waitForLoadState();
	return resp;
}

// The registry commands, as the admin, on the test's database.
function cli(...args) {
	return otk(env.db, ['--org', ORG, '--user', 'admin', 'registry', ...args]).trim();
}

// Drafts an addition (with the needs given) and returns its number.
function draftOf(name, needs) {
	return Number(cli('draft', '--area', AREA, '--process', PROCESS, '--name', name,
	    ...(needs != null ? ['--needs', needs] : []), 'add'));
}

test('every page passes axe-core and the Nu HTML checker', async () => {
	// The pages' CSP forbids inline scripts; axe is injected by the test.
	const ctx = await context({ bypassCSP: true });
	const page = await ctx.newPage();
	await signIn(page, 'admin');

	// Something of every kind an {id} names: touchpoints (one excluded),
	// changes in each state (made with the registry commands), an upload
	// waiting for confirmation (which only its uploader sees).
	await page.goto(url(`/${ORG}/registry/entries`));
	const [tp, gone] = (await page.locator(`main a[href^="/${ORG}/registry/entries/"]`)
	    .evaluateAll((v) => v.map((a) => a.getAttribute('href'))))
	    .slice(0, 2).map((h) => Number(h.match(/entries\/(\d+)$/)[1]));
	const draft = draftOf('Мессенджер MAX: чат комитета');
	const submitted = draftOf('Почтовый адрес: г. Уфа, ул. Ленина, 1', 'submit:appeal');
	cli('submit', String(submitted));
	const returned = draftOf('Чат-бот на сайте', 'info');
	cli('submit', String(returned));
	cli('return', String(returned), '--comment', 'Укажите адрес страницы с чат-ботом');
	const included = draftOf('Информационный стенд в холле', 'info');
	cli('submit', String(included));
	cli('include', String(included));
	const exclusion = Number(cli('draft', 'exclude', String(tp)));
	const excluded = Number(cli('draft', 'exclude', String(gone)));
	cli('submit', String(excluded));
	cli('include', String(excluded));
	const withdrawn = draftOf('Голосовой помощник', 'consult');
	cli('withdraw', String(withdrawn));
	await page.goto(url(`/${ORG}/registry/import`));
	await page.getByLabel('Файл (CSV или XLSX)').setInputFiles(
	    join(SRCDIR, 'tests/fixtures/registry-001.csv'));
	await page.getByRole('button', { name: 'Проверить файл' }).click();
	await page.waitForURL(at(new RegExp(`/${ORG}/registry/import/\\d+`)));
	const pending = Number(page.url().match(/import\/(\d+)/)[1]);
	// A case, a topic and a template of feedback (ui-feedback*.c); the
	// public pages of a message ({name}: its tracking code) are opened
	// with that message's code.
	const added = otk(env.db, ['--org', ORG, 'feedback', 'add', '--channel',
	    'phone', '--kind', 'appeal', 'Не могу записаться на приём']);
	const code = added.match(/[0-9A-Z]{4}-[0-9A-Z]{6}/)[0];
	const fbCase = Number(otk(env.db, ['--org', ORG, 'feedback', 'show',
	    code]).match(/^id\s+(\d+)/m)?.[1] ?? 1);
	const fbTopic = Number(otk(env.db, ['--org', ORG, 'topic', 'add',
	    'Запись на приём']));
	const fbTemplate = Number(otk(env.db, ['--org', ORG, 'template', 'add',
	    'Как записаться', 'Запишитесь по телефону.']));
	// Reports (ui-report*.c): a problem of the pain map entered by hand,
	// and a published yearly report.
	const painId = Number(otk(env.db, ['--org', ORG, 'pain', 'set',
	    '--source', 'manual', '--title', 'Очередь в приёмной']).trim());
	const reportYear = new Date().getFullYear() - 1;
	otk(env.db, ['--org', ORG, 'report', 'publish', String(reportYear)]);
	const names = {
		'/{org}/feedback/sent/{name}': [code],
		'/{org}/track/{name}': [code],
		// Surveys ({name}: an instrument's code): the public form, its
		// thanks and poster, and the staff pages of one instrument.
		'/{org}/s/{name}': ['services'],
		'/{org}/s/{name}/{id}': ['services'],
		'/{org}/s/{name}/thanks': ['services'],
		'/{org}/s/{name}/poster': ['services'],
		'/{org}/surveys/{name}': ['services'],
		'/{org}/surveys/{name}/edit': ['services'],
		'/{org}/surveys/{name}/preview': ['services'],
		'/{org}/surveys/{name}/results': ['services'],
		'/{org}/surveys/{name}/paper': ['services'],
		'/{org}/reports/pain/{name}': [painId],
	};
	const ids = {
		'/{org}/cases/{id}': [fbCase],
		'/{org}/feedback/topics/{id}': [fbTopic],
		'/{org}/feedback/templates/{id}': [fbTemplate],
		'/{org}/registry/entries/{id}': [tp, gone],
		'/{org}/registry/entries/{id}/edit': [tp],
		'/{org}/registry/changes/{id}': [draft, submitted, returned, included,
		    exclusion, excluded, withdrawn],
		'/{org}/registry/changes/{id}/edit': [draft, returned],
		'/{org}/registry/import/{id}': [pending],
		'/{org}/s/{name}/{id}': [tp],
		'/{org}/report/{id}': [reportYear],
		'/{org}/report/{id}/print': [reportYear],
	};

	// The pages, from the route table.
	const paths = [];
	for (const r of routes(env.db)) {
		if (r.method !== 'GET' || NOT_PAGES.some((re) => re.test(r.pattern)))
			continue;
		let list = [r.pattern];
		if (r.pattern.includes('{name}')) {
			assert.ok(names[r.pattern] != null,
			    `nothing to open ${r.pattern} with: add it to this test`);
			list = names[r.pattern].map((n) => r.pattern.replace('{name}', n));
		}
		if (r.pattern.includes('{id}')) {
			assert.ok(ids[r.pattern] != null,
			    `no id to open ${r.pattern} with: add one to this test`);
			list = list.flatMap((p) => ids[r.pattern].map((id) =>
			    p.replace('{id}', id)));
		}
		paths.push(...list.map((p) => p.replace('{org}', ORG)));
	}
	assert.ok(paths.length >= 18, `the route table has the pages: ${paths}`);
	// And some states of them: a search, a filter, a comparison, notices.
	paths.push(`/${ORG}/registry/entries?q=${encodeURIComponent('телефон')}`,
	    `/${ORG}/registry/changes?state=submitted`,
	    `/${ORG}/registry/diff?a=1&b=2`,
	    `/${ORG}/audit?action=registry.&page=1`,
	    `/${ORG}/?done=published&v=1`,
	    `/${ORG}/registry/versions?done=imported&v=1`,
	    `/${ORG}/admin/people?done=person`);

	const failures = [];
	const check = async (label, resp, status, on = page) => {
		const html = await resp.text();
		if (resp.status() !== status)
			failures.push(`${label}: status ${resp.status()}, not ${status}`);
		if (!/^text\/html/.test(resp.headers()['content-type'] ?? ''))
			failures.push(`${label}: not HTML`);
		pages.push(keep(env.dir, `staff-${pages.length}-` +
		    label.replace(/[^a-z0-9]+/gi, '_').slice(0, 60), html));
		for (const v of await axe(on))
			failures.push(`${label}: ${v}`);
	};
	// Two tabs at a time: axe takes most of the time.
	const queue = [...paths];
	const worker = async (tab) => {
		for (let p; (p = queue.shift()) != null;)
			await check(p, await tab.goto(url(p)), 200, tab);
	};
	await Promise.all([worker(page), worker(await ctx.newPage())]);

	// Form pages as they come back with errors (each answers 422).
	const bad = async (label, resp) => check(label, resp, 422);
	// A touchpoint with an e-mail without @ and an address without
	// https://; an existing one's change the same; a correction the same.
	await page.goto(url(`/${ORG}/registry/new`));
	await page.getByLabel('Направление деятельности', { exact: true }).fill(AREA);
	await page.getByLabel('Наименование конкретного процесса', { exact: true }).fill(PROCESS);
	await page.getByLabel('Точка взаимодействия', { exact: true }).fill('Приёмная');
	await page.getByLabel('Электронная почта').fill('priemnaya.gkk.ru');
	await page.getByLabel('Адрес в интернете').fill('gkk.example.ru');
	await bad('new touchpoint: bad e-mail and address',
	    await post(page, page.getByRole('button', { name: 'Сохранить черновик' })));
	assert.match(await page.getByRole('alert').innerText(), /В форме есть ошибки/);
	assert.equal(await page.getByLabel('Электронная почта').getAttribute('aria-invalid'), 'true');
	await page.goto(url(`/${ORG}/registry/entries/${tp}/edit`));
	await page.getByLabel('Электронная почта').fill('нет-собаки');
	await bad('change of a touchpoint: bad e-mail',
	    await post(page, page.getByRole('button', { name: 'Сохранить черновик' })));
	await page.goto(url(`/${ORG}/registry/changes/${draft}/edit`));
	await page.getByLabel('Адрес в интернете').fill('ftp://gkk.example.ru');
	await bad('correction of a draft: bad address',
	    await post(page, page.getByRole('button', { name: 'Сохранить черновик' })));
	// Returning a change with a blank comment.
	await page.goto(url(`/${ORG}/registry/changes/${submitted}`));
	await page.getByLabel('Комментарий для автора').fill('   ');
	await bad('return without a comment',
	    await post(page, page.getByRole('button', { name: 'Вернуть автору' })));
	// A publication with a bad address.
	await page.goto(url(`/${ORG}/`));
	await page.getByLabel('Адрес публикации').fill('perechen.html');
	await bad('publication: bad address',
	    await post(page, page.getByRole('button', { name: 'Записать публикацию' })));
	// An upload that is not a table, and one with rows that cannot be read.
	await page.goto(url(`/${ORG}/registry/import`));
	await page.getByLabel('Файл (CSV или XLSX)').setInputFiles({
		// A ZIP's signature and nothing after it: a broken workbook.
		name: 'perechen.xlsx', mimeType: 'application/octet-stream',
		buffer: Buffer.from('PK\x03\x04 broken', 'latin1'),
	});
	await bad('upload: not a table',
	    await post(page, page.getByRole('button', { name: 'Проверить файл' })));
	assert.equal(await page.locator('#file').getAttribute('aria-invalid'), 'true');
	await page.goto(url(`/${ORG}/registry/import`));
	await page.getByLabel('Файл (CSV или XLSX)').setInputFiles({
		name: 'perechen.csv', mimeType: 'text/csv',
		buffer: Buffer.from('N,Направление деятельности,Наименование конкретного процесса,' +
		    'Точка взаимодействия\n1,,,Электронная почта\n2,Приём,,\n'),
	});
	await bad('upload: rows that cannot be read',
	    await post(page, page.getByRole('button', { name: 'Проверить файл' })));
	assert.match(await page.locator('#rows-title').innerText(), /: [1-9]/);
	// Administration: an organization, a unit, a person, a role, a
	// password, each with mistakes.
	await page.goto(url('/admin/orgs'));
	await page.getByLabel('Краткое имя для адресов').fill('Не-латиница');
	await page.getByLabel('Часовой пояс').fill('Asia/Ufa-Nowhere');
	await bad('organization: bad slug, no name, bad zone',
	    await post(page, page.getByRole('button', { name: 'Добавить организацию' })));
	await page.goto(url(`/${ORG}/admin/units`));
	await bad('unit: no name',
	    await post(page, page.getByRole('button', { name: 'Добавить подразделение' })));
	await page.goto(url(`/${ORG}/admin/people`));
	await page.locator('#add-login').fill('Петров');
	await page.locator('#add-password').fill('short');
	await bad('new person: bad login, no name, no role, short password',
	    await post(page, page.getByRole('button', { name: 'Добавить сотрудника' })));
	await page.goto(url(`/${ORG}/admin/people`));
	await page.locator('#grant-login').fill('nobody');
	await bad('role for an account: no such login, no role',
	    await post(page, page.getByRole('button', { name: 'Выдать роль' })));
	await page.goto(url(`/${ORG}/admin/people`));
	const editor = page.getByRole('row').filter({ hasText: 'Редактор отдела' });
	await editor.locator('summary').click();
	await editor.getByRole('button', { name: 'Выдать', exact: true }).waitFor();
	await bad('role of a person: no role chosen',
	    await post(page, editor.getByRole('button', { name: 'Выдать', exact: true })));
	await page.goto(url(`/${ORG}/admin/people`));
	const row = page.getByRole('row').filter({ hasText: 'Редактор отдела' });
	await row.locator('summary').click();
	await row.getByLabel('Пароль', { exact: true }).fill('editor-pass-2');
	await row.getByLabel('Пароль ещё раз').fill('editor-pass-3');
	await bad('password of a person: the two differ',
	    await post(page, row.getByRole('button', { name: 'Установить пароль' })));

	// The audit log with a filter it cannot read answers 400, the sign-in
	// form with a wrong password 403; both show the form with the message.
	await check('audit log: a date it cannot read',
	    await page.goto(url(`/${ORG}/audit?since=${encodeURIComponent('вчера')}`)), 400);
	await page.goto(url('/login'));
	await page.getByLabel('Логин').fill('nobody');
	await page.getByLabel('Пароль').fill('not-the-password');
	await check('sign-in: wrong password',
	    await post(page, page.getByRole('button', { name: 'Войти' })), 403);

	assert.deepEqual(failures, [], 'every page answers as expected and passes axe');
	await ctx.close();
});
