import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, isOwnHost, isSameOrigin, isTrustedSenderUrl } from './security.js';

describe('isTrustedSenderUrl', () => {
  const trusted = { appOrigin: 'app://console', rendererDirUrl: 'file:///opt/switchboard/renderer/dist/', devOrigin: 'http://localhost:5173' };

  it.each([
    'app://console/index.html',
    'app://console/assets/x.js?v=1#h',
    'file:///opt/switchboard/renderer/dist/index.html',
    'file:///opt/switchboard/renderer/dist/nested/page.html',
    'http://localhost:5173/',
    'http://localhost:5173/src/main.tsx',
  ])('trusts %s', (url) => expect(isTrustedSenderUrl(url, trusted)).toBe(true));

  it.each([
    undefined,
    '',
    'not a url',
    'about:blank',
    'data:text/html,<script>1</script>',
    'app://console.evil.example/index.html',
    'app://user@console/index.html',
    'app://other/index.html',
    'file:///opt/switchboard/renderer/dist-evil/index.html',
    'file:///opt/switchboard/renderer/dist/../../secrets.html',
    'file:///etc/passwd',
    'file://remote-host/opt/switchboard/renderer/dist/index.html',
    'http://localhost:5174/',
    'https://localhost:5173/',
    'http://127.0.0.1:5173/',
    'http://localhost.evil.example:5173/',
    'devtools://devtools/bundled/index.html',
  ])('refuses %s', (url) => expect(isTrustedSenderUrl(url, trusted)).toBe(false));

  it('trusts nothing when nothing is configured', () => {
    expect(isTrustedSenderUrl('app://console/index.html', {})).toBe(false);
    expect(isTrustedSenderUrl('file:///index.html', {})).toBe(false);
    expect(isTrustedSenderUrl('http://localhost:5173/', {})).toBe(false);
  });
});

describe('origin and host checks', () => {
  it('accepts only the exact origin, and refuses a missing one', () => {
    expect(isSameOrigin('http://127.0.0.1:4000', 'http://127.0.0.1:4000')).toBe(true);
    for (const origin of [undefined, '', 'null', 'http://localhost:4000', 'http://127.0.0.1:4001', 'http://127.0.0.1:4000/', 'https://127.0.0.1:4000']) {
      expect(isSameOrigin(origin, 'http://127.0.0.1:4000')).toBe(false);
    }
  });

  it('accepts only the bridge itself as Host (DNS rebinding pages carry their own name)', () => {
    expect(isOwnHost('127.0.0.1:4000', '127.0.0.1', 4000)).toBe(true);
    for (const host of [undefined, 'localhost:4000', 'evil.example:4000', '127.0.0.1', '127.0.0.1:4001']) expect(isOwnHost(host, '127.0.0.1', 4000)).toBe(false);
  });
});

describe('contentSecurityPolicy', () => {
  it('allows only the app itself, no inline script, no framing', () => {
    const csp = contentSecurityPolicy({ connect: ['ws://127.0.0.1:4000'] });
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("connect-src 'self' ws://127.0.0.1:4000");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/unsafe-(inline|eval)/);
    expect(contentSecurityPolicy()).toContain("connect-src 'self';");
  });
});
