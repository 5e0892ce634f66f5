"""Which text encoding a file's bytes are in, decided from a sample, never from its name.

The rule, measured on the published files (see QUIRKS.md): French public files are UTF-8
(with or without BOM) or Windows-1252 (which the world calls "latin-1" or "ANSI"); a file
whose name says "utf8" may well be cp1252, and one file (Vendée 2018) mixes both line by
line. So:

- a BOM decides (UTF-8, UTF-16 LE/BE);
- a sample that decodes as UTF-8 is UTF-8;
- a sample with invalid UTF-8 and no valid multi-byte UTF-8 sequence is cp1252 (latin-1's
  printable characters are the same; its C1 controls never occur in real text);
- a sample with both is *mixed*: decoded as UTF-8 where valid, cp1252 byte by byte elsewhere.

charset-normalizer is not used: on these short, mostly-ASCII French files its guesses
(cp1250, mac_roman, ...) were worse than this rule, and it costs a full pass.

Every decoder is given the ``fundtrail-cp1252`` error handler, so that bytes a sample did not
show (a cp1252 line late in a UTF-8 file) never stop the read: they decode as cp1252 (the five
bytes cp1252 leaves undefined decode as their latin-1 code points) and are counted.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field

HANDLER = "fundtrail-cp1252"

# Sequences that UTF-8 text shows once it has been decoded as cp1252/latin-1 and saved again.
_MOJIBAKE = re.compile("Ã[\u00a0-\u00bf]|Ã[©¨ª«®´¹»¼§¢]|Â[\u00a0°«»]|â€[™œ\u009d“”˜¦]")


@dataclass
class FallbackCounter:
    """How many bytes were decoded by the cp1252 fallback (shared by all decoders)."""

    count: int = 0


_COUNTER = FallbackCounter()


def _cp1252_fallback(error: UnicodeError) -> tuple[str, int]:
    """Return the cp1252 reading of the undecodable bytes so that decoding goes on."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    bad = error.object[error.start : error.end]
    _COUNTER.count += len(bad)
    return bad.decode("cp1252", errors="fundtrail-latin1"), error.end


def _cp1252_or_latin1(error: UnicodeError) -> tuple[str, int]:
    """Return latin-1 code points for the five bytes cp1252 leaves undefined."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    return "".join(chr(b) for b in error.object[error.start : error.end]), error.end


codecs.register_error(HANDLER, _cp1252_fallback)
codecs.register_error("fundtrail-latin1", _cp1252_or_latin1)


def fallback_count() -> int:
    """Return how many bytes the cp1252 fallback has decoded in this process so far."""
    return _COUNTER.count


@dataclass
class Encoding:
    """The decision for one file: codec name, the errors handler to use, and table notes."""

    codec: str  # python codec name: "utf-8-sig", "utf-8", "cp1252", "utf-16"
    label: str  # what Table.encoding says: "utf-8-sig", "utf-8", "cp1252", "mixed", ...
    errors: str = HANDLER
    mojibake: bool = False
    notes: list[str] = field(default_factory=list)


def _utf8_valid_multibyte(text: str) -> int:
    """Return how many non-ASCII characters of a surrogateescape decoding are real UTF-8."""
    return sum(1 for ch in text if ch > "\x7f" and not "\udc80" <= ch <= "\udcff")


def detect(sample: bytes, name: str = "") -> Encoding:
    """Return the encoding of a file from the first bytes of it (cut at a line end)."""
    if sample.startswith(codecs.BOM_UTF8):
        enc = Encoding("utf-8-sig", "utf-8-sig")
        text = sample[3:].decode("utf-8", errors=HANDLER)
    elif sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # Excel's "Unicode text" export; the utf-16 codec reads and drops the BOM itself.
        enc = Encoding("utf-16", "utf-16", errors="replace")
        text = sample.decode("utf-16", errors="replace")
    else:
        # A sample cut in the middle of a multi-byte character would look invalid: callers
        # cut at a newline, and the last 3 bytes are ignored here for safety.
        probe = sample.decode("utf-8", errors="surrogateescape")
        trimmed = probe[:-3] if len(sample) > 3 else probe
        lowered = name.lower().replace("_", "-")
        invalid = sum(1 for ch in trimmed if "\udc80" <= ch <= "\udcff")
        if invalid == 0:
            enc = Encoding("utf-8", "utf-8")
            text = probe
            says_latin = any(w in lowered for w in ("latin", "8859", "1252", "ansi"))
            if says_latin and _utf8_valid_multibyte(trimmed):
                enc.notes.append("encoding-mislabelled")
        elif _utf8_valid_multibyte(trimmed) >= 2:
            enc = Encoding("utf-8", "mixed")
            enc.notes.append("encoding-mixed")
            text = sample.decode("utf-8", errors=HANDLER)
        else:
            enc = Encoding("cp1252", "cp1252", errors="fundtrail-latin1")
            text = sample.decode("cp1252", errors="fundtrail-latin1")
            if "utf8" in lowered or "utf-8" in lowered:
                enc.notes.append("encoding-mislabelled")
    if _MOJIBAKE.search(text):
        enc.mojibake = True
        enc.notes.append("text-mojibake")
    return enc


def decode_sample(sample: bytes, enc: Encoding) -> str:
    """Return ``sample`` decoded as the file will be (BOM removed)."""
    return codecs.decode(sample, enc.codec, errors=enc.errors)
