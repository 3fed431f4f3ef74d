"""Claims follow the data: words that compare or describe a trend are chosen from the figures,
a sentence whose stated condition the data break is an error naming the slide and the sentence,
and no text shows a negative amount after a word of gain such as "exceed ... by" or "save"."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from deckgen import claims, metrics
from deckgen.deckdef import DeckDefinitionError, check_references, load_deck
from deckgen.model import Workbook
from deckgen.pipeline import plan, read_valid
from deckgen.references import Resolver
from deckgen.specs import TableSpec, TextSpec
from tests.conftest import DECK, SAMPLE_WORKBOOK, TEMPLATE, Source, build_cli, row_of, sheet
from tests.deckfile import DeckView

MakeWorkbook = Callable[..., Path]


@pytest.fixture(scope="module")
def model() -> Workbook:
    result = read_valid(SAMPLE_WORKBOOK, False)
    assert result.workbook is not None
    return result.workbook


@pytest.fixture(scope="module")
def resolver(model: Workbook) -> Resolver:
    return Resolver(model, metrics.compute(model), {"yearly": 9})


def shown(template: str, resolver: Resolver) -> str:
    return claims.plain(template, resolver)


# -- the forms ------------------------------------------------------------------------------------


def test_compare_chooses_the_words_by_which_figure_is_larger(resolver: Resolver) -> None:
    words = "{compare metrics.total_benefits with metrics.total_investment: exceed|fall short of}"
    assert shown(f"Benefits {words} investment", resolver) == "Benefits exceed investment"
    flipped = words.replace(
        "total_benefits with metrics.total_investment",
        "total_investment with metrics.total_benefits",
    )
    assert shown(flipped, resolver) == "fall short of"


def test_two_figures_that_read_the_same_need_words_for_that(resolver: Resolver) -> None:
    same = "{compare metrics.net_benefit with metrics.net_benefit: more|less}"
    with pytest.raises(claims.ContradictedError, match="add words for the same"):
        shown(same, resolver)
    three = "{compare metrics.net_benefit with metrics.net_benefit: more|level|less}"
    assert shown(three, resolver) == "level"
    # A stated threshold: £778m and £896m are within 20% of each other.
    near = (
        "{compare metrics.total_benefits with metrics.total_investment within 20%: more|level|less}"
    )
    assert shown(near, resolver) == "level"


def test_a_trend_is_flat_within_five_percent(resolver: Resolver) -> None:
    # The sample's yearly benefits: £75m in FY18/19, £119m in FY19/20, £120m from FY20/21.
    rise = "{trend years.benefits from metrics.last_actual_year: rise|stay flat|fall}"
    flat = "{trend years.benefits from metrics.first_forecast_year: rise|stay flat|fall}"
    assert shown(rise, resolver) == "rise"
    assert shown(flat, resolver) == "stay flat"  # £119m to £120m: under 5%
    assert shown(flat.replace(":", " within 0.5%:", 1), resolver) == "rise"
    falls = "{trend years.investment from FY18/19 to FY24/25: rise|stay flat|fall}"
    assert shown(falls, resolver) == "fall"
    with pytest.raises(claims.ContradictedError, match=r"within 5% of"):
        shown("{trend years.benefits from metrics.first_forecast_year: rise|fall}", resolver)


def test_a_driver_trends_as_its_direction(resolver: Resolver) -> None:
    assert shown("{trend context[Rise in Crime]: rising|falling}", resolver) == "rising"
    assert shown("{trend context[Budget Cuts]: rising|falling}", resolver) == "falling"


def test_sign_chooses_words_for_a_gain_or_a_loss(resolver: Resolver, model: Workbook) -> None:
    template = (
        "{sign metrics.net_benefit: savings of {metrics.net_benefit}|no net effect|"
        "a cost of {metrics.net_benefit:abs}}"
    )
    assert shown(template, resolver) == "savings of £118m"
    figures = metrics.compute(model)
    loss = replace(figures, net_benefit=replace(figures.net_benefit, value=-20.0))
    assert shown(template, Resolver(model, loss, {})) == "a cost of £20m"
    nothing = replace(figures, net_benefit=replace(figures.net_benefit, value=0.0))
    assert shown(template, Resolver(model, nothing, {})) == "no net effect"


def test_years_compare_by_their_place_in_the_finance_sheet(resolver: Resolver) -> None:
    form = "{compare metrics.plateau_start_year with metrics.horizon_year: later|same|earlier}"
    assert shown(form, resolver) == "earlier"


def test_a_condition_shows_nothing_and_fails_when_the_data_break_it(
    resolver: Resolver,
) -> None:
    assert shown("Net savings{when metrics.net_benefit > 0}.", resolver) == "Net savings."
    with pytest.raises(claims.ContradictedError) as caught:
        shown("{when metrics.total_benefits < metrics.total_investment}", resolver)
    assert "£896m, more than the total investment over every year, £778m" in caught.value.args[0]
    assert "Finance by Year!C5:C14" in caught.value.args[0]


def test_words_chosen_are_recorded_with_the_data_that_chose_them(resolver: Resolver) -> None:
    pieces = claims.render(
        "Benefits {compare metrics.total_benefits with metrics.total_investment: "
        "exceed investment by {metrics.net_benefit}|fall short}.",
        resolver,
    )
    record = next(p for p in pieces if p.chosen)
    assert record.value is not None
    assert record.value.text == "exceed investment by £118m"
    assert "more than the total investment" in record.value.source
    assert "Finance by Year!B5:B14" in record.value.source
    figure = next(p for p in pieces if p.reference == "metrics.net_benefit")
    assert figure.text == "£118m"


def test_mistakes_in_forms_are_found_in_every_branch(resolver: Resolver) -> None:
    problems = claims.check(
        "{compare metrics.total_benefits with metrics.total_investment: "
        "exceed it by {metrics.net_benefit}|fall short by {metrics.net_benfit}}",
        resolver,
    )
    assert problems == [
        "{metrics.net_benfit}: no metric 'net_benfit' (metrics: "
        + problems[0].split("(metrics: ")[1]
    ]
    assert claims.check("{trend years.savings: up|down}", resolver)[0].startswith(
        "{trend years.savings: up|down}: no series 'years.savings'"
    )
    assert "two choices" in claims.check("{sign metrics.net_benefit: yes}", resolver)[0]


def test_a_negative_amount_after_a_word_of_gain_is_refused(
    resolver: Resolver, model: Workbook
) -> None:
    figures = metrics.compute(model)
    loss = Resolver(model, replace(figures, net_benefit=replace(figures.net_benefit, value=-20)))
    for sentence in (
        "Benefits are forecast to exceed it by {metrics.net_benefit}.",
        "The programme will save {metrics.net_benefit} by {metrics.horizon_year}.",
        "Net savings are forecast at {metrics.net_benefit}.",
    ):
        problems = claims.check(sentence, loss)
        assert len(problems) == 1 and "shows the negative amount -£20m" in problems[0], sentence
    # Not after a word of gain, or in another sentence: a negative amount is a fact.
    assert claims.check("Savings rose. The net position is {metrics.net_benefit}.", loss) == []
    assert claims.check("The net position is {metrics.net_benefit}.", loss) == []


def test_only_a_negative_amount_right_after_the_word_is_refused(
    resolver: Resolver, model: Workbook
) -> None:
    figures = metrics.compute(model)
    loss = Resolver(model, replace(figures, net_benefit=replace(figures.net_benefit, value=-5)))
    # "up" and "down" far from the amount are no claim about it: a user's own sentence builds.
    for sentence in (
        "A fund, set up with the Commissioner's office, has a net position of "
        "{metrics.net_benefit}.",
        "Costs came down after {metrics.first_year}; the net position is {metrics.net_benefit}.",
        "Crime rose in the region against {metrics.net_benefit} of net benefit.",
        "The cumulative net benefit falls to {metrics.net_benefit} by {metrics.horizon_year}.",
    ):
        assert claims.check(sentence, loss) == [], sentence
    # Right after a word of direction (or "by"), or a few words after a word of gain: refused.
    for sentence, word in (
        ("Net benefits are down {metrics.net_benefit}.", "down"),
        ("Net benefits went up by {metrics.net_benefit}.", "up"),
        ("Net benefits rose {metrics.net_benefit} this year.", "rose"),
        ("Benefits exceed investment by {metrics.net_benefit}.", "exceed"),
        ("Savings: {metrics.net_benefit}.", "Savings"),
    ):
        problems = claims.check(sentence, loss)
        assert len(problems) == 1 and f"after '{word}'" in problems[0], sentence


def test_a_chart_series_named_for_a_rise_refuses_a_fall(
    source: Source, make_workbook: MakeWorkbook, tmp_path: Path
) -> None:
    next(r for r in sheet(source, "Figures")["rows"] if r[1] == "early_guilty_pleas")[3] = -17
    out = tmp_path / "deck.pptx"
    code, text = build_cli(make_workbook(source), out)
    assert code == 2
    assert "slide 'bwv': “Rise: -17%” shows the negative amount -17% after 'Rise'" in text
    assert not out.exists()


# -- the sample deck definition, on workbooks whose data tell another story -------------------


def finance(
    source: Source, benefits: list[float] | None = None, invest: list[float] | None = None
) -> None:
    """Change the Forecast years of the Finance by Year sheet."""
    rows = [r for r in sheet(source, "Finance by Year")["rows"] if r[3] == "Forecast"]
    for index, row in enumerate(rows):
        if benefits is not None:
            row[2] = benefits[index]
        if invest is not None:
            row[1] = invest[index]


def planned_text(workbook: Path) -> dict[str, str]:
    """Every slide's title and words as planned, by slide key."""
    deck = plan(workbook, TEMPLATE, DECK).deck
    texts = {}
    for slide in deck.slides:
        words = [slide.title]
        for shape in slide.shapes:
            if isinstance(shape, TextSpec):
                words.extend(p.text for p in shape.paragraphs)
            elif isinstance(shape, TableSpec):
                words.extend(" ".join(row) for row in shape.rows)
        texts[slide.key] = "\n".join(words)
    return texts


