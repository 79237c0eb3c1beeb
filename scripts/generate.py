#!/usr/bin/env python3
"""Synthetic Plaindesk workspace generator (for benchmarks and tests).

    python scripts/generate.py OUT_DIR [--scale 1.0] [--seed 42]

Scale 1 gives 40 people, 300 companies, 2,000 contacts, 200 projects, 10,000 tasks and
1,000 deals (every count scales linearly, minimum 1), plus ``workspace.yml``.  The output
is valid per docs/content-model.md: every reference resolves, statuses and stages exist,
``due >= start``, every currency used has a rate, and only documented (or declared custom)
fields are written.  It is meant to produce warnings a real agency would have (overdue
tasks, idle deals, follow-ups due, an occasional WIP breach) and no errors.

Deterministic: everything comes from one seeded ``random.Random`` and the fixed date
``TODAY`` (pinned in workspace.yml as ``today:``); the wall clock is never read for content.
Same seed and scale give byte-identical files.

Fast: records are built as strings, never dumped through a YAML library.

Importable without installing anything:

    spec = importlib.util.spec_from_file_location("generate", "scripts/generate.py")
    mod = importlib.util.module_from_spec(spec); spec.loader.exec_module(mod)
    counts = mod.generate(tmp_path / "ws", scale=0.05, seed=1)
"""

# No `from __future__ import annotations` here: with it, @dataclass looks the module up in
# sys.modules, which loading this file through importlib (as the tests do) does not register.
import argparse
import os
import random
import sys
import time
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

TODAY = date(2026, 3, 16)
_T = TODAY.toordinal()

BASE_COUNTS = {
    "people": 40,
    "companies": 300,
    "contacts": 2000,
    "projects": 200,
    "tasks": 10000,
    "deals": 1000,
}

BASE_CURRENCY = "USD"
RATES = {"EUR": 1.08, "UAH": 0.024, "PLN": 0.25, "RUB": 0.011}
CURRENCIES = ["USD", "EUR", "UAH", "PLN", "RUB"]
CURRENCY_WEIGHTS = [35, 20, 30, 8, 7]

LANGS = ["en", "uk", "ru"]
LANG_WEIGHTS = [55, 30, 15]

# --------------------------------------------------------------------------- settings

WORKFLOWS = {
    "agency": ["queue", "accepted", "for-account", "design", "approval", "released"],
    "dev": ["backlog", "todo", "in-progress", "review", "done"],
}
WIP = {
    "agency": {"accepted": 6, "for-account": 4, "design": 3},
    "dev": {"in-progress": 5, "review": 3},
}
PIPELINES = {
    "sales": ["lead", "qualified", "proposal", "negotiation", "won", "lost"],
    "media": ["pitched", "interested", "scheduled", "published", "declined"],
}
STAGE_WEIGHTS = {
    "sales": [20, 15, 20, 12, 20, 13],
    "media": [25, 20, 15, 25, 15],
}
WON = {"sales": "won", "media": "published"}
LOST = {"sales": "lost", "media": "declined"}

WORKSPACE_YML = """\
# Synthetic workspace produced by scripts/generate.py (seed {seed}, scale {scale}).
name: Brightline Communications (synthetic)
locale: en
timezone: Europe/Kyiv
today: {today}
base_currency: {base}
rates:
  EUR: 1.08
  UAH: 0.024
  PLN: 0.25
  RUB: 0.011
hours_per_day: 8
allow_raw_html: false
default_workflow: agency
workflows:
  agency:
    columns:
      - {{id: queue, name: Queue}}
      - {{id: accepted, name: Accepted, wip: 6}}
      - {{id: for-account, name: For account, wip: 4}}
      - {{id: design, name: At designer, wip: 3, limit_days: 5}}
      - {{id: approval, name: Client approval, limit_days: 7}}
      - {{id: released, name: Released}}
    done: released
    backlog: queue
  dev:
    columns:
      - backlog
      - todo
      - {{id: in-progress, name: In progress, wip: 5, limit_days: 10}}
      - {{id: review, name: Review, wip: 3, limit_days: 3}}
      - {{id: done, name: Done}}
default_pipeline: sales
pipelines:
  sales:
    stages:
      - {{id: lead, name: Lead, probability: 10, idle_days: 10}}
      - {{id: qualified, name: Qualified, probability: 25, idle_days: 14}}
      - {{id: proposal, name: Proposal sent, probability: 40, idle_days: 10}}
      - {{id: negotiation, name: Negotiation, probability: 60, idle_days: 5}}
      - {{id: won, name: Won, probability: 100, outcome: won}}
      - {{id: lost, name: Lost, probability: 0, outcome: lost}}
  media:
    stages:
      - {{id: pitched, name: Pitched, probability: 10, idle_days: 7}}
      - {{id: interested, name: Interested, probability: 30, idle_days: 10}}
      - {{id: scheduled, name: Scheduled, probability: 70, idle_days: 14}}
      - {{id: published, name: Published, probability: 100, outcome: won}}
      - {{id: declined, name: Declined, probability: 0, outcome: lost}}
custom_fields:
  deal:
    free: {{type: bool, label: Free placement}}
    media_project: {{type: choice, choices: [tv, print, online, radio], label: Media project}}
  contact:
    beat: {{type: text, label: Beat}}
    birthday: {{type: date}}
  project:
    contract: {{type: text, label: Contract no.}}
    retainer: {{type: bool}}
  task:
    story_points: {{type: number, label: Story points}}
  company:
    industry: {{type: choice, choices: [retail, finance, culture, tech, fmcg, pharma, public]}}
portal:
  assignee: first_name
  done_recent_days: 14
"""

# --------------------------------------------------------------------------- vocabulary

FIRST_NAMES = [  # (latin, cyrillic or "", gender, lang)
    ("Anna", "Анна", "f", "uk"),
    ("Oleh", "Олег", "m", "uk"),
    ("Iryna", "Ірина", "f", "uk"),
    ("Dmytro", "Дмитро", "m", "uk"),
    ("Olena", "Олена", "f", "uk"),
    ("Taras", "Тарас", "m", "uk"),
    ("Mariia", "Марія", "f", "uk"),
    ("Andrii", "Андрій", "m", "uk"),
    ("Kateryna", "Катерина", "f", "uk"),
    ("Serhii", "Сергій", "m", "uk"),
    ("Yuliia", "Юлія", "f", "uk"),
    ("Maksym", "Максим", "m", "uk"),
    ("Nataliia", "Наталія", "f", "uk"),
    ("Bohdan", "Богдан", "m", "uk"),
    ("Sofiia", "Софія", "f", "uk"),
    ("Ivan", "Іван", "m", "uk"),
    ("Oksana", "Оксана", "f", "uk"),
    ("Pavlo", "Павло", "m", "uk"),
    ("Dariia", "Дарія", "f", "uk"),
    ("Viktor", "Віктор", "m", "uk"),
    ("Halyna", "Галина", "f", "uk"),
    ("Yurii", "Юрій", "m", "uk"),
    ("Khrystyna", "Христина", "f", "uk"),
    ("Roman", "Роман", "m", "uk"),
    ("Aleksei", "Алексей", "m", "ru"),
    ("Ekaterina", "Екатерина", "f", "ru"),
    ("Mikhail", "Михаил", "m", "ru"),
    ("Tatiana", "Татьяна", "f", "ru"),
    ("Olga", "Ольга", "f", "ru"),
    ("Nikolai", "Николай", "m", "ru"),
    ("Svetlana", "Светлана", "f", "ru"),
    ("Vladimir", "Владимир", "m", "ru"),
    ("Emma", "", "f", "en"),
    ("James", "", "m", "en"),
    ("Laura", "", "f", "en"),
    ("Tom", "", "m", "en"),
    ("Piotr", "", "m", "en"),
    ("Agnieszka", "", "f", "en"),
    ("Marek", "", "m", "en"),
    ("Sarah", "", "f", "en"),
]
LAST_NAMES = [  # gender-neutral in Ukrainian
    ("Kovalenko", "Коваленко"),
    ("Shevchuk", "Шевчук"),
    ("Bondarenko", "Бондаренко"),
    ("Tkachenko", "Ткаченко"),
    ("Kravchenko", "Кравченко"),
    ("Melnyk", "Мельник"),
    ("Boiko", "Бойко"),
    ("Moroz", "Мороз"),
    ("Lysenko", "Лисенко"),
    ("Marchenko", "Марченко"),
    ("Rudenko", "Руденко"),
    ("Savchenko", "Савченко"),
    ("Petrenko", "Петренко"),
    ("Kovalchuk", "Ковальчук"),
    ("Polishchuk", "Поліщук"),
    ("Oliinyk", "Олійник"),
    ("Hnatiuk", "Гнатюк"),
    ("Romaniuk", "Романюк"),
    ("Karpenko", "Карпенко"),
    ("Zinchenko", "Зінченко"),
    ("Levchenko", "Левченко"),
    ("Kuzmenko", "Кузьменко"),
    ("Sydorenko", "Сидоренко"),
    ("Pavlenko", "Павленко"),
    ("Vlasenko", "Власенко"),
    ("Honchar", "Гончар"),
    ("Koval", "Коваль"),
    ("Shevchenko", "Шевченко"),
]
LAST_NAMES_EN = ["Smith", "Brown", "Taylor", "Nowak", "Wilson", "Walker", "Kowalczyk", "Evans"]

