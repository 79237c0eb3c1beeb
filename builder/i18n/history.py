"""UI strings of the history area (activity feed, card history, flow metrics): key ->
{en, ru, uk}.

Feed sentences are templates whose placeholders become separate parts (`{person}`,
`{record}`, `{old}`, `{new}`, `{amount}`, `{kind}`), so a page can link and italicise them.
Russian and Ukrainian verbs use the "(а)"/"(ла)" forms, as Trello and Jira do: people
records carry no grammatical gender. Column and stage names follow an arrow there, which
spares them a case ending.
"""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    # What the history lacks
    "history.note.no_repo": {
        "en": "No history: the workspace is not in a git repository.",
        "ru": "Истории нет: рабочее пространство не в git-репозитории.",
        "uk": "Історії немає: робочий простір не в git-репозиторії.",
    },
    "history.note.error": {
        "en": "No history: git failed ({reason}).",
        "ru": "Истории нет: ошибка git ({reason}).",
        "uk": "Історії немає: помилка git ({reason}).",
    },
    "history.note.no_commits": {
        "en": "No history yet: nothing is committed.",
        "ru": "Истории пока нет: ничего не закоммичено.",
        "uk": "Історії ще немає: нічого не закомічено.",
    },
    "history.note.shallow": {
        "en": "History starts at {date}: shallow clone.",
        "ru": "История начинается {date}: неполный (shallow) клон.",
        "uk": "Історія починається {date}: неповний (shallow) клон.",
    },
    "history.note.uncommitted": {
        "en": "Files with uncommitted changes: {count}. The history shows the last commit.",
        "ru": (
            "Файлов с незакоммиченными изменениями: {count}. История показывает последний коммит."
        ),
        "uk": "Файлів із незакоміченими змінами: {count}. Історія показує останній коміт.",
    },
    "history.note.later": {
        "en": "Commits dated after {date} are left out: {count}.",
        "ru": "Коммиты после {date} не учтены: {count}.",
        "uk": "Коміти після {date} не враховано: {count}.",
    },
    # Activity feed sentences
    "history.feed.task_created": {
        "en": "{person} created task {record}",
        "ru": "{person} создал(а) задачу {record}",
        "uk": "{person} створив(ла) завдання {record}",
    },
    "history.feed.task_moved": {
        "en": "{person} moved {record} from {old} to {new}",
        "ru": "{person} переместил(а) {record}: {old} → {new}",
        "uk": "{person} перемістив(ла) {record}: {old} → {new}",
    },
    "history.feed.task_assigned": {
        "en": "{person} assigned {record} to {new}",
        "ru": "{person} сменил(а) исполнителя {record}: {new}",
        "uk": "{person} змінив(ла) виконавця {record}: {new}",
    },
    "history.feed.task_unassigned": {
        "en": "{person} unassigned {record}",
        "ru": "{person} снял(а) исполнителя с {record}",
        "uk": "{person} зняв(ла) виконавця з {record}",
    },
    "history.feed.task_due": {
        "en": "{person} set the due date of {record} to {new}",
        "ru": "{person} изменил(а) срок {record}: {new}",
        "uk": "{person} змінив(ла) термін {record}: {new}",
    },
    "history.feed.task_due_removed": {
        "en": "{person} removed the due date of {record}",
        "ru": "{person} убрал(а) срок {record}",
        "uk": "{person} прибрав(ла) термін {record}",
    },
    "history.feed.task_project": {
        "en": "{person} moved {record} to project {new}",
        "ru": "{person} перенес(ла) {record} в проект {new}",
        "uk": "{person} переніс(ла) {record} до проєкту {new}",
    },
    "history.feed.retitled": {
        "en": "{person} renamed {record} (was {old})",
        "ru": "{person} переименовал(а) {record} (было: {old})",
        "uk": "{person} перейменував(ла) {record} (було: {old})",
    },
    "history.feed.deal_created": {
        "en": "{person} created deal {record}",
        "ru": "{person} создал(а) сделку {record}",
        "uk": "{person} створив(ла) угоду {record}",
    },
    "history.feed.deal_created_amount": {
        "en": "{person} created deal {record} ({amount})",
        "ru": "{person} создал(а) сделку {record} ({amount})",
        "uk": "{person} створив(ла) угоду {record} ({amount})",
    },
    "history.feed.deal_moved": {
        "en": "{person} moved deal {record} from {old} to {new}",
        "ru": "{person} перевел(а) сделку {record}: {old} → {new}",
        "uk": "{person} перевів(ла) угоду {record}: {old} → {new}",
    },
    "history.feed.deal_won": {
        "en": "{person} won deal {record}",
        "ru": "{person} выиграл(а) сделку {record}",
        "uk": "{person} виграв(ла) угоду {record}",
    },
    "history.feed.deal_lost": {
        "en": "{person} lost deal {record}",
        "ru": "{person} проиграл(а) сделку {record}",
        "uk": "{person} програв(ла) угоду {record}",
    },
    "history.feed.deal_owner": {
        "en": "{person} handed deal {record} to {new}",
        "ru": "{person} передал(а) сделку {record}: {new}",
        "uk": "{person} передав(ла) угоду {record}: {new}",
    },
    "history.feed.deal_amount": {
        "en": "{person} changed the amount of deal {record} from {old} to {new}",
        "ru": "{person} изменил(а) сумму сделки {record}: {old} → {new}",
        "uk": "{person} змінив(ла) суму угоди {record}: {old} → {new}",
    },
    "history.feed.project_created": {
        "en": "{person} created project {record}",
        "ru": "{person} создал(а) проект {record}",
        "uk": "{person} створив(ла) проєкт {record}",
    },
    "history.feed.project_status": {
        "en": "{person} changed the status of project {record} from {old} to {new}",
        "ru": "{person} изменил(а) статус проекта {record}: {old} → {new}",
        "uk": "{person} змінив(ла) статус проєкту {record}: {old} → {new}",
    },
    "history.feed.project_manager": {
        "en": "{person} made {new} the manager of project {record}",
        "ru": "{person} сменил(а) менеджера проекта {record}: {new}",
        "uk": "{person} змінив(ла) менеджера проєкту {record}: {new}",
    },
    "history.feed.created": {
        "en": "{person} added {kind} {record}",
        "ru": "{person} добавил(а) {kind} {record}",
        "uk": "{person} додав(ла) {kind} {record}",
    },
    "history.feed.deleted": {
        "en": "{person} deleted {kind} {record}",
        "ru": "{person} удалил(а) {kind} {record}",
        "uk": "{person} видалив(ла) {kind} {record}",
    },
    "history.feed.restored": {
        "en": "{person} restored {kind} {record}",
        "ru": "{person} восстановил(а) {kind} {record}",
        "uk": "{person} відновив(ла) {kind} {record}",
    },
    "history.feed.renamed": {
        "en": "{person} changed the id of {record} (was {old})",
        "ru": "{person} сменил(а) id {record} (было: {old})",
        "uk": "{person} змінив(ла) id {record} (було: {old})",
    },
    # Record kinds as the object of a feed sentence (accusative in ru/uk)
    "history.kind.task": {"en": "task", "ru": "задачу", "uk": "завдання"},
    "history.kind.deal": {"en": "deal", "ru": "сделку", "uk": "угоду"},
    "history.kind.project": {"en": "project", "ru": "проект", "uk": "проєкт"},
    "history.kind.company": {"en": "company", "ru": "компанию", "uk": "компанію"},
    "history.kind.contact": {"en": "contact", "ru": "контакт", "uk": "контакт"},
    "history.kind.person": {
        "en": "team member",
        "ru": "участника команды",
        "uk": "учасника команди",
    },
    "history.project_status.planned": {"en": "planned", "ru": "запланирован", "uk": "заплановано"},
    "history.project_status.active": {"en": "active", "ru": "в работе", "uk": "у роботі"},
    "history.project_status.on-hold": {"en": "on hold", "ru": "на паузе", "uk": "на паузі"},
    "history.project_status.done": {"en": "done", "ru": "завершен", "uk": "завершено"},
    "history.project_status.cancelled": {"en": "cancelled", "ru": "отменен", "uk": "скасовано"},
    "history.none": {"en": "none", "ru": "нет", "uk": "немає"},
    # A record title quoted in plain text (Atom titles, text digests)
    "history.quoted": {"en": "“{title}”", "ru": "«{title}»", "uk": "«{title}»"},
    # Feed page
    "history.feed.title": {"en": "Activity", "ru": "Активность", "uk": "Активність"},
    "history.feed.empty": {
        "en": "No activity in this period.",
        "ru": "За этот период изменений нет.",
        "uk": "За цей період змін немає.",
    },
    "history.feed.all_people": {"en": "Everyone", "ru": "Все", "uk": "Усі"},
    "history.feed.all_projects": {"en": "All projects", "ru": "Все проекты", "uk": "Усі проєкти"},
    "history.feed.atom": {"en": "Atom feed", "ru": "Лента Atom", "uk": "Стрічка Atom"},
    "history.feed.atom_title": {
        "en": "{name}: activity",
        "ru": "{name}: активность",
        "uk": "{name}: активність",
    },
    # Card history (task and deal pages)
    "history.card.title": {"en": "History", "ru": "История", "uk": "Історія"},
    "history.card.column": {"en": "Column", "ru": "Колонка", "uk": "Колонка"},
    "history.card.stage": {"en": "Stage", "ru": "Этап", "uk": "Етап"},
    "history.card.from": {"en": "From", "ru": "С", "uk": "З"},
    "history.card.to": {"en": "To", "ru": "По", "uk": "До"},
    "history.card.now": {"en": "now", "ru": "сейчас", "uk": "зараз"},
    "history.card.moved_by": {"en": "Moved by", "ru": "Кто переместил", "uk": "Хто перемістив"},
    "history.card.time": {"en": "Time", "ru": "Время", "uk": "Час"},
    "history.card.time_in_column": {
        "en": "Time in each column",
        "ru": "Время в каждой колонке",
        "uk": "Час у кожній колонці",
    },
    "history.card.time_in_stage": {
        "en": "Time in each stage",
        "ru": "Время на каждом этапе",
        "uk": "Час на кожному етапі",
    },
    "history.card.cycle_time": {
        "en": "Cycle time: {days}",
        "ru": "Время цикла: {days}",
        "uk": "Час циклу: {days}",
    },
    "history.card.in_progress": {
        "en": "In progress for {days}",
        "ru": "В работе уже {days}",
        "uk": "У роботі вже {days}",
    },
    "history.card.created": {
        "en": "Created {date} by {person}",
        "ru": "Создано {date}, {person}",
        "uk": "Створено {date}, {person}",
    },
    "history.card.before_history": {
        "en": "Already there when the history starts",
        "ru": "Было здесь до начала истории",
        "uk": "Було тут до початку історії",
    },
    "history.card.not_committed": {
        "en": "No history yet: this file is not committed.",
        "ru": "Истории пока нет: файл не закоммичен.",
        "uk": "Історії ще немає: файл не закомічено.",
    },
    "history.card.skipped": {
        "en": "Versions with broken YAML skipped: {count}",
        "ru": "Пропущено версий с ошибкой YAML: {count}",
        "uk": "Пропущено версій з помилкою YAML: {count}",
    },
    # Flow metrics (boards)
    "history.flow.title": {"en": "Flow", "ru": "Поток", "uk": "Потік"},
    "history.flow.cycle_time": {
        "en": "Cycle time, last {days} days",
        "ru": "Время цикла, последние {days} дн.",
        "uk": "Час циклу, останні {days} дн.",
    },
    "history.flow.finished": {"en": "Finished", "ru": "Завершено", "uk": "Завершено"},
    "history.flow.median": {"en": "Median", "ru": "Медиана", "uk": "Медіана"},
    "history.flow.p85": {"en": "85th percentile", "ru": "85-й процентиль", "uk": "85-й процентиль"},
    "history.flow.throughput": {
        "en": "Finished per week",
        "ru": "Завершено за неделю",
        "uk": "Завершено за тиждень",
    },
    "history.flow.week_of": {
        "en": "Week of {date}",
        "ru": "Неделя с {date}",
        "uk": "Тиждень з {date}",
    },
    "history.flow.cfd": {
        "en": "Cumulative flow",
        "ru": "Накопительная диаграмма потока",
        "uk": "Накопичувальна діаграма потоку",
    },
    "history.flow.cfd_desc": {
        "en": "Cards in each column at the end of each day, {start} to {end}",
        "ru": "Карточки в каждой колонке на конец дня, {start} — {end}",
        "uk": "Картки в кожній колонці на кінець дня, {start} — {end}",
    },
    "history.flow.stuck": {
        "en": "Stuck cards",
        "ru": "Застрявшие карточки",
        "uk": "Застряглі картки",
    },
    "history.flow.stuck_limit": {
        "en": "{days} in {column} (limit {limit})",
        "ru": "{days} в колонке {column} (лимит {limit})",
        "uk": "{days} у колонці {column} (ліміт {limit})",
    },
    "history.flow.stuck_p85": {
        "en": "{days} in {column} (85% of cards move on within {limit})",
        "ru": "{days} в колонке {column} (85% карточек уходят дальше за {limit})",
        "uk": "{days} у колонці {column} (85% карток рухаються далі за {limit})",
    },
    "history.flow.stuck_chip": {
        "en": "stuck {days}",
        "ru": "застряла: {days}",
        "uk": "застрягла: {days}",
    },
    "history.flow.no_data": {
        "en": "Not enough history yet.",
        "ru": "Пока мало истории.",
        "uk": "Поки замало історії.",
    },
    # Deals and funnels
    "history.deal.idle": {
        "en": "Idle for {days} (limit {limit})",
        "ru": "Без движения {days} (лимит {limit})",
        "uk": "Без руху {days} (ліміт {limit})",
    },
    "history.deal.last_change": {
        "en": "Last change {date}",
        "ru": "Последнее изменение {date}",
        "uk": "Остання зміна {date}",
    },
    "history.funnel.conversion": {"en": "Conversion", "ru": "Конверсия", "uk": "Конверсія"},
    "history.funnel.conversion_row": {
        "en": "{advanced} of {entered} deals went on from {stage} to {next}",
        "ru": "{advanced} из {entered} сделок перешли дальше: {stage} → {next}",
        "uk": "{advanced} з {entered} угод пішли далі: {stage} → {next}",
    },
}
