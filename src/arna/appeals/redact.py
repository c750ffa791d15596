"""Taking personal data out of text that the public will see.

Patterns, not guesses about names: IINs/BINs (12 digits), Kazakhstan phone numbers in their usual
spellings, e-mail addresses. Names of private persons inside free text are not detected here.
"""

from __future__ import annotations

import re

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# +7 / 8 / 7 followed by 10 digits, with spaces, dashes, dots or brackets between groups.
PHONE = re.compile(
    r"(?<!\d)(?:\+\s*7|8|7)?[\s(.-]*\d{3}[\s).-]*\d{3}[\s.-]*\d{2}[\s.-]*\d{2}(?!\d)"
)
DIGIT_RUN = re.compile(r"(?<!\d)\d(?:[\s.-]?\d){11}(?!\d)")  # 12 digits, maybe spaced

REDACTED = {"email": "[e-mail]", "phone": "[phone]", "iin": "[IIN]"}


def redact(text: str) -> str:
    text = EMAIL.sub(REDACTED["email"], text)
    text = DIGIT_RUN.sub(REDACTED["iin"], text)
    return PHONE.sub(REDACTED["phone"], text)
