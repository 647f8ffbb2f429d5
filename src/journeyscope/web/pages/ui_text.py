"""The words around a survey (buttons, errors, thank-you, broken links) in several languages.

Survey authors translate their own questions; the page chrome is ours, so a French survey must
not say "Next". Each language falls back key by key to English, so a missing translation shows
English rather than a key name. Placeholders are ``str.format`` fields (``{n}``).

The kiosk and the widget draw surveys in the browser; they get the words they need from here
too (:data:`KIOSK_WORDS`, :data:`WIDGET_WORDS`), so every door speaks the same languages.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from journeyscope.surveys import fallback_chain

EN = {
    "next": "Next",
    "back": "Back",
    "submit": "Submit",
    "required": "(required)",
    "error": "Error",
    "error_summary": "There is a problem",
    "error_required": "Answer this question.",
    "error_row": "Answer every row.",
    "error_invalid": "This answer cannot be accepted. Check it and try again.",
    "error_too_long": "Use at most {n} characters.",
    "error_too_many": "Choose at most {n} options.",
    "other": "Other",
    "other_text": "Please specify",
    "choose_up_to": "Choose up to {n} options.",
    "max_chars": "At most {n} characters.",
    "nps_low": "Not at all likely",
    "nps_high": "Extremely likely",
    "thank_you": "Thank you for your feedback.",
    "already_answered": "You have already answered this survey.",
    "not_saved_yet": "Your answer is not saved yet.",
    "save_answer": "Save my answer",
    "invalid_link": "This survey link is not valid",
    "invalid_link_help": "Check that you opened the whole link, or ask for a new one.",
    "expired_link": "This survey link has expired",
    "expired_link_help": "This link was valid for a limited time only. "
    "Thank you for your interest.",
    "not_found": "This survey is not available",
    "not_found_help": "It may have closed, or the address may be mistyped.",
    "bad_form": "Your answers could not be saved",
    "bad_form_help": "The form was out of date or did not come from this survey. "
    "Open the survey link again to continue.",
    # kiosk and widget, which draw the survey themselves
    "send": "Send",
    "skip": "Skip",
    "close": "Close",
    "thanks": "Thank you!",
    "answer_please": "Please answer this question.",
    "send_failed": "Your answers could not be sent. Please try again.",
    "waiting_one": "1 answer waiting to be sent",
    "waiting_many": "{n} answers waiting to be sent",
    "smiley_1": "Very unhappy",
    "smiley_2": "Unhappy",
    "smiley_3": "Neutral",
    "smiley_4": "Happy",
    "smiley_5": "Very happy",
    "kiosk_closed": "This kiosk is not open",
    "kiosk_closed_help": "There is no survey to answer here right now. Please ask a member "
    "of staff; thank you for wanting to tell us how it went.",
}

FR = {
    "next": "Suivant",
    "back": "Retour",
    "submit": "Envoyer",
    "required": "(obligatoire)",
    "error": "Erreur",
    "error_summary": "Il y a un problème",
    "error_required": "Répondez à cette question.",
    "error_row": "Répondez à chaque ligne.",
    "error_invalid": "Cette réponse ne peut pas être acceptée. Vérifiez-la et réessayez.",
    "error_too_long": "Utilisez au plus {n} caractères.",
    "error_too_many": "Choisissez au plus {n} options.",
    "other": "Autre",
    "other_text": "Précisez",
    "choose_up_to": "Choisissez jusqu'à {n} options.",
    "max_chars": "{n} caractères au plus.",
    "nps_low": "Pas du tout probable",
    "nps_high": "Très probable",
    "thank_you": "Merci pour votre avis.",
    "already_answered": "Vous avez déjà répondu à ce questionnaire.",
    "not_saved_yet": "Votre réponse n'est pas encore enregistrée.",
    "save_answer": "Enregistrer ma réponse",
    "invalid_link": "Ce lien de questionnaire n'est pas valide",
    "invalid_link_help": "Vérifiez que vous avez ouvert le lien en entier, "
    "ou demandez-en un nouveau.",
    "expired_link": "Ce lien de questionnaire a expiré",
    "expired_link_help": "Ce lien n'était valable que pour une durée limitée. "
    "Merci de votre intérêt.",
    "not_found": "Ce questionnaire n'est pas disponible",
    "not_found_help": "Il est peut-être clos, ou l'adresse contient une faute de frappe.",
    "bad_form": "Vos réponses n'ont pas pu être enregistrées",
    "bad_form_help": "Le formulaire était périmé ou ne venait pas de ce questionnaire. "
    "Ouvrez à nouveau le lien du questionnaire pour continuer.",
    "send": "Envoyer",
    "skip": "Passer",
    "close": "Fermer",
    "thanks": "Merci !",
    "answer_please": "Merci de répondre à cette question.",
    "send_failed": "Vos réponses n'ont pas pu être envoyées. Réessayez.",
    "waiting_one": "1 réponse en attente d'envoi",
    "waiting_many": "{n} réponses en attente d'envoi",
    "smiley_1": "Très mécontent",
    "smiley_2": "Mécontent",
    "smiley_3": "Neutre",
    "smiley_4": "Content",
    "smiley_5": "Très content",
    "kiosk_closed": "Cette borne n'est pas ouverte",
    "kiosk_closed_help": "Il n'y a pas de questionnaire ici pour le moment. Adressez-vous à "
    "un membre du personnel ; merci de vouloir nous donner votre avis.",
}

DE = {
    "next": "Weiter",
    "back": "Zurück",
    "submit": "Absenden",
    "required": "(Pflichtfeld)",
    "error": "Fehler",
    "error_summary": "Es gibt ein Problem",
    "error_required": "Bitte beantworten Sie diese Frage.",
    "error_row": "Bitte beantworten Sie jede Zeile.",
    "error_invalid": "Diese Antwort kann nicht angenommen werden. Bitte prüfen Sie sie.",
    "error_too_long": "Verwenden Sie höchstens {n} Zeichen.",
    "error_too_many": "Wählen Sie höchstens {n} Optionen.",
    "other": "Sonstiges",
    "other_text": "Bitte angeben",
    "choose_up_to": "Wählen Sie bis zu {n} Optionen.",
    "max_chars": "Höchstens {n} Zeichen.",
    "nps_low": "Überhaupt nicht wahrscheinlich",
    "nps_high": "Äußerst wahrscheinlich",
    "thank_you": "Vielen Dank für Ihr Feedback.",
    "already_answered": "Sie haben diese Umfrage bereits beantwortet.",
    "not_saved_yet": "Ihre Antwort ist noch nicht gespeichert.",
    "save_answer": "Antwort speichern",
    "invalid_link": "Dieser Umfragelink ist ungültig",
    "invalid_link_help": "Prüfen Sie, ob Sie den vollständigen Link geöffnet haben, "
    "oder fordern Sie einen neuen an.",
    "expired_link": "Dieser Umfragelink ist abgelaufen",
    "expired_link_help": "Der Link war nur begrenzt gültig. Vielen Dank für Ihr Interesse.",
    "not_found": "Diese Umfrage ist nicht verfügbar",
    "not_found_help": "Sie wurde möglicherweise beendet, oder die Adresse ist falsch geschrieben.",
    "bad_form": "Ihre Antworten konnten nicht gespeichert werden",
    "bad_form_help": "Das Formular war veraltet oder stammte nicht von dieser Umfrage. "
    "Öffnen Sie den Umfragelink erneut, um fortzufahren.",
    "send": "Senden",
    "skip": "Überspringen",
    "close": "Schließen",
    "thanks": "Danke!",
    "answer_please": "Bitte beantworten Sie diese Frage.",
    "send_failed": "Ihre Antworten konnten nicht gesendet werden. Bitte erneut versuchen.",
    "waiting_one": "1 Antwort wartet auf das Senden",
    "waiting_many": "{n} Antworten warten auf das Senden",
    "smiley_1": "Sehr unzufrieden",
    "smiley_2": "Unzufrieden",
    "smiley_3": "Neutral",
    "smiley_4": "Zufrieden",
    "smiley_5": "Sehr zufrieden",
    "kiosk_closed": "Dieses Terminal ist nicht geöffnet",
    "kiosk_closed_help": "Hier gibt es gerade keine Umfrage. Bitte wenden Sie sich an das "
    "Personal; danke, dass Sie uns Ihre Meinung sagen möchten.",
}

ES = {
    "next": "Siguiente",
    "back": "Atrás",
    "submit": "Enviar",
    "required": "(obligatoria)",
    "error": "Error",
    "error_summary": "Hay un problema",
    "error_required": "Responda a esta pregunta.",
    "error_row": "Responda a cada fila.",
    "error_invalid": "Esta respuesta no se puede aceptar. Revísela e inténtelo de nuevo.",
    "error_too_long": "Use como máximo {n} caracteres.",
    "error_too_many": "Elija como máximo {n} opciones.",
    "other": "Otro",
    "other_text": "Especifique",
    "choose_up_to": "Elija hasta {n} opciones.",
    "max_chars": "Como máximo {n} caracteres.",
    "nps_low": "Nada probable",
    "nps_high": "Muy probable",
    "thank_you": "Gracias por su opinión.",
    "already_answered": "Ya ha respondido a esta encuesta.",
    "not_saved_yet": "Su respuesta aún no se ha guardado.",
    "save_answer": "Guardar mi respuesta",
    "invalid_link": "Este enlace de encuesta no es válido",
    "invalid_link_help": "Compruebe que ha abierto el enlace completo o solicite uno nuevo.",
    "expired_link": "Este enlace de encuesta ha caducado",
    "expired_link_help": "El enlace solo era válido durante un tiempo limitado. Gracias por su "
    "interés.",
    "not_found": "Esta encuesta no está disponible",
    "not_found_help": "Puede que haya terminado o que la dirección esté mal escrita.",
    "bad_form": "No se pudieron guardar sus respuestas",
    "bad_form_help": "El formulario estaba caducado o no procedía de esta encuesta. "
    "Abra de nuevo el enlace de la encuesta para continuar.",
    "send": "Enviar",
    "skip": "Omitir",
    "close": "Cerrar",
    "thanks": "¡Gracias!",
    "answer_please": "Responda a esta pregunta.",
    "send_failed": "No se pudieron enviar sus respuestas. Inténtelo de nuevo.",
    "waiting_one": "1 respuesta pendiente de envío",
    "waiting_many": "{n} respuestas pendientes de envío",
    "smiley_1": "Muy insatisfecho",
    "smiley_2": "Insatisfecho",
    "smiley_3": "Neutral",
    "smiley_4": "Satisfecho",
    "smiley_5": "Muy satisfecho",
    "kiosk_closed": "Este quiosco no está abierto",
    "kiosk_closed_help": "Ahora no hay ninguna encuesta aquí. Pregunte al personal; gracias "
    "por querer darnos su opinión.",
}

PT = {
    "next": "Seguinte",
    "back": "Voltar",
    "submit": "Enviar",
    "required": "(obrigatória)",
    "error": "Erro",
    "error_summary": "Há um problema",
    "error_required": "Responda a esta pergunta.",
    "error_row": "Responda a cada linha.",
    "error_invalid": "Esta resposta não pode ser aceite. Verifique-a e tente novamente.",
    "error_too_long": "Use no máximo {n} caracteres.",
    "error_too_many": "Escolha no máximo {n} opções.",
    "other": "Outro",
    "other_text": "Especifique",
    "choose_up_to": "Escolha até {n} opções.",
    "max_chars": "No máximo {n} caracteres.",
    "nps_low": "Nada provável",
    "nps_high": "Extremamente provável",
    "thank_you": "Obrigado pela sua opinião.",
    "already_answered": "Já respondeu a este inquérito.",
    "not_saved_yet": "A sua resposta ainda não foi guardada.",
    "save_answer": "Guardar a minha resposta",
    "invalid_link": "Este link do inquérito não é válido",
    "invalid_link_help": "Verifique se abriu o link completo ou peça um novo.",
    "expired_link": "Este link do inquérito expirou",
    "expired_link_help": "O link só era válido por tempo limitado. Obrigado pelo seu interesse.",
    "not_found": "Este inquérito não está disponível",
    "not_found_help": "Pode ter terminado, ou o endereço pode estar mal escrito.",
    "bad_form": "Não foi possível guardar as suas respostas",
    "bad_form_help": "O formulário estava desatualizado ou não veio deste inquérito. "
    "Abra novamente o link do inquérito para continuar.",
}

IT = {
    "next": "Avanti",
    "back": "Indietro",
    "submit": "Invia",
    "required": "(obbligatoria)",
    "error": "Errore",
    "error_summary": "C'è un problema",
    "error_required": "Rispondi a questa domanda.",
    "error_row": "Rispondi a ogni riga.",
    "error_invalid": "Questa risposta non può essere accettata. Controllala e riprova.",
    "error_too_long": "Usa al massimo {n} caratteri.",
    "error_too_many": "Scegli al massimo {n} opzioni.",
    "other": "Altro",
    "other_text": "Specifica",
    "choose_up_to": "Scegli fino a {n} opzioni.",
    "max_chars": "Al massimo {n} caratteri.",
    "nps_low": "Per niente probabile",
    "nps_high": "Estremamente probabile",
    "thank_you": "Grazie per il tuo feedback.",
    "already_answered": "Hai già risposto a questo sondaggio.",
    "not_saved_yet": "La tua risposta non è ancora stata salvata.",
    "save_answer": "Salva la mia risposta",
    "invalid_link": "Questo link al sondaggio non è valido",
    "invalid_link_help": "Controlla di aver aperto il link completo, oppure chiedine uno nuovo.",
    "expired_link": "Questo link al sondaggio è scaduto",
    "expired_link_help": "Il link era valido solo per un periodo limitato. Grazie per l'interesse.",
    "not_found": "Questo sondaggio non è disponibile",
    "not_found_help": "Potrebbe essere chiuso, oppure l'indirizzo potrebbe essere sbagliato.",
    "bad_form": "Non è stato possibile salvare le tue risposte",
    "bad_form_help": "Il modulo era scaduto o non proveniva da questo sondaggio. "
    "Apri di nuovo il link al sondaggio per continuare.",
}

NL = {
    "next": "Volgende",
    "back": "Vorige",
    "submit": "Versturen",
    "required": "(verplicht)",
    "error": "Fout",
    "error_summary": "Er is een probleem",
    "error_required": "Beantwoord deze vraag.",
    "error_row": "Beantwoord elke rij.",
    "error_invalid": "Dit antwoord kan niet worden geaccepteerd. "
    "Controleer het en probeer opnieuw.",
    "error_too_long": "Gebruik maximaal {n} tekens.",
    "error_too_many": "Kies maximaal {n} opties.",
    "other": "Anders",
    "other_text": "Namelijk",
    "choose_up_to": "Kies maximaal {n} opties.",
    "max_chars": "Maximaal {n} tekens.",
    "nps_low": "Helemaal niet waarschijnlijk",
    "nps_high": "Zeer waarschijnlijk",
    "thank_you": "Bedankt voor uw feedback.",
    "already_answered": "U hebt deze enquête al beantwoord.",
    "not_saved_yet": "Uw antwoord is nog niet opgeslagen.",
    "save_answer": "Mijn antwoord opslaan",
    "invalid_link": "Deze enquêtelink is niet geldig",
    "invalid_link_help": "Controleer of u de volledige link hebt geopend, of vraag een nieuwe aan.",
    "expired_link": "Deze enquêtelink is verlopen",
    "expired_link_help": "De link was maar beperkte tijd geldig. Bedankt voor uw interesse.",
    "not_found": "Deze enquête is niet beschikbaar",
    "not_found_help": "Misschien is ze gesloten, of is het adres verkeerd getypt.",
    "bad_form": "Uw antwoorden konden niet worden opgeslagen",
    "bad_form_help": "Het formulier was verouderd of kwam niet van deze enquête. "
    "Open de enquêtelink opnieuw om verder te gaan.",
}

UI_TEXT: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {"en": EN, "fr": FR, "de": DE, "es": ES, "pt": PT, "it": IT, "nl": NL}
)
"""Language → key → text; English is complete, the others fall back to it key by key."""

KIOSK_WORDS = (
    "next",
    "send",
    "skip",
    "thanks",
    "answer_please",
    "waiting_one",
    "waiting_many",
    *(f"smiley_{n}" for n in range(1, 6)),
)
"""The words ``kiosk.js`` shows, sent in the page's config."""

WIDGET_WORDS = (
    "next",
    "submit",
    "close",
    "thanks",
    "answer_please",
    "send_failed",
    "other",
    "other_text",
    "error_too_many",
)
"""The words the widget shows, sent with the survey in the eligibility answer."""


def ui_words(lang: str | None) -> dict[str, str]:
    """Every chrome text in ``lang`` (``pt-BR`` → ``pt`` → English), key by key."""
    chain = [tag for tag in fallback_chain(lang, "en") if tag in UI_TEXT]
    words = dict(EN)
    for tag in reversed(chain):
        words.update(UI_TEXT[tag])
    return words


def words_for(lang: str | None, keys: tuple[str, ...]) -> dict[str, str]:
    """Only the ``keys`` of :func:`ui_words` (what a script in the browser needs)."""
    words = ui_words(lang)
    return {key: words[key] for key in keys}
