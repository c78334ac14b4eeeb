// The patient's touchscreen. The page is a pure function of the ScreenState pushed over SSE
// (/api/events); presses go to POST /api/action with the state version they were made on.
// Only a few things live in the page: PIN digits being typed (sent once, then forgotten), which page of a long
// consent list is visible, which dialog is open (an item's 説明, "stop checking in?", the language list) and the
// live preview image of the running face attempt. Nothing is stored: no cookies, no storage, no logs.
'use strict';

(() => {
  const LANGUAGE_NAMES = { ja: '日本語', en: 'English', 'zh-Hans': '简体中文', ko: '한국어', vi: 'Tiếng Việt' };
  const LANGUAGES = Object.keys(LANGUAGE_NAMES);
  const WARNING_SECONDS = 20;
  // Languages written without spaces between sentences.
  const NO_SENTENCE_SPACE = new Set(['ja', 'zh-Hans']);
  // A face instruction is not spoken again within this long (the screen still shows it).
  const GUIDANCE_REPEAT_MS = 4000;

  const strings = {};
  const missing = new Set();
  let state = null;
  let lastVoiceKey = null;
  // When each prompt was last spoken (language/prompt → ms), for face instructions that come back.
  const spokenAt = new Map();
  let warnedDeadline = null;
  let warning = false;
  let pinDigits = [];
  let pinSubmittedAt = null;
  let consentPage = 0;
  let summaryLimit = Infinity;
  let pendingAction = false;
  // The open dialog: null, { kind: 'details', itemId }, { kind: 'cancel' } or { kind: 'language' }, and what had focus.
  let dialog = null;
  let dialogOpener = null;
  // The preview of the running face attempt: one <img>, one stream, kept across re-renders of the attempt.
  let preview = null;
  let previewSerial = 0;

  // Test hooks: what is missing, what is rendered (read by the Playwright tests).
  window.kiosk = {
    missing: () => Array.from(missing),
    version: () => (state ? state.version : 0),
    dialog: () => (dialog ? dialog.kind : null),
  };

  const $ = (id) => document.getElementById(id);

  // ---- strings -----------------------------------------------------------------------------

  function t(key, values) {
    const lang = state ? state.language : 'ja';
    let text = strings[lang] && strings[lang][key];
    if (text === undefined) {
      missing.add(`${lang}:${key}`);
      text = (strings.ja && strings.ja[key]) || `⟦${key}⟧`;
    }
    if (values) {
      text = text.replace(/\{(\w+)\}/g, (m, name) => (name in values ? String(values[name]) : m));
    }
    return text;
  }

  // Two sentences as one paragraph: Japanese and Chinese put no space after 。, the others do.
  function sentences(...parts) {
    return parts.filter(Boolean).join(NO_SENTENCE_SPACE.has(state.language) ? '' : ' ');
  }

  async function loadStrings() {
    await Promise.all(LANGUAGES.map(async (lang) => {
      const response = await fetch(`/api/strings/${lang}`, { cache: 'no-store' });
      strings[lang] = await response.json();
    }));
  }

  // ---- DOM helpers -------------------------------------------------------------------------

  function h(tag, attributes, ...children) {
    const element = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === 'class') element.className = value;
      else if (name === 'text') element.textContent = value;
      else if (name === 'onclick') element.addEventListener('click', value);
      else element.setAttribute(name, value === true ? '' : String(value));
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      element.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return element;
  }

  function svg(markup, className) {
    const holder = document.createElement('span');
    holder.innerHTML = markup;
    const element = holder.firstElementChild;
    element.setAttribute('class', className || 'icon');
    element.setAttribute('aria-hidden', 'true');
    element.setAttribute('focusable', 'false');
    return element;
  }

  function button(key, action, options = {}) {
    return h('button', {
      type: 'button',
      class: `button ${options.kind || 'secondary'}${options.big ? ' big' : ''}${options.className ? ` ${options.className}` : ''}`,
      'data-focus': options.focus || key,
      'aria-pressed': options.pressed === undefined ? null : String(options.pressed),
      'aria-label': options.label || null,
      disabled: options.disabled || null,
      onclick: () => send(action),
    }, options.content || t(key));
  }

  function heading(text) {
    return h('h1', { id: 'screen-title', tabindex: '-1' }, text);
  }

  // A facility text (consent items) in the page language, or in Japanese with its own lang when it has none.
  function facilityText(map) {
    const lang = state.language;
    if (map && map[lang]) return { text: map[lang], lang: null };
    return { text: (map && map.ja) || '', lang: lang === 'ja' ? null : 'ja' };
  }

  // ---- actions -----------------------------------------------------------------------------

  async function send(action) {
    if (!state || pendingAction) return;
    pendingAction = true;
    try {
      await fetch('/api/action', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(Object.assign({}, action, { stateVersion: state.version })),
      });
    } catch (e) {
      // The next state (or the reconnect) re-renders the page; nothing to do here.
    } finally {
      pendingAction = false;
    }
  }

  // ---- voice -------------------------------------------------------------------------------

  function play(prompt) {
    const audio = $('voice');
    const src = `/api/voice/${encodeURIComponent(state.language)}/${encodeURIComponent(prompt)}.wav`;
    // The same prompt still being spoken is not started again (a repeated hint would only stutter).
    if (audio.getAttribute('src') === src && !audio.paused && !audio.ended) return;
    spokenAt.set(`${state.language}/${prompt}`, Date.now());
    audio.src = src;
    const playing = audio.play();
    if (playing && playing.catch) playing.catch(() => { /* autoplay refused or no audio device */ });
  }

  function speakScreen(force) {
    const prompt = state.screen.voicePrompt;
    const key = `${state.language}/${prompt}`;
    if (force) {
      lastVoiceKey = key;
      $('voice').removeAttribute('src');
      play(prompt);
      return;
    }
    if (key === lastVoiceKey) return;
    lastVoiceKey = key;
    // A face instruction that comes back within a few seconds is shown, not spoken again.
    if (state.screen.id === 'face-capture' && Date.now() - (spokenAt.get(key) || 0) < GUIDANCE_REPEAT_MS) return;
    play(prompt);
  }

  // ---- icons and the placement diagram (currentColor follows the colour scheme) ------------

  const ICONS = {
    face: '<svg viewBox="0 0 48 48"><circle cx="24" cy="24" r="20" fill="none" stroke="currentColor" stroke-width="3"/><circle cx="17" cy="20" r="2.5" fill="currentColor"/><circle cx="31" cy="20" r="2.5" fill="currentColor"/><path d="M15 30q9 8 18 0" fill="none" stroke="currentColor" stroke-width="3" stroke-linecap="round"/></svg>',
    pin: '<svg viewBox="0 0 48 48"><rect x="6" y="12" width="36" height="24" rx="4" fill="none" stroke="currentColor" stroke-width="3"/><circle cx="15" cy="24" r="3" fill="currentColor"/><circle cx="24" cy="24" r="3" fill="currentColor"/><circle cx="33" cy="24" r="3" fill="currentColor"/></svg>',
    check: '<svg viewBox="0 0 48 48"><circle cx="24" cy="24" r="21" fill="none" stroke="currentColor" stroke-width="3"/><path d="M14 25l7 7 13-15" fill="none" stroke="currentColor" stroke-width="4" stroke-linecap="round" stroke-linejoin="round"/></svg>',
    warning: '<svg viewBox="0 0 48 48"><path d="M24 5L45 42H3z" fill="none" stroke="currentColor" stroke-width="3" stroke-linejoin="round"/><path d="M24 18v12" stroke="currentColor" stroke-width="4" stroke-linecap="round"/><circle cx="24" cy="36" r="2.5" fill="currentColor"/></svg>',
    staff: '<svg viewBox="0 0 48 48"><circle cx="24" cy="15" r="8" fill="none" stroke="currentColor" stroke-width="3"/><path d="M8 43c2-10 9-15 16-15s14 5 16 15" fill="none" stroke="currentColor" stroke-width="3"/></svg>',
    electronic: '<svg viewBox="0 0 48 48"><rect x="13" y="4" width="22" height="40" rx="4" fill="none" stroke="currentColor" stroke-width="3"/><path d="M19 14h10M19 21h10M19 28h6" stroke="currentColor" stroke-width="3" stroke-linecap="round"/></svg>',
    paper: '<svg viewBox="0 0 48 48"><path d="M11 4h18l8 8v32H11z" fill="none" stroke="currentColor" stroke-width="3" stroke-linejoin="round"/><path d="M17 20h14M17 27h14M17 34h9" stroke="currentColor" stroke-width="3" stroke-linecap="round"/></svg>',
    globe: '<svg viewBox="0 0 48 48"><circle cx="24" cy="24" r="19" fill="none" stroke="currentColor" stroke-width="3"/><ellipse cx="24" cy="24" rx="8" ry="19" fill="none" stroke="currentColor" stroke-width="3"/><path d="M6 18h36M6 30h36" stroke="currentColor" stroke-width="3"/></svg>',
    yes: '<svg viewBox="0 0 48 48"><path d="M10 25l9 9 19-20" fill="none" stroke="currentColor" stroke-width="6" stroke-linecap="round" stroke-linejoin="round"/></svg>',
    no: '<svg viewBox="0 0 48 48"><path d="M13 13l22 22M35 13L13 35" fill="none" stroke="currentColor" stroke-width="6" stroke-linecap="round"/></svg>',
    // A head-turn prompt: the patient's own left is the screen's left as they face it (the arrow is drawn pointing left
    // and mirrored for right).
    turn: '<svg viewBox="0 0 96 48"><path d="M88 24H18M36 6L14 24l22 18" fill="none" stroke="currentColor" stroke-width="9" stroke-linecap="round" stroke-linejoin="round"/></svg>',
  };

  // The large arrow beside a head-turn prompt (the text and the voice say the same; the arrow is for the eye only).
  function turnArrow(guidance) {
    if (guidance !== 'turn-head-left' && guidance !== 'turn-head-right') return null;
    return h('div', { class: `turn-arrow ${guidance === 'turn-head-left' ? 'left' : 'right'}`, 'data-turn': guidance === 'turn-head-left' ? 'left' : 'right' },
      svg(ICONS.turn, 'icon turn'));
  }

  const PLACEMENT = '<svg viewBox="0 0 320 220">'
    + '<rect x="20" y="120" width="280" height="86" rx="14" fill="none" stroke="currentColor" stroke-width="4"/>'
    + '<rect x="70" y="134" width="180" height="46" rx="6" fill="none" stroke="currentColor" stroke-width="3" stroke-dasharray="8 6"/>'
    + '<g transform="translate(96 20)"><rect width="128" height="80" rx="8" fill="none" stroke="currentColor" stroke-width="4"/>'
    + '<rect x="10" y="14" width="36" height="46" rx="3" fill="currentColor" opacity="0.35"/>'
    + '<circle cx="28" cy="30" r="9" fill="currentColor"/><path d="M14 58c2-10 26-10 28 0" fill="currentColor"/>'
    + '<path d="M56 20h58M56 34h58M56 48h40" stroke="currentColor" stroke-width="4" stroke-linecap="round"/></g>'
    + '<path d="M160 104v20m-9-10 9 11 9-11" fill="none" stroke="currentColor" stroke-width="4" stroke-linecap="round" stroke-linejoin="round"/>'
    + '</svg>';

  function languageButtons(focusPrefix) {
    return (state.languages || LANGUAGES).filter((code) => code in LANGUAGE_NAMES).map((code) => h('button', {
      type: 'button', class: 'button secondary', lang: code, 'data-focus': `${focusPrefix}${code}`,
      'aria-pressed': String(code === state.language),
      onclick: () => {
        if (focusPrefix !== 'lang-') closeDialog();
        if (code !== state.language) send({ type: 'set-language', language: code });
      },
    }, LANGUAGE_NAMES[code]));
  }

  // ---- screens -----------------------------------------------------------------------------

  const screens = {
    idle(screen) {
      const diagram = svg(PLACEMENT, 'placement');
      diagram.setAttribute('role', 'img');
      diagram.removeAttribute('aria-hidden');
      diagram.setAttribute('aria-label', t('idle.diagram'));
      return [
        h('div', { class: 'idle-layout' },
          h('div', { class: 'diagram' }, diagram),
          h('div', { class: 'stack' },
            heading(t('idle.title')),
            h('ol', { class: 'steps lead' }, h('li', {}, t('idle.step1')), h('li', {}, t('idle.step2'))),
            screen.visualCheckMode ? h('p', { class: 'badge' }, svg(ICONS.staff, 'icon'), h('span', {}, t('idle.visualCheck'))) : null)),
        h('div', { class: 'languages', role: 'group', 'aria-label': t('common.languages') }, languageButtons('lang-')),
      ];
    },

    reading() {
      return [h('div', { class: 'stack center grow' }, heading(t('reading.title')), h('p', { class: 'lead' }, t('reading.body')))];
    },

    'card-error'(screen) {
      const kind = screen.kind;
      const staffText = t(`cardError.${kind}.staff`);
      return [
        h('div', { class: 'columns' }, svg(ICONS.warning, 'icon large warn'),
          h('div', { class: 'stack' }, heading(t(`cardError.${kind}.title`)), h('p', { class: 'lead' }, t(`cardError.${kind}.body`)))),
        // For staff, below the patient's text; only when there is something to say.
        staffText || screen.code
          ? h('div', { class: 'panel staff' },
            h('p', { class: 'staff-head' }, h('strong', {}, t('common.forStaff')),
              screen.code ? h('span', { class: 'code' }, t('common.errorCode', { code: screen.code })) : null),
            staffText ? h('p', {}, staffText) : null)
          : null,
        h('div', { class: 'grow' }),
        h('div', { class: 'actions end' }, button('common.callStaff', { type: 'call-staff' })),
      ];
    },

    'renewal-notice'(screen) {
      const prefix = screen.alreadyExpired ? 'renewal.expired' : 'renewal';
      return [
        h('div', { class: 'columns' }, svg(ICONS.warning, 'icon huge warn'), heading(t(`${prefix}.title`))),
        h('p', { class: 'lead grow' }, t(`${prefix}.body`, { date: formatDate(screen.expiresOn) })),
        h('div', { class: 'actions end' }, button('common.continue', { type: 'proceed' }, { kind: 'primary', big: true })),
      ];
    },

    registration() {
      return [
        heading(t('registration.title')),
        h('p', { class: 'lead grow' }, t('registration.body')),
        h('div', { class: 'actions' },
          button('registration.skip', { type: 'choose-registration', register: false }, { big: true }),
          button('registration.register', { type: 'choose-registration', register: true }, { kind: 'primary', big: true })),
      ];
    },

    'method-choice'(screen) {
      const tiles = [];
      if (screen.faceOffered) {
        tiles.push(button('method.face', { type: 'choose-method', method: 'face' }, {
          kind: 'primary', className: 'tile',
          content: [svg(ICONS.face, 'icon huge'), h('span', {}, t('method.face')), h('small', {}, t('method.faceHint'))],
        }));
      }
      // Never on a face-only card, never with no tries left.
      if (screen.pinOffered && !screen.faceOnlyCard && !screen.pinIsLocked) {
        tiles.push(button('method.pin', { type: 'choose-method', method: 'pin' }, {
          kind: 'primary', className: 'tile',
          content: [svg(ICONS.pin, 'icon huge'), h('span', {}, t('method.pin')), h('small', {}, t('method.pinHint'))],
        }));
      }
      let note = null;
      if (screen.faceOnlyCard) note = t('method.faceOnly');
      else if (screen.pinIsLocked) note = t('method.pinLocked');
      // A patient who expected face recognition is told it is not offered, not left to wonder.
      else if (!screen.faceOffered) note = t('method.faceUnavailable');
      return [
        heading(t('method.title')),
        note ? h('p', { class: 'panel info' }, note) : null,
        h('div', { class: 'tiles' }, tiles),
      ];
    },

    'face-capture'(screen) {
      return [
        h('div', { class: 'face-layout' }, previewFor(screen),
          h('div', { class: 'stack' },
            heading(t('face.title')),
            turnArrow(screen.guidance),
            h('p', { class: 'guidance' }, t(`face.guidance.${screen.guidance}`)),
            h('p', {}, t('face.attempt', { n: screen.attempt, max: screen.maxAttempts })),
            h('p', { class: 'note' }, t('face.privacy')))),
      ];
    },

    'card-face'(screen) {
      return [
        h('div', { class: 'columns' }, svg(ICONS.warning, 'icon huge warn'), heading(t('cardFace.title'))),
        h('p', { class: 'lead' }, t(`cardFace.${screen.guidance}`)),
        h('p', { class: 'grow' }, t('cardFace.look', { n: screen.look, max: screen.maxLooks })),
        h('div', { class: 'actions' },
          button('common.callStaff', { type: 'call-staff' }, { kind: 'neutral' }),
          screen.pinOffered ? button('cardFace.usePin', { type: 'choose-method', method: 'pin' }) : null),
      ];
    },

    'face-failed'(screen) {
      const reason = screen.reason;
      return [
        h('div', { class: 'columns' }, svg(ICONS.warning, 'icon huge warn'), heading(t('faceFailed.title'))),
        h('p', { class: 'lead' }, sentences(t(`faceFailed.${reason}`), t(`faceFailed.${reason}.advice`))),
        h('p', { class: 'grow' }, t('face.attempt', { n: screen.attempt, max: screen.maxAttempts })),
        h('div', { class: 'actions' },
          button('common.callStaff', { type: 'call-staff' }, { kind: 'neutral' }),
          screen.pinOffered ? button('faceFailed.usePin', { type: 'choose-method', method: 'pin' }) : null,
          screen.retryOffered ? button('faceFailed.retry', { type: 'retry-face' }, { kind: 'primary' }) : null),
      ];
    },

    'pin-entry'(screen) {
      const length = screen.pinLength || 4;
      const order = Array.isArray(screen.keyOrder) && screen.keyOrder.length === 10 ? screen.keyOrder : [1, 2, 3, 4, 5, 6, 7, 8, 9, 0];
      const full = pinDigits.length >= length;
      const digitKey = (digit) => h('button', {
        type: 'button', class: 'button secondary', 'data-focus': `key-${digit}`, 'data-digit': String(digit),
        disabled: full || null,
        onclick: () => { if (pinDigits.length < length) { pinDigits.push(String(digit)); rerender(); } },
      }, String(digit));
      const keys = order.slice(0, 9).map(digitKey);
      keys.push(h('button', {
        type: 'button', class: 'button neutral small', 'data-focus': 'pin-clear',
        onclick: () => { pinDigits = []; rerender(); },
      }, t('pin.clear')));
      keys.push(digitKey(order[9]));
      keys.push(h('button', {
        type: 'button', class: 'button neutral small', 'data-focus': 'pin-backspace',
        onclick: () => { pinDigits.pop(); rerender(); },
      }, t('pin.backspace')));

      const dots = [];
      for (let i = 0; i < length; i += 1) dots.push(h('span', { class: i < pinDigits.length ? 'dot filled' : 'dot' }));
      const status = [];
      if (screen.lastAttemptWrong) status.push(h('p', { class: 'warn' }, sentences(t('pin.wrong'), screen.triesLeft === 1 ? t('pin.lastTry') : '')));
      if (screen.triesLeft > 1 || !screen.lastAttemptWrong) status.push(h('p', { class: screen.triesLeft === 1 ? 'warn' : '' }, t('pin.triesLeft', { n: screen.triesLeft })));

      return [
        h('div', { class: 'pin-layout' },
          h('div', { class: 'stack' },
            heading(t('pin.title')),
            h('p', { class: 'note' }, t('pin.privacy')),
            h('div', { class: 'dots', role: 'img', 'aria-label': t('pin.entered', { n: pinDigits.length, max: length }) }, dots),
            status,
            h('div', { class: 'actions' },
              button('common.back', { type: 'back' }, { kind: 'neutral' }),
              h('button', {
                type: 'button', class: 'button primary', id: 'pin-submit', 'data-focus': 'pin-submit',
                disabled: (!full || pinSubmittedAt !== null) || null,
                onclick: submitPin,
              }, t('pin.submit')))),
          h('div', { class: 'keypad', role: 'group', 'aria-label': t('pin.keypad') }, keys)),
      ];
    },

    'pin-locked'(screen) {
      return [
        h('div', { class: 'columns' }, svg(ICONS.warning, 'icon huge warn'), heading(t('pinLocked.title'))),
        h('p', { class: 'lead' }, t('pinLocked.body')),
        h('p', { class: 'lead strong' }, t(screen.faceOffered ? 'pinLocked.face' : 'pinLocked.staff')),
        h('div', { class: 'grow' }),
        h('div', { class: 'actions' },
          button('common.callStaff', { type: 'call-staff' }, { kind: screen.faceOffered ? 'neutral' : 'primary' }),
          screen.faceOffered ? button('pinLocked.useFace', { type: 'choose-method', method: 'face' }, { kind: 'primary' }) : null),
      ];
    },

    'visual-check'() {
      return [h('div', { class: 'stack center grow' }, svg(ICONS.staff, 'icon huge'), heading(t('visualCheck.title')), h('p', { class: 'lead' }, t('visualCheck.body')))];
    },

    'consent-top'(screen) {
      return [
        heading(t('consent.title')),
        h('p', { class: 'lead' }, t('consent.body')),
        h('p', { class: 'lead strong' }, t('consent.note')),
        // The ministry's two choices, drawn alike: neither is the "default" one.
        h('div', { class: 'tiles' },
          screen.individualOffered ? button('consent.individual', { type: 'consent-individually' }, {
            className: 'tile', content: [h('span', {}, t('consent.individual')), h('small', {}, t('consent.individualHint'))],
          }) : null,
          button('consent.all', { type: 'consent-to-all' }, {
            className: 'tile', content: [h('span', {}, t('consent.all')), h('small', {}, t('consent.allHint'))],
          })),
      ];
    },

    'consent-items'(screen) {
      return consentItems(screen, consentPageSize);
    },

    'consent-summary'(screen) {
      return consentSummary(screen, summaryLimit);
    },

    prescription() {
      return [
        heading(t('prescription.title')),
        h('div', { class: 'tiles' },
          button('prescription.electronic', { type: 'choose-prescription', form: 'electronic' }, {
            kind: 'primary', className: 'tile',
            content: [svg(ICONS.electronic, 'icon huge'), h('span', {}, t('prescription.electronic')), h('small', {}, t('prescription.electronicHint'))],
          }),
          button('prescription.paper', { type: 'choose-prescription', form: 'paper' }, {
            kind: 'primary', className: 'tile',
            content: [svg(ICONS.paper, 'icon huge'), h('span', {}, t('prescription.paper')), h('small', {}, t('prescription.paperHint'))],
          })),
      ];
    },

    done(screen) {
      return [h('div', { class: 'stack center grow' },
        svg(ICONS.check, 'icon huge ok'),
        heading(t('done.title')),
        screen.cardLeftBehind
          ? h('p', { class: 'done-alert', role: 'alert' }, t('done.cardLeftBehind'))
          : h('p', { class: 'lead' }, t('done.body')))];
    },

    'staff-called'(screen) {
      return [h('div', { class: 'stack center grow' },
        svg(ICONS.staff, 'icon huge'),
        heading(t('staffCalled.title')),
        h('p', { class: 'lead' }, t('staffCalled.body')),
        screen.code && /^\d{1,8}$/.test(screen.code) ? h('p', {}, h('span', { class: 'code' }, t('common.errorCode', { code: screen.code }))) : null)];
    },

    // For staff or a technician: the one-time code typed on the clinic terminal (read out digit by digit).
    pairing(screen) {
      const code = /^\d{6}$/.test(screen.code || '') ? screen.code : '';
      if (!code) {
        // Paused after too many wrong codes: a touch here is the physical action that asks for a new code.
        return [h('div', { class: 'stack center grow' },
          heading(t('pairing.title')),
          h('p', { class: 'lead' }, t(screen.paused ? 'pairing.paused' : 'pairing.wait')),
          screen.paused ? h('div', { class: 'actions' }, button('pairing.newCode', { type: 'proceed' }, { kind: 'primary', big: true })) : null,
          h('p', { class: 'note' }, t('pairing.patient')))];
      }

      return [h('div', { class: 'stack center grow' },
        heading(t('pairing.title')),
        h('p', { class: 'lead' }, t('pairing.body')),
        h('p', { class: 'pairing-code', role: 'text', 'aria-label': `${t('pairing.code')}: ${code.split('').join(' ')}` },
          h('span', { 'aria-hidden': 'true' }, code)),
        h('p', { class: 'note' }, t('pairing.patient')))];
    },

    ended(screen) {
      return [h('div', { class: 'stack center grow' },
        heading(t(`ended.${screen.reason}.title`)),
        h('p', { class: 'lead' }, t(`ended.${screen.reason}.body`)))];
    },
  };

  // The live framing preview. One <img> (one MJPEG stream) per face attempt: re-rendering the screen for a new
  // instruction moves the same element instead of opening a new stream (a reload would show black frames).
  function previewFor(screen) {
    if (!screen.preview) {
      return h('div', { class: 'preview', role: 'img', 'aria-label': t('face.title') },
        svg(ICONS.face, 'icon huge'), h('div', { class: 'frame', 'aria-hidden': 'true' }));
    }
    if (!preview || preview.attempt !== screen.attempt) {
      dropPreview();
      previewSerial += 1;
      const img = h('img', { src: `/api/preview.mjpeg?n=${previewSerial}`, alt: '' });
      preview = { attempt: screen.attempt, element: h('div', { class: 'preview' }, img, h('div', { class: 'frame', 'aria-hidden': 'true' })), img };
    }
    preview.img.alt = t('face.preview');
    return preview.element;
  }

  function dropPreview() {
    if (!preview) return;
    // Ending the load closes the stream at once (the service also ends it when the screen changes).
    preview.img.removeAttribute('src');
    preview = null;
  }

  // Consent items are paged so that every page fits the screen without scrolling.
  let consentPageSize = Infinity;

  function consentItems(screen, pageSize) {
    const items = screen.items || [];
    const pages = Math.max(1, Math.ceil(items.length / pageSize));
    consentPage = Math.min(consentPage, pages - 1);
    const shown = items.slice(consentPage * pageSize, (consentPage + 1) * pageSize);
    const unanswered = items.filter((item) => item.agreed === null || item.agreed === undefined).length;

    const rows = shown.map((item) => {
      const titleId = `item-${item.id}`;
      const title = facilityText(item.title);
      return h('li', { class: 'item panel' },
        h('span', { class: 'item-title', id: titleId },
          h('span', { lang: title.lang }, title.text),
          title.lang ? h('span', { class: 'untranslated' }, t('consentItems.japaneseOnly')) : null),
        h('div', { class: 'item-buttons', role: 'group', 'aria-labelledby': titleId },
          h('button', {
            type: 'button', class: 'button neutral', 'data-focus': `details-${item.id}`,
            'aria-label': `${t('consentItems.details')}: ${title.text}`,
            onclick: (event) => openDialog({ kind: 'details', itemId: item.id }, event.currentTarget),
          }, t('consentItems.details')),
          button('consentItems.agree', { type: 'set-consent-item', itemId: item.id, agreed: true }, { pressed: item.agreed === true, focus: `agree-${item.id}` }),
          button('consentItems.disagree', { type: 'set-consent-item', itemId: item.id, agreed: false }, { pressed: item.agreed === false, focus: `disagree-${item.id}` })));
    });

    const arrow = (key, focus, disabled, step, glyph) => h('button', {
      type: 'button', class: 'button neutral arrow', 'data-focus': focus, 'aria-label': t(key), disabled: disabled || null,
      onclick: () => { consentPage += step; rerender(); },
    }, h('span', { 'aria-hidden': 'true' }, glyph));

    return [
      h('div', { class: 'consent-head' },
        heading(t('consentItems.title')),
        h('p', { class: 'count' }, unanswered > 0 ? t('consentItems.unanswered', { n: unanswered }) : '')),
      h('ul', { class: 'items' }, rows),
      h('div', { class: 'consent-bar' },
        button('common.back', { type: 'back' }, { kind: 'neutral' }),
        pages > 1 ? arrow('consentItems.previous', 'page-previous', consentPage === 0, -1, '◀') : null,
        pages > 1 ? h('span', { class: 'page' }, t('consentItems.page', { page: consentPage + 1, count: pages })) : null,
        pages > 1 ? arrow('consentItems.next', 'page-next', consentPage >= pages - 1, 1, '▶') : null,
        h('span', { class: 'spacer' }),
        // Refusing everything is one tap here, as agreeing to everything is one tap on the previous screen.
        button('consentItems.none', { type: 'consent-to-none' }, { kind: 'secondary' }),
        button('consentItems.confirm', { type: 'confirm-consent' }, { kind: 'primary', disabled: !screen.canConfirm })),
    ];
  }

  // The answers in words before they are sent: what is agreed, what is not, one item a line (long lists are
  // shortened to fit: "… 3 more").
  function consentSummary(screen, limit) {
    const items = screen.items || [];
    const agreed = items.filter((item) => item.agreed === true);
    const declined = items.filter((item) => item.agreed !== true);
    const single = agreed.length === 0 || declined.length === 0;
    const group = (kind, label, members, icon) => {
      const rows = members.slice(0, limit).map((item) => {
        const title = facilityText(item.title);
        return h('li', { lang: title.lang }, title.text);
      });
      if (members.length > limit) rows.push(h('li', { class: 'more' }, t('consentSummary.more', { n: members.length - limit })));
      return h('div', { class: `panel summary ${kind}` },
        h('p', { class: 'summary-label' }, svg(icon, 'icon'), h('strong', {}, label)),
        h('ul', { class: `summary-items${single ? ' two-columns' : ''}` }, rows));
    };
    return [
      heading(t('consentSummary.title')),
      h('div', { class: `summary-groups${single ? '' : ' side-by-side'}` },
        agreed.length ? group('agreed', declined.length ? `${t('consentSummary.agreed')} (${agreed.length})` : t('consentSummary.all'), agreed, ICONS.yes) : null,
        declined.length ? group('declined', agreed.length ? `${t('consentSummary.declined')} (${declined.length})` : t('consentSummary.none'), declined, ICONS.no) : null),
      h('div', { class: 'grow' }),
      h('div', { class: 'actions' },
        button('consentSummary.change', { type: 'back' }, { kind: 'neutral' }),
        button('consentSummary.confirm', { type: 'confirm-consent' }, { kind: 'primary' })),
    ];
  }

  function fallbackScreen() {
    return [heading(t('staffCalled.title')), h('p', { class: 'lead' }, t('staffCalled.body'))];
  }

  function formatDate(isoDate) {
    if (!isoDate) return '';
    const [year, month, day] = isoDate.split('-').map(Number);
    try {
      return new Intl.DateTimeFormat(state.language, { year: 'numeric', month: 'long', day: 'numeric' })
        .format(new Date(year, month - 1, day));
    } catch (e) {
      return isoDate;
    }
  }

  function submitPin() {
    const length = state.screen.pinLength || 4;
    if (pinDigits.length !== length || pinSubmittedAt !== null) return;
    pinSubmittedAt = state.version;
    const pin = pinDigits.join('');
    pinDigits = [];
    rerender();
    send({ type: 'submit-pin', pin });
  }

  // ---- dialogs (page-local: an item's 説明, "stop checking in?", the language list) ----------

  function openDialog(which, opener) {
    dialog = which;
    dialogOpener = opener && opener.dataset ? opener.dataset.focus || opener.id : null;
    renderDialog(true);
  }

  function closeDialog() {
    if (!dialog) return;
    dialog = null;
    renderDialog(false);
    const back = dialogOpener && (document.querySelector(`[data-focus="${CSS.escape(dialogOpener)}"]`) || $(dialogOpener));
    dialogOpener = null;
    if (back && !back.disabled && back.offsetParent !== null) back.focus({ preventScroll: true });
  }

  function dialogContent() {
    if (dialog.kind === 'details') {
      const item = (state.screen.items || []).find((i) => i.id === dialog.itemId);
      if (!item) return null;
      const title = facilityText(item.title);
      const description = facilityText(item.description);
      return {
        title: h('h2', { id: 'dialog-title', lang: title.lang }, title.text),
        body: [h('p', { lang: description.lang }, description.text),
          description.lang ? h('p', { class: 'untranslated' }, t('consentItems.japaneseOnly')) : null],
        buttons: [h('button', { type: 'button', class: 'button primary', 'data-focus': 'dialog-close', id: 'dialog-close', onclick: closeDialog }, t('consentItems.close'))],
        first: 'dialog-close',
      };
    }
    if (dialog.kind === 'cancel') {
      if (!state.cancelAllowed) return null;
      return {
        title: h('h2', { id: 'dialog-title' }, t('cancelConfirm.title')),
        body: [h('p', {}, t('cancelConfirm.body'))],
        // 中止 on the left in the alert colour, 続ける on the right, filled and focused: the default is to go on.
        buttons: [
          h('button', {
            type: 'button', class: 'button danger', 'data-focus': 'cancel-stop', id: 'cancel-stop',
            onclick: () => { dialog = null; renderDialog(false); send({ type: 'cancel' }); },
          }, t('cancelConfirm.stop')),
          h('button', { type: 'button', class: 'button primary big', 'data-focus': 'cancel-continue', id: 'cancel-continue', onclick: closeDialog }, t('cancelConfirm.keepGoing')),
        ],
        first: 'cancel-continue',
        spread: true,
      };
    }
    if (dialog.kind === 'language') {
      return {
        title: h('h2', { id: 'dialog-title' }, svg(ICONS.globe, 'icon'), ' ', t('common.languages')),
        body: [h('div', { class: 'languages', role: 'group', 'aria-labelledby': 'dialog-title' }, languageButtons('dialog-lang-'))],
        buttons: [h('button', { type: 'button', class: 'button neutral', 'data-focus': 'dialog-close', id: 'dialog-close', onclick: closeDialog }, t('consentItems.close'))],
        first: `dialog-lang-${state.language}`,
      };
    }
    return null;
  }

  function renderDialog(moveFocus) {
    const overlay = $('overlay');
    const content = dialog ? dialogContent() : null;
    if (!content) {
      dialog = null;
      overlay.replaceChildren();
      overlay.hidden = true;
      $('app').inert = false;
      return;
    }
    const focused = document.activeElement && overlay.contains(document.activeElement) ? document.activeElement.dataset.focus : null;
    overlay.replaceChildren(h('div', { class: 'dialog-backdrop' },
      h('div', { class: `dialog${dialog.kind === 'cancel' ? ' confirm' : ''}`, role: dialog.kind === 'cancel' ? 'alertdialog' : 'dialog', 'aria-modal': 'true', 'aria-labelledby': 'dialog-title', 'aria-describedby': 'dialog-body' },
        content.title,
        h('div', { id: 'dialog-body', class: 'stack' }, content.body),
        h('div', { class: `actions${content.spread ? ' spread' : ' end'}` }, content.buttons))));
    overlay.hidden = false;
    // Everything behind the dialog is out of reach (focus, touch, screen readers) until it closes.
    $('app').inert = true;
    const again = focused && overlay.querySelector(`[data-focus="${CSS.escape(focused)}"]`);
    const target = again || (moveFocus ? overlay.querySelector(`[data-focus="${CSS.escape(content.first)}"]`) : null);
    if (target) target.focus({ preventScroll: true });
    else if (!overlay.contains(document.activeElement)) overlay.querySelector('button').focus({ preventScroll: true });
  }

  // Focus stays inside an open dialog (Tab and Shift+Tab go round); Escape closes it (for "stop?": continues).
  function onKeyDown(event) {
    if (!dialog) return;
    if (event.key === 'Escape') {
      event.preventDefault();
      closeDialog();
      return;
    }
    if (event.key !== 'Tab') return;
    const focusable = Array.from($('overlay').querySelectorAll('button:not([disabled])'));
    if (focusable.length === 0) return;
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    const inside = focusable.includes(document.activeElement);
    if (event.shiftKey && (document.activeElement === first || !inside)) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && (document.activeElement === last || !inside)) {
      event.preventDefault();
      first.focus();
    }
  }

  // ---- rendering ---------------------------------------------------------------------------

  function rerender() {
    if (state) render(state);
  }

  function render(next) {
    const screenChanged = !state || next.screen.id !== state.screen.id;
    const languageChanged = state && next.language !== state.language;
    if (screenChanged) {
      pinDigits = [];
      consentPage = 0;
      consentPageSize = Infinity;
      summaryLimit = Infinity;
      if (dialog && (dialog.kind === 'details' || dialog.kind === 'language')) dialog = null;
    }
    if (next.screen.id !== 'face-capture' || !next.screen.preview) dropPreview();
    if (pinSubmittedAt !== null && next.version !== pinSubmittedAt) pinSubmittedAt = null;
    if (languageChanged) {
      consentPageSize = Infinity;
      summaryLimit = Infinity;
    }
    state = next;

    const root = document.documentElement;
    root.lang = next.language;
    root.classList.toggle('large-text', !!next.largeText);
    root.classList.toggle('high-contrast', !!next.highContrast);
    document.title = t('app.title');

    const focused = document.activeElement && document.activeElement.dataset ? document.activeElement.dataset.focus : null;
    const main = $('main');
    const build = screens[next.screen.id] || fallbackScreen;
    main.replaceChildren(...build(next.screen).filter(Boolean));
    main.dataset.screen = next.screen.id;

    renderChrome();
    if (next.screen.id === 'consent-items') fitConsentPage(main);
    if (next.screen.id === 'consent-summary') fitSummary(main);
    renderDialog(false);
    document.body.dataset.version = String(next.version);
    document.body.dataset.screen = next.screen.id;

    if (screenChanged) {
      $('live').textContent = main.querySelector('h1') ? main.querySelector('h1').textContent : '';
      if (!dialog) ($('screen-title') || main).focus({ preventScroll: true });
    } else if (focused && !dialog) {
      const again = main.querySelector(`[data-focus="${CSS.escape(focused)}"]`) || document.querySelector(`#app [data-focus="${CSS.escape(focused)}"]`);
      if (again && !again.disabled) again.focus({ preventScroll: true });
    }
    if (next.screen.id === 'face-capture') {
      $('live').textContent = t(`face.guidance.${next.screen.guidance}`);
    }
    speakScreen(false);
  }

  // Shrinks the consent page until it fits; the page size is kept until the screen, language or text size changes.
  function fitConsentPage(main) {
    const fits = () => main.scrollHeight <= main.clientHeight + 1;
    if (fits()) return;
    const total = (state.screen.items || []).length;
    let size = Math.min(consentPageSize, total);
    while (size > 1) {
      size -= 1;
      consentPageSize = size;
      main.replaceChildren(...consentItems(state.screen, size).filter(Boolean));
      if (fits()) break;
    }
  }

  // Shortens the summary lists ("… and 3 more") until the summary fits.
  function fitSummary(main) {
    const fits = () => main.scrollHeight <= main.clientHeight + 1;
    if (fits()) return;
    let limit = Math.min(summaryLimit, (state.screen.items || []).length);
    while (limit > 1) {
      limit -= 1;
      summaryLimit = limit;
      main.replaceChildren(...consentSummary(state.screen, limit).filter(Boolean));
      if (fits()) break;
    }
  }

  function renderChrome() {
    const brand = $('brand');
    brand.textContent = t('app.title');
    for (const element of document.querySelectorAll('[data-i18n]')) {
      element.textContent = t(element.dataset.i18n);
    }
    $('tools').setAttribute('aria-label', t('common.settings'));
    $('large-text').setAttribute('aria-pressed', String(!!state.largeText));
    $('high-contrast').setAttribute('aria-pressed', String(!!state.highContrast));
    $('cancel').hidden = !state.cancelAllowed;
    // The language list is on the idle screen itself; elsewhere behind this button (not for staff screens).
    $('language').hidden = ['idle', 'pairing'].includes(state.screen.id) || (state.languages || LANGUAGES).length < 2;
    $('language').lang = state.language;
    const countdown = state.countdown;
    $('countdown').hidden = !countdown;
    $('extend').hidden = !(countdown && countdown.extendOffered);
    // Last, when the header's buttons are known: the brand only where it fits whole.
    brand.hidden = false;
    if (brand.scrollWidth > brand.clientWidth + 1) brand.hidden = true;
    tick();
  }

  function tick() {
    if (!state) return;
    const countdown = state.countdown;
    const left = countdown ? Math.max(0, Math.ceil((Date.parse(countdown.deadline) - Date.now()) / 1000)) : Infinity;
    const nowWarning = !!countdown && left <= WARNING_SECONDS;
    if (countdown) {
      const timer = $('timer');
      const text = t('common.timeLeft', { s: left });
      if (timer.textContent !== text) timer.textContent = text;
      const total = Math.max(1, countdown.totalSeconds || 1);
      $('timer-fill').style.transform = `scaleX(${Math.min(1, left / total)})`;
    }
    setWarning(nowWarning);
    const footer = $('footer');
    footer.hidden = $('countdown').hidden && $('extend').hidden && $('language').hidden;
    if (nowWarning && left > 0 && warnedDeadline !== countdown.deadline) {
      warnedDeadline = countdown.deadline;
      // Shown as a sentence (a deaf patient, a noisy waiting room) and spoken; nothing may cover "more time".
      if (dialog) closeDialog();
      $('alert').textContent = t('common.timeRunningOut');
      play('time-running-out');
    }
  }

  function setWarning(on) {
    if (warning === on && $('warning').textContent === (on ? t('common.timeRunningOut') : '')) return;
    warning = on;
    $('footer').classList.toggle('warning', on);
    $('timer').classList.toggle('warning', on);
    $('warning').hidden = !on;
    $('warning').textContent = on ? t('common.timeRunningOut') : '';
    $('extend').classList.toggle('primary', on);
    $('extend').classList.toggle('secondary', !on);
    $('extend').classList.toggle('attention', on);
    if (!on) $('alert').textContent = '';
  }

  // ---- wiring ------------------------------------------------------------------------------

  function connect() {
    const events = new EventSource('/api/events');
    // Versions only grow within one run of the service; after a reconnect (the service may have
    // restarted and counts from 1 again) the first state is taken whatever its version.
    let fresh = true;
    events.addEventListener('open', () => { fresh = true; });
    events.addEventListener('state', (event) => {
      const next = JSON.parse(event.data);
      if (!fresh && state && next.version < state.version) return;
      fresh = false;
      render(next);
    });
  }

  // Lays every language's text out once, hidden, so the first switch to a language does not wait for its fonts.
  function warmUpFonts() {
    const holder = h('div', { class: 'font-warm-up', 'aria-hidden': 'true' },
      LANGUAGES.map((lang) => h('p', { lang }, Object.values(strings[lang] || {}).slice(0, 40).join(' '))));
    document.body.append(holder);
    requestAnimationFrame(() => requestAnimationFrame(() => holder.remove()));
  }

  function wire() {
    $('listen-again').addEventListener('click', () => { if (state) speakScreen(true); });
    $('large-text').addEventListener('click', () => send({ type: 'set-large-text', enabled: !state.largeText }));
    $('high-contrast').addEventListener('click', () => send({ type: 'set-high-contrast', enabled: !state.highContrast }));
    $('cancel').addEventListener('click', (event) => { if (state && state.cancelAllowed) openDialog({ kind: 'cancel' }, event.currentTarget); });
    $('language').addEventListener('click', (event) => { if (state) openDialog({ kind: 'language' }, event.currentTarget); });
    $('extend').addEventListener('click', () => send({ type: 'extend-time' }));
    $('cancel').dataset.focus = 'cancel';
    $('extend').dataset.focus = 'extend';
    $('language').dataset.focus = 'language';
    $('language').prepend(svg(ICONS.globe, 'icon'));
    $('cancel').prepend(svg(ICONS.no, 'icon'));
    document.addEventListener('keydown', onKeyDown);
    setInterval(tick, 250);
    window.addEventListener('resize', () => { consentPageSize = Infinity; summaryLimit = Infinity; rerender(); });
  }

  async function start() {
    wire();
    // The browser may come up before the service: keep trying until the string tables load.
    for (;;) {
      try {
        await loadStrings();
        break;
      } catch (e) {
        await new Promise((resolve) => { setTimeout(resolve, 1000); });
      }
    }
    warmUpFonts();
    connect();
  }

  start();
})();
