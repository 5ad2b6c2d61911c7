// Our styles and the host theme's (Bootstrap 4.6 in the stand-in, as in WHMCS's default theme) must
// not touch each other. Compares computed styles with one stylesheet switched off and on:
//   - every element outside #eb-console, with and without our app.css: ours must not leak out;
//   - every element inside #eb-console, with and without the theme: theirs must not break ours.
// Sizes and auto margins follow the host's layout (its container widths), so they are not compared.

const PROPS = ['font-family', 'font-size', 'font-weight', 'font-style', 'line-height', 'letter-spacing', 'text-transform',
  'text-decoration-line', 'color', 'background-color', 'margin-top', 'margin-bottom', 'padding-top', 'padding-right',
  'padding-bottom', 'padding-left', 'border-top-width', 'border-right-width', 'border-bottom-width', 'border-left-width',
  'border-top-color', 'border-radius', 'box-sizing', 'display', 'vertical-align', 'list-style-type', 'box-shadow', 'outline-style'];

/**
 * Runs in the page, in one go: no event or timer can change the page between the four readings
 * (getComputedStyle recomputes styles synchronously).
 */
function readAll([props, ours, theirs]) {
  const root = document.getElementById('eb-console');
  const skip = new Set(['SCRIPT', 'STYLE', 'LINK', 'TEMPLATE', 'META', 'TITLE']);
  const elements = [...document.body.querySelectorAll('*')].filter((e) => !skip.has(e.tagName));
  const names = elements.map((e, i) => `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''}${e.classList.length ? `.${[...e.classList].slice(0, 3).join('.')}` : ''} (#${i})`);
  const read = (inside) => elements.map((e) => (root.contains(e) === inside ? Object.fromEntries(props.map((p) => [p, getComputedStyle(e).getPropertyValue(p)])) : null));
  const sheet = (selector, enabled) => { document.querySelector(selector).sheet.disabled = !enabled; };
  const hostWith = read(false);
  sheet(ours, false);
  const hostWithout = read(false);
  sheet(ours, true);
  const oursWith = read(true);
  sheet(theirs, false);
  const oursWithout = read(true);
  sheet(theirs, true);
  const diff = (without, withSheet) => {
    const out = [];
    without.forEach((styles, i) => {
      if (!styles) return;
      for (const [prop, value] of Object.entries(styles)) {
        if (value !== withSheet[i][prop]) out.push(`${names[i]} ${prop}: ${value} -> ${withSheet[i][prop]}`);
      }
    });
    return out;
  };
  return { leaked: diff(hostWithout, hostWith), broken: diff(oursWithout, oursWith) };
}

/** @returns {Promise<{ leaked: string[], broken: string[] }>} style differences each way (empty = isolated) */
export async function themeIsolation(page) {
  // Freeze transitions and animations (ours are !important-scoped, hence the doubled id).
  await page.addStyleTag({ content: '*, *::before, *::after, #eb-console#eb-console * { transition: none !important; animation: none !important; }' });
  return page.evaluate(readAll, [PROPS, 'link[href*="/css/app.css"]', '#standin-theme']);
}