ROLES = [
    "Account director",
    "Account manager",
    "PR manager",
    "Senior PR manager",
    "Designer",
    "Art director",
    "Copywriter",
    "SMM manager",
    "Project manager",
    "Media relations lead",
    "Event manager",
    "Developer",
    "Analyst",
    "Video producer",
    "Junior account manager",
]

CLIENT_A = [
    "Kyiv",
    "Lviv",
    "Odesa",
    "Dnipro",
    "Kharkiv",
    "Nova",
    "Green",
    "Blue",
    "Silver",
    "Polar",
    "Sunny",
    "Carpathian",
    "Black Sea",
    "Golden",
    "Urban",
    "Smart",
    "Bright",
    "North",
    "Steppe",
    "River",
    "Amber",
    "Linden",
    "Chestnut",
    "Harbor",
]
CLIENT_B = [
    "Opera",
    "Bank",
    "Pay",
    "Foods",
    "Brewery",
    "Pharma",
    "Motors",
    "Telecom",
    "Coffee",
    "Clinic",
    "Hotels",
    "Logistics",
    "Fashion",
    "Games",
    "Energy",
    "Books",
    "Dairy",
    "Bakery",
    "Theatre",
    "Museum",
    "Airlines",
    "Realty",
    "Cosmetics",
    "Agro",
    "Fitness",
]
PARTNER_B = [
    "Print",
    "Events",
    "Production",
    "Studio",
    "Translations",
    "Catering",
    "Sound",
    "Photo",
    "Rentals",
    "Digital",
]
CYR_ADJ = [
    ("Київська", "kyivska"),
    ("Львівська", "lvivska"),
    ("Одеська", "odeska"),
    ("Харківська", "kharkivska"),
    ("Дніпровська", "dniprovska"),
    ("Полтавська", "poltavska"),
    ("Волинська", "volynska"),
]
CYR_NOUN = [
    ("кондитерська", "kondyterska"),
    ("пивоварня", "pyvovarnia"),
    ("фабрика", "fabryka"),
    ("галерея", "halereia"),
    ("аптека", "apteka"),
    ("школа", "shkola"),
    ("філармонія", "filarmoniia"),
    ("друкарня", "drukarnia"),
]
MEDIA_B = [
    "Daily",
    "Today",
    "Post",
    "FM",
    "TV",
    "Weekly",
    "Media",
    "News",
    "Review",
    "Journal",
    "Radio",
    "Insider",
    "Times",
    "Online",
]
MEDIA_CYR = [
    ("Вечірній Київ", "vechirnii-kyiv"),
    ("Діловий вісник", "dilovyi-visnyk"),
    ("Культурна афіша", "kulturna-afisha"),
    ("Новини Дніпра", "novyny-dnipra"),
    ("Радіо Поділля", "radio-podillia"),
    ("Деловой обзор", "delovoi-obzor"),
    ("Городские новости", "gorodskie-novosti"),
    ("Техно огляд", "tekhno-ohliad"),
    ("Столичний тиждень", "stolychnyi-tyzhden"),
    ("Вечерний город", "vechernii-gorod"),
]
INDUSTRIES = ["retail", "finance", "culture", "tech", "fmcg", "pharma", "public"]

POSITIONS = {
    "media": [
        "Culture editor",
        "Business editor",
        "Editor-in-chief",
        "Journalist",
        "Columnist",
        "TV producer",
        "Radio host",
        "Reporter",
        "News editor",
        "Blogger",
    ],
    "client": [
        "Marketing director",
        "Brand manager",
        "CEO",
        "PR lead",
        "Head of communications",
        "Procurement manager",
        "CMO",
        "Event coordinator",
    ],
    "partner": ["Producer", "Sales manager", "Owner", "Account manager", "Photographer"],
    "prospect": ["Marketing director", "CEO", "Head of PR", "Founder", "Brand manager"],
}
CONTACT_TAGS = [
    "journalist",
    "blogger",
    "culture",
    "tech",
    "business",
    "tv",
    "print",
    "online",
    "vip",
    "decision-maker",
    "marketing",
    "pr",
    "events",
    "influencer",
    "radio",
    "regional",
    "lifestyle",
    "finance",
]
BEATS = [
    "culture",
    "business",
    "technology",
    "lifestyle",
    "city news",
    "economy",
    "music",
    "theatre",
    "food",
    "travel",
    "ecology",
]
TASK_TAGS = [
    "design",
    "web",
    "copy",
    "smm",
    "media",
    "event",
    "video",
    "print",
    "report",
    "translation",
    "legal",
    "urgent-client",
    "photo",
    "analytics",
    "newsletter",
]

