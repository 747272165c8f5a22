"""The words of the demo: message templates and the vocabulary that fills their slots.

Templates are grouped by what a message *does* (asks, shares good news, supports,
jokes...), because the generator in :mod:`fondly.demo.story` picks a move first and
words second; that keeps the story's shape (who asks, who supports) independent of
phrasing. Slots such as ``{activity}`` are filled once per episode, so a follow-up
question ("how was the first pottery class?") repeats the content word of the
message it answers, which is exactly what a follow-up detector looks for.

Disclosure templates all carry a form of "feel", and no other template does: the
demo's tests count them to check that a friendship deepens. Everything here is
invented for the demo; no sentence comes from a real chat.
"""

from __future__ import annotations

VOCAB: dict[str, list[str]] = {
    "meal": ["dinner", "lunch", "brunch", "drinks", "coffee", "breakfast", "pizza", "a curry"],
    "weekday": ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"],
    "clock": ["7", "7:30", "8", "6:30", "12:30", "1", "6", "8:30"],
    "place": [
        "the ramen place on King St",
        "Luca's",
        "the market",
        "the new taco spot",
        "that pub by the canal",
        "the Thai place near you",
        "the little bakery on the corner",
        "the rooftop bar",
        "the Lebanese place",
        "the dumpling bar",
    ],
    "activity": [
        "pottery",
        "climbing",
        "running club",
        "spanish",
        "baking",
        "yoga",
        "guitar",
        "photography",
        "swimming",
        "life drawing",
    ],
    "work_thing": [
        "the presentation",
        "the quarterly review",
        "the interview",
        "the deadline",
        "the client call",
        "the pitch",
        "the team offsite",
        "the budget meeting",
    ],
    "show": [
        "Severance",
        "the baking show",
        "that heist film",
        "The Bear",
        "the octopus documentary",
        "the new detective series",
        "that podcast about cults",
    ],
    "book": [
        "the Ishiguro one",
        "that thriller you lent me",
        "the book about mushrooms",
        "the memoir",
        "the sci-fi one with the generation ship",
    ],
    "worry": [
        "my dad's health",
        "work",
        "money",
        "the move",
        "my sister",
        "whether I'm any good at this job",
        "the flat situation",
        "my knee",
    ],
    "neg_emotion": [
        "anxious",
        "overwhelmed",
        "low",
        "lonely",
        "stressed",
        "sad",
        "exhausted",
        "stuck",
        "on edge",
    ],
    "pos_emotion": ["happy", "proud", "excited", "relieved", "calm", "hopeful", "grateful"],
    "news": [
        "I got the promotion",
        "my offer on the flat got accepted",
        "I ran 10k without stopping",
        "my article got published",
        "I passed my driving test",
        "they want me to lead the new project",
        "I finally finished the first draft",
        "I got into the masters course",
        "my sister had the baby",
        "the landlord said yes to the cat",
    ],
    "favour": [
        "the soup",
        "listening last night",
        "picking me up from the station",
        "the birthday card",
        "lending me your drill",
        "the book",
        "covering for me",
        "the flowers",
        "checking in on me",
    ],
    "small_event": [
        "a pigeon walked onto the tube and got off at the next stop",
        "my boss called me by my sister's name",
        "I locked myself out again",
        "the barista wrote my name as Aleks with a k",
        "someone brought a dog to the office and nobody worked",
        "I fell asleep on the bus and ended up at the depot",
        "the printer caught actual fire",
        "I saw a man walking a tortoise",
    ],
    "day_detail": [
        "back to back meetings",
        "a long day at the desk",
        "a decent run this morning",
        "too much coffee",
        "a very slow afternoon",
        "finally clearing my inbox",
        "a dentist appointment",
        "sorting out the car",
    ],
    "food": ["dumplings", "tacos", "pasta", "bao", "curry", "pizza", "ramen", "cake"],
    "trip": ["Lisbon", "the Lakes", "Edinburgh", "Porto", "Cornwall", "Amsterdam", "Snowdonia"],
    "new_thing": [
        "a salsa class",
        "that escape room",
        "wild swimming",
        "the night market",
        "a cheese making workshop",
        "indoor skydiving",
        "the silent disco",
    ],
    "goal": [
        "a half marathon",
        "a ceramics course",
        "the management course",
        "learning to code",
        "a photography exhibition",
        "the open mic night",
    ],
    "complaint": [
        "leave your phone on silent",
        "cancel last minute",
        "forget to text back",
        "bring up work when I'm trying to relax",
        "make plans without asking me",
    ],
    "link_topic": [
        "a video of a cat playing the piano",
        "an article about the four day week",
        "a recipe for miso aubergine",
        "the trailer for that film",
        "a thread about terrible flat viewings",
    ],
}

