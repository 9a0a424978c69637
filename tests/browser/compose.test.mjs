// Adding a document and correcting a place through the UI, against a real `karta serve` whose
// write token is made the way an operator makes one (`karta token create`). Both must persist
// across a reload, and the correction must be in the event's audit trail.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { artifacts, createToken, databaseWithToken, hydrated, launch, listIds, newPage, startServer } from "./harness.mjs";

// A short report written for this test, on the facts of the 2020 Karabakh war.
const REPORT =
  "On 14 October 2020, Armenian artillery shelled villages across Tartar, wounding three civilians, " +
  "the Azerbaijani defence ministry said.";
// GeoNames ids: the district of Tartar (the gazetteer first resolves the name to its chief town)
// and the town of Barda.
const TARTAR_DISTRICT = 409420;
const BARDA = 587057;

let server;
let browser;
let token;
let db;

before(async () => {
  const made = databaseWithToken("browser-test");
  token = made.token;
  db = made.db;
  server = await startServer([], {}, made.db);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.stop();
});

/** Saves an English report with the editor's token; the stored document and its events. */
async function saveReport(text) {
  return fetch(`${server.url}/api/documents`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
    body: JSON.stringify({ text, lang: "en" }),
  }).then((r) => r.json());
}

/** The console errors other than the browser's own report of an expected 401. */
function unexpected(errors) {
  return errors.filter((e) => !/status of 401/.test(e));
}

