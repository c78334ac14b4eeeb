using Microsoft.Playwright;
using Reader.Kiosk.Contract;

namespace Reader.Kiosk.Tests.Support;

/// <summary>A kiosk page in its own browser context, with the measurements the tests need.</summary>
internal sealed class KioskPage(IBrowserContext context, IPage page, ScriptedKioskSession session) : IAsyncDisposable
{
    public IPage Page => page;

    public List<string> Errors { get; } = Track(page);

    /// <summary>Publishes a state and waits until the page has rendered it.</summary>
    public async Task<ScreenState> ShowAsync(Func<ScreenState, ScreenState> change)
    {
        var state = session.Show(change);
        await WaitForVersionAsync(state.Version);
        return state;
    }

    public Task<ScreenState> ShowAsync(KioskScreen screen, Countdown? countdown = null, bool cancelAllowed = true) =>
        ShowAsync(s => s with { Screen = screen, Countdown = countdown, CancelAllowed = cancelAllowed });

    public Task WaitForVersionAsync(long version) =>
        page.WaitForFunctionAsync("v => Number(document.body.dataset.version) >= v", version,
            new PageWaitForFunctionOptions { Timeout = 10_000 });

    public async Task<string[]> MissingStringsAsync() => await page.EvaluateAsync<string[]>("() => window.kiosk.missing()");

    /// <summary>Text that leaked through untranslated: a missing-key marker or an unfilled {placeholder}.</summary>
    public async Task<string[]> RawKeysInTextAsync() => await page.EvaluateAsync<string[]>(
        "() => (document.body.innerText.match(/⟦[^⟧]*⟧|\\{[a-zA-Z]+\\}/g) || [])");

    /// <summary>Anything that overflows the viewport, the main area, or its own box (clipped text).</summary>
    public async Task<string[]> OverflowsAsync() => await page.EvaluateAsync<string[]>("""
        () => {
          const problems = [];
          const d = document.documentElement, m = document.getElementById('main');
          if (d.scrollWidth > d.clientWidth + 1 || d.scrollHeight > d.clientHeight + 1)
            problems.push(`document ${d.scrollWidth}x${d.scrollHeight} > ${d.clientWidth}x${d.clientHeight}`);
          if (m.scrollHeight > m.clientHeight + 1 || m.scrollWidth > m.clientWidth + 1)
            problems.push(`main ${m.scrollWidth}x${m.scrollHeight} > ${m.clientWidth}x${m.clientHeight}`);
          for (const el of document.querySelectorAll('button, h1, h2, p, li, span, strong')) {
            const r = el.getBoundingClientRect();
            if (!r.width || getComputedStyle(el).visibility === 'hidden') continue;
            if (el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).display !== 'inline')
              problems.push(`clipped ${el.tagName} "${el.textContent.trim().slice(0, 24)}" ${el.scrollWidth} > ${el.clientWidth}`);
            if (r.right > innerWidth + 1 || r.bottom > innerHeight + 1 || r.left < -1 || r.top < -1)
              problems.push(`outside ${el.tagName} "${el.textContent.trim().slice(0, 24)}"`);
          }
          return problems;
        }
        """);

    /// <summary>Visible controls smaller than 44×44 CSS px.</summary>
    public async Task<string[]> SmallTargetsAsync() => await page.EvaluateAsync<string[]>("""
        () => Array.from(document.querySelectorAll('button, a[href], input, select, [role=button]'))
          .filter(el => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0; })
          .filter(el => { const r = el.getBoundingClientRect(); return r.width < 44 || r.height < 44; })
          .map(el => { const r = el.getBoundingClientRect(); return `${el.id || el.textContent.trim().slice(0, 20)} ${Math.round(r.width)}x${Math.round(r.height)}`; })
        """);

    public async ValueTask DisposeAsync() => await context.CloseAsync();

    private static List<string> Track(IPage page)
    {
        var errors = new List<string>();
        page.PageError += (_, error) => errors.Add(error);
        return errors;
    }
}
