"""English names of the language codes Amazon Translate uses; ListLanguages shows them.

A code missing here (a user's model for a language AWS does not list) is shown under its code.
"""

from __future__ import annotations

LANGUAGE_NAMES = {
    "af": "Afrikaans", "am": "Amharic", "ar": "Arabic", "az": "Azerbaijani", "bg": "Bulgarian", "bn": "Bengali",
    "bs": "Bosnian", "ca": "Catalan", "cs": "Czech", "cy": "Welsh", "da": "Danish", "de": "German",
    "el": "Greek", "en": "English", "es": "Spanish", "es-MX": "Spanish (Mexico)", "et": "Estonian",
    "fa": "Farsi (Persian)", "fa-AF": "Dari", "fi": "Finnish", "fr": "French", "fr-CA": "French (Canada)",
    "ga": "Irish", "gu": "Gujarati", "ha": "Hausa", "he": "Hebrew", "hi": "Hindi", "hr": "Croatian",
    "ht": "Haitian Creole", "hu": "Hungarian", "hy": "Armenian", "id": "Indonesian", "is": "Icelandic",
    "it": "Italian", "ja": "Japanese", "ka": "Georgian", "kk": "Kazakh", "kn": "Kannada", "ko": "Korean",
    "lt": "Lithuanian", "lv": "Latvian", "mk": "Macedonian", "ml": "Malayalam", "mn": "Mongolian",
    "mr": "Marathi", "ms": "Malay", "mt": "Maltese", "nl": "Dutch", "no": "Norwegian (Bokmål)",
    "pa": "Punjabi", "pl": "Polish", "ps": "Pashto", "pt": "Portuguese (Brazil)", "pt-PT": "Portuguese (Portugal)",
    "ro": "Romanian", "ru": "Russian", "si": "Sinhala", "sk": "Slovak", "sl": "Slovenian", "so": "Somali",
    "sq": "Albanian", "sr": "Serbian", "sv": "Swedish", "sw": "Swahili", "ta": "Tamil", "te": "Telugu",
    "th": "Thai", "tl": "Filipino, Tagalog", "tr": "Turkish", "uk": "Ukrainian", "ur": "Urdu", "uz": "Uzbek",
    "vi": "Vietnamese", "zh": "Chinese (Simplified)", "zh-TW": "Chinese (Traditional)",
}


def language_name(code: str) -> str:
    return LANGUAGE_NAMES.get(code, code)