# ---------------------------------------------------------------- openers and day to day
GREETING = [
    "hey you",
    "hiya",
    "hey! how's it going",
    "hello hello",
    "hey, you about?",
    "hi 🙂",
    "oi oi",
    "heyy",
]

ASK_DAY = [
    "how's your day going?",
    "how was work?",
    "how was your day?",
    "how are things?",
    "what are you up to today?",
    "how's your week been?",
    "how did today treat you?",
    "you surviving today?",
]

ANSWER_DAY: dict[str, list[str]] = {
    "activity": [
        "busy, {day_detail}. I'm starting {activity} tonight though",
        "good! {day_detail} and I booked {activity} for next week",
        "pretty good actually, {day_detail}, then {activity} after work",
        "tired. {day_detail}, and I still dragged myself to {activity}",
    ],
    "work_thing": [
        "long. {day_detail} and then prep for {work_thing}",
        "meh. {day_detail}. tomorrow is {work_thing} so fingers crossed",
        "stressful, {work_thing} got moved to friday",
        "fine, mostly {day_detail}. {work_thing} is looming though",
    ],
    "none": [
        "not bad! {day_detail} but ok",
        "honestly fine, {day_detail}",
        "ok, mostly {day_detail}",
        "pretty quiet, {day_detail}",
    ],
}
"""Answers to "how was your day", keyed by the slot a follow-up question can pick up."""

FOLLOWUP_DAY: dict[str, list[str]] = {
    "activity": [
        "wait you're doing {activity} now? since when?",
        "ooh how's {activity} going?",
        "do you like {activity} so far?",
        "is {activity} the one near your work?",
    ],
    "work_thing": [
        "are you nervous about {work_thing}?",
        "is {work_thing} the one you were dreading?",
        "what's the plan for {work_thing}?",
        "wait what happened with {work_thing}?",
    ],
    "none": [
        "wait why {day_detail}?",
        "how come {day_detail}?",
        "was {day_detail} as bad as it sounds?",
    ],
}

ANSWER_FOLLOWUP: dict[str, list[str]] = {
    "activity": [
        "it's actually really fun, the teacher is great",
        "only been twice but I love it",
        "since january! I'm terrible at it but it's the best part of my week",
        "yeah it's 5 minutes from the office, so no excuses",
    ],
    "work_thing": [
        "kind of nervous but I've prepped loads",
        "yeah that one. it'll be fine, I think",
        "we'll see, ask me tomorrow",
        "I'll tell you properly later, it's a long story",
    ],
    "none": [
        "don't ask 😅 it's sorted now",
        "long story, I'll tell you later",
        "honestly it was fine, just a lot",
    ],
}

MIRROR = ["and you?", "what about you?", "wbu?", "how about yours?", "and how are you doing?"]

SHORT_ANSWER = [
    "fine",
    "ok thx",
    "yeah good",
    "busy",
    "same old",
    "not much",
    "all good",
    "yeah",
]

ACK = [
    "ah nice",
    "fair enough",
    "makes sense",
    "ha ok",
    "love that",
    "oh good",
    "ahh ok",
    "good good",
]

PASSIVE = ["nice", "cool", "ok", "👍", "nice one", "oh ok", "k", "cool cool"]

SIGN_OFF = [
    "ok going to sleep, night!",
    "right, back to it. talk later",
    "gotta run, speak soon",
    "night night 🌙",
    "off to cook, talk later x",
    "ok bed. sleep well",
]

SIGN_OFF_REPLY = ["night!", "speak soon x", "sleep well 🌙", "later!", "bye 👋", "night x"]

# ---------------------------------------------------------------- good news and replies
GOOD_NEWS = [
    "guess what!! {news} 🎉",
    "ok I have news. {news}!!",
    "I can't believe it but {news}",
    "SO. {news} 😭",
    "tiny update: {news}",
    "you're the first person I'm telling: {news}",
    "just found out {news}!",
]