test("a pasted report is previewed, corrected, saved with the token and found after a reload", async () => {
  const page = await newPage(browser);
  // A view filtered on protests, which would hide the shelling about to be added.
  await page.goto(server.url + "/?type=protests");
  await hydrated(page);
  await page.click("button.add-document");
  const dialog = page.locator("dialog.compose");
  await dialog.waitFor();
  // The text field has the focus, so a keyboard user types at once.
  assert.equal(await page.evaluate(() => document.activeElement?.name), "text");
  await page.keyboard.insertText(REPORT);
  await dialog.getByLabel("Published").fill("2020-10-14");
  await dialog.getByLabel("Language").fill("en");
  await dialog.getByLabel("Title").fill("Tartar shelled");

  // After a pause the place names are highlighted, each with its place, and the event listed.
  const tartar = dialog.locator("mark.place button", { hasText: "Tartar" });
  await tartar.waitFor({ timeout: 15_000 });
  assert.match(await tartar.getAttribute("aria-label"), /Tartar, AZ \(town\)/);
  await dialog.locator(".found-events li").first().waitFor();
  assert.match(await dialog.locator(".found-events").textContent(), /Explosions, remote violence/);

  // The town is wrong: the report means the villages of the district. Pick it among the
  // candidates.
  await tartar.click();
  const picker = dialog.locator(".picker");
  await picker.waitFor();
  // Escape closes the picker only, not the dialog.
  await page.keyboard.press("Escape");
  await picker.waitFor({ state: "detached" });
  assert.ok(await dialog.isVisible());
  await tartar.click();
  await picker.waitFor();
  await picker.locator(`button[data-place-id='${TARTAR_DISTRICT}']`).click();
  await dialog.locator("mark.place.corrected", { hasText: "Tartar" }).waitFor();
  // The event names the district by its usual English name (GeoNames' main name: Tərtər).
  assert.match(await dialog.locator(".found-events").textContent(), /Tartar, AZ \(province\)/);
  await page.screenshot({ path: join(artifacts, "compose-preview.png") });

  // Saving asks for the token; a wrong one is refused with a clear message and asked again.
  await dialog.getByRole("button", { name: "Save" }).click();
  const prompt = dialog.locator(".token-prompt");
  await prompt.waitFor();
  assert.match(await prompt.textContent(), /needs a write token/);
  await prompt.getByLabel("Write token").fill("karta_not-a-token");
  await prompt.getByRole("button", { name: "Use this token" }).click();
  await prompt.getByText(/refused this token/).waitFor();
  assert.equal(await page.evaluate(() => localStorage.getItem("karta-token")), null);
  await prompt.getByLabel("Write token").fill(token);
  await prompt.getByRole("button", { name: "Use this token" }).click();

  // Saved: the dialog closes and the new event opens on the map, already at the district; the
  // filter that would have hidden it is cleared.
  await dialog.waitFor({ state: "hidden" });
  await page.waitForFunction(() => new URLSearchParams(location.search).has("sel"));
  const id = Number(new URL(page.url()).searchParams.get("sel"));
  assert.equal(new URL(page.url()).searchParams.get("type"), null);
  await page.locator(".event-card", { hasText: "shelled villages across Tartar" }).waitFor();
  await page.waitForSelector(`.event-row[data-event-id='${id}']`);
  let event = await (await page.request.get(`${server.url}/api/events/${id}`)).json();
  assert.equal(event.places[0].place_id, TARTAR_DISTRICT);
  assert.equal(event.status, "corrected");

  // A reload brings the same view back, with the new event listed and its card open.
  await page.reload();
  await hydrated(page);
  await page.waitForSelector(`.event-row[data-event-id='${id}']`);
  assert.ok((await listIds(page)).includes(id));
  const card = page.locator(".event-card", { hasText: "shelled villages across Tartar" });
  await card.waitFor();

  // Correct the place from the card: search the gazetteer and pick Barda.
  await card.locator("mark.place button", { hasText: "Tartar" }).click();
  await card.locator(".picker").waitFor();
  // The focus starts on the first candidate: the place the event is at now.
  await page.waitForFunction((id) => document.activeElement?.dataset.placeId === id, String(TARTAR_DISTRICT));
  const search = card.getByLabel("Another place");
  await search.fill("Barda");
  const barda = card.locator(`.search-results button[data-place-id='${BARDA}']`);
  await barda.waitFor();
  await page.screenshot({ path: join(artifacts, "correct-search.png") });
  await barda.click();
  await card.locator(".corrected", { hasText: "Barda" }).waitFor();
  await page.waitForTimeout(700);
  await page.screenshot({ path: join(artifacts, "correct-place.png") });

  // After a reload the event is at Barda, and the audit trail lists both corrections.
  await page.reload();
  await hydrated(page);
  await page.waitForSelector(`.event-row[data-event-id='${id}']`);
  const row = await page.textContent(`.event-row[data-event-id='${id}'] strong`);
  assert.equal(row, "Barda");
  event = await (await page.request.get(`${server.url}/api/events/${id}`)).json();
  assert.equal(event.places[0].place_id, BARDA);
  assert.ok(Math.abs(event.geometry.lat - 40.3758) < 0.01 && Math.abs(event.geometry.lon - 47.1262) < 0.01);
  const corrections = await (await page.request.get(`${server.url}/api/events/${id}/corrections`, {
    headers: { authorization: `Bearer ${token}` }, // the token's name is for token holders
  })).json();
  assert.deepEqual(
    corrections.map((c) => [c.who, c.after.places[0].place_id]),
    [["browser-test", TARTAR_DISTRICT], ["browser-test", BARDA]],
  );
  assert.deepEqual(unexpected(page.errors), []);
});

test("the dialog works from the keyboard and fits a phone", async () => {
  const page = await newPage(browser, { viewport: { width: 390, height: 800 }, hasTouch: true });
  await page.goto(server.url + "/");
  await hydrated(page);
  await page.focus("button.add-document");
  await page.keyboard.press("Enter");
  const dialog = page.locator("dialog.compose");
  await dialog.waitFor();
  const box = await dialog.boundingBox();
  assert.ok(box.x >= 0 && box.x + box.width <= 390, `the dialog spans ${box.x}..${box.x + box.width}`);
  for (const label of ["Text", "Title", "URL", "Published", "Language"]) {
    assert.equal(await dialog.getByLabel(label, { exact: true }).count(), 1, `no field labelled ${label}`);
  }
  await page.screenshot({ path: join(artifacts, "compose-phone.png") });
  await page.keyboard.press("Escape");
  await dialog.waitFor({ state: "hidden" });
  assert.equal(await page.evaluate(() => document.activeElement?.className), "add-document");
  assert.deepEqual(page.errors, []);
});

