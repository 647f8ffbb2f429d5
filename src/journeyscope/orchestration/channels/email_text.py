"""The fixed words of an invitation email, per language (the survey's own texts come from it).

Kept in Python rather than in gettext catalogues: there are a dozen short strings, and a brand
template may use any of them by name (``{{ words.unsubscribe }}``). A language missing here falls
back to its base tag, then English, like survey texts do. Pure code.
"""

from __future__ import annotations

from dataclasses import dataclass

from journeyscope.collection import SnippetWords, snippet_words
from journeyscope.surveys import best_language


@dataclass(frozen=True, slots=True)
class EmailWords:
    """The words around the survey in one language; ``{name}``/``{subject}`` are filled later."""

    lang: str
    subject: str
    reminder_subject: str
    greeting_named: str
    greeting: str
    intro: str
    reminder_intro: str
    open_survey: str
    footer: str
    unsubscribe: str

    @property
    def snippet(self) -> SnippetWords:
        """The first-question snippet's words: the same table the API and CLI use."""
        return snippet_words(self.lang)


WORDS: dict[str, EmailWords] = {
    "en": EmailWords(
        lang="en",
        subject="How did we do?",
        reminder_subject="A reminder: {subject}",
        greeting_named="Hi {name},",
        greeting="Hello,",
        intro="We would love to hear about your experience. It takes less than a minute.",
        reminder_intro="We have not heard from you yet; your answer helps us improve.",
        open_survey="Open the survey",
        footer="You received this email because you were in touch with us recently.",
        unsubscribe="Unsubscribe from these surveys",
    ),
    "fr": EmailWords(
        lang="fr",
        subject="Votre avis nous intéresse",
        reminder_subject="Petit rappel : {subject}",
        greeting_named="Bonjour {name},",
        greeting="Bonjour,",
        intro="Nous aimerions connaître votre expérience. Cela prend moins d'une minute.",
        reminder_intro="Nous n'avons pas encore reçu votre réponse ; elle nous aide à progresser.",
        open_survey="Ouvrir le questionnaire",
        footer="Vous recevez ce message car vous avez été en contact avec nous récemment.",
        unsubscribe="Ne plus recevoir ces questionnaires",
    ),
    "de": EmailWords(
        lang="de",
        subject="Wie waren wir?",
        reminder_subject="Erinnerung: {subject}",
        greeting_named="Hallo {name},",
        greeting="Guten Tag,",
        intro="Wir würden gern von Ihrer Erfahrung hören. Es dauert weniger als eine Minute.",
        reminder_intro="Wir haben noch nichts von Ihnen gehört; Ihre Antwort hilft uns sehr.",
        open_survey="Zur Umfrage",
        footer="Sie erhalten diese E-Mail, weil Sie kürzlich mit uns in Kontakt waren.",
        unsubscribe="Keine Umfragen mehr erhalten",
    ),
    "es": EmailWords(
        lang="es",
        subject="¿Qué tal lo hicimos?",
        reminder_subject="Recordatorio: {subject}",
        greeting_named="Hola {name}:",
        greeting="Hola:",
        intro="Nos encantaría conocer su experiencia. Le llevará menos de un minuto.",
        reminder_intro="Todavía no hemos recibido su respuesta; nos ayuda a mejorar.",
        open_survey="Abrir la encuesta",
        footer="Recibe este correo porque estuvo en contacto con nosotros recientemente.",
        unsubscribe="No recibir más encuestas",
    ),
}


def words_for(lang: str | None) -> EmailWords:
    """The words for ``lang``, falling back ``fr-CA`` → ``fr`` → English."""
    return WORDS[best_language(list(WORDS), [lang], "en")]