ACTIVE_CONSTRUCTIVE = [
    "WHAT. that's amazing!! congratulations 🎉 how did you find out?",
    "no way!! I'm so proud of you. tell me everything, what happened?",
    "congrats!!! you completely deserve this. are you buzzing?",
    "omg yes!! 🎉 I knew you'd do it. when did you hear?",
    "that's brilliant news, well done you! are you celebrating tonight?",
    "amazing!!! so happy for you 🥳 what did they say?",
    "this is huge, congratulations! what happens next?",
]

ELABORATE_NEWS = [
    "they called this morning and I basically screamed",
    "found out an hour ago, still shaking a bit",
    "I honestly thought it wasn't going to happen",
    "it's been such a long road, I'm so relieved",
    "celebrating with a takeaway and zero plans",
    "I'm still processing tbh",
]

NEWS_THANKS = [
    "thank you ❤️ means a lot that you're excited too",
    "thanks!! you've been so supportive through all of it",
    "haha thank you, you always treat me like a rockstar",
    "thank you, honestly",
    "ahh thanks ❤️",
]

# ---------------------------------------------------------------- disclosure and support
DISCLOSURE = [
    "can I be honest? I've been feeling really {neg_emotion} about {worry}",
    "I don't really tell people this but I feel {neg_emotion} a lot lately",
    "today I felt so {neg_emotion}. it's {worry} again",
    "I've been feeling a bit {neg_emotion} and I can't work out why",
    "I feel like I'm failing at everything this week",
    "honestly I feel {neg_emotion}. {worry} is really getting to me",
    "not to be dramatic but I feel pretty {neg_emotion} tonight",
    "I keep feeling {neg_emotion} when I think about {worry}",
]

DISCLOSURE_LONG = [
    "ok long message incoming.\n\nI've been feeling {neg_emotion} for a few weeks"
    " and I think it's {worry}.\nI didn't want to make it a thing.\nbut you asked, so",
    "sorry this is a lot.\nI feel {neg_emotion} most mornings at the moment.\n"
    "it's mostly {worry}, and I don't know who else to tell",
]

POSITIVE_DISCLOSURE = [
    "I feel really {pos_emotion} about where things are going",
    "weirdly I feel so {pos_emotion} today",
    "I felt genuinely {pos_emotion} after we talked",
    "just wanted to say I feel {pos_emotion} about this year",
]

SUPPORT = [
    "I'm so sorry, that sounds really hard. do you want to talk about it?",
    "that makes total sense, anyone would. what's weighing on you most?",
    "oh no ❤️ I'm here. want me to call?",
    "thank you for telling me. that sounds exhausting, how long has it been like this?",
    "that's a lot to carry. I'm proud of you for saying it out loud",
    "sending a big hug. is there anything I can do?",
    "I hear you. it's not a small thing at all. what would help right now?",
]

DISMISSIVE = [
    "you'll be fine",
    "happens to everyone tbh",
    "I think you're overthinking it",
    "eh it'll blow over",
    "can we talk about this later",
    "ok",
]

DISCLOSURE_THANKS = [
    "thank you. that really helps",
    "thanks for listening ❤️",
    "honestly just saying it helped. thank you",
    "you're the best, thanks for being there",
    "yeah, a call would be nice actually",
]

DISMISSED_REPLY = ["ok", "right", "fine, forget it", "yeah ok", "sure"]

# ---------------------------------------------------------------- gratitude, affection, missing
GRATITUDE = [
    "thank you again for {favour}, it really meant a lot",
    "thanks so much for {favour} ❤️",
    "I never said properly but thank you for {favour}",
    "just wanted to say thanks for {favour}. you're a gem",
    "really appreciate {favour}, thank you",
]

GRATITUDE_REPLY = [
    "anytime ❤️",
    "of course! that's what I'm here for",
    "aw stop, it was nothing",
    "always x",
    "you'd do the same for me",
]

AFFECTION = [
    "love you",
    "love you lots ❤️",
    "you're the best thing, you know that?",
    "just thinking about how lucky I am",
    "❤️",
    "so glad you're in my life",
    "you make everything better, you know",
]

AFFECTION_REPLY = ["love you too ❤️", "love you more", "❤️❤️", "you're soft. love you too", "🥰"]

MISS_YOU = [
    "miss you",
    "I miss you, is that weird",
    "thinking of you today",
    "been thinking of you all day",
    "miss your face",
    "missing you loads",
]