TASK_ACTIONS = [  # en, uk, ru, slug
    ("Prepare", "Підготувати", "Подготовить", "prepare"),
    ("Write", "Написати", "Написать", "write"),
    ("Review", "Переглянути", "Проверить", "review"),
    ("Approve", "Погодити", "Согласовать", "approve"),
    ("Design", "Розробити", "Разработать", "design"),
    ("Update", "Оновити", "Обновить", "update"),
    ("Publish", "Опублікувати", "Опубликовать", "publish"),
    ("Translate", "Перекласти", "Перевести", "translate"),
    ("Send", "Надіслати", "Отправить", "send"),
    ("Plan", "Спланувати", "Спланировать", "plan"),
    ("Finalize", "Доробити", "Доделать", "finalize"),
]
TASK_OBJECTS = [
    ("press release", "прес-реліз", "пресс-релиз", "press-release"),
    ("media list", "медіалист", "медиалист", "media-list"),
    ("homepage mock-ups", "макети головної", "макеты главной", "homepage-mockups"),
    ("social media posts", "пости для соцмереж", "посты для соцсетей", "social-posts"),
    ("monthly report", "місячний звіт", "месячный отчёт", "monthly-report"),
    ("event invitation", "запрошення на подію", "приглашение на мероприятие", "invitation"),
    ("newsletter", "розсилку", "рассылку", "newsletter"),
    ("banner set", "набір банерів", "набор баннеров", "banners"),
    ("interview questions", "питання для інтерв'ю", "вопросы для интервью", "interview-questions"),
    ("landing page", "лендинг", "лендинг", "landing-page"),
    ("video script", "сценарій відео", "сценарий видео", "video-script"),
    ("press kit", "пресскит", "пресс-кит", "press-kit"),
    ("brand guidelines", "брендбук", "брендбук", "brandbook"),
    ("photo shoot brief", "бриф фотосесії", "бриф фотосессии", "photo-brief"),
    ("campaign budget", "бюджет кампанії", "бюджет кампании", "campaign-budget"),
    ("case study", "кейс", "кейс", "case-study"),
    ("speaker notes", "тези спікера", "тезисы спикера", "speaker-notes"),
    ("blog article", "статтю для блогу", "статью для блога", "blog-article"),
    ("press conference plan", "план пресконференції", "план пресс-конференции", "press-conf"),
    ("content calendar", "контент-план", "контент-план", "content-plan"),
]
PROJECT_KINDS = [
    ("Website redesign", "Редизайн сайту", "Редизайн сайта", "website-redesign"),
    ("Spring campaign", "Весняна кампанія", "Весенняя кампания", "spring-campaign"),
    ("Product launch", "Запуск продукту", "Запуск продукта", "product-launch"),
    ("SMM retainer", "SMM-супровід", "SMM-сопровождение", "smm"),
    ("Media tour", "Медіатур", "Медиатур", "media-tour"),
    ("Annual report", "Річний звіт", "Годовой отчёт", "annual-report"),
    ("Rebranding", "Ребрендинг", "Ребрендинг", "rebranding"),
    ("Season launch", "Відкриття сезону", "Открытие сезона", "season-launch"),
    ("Charity marathon", "Благодійний марафон", "Благотворительный марафон", "charity-run"),
    ("PR support", "PR-супровід", "PR-сопровождение", "pr-support"),
    ("CRM campaign", "CRM-кампанія", "CRM-кампания", "crm-campaign"),
    ("Conference", "Конференція", "Конференция", "conference"),
]
METRICS: list[tuple[str, str, str, str, int, int]] = [
    ("Press mentions", "Згадки в пресі", "Упоминания в прессе", "articles", 10, 80),
    ("Reach", "Охоплення", "Охват", "people", 50000, 2000000),
    ("Leads", "Ліди", "Лиды", "leads", 50, 1500),
    ("Event guests", "Гості події", "Гости мероприятия", "guests", 100, 1200),
    ("Newsletter open rate", "Відкриття розсилки", "Открытия рассылки", "%", 20, 60),
    ("Followers growth", "Приріст підписників", "Прирост подписчиков", "followers", 500, 20000),
]
OFFERINGS = [
    ("PR retainer 2026", "PR-супровід 2026", "PR-сопровождение 2026", "pr-retainer"),
    ("Event management", "Організація події", "Организация мероприятия", "event"),
    ("Website redesign", "Редизайн сайту", "Редизайн сайта", "website"),
    ("Media campaign", "Медіакампанія", "Медиакампания", "media-campaign"),
    ("SMM for Q2", "SMM на Q2", "SMM на Q2", "smm-q2"),
    ("Annual report design", "Дизайн річного звіту", "Дизайн годового отчёта", "annual-report"),
    ("Crisis communications", "Антикризові комунікації", "Антикризисные коммуникации", "crisis"),
    ("Sponsorship", "Спонсорство", "Спонсорство", "sponsorship"),
]
MEDIA_TOPICS = [
    ("interview with the CEO", "інтерв'ю з CEO", "интервью с CEO", "ceo-interview"),
    ("special project", "спецпроєкт", "спецпроект", "special"),
    ("column about the season", "колонка про сезон", "колонка о сезоне", "column"),
    ("TV segment", "сюжет на ТБ", "сюжет на ТВ", "tv-segment"),
    ("podcast episode", "епізод подкасту", "выпуск подкаста", "podcast"),
    ("review of the premiere", "рецензія на прем'єру", "рецензия на премьеру", "review"),
]
SOURCES_SALES = ["referral", "website", "event", "cold-outreach", "partner", "inbound"]
SOURCES_MEDIA = ["pitch", "editor-request", "event", "referral"]
LOST_REASONS = {
    "en": [
        "Chose a cheaper agency",
        "Budget frozen until autumn",
        "No reply after proposal",
        "Went in-house",
        "Timing did not work",
    ],
    "uk": [
        "Обрали дешевшу агенцію",
        "Бюджет заморожено до осені",
        "Немає відповіді після КП",
        "Вирішили робити власними силами",
    ],
    "ru": ["Выбрали агентство дешевле", "Бюджет заморожен до осени", "Нет ответа после КП"],
}
NEXT_ACTIONS = {
    "en": [
        "Call about the revised proposal",
        "Send the case studies",
        "Meet at their office",
        "Follow up on the contract",
        "Send the media kit",
        "Agree on the publication date",
    ],
    "uk": [
        "Подзвонити щодо оновленої пропозиції",
        "Надіслати кейси",
        "Зустріч в офісі клієнта",
        "Нагадати про договір",
        "Узгодити дату публікації",
    ],
    "ru": [
        "Созвониться по обновлённому предложению",
        "Отправить кейсы",
        "Напомнить про договор",
        "Согласовать дату публикации",
    ],
}
TIME_NOTES = {
    "en": [
        "first draft",
        "revisions",
        "call with the client",
        "research",
        "final edits",
        "layout",
        "proofreading",
        "meeting",
        "media outreach",
        "report",
    ],
    "uk": [
        "чернетка",
        "правки",
        "дзвінок з клієнтом",
        "дослідження",
        "верстка",
        "вичитка",
        "зустріч",
        "обдзвін медіа",
    ],
    "ru": ["черновик", "правки", "созвон с клиентом", "вёрстка", "вычитка", "встреча"],
}

