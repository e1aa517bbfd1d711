"""The call scripts: both packaged languages, validation, filling and the order of a call."""

import tomllib
from importlib import resources

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cs_console.config.script_files import (
    SCRIPT_LANGUAGES,
    call_script_from_text,
    load_call_script,
)
from cs_console.domain.scripts import (
    CALL_STEPS,
    CallScript,
    CallStep,
    Courtesy,
    ScriptError,
    fill,
    next_step,
    parse_call_script,
    step_line,
)


def packaged(lang: str) -> dict:
    text = (resources.files("cs_console") / "data" / "scripts" / f"{lang}.toml").read_text("utf-8")
    return tomllib.loads(text)


def valid_data() -> dict:
    return packaged("en")


def keys_of(data: dict) -> set[str]:
    return {f"{k}.{sub}" for k, v in data.items() if isinstance(v, dict) for sub in v} | {
        k for k, v in data.items() if not isinstance(v, dict)
    }


@pytest.mark.parametrize("lang", SCRIPT_LANGUAGES)
def test_packaged_scripts_parse(lang: str) -> None:
    script = load_call_script(lang)
    assert isinstance(script, CallScript)
    assert isinstance(script.courtesy, Courtesy)
    assert len(script.shipping_checklist) == 6


def test_languages_have_the_same_keys() -> None:
    assert keys_of(packaged("zh-CN")) == keys_of(packaged("en"))


def test_languages_have_the_same_checklist_length() -> None:
    assert len(load_call_script("zh-CN").shipping_checklist) == len(
        load_call_script("en").shipping_checklist
    )


@pytest.mark.parametrize("lang", SCRIPT_LANGUAGES)
def test_greeting_names_company_and_agent(lang: str) -> None:
    script = load_call_script(lang)
    line = fill(script.greeting, company="顺达速运", agent_no=1024)
    assert "顺达速运" in line and "1024" in line
    assert step_line(script, CallStep.GREETING, company="顺达速运", agent_no="1024") == line


def test_zh_greeting_reads_naturally() -> None:
    line = step_line(
        load_call_script("zh-CN"), CallStep.GREETING, company="顺达速运", agent_no="1024"
    )
    assert line.startswith("您好，顺达速运") and "工号1024" in line


def test_unknown_language_is_refused() -> None:
    with pytest.raises(ScriptError, match="fr"):
        load_call_script("fr")


def test_missing_key_names_the_key() -> None:
    data = valid_data()
    del data["privacy_notice"]
    with pytest.raises(ScriptError) as err:
        parse_call_script(data, "test.toml")
    assert err.value.key == "privacy_notice"
    assert str(err.value).startswith("test.toml: [privacy_notice]")


def test_missing_courtesy_phrase_names_it() -> None:
    data = valid_data()
    del data["courtesy"]["sorry"]
    with pytest.raises(ScriptError) as err:
        parse_call_script(data, "test.toml")
    assert err.value.key == "courtesy.sorry"


def test_unknown_key_is_refused() -> None:
    data = valid_data()
    data["farwell"] = "Bye"
    with pytest.raises(ScriptError) as err:
        parse_call_script(data, "test.toml")
    assert err.value.key == "farwell"


@pytest.mark.parametrize(
    ("key", "value", "problem"),
    [
        ("greeting", "Hello from {company}, agent {agent_no}, {customer}", "unknown placeholder"),
        ("identify", "Your number, {agent_no}?", "unknown placeholder"),
        ("greeting", "Hello from {company}", "must contain {agent_no}"),
        ("reply_promise", "We will call within {hours:02} hours", "plain name"),
        ("reply_promise", "We will call within {} hours {hours}", "plain name"),
        ("farewell", "Thanks for choosing {company} }", "stray brace"),
        ("closing_question", "   ", "empty"),
        ("closing_question", 42, "must be a string"),
    ],
)
def test_bad_line_names_the_key(key: str, value: object, problem: str) -> None:
    data = valid_data()
    data[key] = value
    with pytest.raises(ScriptError, match=problem) as err:
        parse_call_script(data, "test.toml")
    assert err.value.key == key and err.value.source == "test.toml"


def test_bad_checklist_entry_names_its_index() -> None:
    data = valid_data()
    data["shipping_checklist"][2] = "Weight {weight}"
    with pytest.raises(ScriptError) as err:
        parse_call_script(data, "test.toml")
    assert err.value.key == "shipping_checklist[2]"


def test_empty_checklist_is_refused() -> None:
    data = valid_data()
    data["shipping_checklist"] = []
    with pytest.raises(ScriptError) as err:
        parse_call_script(data, "test.toml")
    assert err.value.key == "shipping_checklist"


def test_bad_toml_names_the_file() -> None:
    with pytest.raises(ScriptError, match="not valid TOML") as err:
        call_script_from_text('greeting = "unterminated', "data/scripts/xx.toml")
    assert err.value.source == "data/scripts/xx.toml"
    assert str(err.value).startswith("data/scripts/xx.toml: [-]")


def test_fill_inserts_values_literally() -> None:
    line = fill("Dear {name}, ref {reference}", name="{x} [bold]Li[/bold]", reference="{name}")
    assert line == "Dear {x} [bold]Li[/bold], ref {name}"


def test_fill_leaves_unknown_placeholders() -> None:
    assert fill("{company} {missing} {0} {company.name}", company="SD") == (
        "SD {missing} {0} {company.name}"
    )


def test_fill_unescapes_double_braces() -> None:
    assert fill("{{literal}} {hours}", hours=1) == "{literal} 1"


def test_fill_keeps_a_broken_template() -> None:
    assert fill("oops } {hours}", hours=1) == "oops } {hours}"


@given(st.text())
def test_fill_never_reinterprets_a_value(value: str) -> None:
    assert fill("<{company}>", company=value) == f"<{value}>"


@given(st.text())
def test_fill_never_raises(template: str) -> None:
    fill(template, company="SD", hours=2)


def test_step_order() -> None:
    assert [str(step) for step in CALL_STEPS] == [
        "greeting",
        "identify",
        "privacy_notice",
        "fact_finding",
        "closing_question",
        "farewell",
        "done",
    ]
    step, seen = CallStep.GREETING, [CallStep.GREETING]
    while step is not CallStep.DONE:
        step = next_step(step)
        seen.append(step)
    assert tuple(seen) == CALL_STEPS
    assert next_step(CallStep.DONE) is CallStep.DONE


@pytest.mark.parametrize("lang", SCRIPT_LANGUAGES)
def test_every_step_has_a_line_until_done(lang: str) -> None:
    script = load_call_script(lang)
    for step in CALL_STEPS:
        line = step_line(script, step, company="顺达速运", agent_no="1024")
        assert bool(line) is (step is not CallStep.DONE)
        assert "{" not in line
    assert step_line(script, CallStep.FACT_FINDING, company="x", agent_no="1") == (
        script.courtesy.please
    )
    assert "顺达速运" in step_line(script, CallStep.FAREWELL, company="顺达速运", agent_no="1")


@pytest.mark.parametrize("lang", SCRIPT_LANGUAGES)
def test_templated_lines_fill_completely(lang: str) -> None:
    script = load_call_script(lang)
    values = dict(hours=2, reference="TS-0001", deadline="18:00", region="福建", delay="2-3天")
    for template in (
        script.reply_promise,
        script.complaint_registered,
        script.major_handover,
        script.incident_apology,
        script.disaster_delay,
    ):
        assert "{" not in fill(template, **values)