test("dropping the only place of an event from its card hides it, across a reload", async () => {
  const saved = await saveReport("On 12 November 2020, thousands of protesters gathered in Goris against the ceasefire.");
  assert.equal(saved.events.length, 1);
  const id = saved.events[0].id;
  const page = await newPage(browser);
  await page.goto(`${server.url}/?sel=${id}`);
  await hydrated(page);
  const card = page.locator(".event-card", { hasText: "protesters gathered in Goris" });
  await card.waitFor();
  await card.locator("mark.place button", { hasText: "Goris" }).click();
  // Escape closes the picker and gives the focus back to the place name; the card stays.
  await card.locator(".picker").waitFor();
  await page.keyboard.press("Escape");
  await card.locator(".picker").waitFor({ state: "detached" });
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), "Goris");
  await page.keyboard.press("Enter");
  await card.getByRole("button", { name: "Drop: hide the event" }).click();
  // Deleting asks first.
  await card.getByRole("alertdialog").waitFor();
  await card.getByRole("button", { name: "Delete", exact: true }).click();
  // This browser has no token yet: the card asks for it, then sends the correction.
  await card.getByLabel("Write token").fill(token);
  await card.getByRole("button", { name: "Use this token" }).click();
  await card.waitFor({ state: "detached" });
  await page.waitForFunction(() => !new URLSearchParams(location.search).has("sel"));
  await page.reload();
  await hydrated(page);
  await page.waitForFunction(() => !document.querySelector(".status"));
  assert.ok(!(await listIds(page)).includes(id));
  const event = await (await page.request.get(`${server.url}/api/events/${id}`, {
    headers: { authorization: `Bearer ${token}` }, // a deleted event is for token holders
  })).json();
  assert.equal(event.deleted, true);
  const corrections = await (await page.request.get(`${server.url}/api/events/${id}/corrections`, {
    headers: { authorization: `Bearer ${token}` }, // the token's name is for token holders
  })).json();
  assert.equal(corrections.length, 1);
  assert.equal(corrections[0].who, "browser-test");
  assert.deepEqual(page.errors, []);
});

/** A page on the map with event `id` selected and the editor's token kept in the browser. */
async function selectedWithToken(id) {
  const page = await newPage(browser);
  await page.goto(`${server.url}/`);
  await hydrated(page);
  await page.evaluate((t) => localStorage.setItem("karta-token", t), token);
  await page.goto(`${server.url}/?sel=${id}`);
  await hydrated(page);
  return page;
}

test("an event placed from its document, its place named nowhere in its sentence, is corrected too", async () => {
  const features = (await (await fetch(`${server.url}/api/events.geojson?limit=1000`)).json()).features;
  let target;
  for (const f of features) {
    const detail = await (await fetch(`${server.url}/api/events/${f.properties.id}`)).json();
    if (detail.places.length === 1 && detail.places[0].mention === null) {
      target = detail;
      break;
    }
  }
  assert.ok(target, "a demo event placed from its document");
  const page = await newPage(browser);
  await page.goto(`${server.url}/?sel=${target.id}`);
  await hydrated(page);
  const card = page.locator(".event-card:not(.missing)");
  await card.waitFor();
  const button = card.locator("button.correct-place");
  assert.equal(await button.getAttribute("aria-label"), `Correct the place: ${target.places[0].name}`);
  await button.click();
  await card.locator(".picker").waitFor();
  await page.keyboard.press("Escape");
  await card.locator(".picker").waitFor({ state: "detached" });
  assert.equal(await page.evaluate(() => document.activeElement?.className), "correct-place");
  await button.click();
  await card.locator(".picker .search input").fill("Shusha");
  await card.locator(".search-results button", { hasText: "Shusha" }).first().click();
  await card.getByLabel("Write token").fill(token);
  await card.getByRole("button", { name: "Use this token" }).click();
  await card.locator(".corrected").waitFor();
  assert.match(await card.locator(".corrected").textContent(), /Corrected: the event is at Shusha/);
  await page.screenshot({ path: join(artifacts, "correct-unnamed-place.png") });
  assert.deepEqual(page.errors, []);
});

