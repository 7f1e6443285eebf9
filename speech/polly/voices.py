"""The voices this gateway speaks with.

Polly's `VoiceId` is a closed set of names in AWS's API (botocore validates it as an enum), so our
voices carry those names: a client that asks for "Joanna" gets an American English female voice
here too, made by espeak-ng's en-us voice with one of its female variants. Voices of one language
and gender differ by espeak-ng variant, so two names never sound identical. The male American
voices also have a neural engine: the bundled Piper voice "joe". Three US English names no other
voice uses are flite's voices (speech/engines/tts_flite.py), there only when flite is installed.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.errors import ValidationError
from speech.engines import tts_flite

STANDARD = "standard"
NEURAL = "neural"


@dataclass(frozen=True)
class Voice:
    id: str
    gender: str  # "Female" | "Male"
    language_code: str  # Polly's code, e.g. "en-US"
    language_name: str  # as Polly names it, e.g. "US English"
    espeak: str  # espeak-ng voice name with its variant, e.g. "en-us+f3"
    engines: tuple[str, ...] = (STANDARD,)
    additional_language_codes: tuple[str, ...] = ()
    flite: str = ""  # the flite voice that says it instead of espeak-ng, e.g. "slt"


# espeak-ng's variants (espeak-ng-data/voices/!v), enough for the largest language (US English), most
# intelligible first (Whisper tiny.en's WER on Harvard sentences, bench/polly_bench.py), so each
# language's first names (Joanna, Joey, Amy, Brian) get the clearest ones.
_FEMALE_VARIANTS = ("f3", "f2", "f5", "f4", "linda", "belinda", "f1")
_MALE_VARIANTS = ("m1", "m4", "m6", "m5", "m2", "m3", "m7")


def _voices(language_code: str, language_name: str, espeak: str, females: str, males: str = "",
            neural_males: str = "") -> list[Voice]:
    """A language's voices, each name on its own espeak-ng variant; neural males also get Piper."""
    made = [Voice(name, "Female", language_code, language_name, f"{espeak}+{variant}")
            for name, variant in zip(females.split(), _FEMALE_VARIANTS)]
    made += [Voice(name, "Male", language_code, language_name, f"{espeak}+{variant}",
                   (STANDARD, NEURAL) if name in neural_males.split() else (STANDARD,))
             for name, variant in zip(males.split(), _MALE_VARIANTS)]
    return made


VOICES: dict[str, Voice] = {
    voice.id: voice
    for voice in [
        *_voices("en-US", "US English", "en-us", "Joanna Salli Kendra Kimberly Ivy Ruth Danielle",
                 "Joey Matthew Justin Kevin Stephen Gregory", neural_males="Joey Matthew Stephen Gregory"),
        *_voices("en-GB", "British English", "en-gb-x-rp", "Amy Emma", "Brian Arthur"),
        *_voices("en-AU", "Australian English", "en", "Nicole Olivia", "Russell"),
        *_voices("en-IN", "Indian English", "en", "Raveena"),
        *_voices("en-GB-WLS", "Welsh English", "en-gb-x-gbcwmd", "", "Geraint"),
        *_voices("en-NZ", "New Zealand English", "en", "Aria"),
        *_voices("en-ZA", "South African English", "en", "Ayanda"),
        *_voices("en-IE", "Irish English", "en", "Niamh"),
        *_voices("en-SG", "Singaporean English", "en", "Jasmine"),
        *_voices("cy-GB", "Welsh", "cy", "Gwyneth"),
        *_voices("de-DE", "German", "de", "Marlene Vicki", "Hans Daniel"),
        *_voices("de-AT", "Austrian German", "de", "Hannah"),
        *_voices("de-CH", "Swiss German", "de", "Sabrina"),
        *_voices("fr-FR", "French", "fr", "Celine Lea", "Mathieu Remi"),
        *_voices("fr-CA", "Canadian French", "fr", "Chantal Gabrielle", "Liam"),
        *_voices("fr-BE", "Belgian French", "fr-be", "Isabelle"),
        *_voices("es-ES", "Castilian Spanish", "es", "Conchita Lucia", "Enrique Sergio"),
        *_voices("es-MX", "Mexican Spanish", "es-419", "Mia", "Andres"),
        *_voices("es-US", "US Spanish", "es-419", "Lupe Penelope", "Miguel Pedro"),
        *_voices("it-IT", "Italian", "it", "Carla Bianca", "Giorgio Adriano"),
        *_voices("pt-PT", "Portuguese", "pt", "Ines", "Cristiano"),
        *_voices("pt-BR", "Brazilian Portuguese", "pt-br", "Vitoria Camila", "Ricardo Thiago"),
        *_voices("nl-NL", "Dutch", "nl", "Lotte Laura", "Ruben"),
        *_voices("nl-BE", "Belgian Dutch", "nl", "Lisa"),
        *_voices("da-DK", "Danish", "da", "Naja Sofie", "Mads"),
        *_voices("nb-NO", "Norwegian", "nb", "Liv Ida"),
        *_voices("sv-SE", "Swedish", "sv", "Astrid Elin"),
        *_voices("pl-PL", "Polish", "pl", "Ewa Maja Ola", "Jacek Jan"),
        *_voices("ru-RU", "Russian", "ru", "Tatyana", "Maxim"),
        *_voices("ro-RO", "Romanian", "ro", "Carmen"),
        *_voices("tr-TR", "Turkish", "tr", "Filiz Burcu"),
        *_voices("is-IS", "Icelandic", "is", "Dora", "Karl"),
        *_voices("fi-FI", "Finnish", "fi", "Suvi"),
        *_voices("ca-ES", "Catalan", "ca", "Arlet"),
        *_voices("cs-CZ", "Czech", "cs", "Jitka"),
        *_voices("hi-IN", "Hindi", "hi", "Kajal"),
        *_voices("ja-JP", "Japanese", "ja", "Mizuki Kazuha Tomoko", "Takumi"),
        *_voices("ko-KR", "Korean", "ko", "Seoyeon Jihye"),
        *_voices("cmn-CN", "Chinese Mandarin", "cmn", "Zhiyu"),
        *_voices("yue-CN", "Chinese Cantonese", "yue", "Hiujin"),
        *_voices("arb", "Arabic", "ar", "Zeina"),
        *_voices("ar-AE", "Gulf Arabic", "ar", "Hala", "Zayd"),
    ]
}


FLITE_VOICES: dict[str, Voice] = {
    voice.id: voice
    for voice in [Voice("Tiffany", "Female", "en-US", "US English", "", flite="slt"),
                  Voice("Kenneth", "Male", "en-US", "US English", "", flite="rms"),
                  Voice("Nate", "Male", "en-US", "US English", "", flite="kal16")]
}


def available() -> dict[str, Voice]:
    """The voices this gateway can speak with now: flite's only when flite is installed."""
    return {**VOICES, **FLITE_VOICES} if tts_flite.SPEC.locate() else VOICES


def voice(voice_id: str) -> Voice:
    found = available().get(voice_id)
    if found is None:
        # What AWS answers: the id is checked against the enum before anything else.
        raise ValidationError(
            f"1 validation error detected: Value '{voice_id}' at 'voiceId' failed to satisfy constraint: "
            f"Member must satisfy enum value set: [{', '.join(available())}]"
        )
    return found
