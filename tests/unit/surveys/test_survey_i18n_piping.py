from journeyscope.surveys import SurveyDefinition, fallback_chain, localize, pipe, render_text


def test_fallback_chain_goes_from_region_to_language_to_default() -> None:
    assert fallback_chain("fr-CA", "en") == ["fr-ca", "fr", "en"]
    assert fallback_chain(None, "en-GB") == ["en-gb", "en"]


def test_localize_falls_back_from_region_to_base_language() -> None:
    assert localize({"en": "Hello", "fr": "Bonjour"}, "fr-CA", "en") == "Bonjour"


def test_localize_prefers_exact_region_ignoring_case() -> None:
    text = {"en": "Hello", "fr": "Bonjour", "fr-CA": "Allô"}

    assert localize(text, "fr-ca", "en") == "Allô"


def test_localize_falls_back_to_default_for_missing_language() -> None:
    assert localize({"en": "Hello", "fr": "Bonjour"}, "de", "en") == "Hello"
    assert localize("Hello", "fr", "en") == "Hello"


def test_localize_uses_any_text_when_default_is_missing() -> None:
    assert localize({"fr": "Bonjour"}, "de", "en") == "Bonjour"


def test_pipe_fills_contact_attributes_and_fallbacks(nps_survey: SurveyDefinition) -> None:
    text = "Hi {{contact.first_name|there}}, {{ contact.tier.level | valued }} customer"

    assert pipe(text, definition=nps_survey, lang="en", contact={}, answers={}) == (
        "Hi there, valued customer"
    )
    contact = {"first_name": "Ana", "tier": {"level": "gold"}}
    assert pipe(text, definition=nps_survey, lang="en", contact=contact, answers={}) == (
        "Hi Ana, gold customer"
    )


def test_pipe_renders_choice_labels_in_the_respondent_language(
    nps_survey: SurveyDefinition,
) -> None:
    answers = {"topics": {"choices": ["price", "staff"], "other": "noise"}, "nps": 4}

    text = pipe(
        "You gave {{answers.nps}} for {{answers.topics}}",
        definition=nps_survey,
        lang="fr",
        contact={},
        answers=answers,
    )

    assert text == "You gave 4 for Prix, Personnel, noise"


def test_pipe_renders_matrix_answers_as_row_column_pairs(nps_survey: SurveyDefinition) -> None:
    answers = {"quality": {"food": "good", "room": "bad"}}

    text = pipe(
        "{{answers.quality}}", definition=nps_survey, lang="en", contact={}, answers=answers
    )

    assert text == "Food: Good; Room: Bad"


def test_pipe_leaves_text_unescaped_and_unknown_braces_alone(
    nps_survey: SurveyDefinition,
) -> None:
    contact = {"first_name": "<b>Bo</b>"}

    text = pipe(
        "{{contact.first_name}} {{other.x}} {{answers.missing|none}}",
        definition=nps_survey,
        lang="en",
        contact=contact,
        answers={},
    )

    assert text == "<b>Bo</b> {{other.x}} none"


def test_render_text_localizes_then_pipes(nps_survey: SurveyDefinition) -> None:
    text = {"en": "Thanks {{contact.first_name}}", "fr": "Merci {{contact.first_name}}"}

    rendered = render_text(
        nps_survey, text, lang="fr-BE", contact={"first_name": "Zoé"}, answers={}
    )

    assert rendered == "Merci Zoé"


def test_posix_locales_fall_back_like_bcp47_tags() -> None:
    # Found in review: contacts may carry "fr_CA"; it fell straight to the default language.
    from journeyscope.surveys import fallback_chain, match_language

    definition = SurveyDefinition.model_validate(
        {"title": {"en": "Hi", "fr": "Salut"}, "languages": ["fr"]}
    )
    assert fallback_chain("fr_CA", "en") == ["fr-ca", "fr", "en"]
    assert match_language(definition, ["fr_CA"]) == "fr"
    assert match_language(definition, [None, "de", "FR"]) == "fr"
    assert match_language(definition, ["de"]) == "en"


def test_a_localized_definition_has_every_text_in_one_language() -> None:
    from journeyscope.surveys import iter_texts, localized_definition

    definition = SurveyDefinition.model_validate(
        {
            "title": {"en": "Hi", "fr": "Salut"},
            "languages": ["fr"],
            "pages": [
                {
                    "id": "p",
                    "title": {"en": "Page", "fr": "Page fr"},
                    "questions": [
                        {
                            "id": "q",
                            "type": "single_choice",
                            "text": {"en": "Q", "fr": "Q fr"},
                            "choices": [{"id": "a", "label": {"en": "A", "fr": "A fr"}}],
                        },
                        {"id": "n", "type": "nps", "text": "N", "low_label": {"en": "low"}},
                    ],
                }
            ],
        }
    )
    data = localized_definition(definition, "fr")
    plain = SurveyDefinition.model_validate(data)
    assert all(isinstance(text, str) for _, text, _ in iter_texts(plain))
    question, nps = data["pages"][0]["questions"]
    assert (data["title"], data["pages"][0]["title"], question["text"]) == (
        "Salut",
        "Page fr",
        "Q fr",
    )
    assert (question["choices"][0]["label"], nps["low_label"]) == ("A fr", "low")