test("deleting from the card asks first and can be undone", async () => {
  const saved = await saveReport("On 14 November 2020, hundreds of protesters gathered in Sisian against the ceasefire.");
  const id = saved.events[0].id;
  const page = await selectedWithToken(id);
  const card = page.locator(".event-card", { hasText: "protesters gathered in Sisian" });
  await card.waitFor();
  // "Keep it" leaves the event as it was.
  await card.getByRole("button", { name: "Delete event" }).click();
  await card.getByRole("button", { name: "Keep it" }).click();
  await card.getByRole("alertdialog").waitFor({ state: "detached" });
  assert.ok(await card.isVisible());
  await card.getByRole("button", { name: "Delete event" }).click();
  await card.getByRole("button", { name: "Delete", exact: true }).click();
  await card.waitFor({ state: "detached" });
  const undo = page.locator(".undo", { hasText: "Event deleted." });
  await undo.waitFor();
  await page.screenshot({ path: join(artifacts, "delete-undo.png") });
  assert.ok(!(await listIds(page)).includes(id));
  await undo.getByRole("button", { name: "Undo" }).click();
  await card.waitFor();
  await undo.waitFor({ state: "detached" });
  await page.waitForFunction(
    async (i) => (await fetch(`/api/events/${i}`).then((r) => r.json())).deleted === false,
    id,
  );
  const corrections = await (await page.request.get(`${server.url}/api/events/${id}/corrections`, {
    headers: { authorization: `Bearer ${token}` },
  })).json();
  assert.equal(corrections.length, 2, "the deletion and its undoing are both recorded");
  assert.deepEqual(page.errors, []);
});

test("a reviewer marks an event verified from its card, and the filter finds it", async () => {
  const saved = await saveReport("On 2 November 2020, Azerbaijani drones struck a convoy near Lachin, killing two soldiers.");
  const id = saved.events[0].id;
  const reviewer = createToken(db, "reviewer", "reviewer");
  // The editor's token kept in this browser may correct, not verify.
  const page = await selectedWithToken(id);
  const card = page.locator(".event-card", { hasText: "convoy near Lachin" });
  await card.waitFor();
  assert.match(await card.locator("dd.event-status").textContent(), /not reviewed/);
  await card.getByRole("button", { name: "Mark verified" }).click();
  const prompt = card.locator(".token-prompt");
  await prompt.getByText(/may not do that/).waitFor();
  assert.equal(await page.evaluate(() => localStorage.getItem("karta-token")), token, "kept");
  await prompt.getByLabel("Write token").fill(reviewer);
  await prompt.getByRole("button", { name: "Use this token" }).click();
  await card.getByText(/^Verified:/).waitFor();
  await card.getByRole("button", { name: "Unmark verified" }).waitFor();
  await page.screenshot({ path: join(artifacts, "verified-card.png") });
  const stored = await fetch(`${server.url}/api/events/${id}`).then((r) => r.json());
  assert.equal(stored.status, "verified");
  // The filter keeps only the verified events, and the address keeps the filter.
  await page.locator("#filter-status").selectOption("verified");
  await page.waitForFunction(() => location.search.includes("status=verified"));
  await page.waitForFunction(
    (i) => {
      const ids = [...document.querySelectorAll(".event-row")].map((r) => Number(r.dataset.eventId));
      return ids.length === 1 && ids[0] === i;
    },
    id,
  );
  await page.locator(".event-row", { hasText: "convoy near Lachin" }).getByText("✓ verified").waitFor();
  assert.deepEqual(unexpected(page.errors).filter((e) => !/status of 403/.test(e)), []);
});
