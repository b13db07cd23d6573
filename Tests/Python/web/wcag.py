"""WCAG 2.x contrast measured in the browser, on what Chromium computed for the open page.

`text_contrast(browser)` walks every element with visible text (text nodes of its own, the value of
a text field or button, a select's chosen option, a placeholder) and paints it as the browser does:
from the canvas (white) down through each ancestor's `background-color` to the element, alpha
composited, an ancestor's `opacity` applied to everything it paints (text and backgrounds alike),
and for SVG text the shape drawn under it (a heat-map cell). The text's colour is its computed
`color` (`fill` for SVG text). It returns the elements whose contrast ratio is under 4.5:1, or
3:1 for large text (at least 24 px, or 18.66 px and bold), with their text, both colours and the
ratio. Disabled controls are left out, as WCAG 1.4.3 does.

`focus_ring(browser)` measures the outline of the focused element against the colour it is drawn
on (what is painted at each side of the ring for an outline outside the element's box, the
element's own background for one drawn inside it), the worst side: WCAG 1.4.11 asks 3:1."""

PAINT = r"""
const CLEAR = {r: 0, g: 0, b: 0, a: 0}, CANVAS = {r: 255, g: 255, b: 255, a: 1};
function colour(text) {
    const m = /rgba?\(([^)]*)\)/.exec(text || '');
    if (!m) return null;
    const p = m[1].split(/[\s,\/]+/).filter(Boolean).map(Number);
    return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1};
}
function over(top, bottom) {
    const a = top.a + bottom.a * (1 - top.a);
    if (a === 0) return CLEAR;
    const mix = k => (top[k] * top.a + bottom[k] * bottom.a * (1 - top.a)) / a;
    return {r: mix('r'), g: mix('g'), b: mix('b'), a};
}
function luminance(c) {
    const channel = v => { v /= 255; return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
}
function ratio(x, y) {
    const [light, dark] = [luminance(x), luminance(y)].sort((p, q) => q - p);
    return (light + 0.05) / (dark + 0.05);
}
function hex(c) { return '#' + ['r', 'g', 'b'].map(k => Math.round(c[k]).toString(16).padStart(2, '0')).join(''); }
function chainOf(element) {
    const chain = [];
    for (let node = element; node; node = node.parentElement) chain.unshift(node);
    return chain;
}
// Paints chain[i..] over `under` (what lies below chain[i] in its group) and returns the
// background at the end of the chain and `ink` drawn on it. An element with opacity below 1 is
// a group: painted from transparent, then faded and composited over what lies below it.
function paintFrom(chain, i, under, ink) {
    const opacity = Number(getComputedStyle(chain[i]).opacity);
    if (opacity >= 1) return paintInside(chain, i, under, ink);
    const inner = paintInside(chain, i, CLEAR, ink);
    const fade = c => ({r: c.r, g: c.g, b: c.b, a: c.a * opacity});
    return {bg: over(fade(inner.bg), under), fg: inner.fg && over(fade(inner.fg), under)};
}
function paintInside(chain, i, under, ink) {
    let bg = over(colour(getComputedStyle(chain[i]).backgroundColor) || CLEAR, under);
    if (i < chain.length - 1) return paintFrom(chain, i + 1, bg, ink);
    if (ink.under) bg = over(ink.under, bg);
    return {bg, fg: ink.colour ? over(ink.colour, bg) : null};
}
function painted(element, ink) { return paintFrom(chainOf(element), 0, CANVAS, ink); }
function describe(element) {
    const parts = [];
    for (let node = element; node && node !== document.body && parts.length < 4; node = node.parentElement) {
        let part = node.tagName.toLowerCase();
        if (node.id) part += '#' + node.id;
        const classes = (node.getAttribute('class') || '').trim();
        if (classes) part += '.' + classes.split(/\s+/).join('.');
        parts.unshift(part);
    }
    return parts.join(' > ');
}
"""