NEGATIVE_AFTER_GAIN = re.compile(
    r"(exceed\w*|sav(e|es|ed|ing|ings)|outr[au]n|overt[ao]ke)\b[^.\n]*?[-−]£", re.IGNORECASE
)


def assert_no_false_gain(texts: dict[str, str]) -> None:
    for key, text in texts.items():
        assert not NEGATIVE_AFTER_GAIN.search(text), f"{key}: {text}"


def test_benefits_that_stay_flat_are_said_to_stay_flat(
    source: Source, make_workbook: MakeWorkbook
) -> None:
    finance(source, benefits=[75] * 6)  # FY18/19's £75m a year, to the end of the forecast
    texts = planned_text(make_workbook(source))
    assert (
        "yearly investment is projected to fall while yearly benefits stay flat"
        in texts["investment-vs-benefits"]
    )
    assert (
        "yearly benefits are forecast to stay flat while yearly investment falls" in texts["yearly"]
    )
    assert "benefits rise" not in texts["investment-vs-benefits"]
    assert_no_false_gain(texts)


def test_benefits_that_fall_are_said_to_fall(source: Source, make_workbook: MakeWorkbook) -> None:
    finance(source, benefits=[70, 65, 60, 55, 50, 45])
    texts = planned_text(make_workbook(source))
    yearly = texts["yearly"]
    assert yearly.startswith(
        "Yearly investment peaked at £120m in FY18/19; benefits are c.£45m a year by FY24/25"
    )
    assert "yearly benefits are forecast to fall" in yearly
    assert (
        "In FY24/25, the end of the current profile, yearly benefits are forecast at c.£45m"
        in yearly
    )
    assert "follow from" not in yearly and "each year from" not in yearly
    assert (
        "In FY24/25, benefits, cashable and non-cashable, are forecast at c.£45m a year"
        in texts["roi"]
    )
    assert_no_false_gain(texts)


