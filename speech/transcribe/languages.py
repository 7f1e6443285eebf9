"""Transcribe's language codes (`en-US`) and Whisper's (`en`), both ways."""

from __future__ import annotations

from core.errors import BadRequest

# Transcribe's LanguageCode enum (botocore's model), in its order.
AWS_CODES = (
    "af-ZA ar-AE ar-SA am-ET cy-GB da-DK de-CH de-DE en-AB en-AU en-GB en-IE en-IN en-US en-WL es-ES es-MX es-US "
    "fa-AF fa-IR fr-CA fr-FR ga-IE gd-GB he-IL hi-IN ht-HT id-ID it-IT ja-JP jv-ID km-KH ko-KR my-MM ms-MY nl-NL "
    "pt-BR pt-PT ru-RU ta-IN te-IN tr-TR zh-CN zh-TW th-TH en-ZA en-NZ vi-VN sv-SE ab-GE ast-ES az-AZ ba-RU be-BY "
    "bg-BG bn-IN bs-BA ca-ES ckb-IQ ckb-IR cs-CZ cy-WL el-GR et-EE et-ET eu-ES fi-FI gl-ES gu-IN ha-NG hr-HR hu-HU "
    "hy-AM is-IS ka-GE kab-DZ kk-KZ kn-IN ky-KG lg-IN lt-LT lv-LV mhr-RU mi-NZ mk-MK ml-IN mn-MN mr-IN mt-MT no-NO "
    "ne-NP or-IN pa-IN pl-PL ps-AF ro-RO rw-RW si-LK sk-SK sl-SI so-SO sq-AL sr-RS su-ID sw-BI sw-KE sw-RW sw-TZ "
    "sw-UG tl-PH tt-RU ug-CN uk-UA uz-UZ wo-SN zh-HK zu-ZA"
).split()

# Where Whisper's code differs from the prefix of Transcribe's.
_TO_WHISPER = {"jv": "jw"}
# The variant a language Whisper identified is reported as, where the first in AWS's list is not the
# most spoken one.
_PREFERRED = {"en": "en-US", "es": "es-US", "fr": "fr-FR", "pt": "pt-BR", "de": "de-DE", "ar": "ar-SA",
              "zh": "zh-CN", "sw": "sw-KE", "fa": "fa-IR", "cy": "cy-GB", "et": "et-EE", "ckb": "ckb-IQ"}


def to_whisper(code: str, supported: frozenset[str]) -> str:
    """The Whisper code of a Transcribe code; BadRequest when the model cannot transcribe it."""
    if code not in AWS_CODES:
        raise BadRequest(f"The language code {code!r} is not a Transcribe language code.")
    prefix = code.split("-")[0]
    whisper = _TO_WHISPER.get(prefix, prefix)
    if whisper not in supported:
        raise BadRequest(f"The language code {code} is not supported by the selected speech model.")
    return whisper


def to_aws(whisper: str, options: list[str] | None = None) -> str | None:
    """The Transcribe code for a language Whisper identified: among `options` when given."""
    prefix = next((p for p, w in _TO_WHISPER.items() if w == whisper), whisper)
    candidates = [c for c in (options or AWS_CODES) if c.split("-")[0] == prefix]
    if not candidates:
        return None
    preferred = _PREFERRED.get(prefix)
    return preferred if preferred in candidates else candidates[0]
