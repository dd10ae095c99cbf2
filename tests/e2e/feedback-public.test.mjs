// The public pages of feedback: a citizen sends an appeal by keyboard
// alone, gets the tracking code and follows it; every page and every
// error state passes axe-core (WCAG 2.1 AA) and the Nu HTML checker; and
// without JavaScript a proposal with contact details gives the history
// key, which opens the history and withdraws the consent.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
	otk, demoDatabase, serve, browser, axe, vnu, keep, cleanup, focused,
	tabTo,
} from './lib.mjs';

const ORG = 'gkk';
const CODE = /^[0-9A-Z]{4}-[0-9A-Z]{6}$/;

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

async function context(options) {
	const ctx = await br.newContext(options);
	ctx.setDefaultTimeout(10000);
	return ctx;
}

// Submits a form with its button; returns the answer to the POST (or,
// after a redirect, to the GET it led to).
async function submit(page, button) {
	const [resp] = await Promise.all([
		page.waitForNavigation(),
		button.click(),
	]);
	return resp;
}

// The feedback commands of the staff, on the test's database.
function staff(...args) {
	return otk(env.db, ['--org', ORG, 'feedback', ...args]).trim();
}

test('a citizen sends an appeal by keyboard alone and tracks it', async () => {
	const ctx = await context();
	const page = await ctx.newPage();
	await page.goto(url(`/${ORG}/registry`));
	// From the public registry, the way to write.
	await tabTo(page, { tag: 'a', href: `/${ORG}/feedback` });
	await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
	assert.equal(await page.locator('h1').innerText(), 'Обратная связь');

	// The kind: Tab reaches the group, Space chooses the first one.
	await tabTo(page, { tag: 'input', name: 'kind', label: 'Обращение' });
	await page.keyboard.press('Space');
	assert.equal(await page.evaluate(() => document.activeElement.checked), true);
	await tabTo(page, { tag: 'select', id: 'f-form' });
	await page.keyboard.press('ArrowDown');	// a state service
	await tabTo(page, { tag: 'input', id: 'f-subject' });
	await page.keyboard.type('Запись на приём');
	await tabTo(page, { tag: 'textarea', id: 'f-text' });
	await page.keyboard.type('Не могу записаться на личный приём: форма не открывается.');
	// Anonymous is chosen already; straight to the button.
	await tabTo(page, { tag: 'button', text: 'Отправить сообщение' });
	await Promise.all([page.waitForURL(/\/feedback\/sent\//),
	    page.keyboard.press('Enter')]);
	const code = (await page.locator('#tracking-code').innerText()).trim();
	assert.match(code, CODE);
	assert.match(await page.locator('.steps').innerText(), /Шаг 2 из 2/);
	assert.equal(await page.locator('#history-key').count(), 0,
	    'no history key for an anonymous message');

	// To the status by the link, then the same through the form, with
	// the code typed the way people do.
	await tabTo(page, { tag: 'a', text: 'Посмотреть статус сообщения' });
	await Promise.all([page.waitForURL(new RegExp(`/track/${code}$`)),
	    page.keyboard.press('Enter')]);
	assert.equal(await page.locator('.state').innerText(), 'Зарегистрировано');
	await page.goto(url(`/${ORG}/track`));
	await tabTo(page, { tag: 'input', id: 'f-code' });
	await page.keyboard.type(code.replace('-', ' ').toLowerCase());
	await Promise.all([page.waitForURL(new RegExp(`/track/${code}$`)),
	    page.keyboard.press('Enter')]);
	assert.equal(await page.locator('h1').innerText(), `Сообщение ${code}`);

	// Answered: the answer and the question, "not solved" by keyboard.
	staff('take', code);
	staff('answer', '--text', 'Форма записи исправлена, попробуйте ещё раз.', code);
	await page.reload();
	assert.match(await page.locator('.answer').innerText(), /Форма записи исправлена/);
	await tabTo(page, { tag: 'button', text: 'Нет, проблема не решена' });
	await Promise.all([page.waitForURL(/\?done=reopened$/),
	    page.keyboard.press('Enter')]);
	assert.match(await page.getByRole('status').innerText(), /возвращено в работу/);
	assert.equal(await page.locator('.state').innerText(), 'В работе');
	assert.match(staff('show', code), /reopened\s+1/);
	await ctx.close();
});

test('a form with mistakes comes back with them marked, by keyboard', async () => {
	const ctx = await context();
	const page = await ctx.newPage();
	await page.goto(url(`/${ORG}/feedback`));
	// In a group with a choice made, Tab stops on the chosen one and the
	// arrows move the choice: to "I want an answer", and no address.
	await tabTo(page, { tag: 'input', id: 'f-anonymous' });
	await page.keyboard.press('ArrowDown');
	assert.equal(await page.evaluate(() => document.activeElement.id), 'f-anonymous-0');
	await tabTo(page, { tag: 'input', id: 'f-email' });
	await page.keyboard.type('ivanov');
	await tabTo(page, { tag: 'button', text: 'Отправить сообщение' });
	await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
	// The summary has the focus, and lists each field.
	const f = await focused(page);
	assert.equal(f?.id, 'errors', 'the error summary is focused');
	const items = await page.locator('#errors li').allInnerTexts();
	assert.deepEqual(items.map((t) => t.split(':')[0]),
	    ['Вид сообщения', 'Текст сообщения']);
	assert.equal(await page.locator('#f-text').getAttribute('aria-invalid'), 'true');
	assert.match(await page.locator('#f-text').getAttribute('aria-describedby'), /f-text-err/);
	assert.equal(await page.locator('#f-email').inputValue(), 'ivanov', 'the value is kept');
	// The first link of the summary is next.
	await page.keyboard.press('Tab');
	assert.match((await focused(page)).href, /^#f-/);
	await ctx.close();
});

test('without JavaScript: a proposal with contacts, the key, the history, the withdrawal', async () => {
	const ctx = await context({ javaScriptEnabled: false });
	const page = await ctx.newPage();
	await page.goto(url(`/${ORG}/feedback`));
	await page.getByLabel('Предложение').check();
	await page.getByLabel('Текст сообщения').fill('Сделайте запись на приём по субботам.');
	await page.getByLabel('Я хочу получить ответ — укажу контакты').check();
	await page.getByLabel('Фамилия, имя, отчество').fill('Петрова Анна Сергеевна');
	await page.getByLabel('Электронная почта').fill('petrova@example.ru');
	// Without the consent a proposal cannot keep contacts.
	let resp = await submit(page, page.getByRole('button', { name: 'Отправить сообщение' }));
	assert.equal(resp.status(), 400);
	assert.equal(await page.locator('#f-consent').getAttribute('aria-invalid'), 'true');
	assert.match(await page.locator('#f-consent-err').innerText(), /согласи/);
	assert.equal(await page.getByLabel('Электронная почта').inputValue(), 'petrova@example.ru');
	await page.getByLabel('Я согласен(на) на обработку моих персональных данных на этих условиях').check();
	resp = await submit(page, page.getByRole('button', { name: 'Отправить сообщение' }));
	assert.equal(resp.status(), 200);
	assert.equal(resp.headers()['cache-control'], 'no-store');
	const code = (await page.locator('#tracking-code').innerText()).trim();
	const key = (await page.locator('#history-key').innerText()).trim();
	assert.match(code, CODE);
	assert.match(key, /^[0-9a-f]{64}$/);
	assert.ok(!page.url().includes(key), 'the key is not in the address');

	// The history, opened by the button that sends the key in the body.
	resp = await submit(page, page.getByRole('button', { name: 'Открыть мои сообщения' }));
	assert.equal(resp.status(), 200);
	assert.equal(new URL(page.url()).pathname, `/${ORG}/my`);
	assert.deepEqual(await page.locator('tbody th a').allInnerTexts(), [code]);
	assert.doesNotMatch(await page.content(), /petrova@example\.ru/);
	resp = await submit(page, page.getByRole('button', { name: 'Отозвать согласие' }));
	assert.equal(resp.status(), 200);
	assert.match(await page.getByRole('status').innerText(),
	    /Согласие отозвано\. Ваши контактные данные будут уничтожены не позднее \d\d\.\d\d\.\d{4}/);

	// A quick rating of the tracking page, and back.
	await page.goto(url(`/${ORG}/track/${code}`));
	await page.getByLabel('4', { exact: true }).check();
	await page.getByLabel('Что можно улучшить (необязательно)').fill('Всё понятно');
	resp = await submit(page, page.getByRole('button', { name: 'Отправить оценку' }));
	assert.equal(resp.status(), 200);
	assert.equal(await page.locator('h1').innerText(), 'Спасибо за оценку');
	await submit(page, page.getByRole('link', { name: 'Вернуться на страницу' }));
	assert.equal(new URL(page.url()).pathname, `/${ORG}/track/${code}`);
	await ctx.close();
});

test('every page and every error state passes axe-core', async () => {
	// The pages' CSP forbids inline scripts; axe is injected by the test.
	const ctx = await context({ bypassCSP: true });
	const en = await context({ bypassCSP: true });
	await en.addCookies([{ name: 'lang', value: 'en', url: srv.url }]);
	const failures = [];
	// Checks the page a tab is on, as it arrived (a redirect's target
	// included), before axe is injected into it.
	const check = async (tab, label, resp, status) => {
		if (resp.status() !== status)
			failures.push(`${label}: status ${resp.status()}, not ${status}`);
		pages.push(keep(env.dir, `fbp-${pages.length}-` +
		    label.replace(/[^a-z0-9]+/gi, '_').slice(0, 50), await tab.content()));
		for (const v of await axe(tab))
			failures.push(`${label}: ${v}`);
	};
	const go = async (tab, label, path, status = 200) =>
		check(tab, label, await tab.goto(url(path)), status);
	const press = async (tab, label, button, status) =>
		check(tab, label, await submit(tab, tab.getByRole('button',
		    { name: button })), status);

	// The pages that need nothing sent, in two other tabs meanwhile
	// (axe takes most of the time).
	const plain = async () => {
		const tab = await ctx.newPage();
		await go(tab, 'registry with the quick form', `/${ORG}/registry`);
		await go(tab, 'the form', `/${ORG}/feedback`);
		await go(tab, 'track form', `/${ORG}/track`);
		await go(tab, 'track form: bad code', `/${ORG}/track?code=abc`, 400);
		await go(tab, 'track form: unknown code', `/${ORG}/track?code=0000-000000`, 404);
		await go(tab, 'history form', `/${ORG}/my`);
		await tab.getByLabel('Ключ истории').fill('не ключ');
		await press(tab, 'history form: bad key', 'Показать', 400);
	};
	const english = async () => {
		const tab = await en.newPage();
		await go(tab, 'the form in English', `/${ORG}/feedback`);
		await press(tab, 'form in English: empty', 'Send the message', 400);
		await go(tab, 'track form in English', `/${ORG}/track?code=abc`, 400);
	};

	// The form's error states, then what follows a message: nothing;
	// bad contacts; anonymous with contacts; a proposal without the
	// consent; bad and unknown keys; sent with the key.
	const flow = async () => {
		const tab = await ctx.newPage();
		const send = (label, status) => press(tab, label, 'Отправить сообщение', status);
		await tab.goto(url(`/${ORG}/feedback`));
		await send('form: empty', 400);
		await tab.getByLabel('Жалоба').check();
		await tab.getByLabel('Текст сообщения').fill('Текст');
		await tab.getByLabel('Я хочу получить ответ — укажу контакты').check();
		await tab.getByLabel('Электронная почта').fill('нет-почты');
		await send('form: bad e-mail', 400);
		await tab.getByLabel('Телефон').fill('12');
		await tab.getByLabel('Электронная почта').fill('');
		await send('form: bad phone', 400);
		await tab.getByLabel('Анонимно, без ответа').check();
		await tab.getByLabel('Телефон').fill('+7 347 123-45-67');
		await send('form: anonymous with contacts', 400);
		await tab.getByLabel('Предложение').check();
		await tab.getByLabel('Я хочу получить ответ — укажу контакты').check();
		await send('form: no consent', 400);
		await tab.getByLabel('Телефон').fill('');
		await tab.getByLabel('Ключ истории').fill('abc');
		await send('form: bad key', 400);
		await tab.getByLabel('Ключ истории').fill('0'.repeat(64));
		await send('form: unknown key', 400);
		await tab.getByLabel('Ключ истории').fill('');
		await tab.getByLabel('Электронная почта').fill('sidorov@example.ru');
		await tab.getByLabel('Я согласен(на) на обработку моих персональных данных на этих условиях').check();
		await send('sent, with the key', 200);
		const code = (await tab.locator('#tracking-code').innerText()).trim();
		const key = (await tab.locator('#history-key').innerText()).trim();
		await go(tab, 'the confirmation', `/${ORG}/feedback/sent/${code}`);
		// Tracking before and after the answer, the client's reply.
		await go(tab, 'track page', `/${ORG}/track/${code}`);
		staff('take', code);
		staff('answer', '--text', 'Спасибо, предложение учтём.', code);
		await go(tab, 'track page, answered', `/${ORG}/track/${code}`);
		await press(tab, 'track: solved', 'Да, проблема решена', 200);
		const entab = await en.newPage();
		await go(entab, 'track page in English', `/${ORG}/track/${code}`);
		// The history and the withdrawal.
		await tab.goto(url(`/${ORG}/my`));
		await tab.getByLabel('Ключ истории').fill(key);
		await press(tab, 'history', 'Показать', 200);
		await press(tab, 'history: withdrawn', 'Отозвать согласие', 200);
		// Quick ratings: without a rating, then thanks.
		await tab.goto(url(`/${ORG}/feedback`));
		await press(tab, 'rating: none chosen', 'Отправить оценку', 400);
		await tab.getByLabel('5', { exact: true }).check();
		await press(tab, 'rating: thanks', 'Отправить оценку', 200);
	};
	await Promise.all([flow(), plain(), english()]);
	assert.deepEqual(failures, []);
	assert.ok(pages.length >= 25, `only ${pages.length} pages were checked`);
	await ctx.close();
	await en.close();
});

test('a phone-sized screen needs no sideways scrolling', async () => {
	const ctx = await context({ viewport: { width: 375, height: 800 } });
	const page = await ctx.newPage();
	for (const p of [`/${ORG}/feedback`, `/${ORG}/track`, `/${ORG}/my`]) {
		await page.goto(url(p));
		const wide = await page.evaluate(() =>
		    document.documentElement.scrollWidth > window.innerWidth + 1);
		assert.equal(wide, false, `${p} fits the screen`);
	}
	await ctx.close();
});