def test_benefits_that_never_catch_up_are_not_said_to_exceed(
    source: Source, make_workbook: MakeWorkbook, tmp_path: Path
) -> None:
    finance(source, invest=[160, 150, 140, 130, 120, 110])
    out = tmp_path / "deck.pptx"
    code, text = build_cli(make_workbook(source), out)
    assert code == 0, text
    deck = DeckView(out)
    titles = [s.title for s in deck.slides]
    assert (
        "Investment has outrun benefits to date; benefits are forecast to fall short of "
        "investment by £180m by FY24/25"
    ) in titles
    assert "Cumulative benefits do not catch up with total investment by FY24/25" in titles
    roi = deck.titled("Every £1 spent").text
    assert "Net cumulative cost" in roi and "Net cumulative savings" not in roi
    assert "projected to leave a net cumulative cost of £180m by FY24/25" in roi
    cumulative = deck.titled("Cumulative benefits do not").text
    assert (
        "By FY24/25, cumulative investment still exceeds cumulative benefits by £180m."
        in cumulative
    )
    for slide in deck.slides:
        assert not NEGATIVE_AFTER_GAIN.search(slide.title + "\n" + slide.text), slide.title


def test_wmp_behind_its_most_similar_forces_is_said_to_trail(
    source: Source, make_workbook: MakeWorkbook
) -> None:
    rows = sheet(source, "Comparisons")["rows"]
    for row, (wm, msf) in zip(rows, [(5.0, 6.3), (55, 48), (120, 112), (105, 100)], strict=True):
        row[1], row[2] = wm, msf
    texts = planned_text(make_workbook(source))
    msf = texts["msf"]
    assert msf.startswith(
        "WMP trails its Most Similar Forces, with smaller proportional officer loss"
    )
    assert "21%\nfewer officers lost by WMP" in msf
    assert "5%\nmore crimes per 1,000 residents than the MSF average" in msf
    assert "WMP has more crimes per 1,000 citizens than the MSF average." in msf
    assert "outperform" not in msf.casefold()
    assert "Trailing WMP's Most Similar Forces (MSF)" in texts["contents"]


