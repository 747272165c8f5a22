"""Per-language phrase tables for the scenario chats.

Each kind of line has a few phrasings; the generator picks among them with a seeded
random generator. The kinds are what the scenarios need to show (a question, a
follow-up, good news, an enthusiastic or a flat reply...). English phrasings are written
so that both the keyword stand-in of the features layer (``tests.synthetic``) and the
real detectors read them as their kind; German and Spanish are written as people chat
in them (not word for word), and the real detectors must read them alike
(tests/test_scenarios_languages.py). Every language has the same kinds and the same
number of phrasings per kind, so the seeded generator draws the same numbers and each
language's chat has the same times and kinds of line as the English one.
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
    "de": {
        "open": ("hey, wie läuft dein Tag?", "na, was machst du gerade?", "hallo du"),
        "chat": (
            "bin gerade von der Arbeit heimgekommen",
            "Mittagessen war okay, wie immer in der Kantine",
            "schon wieder Stau auf dem Heimweg",
            "lese grad ein Buch auf dem Sofa",
            "koche heute Abend Nudeln",
        ),
        "answer": (
            "nicht schlecht, viel zu tun",
            "alles gut hier",
            "ziemlich ruhig heute",
            "ja, bei mir auch",
        ),
        "question": ("was hast du heute gemacht?", "wie läuft das Projekt?", "gibt's was Neues?"),
        "followup": (
            "und, wie ist es gelaufen?",
            "echt? erzähl mal mehr",
            "und was ist dann passiert?",
        ),
        "ping": ("bist du da?", "??", "hallo?"),
        "flat": ("ok", "cool", "schön"),
        "good_news": (
            "ich hab den Job bekommen!!",
            "ich hab die Prüfung bestanden",
            "bin heute befördert worden",
        ),
        "cheer": (
            "Glückwunsch!! bin so stolz auf dich 🎉",
            "wie genial!! erzähl mir alles",
            "so stolz auf dich 🎉",
        ),
        "miss": (
            "vermisse dich! ist echt lange her",
            "hab heute an dich gedacht",
            "lange nicht gesehen, vermiss dich",
        ),
        "affection": ("hab dich lieb ❤", "du bist die Beste"),
        "laugh": ("haha das ist so lustig 😂", "hahaha ja"),
        "thanks": ("vielen lieben Dank", "danke, weiß ich echt zu schätzen"),
        "sharp": ("egal", "du hörst nie zu", "du machst das immer so"),
        "sorry": (
            "sorry wegen gestern, das war unfair von mir",
            "tut mir leid, das war nicht fair von mir",
        ),
        "bye": ("wir schreiben später", "gute Nacht", "bis dann"),
    },
    "es": {
        "open": ("hola, ¿qué tal tu día?", "¡buenos días! ¿qué haces?", "holaa"),
        "chat": (
            "acabo de llegar a casa del trabajo",
            "la comida bien, en el sitio de siempre",
            "otra vez atasco volviendo a casa",
            "leyendo un libro en el sofá",
            "hoy ceno pasta",
        ),
        "answer": (
            "nada mal, día movido",
            "todo bien por aquí",
            "bastante tranquilo hoy",
            "sí, igual",
        ),
        "question": ("¿qué hiciste hoy?", "¿cómo va el proyecto?", "¿alguna novedad?"),
        "followup": ("¿y cómo te fue?", "¿en serio? cuéntame más", "¿y qué pasó después?"),
        "ping": ("¿estás?", "??", "¿hola?"),
        "flat": ("ok", "vale", "bueno"),
        "good_news": ("¡¡me dieron el trabajo!!", "aprobé el examen", "hoy me ascendieron"),
        "cheer": (
            "¡¡felicidades!! qué orgullo 🎉",
            "¡¡increíble!! cuéntamelo todo",
            "qué orgullo me das 🎉",
        ),
        "miss": (
            "¡te echo de menos! ha pasado mucho tiempo",
            "hoy pensé en ti",
            "cuánto tiempo sin vernos, te extraño",
        ),
        "affection": ("te quiero ❤", "eres lo más"),
        "laugh": ("jajaja qué gracioso 😂", "jaja sí"),
        "thanks": ("muchas gracias", "te lo agradezco de verdad"),
        "sharp": ("lo que sea", "nunca me escuchas", "siempre haces lo mismo"),
        "sorry": ("perdón por lo de ayer, me pasé", "lo siento, no fue justo de mi parte"),
        "bye": ("hablamos luego", "buenas noches", "nos vemos"),
    },
}
"""phrase kind -> phrasings, per ISO 639-1 language code."""
