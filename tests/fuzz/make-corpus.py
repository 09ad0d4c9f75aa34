#!/usr/bin/env python3
# Regenerates the seed corpus in corpus/token (deterministic; run from anywhere).
# The seeds use the secret and time of fuzz-token.c, so valid ones verify and
# the fuzzer starts from tokens that reach every check.
# SPDX-License-Identifier: GPL-3.0-or-later
import base64, hashlib, hmac, json, os

SECRET = b"sotto-fuzzing-secret-32-bytes!!!"
NOW = 1700000000
PIN = base64.b64encode(hashlib.sha256(b"fuzz spki").digest()).decode()
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus", "token")


def b64(raw):
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def token(payload, header='{"alg":"HS256","typ":"JWT"}', digest=hashlib.sha256, key=SECRET):
    if isinstance(payload, dict):
        payload = json.dumps(payload, separators=(",", ":"), ensure_ascii=False)
    head = b64(header.encode()) + "." + b64(payload.encode("utf-8", "surrogatepass"))
    if digest is None:
        return head + "."
    return head + "." + b64(hmac.new(key, head.encode(), digest).digest())


def claims(**over):
    c = {"iss": "fuzz-key", "sid": "fuzz-session", "role": "publisher", "iat": NOW,
         "exp": NOW + 86400, "jti": "AAAAAAAAAAAAAAAAAAAAAA",
         "url": "wss://127.0.0.1:8443", "pin": PIN}
    for k, v in over.items():
        if v is None:
            c.pop(k, None)
        else:
            c[k] = v
    return c


base = json.dumps(claims(), separators=(",", ":"))
seeds = {
    "valid-subscriber": token(claims(role="subscriber")),
    "valid-publisher": token(claims()),
    "valid-moderator": token(claims(role="moderator")),
    "valid-data-nbf": token(claims(data="Room \u201cBlue\u201d\n\u0001 \\ /", nbf=NOW - 5)),
    "valid-ipv6": token(claims(url="wss://[::1]:9443/signal")),
    "alg-none": token(claims(role="moderator"), '{"alg":"none","typ":"JWT"}', None),
    "alg-hs512": token(claims(), '{"alg":"HS512","typ":"JWT"}', hashlib.sha512),
    "alg-rs256": token(claims(), '{"alg":"RS256","typ":"JWT"}'),
    "alg-missing": token(claims(), '{"typ":"JWT"}'),
    "header-crit": token(claims(), '{"alg":"HS256","crit":["b64"],"b64":false}'),
    "duplicate-role": token(base[:-1] + ',"role":"moderator"}'),
    "duplicate-escaped": token(base[:-1] + ',"r\\u006fle":"moderator"}'),
    "missing-exp": token(claims(exp=None)),
    "mistyped-iat": token(claims(iat="1700000000")),
    "float-exp": token(base.replace('"exp":1700086400', '"exp":1700086400.0')),
    "unknown-role": token(claims(role="admin")),
    "wrong-session": token(claims(sid="other-session")),
    "expired": token(claims(iat=NOW - 7200, exp=NOW - 3600)),
    "not-yet-valid": token(claims(nbf=NOW + 3600)),
    "wrong-secret": token(claims(), key=b"x" * 32),
    "bad-url": token(claims(url="wss://user@evil.example")),
    "bad-pin": token(claims(pin=PIN[:-2] + "==")),
    "lone-surrogate": token(base[:-1] + ',"data":"\\ud800"}'),
    "deep-nesting": token(base[:-1] + ',"x":' + "[" * 40 + "]" * 40 + "}"),
    "padded-signature": token(claims()) + "=",
    "truncated": token(claims())[:-10],
    "two-dots-only": "..",
    "empty": "",
    "payload-json": base,
    "payload-escapes": json.dumps(claims(data="\u00e9\U0001F600\t\"\\"), separators=(",", ":")),
    "payload-numbers": '{"iat":-0,"exp":1e3,"nbf":12345678901234567890123,"x":[0.5,-1E-2]}',
}

os.makedirs(OUT, exist_ok=True)
for name, text in seeds.items():
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(text.encode("utf-8"))
# Bytes that are not UTF-8, inside an otherwise good token.
with open(os.path.join(OUT, "invalid-utf8"), "wb") as f:
    t = token(claims()).encode()
    f.write(t[:10] + b"\xff\xfe" + t[12:])
print(f"{len(seeds) + 1} seeds in {OUT}")