MISS_YOU_REPLY = ["miss you too ❤️", "miss you more", "aw. miss you too", "same 🥺", "soon!"]

REMINDER = [
    "saw this and thought of you",
    "this reminded me of you 😂",
    "walked past {place} and thought of you",
    "this is so you",
    "heard our song in the shop and thought of you",
]

REMINDER_REPLY = [
    "haha that's so me 😂",
    "STOP this is perfect",
    "aww you remembered",
    "hahaha I love that you thought of me",
    "ok I need this in my life",
]

# ---------------------------------------------------------------- laughter, banter, memories
FUNNY = [
    "ok so today {small_event}",
    "you won't believe this but {small_event}",
    "update from my ridiculous life: {small_event}",
    "I have to tell you: {small_event}",
]

LAUGH = [
    "hahaha",
    "😂😂",
    "HAHA no way",
    "hahaha stop",
    "lmao",
    "I'm crying 😂",
    "haha classic",
    "😂",
]

LAUGH_MORE = [
    "only you",
    "this is the best thing I've heard all week",
    "please tell me you got a photo",
    "I need the full story",
]

REMINISCE = [
    "remember when we {memory}? 😂",
    "do you remember that time we {memory}",
    "just thought about when we {memory} and laughed out loud on the bus",
    "remember {trip}? when we {memory}",
]

MEMORY = [
    "got lost and ended up at that tiny bar with the accordion",
    "tried to cook a whole turkey in your tiny oven",
    "missed the last train and walked home in the rain",
    "camped in that field full of cows",
    "got stuck on the ferris wheel",
    "sang the whole of the musical on the motorway",
    "tried to assemble the wardrobe without the instructions",
]

REMINISCE_REPLY = [
    "haha yes!! best night",
    "oh god yes 😂 I still think about it",
    "HAHA how could I forget",
    "that was the best. we need to do it again",
    "I will never recover from that",
]

# ---------------------------------------------------------------- plans and rituals
PLAN = [
    "{meal} {weekday} at {clock}?",
    "fancy {meal} on {weekday}? {place} at {clock}",
    "are you free {weekday}? thinking {meal} around {clock}",
    "let's do {meal} {weekday}, {clock} at {place}?",
    "shall we try {place} on {weekday}? {clock}ish",
    "{weekday} {meal}? I'll book for {clock}",
]

PLAN_YES = [
    "yes!! {weekday} works",
    "perfect, see you at {clock}",
    "100%. {place} it is",
    "yes please, I've been craving it",
    "deal. {clock} on {weekday}",
    "ooh yes, count me in",
]

PLAN_CONFIRM = ["booked ✅", "great, it's in the diary", "yay 🙌", "can't wait", "sorted"]

PLAN_DECLINE = [
    "ah sorry, something came up. rain check?",
    "can't this week sorry",
    "maybe? I'll let you know",
    "not sure yet, work is mad",
]

ON_THE_WAY = [
    "leaving now, see you at {clock}!",
    "running 5 min late sorry!!",
    "on my way 🚶",
    "here, grabbed a table by the window",
    "just parked, 2 mins",
]

ON_THE_WAY_REPLY = ["no rush!", "see you soon", "perfect", "ordering you a drink", "👍"]

AFTER_PLAN = [
    "that was so lovely, thank you for tonight ❤️",
    "home! that was the best evening",
    "thanks for today, needed that so much",
    "that {food} was unreal. we're going back",
    "still full. amazing night, thank you",
]

AFTER_PLAN_REPLY = [
    "same!! we need to do that more",
    "loved it ❤️ next one's on me",
    "honestly the best. home safe?",
    "so good. thank you for suggesting it",
]

NOVELTY = [
    "we should try {new_thing}, I've never done it",
    "new idea: {new_thing} next month?",
    "ok hear me out. {new_thing}",
    "found out about {new_thing}, it looks so fun. first time for both of us?",
]

NOVELTY_REPLY = [
    "yes!! I'm in",
    "that sounds amazing, let's book it",
    "I've always wanted to try that",
    "you're mad. I love it. yes",
]

GOOD_MORNING = ["good morning ☀️", "morning ☀️", "good morning!! ☀️", "morning {pet} ☀️"]

GOOD_MORNING_REPLY = [
    "morning {pet} ☀️ sleep ok?",
    "good morning ☀️ have a good day",
    "morning! ☀️",
    "morning x ☀️ coffee first",
]

