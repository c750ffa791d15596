"""Kazakh between scripts: Cyrillic → Latin (2021 official alphabet or informal ASCII) and back.

The 2021 alphabet: ә ä, ғ ğ, қ q, ң ñ, ө ö, ұ ū, ү ü, ш ş, ч ç, і ı, ы y, и/й i, ж j, х/һ h,
я ia, ю iu. People without that keyboard write ASCII: zh for ж, sh for ш, and the Kazakh letters
as their Russian twins (ә a, қ k, ұ/ү u, і i). Latin → Cyrillic cannot know which twin was meant
in ASCII; it writes the Russian-keyboard form, which is what people type in Cyrillic too, and the
models read both through `fold`.
"""

from __future__ import annotations

import random
import re

_OFFICIAL = {
    "а": "a", "ә": "ä", "б": "b", "в": "v", "г": "g", "ғ": "ğ", "д": "d", "е": "e", "ё": "io",
    "ж": "j", "з": "z", "и": "i", "й": "i", "к": "k", "қ": "q", "л": "l", "м": "m", "н": "n",
    "ң": "ñ", "о": "o", "ө": "ö", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ұ": "ū",
    "ү": "ü", "ф": "f", "х": "h", "һ": "h", "ц": "ts", "ч": "ç", "ш": "ş", "щ": "şş", "ъ": "",
    "ы": "y", "і": "ı", "ь": "", "э": "e", "ю": "iu", "я": "ia",
}  # fmt: skip
_ASCII = dict(
    _OFFICIAL,
    **{"ә": "a", "ғ": "g", "қ": "k", "ң": "n", "ө": "o", "ұ": "u", "ү": "u", "ч": "ch",
       "ш": "sh", "щ": "sh", "ж": "zh", "і": "i"},
)  # fmt: skip
# Informal spellings seen in chats, chosen per word when generating training text.
_ASCII_VARIANTS = {
    "ж": ("zh", "j"), "қ": ("k", "q"), "ш": ("sh",), "ғ": ("g", "gh"), "ң": ("n", "ng"),
    "ы": ("y", "i"), "я": ("ia", "ya"), "ю": ("iu", "yu"), "х": ("h", "kh"), "ч": ("ch",),
}  # fmt: skip


def _apply(text: str, table: dict[str, str]) -> str:
    out = []
    for ch in text:
        low = ch.lower()
        if low in table:
            rep = table[low]
            out.append(rep.capitalize() if ch != low and rep else rep)
        else:
            out.append(ch)
    return "".join(out)


def to_latin(text: str) -> str:
    """Kazakh Cyrillic in the 2021 official Latin alphabet."""
    return _apply(text, _OFFICIAL)


def to_ascii(text: str, rng: random.Random | None = None) -> str:
    """Kazakh Cyrillic as typed on an English keyboard; with `rng`, informal variants per word."""
    if rng is None:
        return _apply(text, _ASCII)
    words = re.split(r"(\W+)", text)
    out = []
    for w in words:
        table = dict(_ASCII)
        for letter, options in _ASCII_VARIANTS.items():
            table[letter] = rng.choice(options)
        out.append(_apply(w, table))
    return "".join(out)


_TO_CYRILLIC = [
    ("şş", "щ"), ("sh", "ш"), ("ş", "ш"), ("zh", "ж"), ("ch", "ч"), ("ç", "ч"), ("kh", "х"),
    ("ia", "я"), ("ya", "я"), ("iu", "ю"), ("yu", "ю"), ("io", "ё"),
    ("ä", "ә"), ("ğ", "ғ"), ("q", "қ"), ("ñ", "ң"), ("ö", "ө"), ("ū", "ұ"), ("ü", "ү"),
    ("ı", "і"), ("y", "ы"), ("a", "а"), ("b", "б"), ("v", "в"), ("g", "г"), ("d", "д"),
    ("e", "е"), ("j", "ж"), ("z", "з"), ("i", "и"), ("k", "к"), ("l", "л"), ("m", "м"),
    ("n", "н"), ("o", "о"), ("p", "п"), ("r", "р"), ("s", "с"), ("t", "т"), ("u", "у"),
    ("f", "ф"), ("h", "х"), ("w", "ш"), ("x", "х"), ("c", "с"),
]  # fmt: skip
_TO_CYRILLIC_RE = re.compile("|".join(re.escape(k) for k, _ in _TO_CYRILLIC))
_TO_CYRILLIC_MAP = dict(_TO_CYRILLIC)


_VOWELS = "аәеоөұүыіиуэюя"
# Latin i after a vowel and before a consonant or the end of a word is й (bermeidi → бермейді).
_SHORT_I = re.compile(f"(?<=[{_VOWELS}])и(?![{_VOWELS}])")


def to_cyrillic(text: str) -> str:
    """Latin-script Kazakh (official or ASCII) back in Cyrillic, lower case."""
    cyrillic = _TO_CYRILLIC_RE.sub(lambda m: _TO_CYRILLIC_MAP[m.group()], text.lower())
    return _SHORT_I.sub("й", cyrillic)


# Russian-keyboard typing: Kazakh letters replaced by their Russian twins.
_TWINS = str.maketrans("әғқңөұүһіӘҒҚҢӨҰҮҺІ", "агкноууhиАГКНОУУHИ")


def without_kazakh_letters(text: str) -> str:
    """Kazakh Cyrillic as typed on a Russian keyboard (қ→к, ү→у, і→и)."""
    return text.translate(_TWINS).replace("h", "х").replace("H", "Х")