def test_the_sample_reads_as_the_report_does(resolver: Resolver) -> None:
    texts = planned_text(SAMPLE_WORKBOOK)
    assert texts["msf"].startswith(
        "WMP continues to outperform its Most Similar Forces despite greater proportional "
        "officer loss"
    )
    assert texts["cumulative-net"].startswith(
        "Cumulative benefits overtake total investment in FY23/24"
    )
    assert "Investment to date (£266m) has exceeded the benefits generated (£177m)." in texts["roi"]
    assert (
        "yearly investment is projected to fall while yearly benefits rise"
        in texts["investment-vs-benefits"]
    )


def test_data_that_break_a_stated_condition_name_the_slide_and_the_sentence(
    source: Source, make_workbook: MakeWorkbook, tmp_path: Path
) -> None:
    row_of(source, "Context", "Budget Cuts")[3] = "up"
    figures = sheet(source, "Figures")["rows"]
    before = next(r for r in figures if r[1] == "satisfaction_before")
    next(r for r in figures if r[1] == "satisfaction_after")[3] = before[3]
    out = tmp_path / "deck.pptx"
    code, text = build_cli(make_workbook(source), out)
    assert code == 2
    assert (
        "slide 'context': “Crime is rising and changing while budgets and officer numbers "
        "fall” needs context[Budget Cuts] falls, but the driver Budget Cuts is marked up "
        "(Context!D" in text
    )
    assert "slide 'back-office': “Internal satisfaction [rose|fell] from" in text
    assert "add words for the same between the two" in text
    assert "Traceback" not in text
    assert not out.exists() and not list(tmp_path.glob("deck.*"))