TEXT_CONTRAST = PAINT + r"""
const SKIPPED = new Set(['SCRIPT', 'STYLE', 'TITLE', 'DESC', 'OPTION', 'NOSCRIPT', 'TEMPLATE']);
const NO_TEXT = new Set(['hidden', 'radio', 'checkbox', 'range', 'color', 'file', 'image']);
function shownText(element) {
    if (element instanceof HTMLSelectElement) {
        const chosen = element.options[element.selectedIndex];
        return chosen ? {text: chosen.text} : null;
    }
    if (element instanceof HTMLInputElement || element instanceof HTMLTextAreaElement) {
        if (NO_TEXT.has(element.type)) return null;
        if (element.value) return {text: element.value};
        if (element.placeholder) return {text: element.placeholder, pseudo: '::placeholder'};
        return null;
    }
    const own = [...element.childNodes].filter(n => n.nodeType === Node.TEXT_NODE).map(n => n.textContent).join('').trim();
    return own ? {text: own} : null;
}
function visible(element) {
    const box = element.getBoundingClientRect();
    if (box.width <= 1 || box.height <= 1) return false;
    for (let node = element; node; node = node.parentElement) {
        const style = getComputedStyle(node);
        if (style.visibility !== 'visible' || Number(style.opacity) === 0) return false;
        if (style.clipPath !== 'none') return false;
    }
    return true;
}
// The SVG shape painted last under the middle of `text`, in the same SVG: its fill.
function shapeUnder(text) {
    const box = text.getBoundingClientRect(), x = box.left + box.width / 2, y = box.top + box.height / 2;
    let found = null;
    for (const shape of text.ownerSVGElement.querySelectorAll('rect, circle, ellipse, path, polygon')) {
        if (shape.compareDocumentPosition(text) & Node.DOCUMENT_POSITION_PRECEDING) break;
        const area = shape.getBoundingClientRect();
        if (x < area.left || x > area.right || y < area.top || y > area.bottom) continue;
        const style = getComputedStyle(shape), fill = colour(style.fill);
        if (fill) found = {r: fill.r, g: fill.g, b: fill.b, a: fill.a * Number(style.fillOpacity)};
    }
    return found;
}
const failures = [];
let checked = 0;
for (const element of document.body.querySelectorAll('*')) {
    if (SKIPPED.has(element.tagName.toUpperCase())) continue;
    const shown = shownText(element);
    if (!shown || !visible(element)) continue;
    if (element.closest('button:disabled, input:disabled, select:disabled, textarea:disabled, fieldset:disabled')) continue;
    const style = getComputedStyle(element, shown.pseudo || null);
    const isSVG = element instanceof SVGElement;
    let ink = colour(isSVG ? style.fill : style.color);
    if (!ink) continue;
    if (isSVG) ink = {r: ink.r, g: ink.g, b: ink.b, a: ink.a * Number(style.fillOpacity)};
    const {bg, fg} = painted(element, {colour: ink, under: isSVG && element.ownerSVGElement ? shapeUnder(element) : null});
    const size = parseFloat(style.fontSize), bold = Number(style.fontWeight) >= 700;
    const large = size >= 24 || (size >= 18.66 && bold);
    const needed = large ? 3 : 4.5, measured = ratio(fg, bg);
    checked += 1;
    if (measured < needed) {
        failures.push({element: describe(element), text: shown.text.replace(/\s+/g, ' ').slice(0, 60), colour: hex(fg),
                       background: hex(bg), ratio: Math.floor(measured * 100) / 100, needed, size, bold});
    }
}
return {checked, failures};
"""

FOCUS_RING = PAINT + r"""
const element = document.activeElement;
if (!element || element === document.body || element === document.documentElement) return null;
const style = getComputedStyle(element);
const width = parseFloat(style.outlineWidth) || 0, offset = parseFloat(style.outlineOffset) || 0;
const outline = colour(style.outlineColor) || CLEAR;
// What the outline is drawn on: for one outside the element's box, whatever is painted at the
// middle of each of the ring's four sides (a positioned element may sit over another's
// background, as the skip link over the header); for one inside, the element's own background.
const behind = [];
if (offset < 0) {
    behind.push(element);
} else {
    const box = element.getBoundingClientRect(), d = offset + width / 2;
    const middle = {x: box.left + box.width / 2, y: box.top + box.height / 2};
    for (const [x, y] of [[box.left - d, middle.y], [box.right + d, middle.y], [middle.x, box.top - d], [middle.x, box.bottom + d]]) {
        if (x < 0 || y < 0 || x >= window.innerWidth || y >= window.innerHeight) continue;
        const under = document.elementsFromPoint(x, y).find(e => e !== element && !element.contains(e));
        if (under) behind.push(under);
    }
    if (!behind.length && element.parentElement) behind.push(element.parentElement);
}
let worst = null;
for (const under of behind) {
    const bg = painted(under, {}).bg, drawn = over(outline, bg), measured = ratio(drawn, bg);
    if (!worst || measured < worst.measured) worst = {measured, drawn, bg, under};
}
return {element: describe(element), text: (element.innerText || element.value || '').replace(/\s+/g, ' ').slice(0, 40),
        style: style.outlineStyle, width, colour: hex(worst.drawn), background: hex(worst.bg), behind: describe(worst.under),
        ratio: Math.floor(worst.measured * 100) / 100};
"""


def text_contrast(browser):
    """{checked: how many elements with text were measured, failures: those under AA}."""
    return browser.execute_script(TEXT_CONTRAST)


def focus_ring(browser):
    """The focused element's outline: style, width, colour, the colour behind it (and the element
    painted there) and their ratio, at the ring's worst side; None when nothing is focused."""
    return browser.execute_script(FOCUS_RING)


def describe_failure(page, failure):
    return (f"{page}: {failure['element']} “{failure['text']}”: {failure['colour']} on {failure['background']} is "
            f"{failure['ratio']}:1, under {failure['needed']}:1 ({failure['size']:g} px{' bold' if failure['bold'] else ''})")
