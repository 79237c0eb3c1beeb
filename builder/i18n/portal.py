"""UI strings of the portal area: key -> {en, ru, uk}.

A client reads these, so they avoid counted nouns ("3 tasks") whose Russian and Ukrainian
plural forms would need agreement: counts stand after a colon instead.
"""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    "portal.page_title": {
        "en": "{company} — project status",
        "ru": "{company} — статус проектов",
        "uk": "{company} — статус проєктів",
    },
    "portal.heading": {
        "en": "Project status",
        "ru": "Статус проектов",
        "uk": "Статус проєктів",
    },
    "portal.updated": {
        "en": "Last updated {date}",
        "ru": "Обновлено {date}",
        "uk": "Оновлено {date}",
    },
    "portal.print": {"en": "Print", "ru": "Печать", "uk": "Друк"},
    "portal.manager": {
        "en": "Your manager",
        "ru": "Ваш менеджер",
        "uk": "Ваш менеджер",
    },
    "portal.project_manager": {
        "en": "Project manager",
        "ru": "Менеджер проекта",
        "uk": "Менеджер проєкту",
    },
    "portal.email": {"en": "Email", "ru": "Эл. почта", "uk": "Ел. пошта"},
    "portal.phone": {"en": "Phone", "ru": "Телефон", "uk": "Телефон"},
    "portal.projects": {"en": "Projects", "ru": "Проекты", "uk": "Проєкти"},
    "portal.no_projects": {
        "en": "There are no projects to show yet.",
        "ru": "Пока нет проектов для показа.",
        "uk": "Поки що немає проєктів для показу.",
    },
    "portal.status.planned": {"en": "Planned", "ru": "Запланирован", "uk": "Заплановано"},
    "portal.status.active": {"en": "In progress", "ru": "В работе", "uk": "У роботі"},
    "portal.status.on-hold": {"en": "On hold", "ru": "Приостановлен", "uk": "Призупинено"},
    "portal.status.done": {"en": "Completed", "ru": "Завершён", "uk": "Завершено"},
    "portal.from": {"en": "from {start}", "ru": "с {start}", "uk": "з {start}"},
    "portal.until": {"en": "until {due}", "ru": "до {due}", "uk": "до {due}"},
    "portal.progress": {"en": "Progress", "ru": "Прогресс", "uk": "Прогрес"},
    "portal.tasks_done": {
        "en": "Tasks done: {done} of {total}",
        "ru": "Выполнено задач: {done} из {total}",
        "uk": "Виконано завдань: {done} з {total}",
    },
    "portal.summary": {
        "en": "Where we are",
        "ru": "Где мы сейчас",
        "uk": "Де ми зараз",
    },
    "portal.section.review": {
        "en": "Awaiting your review",
        "ru": "Ждёт вашего согласования",
        "uk": "Чекає на ваше погодження",
    },
    "portal.section.review_note": {
        "en": "These need a decision or materials from your side.",
        "ru": "Здесь нужно ваше решение или материалы от вас.",
        "uk": "Тут потрібне ваше рішення або матеріали від вас.",
    },
    "portal.section.work": {
        "en": "In work now",
        "ru": "Сейчас в работе",
        "uk": "Зараз у роботі",
    },
    "portal.section.next": {"en": "Next up", "ru": "Далее в плане", "uk": "Далі в плані"},
    "portal.section.done": {
        "en": "Done recently",
        "ru": "Недавно сделано",
        "uk": "Нещодавно зроблено",
    },
    "portal.section.schedule": {"en": "Schedule", "ru": "График", "uk": "Графік"},
    "portal.section.metrics": {
        "en": "Success metrics",
        "ru": "Показатели успеха",
        "uk": "Показники успіху",
    },
    "portal.phase.next": {"en": "Next up", "ru": "В плане", "uk": "У плані"},
    "portal.phase.work": {"en": "In work", "ru": "В работе", "uk": "У роботі"},
    "portal.phase.review": {
        "en": "Your review",
        "ru": "Ваше согласование",
        "uk": "Ваше погодження",
    },
    "portal.phase.done": {"en": "Done", "ru": "Готово", "uk": "Готово"},
    "portal.today": {"en": "Today", "ru": "Сегодня", "uk": "Сьогодні"},
    "portal.nothing": {
        "en": "Nothing here right now.",
        "ru": "Сейчас здесь ничего нет.",
        "uk": "Зараз тут нічого немає.",
    },
    "portal.metric.target": {"en": "target {value}", "ru": "цель {value}", "uk": "мета {value}"},
    "portal.metric.no_target": {
        "en": "no target set",
        "ru": "цель не задана",
        "uk": "мету не задано",
    },
    "portal.footer": {
        "en": "This page is prepared for {company} only. Please do not share the link.",
        "ru": "Эта страница подготовлена только для {company}. Пожалуйста, не пересылайте ссылку.",
        "uk": "Цю сторінку підготовлено лише для {company}. Будь ласка, не пересилайте посилання.",
    },
    "portal.questions": {
        "en": "Questions about the work? Write or call your manager.",
        "ru": "Вопросы по работе? Напишите или позвоните вашему менеджеру.",
        "uk": "Питання щодо роботи? Напишіть або зателефонуйте вашому менеджеру.",
    },
    "portal.skip": {
        "en": "Skip to the projects",
        "ru": "Перейти к проектам",
        "uk": "Перейти до проєктів",
    },
}
