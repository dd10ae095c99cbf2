// The staff pages of surveys in a real browser: an analyst signs in and,
// by keyboard alone, makes a survey, adds a choice question and a
// question shown only for one of its answers, sees a refusal next to its
// field, previews the draft, publishes and opens it, and reads the
// results; an operator enters a paper form, and the results count it
// with its n.  Every page passes axe-core (WCAG 2.1 AA) and the Nu HTML
// checker, the forms with their errors too.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
	otk, demoDatabase, serve, browser, axe, vnu, keep, cleanup, focused,
	tabTo,
} from './lib.mjs';

const ORG = 'gkk';
const ANALYST_PASSWORD = 'analyst-pass-1';
const OPERATOR_PASSWORD = 'operator-pass-1';

let env, srv, br;
const pages = [];	// pages as served, for the Nu HTML checker
const failures = [];	// axe-core's findings, reported at the end

before(async () => {
	env = demoDatabase();
	otk(env.db, ['--org', ORG, 'user', 'add', 'analyst', '--name',
	    'Аналитик Иванова', '--role', 'analyst'], ANALYST_PASSWORD + '\n');
	otk(env.db, ['--org', ORG, 'user', 'add', 'operator', '--name',
	    'Оператор Петрова', '--role', 'operator'], OPERATOR_PASSWORD + '\n');
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

async function context() {
	// axe-core is injected by the test; the pages' CSP forbids that.
	const ctx = await br.newContext({ bypassCSP: true });
	ctx.setDefaultTimeout(10000);
	return ctx;
}

// Keeps the page for the Nu HTML checker and runs axe-core on it.
async function check(page, label, resp) {
	const html = resp != null ? await resp.text() : await page.content();
	pages.push(keep(env.dir, `srvstaff-${pages.length}-` +
	    label.replace(/[^a-z0-9]+/gi, '_').slice(0, 50), html));
	for (const v of await axe(page))
		failures.push(`${label}: ${v}`);
}

// Enter on the focused element, and the page it leads to.
async function enter(page, to) {
	const [resp] = await Promise.all([page.waitForNavigation({ url: to }),
	    page.keyboard.press('Enter')]);
	return resp;
}

const mainText = async (page) => page.locator('main').innerText();

async function keyboardSignIn(page, login, password, next) {
	await page.goto(url(`/login?next=${encodeURIComponent(next)}`));
	assert.equal((await focused(page))?.id, 'login', 'the login field has the focus');
	await page.keyboard.type(login);
	await tabTo(page, { id: 'password' });
	await page.keyboard.type(password);
	await tabTo(page, { tag: 'button', text: 'Войти' });
	return enter(page, new RegExp(next.replace(/[?]/g, '\\$&') + '$'));
}

// Types into a field reached by Tab (its text is replaced).
async function typeInto(page, id, text) {
	await tabTo(page, { id });
	await page.keyboard.press('Control+A');
	await page.keyboard.type(text);
}

// Chooses the option of a select reached by Tab, by its label.
async function chooseIn(page, id, label) {
	await tabTo(page, { id });
	const labels = await page.locator(`#${id} option`).allInnerTexts();
	const want = labels.indexOf(label);
	assert.ok(want >= 0, `${id} has no option ${label}: ${labels}`);
	const cur = await page.locator(`#${id}`).evaluate((s) => s.selectedIndex);
	for (let i = cur; i < want; i++)
		await page.keyboard.press('ArrowDown');
	for (let i = cur; i > want; i--)
		await page.keyboard.press('ArrowUp');
	assert.equal(await page.locator(`#${id} option:checked`).innerText(), label);
}

test('a survey built, previewed, published and read, by keyboard', async () => {
	const ctx = await context();
	const page = await ctx.newPage();
	let resp = await keyboardSignIn(page, 'analyst', ANALYST_PASSWORD,
	    `/${ORG}/surveys`);
	await check(page, 'list', resp);
	let text = await mainText(page);
	assert.match(text, /Оценка удовлетворенности внешних клиентов оказанием Министерством государственных услуг/);

	// A new survey.
	await typeInto(page, 'new-code', 'visit');
	await typeInto(page, 'new-title', 'Анкета посетителя приёмной');
	await tabTo(page, { tag: 'button', text: 'Создать анкету' });
	resp = await enter(page, /\/surveys\/visit\/edit\?done=added$/);
	await check(page, 'builder, new', resp);
	assert.match(await page.getByRole('status').innerText(), /Анкета создана/);

	// A choice question, added at the end.
	await typeInto(page, 'add-code', 'how');
	await chooseIn(page, 'add-type', 'один вариант');
	await typeInto(page, 'add-text_ru', 'Как вы к нам обратились?');
	await typeInto(page, 'add-options', 'visit = Лично');
	await page.keyboard.press('Enter');
	await page.keyboard.type('phone = По телефону | By phone');
	await tabTo(page, { tag: 'button', text: 'Добавить вопрос' });
	resp = await enter(page, /done=saved#q-2$/);

	// A question shown only to those who came in person.
	await typeInto(page, 'add-code', 'wait');
	await chooseIn(page, 'add-type', 'оценка 1–5');
	await typeInto(page, 'add-text_ru', 'Насколько вас устроило время ожидания?');
	await chooseIn(page, 'add-show_if', '2. Как вы к нам обратились? (how)');
	await typeInto(page, 'add-show_any', 'visit');
	await tabTo(page, { tag: 'button', text: 'Добавить вопрос' });
	resp = await enter(page, /done=saved#q-3$/);
	await check(page, 'builder, three questions', resp);
	text = await mainText(page);
	assert.match(text, /Вопрос 3: wait/);
	assert.match(text, /показывается по ответу на «how»/);

	// An option without "=": refused next to its field, the text kept.
	await page.locator('#add-code').fill('bad');
	await page.locator('#add-type').selectOption('multi');
	await page.locator('#add-text_ru').fill('Что улучшить?');
	await page.locator('#add-options').fill('queue = Очередь\nбез кода');
	[resp] = await Promise.all([page.waitForNavigation(),
	    page.getByRole('button', { name: 'Добавить вопрос' }).click()]);
	assert.equal(resp.status(), 422);
	assert.equal(await page.locator('#add-options').getAttribute('aria-invalid'), 'true');
	assert.match(await page.locator('#add-options-err').innerText(), /строка 2: нет знака «=»/);
	assert.match(await page.locator('#add-options').inputValue(), /без кода/);
	await check(page, 'builder, an error', resp);

	// The preview of the draft, by its link.
	await page.goto(url(`/${ORG}/surveys/visit/edit`));
	await tabTo(page, { tag: 'a', text: 'Предпросмотр', href: `/${ORG}/surveys/visit/preview` });
	resp = await enter(page, /\/preview$/);
	await check(page, 'preview', resp);
	assert.match(await page.locator('.preview-banner').innerText(), /Предпросмотр/);
	assert.ok(await page.getByRole('button', { name: 'Отправить ответы' }).isDisabled());
	assert.equal(await page.locator('input[name="q.how"]').count(), 2);
	// The conditional question shows once its condition is met, as
	// respondents see it.
	const wait = page.locator('input[name="q.wait"]').first();
	assert.equal(await wait.isVisible(), false, 'hidden until "Лично"');
	await tabTo(page, { tag: 'input', name: 'q.how' });
	await page.keyboard.press('Space');
	assert.equal(await page.locator('input[name="q.how"]:checked').inputValue(), 'visit');
	await wait.waitFor({ state: 'visible' });

	// Publish the draft and open the survey, from the overview.
	await tabTo(page, { tag: 'a', text: 'Обзор' });
	resp = await enter(page, /\/surveys\/visit$/);
	await tabTo(page, { tag: 'button', text: 'Опубликовать черновик версии 1' });
	resp = await enter(page, /\?done=published$/);
	await tabTo(page, { tag: 'button', text: 'Открыть приём ответов' });
	resp = await enter(page, /\?done=opened$/);
	await check(page, 'overview, published', resp);
	text = await mainText(page);
	assert.match(text, /Действующая версия\s+1/);
	assert.match(text, /Приём ответов\s+открыт/);
	assert.equal(await page.locator(`img[src="/${ORG}/s/visit/qr.svg"]`).count(), 1);

	// Results, before any answer: every figure says it has none.
	await tabTo(page, { tag: 'a', text: 'Результаты' });
	resp = await enter(page, /\/results$/);
	await check(page, 'results, empty', resp);
	assert.match(await mainText(page), /нет ответов \(n = 0\)/);
	await ctx.close();

	// An operator enters a paper form: the person came in person, so the
	// conditional question is answered too.
	const octx = await context();
	const op = await octx.newPage();
	resp = await keyboardSignIn(op, 'operator', OPERATOR_PASSWORD,
	    `/${ORG}/surveys/visit/paper`);
	await check(op, 'paper form', resp);
	await typeInto(op, 'p-ref', '17');
	await op.getByLabel(/^5 — отлично/).first().check();
	await op.getByRole('radio', { name: 'Лично', exact: true }).check();
	await op.locator('input[name="q.wait"][value="4"]').check();
	[resp] = await Promise.all([op.waitForNavigation({ url: /done=paper$/ }),
	    op.getByRole('button', { name: 'Внести анкету' }).click()]);
	await check(op, 'paper form, entered', resp);
	assert.match(await op.getByRole('status').innerText(), /Бумажная анкета внесена/);
	// The same number again: refused next to it.
	await op.getByLabel('Номер анкеты').fill('17');
	await op.getByLabel(/^5 — отлично/).first().check();
	await op.getByRole('radio', { name: 'Лично', exact: true }).check();
	await op.locator('input[name="q.wait"][value="2"]').check();
	[resp] = await Promise.all([op.waitForNavigation(),
	    op.getByRole('button', { name: 'Внести анкету' }).click()]);
	assert.equal(resp.status(), 409);
	assert.match(await op.locator('#p-ref-err').innerText(), /уже внесена/);
	await check(op, 'paper form, a number twice', resp);
	// A CSV of paper forms with a bad rating: every error with its row
	// and column, nothing written.
	const csv = join(env.dir, 'paper.csv');
	writeFileSync(csv, 'paper_ref,day,overall,how,wait\n18,2024-05-20,9,phone,\n');
	await op.getByLabel('Файл CSV или XLSX').setInputFiles(csv);
	[resp] = await Promise.all([op.waitForNavigation(),
	    op.getByRole('button', { name: 'Проверить файл' }).click()]);
	assert.equal(resp.status(), 422);
	assert.match(await mainText(op), /row 2, column overall/);
	await check(op, 'paper file, refused', resp);
	await octx.close();

	// The results count it, with its n.
	const actx = await context();
	const an = await actx.newPage();
	await keyboardSignIn(an, 'analyst', ANALYST_PASSWORD, `/${ORG}/surveys`);
	resp = await an.goto(url(`/${ORG}/surveys/visit/results`));
	await check(an, 'results, one answer', resp);
	text = await mainText(an);
	assert.match(text, /анкет 1, из них бумажных 1/);
	assert.match(text, /n = 1; доля удовлетворённых \(4–5\): 100,0 %; индекс 0–100: 100,0/);
	assert.match(text, /n = 1; доля удовлетворённых \(4–5\): 100,0 %; индекс 0–100: 75,0/);
	// Invitations without a count: the error next to its field.
	await an.goto(url(`/${ORG}/surveys/visit`));
	await an.getByLabel('Сколько приглашений').fill('0');
	await an.getByLabel('Название партии').fill('Май');
	[resp] = await Promise.all([an.waitForNavigation(),
	    an.getByRole('button', { name: 'Выпустить и скачать CSV' }).click()]);
	assert.equal(resp.status(), 422);
	assert.match(await an.locator('#inv-n-err').innerText(), /от 1 до 10 000/);
	await check(an, 'overview, invitations refused', resp);
	await actx.close();
});