SENT = {
    "en": {
        "general": [
            "The client asked for two options with different headlines.",
            "Final copy must be approved by the brand team before Friday.",
            "Keep the tone friendly but avoid slang; the audience is mostly 35+.",
            "All assets are in the shared drive, folder 2026/Q1.",
            "The previous version got feedback about the font size on mobile.",
            "We agreed to send a draft first and polish it after the call.",
            "Check the numbers with the finance team before publishing.",
            "The photographer is available only in the mornings this week.",
            "Budget for this item is fixed; extra rounds of edits are billed separately.",
            "Coordinate with the media buyer so that the dates do not clash.",
            "Legal needs to review the terms of the giveaway.",
            "The press release goes out in Ukrainian and English at the same time.",
            "Use the new logo lock-up, the old one is deprecated.",
            "Send the report as PDF and keep the editable source in the project folder.",
            "If the venue changes, update the invitation and the landing page together.",
            "Metrics are collected every Monday from the analytics dashboard.",
            "The client prefers calls over long email threads.",
            "We are waiting for product photos from the warehouse.",
            "Translation is done by our freelance editor; allow two days.",
            "Keep the headline under 60 characters for social previews.",
        ],
        "contact": [
            "Prefers to be contacted by phone, never before 11:00.",
            "Write to him again in a month, he is on leave until then.",
            "Only available on even Saturdays for interviews.",
            "Hates ballet; do not pitch opera premieres.",
            "Likes exclusive data and early access to reports.",
            "Replies fast on Telegram, slow on email.",
            "Was at our spring press breakfast and asked for the full deck.",
            "Moved from print to online last year; still covers culture.",
            "Do not send mass mailings, only personal letters.",
            "Good contact for regional stories, less so for national news.",
            "Asked us to stop sending lifestyle topics.",
            "Her editor approves all sponsored formats.",
        ],
        "deal": [
            "The decision maker is the marketing director; procurement joins at the contract"
            " stage.",
            "They compare us with two other agencies; price is not the main factor.",
            "Send the revised proposal with a retainer option.",
            "Budget is approved for Q2, payment in two tranches.",
            "They asked for case studies from the banking sector.",
            "The contract template is theirs; legal review takes about a week.",
            "A free placement was agreed in exchange for a co-branded event.",
        ],
        "person": [
            "Works remotely on Fridays; reachable in the team chat.",
            "Leads the banking and fintech clients.",
            "Prefers written briefs over calls.",
            "Backup for media relations when the lead is on leave.",
            "Speaks Ukrainian, English and Polish.",
            "Mentors the junior account managers.",
        ],
        "org": [
            "Founded in 2009, about 120 employees, offices in Kyiv and Lviv.",
            "Marketing budget is planned in November for the next year.",
            "Invoices go to the accounting address, not to the manager.",
            "Working hours 9:00-18:00 Kyiv time; no calls on Fridays after 16:00.",
            "Prefers Ukrainian in all public materials.",
        ],
    },
    "uk": {
        "general": [
            "Клієнт попросив два варіанти з різними заголовками.",
            "Фінальний текст має погодити бренд-команда до п'ятниці.",
            "Усі матеріали лежать на спільному диску в папці 2026/Q1.",
            "Попередня версія отримала зауваження щодо розміру шрифту на мобільних.",
            "Домовилися спочатку надіслати чернетку, а після дзвінка доопрацювати.",
            "Цифри треба звірити з фінансовим відділом перед публікацією.",
            "Фотограф цього тижня вільний лише зранку.",
            "Бюджет на цей пункт фіксований, додаткові правки оплачуються окремо.",
            "Узгодити дати з медіабаєром, щоб нічого не перетиналося.",
            "Юристи мають переглянути умови розіграшу.",
            "Прес-реліз виходить українською та англійською одночасно.",
            "Використовуємо новий логотип, старий більше не актуальний.",
            "Звіт надсилаємо у PDF, редагований файл зберігаємо в папці проєкту.",
            "Якщо зміниться локація, оновити запрошення та лендинг разом.",
            "Метрики збираємо щопонеділка з панелі аналітики.",
            "Клієнт віддає перевагу дзвінкам, а не довгому листуванню.",
            "Чекаємо на фото продукції зі складу.",
            "Переклад робить наш редактор-фрилансер, закладаємо два дні.",
            "Заголовок для соцмереж — не довше 60 символів.",
            "Після зустрічі надіслати короткий підсумок усім учасникам.",
        ],
        "contact": [
            "Краще телефонувати, але не раніше 11:00.",
            "Написати йому через місяць, зараз він у відпустці.",
            "На інтерв'ю погоджується лише в парні суботи.",
            "Не любить балет, оперні прем'єри не пропонувати.",
            "Цінує ексклюзивні дані та ранній доступ до звітів.",
            "Швидко відповідає в Telegram, на пошту повільно.",
            "Була на нашому весняному пресснідданку, просила повну презентацію.",
            "Торік перейшла з друку в онлайн, досі пише про культуру.",
            "Масові розсилки не надсилати, лише персональні листи.",
            "Добрий контакт для регіональних історій.",
        ],
        "deal": [
            "Рішення ухвалює директорка з маркетингу, закупівлі підключаються на етапі договору.",
            "Порівнюють нас із двома іншими агенціями, ціна не головне.",
            "Надіслати оновлену пропозицію з варіантом абонентського обслуговування.",
            "Бюджет затверджено на другий квартал, оплата двома траншами.",
            "Просили кейси з банківського сектору.",
            "Договір за їхнім шаблоном, юридична перевірка займає близько тижня.",
        ],
        "person": [
            "По п'ятницях працює віддалено, на зв'язку в робочому чаті.",
            "Веде банківських і фінтех-клієнтів.",
            "Любить письмові брифи більше, ніж дзвінки.",
            "Підміняє відділ роботи з медіа під час відпусток.",
        ],
        "org": [
            "Заснована у 2009 році, близько 120 працівників, офіси в Києві та Львові.",
            "Маркетинговий бюджет планують у листопаді на наступний рік.",
            "Рахунки надсилати на адресу бухгалтерії, а не менеджеру.",
            "Усі публічні матеріали — українською.",
        ],
    },
    "ru": {
        "general": [
            "Клиент попросил два варианта с разными заголовками.",
            "Финальный текст должен согласовать бренд-менеджер до пятницы.",
            "Все материалы лежат на общем диске в папке 2026/Q1.",
            "К прошлой версии были замечания по размеру шрифта на мобильных.",
            "Договорились сначала отправить черновик, а после созвона доработать.",
            "Цифры нужно сверить с финансовым отделом перед публикацией.",
            "Фотограф на этой неделе свободен только по утрам.",
            "Бюджет на этот пункт фиксированный, дополнительные правки оплачиваются отдельно.",
            "Согласовать даты с медиабайером, чтобы ничего не пересекалось.",
            "Юристы должны посмотреть условия розыгрыша.",
            "Пресс-релиз выходит на двух языках одновременно.",
            "Используем новый логотип, старый больше не актуален.",
            "Отчёт отправляем в PDF, исходник храним в папке проекта.",
            "Если поменяется площадка, обновить приглашение и лендинг вместе.",
            "Метрики собираем каждый понедельник из панели аналитики.",
            "Клиент предпочитает созвоны, а не длинную переписку.",
            "Ждём фото продукции со склада.",
            "Перевод делает наш внештатный редактор, закладываем два дня.",
        ],
        "contact": [
            "Лучше звонить, но не раньше 11:00.",
            "Написать ему через месяц, сейчас он в отпуске.",
            "На интервью соглашается только по чётным субботам.",
            "Терпеть не может балет, оперные премьеры не предлагать.",
            "Ценит эксклюзивные данные и ранний доступ к отчётам.",
            "Быстро отвечает в Telegram, на почту медленно.",
            "Массовые рассылки не отправлять, только личные письма.",
            "Хороший контакт для региональных историй.",
        ],
        "deal": [
            "Решение принимает директор по маркетингу, закупки подключаются на этапе договора.",
            "Сравнивают нас с двумя другими агентствами, цена не главное.",
            "Бюджет утверждён на второй квартал, оплата двумя траншами.",
            "Просили кейсы из банковского сектора.",
        ],
        "person": [
            "По пятницам работает удалённо, на связи в рабочем чате.",
            "Ведёт банковских клиентов.",
            "Предпочитает письменные брифы созвонам.",
        ],
        "org": [
            "Основана в 2009 году, около 120 сотрудников.",
            "Маркетинговый бюджет планируют в ноябре на следующий год.",
            "Счета отправлять в бухгалтерию, а не менеджеру.",
        ],
    },
}
CHECK_ITEMS = {
    "en": [
        "Draft the copy",
        "Approve with the client",
        "Prepare visuals",
        "Send to the designer",
        "Check all links",
        "Publish",
        "Send the report",
        "Collect feedback",
        "Update the media list",
        "Book the venue",
        "Order the printing",
        "Brief the photographer",
        "Schedule the posts",
        "Proofread",
        "Translate to English",
    ],
    "uk": [
        "Написати текст",
        "Погодити з клієнтом",
        "Підготувати візуали",
        "Передати дизайнеру",
        "Перевірити посилання",
        "Опублікувати",
        "Надіслати звіт",
        "Зібрати фідбек",
        "Оновити медіалист",
        "Забронювати локацію",
        "Замовити друк",
        "Скласти бриф для фотографа",
        "Запланувати пости",
        "Вичитати текст",
    ],
    "ru": [
        "Написать текст",
        "Согласовать с клиентом",
        "Подготовить визуалы",
        "Передать дизайнеру",
        "Проверить ссылки",
        "Опубликовать",
        "Отправить отчёт",
        "Собрать обратную связь",
        "Обновить медиалист",
        "Забронировать площадку",
        "Заказать печать",
        "Вычитать текст",
    ],
}
HEAD = {
    "en": {
        "check": "Checklist",
        "notes": "Notes",
        "context": "Context",
        "next": "Next steps",
        "links": "Links",
        "log": "Log",
        "facts": "Key facts",
        "goals": "Goals",
    },
    "uk": {
        "check": "Чек-лист",
        "notes": "Нотатки",
        "context": "Контекст",
        "next": "Наступні кроки",
        "links": "Посилання",
        "log": "Журнал",
        "facts": "Основне",
        "goals": "Цілі",
    },
    "ru": {
        "check": "Чек-лист",
        "notes": "Заметки",
        "context": "Контекст",
        "next": "Следующие шаги",
        "links": "Ссылки",
        "log": "Журнал",
        "facts": "Главное",
        "goals": "Цели",
    },
}
SUMMARY = {
    "en": [
        "We are preparing the launch materials and agreeing the media plan.",
        "Design of the key visuals is in progress; the first drafts are approved.",
        "Media outreach has started, first publications are expected this month.",
        "The event program is confirmed, invitations go out next week.",
    ],
    "uk": [
        "Готуємо матеріали до запуску та узгоджуємо медіаплан.",
        "Триває робота над ключовими візуалами, перші чернетки погоджено.",
        "Розпочали роботу з медіа, перші публікації очікуємо цього місяця.",
        "Програму події затверджено, запрошення розсилаємо наступного тижня.",
    ],
    "ru": [
        "Готовим материалы к запуску и согласовываем медиаплан.",
        "Идёт работа над ключевыми визуалами, первые черновики согласованы.",
        "Начали работу со СМИ, первые публикации ожидаем в этом месяце.",
    ],
}
LINK_TEXT = {
    "en": ["brief", "draft", "mood board", "media plan", "last report"],
    "uk": ["бриф", "чернетка", "мудборд", "медіаплан", "останній звіт"],
    "ru": ["бриф", "черновик", "мудборд", "медиаплан", "последний отчёт"],
}

