"""Field value parsers and the positioned YAML tree, one value at a time."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from builder.load.yamltree import Mapping, Scalar, Sequence, YamlProblem, parse, plain_value
from builder.model import Money
from builder.validate import values
from builder.validate.values import FieldError


def node(text: str, plain: bool = True) -> Scalar:
    return Scalar(text, 3, 7, plain)


def error(call: object, *args: object) -> FieldError:
    with pytest.raises(FieldError) as info:
        call(*args)  # type: ignore[operator]
    return info.value


# --- dates -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2026-11-23", date(2026, 11, 23)), ("2024-02-29", date(2024, 2, 29))],
)
def test_date(text: str, expected: date) -> None:
    assert values.parse_date(text) == expected
    assert values.a_date(node(f" {text} ")) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("2026-02-30", "no such day in the calendar"),
        ("2026-02-29", "no such day in the calendar"),
        ("2026-13-01", "no such day in the calendar"),
        ("2026-00-10", "no such day in the calendar"),
        ("26-1-1", "not in YYYY-MM-DD form"),
        ("2026/03/16", "not in YYYY-MM-DD form"),
        ("16.03.2026", "not in YYYY-MM-DD form"),
        ("2026-03-16T10:00", "not in YYYY-MM-DD form"),
        ("20260316", "not in YYYY-MM-DD form"),
        ("٢٠٢٦-٠٣-١٦", "not in YYYY-MM-DD form"),
        ("", "not in YYYY-MM-DD form"),
    ],
)
def test_bad_date(text: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        values.parse_date(text)
    exc = error(values.a_date, node(text))
    hint = {
        "2026-02-30": "2026-02 has 28 days; check the day",
        "2026-02-29": "2026-02 has 28 days; check the day",
        "2026-13-01": "the month comes second and runs from 01 to 12 (YYYY-MM-DD)",
        "2026-00-10": "the month comes second and runs from 01 to 12 (YYYY-MM-DD)",
    }.get(text, "write dates as YYYY-MM-DD, e.g. `2026-11-23`")
    assert (exc.code, exc.message, exc.hint) == ("PD104", f"bad date `{text}`: {reason}", hint)
    assert (exc.node.line, exc.node.col) == (3, 7)


def test_date_must_be_a_scalar() -> None:
    exc = error(values.a_date, Sequence(2, 5))
    assert (exc.code, exc.message) == ("PD103", "expected a date, found a list")


# --- durations -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("2h", 120),
        ("1h30m", 90),
        ("90m", 90),
        ("1.5h", 90),
        ("2d", 960),
        ("1d4h30m", 750),
        ("1d 2h", 600),
        ("2 h", 120),
        (" 2H ", 120),
        ("0m", 0),
        ("0.25h", 15),
    ],
)
def test_duration(text: str, minutes: int) -> None:
    assert values.parse_duration(text) == minutes
    assert values.duration(node(text)) == minutes


def test_a_day_is_hours_per_day() -> None:
    assert values.parse_duration("2d", hours_per_day=6) == 720
    assert values.duration(node("1d1h"), 7) == 480


@pytest.mark.parametrize("text", ["", "h", "2", "2x", "2 hours", "1.5m", "2h2h", "30m2h", ".5h"])
def test_bad_duration(text: str) -> None:
    exc = error(values.duration, node(text))
    assert (exc.code, exc.message, exc.hint) == (
        "PD105",
        f"bad duration `{text}`",
        "write a number with a unit: `2h`, `1h30m`, `90m`, `1.5h` or `2d`",
    )


@pytest.mark.parametrize("text", ["-2h", "-30m", " -1d"])
def test_negative_duration(text: str) -> None:
    exc = error(values.duration, node(text))
    assert (exc.code, exc.message) == ("PD112", f"negative duration `{text}`")


def test_overlong_duration_is_bad_not_negative() -> None:
    assert error(values.duration, node("9" * 400 + "h")).code == "PD105"
    assert error(values.duration, node("9" * 5000 + "m")).code == "PD105"


# --- money -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "amount", "currency"),
    [
        ("12000 UAH", "12000", "UAH"),
        ("99.50 EUR", "99.50", "EUR"),
        ("1 000 USD", "1000", "USD"),
        ("12_000", "12000", "RUB"),
        ("500", "500", "RUB"),
        ("0", "0", "RUB"),
        ("12000  UAH", "12000", "UAH"),
    ],
)
def test_money(text: str, amount: str, currency: str) -> None:
    assert values.money(node(text), "RUB") == Money(Decimal(amount), currency)


@pytest.mark.parametrize("text", ["12 dollars", "USD 12", "1e5", "1,5 EUR", "12000 UAHX", "$12"])
def test_bad_money(text: str) -> None:
    exc = error(values.money, node(text), "USD")
    assert (exc.code, exc.message, exc.hint) == (
        "PD106",
        f"bad money `{text}`",
        "write an amount and an ISO 4217 code, e.g. `12000 UAH`",
    )


def test_lower_case_currency() -> None:
    exc = error(values.money, node("12000 uah"), "USD")
    assert (exc.code, exc.message, exc.hint) == (
        "PD106",
        "bad money `12000 uah`: currency code in lower case",
        "write the code in capitals: `12000 UAH`",
    )


@pytest.mark.parametrize("text", ["12 ABC", "5000 UAN"])
def test_unknown_currency_code(text: str) -> None:
    exc = error(values.money, node(text), "USD")
    code = text.split()[1]
    assert (exc.code, exc.message, exc.hint) == (
        "PD106",
        f"bad money `{text}`: `{code}` is not an ISO 4217 currency code",
        "use an ISO 4217 code such as `USD`, `EUR` or `UAH`",
    )


@pytest.mark.parametrize("text", ["-5 USD", "-0.01", "-1 000 EUR"])
def test_negative_money(text: str) -> None:
    exc = error(values.money, node(text), "USD")
    assert (exc.code, exc.message, exc.hint) == (
        "PD112",
        f"negative amount `{text}`",
        "amounts are zero or more",
    )


# --- numbers, booleans, choices --------------------------------------------------------


@pytest.mark.parametrize(("text", "value"), [("40", 40.0), ("12.5", 12.5), ("-3", -3.0)])
def test_number(text: str, value: float) -> None:
    assert values.number(node(text)) == value


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("forty", "expected a number, found `forty`"),
        ("1e3", "expected a number, found `1e3`"),
        ("nan", "expected a number, found `nan`"),
        ("9" * 400, f"number `{'9' * 59}…` is too large"),  # quoted cut short
    ],
)
def test_bad_number(text: str, message: str) -> None:
    exc = error(values.number, node(text))
    assert (exc.code, exc.message) == ("PD103", message)


@pytest.mark.parametrize("text", ["101", "-1", "50.5", "9" * 400])
def test_whole_number_out_of_range(text: str) -> None:
    assert error(values.whole_number, node(text), 0, 100).code == "PD103"


def test_whole_number() -> None:
    assert values.whole_number(node("40"), 0, 100) == 40
    assert values.whole_number(node("40.0"), 0, 100) == 40
    exc = error(values.whole_number, node("101"), 0, 100)
    assert exc.message == "expected a whole number from 0 to 100, found `101`"


@pytest.mark.parametrize(
    ("text", "value"),
    [("true", True), ("True", True), ("yes", True), ("on", True), ("FALSE", False), ("no", False)],
)
def test_boolean(text: str, value: bool) -> None:
    assert values.boolean(node(text)) is value


@pytest.mark.parametrize(("text", "plain"), [("maybe", True), ("1", True), ("true", False)])
def test_bad_boolean(text: str, plain: bool) -> None:
    exc = error(values.boolean, node(text, plain))
    assert (exc.code, exc.message) == ("PD103", f"expected true or false, found `{text}`")


def test_choice() -> None:
    assert values.choice(node("high"), ["low", "high"]) == "high"
    exc = error(values.choice, node("hgh"), ["low", "high"])
    assert (exc.code, exc.message, exc.hint) == (
        "PD107",
        "`hgh` is not one of the allowed values",
        "did you mean `high`?",
    )


def test_did_you_mean() -> None:
    assert (
        values.did_you_mean("in-progres", ["todo", "in-progress"]) == "did you mean `in-progress`?"
    )
    assert values.did_you_mean("zzz", ["b", "a"]) == "expected one of `a`, `b`"
    assert values.did_you_mean("zzz", "abcdefghij") == (
        "expected one of `a`, `b`, `c`, `d`, `e`, `f`, `g`, `h` ..."
    )
    assert values.did_you_mean("zzz", []) == ""


# --- ids, lists, text ------------------------------------------------------------------


@pytest.mark.parametrize("text", ["anna-k", "2026-launch", "a", "x1"])
def test_record_id(text: str) -> None:
    assert values.record_id(node(text)) == text


@pytest.mark.parametrize(
    "text", ["../secret", "a/b", "x y", "Anna", "-a", "a_b", "a.b", "", "ганна"]
)
def test_bad_record_id(text: str) -> None:
    exc = error(values.record_id, node(text))
    assert (exc.code, exc.message, exc.hint) == (
        "PD108",
        f"bad id `{text}` in reference",
        "ids are lower-case letters, digits and dashes, e.g. `anna-k`",
    )


def test_lists() -> None:
    seq = Sequence(1, 1, [node("a"), node("b")])
    assert values.str_list(seq) == ["a", "b"]
    assert values.str_list(node("solo")) == ["solo"]
    assert values.str_list(node("~")) == []
    assert values.id_list(seq) == ["a", "b"]
    assert values.id_list(node("anna-k")) == ["anna-k"]
    assert error(values.str_list, Mapping(2, 3)).code == "PD103"
    assert error(values.id_list, Sequence(1, 1, [node("a"), node("B")])).message == (
        "bad id `B` in reference"
    )


def test_text_and_email() -> None:
    assert values.text(node("~")) == ""
    assert values.text(node("~", plain=False)) == "~"
    assert values.email(node(" anna@brightline.agency ")) == "anna@brightline.agency"
    assert values.email(node("")) == ""
    exc = error(values.email, node("anna at brightline"))
    assert (exc.code, exc.message) == ("PD103", "`anna at brightline` is not an e-mail address")
    exc = error(values.text, Mapping(4, 8))
    assert (exc.code, exc.message, exc.node.line, exc.node.col) == (
        "PD103",
        "expected text, found a mapping",
        4,
        8,
    )


# --- the positioned YAML tree ----------------------------------------------------------


def test_every_key_and_value_knows_its_place() -> None:
    tree = parse("\ntitle: Hero\ntags:\n  - web\n  - 'design'\nnext_step: {date: 2026-03-20}\n", 1)
    root = tree.root
    assert isinstance(root, Mapping)
    key, value = root.items["title"]
    assert (key.line, key.col, value.line, value.col) == (3, 1, 3, 8)
    tags = root.items["tags"][1]
    assert isinstance(tags, Sequence)
    assert [(n.line, n.col) for n in tags.items] == [(5, 5), (6, 5)]
    assert [(n.value, n.plain) for n in tags.items if isinstance(n, Scalar)] == [
        ("web", True),
        ("design", False),
    ]
    step = root.items["next_step"][1]
    assert isinstance(step, Mapping) and (step.line, step.col) == (7, 12)
    assert step.items["date"][1].line == 7


def test_scalars_stay_text() -> None:
    tree = parse("due: 2026-03-16\nn: 012\nok: yes\nnone: ~\nf: 1.50\n")
    assert plain_value(tree.root) == {  # type: ignore[arg-type]
        "due": "2026-03-16",
        "n": "012",
        "ok": "yes",
        "none": None,
        "f": "1.50",
    }


def test_duplicates_are_collected_first_value_wins() -> None:
    tree = parse("a: 1\nb: 2\na: 3\nb: 4\n", 10)
    assert plain_value(tree.root) == {"a": "1", "b": "2"}  # type: ignore[arg-type]
    assert [(d.code, d.line, d.col, d.message) for d in tree.duplicates] == [
        ("PD008", 13, 1, "duplicate key `a` (first on line 11)"),
        ("PD008", 14, 1, "duplicate key `b` (first on line 12)"),
    ]


@pytest.mark.parametrize(
    ("text", "code", "line", "col"),
    [
        ("a: &x 1\nb: *x\n", "PD006", 1, 4),
        ("a: !!python/tuple [1]\n", "PD006", 1, 4),
        ("a: [" + "[" * 40 + "]" * 41 + "\n", "PD007", 1, 35),
        ("a: 1\n  b: 2\n", "PD004", 2, 4),
        ("a: 'x\n", "PD004", 1, 4),
        ("a: \x1b\n", "PD004", 1, 4),
    ],
)
def test_refused_yaml(text: str, code: str, line: int, col: int) -> None:
    with pytest.raises(YamlProblem) as info:
        parse(text)
    assert (info.value.code, info.value.line, info.value.col) == (code, line, col)
    assert "\n" not in info.value.message and info.value.hint


def test_empty_and_null_documents() -> None:
    assert parse("").root is None
    assert parse("# only a comment\n").root is None
    root = parse("~\n").root
    assert isinstance(root, Scalar) and root.is_null


def test_settings_refuse_a_rate_for_an_unknown_currency(tmp_path: Path) -> None:
    from conftest import make_workspace

    from builder.pipeline import run_check

    root = make_workspace(
        tmp_path,
        {
            "workspace.yml": "rates:\n  ABC: 1.5\n  EUR: 1.08\n",
            "people/me.md": "---\nname: Me\n---\n",
        },
    )
    result = run_check(root)
    assert [(p.headline(), p.hint) for p in result.problems] == [
        (
            f"{root.as_posix()}/workspace.yml:2:3: error PD106: bad currency code `ABC`",
            "use an ISO 4217 code in capitals, e.g. `USD`",
        )
    ]
    assert dict(result.workspace.settings.rates) == {"EUR": Decimal("1.08")}


@pytest.mark.parametrize(
    ("value", "hint"),
    [
        ("2026-02-30", "2026-02 has 28 days; check the day"),
        ("2028-02-30", "2028-02 has 29 days; check the day"),
        ("2026-13-01", "the month comes second and runs from 01 to 12 (YYYY-MM-DD)"),
        ("16.03.2026", "write dates as YYYY-MM-DD, e.g. `2026-11-23`"),
    ],
)
def test_a_bad_date_s_hint_says_what_to_fix(value: str, hint: str) -> None:
    with pytest.raises(FieldError) as caught:
        values.a_date(Scalar(value, 1, 1))
    assert caught.value.hint == hint
