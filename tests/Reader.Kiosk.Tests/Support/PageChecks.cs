using System.Text.Json;
using Microsoft.Playwright;

namespace Reader.Kiosk.Tests.Support;

/// <summary>
/// Measurements on the kiosk page as the patient sees it (computed styles, not the style sheet): text size, the
/// staff panel, the keyboard focus ring, modal dialogs, axe-core. Each returns what is wrong (empty: all is well).
/// Shared with the end-to-end tests (linked there), which measure the same page in the real flow.
/// </summary>
internal static class PageChecks
{
    /// <summary>Visible text set smaller than <paramref name="minimumPx"/> CSS px (the brand included: a patient reads everything).</summary>
    public static Task<string[]> SmallTextAsync(this IPage page, double minimumPx = 18) => page.EvaluateAsync<string[]>("""
        min => {
          const small = [];
          const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
          for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const text = node.textContent.trim();
            const el = node.parentElement;
            if (!text || !el || el.closest('.visually-hidden, [hidden], .font-warm-up')) continue;
            const style = getComputedStyle(el);
            if (style.visibility === 'hidden' || style.display === 'none' || el.getClientRects().length === 0) continue;
            const size = parseFloat(style.fontSize);
            if (size < min - 0.01) small.push(`${size.toFixed(1)}px "${text.slice(0, 30)}"`);
          }
          return small;
        }
        """, minimumPx);

    /// <summary>A staff panel is shown only with something in it, and never fills the screen.</summary>
    public static Task<string[]> StaffPanelProblemsAsync(this IPage page) => page.EvaluateAsync<string[]>("""
        () => Array.from(document.querySelectorAll('#main .panel.staff')).flatMap(p => {
          const problems = [];
          if (!p.textContent.trim()) problems.push('an empty staff panel');
          const main = document.getElementById('main').getBoundingClientRect();
          if (p.getBoundingClientRect().height > main.height * 0.45) problems.push(`the staff panel fills ${Math.round(100 * p.getBoundingClientRect().height / main.height)}% of the screen`);
          return problems;
        })
        """);

    /// <summary>Anything that overflows the screen or the main area (the kiosk never scrolls).</summary>
    public static Task<string[]> OverflowAsync(this IPage page) => page.EvaluateAsync<string[]>("""
        () => {
          const problems = [];
          const d = document.documentElement, m = document.getElementById('main');
          if (d.scrollWidth > d.clientWidth + 1 || d.scrollHeight > d.clientHeight + 1) problems.push(`document ${d.scrollWidth}x${d.scrollHeight}`);
          if (m.scrollHeight > m.clientHeight + 1 || m.scrollWidth > m.clientWidth + 1) problems.push(`main ${m.scrollWidth}x${m.scrollHeight} > ${m.clientWidth}x${m.clientHeight}`);
          return problems;
        }
        """);

    /// <summary>
    /// Walks the keyboard focus with Tab through every control (at most <paramref name="maxSteps"/>) and measures each
    /// focus ring: drawn (≥ 2 px, not "none"), and ≥ 3:1 against the colour around it (WCAG 2.4.11 / 1.4.11).
    /// </summary>
    public static async Task<IReadOnlyList<string>> FocusRingProblemsAsync(this IPage page, int maxSteps = 40)
    {
        var problems = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < maxSteps; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            var ring = await page.EvaluateAsync<JsonElement>(FocusRingScript);
            var name = ring.GetProperty("name").GetString() ?? "?";
            if (!seen.Add(name))
            {
                break;
            }

            if (ring.GetProperty("skip").GetBoolean())
            {
                continue;
            }

            var contrast = ring.GetProperty("contrast").GetDouble();
            var width = ring.GetProperty("width").GetDouble();
            if (ring.GetProperty("style").GetString() == "none" || width < 2 || contrast < 3)
            {
                problems.Add($"{name}: ring {ring.GetProperty("style").GetString()} {width}px {ring.GetProperty("color").GetString()} on {ring.GetProperty("background").GetString()} = {contrast:F2}:1");
            }
        }

        return problems;
    }

    /// <summary>The contrast of the focused element's outline against the background it is drawn on.</summary>
    private const string FocusRingScript = """
        () => {
          const el = document.activeElement;
          const name = el ? (el.dataset.focus || el.id || el.tagName) : 'none';
          if (!el || el === document.body || el.tagName !== 'BUTTON') return { name, skip: true, contrast: 0, width: 0, style: '', color: '', background: '' };
          const parse = c => { const m = c.match(/[\d.]+/g).map(Number); return { r: m[0], g: m[1], b: m[2], a: m.length > 3 ? m[3] : 1 }; };
          const over = (top, bottom) => ({ r: top.r * top.a + bottom.r * (1 - top.a), g: top.g * top.a + bottom.g * (1 - top.a), b: top.b * top.a + bottom.b * (1 - top.a), a: 1 });
          const layers = [];
          for (let p = el.parentElement; p; p = p.parentElement) {
            const c = parse(getComputedStyle(p).backgroundColor);
            if (c.a > 0) layers.push(c);
            if (c.a >= 1) break;
          }
          let bg = { r: 255, g: 255, b: 255, a: 1 };
          for (const layer of layers.reverse()) bg = over(layer, bg);
          const lum = c => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }; return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b); };
          const style = getComputedStyle(el);
          const ring = parse(style.outlineColor);
          const a = lum(ring), b = lum(bg);
          return { name, skip: false, contrast: (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05), width: parseFloat(style.outlineWidth), style: style.outlineStyle,
                   color: style.outlineColor, background: `rgb(${Math.round(bg.r)}, ${Math.round(bg.g)}, ${Math.round(bg.b)})` };
        }
        """;

    /// <summary>Tab and Shift+Tab go round inside an open dialog and never reach the page behind it.</summary>
    public static async Task<IReadOnlyList<string>> FocusStaysInTheDialogAsync(this IPage page)
    {
        var escaped = new List<string>();
        foreach (var key in new[] { "Tab", "Tab", "Tab", "Tab", "Shift+Tab", "Shift+Tab", "Shift+Tab", "Shift+Tab", "Shift+Tab" })
        {
            await page.Keyboard.PressAsync(key);
            if (!await page.EvaluateAsync<bool>("() => !!document.activeElement.closest('#overlay')"))
            {
                escaped.Add($"{key} left the dialog for {await page.EvaluateAsync<string>("() => document.activeElement.id || document.activeElement.tagName")}");
            }
        }

        return escaped;
    }

    /// <summary>Every axe-core violation, whatever its impact (axe-core is injected when the page has none yet).</summary>
    public static async Task<string[]> AxeViolationsAsync(this IPage page, string axeSource)
    {
        if (!await page.EvaluateAsync<bool>("() => typeof axe !== 'undefined'"))
        {
            await page.AddScriptTagAsync(new() { Content = axeSource });
        }

        return await page.EvaluateAsync<string[]>("""
            async () => {
              const r = await axe.run(document, { resultTypes: ['violations'] });
              return r.violations.map(v => `${v.id} (${v.impact}): ${v.nodes.map(n => n.target.join(' ')).join(', ')}`);
            }
            """);
    }
}
