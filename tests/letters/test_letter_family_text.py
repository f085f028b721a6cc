"""The closing letter as the family reads it (issue 16, item 5): Danish numbers, goal
statuses in plain words, the law in a small note, a handover that names who takes over (never
the departing therapist), the signature once, and how to reach the caseworker and the
therapist, in the prefilled text, the PDF's HTML and the portal's letter page; and the editor
saving the draft on the server as the therapist types."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import Team
from demo import factories as f
from letters import services as letters
from letters.models import ClosingLetter, LetterSection
from letters.pdf import render_letter_html
from network.models import NetworkMember
from plans import services as plan_services
from plans.models import Area, Goal, Plan, Rating, RatingRound

DATES = re.compile(r"\d\d\.\d\d\.\d{4}")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def people(personas):
    personas.owner.first_name, personas.owner.last_name = "Mette", "Kristensen"
    personas.owner.title = "Socialrådgiver"
    personas.owner.phone = "72 36 40 10"
    personas.owner.phone_hours = "Mandag–torsdag kl. 9–12"
    personas.owner.email = "mette@fjordby.example"
    personas.owner.save()
    personas.therapist.first_name, personas.therapist.last_name = "Louise", "Dam"
    personas.therapist.title = "Familiebehandler"
    personas.therapist.phone = "72 36 48 98"
    personas.therapist.phone_hours = "Mandag–fredag kl. 8–9"
    personas.therapist.email = "louise@fjordby.example"
    personas.therapist.save()
    return personas


@pytest.fixture
def measure(case, org, people):
    """The measure given by a provider whose team and unit have the same name."""
    team: Team = org.family_house
    team.name = team.unit.name  # "Familiehuset" and "Familiehuset"
    team.save()
    return case.measures.get()


@pytest.fixture
def goals(case, people):
    plan = Plan.objects.create(case=case, kind=Plan.Kind.CHILDS_PLAN, created_by=people.owner)
    open_goal = plan_services.plan_goal_add(
        plan=plan, area=Area.SCHOOL, family_wording="Emma kommer i skole hver dag"
    )
    reached = plan_services.plan_goal_add(
        plan=plan, area=Area.FAMILY, family_wording="Morgenerne går roligt."
    )
    plan_services.plan_goal_set_status(goal=reached, status=Goal.Status.REACHED)
    dropped = plan_services.plan_goal_add(
        plan=plan, area=Area.LEISURE, family_wording="Emma går til spejder"
    )
    plan_services.plan_goal_set_status(
        goal=dropped, status=Goal.Status.DROPPED, reason="Emma vil hellere spille fodbold"
    )
    today = timezone.localdate()
    # Two raters a round: the averages are 3.5 and 6.5, never whole numbers.
    for days, values in ((60, (3, 4)), (10, (6, 7))):
        rating_round = RatingRound.objects.create(
            plan=plan, held_on=today - dt.timedelta(days=days), recorded_by=people.owner
        )
        for rater, value in zip(("Mor", "Far"), values, strict=True):
            Rating.objects.create(
                round=rating_round,
                goal=open_goal,
                rater_kind="parent",
                rater_name=rater,
                value=value,
            )
    return open_goal, reached, dropped


def test_numbers_in_the_letter_have_a_decimal_comma(measure, goals, people):
    letter = letters.letter_start(measure=measure, user=people.therapist)
    text = letters.letter_latest_version(letter).sections[LetterSection.GOALS]
    assert "fra 3,5" in text and "til 6,5" in text
    assert not re.search(r"\d\.\d", DATES.sub("", text)), text
    html = render_letter_html(letters.letter_latest_version(letter))
    body = html.split("<body", 1)[1]
    assert "3,5" in body and not re.search(
        r"\d\.\d", DATES.sub("", re.sub(r"<svg.*?</svg>", "", body))
    )


@pytest.mark.parametrize(
    ("value", "text"), [(3.25, "3,3"), (6, "6"), (6.0, "6"), (2.5, "2,5"), (0.04, "0")]
)
def test_danish_number(value, text):
    assert letters.danish_number(value) == text


def test_goal_statuses_are_plain_words(measure, goals, people):
    letter = letters.letter_start(measure=measure, user=people.therapist)
    text = letters.letter_latest_version(letter).sections[LetterSection.GOALS]
    for tag in ("(åbent)", "(opgivet)", "(nået)", "opgivet"):
        assert tag not in text.lower(), tag
    assert ".." not in text
    lines = {line.split(".")[0].lstrip("- "): line for line in text.splitlines()}
    assert "Målet er nået." in lines["Morgenerne går roligt"]
    assert "Vi holdt op med at arbejde med målet" in lines["Emma går til spejder"]
    assert "Hvorfor: Emma vil hellere spille fodbold." in lines["Emma går til spejder"]
    assert "der arbejdes stadig med det" in lines["Emma kommer i skole hver dag"]


def test_the_letter_is_prefilled_in_danish_whatever_the_writers_language(measure, goals, people):
    with translation.override("en"):
        letter = letters.letter_start(measure=measure, user=people.therapist)
    text = letters.letter_latest_version(letter).sections[LetterSection.GOALS]
    assert "Vi holdt op med at arbejde med målet" in text
    assert "We stopped" not in text and "goal" not in text.lower()


def test_the_law_is_a_small_note_not_a_heading(measure, people):
    letter = letters.letter_start(measure=measure, user=people.therapist)
    version = letters.letter_latest_version(letter)
    reference = measure.legal_basis.reference
    assert reference not in version.sections[LetterSection.COURSE]
    html = render_letter_html(version)
    assert f'<p class="legal-note">Indsatsen er givet efter {reference}.</p>' in html
    for heading in re.findall(r"<h[1-6][^>]*>(.*?)</h[1-6]>", html, flags=re.S):
        assert "§" not in heading, heading


def test_handover_names_the_caseworker_and_the_network_never_the_departing_therapist(
    case, measure, people
):
    therapist_name = people.therapist.get_full_name()
    for name, sector, user in (
        ("Mormor Grethe", "relatives", None),
        ("Mormor Grethe", "relatives", None),  # on the map twice: named once
        ("Mor Anne", "family", None),  # the household the letter is written to
        (therapist_name, "professionals", people.therapist),
        ("Louise fra Familiehuset", "professionals", people.therapist),
    ):
        NetworkMember.objects.create(
            case=case,
            name=name,
            sector=sector,
            circle=1,
            user=user,
            relation="mormor" if user is None else "familiebehandler",
            created_by=people.owner,
        )
    letter = letters.letter_start(measure=measure, user=people.therapist)
    handover = letters.letter_latest_version(letter).sections[LetterSection.HANDOVER]
    assert "Mette Kristensen, socialrådgiver, jeres kontaktperson" in handover
    assert handover.count("Mormor Grethe (mormor)") == 1
    assert "Mor Anne" not in handover
    assert therapist_name not in handover
    assert "Louise fra Familiehuset" not in handover


def test_handover_names_a_measure_that_goes_on_and_its_provider(case, org, measure, people):
    other = f.MeasureFactory(case=case, provider_team=org.team_b)
    letter = letters.letter_start(measure=measure, user=people.therapist)
    handover = letters.letter_latest_version(letter).sections[LetterSection.HANDOVER]
    assert f"{other.legal_basis.title} fortsætter hos Team Syd, {org.team_b.unit.name}." in (
        handover
    )


def test_signature_names_the_therapist_and_the_provider_once(measure, people):
    letter = letters.letter_start(measure=measure, user=people.therapist)
    html = render_letter_html(letters.letter_latest_version(letter))
    signature = html.split('<footer class="signature">', 1)[1].split("</footer>", 1)[0]
    provider = measure.provider_team.unit.name
    assert "Louise Dam" in signature and "Familiebehandler" in signature
    assert signature.count(provider) == 1
    assert f"{provider}, {provider}" not in html


def test_the_letter_has_the_caseworkers_and_therapists_contact_details(measure, people):
    letter = letters.letter_start(measure=measure, user=people.therapist)
    html = render_letter_html(letters.letter_latest_version(letter))
    contacts = html.split('class="contacts"', 1)[1].split("</section>", 1)[0]
    for expected in (
        "Mette Kristensen",
        "72 36 40 10",
        "Mandag–torsdag kl. 9–12",
        "mette@fjordby.example",
        "Louise Dam",
        "72 36 48 98",
        "Mandag–fredag kl. 8–9",
        "louise@fjordby.example",
    ):
        assert expected in contacts, expected


def test_the_family_reads_the_same_in_the_portal(case, measure, goals, people, login):
    letter = f.letter_in_review(measure, people.therapist, people.family_user)
    version = letters.letter_latest_version(letter)
    version.sections = {
        **version.sections,
        LetterSection.GOALS: letters.letter_prefill(measure)[LetterSection.GOALS],
    }
    version.save(update_fields=["sections"])
    url = reverse("family:letter_detail", args=[case.pk, letter.pk])
    html = login(people.family_user).get(url).content.decode()
    assert "3,5" in html and "3.5" not in html
    assert "Vi holdt op med at arbejde med målet" in html and "(opgivet)" not in html
    assert f"Indsatsen er givet efter {measure.legal_basis.reference}." in html
    for expected in ("72 36 40 10", "Mandag–torsdag kl. 9–12", "mette@fjordby.example"):
        assert expected in html, expected
    assert "72 36 48 98" in html and "louise@fjordby.example" in html
    signature = html.split('class="letter-signature"', 1)[1].split("</div>", 1)[0]
    provider = measure.provider_team.unit.name
    assert "Louise Dam" in signature and signature.count(provider) == 1


# --- the editor saves the draft as the therapist types ---------------------------------------


def edit_data(**sections: str) -> dict[str, str]:
    return {**f.LETTER_TEXTS, "change_note": "", **sections}


def test_autosave_saves_the_draft_and_a_reload_keeps_it(case, measure, people, login):
    letter = letters.letter_start(measure=measure, user=people.therapist)
    client = login(people.therapist)
    autosave = reverse("letters:closing_letter_autosave", args=[case.pk, letter.pk])
    edit = reverse("letters:closing_letter_edit", args=[case.pk, letter.pk])

    response = client.post(
        autosave, edit_data(collaboration="Halvt skrevet om samarbejdet"), HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 200
    assert "Kladde gemt" in response.content.decode()
    version = letters.letter_latest_version(letter)
    assert version.sections[LetterSection.COLLABORATION] == "Halvt skrevet om samarbejdet"
    page = client.get(edit)
    assert "Halvt skrevet om samarbejdet" in page.content.decode()
    assert page["Cache-Control"] == "no-store"


def test_autosave_of_a_section_too_long_saves_nothing_and_says_why(case, measure, people, login):
    letter = letters.letter_start(measure=measure, user=people.therapist)
    before = letters.letter_latest_version(letter).sections
    response = login(people.therapist).post(
        reverse("letters:closing_letter_autosave", args=[case.pk, letter.pk]),
        edit_data(themes="x" * (letters.SECTION_MAX + 1), collaboration="Nyt"),
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "Kladden kunne ikke gemmes" in text and "20000 tegn" in text
    assert letters.letter_latest_version(letter).sections == before


def test_autosave_never_changes_a_version_sent_to_the_family(case, measure, people, login):
    letter = f.letter_in_review(measure, people.therapist, people.family_user)
    before = letters.letter_latest_version(letter).sections
    response = login(people.therapist).post(
        reverse("letters:closing_letter_autosave", args=[case.pk, letter.pk]),
        edit_data(collaboration="Ændret efter afsendelse"),
    )
    assert response.status_code == 200
    assert "Brevet kan ikke ændres nu" in response.content.decode()
    assert letters.letter_latest_version(letter).sections == before
    assert ClosingLetter.objects.get(pk=letter.pk).status == ClosingLetter.Status.IN_REVIEW


def test_autosave_is_post_only_and_for_the_letters_writer(case, measure, people, login):
    letter = letters.letter_start(measure=measure, user=people.therapist)
    url = reverse("letters:closing_letter_autosave", args=[case.pk, letter.pk])
    assert login(people.therapist).get(url).status_code == 405
    before = letters.letter_latest_version(letter).sections
    assert login(people.owner).post(url, edit_data(collaboration="x")).status_code == 403
    assert login(people.family_user).post(url, edit_data(collaboration="x")).status_code == 404
    assert letters.letter_latest_version(letter).sections == before
