/**
 * Which network addresses a download may connect to: public unicast only. Refused: loopback
 * (unless a test allows it), private (10/8, 172.16/12, 192.168/16), shared/CGNAT (100.64/10),
 * link-local (169.254/16 — the cloud metadata service lives at 169.254.169.254 — and fe80::/10),
 * unique-local (fc00::/7), unspecified (0.0.0.0/8, ::), multicast, broadcast and the reserved and
 * documentation ranges (IANA special-purpose registries, RFC 6890). IPv6 forms that carry an
 * IPv4 address (v4-mapped ::ffff:0:0/96, v4-compatible ::/96, NAT64 64:ff9b::/96, 6to4
 * 2002::/16) are judged by the IPv4 address inside.
 *
 * The check runs twice: on the URL's host when it is an address literal (the WHATWG URL parser
 * has already turned decimal, octal and hex forms such as 2130706433 or 0x7f.1 into 127.0.0.1),
 * and in the DNS lookup the connection itself uses (guardedLookup), so every hop — and every
 * reconnect — is judged by the address actually dialled, which also defeats DNS rebinding.
 */
import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions, type LookupOneOptions } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { OmveeError } from '../../core/errors.ts';

export type AddressKind = 'public' | 'loopback' | 'private' | 'link-local' | 'unique-local' | 'unspecified' | 'multicast' | 'reserved';

function blockList(entries: [string, number, 'ipv4' | 'ipv6'][]): BlockList {
  const list = new BlockList();
  for (const [net, prefix, type] of entries) list.addSubnet(net, prefix, type);
  return list;
}

const V4: [AddressKind, BlockList][] = [
  ['unspecified', blockList([['0.0.0.0', 8, 'ipv4']])],
  ['loopback', blockList([['127.0.0.0', 8, 'ipv4']])],
  ['private', blockList([['10.0.0.0', 8, 'ipv4'], ['172.16.0.0', 12, 'ipv4'], ['192.168.0.0', 16, 'ipv4'], ['100.64.0.0', 10, 'ipv4']])],
  ['link-local', blockList([['169.254.0.0', 16, 'ipv4']])],
  ['multicast', blockList([['224.0.0.0', 4, 'ipv4']])],
  [
    'reserved',
    blockList([
      ['192.0.0.0', 24, 'ipv4'], // IETF protocol assignments
      ['192.0.2.0', 24, 'ipv4'], // TEST-NET-1
      ['198.18.0.0', 15, 'ipv4'], // benchmarking
      ['198.51.100.0', 24, 'ipv4'], // TEST-NET-2
      ['203.0.113.0', 24, 'ipv4'], // TEST-NET-3
      ['240.0.0.0', 4, 'ipv4'], // reserved, and 255.255.255.255 broadcast
    ]),
  ],
];

const V6: [AddressKind, BlockList][] = [
  ['unspecified', blockList([['::', 128, 'ipv6']])],
  ['loopback', blockList([['::1', 128, 'ipv6']])],
  ['link-local', blockList([['fe80::', 10, 'ipv6']])],
  ['unique-local', blockList([['fc00::', 7, 'ipv6'], ['fec0::', 10, 'ipv6']])],
  ['multicast', blockList([['ff00::', 8, 'ipv6']])],
  ['reserved', blockList([['100::', 64, 'ipv6'], ['2001:db8::', 32, 'ipv6'], ['2001::', 23, 'ipv6']])],
];

/** the 16 bytes of an IPv6 address (any textual form, including a dotted IPv4 tail) */
function ipv6Bytes(address: string): number[] | null {
  let text = address.toLowerCase().split('%')[0]!;
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (tail) {
    const parts = tail[1]!.split('.').map(Number);
    text = `${text.slice(0, -tail[1]!.length)}${((parts[0]! << 8) | parts[1]!).toString(16)}:${((parts[2]! << 8) | parts[3]!).toString(16)}`;
  }
  const [head, rest] = text.includes('::') ? (text.split('::') as [string, string]) : [text, null];
  const left = head ? head.split(':') : [];
  const right = rest ? rest.split(':') : [];
  const missing = 8 - left.length - right.length;
  if (rest === null && left.length !== 8) return null;
  if (missing < 0) return null;
  const groups = [...left, ...Array.from({ length: rest === null ? 0 : missing }, () => '0'), ...right];
  const bytes: number[] = [];
  for (const g of groups) {
    const n = parseInt(g || '0', 16);
    if (!Number.isFinite(n) || n < 0 || n > 0xffff) return null;
    bytes.push(n >> 8, n & 0xff);
  }
  return bytes.length === 16 ? bytes : null;
}