SUNDAY_CALL = [
    "sunday call at 6? ☎️",
    "still on for our call tonight?",
    "call later? usual time",
    "free for our sunday chat at 7?",
]

SUNDAY_CALL_REPLY = ["yes! talk then", "yep, ring me at 6", "can't wait, lots to tell you", "yes!!"]

# ---------------------------------------------------------------- encouragement and growth
GOAL = [
    "I signed up for {goal}. terrifying",
    "thinking about doing {goal}. too ambitious?",
    "so I've started {goal} and I'm already sore",
    "decided I'm going for {goal} this year",
]

ENCOURAGE = [
    "you've got this 💪",
    "that's amazing, you'll smash it",
    "not too ambitious at all, go for it!",
    "so proud of you for doing it",
    "good luck!! you're going to be great",
]

BIG_DAY = [
    "{work_thing} tomorrow, wish me luck",
    "big day tomorrow. {work_thing}",
    "nervous about {work_thing} tomorrow",
]

# ---------------------------------------------------------------- friction (the rough patch)
COMPLAINT = [
    "you always {complaint}",
    "it's annoying when you {complaint}",
    "can you not {complaint} for once",
    "why do you always {complaint}?",
]

DEFENSIVE = [
    "whatever",
    "I'm tired, can we not do this now",
    "that's not fair",
    "fine.",
    "ok well sorry I guess",
    "🙄",
]

REPAIR = [
    "sorry about earlier. I was tired and took it out on you",
    "I don't want to fight. can we talk tonight?",
    "sorry for being distant lately. I love you",
    "I've been a bit rubbish recently, sorry",
]

REPAIR_REPLY = [
    "thank you for saying that. I'm sorry too ❤️",
    "yeah let's talk tonight",
    "I know. me too. we're ok",
    "thank you. love you",
]

# ---------------------------------------------------------------- reaching out and re-entry
CHASE = [
    "hello? 🙂",
    "no worries if you're busy!",
    "just checking you're alive 😅",
    "ping",
    "did you see my message?",
    "hope all ok!",
]

REENTRY = [
    "hey stranger 👋 I know it's been ages. I miss you, honestly. how have you been?",
]

REENTRY_REPLY = [
    "omg hi!! I missed you too ❤️ so much has happened. how are YOU?",
]

REENTRY_MORE = [
    "sorry I went quiet. things were a lot. tell me everything",
    "I've been thinking of you so much. I was rubbish at replying, I'm sorry",
]

CATCHUP = [
    "it's been way too long. long time no see, when are you free?",
    "been a while! how have you been?",
    "thinking of you today. what's new with you?",
    "miss our sunday calls tbh",
]

# ---------------------------------------------------------------- media, links, multi-line
LINK = [
    "https://example.com/watch?v=demo{n}",
    "https://example.org/articles/{n}",
]

LINK_COMMENT = ["look at this", "{link_topic} 😂", "you need to see this", "this!!"]

MULTILINE = [
    "shopping list for saturday:\n- {food}\n- limes\n- something fizzy\n- candles?",
    "packing for {trip}:\nboots\nrain jacket\nthe good camera\nsnacks (non negotiable)",
    "ok so plan for the weekend\nsat: {meal} at {place}\nsun: lazy morning, then {activity}",
    "three things that made me smile today\n1. the sun\n2. {food}\n3. you",
]

# ---------------------------------------------------------------- the group chat
GROUP_PLAN = [
    "brunch saturday? {place} at 11?",
    "who's in for the quiz on {weekday} at {clock}?",
    "picnic {weekday} if it's sunny?",
    "games night at ours {weekday}, 7ish. bring snacks",
]

GROUP_YES = ["in!", "yes please", "count me in 🙋", "I'm there", "can I bring Theo's famous dip"]

GROUP_MAYBE = [
    "maybe, will confirm tomorrow",
    "might be late but yes",
    "depends on work but hopefully",
]

GROUP_BANTER = [
    "who ate the last of the cake",
    "Theo has entered his sourdough era",
    "reminder that we lost the quiz by ONE point",
    "the group photo is going on the fridge",
    "does anyone have a spare phone charger I left mine at yours",
]

GROUP_REPLY = ["hahaha", "not me 👀", "😂😂", "true", "iconic", "we go again next week"]

DELETED = "This message was deleted"
