// A karta whose reads are private (`karta serve --private-reads`): a browser is sent to the
// sign-in form first, a wrong token is refused, the right one opens the map with its events, and
// the download link, the document pages and later visits work through the session cookie until
// the browser signs out. The token is made the way an operator makes one (`karta token create`).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { artifacts, databaseWithToken, hydrated, launch, listIds, newPage, startServer } from "./harness.mjs";

let server;
let browser;
let token;

before(async () => {
  const made = databaseWithToken("reader");
  token = made.token;
  server = await startServer(["--private-reads"], {}, made.db);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.stop();
});

test("a browser signs in once to read a private map, its downloads and documents, then signs out", async () => {
  const page = await newPage(browser);
  await page.goto(`${server.url}/?z=4&lat=40&lon=46.5`);
  // Sent to the form, which knows where to come back to.
  assert.equal(new URL(page.url()).pathname, "/session");
  assert.equal(new URL(page.url()).searchParams.get("next"), "/?z=4&lat=40&lon=46.5");

  await page.getByLabel("Token").fill("karta_not-a-token");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("alert").getByText(/not valid/).waitFor();
  assert.equal(new URL(page.url()).pathname, "/session");

  await page.getByLabel("Token").fill(token);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((u) => u.pathname === "/");
  await hydrated(page);
  assert.equal(Number(new URL(page.url()).searchParams.get("z")), 4);
  await page.waitForFunction(() => document.querySelectorAll(".event-row").length > 0);
  const ids = await listIds(page);
  assert.ok(ids.length > 0, "the map lists the demo events");
  await page.screenshot({ path: join(artifacts, "private-map.png") });

  // The download link and the API answer the signed-in browser; the cookie is not readable
  // by scripts.
  const href = await page.getAttribute("a[download='karta-events.geojson']", "href");
  const download = await page.evaluate(async (h) => {
    const r = await fetch(h);
    return { status: r.status, body: await r.json() };
  }, href);
  assert.equal(download.status, 200);
  assert.ok(download.body.features.length > 0);
  assert.equal(await page.evaluate(() => document.cookie), "");

  // A document page renders for the signed-in browser.
  const doc = await page.evaluate(async () => (await (await fetch("/api/events?limit=1")).json()).events[0].document_id);
  await page.goto(`${server.url}/documents/${doc}`);
  assert.equal(new URL(page.url()).pathname, `/documents/${doc}`);
  await page.locator(".document-text").waitFor();

  // Another browser, not signed in, reads nothing.
  const stranger = await newPage(browser);
  assert.equal((await stranger.request.get(`${server.url}/api/events`)).status(), 401);
  await stranger.goto(`${server.url}/documents/${doc}`);
  assert.equal(new URL(stranger.url()).pathname, "/session");
  await stranger.context().close();

  // The map of a signed-in browser has a way out, which leads back to the form, and the map is
  // closed again.
  await page.goto(`${server.url}/`);
  await hydrated(page);
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL((u) => u.pathname === "/session");
  await page.goto(`${server.url}/`);
  assert.equal(new URL(page.url()).pathname, "/session");
  assert.deepEqual(page.errors.filter((e) => !/status of 401/.test(e)), []);
  await page.context().close();
});