/** the IPv4 address an IPv6 address carries (mapped, compatible, NAT64, 6to4), or null */
function embeddedIpv4(address: string): string | null {
  const b = ipv6Bytes(address);
  if (!b) return null;
  const v4 = (from: number): string => b.slice(from, from + 4).join('.');
  const zero = (from: number, to: number): boolean => b.slice(from, to).every((x) => x === 0);
  if (zero(0, 10) && b[10] === 0xff && b[11] === 0xff) return v4(12); // ::ffff:a.b.c.d
  if (zero(0, 12) && !zero(12, 16) && !(zero(12, 15) && b[15] === 1)) return v4(12); // ::a.b.c.d (deprecated)
  if (b[0] === 0x00 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && zero(4, 12)) return v4(12); // 64:ff9b::/96
  if (b[0] === 0x20 && b[1] === 0x02) return v4(2); // 2002:AABB:CCDD::/48
  return null;
}

/** What kind of address this is (an IP literal without brackets). Not an IP → 'reserved'. */
export function classifyAddress(address: string): AddressKind {
  const family = isIP(address);
  if (family === 4) {
    for (const [kind, list] of V4) if (list.check(address, 'ipv4')) return kind;
    return 'public';
  }
  if (family === 6) {
    const inner = embeddedIpv4(address);
    if (inner) return classifyAddress(inner);
    for (const [kind, list] of V6) if (list.check(address, 'ipv6')) return kind;
    return 'public';
  }
  return 'reserved';
}

export interface AddressPolicy {
  /** tests: allow loopback addresses (127/8, ::1); never private or link-local ones */
  allowLoopback: boolean;
}

/** null when a download may connect to `address`, else the reason (for the error message) */
export function refusalReason(address: string, policy: AddressPolicy): AddressKind | null {
  const kind = classifyAddress(address);
  if (kind === 'public') return null;
  if (kind === 'loopback' && policy.allowLoopback) return null;
  return kind;
}

export function refusedAddress(host: string, address: string, kind: AddressKind): OmveeError {
  const shown = host === address ? address : `${host} (${address})`;
  return new OmveeError('provider', `refusing to download from ${shown}: it is a ${kind} address, not a public one`, {
    hint: 'Provider outputs are served from public https hosts; a URL pointing into a private network is never fetched.',
    details: { host, address, kind, refused: true },
  });
}

/** The URL's host when it is an IP literal (brackets removed), else null. */
export function literalAddress(hostname: string): string | null {
  const bare = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  return isIP(bare) ? bare : null;
}

/** Refuse a URL whose host is an address literal we may not connect to. */
export function checkLiteralHost(url: URL, policy: AddressPolicy): void {
  const address = literalAddress(url.hostname);
  if (address === null) return;
  const kind = refusalReason(address, policy);
  if (kind) throw refusedAddress(url.hostname, address, kind);
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for http(s).request / net.connect that resolves with `resolve` (default dns.lookup)
 * and refuses the connection when ANY address the name resolves to may not be dialled. Works
 * for both shapes Node asks for (one address, or `all: true` with happy eyeballs).
 */
export function guardedLookup(policy: AddressPolicy, resolve: LookupFunction = dnsLookup as unknown as LookupFunction): LookupFunction {
  return ((hostname: string, options: LookupOneOptions | LookupAllOptions | LookupCallback, callback?: LookupCallback) => {
    const cb = (typeof options === 'function' ? options : callback) as LookupCallback;
    const opts = (typeof options === 'function' ? {} : options) as LookupAllOptions | LookupOneOptions;
    (resolve as (h: string, o: LookupAllOptions, c: (err: NodeJS.ErrnoException | null, addresses: LookupAddress[] | string, family?: number) => void) => void)(
      hostname,
      { ...opts, all: true },
      (err, addresses) => {
        if (err) return cb(err, opts.all ? [] : '', undefined);
        const list: LookupAddress[] = Array.isArray(addresses) ? addresses : [{ address: String(addresses), family: isIP(String(addresses)) }];
        if (list.length === 0) return cb(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }), opts.all ? [] : '', undefined);
        for (const { address } of list) {
          const kind = refusalReason(address, policy);
          if (kind) return cb(refusedAddress(hostname, address, kind) as unknown as NodeJS.ErrnoException, opts.all ? [] : '', undefined);
        }
        if (opts.all) return cb(null, list);
        cb(null, list[0]!.address, list[0]!.family);
      },
    );
  }) as LookupFunction;
}
