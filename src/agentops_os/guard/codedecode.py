"""Decoders interpreter code applies to hide what it runs (base64, hex, base32, rot13,
zlib, `String.fromCharCode`, Perl/Ruby `pack`), applied to literals by the code reader
(coderead). Pure text work: this module imports no other guard module."""

from __future__ import annotations

# What a decoder yields when its input is unknown or does not decode: code built from it
# and then run is asked about.
OBFUSCATED = object()


def _text(value: object) -> str | None:
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return value if isinstance(value, str) else None


def decoded(name: str, recv: object, args: list[object]) -> object:
    first = args[0] if args else recv
    if name == "fromCharCode":
        return "".join(chr(a) for a in args if isinstance(a, int)) if args else None
    if name == "from":  # Buffer.from(text, 'base64')
        return decode(first, _text(args[1]) if len(args) > 1 else "utf-8")
    if name == "pack":  # perl pack('H*', hex); ruby [hex].pack('H*')
        fmt, data = (args[0], args[1] if len(args) > 1 else None) if recv is None else (first, recv)
        data = data[0] if isinstance(data, list) and data else data
        return decode(data, "hex") if isinstance(fmt, str) and fmt.startswith("H") else decode(data, "?")
    if name in ("unpack1", "unpack"):  # ruby "..".unpack1('m')
        fmt = _text(first)
        value = decode(recv, "base64" if fmt is not None and fmt.startswith("m") else "?")
        return [value] if name == "unpack" else value
    encoding = {"fromhex": "hex", "unhexlify": "hex", "a2b_hex": "hex", "hex2bin": "hex", "b16decode": "hex",
                "b32decode": "base32", "str_rot13": "rot13"}.get(name, "base64")  # fmt: skip
    if "decompress" in name or name.startswith(("gz", "inflate", "gunzip")):
        encoding = "zlib"
    return decode(first, encoding)


def decode(data: object, encoding: str | None) -> object:
    """Decode `data` as `encoding` (base64, hex, base32, rot13, zlib); OBFUSCATED when
    the data is unknown or does not decode."""
    import base64
    import binascii
    import codecs
    import zlib

    raw = data.encode("latin-1", "replace") if isinstance(data, str) else data
    if not isinstance(raw, bytes):
        return OBFUSCATED
    encoding = (encoding or "utf-8").lower().replace("-", "_")
    try:
        if encoding in ("base64", "base64url", "b64"):
            return base64.b64decode(raw + b"==", altchars=b"-_" if b"-" in raw or b"_" in raw else None)
        if encoding == "hex":
            return bytes.fromhex(raw.decode("ascii"))
        if encoding == "base32":
            return base64.b32decode(raw)
        if encoding in ("rot13", "rot_13"):
            return codecs.decode(raw.decode("latin-1"), "rot13")
        if encoding == "zlib":
            try:
                return zlib.decompress(raw, 47)  # zlib or gzip header
            except zlib.error:
                return zlib.decompress(raw, -15)  # raw deflate (gzinflate)
        if encoding in ("utf_8", "utf8", "latin1", "ascii", "binary"):
            return raw
    except (binascii.Error, ValueError, zlib.error):
        pass
    return OBFUSCATED
