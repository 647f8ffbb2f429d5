"""The surveys domain: survey definitions, their logic, languages, answers and templates.

It owns what a valid survey is (question types, pages, conditions and branches, localized text,
``docs/survey-json.md``), how a respondent moves through one (skip and branch logic, piping), how
their answers are checked and scored, the SurveyJS import and the template library. This module
is the only import surface for other packages. ``models``, ``logic``, ``logic_checks``,
``piping``, ``i18n``, ``validation``, ``answers``, ``surveyjs``, ``surveyjs_expressions`` and
``templates`` are pure: they must not import the store or the web (nor the journey package,
whose ``__init__`` pulls in the store). ``service``, ``repo`` and ``views`` store surveys and
their frozen versions; they may use the journey domain and the store.
"""

from journeyscope.surveys.answers import ScoreFact, check_answer, check_answers, score_facts
from journeyscope.surveys.i18n import fallback_chain, iter_texts, localize
from journeyscope.surveys.logic import (
    Answers,
    chosen_ids,
    evaluate,
    first_page,
    is_answered,
    next_page,
    respondent_path,
    visible_questions,
)
from journeyscope.surveys.models import (
    END,
    OTHER,
    AllOf,
    AnyOf,
    Branch,
    CesQuestion,
    Choice,
    Comparison,
    Condition,
    CsatQuestion,
    LocalizedText,
    MatrixQuestion,
    Metric,
    MultiChoiceQuestion,
    Not,
    NpsQuestion,
    Op,
    OpenTextQuestion,
    Page,
    Question,
    RatingQuestion,
    ScoredQuestion,
    SingleChoiceQuestion,
    Style,
    SurveyDefinition,
)
from journeyscope.surveys.piping import pipe, render_text
from journeyscope.surveys.published import (
    PublishedSurvey,
    published_at_touchpoint,
    published_by_id,
    published_by_public_id,
)
from journeyscope.surveys.service import (
    create_survey,
    get_survey,
    get_version,
    list_surveys,
    publish_survey,
    replace_draft,
    resolve_touchpoint,
    set_targeting,
)
from journeyscope.surveys.surveyjs import import_surveyjs
from journeyscope.surveys.targeting import Targeting
from journeyscope.surveys.templates import (
    SurveyTemplate,
    check_templates,
    get_template,
    list_templates,
)
from journeyscope.surveys.validation import check_definition, check_translations
from journeyscope.surveys.versions import (
    AnsweredVersion,
    ResolvedVersion,
    resolve_version,
    version_by_id,
)
from journeyscope.surveys.views import (
    SurveyCreate,
    SurveySummary,
    SurveyVersionView,
    SurveyView,
    TouchpointRef,
)

__all__ = [
    "END",
    "OTHER",
    "AllOf",
    "AnsweredVersion",
    "Answers",
    "AnyOf",
    "Branch",
    "CesQuestion",
    "Choice",
    "Comparison",
    "Condition",
    "CsatQuestion",
    "LocalizedText",
    "MatrixQuestion",
    "Metric",
    "MultiChoiceQuestion",
    "Not",
    "NpsQuestion",
    "Op",
    "OpenTextQuestion",
    "Page",
    "PublishedSurvey",
    "Question",
    "RatingQuestion",
    "ResolvedVersion",
    "ScoreFact",
    "ScoredQuestion",
    "SingleChoiceQuestion",
    "Style",
    "SurveyCreate",
    "SurveyDefinition",
    "SurveySummary",
    "SurveyTemplate",
    "SurveyVersionView",
    "SurveyView",
    "Targeting",
    "TouchpointRef",
    "check_answer",
    "check_answers",
    "check_definition",
    "check_templates",
    "check_translations",
    "chosen_ids",
    "create_survey",
    "evaluate",
    "fallback_chain",
    "first_page",
    "get_survey",
    "get_template",
    "get_version",
    "import_surveyjs",
    "is_answered",
    "iter_texts",
    "list_surveys",
    "list_templates",
    "localize",
    "next_page",
    "pipe",
    "publish_survey",
    "published_at_touchpoint",
    "published_by_id",
    "published_by_public_id",
    "render_text",
    "replace_draft",
    "resolve_touchpoint",
    "resolve_version",
    "respondent_path",
    "score_facts",
    "set_targeting",
    "version_by_id",
    "visible_questions",
]