# --------------------------------------------------------------------------- helpers

_PLAIN_BAD = frozenset(":#{}[],&*!|>'\"%@`\\")
_RESERVED = frozenset({"yes", "no", "on", "off", "true", "false", "null", "y", "n", "~", ""})


def ys(s: str) -> str:
    """A YAML scalar for free text: plain when unambiguous (block or flow), else quoted."""
    if (
        s
        and s[0] not in "-?.+0123456789 "
        and s[-1] != " "
        and _PLAIN_BAD.isdisjoint(s)
        and s.lower() not in _RESERVED
    ):
        return s
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


@cache
def iso(ordinal: int) -> str:
    return date.fromordinal(ordinal).isoformat()


def fmt_minutes(m: int, style: int) -> str:
    """A duration in one of the documented spellings (2h, 1h30m, 90m, 1.5h)."""
    h, r = divmod(m, 60)
    if r == 0 and h:
        return f"{h}h"
    if not h or (style == 0 and m <= 120):
        return f"{m}m"
    if style == 1:
        return f"{h}h{r}m"
    if r == 30:
        return f"{h}.5h"
    return f"{h}h{r}m"


def money(rng: random.Random, usd: float, cur: str) -> str:
    value = usd if cur == BASE_CURRENCY else usd / RATES[cur]
    step = 100 if value >= 5000 else 10
    amount = max(step, round(value / step) * step)
    if rng.random() < 0.05:
        return f"{amount - 0.5:.2f} {cur}"
    return f"{amount} {cur}"


def scaled(n: int, scale: float) -> int:
    return max(1, round(n * scale))


