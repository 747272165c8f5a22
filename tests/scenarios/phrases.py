"""Per-language phrase tables for the scenario chats.

Each kind of line has a few phrasings; the generator picks among them with a seeded
random generator. The kinds are what the scenarios need to show (a question, a
follow-up, good news, an enthusiastic or a flat reply...), and each phrasing is written
so that the keyword stand-in of the features layer (``tests.synthetic``) reads
it as that kind. Another language adds a table with the same keys.
"""

from __future__ import annotations

PHRASES: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "open": ("hey, how is your day going?", "morning! what are you up to?", "hi there"),
        "chat": (
            "just got home from work",
            "lunch was fine, the usual place",
            "traffic again on the way back",
            "reading a book on the couch",
            "cooking pasta tonight",
        ),
        "answer": ("not bad, busy day", "all good here", "pretty quiet today", "yeah same"),
        "question": ("what did you do today?", "how is the project going?", "any news?"),
        "followup": ("how did it go?", "really? tell me more", "what happened then?"),
        "ping": ("you around?", "??", "hello?"),
        "flat": ("ok", "cool", "nice"),
        "good_news": ("i got the job!!", "i passed my exam", "got promoted today"),
        "cheer": ("congrats!! so proud 🎉", "amazing!! tell me everything", "so proud of you 🎉"),
        "miss": ("miss you! been a while", "thinking of you today", "long time no see, miss you"),
        "affection": ("love you ❤", "you're the best"),
        "laugh": ("haha that's so funny 😂", "lol yes"),
        "thanks": ("thank you so much", "really appreciate it"),
        "sharp": ("whatever", "you never listen", "you always do this"),
        "sorry": ("sorry about yesterday, i was unfair", "sorry, that was not fair of me"),
        "bye": ("talk later", "good night", "see you"),
    },
}
"""phrase kind -> phrasings, per ISO 639-1 language code."""