def test_a_definition_with_fixed_words_is_stopped_before_it_says_exceed_by_a_loss(
    source: Source, make_workbook: MakeWorkbook, tmp_path: Path
) -> None:
    finance(source, invest=[160, 150, 140, 130, 120, 110])
    definition = tmp_path / "fixed.yaml"
    definition.write_text(
        "slides:\n"
        "  - id: totals\n"
        "    kind: big-number\n"
        '    title: "Benefits are forecast to exceed investment by {metrics.net_benefit}"\n'
        "    hero:\n"
        '      - value: "{metrics.net_benefit}"\n'
        "        label: Net cumulative savings\n",
        encoding="utf-8",
    )
    workbook = make_workbook(source)
    model = read_valid(workbook, False).workbook
    assert model is not None
    with pytest.raises(DeckDefinitionError) as caught:
        check_references(load_deck(definition), Resolver(model, metrics.compute(model), {}))
    message = caught.value.format_message()
    assert (
        "slide 'totals': “Benefits are forecast to exceed investment by -£180m” shows the "
        "negative amount -£180m after 'exceed'" in message
    )
    assert (
        "“Net cumulative savings: -£180m” shows the negative amount -£180m after 'savings'"
        in message
    )


def test_every_claim_of_the_sample_definition_is_chosen_from_the_data() -> None:
    """Titles and sentences that compare or describe a trend carry a form; the few that do not
    are listed here with the reason they stay true whatever the data."""
    reviewed = {
        "Recorded crime rose": "a fall shows a negative figure after 'rose': refused",
        "Violent crime against the person rose": "likewise",
        "Complaints against officers have fallen": "likewise, after 'fallen'",
        "Running costs are expected to fall by": "likewise, after 'fall'",
        "Rise in early guilty pleas": "a key figure's label: a negative figure is refused",
        "Rise": "a chart series of the Figures sheet's rises",
        "Fall": "a chart series of the Figures sheet's falls",
        "The app savings are likely to rise": "a footnote about a review, not a figure",
        "AI and statistics assess the risk": "'falling victim', not a trend",
        "Nationally, fatal stabbings": "a dated fact of national records, no workbook figure",
        "Behind the stats": "'behind the statistics', not a comparison",
        "A banded shift pattern": "'peak times' of the day, not a figure's peak",
    }
    words = re.compile(
        r"\b(exceed\w*|outr[au]n|overtak\w*|outperform\w*|ris(e|es|en|ing)|rose|fall\w*|fell"
        r"|catch up|peak\w*|highest|ahead|behind)\b",
        re.IGNORECASE,
    )
    unchecked = []
    for slide in load_deck(DECK).slides:
        for text in _strings(slide.data):
            if not words.search(re.sub(r"\{[^{}]*\}", "", text)):
                continue
            if any(f"{{{form} " in text for form in ("compare", "trend", "sign", "when")):
                continue
            if not any(text.startswith(start) for start in reviewed):
                unchecked.append(f"{slide.id}: {text}")
    assert unchecked == []


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def test_investment_still_rising_at_the_end_is_not_said_to_have_peaked(
    source: Source, make_workbook: MakeWorkbook
) -> None:
    finance(source, invest=[121, 122, 123, 124, 125, 130])
    texts = planned_text(make_workbook(source))
    yearly = texts["yearly"]
    assert yearly.startswith("Yearly investment rose to £130m in FY24/25;")
    assert "Investment was highest in FY24/25 as the programme" in yearly
    assert "peaked" not in yearly


def test_the_years_before_break_even_are_not_said_to_trail_when_they_led(
    source: Source, make_workbook: MakeWorkbook
) -> None:
    """Ahead in the first year, behind in the next, ahead for good later: 'until break-even,
    investment exceeds benefits' would be false of the first year."""
    rows = sheet(source, "Finance by Year")["rows"]
    rows[0][1], rows[0][2] = 10, 40  # FY15/16: benefits lead
    texts = planned_text(make_workbook(source))
    cumulative = texts["cumulative-net"]
    assert "Until" not in cumulative
    assert "stay ahead of total investment" in cumulative