class _Ids:
    """Unique ids per record type."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def take(self, base: str) -> str:
        if base not in self.used:
            self.used.add(base)
            return base
        k = 2
        while f"{base}-{k}" in self.used:
            k += 1
        out = f"{base}-{k}"
        self.used.add(out)
        return out


# --------------------------------------------------------------------------- bodies


class _Text:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def lang(self) -> str:
        return self.rng.choices(LANGS, LANG_WEIGHTS)[0]

    def para(self, lang: str, topic: str) -> str:
        rng = self.rng
        out = []
        used = self.used
        for _ in range(rng.randint(2, 4)):
            for _try in range(4):  # avoid repeating a sentence within one body
                lg = lang if rng.random() < 0.88 else rng.choice(LANGS)
                pool = SENT[lg]
                src = pool[topic] if topic != "general" and rng.random() < 0.6 else pool["general"]
                sent = rng.choice(src)
                if sent not in used:
                    break
            used.add(sent)
            out.append(sent)
        return " ".join(out)

    def checklist(self, lang: str, n: int, done_ratio: float) -> str:
        rng = self.rng
        items = rng.sample(CHECK_ITEMS[lang], min(n, len(CHECK_ITEMS[lang])))
        return "\n".join(("- [x] " if rng.random() < done_ratio else "- [ ] ") + it for it in items)

    def links(self, lang: str) -> str:
        rng = self.rng
        out = []
        for _ in range(rng.randint(1, 3)):
            t = rng.choice(LINK_TEXT[lang])
            out.append(f"- [{t}](https://docs.example.com/d/{rng.getrandbits(40):010x})")
        return "\n".join(out)

    def fill(self, blocks: list[str], lang: str, topic: str) -> str:
        """Pad a body with paragraphs to a random size of 1-2 KB (UTF-8 bytes)."""
        rng = self.rng
        size = sum(len(b.encode()) + 2 for b in blocks)
        target = rng.randint(1000, 1900)
        tries = 0
        while size < target and tries < 40:
            tries += 1
            p = self.para(lang, topic)
            n = len(p.encode()) + 2
            if size + n > 2000:
                p = rng.choice(SENT[lang][topic] if topic in SENT[lang] else SENT[lang]["general"])
                n = len(p.encode()) + 2
                if size + n > 2000:
                    continue
            blocks.insert(rng.randint(1, len(blocks)) if blocks else 0, p)
            size += n
        return "\n\n".join(blocks) + "\n"

    def task(self, lang: str, done_ratio: float, client: str) -> str:
        rng = self.rng
        self.used = set()
        h = HEAD[lang]
        blocks = [
            self.para(lang, "general"),
            f"## {h['check']}\n\n" + self.checklist(lang, rng.randint(3, 7), done_ratio),
        ]
        if rng.random() < 0.5:
            blocks.append(f"## {h['links']}\n\n" + self.links(lang))
        if rng.random() < 0.3:
            blocks.append("> " + rng.choice(SENT[lang]["general"]) + f" — {client}")
        if rng.random() < 0.15:
            blocks.append(
                "| item | qty | note |\n|---|---:|---|\n"
                f"| banner 1080x1080 | {rng.randint(2, 9)} | `png` |\n"
                f"| story 1080x1920 | {rng.randint(2, 9)} | **new** |"
            )
        return self.fill(blocks, lang, "general")

    def contact(self, lang: str) -> str:
        rng = self.rng
        self.used = set()
        h = HEAD[lang]
        log = []
        day = _T - rng.randint(0, 30)
        for _ in range(rng.randint(2, 4)):
            log.append(f"- **{iso(day)}** — {rng.choice(SENT[lang]['contact'])}")
            day -= rng.randint(7, 60)
        blocks = [self.para(lang, "contact"), f"## {h['log']}\n\n" + "\n".join(log)]
        if rng.random() < 0.5:
            blocks.append(f"## {h['next']}\n\n" + self.checklist(lang, rng.randint(1, 3), 0.3))
        return self.fill(blocks, lang, "contact")

    def deal(self, lang: str, closed: bool) -> str:
        rng = self.rng
        self.used = set()
        h = HEAD[lang]
        blocks = [
            f"## {h['context']}\n\n" + self.para(lang, "deal"),
            f"## {h['next']}\n\n" + self.checklist(lang, rng.randint(2, 5), 1.0 if closed else 0.4),
        ]
        return self.fill(blocks, lang, "deal")

    def project(self, lang: str, done_ratio: float) -> str:
        rng = self.rng
        self.used = set()
        h = HEAD[lang]
        blocks = [
            f"## {h['goals']}\n\n" + self.para(lang, "general"),
            f"## {h['check']}\n\n" + self.checklist(lang, rng.randint(4, 8), done_ratio),
            f"## {h['links']}\n\n" + self.links(lang),
        ]
        return self.fill(blocks, lang, "general")

    def person(self, lang: str) -> str:
        rng = self.rng
        self.used = set()
        h = HEAD[lang]
        blocks = [
            self.para(lang, "person"),
            f"## {h['notes']}\n\n" + self.checklist(lang, rng.randint(2, 4), 0.5),
        ]
        return self.fill(blocks, lang, "person")

    def org(self, lang: str) -> str:
        rng = self.rng
        self.used = set()
        h = HEAD[lang]
        facts = rng.sample(SENT[lang]["org"], min(3, len(SENT[lang]["org"])))
        blocks = [
            self.para(lang, "org"),
            f"## {h['facts']}\n\n" + "\n".join("- " + f for f in facts),
        ]
        return self.fill(blocks, lang, "org")


# --------------------------------------------------------------------------- generator


@dataclass
class _Company:
    id: str
    name: str
    kind: str
    lang: str
    manager: str
    projects: int = 0


@dataclass
class _Project:
    id: str
    company: _Company
    lang: str
    start: int  # date ordinals
    due: int
    status: str
    workflow: str

    @property
    def manager(self) -> str:
        return self.company.manager


def _write(path: Path, front: list[str], body: str) -> int:
    data = ("---\n" + "\n".join(front) + "\n---\n\n" + body).encode()
    with open(path, "wb") as f:
        f.write(data)
    return len(data)


def _name(rng: random.Random, script: str | None = None) -> tuple[str, str, str, str]:
    """(display name, latin first, latin last, lang) of a person."""
    first, cyr, _g, lang = rng.choice(FIRST_NAMES)
    if lang == "en":
        last = rng.choice(LAST_NAMES_EN)
        return f"{first} {last}", first, last, "en"
    last, last_cyr = rng.choice(LAST_NAMES)
    if lang == "ru" and last_cyr == "Поліщук":
        last_cyr = "Полищук"
    use_cyr = rng.random() < 0.5 if script is None else script == "cyr"
    display = f"{cyr} {last_cyr}" if use_cyr else f"{first} {last}"
    return display, first, last, lang


def generate(out: Path, scale: float = 1.0, seed: int = 42) -> dict[str, int]:
    """Write a synthetic workspace into ``out`` (created; must be empty or absent).

    Returns the number of records written per type (workspace.yml not counted).
    """
    out = Path(out)
    if out.exists() and any(out.iterdir()):
        raise FileExistsError(f"{out} is not empty; generate into a new or empty folder")
    rng = random.Random(seed)
    text = _Text(rng)
    n = {k: scaled(v, scale) for k, v in BASE_COUNTS.items()}
    for d in ("people", "companies", "contacts", "projects", "tasks", "deals"):
        (out / d).mkdir(parents=True, exist_ok=True)
    (out / "workspace.yml").write_bytes(
        WORKSPACE_YML.format(
            seed=seed, scale=scale, today=TODAY.isoformat(), base=BASE_CURRENCY
        ).encode()
    )

    # ---- people ---------------------------------------------------------------
    ids = _Ids()
    people = []  # (id, first, active)
    for i in range(n["people"]):
        display, first, last, lang = _name(rng)
        base = f"{first.lower()}-{last[0].lower()}"
        pid = ids.take(base if base not in ids.used else f"{first.lower()}-{last.lower()}")
        active = i == 0 or rng.random() > 0.08
        people.append((pid, first, active, lang))
        front = [
            f"name: {ys(display)}",
            f"role: {ys(rng.choice(ROLES))}",
            f"email: {pid.replace('-', '.')}@brightline.example",
        ]
        if rng.random() < 0.6:
            front.append(
                f'phone: "+380 {rng.randint(50, 99)} {rng.randint(100, 999)} '
                f'{rng.randint(1000, 9999)}"'
            )
        if rng.random() < 0.4:
            front.append(f"emails: [{first.lower()}.{last.lower()}@mail.example]")
        front.append(f'chat: "@{first.lower()}_{last[0].lower()}"')
        cap = rng.choice(["40", "40", "40", "32h", "20", "30"])
        front.append(f"capacity: {cap}")
        cur = rng.choices(["USD", "EUR", "UAH"], [50, 15, 35])[0]
        front.append(f"rate: {money(rng, rng.randint(15, 70), cur)}")
        front.append(f"active: {'true' if active else 'false'}")
        _write(out / "people" / f"{pid}.md", front, text.person(lang))
    active_people = [p[0] for p in people if p[2]]

    # ---- companies (metadata first; written after projects pick portals) ------
    ids = _Ids()
    companies: list[_Company] = []
    used_names: set[str] = set()
    for i in range(n["companies"]):
        kind = (
            "client"
            if i == 0
            else rng.choices(["client", "prospect", "media", "partner"], [40, 20, 30, 10])[0]
        )
        for attempt in range(30):
            r = rng.random()
            if kind == "media":
                if r < 0.25:
                    name, slug = rng.choice(MEDIA_CYR)
                else:
                    name = f"{rng.choice(CLIENT_A)} {rng.choice(MEDIA_B)}"
                    slug = name.lower().replace(" ", "-")
            elif r < 0.15:
                a, b = rng.choice(CYR_ADJ), rng.choice(CYR_NOUN)
                name, slug = f"{a[0]} {b[0]}", f"{a[1]}-{b[1]}"
            else:
                second = rng.choice(PARTNER_B if kind == "partner" else CLIENT_B)
                name = f"{rng.choice(CLIENT_A)} {second}"
                slug = name.lower().replace(" ", "-")
            if name not in used_names:
                break
            if attempt == 29:
                name = f"{name} {i}"
        used_names.add(name)
        cid = ids.take(slug)
        companies.append(
            _Company(
                id=cid, name=name, kind=kind, lang=text.lang(), manager=rng.choice(active_people)
            )
        )
    clients = [c for c in companies if c.kind == "client"]
    media = [c for c in companies if c.kind == "media"]

    # ---- contacts -------------------------------------------------------------
    ids = _Ids()
    contacts_by_company: dict[str, list[str]] = {}
    kind_weight = {"media": 4.0, "client": 2.0, "prospect": 1.0, "partner": 1.0}
    cum, acc = [], 0.0
    for c in companies:
        acc += kind_weight[c.kind]
        cum.append(acc)
    for i in range(n["contacts"]):
        display, first, last, lang = _name(rng)
        cid = ids.take(f"{first.lower()}-{last.lower()}")
        comp = rng.choices(companies, cum_weights=cum)[0] if rng.random() < 0.95 else None
        ckind = comp.kind if comp else "media"
        front = [f"name: {ys(display)}"]
        if comp:
            front.append(f"company: {comp.id}")
            contacts_by_company.setdefault(comp.id, []).append(cid)
        front.append(f"position: {ys(rng.choice(POSITIONS[ckind]))}")
        tags = rng.sample(CONTACT_TAGS, rng.randint(0, 4))
        if ckind == "media" and "journalist" not in tags and rng.random() < 0.7:
            tags.insert(0, "journalist")
        if tags:
            front.append(f"tags: [{', '.join(tags)}]")
        domain = comp.id.replace("-", "") + ".example" if comp else "mail.example"
        front.append(f"email: {first.lower()}.{last.lower()}{i}@{domain}")
        if rng.random() < 0.7:
            cc = rng.choice(["+380", "+380", "+380", "+48", "+49"])
            front.append(
                f'phone: "{cc} {rng.randint(10, 99)} {rng.randint(100, 999)} '
                f'{rng.randint(1000, 9999)}"'
            )
        r = rng.random()
        if r < 0.5:
            front.append(f'chat: {{telegram: "@{first.lower()}{last.lower()[:3]}{i}"}}')
        elif r < 0.65:
            viber = f"+380{rng.randint(100000000, 999999999)}"
            front.append(f'chat: {{telegram: "@{first.lower()}_{i}", viber: "{viber}"}}')
        owner = comp.manager if comp and rng.random() < 0.6 else rng.choice(active_people)
        front.append(f"owner: {owner}")
        if rng.random() < 0.6:
            front.append(f"follow_up: {iso(_T + rng.randint(-20, 60))}")
        if rng.random() < 0.5:
            front.append(f"cadence: {rng.choice(['7d', '14d', '30d', '30d', '60d', '90d'])}")
        front.append(f"consent: {'true' if rng.random() < 0.7 else 'false'}")
        if ckind == "media" and rng.random() < 0.6:
            front.append(f"beat: {ys(rng.choice(BEATS))}")
        if rng.random() < 0.1:
            front.append(f"birthday: {iso(_T - rng.randint(22 * 365, 60 * 365))}")
        _write(out / "contacts" / f"{cid}.md", front, text.contact(lang))

    # ---- projects -------------------------------------------------------------
    ids = _Ids()
    projects: list[_Project] = []
    contract_no = 0
    for _ in range(n["projects"]):
        comp = rng.choice(clients)
        comp.projects += 1
        pkind = rng.choice(PROJECT_KINDS)
        lang = comp.lang if rng.random() < 0.8 else text.lang()
        li = LANGS.index(lang)
        p_start = _T + rng.randint(-420, 45)
        p_due = p_start + rng.randint(30, 270)
        if p_start > _T:
            status = "planned"
        elif p_due < _T - 10:
            status = "done" if rng.random() < 0.85 else "cancelled"
        else:
            status = "active" if rng.random() < 0.85 else "on-hold"
        year = date.fromordinal(p_start).year
        pid = ids.take(f"{comp.id.split('-')[0]}-{pkind[3]}-{year}")
        wf = rng.choices(["agency", "dev"], [65, 35])[0]
        projects.append(_Project(pid, comp, lang, p_start, p_due, status, wf))
        front = [
            f"name: {ys(f'{pkind[li]} {year}')}",
            f"company: {comp.id}",
            f"manager: {comp.manager}",
            f"status: {status}",
            f"start: {iso(p_start)}",
            f"due: {iso(p_due)}",
        ]
        if wf != "agency" or rng.random() < 0.7:
            front.append(f"workflow: {wf}")
        cur = rng.choices(CURRENCIES, CURRENCY_WEIGHTS)[0]
        front.append(f"budget: {money(rng, rng.randint(20, 400) * 100, cur)}")
        m = rng.sample(METRICS, rng.randint(0, 3))
        if m:
            front.append("metrics:")
            progress = {
                "planned": 0.0,
                "active": rng.uniform(0.1, 0.9),
                "on-hold": rng.uniform(0.1, 0.6),
                "done": rng.uniform(0.8, 1.3),
                "cancelled": rng.uniform(0.0, 0.5),
            }[status]
            for met in m:
                target = rng.randint(met[4], met[5])
                target = target if target < 1000 else target // 100 * 100
                front.append(
                    f"  - {{name: {ys(str(met[li]))}, target: {target}, "
                    f"actual: {int(target * progress)}, unit: {ys(met[3])}}}"
                )
        lines = rng.sample(SUMMARY[lang], 2)
        front.append("client_summary: |")
        front.extend("  " + ln for ln in lines)
        if rng.random() < 0.6:
            contract_no += 1
            front.append(f'contract: "CN-{year}/{contract_no:03d}"')
        if pkind[3] in ("smm", "pr-support") or rng.random() < 0.1:
            front.append("retainer: true")
        done_ratio = {"planned": 0.0, "active": 0.5, "on-hold": 0.3, "done": 1.0, "cancelled": 0.2}[
            status
        ]
        _write(out / "projects" / f"{pid}.md", front, text.project(lang, done_ratio))

    # ---- companies written now (portal only for clients with projects) --------
    with_projects = [c for c in clients if c.projects]
    n_portal = max(1, round(0.1 * len(clients)))
    portal_ids = {c.id for c in rng.sample(with_projects, min(n_portal, len(with_projects)))}
    for comp in companies:
        front = [
            f"name: {ys(comp.name)}",
            f"kind: {comp.kind}",
            f"manager: {comp.manager}",
            f"website: https://www.{comp.id}.example",
        ]
        if comp.id in portal_ids:
            front += [
                "portal:",
                "  enabled: true",
                f"  locale: {rng.choices(LANGS, [30, 55, 15])[0]}",
            ]
        elif comp.kind == "client" and rng.random() < 0.05:
            front += ["portal:", "  enabled: false"]
        if comp.kind in ("client", "prospect") and rng.random() < 0.7:
            front.append(f"industry: {rng.choice(INDUSTRIES)}")
        _write(out / "companies" / f"{comp.id}.md", front, text.org(comp.lang))

    # ---- tasks ----------------------------------------------------------------
    ids = _Ids()
    pweights = [rng.uniform(0.3, 2.0) for _ in projects]
    cum, acc = [], 0.0
    for w in pweights:
        acc += w
        cum.append(acc)
    assign = rng.choices(range(len(projects)), cum_weights=cum, k=n["tasks"])
    per_project: list[list[int]] = [[] for _ in projects]
    for t, p in enumerate(assign):
        per_project[p].append(t)
    counter = 0
    for pi, proj in enumerate(projects):
        if not per_project[pi]:
            continue
        tdir = out / "tasks" / proj.id
        tdir.mkdir()
        cols = WORKFLOWS[proj.workflow]
        wip = WIP[proj.workflow]
        in_col = dict.fromkeys(cols, 0)
        ignore_wip = rng.random() < 0.03
        lang_p = proj.lang
        team = rng.sample(active_people, min(len(active_people), rng.randint(2, 6)))
        status_p = proj.status
        for _ in per_project[pi]:
            counter += 1
            lang = lang_p if rng.random() < 0.75 else text.lang()
            li = LANGS.index(lang)
            act, obj = rng.choice(TASK_ACTIONS), rng.choice(TASK_OBJECTS)
            tid = ids.take(f"{act[3]}-{obj[3]}-{counter}")
            # status
            if status_p == "done":
                col = cols[-1]
            elif status_p == "planned":
                col = cols[0] if rng.random() < 0.9 else cols[1]
            elif status_p == "cancelled":
                col = cols[-1] if rng.random() < 0.5 else cols[0]
            else:
                r = rng.random()
                col = cols[0] if r < 0.25 else cols[-1] if r < 0.6 else rng.choice(cols[1:-1])
                if col in wip and in_col[col] >= wip[col] and not ignore_wip:
                    col = cols[-1] if rng.random() < 0.6 else cols[0]
            in_col[col] += 1
            stage = "done" if col == cols[-1] else "todo" if col == cols[0] else "doing"
            # dates
            start: int | None = None
            due: int | None = None
            if stage == "done":
                hi = min(proj.due, _T)
                lo = min(proj.start, hi)
                due = rng.randint(lo, hi)
                start = due - rng.randint(0, 14)
            elif stage == "doing":
                start = _T - rng.randint(0, 20)
                due = max(start, _T + rng.randint(-4, 21))
            elif status_p != "cancelled" and rng.random() < 0.5:
                start = max(_T, proj.start) + rng.randint(0, 30)
                due = start + rng.randint(1, 21)
            if start is not None and rng.random() < 0.08:
                start = None  # due only
            assignee = rng.choice(team) if rng.random() < 0.92 else None
            front = [f"title: {ys(f'{act[li]} {obj[li]}')}", f"project: {proj.id}"]
            if not (stage == "todo" and rng.random() < 0.05):
                front.append(f"status: {col}")
            if assignee:
                front.append(f"assignee: {assignee}")
            others = [p for p in team if p != assignee]
            parts = rng.sample(others, min(len(others), rng.choice([0, 0, 1, 1, 2])))
            if parts:
                front.append(f"participants: [{', '.join(parts)}]")
            if start is not None:
                front.append(f"start: {iso(start)}")
            if due is not None:
                front.append(f"due: {iso(due)}")
            if rng.random() < 0.75:
                if rng.random() < 0.1:
                    front.append(f"estimate: {rng.randint(1, 3)}d")
                else:
                    front.append(
                        f"estimate: {fmt_minutes(rng.randint(1, 24) * 30, rng.randint(0, 2))}"
                    )
            # time log
            n_log = (
                rng.randint(1, 5)
                if stage == "done"
                else rng.randint(0, 3)
                if stage == "doing"
                else 0
            )
            if n_log:
                front.append("time:")
                lo = start if start is not None else (due if due is not None else _T) - 10
                hi = min(_T, due if (due is not None and stage == "done") else _T)
                lo = min(lo, hi)
                who = [assignee] if assignee else []
                who += parts
                if not who:
                    who = [proj.manager]
                for _ in range(n_log):
                    d = iso(rng.randint(lo, hi))
                    person = who[0] if rng.random() < 0.75 else rng.choice(who)
                    spent = fmt_minutes(rng.randint(1, 16) * 15, rng.randint(0, 2))
                    note = rng.choice(TIME_NOTES[lang])
                    if rng.random() < 0.5:
                        front.append(
                            f"  - {{date: {d}, person: {person}, spent: {spent}, note: {ys(note)}}}"
                        )
                    elif rng.random() < 0.2:
                        front.append(f"  - {d} {person} {spent}")
                    else:
                        entry = f"{d} {person} {spent} {note}"
                        front.append(f"  - {entry if _PLAIN_BAD.isdisjoint(note) else ys(entry)}")
            tags = rng.sample(TASK_TAGS, rng.choice([0, 1, 1, 2, 3]))
            if tags:
                front.append(f"tags: [{', '.join(tags)}]")
            if rng.random() < 0.5:
                prio = rng.choices(["low", "normal", "high", "urgent"], [20, 40, 30, 10])[0]
                front.append(f"priority: {prio}")
            r = rng.random()
            if r < 0.4:
                front.append("client_visible: true")
            elif r < 0.5:
                front.append("client_visible: false")
            if rng.random() < 0.2:
                cur = rng.choices(CURRENCIES, CURRENCY_WEIGHTS)[0]
                front.append(f"price: {money(rng, rng.randint(5, 80) * 10, cur)}")
            if rng.random() < 0.15:
                front.append(f"story_points: {rng.choice([1, 2, 3, 5, 8, 13])}")
            done_ratio = 1.0 if stage == "done" else 0.0 if stage == "todo" else 0.5
            _write(tdir / f"{tid}.md", front, text.task(lang, done_ratio, proj.company.name))

    # ---- deals ----------------------------------------------------------------
    ids = _Ids()
    sales_companies = [c for c in companies if c.kind in ("client", "prospect")] or companies
    for _ in range(n["deals"]):
        pipeline = "media" if (media and rng.random() < 0.3) else "sales"
        comp = rng.choice(media if pipeline == "media" else sales_companies)
        lang = comp.lang if rng.random() < 0.7 else text.lang()
        li = LANGS.index(lang)
        stage = rng.choices(PIPELINES[pipeline], STAGE_WEIGHTS[pipeline])[0]
        closed = stage in (WON[pipeline], LOST[pipeline])
        if pipeline == "sales":
            off = rng.choice(OFFERINGS)
            title = f"{comp.name} — {off[li]}"
        else:
            off = rng.choice(MEDIA_TOPICS)
            title = f"{comp.name}: {off[li]}"
        did = ids.take(f"{comp.id.split('-')[0]}-{off[3]}")
        front = [f"title: {ys(title)}", f"company: {comp.id}"]
        cands = contacts_by_company.get(comp.id)
        if cands and rng.random() < 0.9:
            front.append(f"contact: {rng.choice(cands)}")
        if pipeline != "sales" or rng.random() < 0.6:
            front.append(f"pipeline: {pipeline}")
        front.append(f"stage: {stage}")
        front.append(f"owner: {comp.manager if rng.random() < 0.7 else rng.choice(active_people)}")
        free = pipeline == "media" and rng.random() < 0.6
        if not free:
            cur = rng.choices(CURRENCIES, CURRENCY_WEIGHTS)[0]
            usd = rng.randint(10, 600) * 100 if pipeline == "sales" else rng.randint(2, 40) * 50
            front.append(f"amount: {money(rng, usd, cur)}")
        if not closed and rng.random() < 0.15:
            front.append(f"probability: {rng.randint(1, 19) * 5}")
        if closed:
            updated = _T - rng.randint(3, 200)
            front.append(f"expected_close: {iso(updated + rng.randint(-10, 0))}")
        else:
            updated = _T - (rng.randint(0, 25) if rng.random() < 0.3 else rng.randint(0, 7))
            front.append(f"expected_close: {iso(_T + rng.randint(5, 120))}")
            if rng.random() < 0.8:
                front.append(
                    f"next_step: {{date: {iso(_T + rng.randint(-7, 21))}, "
                    f"action: {ys(rng.choice(NEXT_ACTIONS[lang]))}}}"
                )
        front.append(f"updated: {iso(updated)}")
        srcs = SOURCES_MEDIA if pipeline == "media" else SOURCES_SALES
        front.append(f"source: {rng.choice(srcs)}")
        if stage == LOST[pipeline]:
            front.append(f"lost_reason: {ys(rng.choice(LOST_REASONS[lang]))}")
        if pipeline == "media":
            front.append(f"free: {'true' if free else 'false'}")
            front.append(f"media_project: {rng.choice(['tv', 'print', 'online', 'radio'])}")
        elif rng.random() < 0.1:
            front.append("free: false")
        _write(out / "deals" / f"{did}.md", front, text.deal(lang, closed))

    return dict(n)


def _tree_size(root: Path) -> tuple[int, int]:
    files = total = 0
    for dirpath, _dirs, names in os.walk(root):
        for name in names:
            files += 1
            total += os.path.getsize(os.path.join(dirpath, name))
    return files, total


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", type=Path, help="output folder (new or empty)")
    ap.add_argument(
        "--scale",
        type=float,
        default=1.0,
        help="1.0 = 200 projects, 10k tasks, 2k contacts, 1k deals (default 1.0)",
    )
    ap.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    args = ap.parse_args(argv)
    if args.scale <= 0:
        ap.error("--scale must be positive")
    t0 = time.perf_counter()
    try:
        counts = generate(args.out, args.scale, args.seed)
    except FileExistsError as e:
        print(f"generate.py: {e}", file=sys.stderr)
        return 2
    dt = time.perf_counter() - t0
    files, total = _tree_size(args.out)
    summary = ", ".join(f"{v} {k}" for k, v in counts.items())
    print(f"{args.out}: {summary}; {files} files, {total / 1e6:.1f} MB in {dt:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
