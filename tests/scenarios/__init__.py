"""Generated chats whose truth is known by construction (test support, not fondly itself).

Each scenario writes one relationship's chat from a script (who opens, who answers and how
fast, what is said), so the report's verdicts can be checked against what was built.
Phrases come from a per-language table (``phrases.py``); scenarios never hold text.
"""
